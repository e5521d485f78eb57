#pragma once
// The light client (`bauhinia-wallet verify`, bauhinia-explorer): proves what a node
// serves from the genesis file alone. Pure: it reads the node only through a
// Fetch (fetch.hpp), so it runs the same online and over saved answers.
//
// Every verification first follows the epoch change proofs from the genesis
// validator set (GET /v1/epochs/proof), then pins a certified header
// (GET /v1/ledger-info for the latest, or the height asked for) and checks its
// commit certificate against the set of its epoch (chain::
// verify_certified_header; height 0 is trusted by the genesis id), then:
//   transaction: its inclusion proof in that header's accumulator
//     (chain::verify_transaction), the transaction bytes hashing to the id;
//   record: the record's state proof, of its value or of its absence
//     (chain::verify_state_record), at exactly the height asked for;
//   history: every listed change V with value x: the record holds x at V and
//     held the previous step's value (nothing, before the first) at V - 1, and
//     at the latest certified height it holds the last step's value; with
//     every_height, the value at every height from the first change on.
//   consistency: the accumulator certified at height `from` is a prefix of the
//     one certified at `to` (RFC 9162 consistency proof between their sizes).
// Nothing the node says is believed unless one of these checks proves it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bauhinia/core/status.hpp"
#include "bauhinia/lightclient/fetch.hpp"
#include "bauhinia/lightclient/trust.hpp"

namespace bauhinia::lightclient {

// Bounds on the work a node can make the verifier do.
inline constexpr std::uint64_t kMaxEpochs = 100'000;          // epochs followed
inline constexpr std::size_t kMaxHistorySteps = 10'000;       // changes of one record
inline constexpr std::uint64_t kMaxEveryHeightSpan = 10'000;  // heights checked by every_height

enum class What { kTransaction, kRecord, kHistory, kConsistency };

struct Request {
  What what = What::kTransaction;
  std::string transaction_id;           // transaction: 64 hex digits
  std::string module;                   // record, history
  std::string record_key_hex;           // record, history: the record key, hex
  std::optional<std::uint64_t> height;  // transaction, record: default the latest certified
  std::uint64_t from = 0;               // consistency: block heights
  std::optional<std::uint64_t> to;      // default the latest certified
  bool every_height = false;            // history

  // Bad input (exit 2) before anything is fetched: the rejection names the argument.
  core::Verdict validate() const;
  std::string to_json() const;
  static core::Checked<Request> from_json(std::string_view text);
};

enum class Result {
  kProven,        // exit 0
  kBadInput,      // exit 2
  kNotProven,     // exit 4: a forged or inconsistent answer, or the node could not prove it
  kNoConnection,  // exit 5: no answer from the node, or the node failed (HTTP 5xx)
};

struct Outcome {
  Result result = Result::kNotProven;
  // The node served an answer that fails verification or contradicts itself:
  // `summary` names it ("node http://... served a forged proof: <reason>").
  bool node_at_fault = false;
  std::string summary;                            // one line: what was proven, or why not
  std::vector<std::string> details;               // the trust path, each history step, ...
  std::optional<std::uint64_t> certified_height;  // the header the proof is against
  std::optional<std::uint64_t> certified_epoch;

  int exit_code() const;
  std::string to_json() const;  // for --json
};

// `source` names where the answers come from in messages, e.g.
// "node http://127.0.0.1:8080" or "node http://... (answers saved in p.json)".
Outcome verify_request(const Trust& trust, const Request& request, const Fetch& fetch,
                       std::string_view source);

}  // namespace bauhinia::lightclient
