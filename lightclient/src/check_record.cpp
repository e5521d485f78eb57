// verify record: a record's value, or its absence, at a certified height.

#include <algorithm>

#include "checks.hpp"

namespace bauhinia::lightclient {

Step<Proven> check_record(Session& s, const Request& r) {
  auto key = core::from_hex(r.record_key_hex);
  if (!key) return malformed("record key: " + key.error().detail);  // validated before
  std::uint64_t height = 0;
  if (r.height) {
    height = *r.height;
  } else {
    auto latest = s.latest();
    if (!latest) return std::move(latest).error();
    height = latest->header.height;
  }
  auto record = s.record_at(r.module, *key, height);
  if (!record) return std::move(record).error();
  auto header = s.header_at(height);  // cached by record_at
  if (!header) return std::move(header).error();
  Proven out;
  out.against = *header;
  const std::string name = r.module + "/" + r.record_key_hex;
  if (record->value) {
    out.summary = "Proven: record " + name + " holds " + record->describe() +
                  " under the state root certified at " + header->describe() + ".";
    // The first 256 bytes (the whole value: GET /v1/state/... or --json of `record`).
    constexpr std::size_t kShown = 256;
    const core::ByteView shown(record->value->data(), std::min(record->value->size(), kShown));
    out.details.push_back("value: " + core::to_hex(shown) +
                          (record->value->size() > kShown ? "..." : ""));
  } else {
    out.summary = "Proven: record " + name + " does not exist under the state root certified at " +
                  header->describe() + ".";
  }
  return out;
}

}  // namespace bauhinia::lightclient
