#include "record_check.hpp"

#include "bauhinia/chain/light_client.hpp"
#include "bauhinia/chain/state_proof.hpp"
#include "bauhinia/core/bytes.hpp"

namespace bauhinia::explorer {

using json = nlohmann::json;

// A record of a query answer: its state proof against its certified header.
lightclient::Step<std::uint64_t> verify_record(lightclient::Session& s, const nlohmann::json& obj) {
  if (!obj.is_object()) return lightclient::malformed("a record is not an object");
  auto module = obj.find("module");
  if (module == obj.end() || !module->is_string()) {
    return lightclient::malformed("a record without module");
  }
  auto key = lightclient::hex_field(obj, "record_key_hex", chain::kMaxStateRecordKeySize);
  if (!key) return std::move(key).error();
  auto height = lightclient::u64_field(obj, "height");
  if (!height) return std::move(height).error();
  auto certified = obj.find("certified");
  if (certified == obj.end()) return lightclient::malformed("a record without certified");
  auto header = s.check_certified(*certified, *height);
  if (!header) return std::move(header).error();
  std::optional<core::Bytes> value;
  auto v = obj.find("value_hex");
  if (v == obj.end()) return lightclient::malformed("a record without value_hex");
  if (!v->is_null()) {
    auto bytes = lightclient::hex_field(obj, "value_hex", chain::kMaxStateValueSize);
    if (!bytes) return std::move(bytes).error();
    value = std::move(*bytes);
  }
  auto proof = lightclient::decode_field<chain::SparseMerkleProof>(obj, "proof_hex", 16 * 1024,
                                                                   "SparseMerkleProof");
  if (!proof) return std::move(proof).error();
  std::optional<core::ByteView> view;
  if (value) view = core::ByteView(*value);
  const std::string name = module->get<std::string>() + "/" + core::to_hex(*key);
  if (auto ok = chain::verify_state_record(header->header, module->get<std::string>(), *key, view,
                                           *proof);
      !ok) {
    return lightclient::forged("the state proof of record " + name + " at height " +
                               std::to_string(*height) +
                               " does not verify: " + ok.rejection().to_string());
  }
  return *height;
}

lightclient::Step<std::uint64_t> verify_query_answer(lightclient::Session& s, const json& answer) {
  auto height = verify_record(s, answer);
  if (!height) return std::move(height).error();
  if (auto records = answer.find("records"); records != answer.end()) {
    if (!records->is_array() || records->size() > 1000) {
      return lightclient::malformed("records is not an array of at most 1000");
    }
    for (const json& r : *records) {
      auto h = verify_record(s, r);
      if (!h) return std::move(h).error();
    }
  }
  return height;
}

}  // namespace bauhinia::explorer
