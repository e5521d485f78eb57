// The proof routes: a followed node's answer, verified with the light client
// and passed through with an "explorer" member added (docs/explorer.md).

#include <functional>

#include "api_support.hpp"
#include "bauhinia/chain/epoch_proof.hpp"
#include "bauhinia/chain/light_client.hpp"
#include "bauhinia/chain/state_proof.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/lightclient/session.hpp"
#include "bauhinia/lightclient/verifier.hpp"
#include "failures.hpp"
#include "record_check.hpp"

namespace bauhinia::explorer::api_support {

namespace {

using lightclient::Failure;
using lightclient::Session;
using lightclient::Step;

struct Verified {
  json body;
  std::optional<std::uint64_t> certified_height;
};

// A check over one node: its session (epochs followed) and the answers it recorded.
using Check =
    std::function<Step<Verified>(Session&, const lightclient::SavedAnswers&, const UsableNode&)>;

bool unreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

std::string encode_segment(std::string_view seg) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : seg) {
    if (unreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

Step<json> recorded(const lightclient::SavedAnswers& saved, const std::string& target) {
  auto it = saved.answers.find(target);
  if (it == saved.answers.end()) return lightclient::malformed("no answer recorded for " + target);
  json doc = json::parse(it->second.body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return lightclient::malformed(target + ": not a JSON object");
  }
  return doc;
}

// Runs `check` over each usable node in turn (see the file comment).
HttpResponse run(Follower& follower, const Check& check) {
  std::string last = "no node to ask";
  for (const UsableNode& node : follower.usable()) {
    lightclient::SavedAnswers saved;
    const lightclient::Fetch fetch = lightclient::recording(node.fetch, saved);
    Session s(follower.trust(), fetch);
    auto v = [&]() -> Step<Verified> {
      if (auto e = s.follow_epochs(); !e) return std::move(e).error();
      return check(s, saved, node);
    }();
    if (v) {
      v->body["explorer"] = json{
          {"node", node.url},
          {"verified", true},
          {"certified_height", v->certified_height ? json(*v->certified_height) : json(nullptr)}};
      return answer(v->body);
    }
    const Failure& f = v.error();
    if (f.kind == Failure::Kind::kRefused) return error(404, "not_proven", f.reason);
    if (node_at_fault(f)) {
      follower.refuse(node.url, describe(f));
      last = node.url + " " + describe(f);
    } else {
      last = node.url + ": " + f.reason;
    }
  }
  return error(502, "no_node", "no followed node could answer and prove it (" + last + ")");
}

// A verification that did not prove it, as a Failure (whose fault it is).
Failure failure_of(const lightclient::Outcome& out) {
  Failure f{Failure::Kind::kRefused, out.summary};
  if (out.node_at_fault) f.kind = Failure::Kind::kForged;
  if (out.result == lightclient::Result::kNoConnection) f.kind = Failure::Kind::kUnavailable;
  return f;
}

// verify_request over one node, then the recorded answer of `target(height)`.
Check by_request(lightclient::Request request,
                 std::function<std::string(std::uint64_t height)> target) {
  return [request = std::move(request), target = std::move(target)](
             Session& s, const lightclient::SavedAnswers& saved,
             const UsableNode& node) -> Step<Verified> {
    // verify_request runs its own session over the same recording fetch.
    lightclient::SavedAnswers again;
    const lightclient::Fetch fetch = lightclient::recording(node.fetch, again);
    (void)saved;
    auto out = lightclient::verify_request(s.trust(), request, fetch, node.url);
    if (out.result != lightclient::Result::kProven) return failure_of(out);
    auto body = recorded(again, target(out.certified_height.value_or(0)));
    if (!body) return std::move(body).error();
    (*body)["summary"] = out.summary;
    (*body)["details"] = out.details;
    return Verified{std::move(*body), out.certified_height};
  };
}

}  // namespace

HttpResponse proof_route(Follower& follower, const Target& t) {
  const auto& s = t.segments;
  const std::size_t n = s.size();
  const std::string& kind = s[1];

  if (kind == "records" && n >= 4) {
    std::string target = "/v1/query";
    for (std::size_t i = 2; i < n; ++i) target += "/" + encode_segment(s[i]);
    return run(follower,
               [target](Session& ss, const lightclient::SavedAnswers&,
                        const UsableNode&) -> Step<Verified> {
                 auto doc = ss.get(target);
                 if (!doc) return std::move(doc).error();
                 auto height = verify_query_answer(ss, *doc);
                 if (!height) return std::move(height).error();
                 return Verified{std::move(*doc), *height};
               });
  }
  if (kind == "history" && n == 4) {
    lightclient::Request r;
    r.what = lightclient::What::kHistory;
    r.module = s[2];
    r.record_key_hex = lower(s[3]);
    if (auto v = r.validate(); !v) return error(400, "bad_request", v.rejection().detail);
    const std::string prefix = "/v1/state/" + r.module + "/" + r.record_key_hex + "/history?from=";
    return run(
        follower,
        [r, prefix](Session& ss, const lightclient::SavedAnswers& saved,
                    const UsableNode& node) -> Step<Verified> {
          lightclient::SavedAnswers again;
          const lightclient::Fetch fetch = lightclient::recording(node.fetch, again);
          (void)saved;
          auto out = lightclient::verify_request(ss.trust(), r, fetch, node.url);
          if (out.result != lightclient::Result::kProven) return failure_of(out);
          json versions = json::array();
          for (const auto& [target, a] : again.answers) {
            if (!target.starts_with(prefix)) continue;
            json page = json::parse(a.body, nullptr, false);
            if (page.is_object() && page.contains("versions") && page["versions"].is_array()) {
              for (auto& v : page["versions"]) versions.push_back(v);
            }
          }
          std::sort(versions.begin(), versions.end(), [](const json& a, const json& b) {
            return a.value("version", std::uint64_t{0}) < b.value("version", std::uint64_t{0});
          });
          return Verified{json{{"module", r.module},
                               {"record_key_hex", r.record_key_hex},
                               {"versions", std::move(versions)},
                               {"summary", out.summary},
                               {"details", out.details}},
                          out.certified_height};
        });
  }
  if (kind == "validators" && n == 2) {
    const auto epoch = u64_param(t, "epoch");
    if (epoch.bad) return *epoch.bad;
    return run(follower,
               [e = epoch.value](Session& ss, const lightclient::SavedAnswers&,
                                 const UsableNode&) -> Step<Verified> {
                 const std::uint64_t want = e.value_or(ss.epochs_followed());
                 const chain::ValidatorSet* set = ss.set_of(want);
                 if (set == nullptr) {
                   return Failure{Failure::Kind::kRefused,
                                  "epoch " + std::to_string(want) + " is unknown"};
                 }
                 auto doc = ss.get("/v1/validators?epoch=" + std::to_string(want));
                 if (!doc) return std::move(doc).error();
                 auto served = lightclient::decode_field<chain::ValidatorSet>(
                     *doc, "validator_set_hex", 1U << 20, "ValidatorSet");
                 if (!served) return std::move(served).error();
                 if (served->hash() != set->hash()) {
                   return lightclient::forged("the validator set it served for epoch " +
                                              std::to_string(want) +
                                              " is not the one its epoch change proofs prove");
                 }
                 return Verified{std::move(*doc), std::nullopt};
               });
  }
  if (kind != "proof" || n < 3) return error(404, "unknown_path", "no API route " + t.path);
  const std::string& what = s[2];

  if (what == "epochs" && n == 3) {
    const auto from = u64_param(t, "from");
    if (from.bad) return *from.bad;
    return run(
        follower,
        [e = from.value.value_or(0)](Session& ss, const lightclient::SavedAnswers&,
                                     const UsableNode&) -> Step<Verified> {
          const chain::ValidatorSet* set = ss.set_of(e);
          if (set == nullptr) {
            return Failure{Failure::Kind::kRefused, "epoch " + std::to_string(e) + " is unknown"};
          }
          auto doc = ss.get("/v1/epochs/proof?from=" + std::to_string(e));
          if (!doc) return std::move(doc).error();
          auto proof = lightclient::decode_field<chain::EpochChangeProof>(
              *doc, "proof_hex", 4U << 20, "EpochChangeProof");
          if (!proof) return std::move(proof).error();
          if (auto next = chain::verify_epoch_changes(*set, *proof, ss.trust().chain_id); !next) {
            return lightclient::forged("the epoch change proof from epoch " + std::to_string(e) +
                                       " does not verify: " + next.error().to_string());
          }
          return Verified{std::move(*doc), std::nullopt};
        });
  }
  if (what == "block" && n == 4) {
    auto h = parse_u64(s[3]);
    if (!h) return error(400, "bad_request", "block height: a number expected");
    return run(follower,
               [h = *h](Session& ss, const lightclient::SavedAnswers& saved,
                        const UsableNode&) -> Step<Verified> {
                 auto proven = ss.header_at(h);
                 if (!proven) return std::move(proven).error();
                 auto doc = recorded(saved, "/v1/blocks/" + std::to_string(h));
                 if (!doc) return std::move(doc).error();
                 return Verified{std::move(*doc), proven->certified_height};
               });
  }
  if (what == "consistency" && n == 3) {
    const auto from = u64_param(t, "from");
    const auto to = u64_param(t, "to");
    if (from.bad) return *from.bad;
    if (to.bad) return *to.bad;
    if (!from.value) return error(400, "bad_request", "from (a block height) is required");
    lightclient::Request r;
    r.what = lightclient::What::kConsistency;
    r.from = *from.value;
    r.to = to.value;
    if (auto v = r.validate(); !v) return error(400, "bad_request", v.rejection().detail);
    return run(follower,
               [r](Session& ss, const lightclient::SavedAnswers&,
                   const UsableNode& node) -> Step<Verified> {
                 lightclient::SavedAnswers again;
                 const lightclient::Fetch fetch = lightclient::recording(node.fetch, again);
                 auto out = lightclient::verify_request(ss.trust(), r, fetch, node.url);
                 if (out.result != lightclient::Result::kProven) return failure_of(out);
                 // The answers it was proven from: the two certified headers and the proof.
                 json answers = json::object();
                 for (const auto& [target, a] : again.answers) {
                   if (target.starts_with("/v1/proofs/consistency?") ||
                       target.starts_with("/v1/blocks/") || target == "/v1/ledger-info") {
                     answers[target] = json::parse(a.body, nullptr, false);
                   }
                 }
                 return Verified{json{{"from_height", r.from},
                                      {"to_height", out.certified_height.value_or(0)},
                                      {"answers", std::move(answers)},
                                      {"summary", out.summary},
                                      {"details", out.details}},
                                 out.certified_height};
               });
  }
  const auto height = u64_param(t, "height");
  if (height.bad) return *height.bad;
  if (what == "tx" && n == 4) {
    lightclient::Request r;
    r.what = lightclient::What::kTransaction;
    r.transaction_id = lower(s[3]);
    r.height = height.value;
    if (auto v = r.validate(); !v) return error(400, "bad_hex", v.rejection().detail);
    return run(follower, by_request(r, [id = r.transaction_id](std::uint64_t h) {
                 return "/v1/proofs/transaction/" + id + "?height=" + std::to_string(h);
               }));
  }
  if (what == "state" && n == 5) {
    lightclient::Request r;
    r.what = lightclient::What::kRecord;
    r.module = s[3];
    r.record_key_hex = lower(s[4]);
    r.height = height.value;
    if (auto v = r.validate(); !v) return error(400, "bad_request", v.rejection().detail);
    return run(follower, by_request(r, [r](std::uint64_t h) {
                 return "/v1/state/" + r.module + "/" + r.record_key_hex +
                        "?height=" + std::to_string(h);
               }));
  }
  return error(404, "unknown_path", "no API route " + t.path);
}

}  // namespace bauhinia::explorer::api_support
