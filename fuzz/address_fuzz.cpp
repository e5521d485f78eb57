// Fuzzes address and Bech32 parsing with arbitrary strings. Whatever decodes
// must re-encode to the same string (in lower case): one address per account.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "bauhinia/core/address.hpp"
#include "bauhinia/core/assert.hpp"
#include "bauhinia/core/bech32.hpp"

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bauhinia::core;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  for (std::string_view prefix : {kMainnetAddressPrefix, kTestnetAddressPrefix}) {
    auto id = decode_address(prefix, text);
    if (id) {
      BAUHINIA_ASSERT_MSG(encode_address(prefix, *id) == lower(text), "address did not round-trip");
    }
  }

  auto decoded = bech32::decode(text);
  if (decoded) {
    BAUHINIA_ASSERT(decoded->hrp.size() + 1 + decoded->data.size() + bech32::kChecksumLength ==
                    size);
    BAUHINIA_ASSERT_MSG(
        bech32::encode(decoded->hrp, decoded->data, decoded->variant) == lower(text),
        "bech32 string did not round-trip");
    auto bytes = bech32::from_base32(decoded->data);
    if (bytes) BAUHINIA_ASSERT(bech32::to_base32(*bytes) == decoded->data);
  }
  return 0;
}
