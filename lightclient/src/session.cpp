#include "bauhinia/lightclient/session.hpp"

#include <algorithm>

#include "bauhinia/chain/certificate.hpp"
#include "bauhinia/chain/epoch_proof.hpp"
#include "bauhinia/chain/light_client.hpp"
#include "bauhinia/chain/state_proof.hpp"
#include "bauhinia/lightclient/verifier.hpp"

namespace bauhinia::lightclient {

namespace {

// At most this much of a node's error message is quoted.
constexpr std::size_t kMaxQuoted = 300;

std::string quoted(std::string text) {
  if (text.size() > kMaxQuoted) text = text.substr(0, kMaxQuoted) + "...";
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return text;
}

// "404 unknown_transaction: transaction ... is unknown", from an API error body.
std::string error_of(const NodeAnswer& answer) {
  std::string out = std::to_string(answer.status);
  const json doc = json::parse(answer.body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_object() && doc.contains("error") && doc["error"].is_object()) {
    const json& e = doc["error"];
    if (e.contains("code") && e["code"].is_string())
      out += " " + quoted(e["code"].get<std::string>());
    if (e.contains("message") && e["message"].is_string()) {
      out += ": " + quoted(e["message"].get<std::string>());
    }
  }
  return out;
}

}  // namespace

std::string short_hash(const core::Hash256& h) {
  return h.to_hex().substr(0, 16) + "...";
}

std::string describe_value_hash(const std::optional<core::Hash256>& h) {
  return h ? "value hash " + short_hash(*h) : std::string("absent");
}

std::string ProvenHeader::describe() const {
  if (header.height == 0) {
    return "height 0 (the genesis block, trusted by its id from the genesis file)";
  }
  std::string out =
      "height " + std::to_string(header.height) + " (epoch " + std::to_string(header.epoch) + ", ";
  if (certified_height != header.height) {
    out += "through its descendants to block " + std::to_string(certified_height) + ", ";
  }
  out += "certified by " + std::to_string(signers.size()) + " of " + std::to_string(set_size) +
         " validators:";
  for (std::size_t i = 0; i < signers.size(); ++i) out += (i ? ", " : " ") + signers[i];
  return out + ")";
}

std::optional<core::Hash256> ProvenRecord::value_hash() const {
  if (!value) return std::nullopt;
  return chain::state_value_hash(*value);
}

std::string ProvenRecord::describe() const {
  if (!value) return "absent";
  return "a value of " + std::to_string(value->size()) + " bytes (" +
         describe_value_hash(value_hash()) + ")";
}

Step<core::Bytes> hex_field(const json& obj, const char* name, std::size_t max_bytes) {
  auto it = obj.find(name);
  if (it == obj.end() || !it->is_string()) return malformed(std::string(name) + " is not a string");
  const auto& text = it->get_ref<const std::string&>();
  if (text.size() > 2 * max_bytes) {
    return forged(std::string(name) + " is longer than " + std::to_string(max_bytes) + " bytes");
  }
  auto bytes = core::from_hex(text);
  if (!bytes) return malformed(std::string(name) + " is not hex: " + bytes.error().detail);
  return std::move(bytes).value();
}

Step<std::uint64_t> u64_field(const json& obj, const char* name) {
  auto it = obj.find(name);
  if (it == obj.end() || !it->is_number_unsigned()) {
    return malformed(std::string(name) + " is not a non-negative integer");
  }
  return it->get<std::uint64_t>();
}

Step<json> Session::get(const std::string& target) {
  auto answer = fetch_(target);
  if (!answer) {
    const FetchError& e = answer.error();
    if (e.missing_from_file) return Failure{Failure::Kind::kMissing, e.message};
    return Failure{Failure::Kind::kUnavailable, "GET " + target + ": " + e.message};
  }
  // 5xx, and 429 (busy: retry later), are the node's failure, not a refusal.
  if (answer->status >= 500 || answer->status < 200 || answer->status == 429) {
    return Failure{Failure::Kind::kUnavailable, "GET " + target + " failed: " + error_of(*answer)};
  }
  if (answer->status != 200) {
    return Failure{Failure::Kind::kRefused, "GET " + target + ": " + error_of(*answer)};
  }
  if (answer->body.size() > kMaxAnswerBytes) {
    return malformed("GET " + target + ": an answer over " + std::to_string(kMaxAnswerBytes >> 20) +
                     " MiB");
  }
  json doc = json::parse(answer->body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return malformed("GET " + target + ": the answer is not a JSON object");
  }
  return doc;
}

Step<bool> Session::follow_epochs() {
  std::uint64_t epoch = sets_.rbegin()->first;
  for (;;) {
    const std::string target = "/v1/epochs/proof?from=" + std::to_string(epoch);
    auto answer = get(target);
    if (!answer) return std::move(answer).error();
    auto proof =
        decode_field<chain::EpochChangeProof>(*answer, "proof_hex", 4U << 20, "EpochChangeProof");
    if (!proof) return std::move(proof).error();
    for (const chain::EpochChange& change : proof->changes) {
      chain::EpochChangeProof one;
      one.changes.push_back(change);
      auto next = chain::verify_epoch_changes(sets_.at(epoch), one, trust_.chain_id);
      if (!next) {
        return forged("the epoch change from epoch " + std::to_string(epoch) + " to " +
                      std::to_string(epoch + 1) + " does not verify: " + next.error().to_string());
      }
      ++epoch;
      sets_.insert_or_assign(epoch, std::move(*next));
    }
    auto more = answer->find("more");
    if (more == answer->end() || !more->is_boolean())
      return malformed(target + ": more is not a boolean");
    if (!more->get<bool>()) return true;
    if (proof->changes.empty()) {
      return inconsistent("its epoch change proof from epoch " + std::to_string(epoch) +
                          " says more epochs follow but holds no change");
    }
    if (epoch >= kMaxEpochs) {
      return Failure{Failure::Kind::kTooMuch,
                     "more than " + std::to_string(kMaxEpochs) + " epochs to follow"};
    }
  }
}

Step<ProvenHeader> Session::check_certified(const json& certified, std::uint64_t height) {
  if (!certified.is_object()) return malformed("certified is not an object");
  auto header = decode_field<chain::BlockHeader>(certified, "header_hex", 1024, "BlockHeader");
  if (!header) return std::move(header).error();
  if (header->height != height) {
    return inconsistent("it served the header of height " + std::to_string(header->height) +
                        " for height " + std::to_string(height));
  }
  ProvenHeader proven;
  proven.header = *header;
  if (height == 0) {
    if (header->id() != trust_.genesis_id) {
      return forged("the header it served for height 0 (id " + header->id().to_hex() +
                    ") is not the genesis block of the genesis file (id " +
                    trust_.genesis_id.to_hex() + ")");
    }
    return proven;
  }
  chain::CertifiedHeader c;
  c.header = *header;
  auto descendants = certified.find("descendant_headers_hex");
  if (descendants == certified.end() || !descendants->is_array()) {
    return malformed("certified.descendant_headers_hex is not an array");
  }
  if (descendants->size() > chain::kMaxCertifiedDescendants) {
    return forged("more than " + std::to_string(chain::kMaxCertifiedDescendants) +
                  " descendant headers");
  }
  for (const json& d : *descendants) {
    auto child = decode_field<chain::BlockHeader>(json{{"header_hex", d}}, "header_hex", 1024,
                                                  "BlockHeader");
    if (!child) return std::move(child).error();
    c.descendants.push_back(std::move(*child));
  }
  auto qc = decode_field<chain::QuorumCertificate>(certified, "commit_certificate_hex", 64 * 1024,
                                                   "QuorumCertificate");
  if (!qc) return std::move(qc).error();
  c.commit_certificate = std::move(*qc);
  const std::uint64_t epoch = c.certified().epoch;
  auto set = sets_.find(epoch);
  if (set == sets_.end()) {
    return inconsistent("the header of height " + std::to_string(height) +
                        " is certified in epoch " + std::to_string(epoch) +
                        ", but its epoch change proofs reach only epoch " +
                        std::to_string(sets_.rbegin()->first));
  }
  if (auto v = chain::verify_certified_header(c, set->second, trust_.chain_id); !v) {
    return forged("the commit certificate of the header at height " + std::to_string(height) +
                  " does not verify: " + v.rejection().to_string());
  }
  proven.certified_height = c.certified().height;
  proven.set_size = set->second.validators.size();
  for (std::size_t i : c.commit_certificate.signer_indices()) {
    proven.signers.push_back(set->second.validators[i].name);
  }
  return proven;
}

Step<bool> Session::check_chain_claims(const json& ledger_info) const {
  // The node's own claims, checked only to say early that the genesis file
  // and the node disagree (the certificates would fail anyway).
  auto chain_id = ledger_info.find("chain_id");
  if (chain_id != ledger_info.end() && chain_id->is_string() &&
      chain_id->get<std::string>() != trust_.chain_id) {
    return Failure{Failure::Kind::kOtherChain, "chain '" + quoted(chain_id->get<std::string>()) +
                                                   "', not the genesis file's chain '" +
                                                   trust_.chain_id + "'"};
  }
  auto genesis_id = ledger_info.find("genesis_id");
  if (genesis_id != ledger_info.end() && genesis_id->is_string() &&
      genesis_id->get<std::string>() != trust_.genesis_id.to_hex()) {
    return Failure{Failure::Kind::kOtherChain,
                   "the chain whose genesis id is " + quoted(genesis_id->get<std::string>()) +
                       ", not the genesis file's " + trust_.genesis_id.to_hex()};
  }
  return true;
}

std::optional<Failure> Session::probe_other_chain() {
  auto answer = get("/v1/ledger-info");
  if (!answer) return std::nullopt;
  auto claims = check_chain_claims(*answer);
  if (claims) return std::nullopt;
  return std::move(claims).error();
}

Step<ProvenHeader> Session::latest() {
  auto answer = get("/v1/ledger-info");
  if (!answer) return std::move(answer).error();
  if (auto other = check_chain_claims(*answer); !other) return std::move(other).error();
  auto certified = answer->find("certified");
  if (certified == answer->end() || !certified->is_object()) {
    return malformed("/v1/ledger-info: certified is not an object");
  }
  auto height = u64_field(*certified, "height");
  if (!height) return std::move(height).error();
  auto proven = check_certified(*certified, *height);
  if (!proven) return std::move(proven).error();
  headers_.insert_or_assign(*height, *proven);
  return proven;
}

Step<ProvenHeader> Session::header_at(std::uint64_t height) {
  if (auto it = headers_.find(height); it != headers_.end()) return it->second;
  auto answer = get("/v1/blocks/" + std::to_string(height));
  if (!answer) return std::move(answer).error();
  auto proven = check_certified(*answer, height);
  if (!proven) return std::move(proven).error();
  headers_.insert_or_assign(height, *proven);
  return proven;
}

Step<ProvenRecord> Session::record_at(std::string_view module, const core::Bytes& record_key,
                                      std::uint64_t height) {
  const std::string name = std::string(module) + "/" + core::to_hex(record_key);
  const std::string cache_key = name + "@" + std::to_string(height);
  if (auto it = records_.find(cache_key); it != records_.end()) return it->second;
  auto answer = get("/v1/state/" + name + "?height=" + std::to_string(height));
  if (!answer) return std::move(answer).error();
  auto certified = answer->find("certified");
  if (certified == answer->end()) return malformed("the record's answer has no certified header");
  auto header = check_certified(*certified, height);
  if (!header) return std::move(header).error();
  headers_.insert_or_assign(height, *header);

  ProvenRecord record;
  record.height = height;
  auto value = answer->find("value_hex");
  if (value == answer->end()) return malformed("the record's answer has no value_hex");
  if (!value->is_null()) {
    auto bytes = hex_field(*answer, "value_hex", chain::kMaxStateValueSize);
    if (!bytes) return std::move(bytes).error();
    record.value = std::move(*bytes);
  }
  auto proof =
      decode_field<chain::SparseMerkleProof>(*answer, "proof_hex", 16 * 1024, "SparseMerkleProof");
  if (!proof) return std::move(proof).error();
  std::optional<core::ByteView> view;
  if (record.value) view = core::ByteView(*record.value);
  if (auto v = chain::verify_state_record(header->header, module, record_key, view, *proof); !v) {
    return forged("the state proof of record " + name + " (" +
                  (record.value ? "a value" : "its absence") + ") at height " +
                  std::to_string(height) + " does not verify: " + v.rejection().to_string());
  }
  records_.insert_or_assign(cache_key, record);
  return record;
}

}  // namespace bauhinia::lightclient
