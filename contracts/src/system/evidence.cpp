// submit_evidence: equivocation evidence, verified from the signatures alone.

#include <string>

#include "bauhinia/chain/ledger_info.hpp"
#include "bauhinia/chain/proposal_signing.hpp"
#include "bauhinia/contracts/system/lists.hpp"
#include "internal.hpp"

namespace bauhinia::contracts::system {

std::string_view evidence_kind_name(EvidenceKind kind) {
  return kind == EvidenceKind::kVote ? "vote" : "proposal";
}

Bytes evidence_key(EvidenceKind kind, const core::ed25519::PublicKey& offender, std::uint64_t epoch,
                   std::uint64_t round) {
  Bytes k{kEvidenceKind};
  k.insert(k.end(), offender.bytes.begin(), offender.bytes.end());
  for (std::uint64_t n : {epoch, round}) {
    for (int shift = 56; shift >= 0; shift -= 8) k.push_back(static_cast<std::uint8_t>(n >> shift));
  }
  k.push_back(static_cast<std::uint8_t>(kind));
  return k;
}

namespace {

using chain::TxOutcome;
using detail::fail;

struct Statement {
  std::string chain_id;
  std::uint64_t epoch = 0;
  std::uint64_t round = 0;
  core::Hash256 signing_hash;
  core::Hash256 block_id;  // proposals only
};

core::Checked<Statement> parse(EvidenceKind kind, const Bytes& bytes) {
  if (kind == EvidenceKind::kVote) {
    auto li = core::decode<chain::LedgerInfo>(bytes);
    if (!li) return std::move(li).error();
    return Statement{li->chain_id, li->epoch, li->round, li->signing_hash(), {}};
  }
  auto p = core::decode<chain::ProposalSigningData>(bytes);
  if (!p) return std::move(p).error();
  return Statement{p->chain_id, p->epoch, p->round, p->signing_hash(), p->block_id};
}

}  // namespace

std::optional<CallResult> evidence_refusal(const StateView& state, std::string_view chain_id,
                                           const SubmitEvidenceArgs& args) {
  const std::string what(evidence_kind_name(args.kind));
  auto first = parse(args.kind, args.first.statement);
  auto second = parse(args.kind, args.second.statement);
  if (!first || !second) {
    return fail(
        TxOutcome::kInvalidArgument, "malformed_statement",
        "a statement is not an encoded " +
            std::string(args.kind == EvidenceKind::kVote ? "LedgerInfo" : "ProposalSigningData") +
            ": " + (!first ? first.error() : second.error()).to_string());
  }
  for (const Statement* s : {&*first, &*second}) {
    if (s->chain_id != chain_id) {
      return fail(TxOutcome::kInvalidArgument, "wrong_chain",
                  "a statement is for chain '" + s->chain_id + "'");
    }
    if (s->epoch != args.epoch || s->round != args.round) {
      return fail(TxOutcome::kInvalidArgument, "statement_mismatch",
                  "both statements must be of epoch " + std::to_string(args.epoch) + " round " +
                      std::to_string(args.round));
    }
  }
  const bool conflict = args.kind == EvidenceKind::kVote
                            ? args.first.statement != args.second.statement
                            : first->block_id != second->block_id;
  if (!conflict) {
    return fail(TxOutcome::kInvalidArgument, "same_statement",
                "the two " + what + "s do not conflict" +
                    (args.kind == EvidenceKind::kProposal ? " (same block id)" : ""));
  }
  if (!core::ed25519::verify(args.offender, first->signing_hash.view(), args.first.signature) ||
      !core::ed25519::verify(args.offender, second->signing_hash.view(), args.second.signature)) {
    return fail(TxOutcome::kUnauthorized, "bad_signature",
                "a statement is not signed by " + args.offender.to_hex());
  }
  auto set = epoch_validators(state, args.epoch);
  if (!set) {
    return fail(TxOutcome::kNotFound, "unknown_epoch",
                "no validator set recorded for epoch " + std::to_string(args.epoch));
  }
  if (!set->index_of(args.offender)) {
    return fail(
        TxOutcome::kFailedPrecondition, "not_a_validator",
        args.offender.to_hex() + " is not a validator of epoch " + std::to_string(args.epoch));
  }
  return std::nullopt;
}

namespace detail {

CallResult submit_evidence(CallContext& call, StateView& state, const SubmitEvidenceArgs& args) {
  if (auto refused = evidence_refusal(state, call.block().chain_id, args)) return *refused;
  const Bytes key = evidence_key(args.kind, args.offender, args.epoch, args.round);
  if (state.read(kModuleName, key)) {
    return fail(TxOutcome::kAlreadyExists, "already_recorded",
                "this equivocation is already on the ledger");
  }
  EvidenceRecord record;
  record.kind = args.kind;
  record.offender = args.offender;
  auto set = epoch_validators(state, args.epoch);
  if (set) {
    if (auto i = set->index_of(args.offender)) record.offender_name = set->validators[*i].name;
  }
  record.epoch = args.epoch;
  record.round = args.round;
  record.first = args.first;
  record.second = args.second;
  record.submitter = call.sender();
  record.recorded_height = call.block().height;
  record.recorded_ms = call.block().timestamp_ms;
  state.write(key, core::encode(record));
  if (CallResult r = evidence_list().add(state, key); !r.ok()) return r;
  if (CallResult r = evidence_by_list(args.offender).add(state, key); !r.ok()) return r;
  call.emit("evidence_recorded", key,
            core::encode(EvidenceEvent{args.kind, args.offender, args.epoch, args.round}));
  return CallResult::success();
}

}  // namespace detail

}  // namespace bauhinia::contracts::system
