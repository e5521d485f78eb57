// Fuzzes the two files an operator hands the node: the TOML configuration
// (node::parse_config) and genesis.json (node::parse_genesis_json). Neither
// may crash, whatever the text; an accepted genesis must survive its own
// serialisation unchanged (what `bauhinia-node genesis` writes is what every
// node reads back).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bauhinia/core/assert.hpp"
#include "bauhinia/node/config.hpp"
#include "bauhinia/node/genesis.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  if (data[0] % 2 == 0) {
    auto config = bauhinia::node::parse_config(text, "/nonexistent-fuzz-home");
    if (!config) BAUHINIA_ASSERT(!config.error().to_string().empty());
    return 0;
  }
  auto genesis = bauhinia::node::parse_genesis_json(text);
  if (!genesis) return 0;
  const std::string json = bauhinia::node::genesis_to_json(*genesis);
  auto again = bauhinia::node::parse_genesis_json(json);
  BAUHINIA_ASSERT_MSG(again.has_value(), "a written genesis does not parse back");
  BAUHINIA_ASSERT_MSG(bauhinia::node::genesis_to_json(*again) == json,
                      "genesis serialisation is not stable");
  return 0;
}
