#pragma once
// What the light client trusts, derived from the consortium's genesis file
// alone (genesis.json, the format of node/genesis.hpp): the chain id, the
// genesis validator set (epoch 0) and the genesis block. The genesis header is
// rebuilt exactly as the ledger builds it (ledger::genesis_header): the
// initial records come from contracts::genesis_records over the file's
// departments, parameters and roles, and their state root is computed here
// (docs/formats/state-tree.md section 3), so its id is the id every node
// given the same file has.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/chain/validator_set.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::lightclient {

// The node refuses genesis files over 4 MiB; so does the wallet.
inline constexpr std::size_t kMaxGenesisFileBytes = 4U << 20;

struct Trust {
  std::string chain_id;
  chain::ValidatorSet genesis_validators;  // epoch 0
  chain::BlockHeader genesis_header;       // height 0, trusted by its id
  core::Hash256 genesis_id;                // genesis_header.id()
};

// The trust anchor of a genesis.json text; a rejection names the field at
// fault (malformed JSON, a missing or mistyped field, an invalid validator
// set, a parameter or role the modules refuse).
core::Checked<Trust> trust_from_genesis_json(std::string_view json_text);

// The same from a file (at most kMaxGenesisFileBytes).
core::Checked<Trust> load_trust(const std::filesystem::path& genesis_file);

// The state root of a set of records given as (state key, value hash) pairs
// with distinct keys, in any order (state-tree.md section 3: root(S, 0)).
core::Hash256 state_root_of(std::vector<std::pair<core::Hash256, core::Hash256>> records);

}  // namespace bauhinia::lightclient
