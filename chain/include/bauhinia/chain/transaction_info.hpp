#pragma once
// The leaf payload of the transaction accumulator: one committed transaction
// with the outcome of its execution. The accumulator leaf hash is the RFC 6962
// leaf hash of its canonical encoding,
//   SHA-256(0x00 || encode(TransactionInfo)),
// and the node serves exactly these encoded bytes, so a client can check a
// transaction's outcome and effects against a certified accumulator root.

#include <cstdint>
#include <string_view>

#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/hash.hpp"

namespace bauhinia::chain {

using core::Hash256;

// How execution of a committed transaction ended. A failed transaction is still
// committed and keeps its place in the ledger; what it may change (e.g. a
// sequence number) is the execution layer's rule. Stable: never renumber, only
// append new values (and move kMax_).
enum class TxOutcome : std::uint8_t {
  kSuccess = 0,
  kUnauthorized = 1,        // signer lacks the role or permission
  kInvalidArgument = 2,     // the module rejected the payload's content
  kNotFound = 3,            // a record the transaction refers to does not exist
  kAlreadyExists = 4,       // the record to create already exists
  kFailedPrecondition = 5,  // the record's state does not allow the change
  kLimitExceeded = 6,       // a size or count limit of the module was exceeded
  kMax_ = kLimitExceeded,   // not an outcome: the largest valid value
};

std::string_view tx_outcome_name(TxOutcome o) noexcept;

struct TransactionInfo {
  static constexpr std::uint8_t kFormat = 1;

  std::uint8_t format = kFormat;
  std::uint64_t version = 0;  // the leaf's index in the accumulator (Diem's "version")
  Hash256 transaction_id;     // Transaction::id(): tagged_hash(kTransactionId, envelope)
  TxOutcome outcome = TxOutcome::kSuccess;
  Hash256 state_changes_hash;  // digest of the state writes, as the execution layer defines it
  Hash256 events_hash;         // digest of the emitted events, as the execution layer defines it

  // RFC 6962 leaf hash of encode(*this): the accumulator leaf.
  Hash256 leaf_hash() const;
  core::Verdict validate() const;  // format

  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.format);
    c.u64(s.version);
    c.fixed(s.transaction_id);
    c.enumeration(s.outcome, TxOutcome::kMax_);
    c.fixed(s.state_changes_hash);
    c.fixed(s.events_hash);
  }
  friend bool operator==(const TransactionInfo&, const TransactionInfo&) = default;
};

}  // namespace bauhinia::chain
