#pragma once
// Equivocation evidence (docs/contracts/system.md): two statements a
// validator signed for the same epoch and round that conflict, verified by
// every replica from the signatures alone and recorded once.
//   vote:      each statement is an encoded chain::LedgerInfo, signed over
//              LedgerInfo::signing_hash(); conflicting = the two differ
//   proposal:  each is an encoded chain::ProposalSigningData, signed over its
//              signing_hash(); conflicting = different block ids
// Both carry the chain's id, the evidence's epoch and round; the offender is
// a validator of that epoch (EpochValidators).

#include <cstdint>
#include <optional>
#include <string>

#include "bauhinia/contracts/module.hpp"
#include "bauhinia/contracts/system/records.hpp"
#include "bauhinia/core/address.hpp"
#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/core/encoding.hpp"

namespace bauhinia::contracts::system {

inline constexpr std::size_t kMaxStatementSize = 512;

enum class EvidenceKind : std::uint8_t { kVote = 0, kProposal = 1 };
std::string_view evidence_kind_name(EvidenceKind kind);

struct SignedStatement {
  Bytes statement;  // encode(LedgerInfo) or encode(ProposalSigningData)
  core::ed25519::Signature signature;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.bytes(s.statement, kMaxStatementSize, "statement");
    c.fixed(s.signature.bytes);
  }
  friend bool operator==(const SignedStatement&, const SignedStatement&) = default;
};

struct SubmitEvidenceArgs {
  EvidenceKind kind = EvidenceKind::kVote;
  core::ed25519::PublicKey offender;
  std::uint64_t epoch = 0;
  std::uint64_t round = 0;
  SignedStatement first;
  SignedStatement second;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.enumeration(s.kind, EvidenceKind::kProposal);
    c.fixed(s.offender.bytes);
    c.u64(s.epoch);
    c.u64(s.round);
    c.object(s.first);
    c.object(s.second);
  }
  friend bool operator==(const SubmitEvidenceArgs&, const SubmitEvidenceArgs&) = default;
};

// Public: the two signed statements are the proof; anyone can re-verify them.
struct EvidenceRecord {
  static constexpr std::uint8_t kVersion = 1;
  std::uint8_t version = kVersion;
  EvidenceKind kind = EvidenceKind::kVote;
  core::ed25519::PublicKey offender;
  std::string offender_name;  // the validator's name in that epoch's set
  std::uint64_t epoch = 0;
  std::uint64_t round = 0;
  SignedStatement first;
  SignedStatement second;
  core::AccountId submitter;
  std::uint64_t recorded_height = 0;
  std::uint64_t recorded_ms = 0;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.version);
    c.enumeration(s.kind, EvidenceKind::kProposal);
    c.fixed(s.offender.bytes);
    c.string(s.offender_name, chain::kMaxValidatorNameLength, "offender_name");
    c.u64(s.epoch);
    c.u64(s.round);
    c.object(s.first);
    c.object(s.second);
    c.fixed(s.submitter.bytes);
    c.u64(s.recorded_height);
    c.u64(s.recorded_ms);
  }
  friend bool operator==(const EvidenceRecord&, const EvidenceRecord&) = default;
};

// Event "evidence_recorded" (record: the evidence).
struct EvidenceEvent {
  EvidenceKind kind = EvidenceKind::kVote;
  core::ed25519::PublicKey offender;
  std::uint64_t epoch = 0;
  std::uint64_t round = 0;

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.enumeration(s.kind, EvidenceKind::kProposal);
    c.fixed(s.offender.bytes);
    c.u64(s.epoch);
    c.u64(s.round);
  }
};

Bytes evidence_key(EvidenceKind kind, const core::ed25519::PublicKey& offender, std::uint64_t epoch,
                   std::uint64_t round);

// Why the evidence does not prove an equivocation by a validator of its epoch
// on chain `chain_id`, or nullopt when it does. Reasons: malformed_statement,
// wrong_chain, statement_mismatch, same_statement, bad_signature,
// unknown_epoch, not_a_validator.
std::optional<CallResult> evidence_refusal(const StateView& state, std::string_view chain_id,
                                           const SubmitEvidenceArgs& args);

}  // namespace bauhinia::contracts::system
