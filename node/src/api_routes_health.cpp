// The health payload routes (docs/api/README.md, "Health payloads"):
//   POST /v1/health/payloads                   an issuer uploads a record's payload
//   POST /v1/health/payloads/{record}/release  a provider gets it under a committed access
// JSON in and out; the rules are HealthPayloads' (health_payloads.hpp). A node
// configured without a payload store answers 404 no_payload.

#include <string>

#include "api_json.hpp"
#include "api_routes.hpp"
#include "bauhinia/contracts/health/records.hpp"
#include "bauhinia/node/health_payloads.hpp"

namespace bauhinia::node::api_routes {

namespace {

// A JSON object body, or the 400 to send.
Answer<json> object_body(const ApiRequest& request) {
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return api_error(400, "bad_request", "the body must be a JSON object");
  }
  return body;
}

// Field `name` as bytes from hex: exactly `size` bytes, or at most `max` when
// size is 0.
Answer<core::Bytes> hex_field(const json& body, const char* name, std::size_t size,
                              std::size_t max = 0) {
  const auto it = body.find(name);
  if (it == body.end() || !it->is_string()) {
    return api_error(400, "bad_request", std::string(name) + " (a hex string) is required");
  }
  const std::string& text = it->get_ref<const std::string&>();
  if ((size != 0 && text.size() != 2 * size) || (size == 0 && text.size() > 2 * max)) {
    return api_error(size == 0 ? 413 : 400, size == 0 ? "payload_too_large" : "bad_request",
                     std::string(name) + ": " +
                         (size != 0 ? std::to_string(size) + " bytes in hex expected"
                                    : "at most " + std::to_string(max) + " bytes"));
  }
  auto bytes = core::from_hex(text);
  if (!bytes) return api_error(400, "bad_request", std::string(name) + " is not hex");
  return std::move(*bytes);
}

template <class T>
Answer<T> fixed_field(const json& body, const char* name) {
  auto b = hex_field(body, name, sizeof(T{}.bytes));
  if (!b) return b.error();
  T out;
  std::copy(b->begin(), b->end(), out.bytes.begin());
  return out;
}

Answer<core::Hash256> hash_field(const json& body, const char* name) {
  auto b = hex_field(body, name, 32);
  if (!b) return b.error();
  return core::Hash256::from_bytes(*b).value();
}

Answer<std::uint64_t> u64_field(const json& body, const char* name) {
  const auto it = body.find(name);
  if (it == body.end() || !it->is_number_unsigned()) {
    return api_error(400, "bad_request", std::string(name) + " (an unsigned integer) is required");
  }
  return it->get<std::uint64_t>();
}

ApiResponse refused(const PayloadRefusal& r) {
  return api_error(r.status, r.code, r.message);
}

ApiResponse post_upload(const Context& ctx, HealthPayloads& service) {
  auto body = object_body(ctx.request);
  if (!body) return body.error();
  PayloadUpload up;
  auto record = hash_field(*body, "record_id");
  if (!record) return record.error();
  up.record_id = *record;
  auto issuer = fixed_field<core::AccountId>(*body, "issuer");
  if (!issuer) return issuer.error();
  up.issuer = *issuer;
  auto ts = u64_field(*body, "timestamp_ms");
  if (!ts) return ts.error();
  up.timestamp_ms = *ts;
  auto sig = fixed_field<core::schnorr::Signature>(*body, "signature");
  if (!sig) return sig.error();
  up.signature = *sig;
  auto salt = hex_field(*body, "salt", 32);
  if (!salt) return salt.error();
  std::copy(salt->begin(), salt->end(), up.payload.salt.begin());
  auto payload = hex_field(*body, "payload_hex", 0, service.limits().max_payload_bytes);
  if (!payload) return payload.error();
  up.payload.record = std::move(*payload);
  auto r = service.upload(up);
  if (!r) return refused(r.error());
  return json_response(r->stored ? 201 : 200,
                       json{{"record_id", up.record_id.to_hex()},
                            {"stored", r->stored},
                            {"payload_sha256", core::sha256(up.payload.record).to_hex()}});
}

ApiResponse post_release(const Context& ctx, HealthPayloads& service, std::string_view record) {
  auto id = core::Hash256::from_hex(record);
  if (!id) return api_error(400, "bad_request", "the record id is 64 hex digits");
  auto body = object_body(ctx.request);
  if (!body) return body.error();
  PayloadRelease rel;
  rel.record_id = *id;
  auto access = hash_field(*body, "access_id");
  if (!access) return access.error();
  rel.access_id = *access;
  auto provider = fixed_field<core::AccountId>(*body, "provider");
  if (!provider) return provider.error();
  rel.provider = *provider;
  auto ts = u64_field(*body, "timestamp_ms");
  if (!ts) return ts.error();
  rel.timestamp_ms = *ts;
  auto sig = fixed_field<core::schnorr::Signature>(*body, "signature");
  if (!sig) return sig.error();
  rel.signature = *sig;
  auto r = service.release(rel);
  if (!r) return refused(r.error());
  const auto& a = r->access;
  return json_response(
      200, json{{"record_id", rel.record_id.to_hex()},
                {"access_id", a.id.to_hex()},
                {"consent_id", a.consent_id.to_hex()},
                {"record_type", std::string(contracts::health::record_type_name(a.record_type))},
                {"accessed_ms", a.accessed_ms},
                {"at_height", r->height},
                {"salt", api_json::hex(r->payload.salt)},
                {"payload_hex", api_json::hex(r->payload.record)}});
}

}  // namespace

ApiResponse health(const Context& ctx) {
  const auto& s = ctx.target.segments;
  const bool upload = s.size() == 3 && s[2] == "payloads";
  const bool release = s.size() == 5 && s[2] == "payloads" && !s[3].empty() && s[4] == "release";
  if (!upload && !release) {
    return api_error(404, "unknown_path",
                     "health routes: POST /v1/health/payloads, "
                     "POST /v1/health/payloads/{record}/release");
  }
  if (ctx.request.method != "POST") {
    ApiResponse r = api_error(405, "method_not_allowed", "this route accepts only POST");
    r.headers.emplace_back("Allow", "POST");
    return r;
  }
  auto q = query_of(ctx, {});
  if (!q) return q.error();
  HealthPayloads* service = ctx.backend.health_payloads();
  if (service == nullptr) {
    return api_error(404, "no_payload", "this node holds no health payloads");
  }
  return upload ? post_upload(ctx, *service) : post_release(ctx, *service, s[3]);
}

}  // namespace bauhinia::node::api_routes
