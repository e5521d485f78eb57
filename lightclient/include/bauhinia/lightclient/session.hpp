#pragma once
// One verification's view of a node (used by verify_request and by the
// explorer's follower). It reads the
// node's answers through the Fetch, follows the epoch change proofs from the
// genesis set, and hands out only headers and records it has proven (cached by
// height). Every failure is a Failure saying whose fault it is.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/chain/validator_set.hpp"
#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/lightclient/fetch.hpp"
#include "bauhinia/lightclient/trust.hpp"

namespace bauhinia::lightclient {

using json = nlohmann::json;

struct Failure {
  enum class Kind {
    kForged,        // a proof, certificate or signed byte string fails verification
    kInconsistent,  // the answer contradicts itself, the request or another proven answer
    kMalformed,     // not the JSON the API documents
    kRefused,       // the node answered 4xx: it cannot prove it (unknown, not committed...)
    kUnavailable,   // no answer, or the node failed (5xx)
    kMissing,       // a saved file lacks an answer
    kTooMuch,       // over one of the verifier's bounds
    kOtherChain,    // the node says it serves another chain than the genesis file's
  };
  Kind kind;
  std::string reason;
};

template <class T>
using Step = core::Expected<T, Failure>;

inline Failure forged(std::string reason) {
  return {Failure::Kind::kForged, std::move(reason)};
}
inline Failure inconsistent(std::string reason) {
  return {Failure::Kind::kInconsistent, std::move(reason)};
}
inline Failure malformed(std::string reason) {
  return {Failure::Kind::kMalformed, std::move(reason)};
}

// A header whose commit certificate (or, at height 0, whose id) was verified.
struct ProvenHeader {
  chain::BlockHeader header;
  std::uint64_t certified_height = 0;  // the block the certificate commits (>= header.height)
  std::vector<std::string> signers;    // the validators whose signatures were verified
  std::size_t set_size = 0;            // members of the epoch's validator set

  // "height 4 (epoch 1, certified by 3 of 4 validators: IPD, CR, EPD)".
  std::string describe() const;
};

// A record's value (nullopt: absent) at a height, proven under that height's
// certified state root.
struct ProvenRecord {
  std::uint64_t height = 0;
  std::optional<core::Bytes> value;
  std::optional<core::Hash256> value_hash() const;
  std::string describe() const;  // "absent" or "a value of 65 bytes (hash ab12...)"
};

std::string short_hash(const core::Hash256& h);  // the first 16 hex digits and "..."
std::string describe_value_hash(const std::optional<core::Hash256>& h);

// The hex field `name` of `obj` decoded (at most `max_bytes`).
Step<core::Bytes> hex_field(const json& obj, const char* name, std::size_t max_bytes);
Step<std::uint64_t> u64_field(const json& obj, const char* name);

template <class T>
Step<T> decode_field(const json& obj, const char* name, std::size_t max_bytes, const char* type) {
  auto bytes = hex_field(obj, name, max_bytes);
  if (!bytes) return std::move(bytes).error();
  auto value = core::decode<T>(*bytes);
  if (!value) {
    return forged(std::string(name) + " is not a canonical " + type + ": " +
                  value.error().to_string());
  }
  return std::move(value).value();
}

class Session {
 public:
  Session(const Trust& trust, const Fetch& fetch) : trust_(trust), fetch_(fetch) {
    sets_.emplace(trust.genesis_validators.epoch, trust.genesis_validators);
  }

  const Trust& trust() const { return trust_; }

  // GET `target`: a 200 answer's JSON object, or why not.
  Step<json> get(const std::string& target);

  // Follows /v1/epochs/proof from the genesis set to the node's current epoch.
  Step<bool> follow_epochs();
  std::uint64_t epochs_followed() const { return sets_.rbegin()->first; }
  const chain::ValidatorSet& current_set() const { return sets_.rbegin()->second; }
  // The verified set of `epoch`, or null when the proofs followed do not reach it.
  const chain::ValidatorSet* set_of(std::uint64_t epoch) const {
    auto it = sets_.find(epoch);
    return it == sets_.end() ? nullptr : &it->second;
  }

  // The API's "certified" object for the header at `height`, verified.
  Step<ProvenHeader> check_certified(const json& certified, std::uint64_t height);
  // The node's claims in /v1/ledger-info (chain id, genesis id) against the
  // genesis file: kOtherChain when they differ. Not a proof of anything: it
  // only tells a wrong genesis file or node apart from a forgery.
  Step<bool> check_chain_claims(const json& ledger_info) const;
  // The same after another failure: the kOtherChain failure, if any.
  std::optional<Failure> probe_other_chain();
  // The latest certified header the node shows (GET /v1/ledger-info).
  Step<ProvenHeader> latest();
  // The certified header at `height` (GET /v1/blocks/{height}).
  Step<ProvenHeader> header_at(std::uint64_t height);
  // The record at `height` (GET /v1/state/{module}/{key}?height=), proven.
  Step<ProvenRecord> record_at(std::string_view module, const core::Bytes& record_key,
                               std::uint64_t height);

 private:
  const Trust& trust_;
  const Fetch& fetch_;
  std::map<std::uint64_t, chain::ValidatorSet> sets_;  // by epoch, all verified
  std::map<std::uint64_t, ProvenHeader> headers_;      // by height
  std::map<std::string, ProvenRecord> records_;        // by "module/key hex@height"
};

}  // namespace bauhinia::lightclient
