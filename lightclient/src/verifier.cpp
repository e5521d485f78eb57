#include "bauhinia/lightclient/verifier.hpp"

#include <nlohmann/json.hpp>

#include "bauhinia/chain/state_proof.hpp"
#include "bauhinia/lightclient/session.hpp"
#include "checks.hpp"

namespace bauhinia::lightclient {

namespace {

using core::Reject;
using core::reject;
using json = nlohmann::json;

constexpr const char* kWhatNames[] = {"transaction", "record", "history", "consistency"};

}  // namespace

core::Verdict Request::validate() const {
  switch (what) {
    case What::kTransaction:
      if (auto id = core::Hash256::from_hex(transaction_id); !id) {
        return reject(Reject::kBadEncoding, "transaction id: 64 hex digits expected");
      }
      return core::Verdict::accept();
    case What::kRecord:
    case What::kHistory: {
      if (record_key_hex.size() > 2 * chain::kMaxStateRecordKeySize) {
        return reject(Reject::kTooLarge, "record key: at most 1024 bytes");
      }
      auto key = core::from_hex(record_key_hex);
      if (!key) return reject(Reject::kBadEncoding, "record key: " + key.error().detail);
      if (auto k = chain::state_key(module, *key); !k) {
        return reject(k.error().reason, "module: " + k.error().detail);
      }
      return core::Verdict::accept();
    }
    case What::kConsistency:
      if (to && from > *to) return reject(Reject::kInvalid, "consistency: <from> is above <to>");
      return core::Verdict::accept();
  }
  return reject(Reject::kInvalid, "unknown verification");
}

std::string Request::to_json() const {
  json j{{"what", kWhatNames[static_cast<int>(what)]}};
  switch (what) {
    case What::kTransaction: j["transaction_id"] = transaction_id; break;
    case What::kRecord:
    case What::kHistory:
      j["module"] = module;
      j["record_key_hex"] = record_key_hex;
      if (what == What::kHistory) j["every_height"] = every_height;
      break;
    case What::kConsistency:
      j["from"] = from;
      if (to) j["to"] = *to;
      break;
  }
  if (height && (what == What::kTransaction || what == What::kRecord)) j["height"] = *height;
  return j.dump();
}

core::Checked<Request> Request::from_json(std::string_view text) {
  const json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object() || !j.contains("what") || !j["what"].is_string()) {
    return reject(Reject::kInvalid, "request: an object with \"what\" expected");
  }
  Request r;
  const std::string what = j["what"].get<std::string>();
  bool known = false;
  for (int i = 0; i < 4; ++i) {
    if (what == kWhatNames[i]) {
      r.what = static_cast<What>(i);
      known = true;
    }
  }
  if (!known) return reject(Reject::kInvalid, "request: unknown verification '" + what + "'");
  auto str = [&](const char* name, std::string& out) {
    if (j.contains(name) && j[name].is_string()) out = j[name].get<std::string>();
  };
  auto u64 = [&](const char* name) -> std::optional<std::uint64_t> {
    if (j.contains(name) && j[name].is_number_unsigned()) return j[name].get<std::uint64_t>();
    return std::nullopt;
  };
  str("transaction_id", r.transaction_id);
  str("module", r.module);
  str("record_key_hex", r.record_key_hex);
  r.height = u64("height");
  r.from = u64("from").value_or(0);
  r.to = u64("to");
  r.every_height =
      j.contains("every_height") && j["every_height"].is_boolean() && j["every_height"].get<bool>();
  if (auto v = r.validate(); !v)
    return reject(v.rejection().reason, "request: " + v.rejection().detail);
  return r;
}

int Outcome::exit_code() const {
  switch (result) {
    case Result::kProven: return 0;
    case Result::kBadInput: return 2;
    case Result::kNotProven: return 4;
    case Result::kNoConnection: return 5;
  }
  return 4;
}

std::string Outcome::to_json() const {
  static constexpr const char* kResults[] = {"proven", "bad_input", "not_proven", "no_connection"};
  json j{{"result", kResults[static_cast<int>(result)]},
         {"proven", result == Result::kProven},
         {"node_at_fault", node_at_fault},
         {"summary", summary},
         {"details", details},
         {"certified_height", certified_height ? json(*certified_height) : json(nullptr)},
         {"certified_epoch", certified_epoch ? json(*certified_epoch) : json(nullptr)},
         {"exit_code", exit_code()}};
  return j.dump(2);
}

Outcome verify_request(const Trust& trust, const Request& request, const Fetch& fetch,
                       std::string_view source) {
  Outcome out;
  if (auto v = request.validate(); !v) {
    out.result = Result::kBadInput;
    out.summary = "bad input: " + v.rejection().detail;
    return out;
  }
  Session session(trust, fetch);
  auto proven = [&]() -> Step<Proven> {
    auto epochs = session.follow_epochs();
    if (!epochs) {
      // A node of another chain fails the epoch proofs: say so rather than "forged".
      if (auto other = session.probe_other_chain()) return std::move(*other);
      return std::move(epochs).error();
    }
    switch (request.what) {
      case What::kTransaction: return check_transaction(session, request);
      case What::kRecord: return check_record(session, request);
      case What::kHistory: return check_history(session, request);
      case What::kConsistency: return check_consistency(session, request);
    }
    return malformed("unknown verification");
  }();
  if (proven) {
    out.result = Result::kProven;
    out.summary = proven->summary;
    out.details.push_back("trusted: the genesis file of chain " + trust.chain_id + " (genesis id " +
                          trust.genesis_id.to_hex() + ", " +
                          std::to_string(trust.genesis_validators.validators.size()) +
                          " validators); followed " + std::to_string(session.epochs_followed()) +
                          " epoch change(s) to epoch " + std::to_string(session.epochs_followed()));
    for (auto& d : proven->details) out.details.push_back(std::move(d));
    out.certified_height = proven->against.header.height;
    out.certified_epoch = proven->against.header.epoch;
    return out;
  }
  using Kind = Failure::Kind;
  const Failure& f = proven.error();
  const std::string who(source);
  out.result = Result::kNotProven;
  switch (f.kind) {
    case Kind::kForged:
      out.node_at_fault = true;
      out.summary = who + " served a forged proof: " + f.reason;
      break;
    case Kind::kInconsistent:
      out.node_at_fault = true;
      out.summary = who + " served an inconsistent answer: " + f.reason;
      break;
    case Kind::kMalformed:
      out.node_at_fault = true;
      out.summary = who + " served a malformed answer: " + f.reason;
      break;
    case Kind::kRefused: out.summary = "not proven: " + who + " answered " + f.reason; break;
    case Kind::kUnavailable:
      out.result = Result::kNoConnection;
      out.summary = "no answer from " + who + ": " + f.reason;
      break;
    case Kind::kMissing: out.summary = "not proven: " + f.reason + " (" + who + ")"; break;
    case Kind::kTooMuch: out.summary = "not proven: " + f.reason; break;
    case Kind::kOtherChain:
      out.summary = "not proven: " + who + " serves " + f.reason +
                    " (a genesis file of another consortium, or a node of another chain)";
      break;
  }
  return out;
}

}  // namespace bauhinia::lightclient
