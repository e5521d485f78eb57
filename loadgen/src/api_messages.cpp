#include "bauhinia/loadgen/api_messages.hpp"

#include <algorithm>
#include <utility>

#include <nlohmann/json.hpp>

namespace bauhinia::loadgen {

namespace {

using json = nlohmann::json;
using core::Reject;

core::Checked<json> parse_object(std::string_view body) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return core::reject(Reject::kBadEncoding, "response is not JSON");
  if (!doc.is_object()) return core::reject(Reject::kInvalid, "response is not a JSON object");
  return doc;
}

core::Checked<std::uint64_t> u64_field(const json& obj, const char* name) {
  const auto it = obj.find(name);
  if (it == obj.end() || !it->is_number_unsigned()) {
    return core::reject(Reject::kInvalid, std::string("field ") + name + " (unsigned) missing");
  }
  return it->get<std::uint64_t>();
}

core::Checked<std::string> string_field(const json& obj, const char* name) {
  const auto it = obj.find(name);
  if (it == obj.end() || !it->is_string()) {
    return core::reject(Reject::kInvalid, std::string("field ") + name + " (string) missing");
  }
  return it->get<std::string>();
}

core::Checked<core::Hash256> hash_of_json(const json& value, const char* what) {
  if (!value.is_string()) {
    return core::reject(Reject::kInvalid, std::string(what) + " is not a hex string");
  }
  return core::Hash256::from_hex(value.get_ref<const std::string&>());
}

// The API's error code of an error answer ({"error": {"code": ...}}), or
// "http_<status>" when it has none. Codes are short identifiers; a long or
// odd one is not trusted as a key.
std::string reason_of(unsigned http_status, const json& doc) {
  if (doc.is_object()) {
    const auto error = doc.find("error");
    if (error != doc.end() && error->is_object()) {
      const auto code = error->find("code");
      if (code != error->end() && code->is_string()) {
        const auto& text = code->get_ref<const std::string&>();
        bool plain = !text.empty() && text.size() <= 64;
        for (char c : text) {
          plain = plain && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
        }
        if (plain) return text;
      }
    }
  }
  return "http_" + std::to_string(http_status);
}

}  // namespace

core::Checked<NodeStatusInfo> parse_status(std::string_view body) {
  auto doc = parse_object(body);
  if (!doc) return std::move(doc).error();
  NodeStatusInfo out;
  auto chain_id = string_field(*doc, "chain_id");
  if (!chain_id) return std::move(chain_id).error();
  auto height = u64_field(*doc, "height");
  if (!height) return std::move(height).error();
  out.chain_id = std::move(chain_id).value();
  out.height = *height;
  if (auto name = string_field(*doc, "node_name")) out.node_name = std::move(name).value();
  if (auto round = u64_field(*doc, "round")) out.round = *round;
  return out;
}

core::Checked<BlockPage> parse_block(std::string_view body) {
  auto doc = parse_object(body);
  if (!doc) return std::move(doc).error();
  BlockPage out;
  for (auto [field, name] :
       {std::pair{&out.height, "height"}, std::pair{&out.first_index, "first_index"},
        std::pair{&out.transaction_count, "transaction_count"}}) {
    auto v = u64_field(*doc, name);
    if (!v) return std::move(v).error();
    *field = *v;
  }
  const auto ids = doc->find("transaction_ids");
  if (ids == doc->end() || !ids->is_array()) {
    return core::reject(Reject::kInvalid, "field transaction_ids (array) missing");
  }
  if (ids->size() > kMaxIdsPerPage || ids->size() > out.transaction_count) {
    return core::reject(Reject::kTooLarge, "transaction_ids lists " + std::to_string(ids->size()) +
                                               " ids for " + std::to_string(out.transaction_count) +
                                               " transactions");
  }
  out.ids.reserve(ids->size());
  for (const json& v : *ids) {
    auto id = hash_of_json(v, "a transaction id");
    if (!id) return std::move(id).error();
    out.ids.push_back(*id);
  }
  const auto truncated = doc->find("transaction_ids_truncated");
  out.truncated = truncated != doc->end() && truncated->is_boolean() && truncated->get<bool>();
  if (!out.truncated && out.ids.size() != out.transaction_count) {
    return core::reject(Reject::kInvalid, "block lists " + std::to_string(out.ids.size()) + " of " +
                                              std::to_string(out.transaction_count) +
                                              " transaction ids without saying it is truncated");
  }
  return out;
}

core::Checked<LeavesPage> parse_leaves(std::string_view body) {
  auto doc = parse_object(body);
  if (!doc) return std::move(doc).error();
  LeavesPage out;
  auto from = u64_field(*doc, "from");
  if (!from) return std::move(from).error();
  out.from = *from;
  const auto leaves = doc->find("leaves");
  if (leaves == doc->end() || !leaves->is_array()) {
    return core::reject(Reject::kInvalid, "field leaves (array) missing");
  }
  if (leaves->size() > kMaxIdsPerPage) {
    return core::reject(Reject::kTooLarge, "too many leaves in one page");
  }
  out.ids.reserve(leaves->size());
  for (const json& leaf : *leaves) {
    if (!leaf.is_object()) return core::reject(Reject::kInvalid, "a leaf is not an object");
    const auto id = leaf.find("transaction_id");
    if (id == leaf.end()) return core::reject(Reject::kInvalid, "a leaf has no transaction_id");
    auto hash = hash_of_json(*id, "a leaf's transaction_id");
    if (!hash) return std::move(hash).error();
    out.ids.push_back(*hash);
  }
  return out;
}

std::optional<std::uint32_t> parse_retry_after(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty() || value.size() > 10) return std::nullopt;
  std::uint64_t s = 0;
  for (char c : value) {
    if (c < '0' || c > '9') return std::nullopt;
    s = s * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(s, kMaxRetryAfterS));
}

SubmitOutcome classify_submit_response(unsigned http_status, std::string_view body) {
  SubmitOutcome out;
  if (http_status == 200 || http_status == 202) {
    out.kind = SubmitKind::kAccepted;
    return out;
  }
  out.kind =
      (http_status == 429 || http_status == 503) ? SubmitKind::kRetry : SubmitKind::kRejected;
  const json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  out.reason = reason_of(http_status, doc);
  return out;
}

std::string encode_batch_frames(const std::vector<const core::Bytes*>& transactions) {
  std::size_t size = 0;
  for (const core::Bytes* tx : transactions) size += 4 + tx->size();
  std::string out;
  out.reserve(size);
  for (const core::Bytes* tx : transactions) {
    const auto n = static_cast<std::uint32_t>(tx->size());
    for (int shift = 24; shift >= 0; shift -= 8)
      out.push_back(static_cast<char>((n >> shift) & 0xFF));
    out.append(tx->begin(), tx->end());
  }
  return out;
}

core::Checked<std::vector<BatchVerdict>> parse_batch_answer(
    unsigned http_status, std::string_view body, const std::vector<core::Hash256>& ids,
    std::optional<std::uint32_t> retry_after_header) {
  std::vector<BatchVerdict> out;
  if (http_status != 200) {
    BatchVerdict whole;
    whole.http_status = http_status;
    whole.outcome = classify_submit_response(http_status, body);
    whole.retry_after_s = retry_after_header;
    out.assign(ids.size(), whole);
    return out;
  }
  auto doc = parse_object(body);
  if (!doc) return std::move(doc).error();
  const auto results = doc->find("results");
  if (results == doc->end() || !results->is_array()) {
    return core::reject(Reject::kInvalid, "field results (array) missing");
  }
  if (results->size() != ids.size()) {
    return core::reject(Reject::kInvalid, "the batch answer has " +
                                              std::to_string(results->size()) + " results for " +
                                              std::to_string(ids.size()) + " transactions");
  }
  out.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const json& result = (*results)[i];
    const std::string where = "result " + std::to_string(i);
    if (!result.is_object()) return core::reject(Reject::kInvalid, where + " is not an object");
    auto position = u64_field(result, "position");
    auto status = u64_field(result, "http_status");
    if (!position || !status || *position != i || *status < 100 || *status > 599) {
      return core::reject(Reject::kInvalid, where + ": position or http_status missing or wrong");
    }
    const auto id = result.find("id");
    if (id == result.end()) return core::reject(Reject::kInvalid, where + " has no id");
    auto hash = hash_of_json(*id, "a result's id");
    if (!hash) return std::move(hash).error();
    if (*hash != ids[i]) {
      return core::reject(Reject::kInvalid, where + " is about another transaction");
    }
    BatchVerdict v;
    v.http_status = static_cast<unsigned>(*status);
    if (v.http_status == 200 || v.http_status == 202) {
      v.outcome.kind = SubmitKind::kAccepted;
    } else {
      v.outcome.kind = (v.http_status == 429 || v.http_status == 503) ? SubmitKind::kRetry
                                                                      : SubmitKind::kRejected;
      v.outcome.reason = reason_of(v.http_status, result);
      if (auto after = u64_field(result, "retry_after_s")) {
        v.retry_after_s =
            static_cast<std::uint32_t>(std::min<std::uint64_t>(*after, kMaxRetryAfterS));
      }
    }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace bauhinia::loadgen
