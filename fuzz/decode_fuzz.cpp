// Fuzzes the canonical decoder. The first byte selects a type; the rest is the
// encoding. Canonical means decode∘encode is the identity: whatever decodes
// must re-encode to exactly the input bytes, and nothing may crash, leak or
// allocate beyond the input's size.

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "bauhinia/core/assert.hpp"
#include "fuzz_types.hpp"

namespace {

using bauhinia::core::ByteView;

template <class T>
void round_trip(ByteView in) {
  auto decoded = bauhinia::core::decode<T>(in);
  if (!decoded) {
    // A rejection always names its reason.
    BAUHINIA_ASSERT(!bauhinia::core::reject_name(decoded.error().reason).empty());
    return;
  }
  const bauhinia::core::Bytes again = bauhinia::core::encode(*decoded);
  BAUHINIA_ASSERT_MSG(
      again.size() == in.size() && std::equal(again.begin(), again.end(), in.begin()),
      "decode then encode changed the bytes: the encoding is not canonical");
  auto twice = bauhinia::core::decode<T>(again);
  BAUHINIA_ASSERT(twice && *twice == *decoded);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const ByteView in(data + 1, size - 1);
  switch (data[0] % 4) {
    case 0: round_trip<bauhinia::fuzz::TxLike>(in); break;
    case 1: round_trip<bauhinia::fuzz::Nested>(in); break;
    case 2: round_trip<bauhinia::fuzz::Op>(in); break;
    default: round_trip<bauhinia::core::AccountId>(in); break;
  }
  return 0;
}
