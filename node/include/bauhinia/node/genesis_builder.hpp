#pragma once
// The genesis ceremony (`bauhinia-node genesis`): the coordinator collects every
// department's public descriptor (keygen_descriptor.hpp), checks them all, and
// builds the consortium's genesis.json — the validator set from the validator
// descriptors, the departments with their first admin keys. And `init
// --peer-descriptors`: a node's peers list from the same descriptors, checked
// against the genesis.
//
// The result does not depend on the order of the descriptors: validators are
// sorted by node name, departments by code. The same descriptors, chain id and
// timestamp give the same genesis.json and genesis id anywhere.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "bauhinia/core/hash.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/node/config.hpp"
#include "bauhinia/node/genesis.hpp"
#include "bauhinia/node/keygen_descriptor.hpp"

namespace bauhinia::node {

inline constexpr std::size_t kMaxCeremonyDescriptors = 256;  // = the config's peer limit
inline constexpr std::size_t kMaxGenesisValidators = 100;    // n = 3f + 1 up to 100
inline constexpr std::size_t kRecommendedMinValidators = 4;  // tolerates one faulty validator

// A descriptor and where it came from (a file name), for error messages.
struct SourcedDescriptor {
  std::string source;
  NodeDescriptor descriptor;
};

struct BuiltGenesis {
  Genesis genesis;
  std::vector<SourcedDescriptor> nodes;  // validators (genesis order), then observers by name
  std::vector<std::string> warnings;     // e.g. fewer than 4 validators
};

// Reads every file (at most kMaxCeremonyDescriptors); the first bad one is the error.
core::Checked<std::vector<SourcedDescriptor>> load_descriptors(
    const std::vector<std::filesystem::path>& paths);

// Checks the descriptors together and builds the genesis. Errors name the
// file(s) and the field: duplicate node keys, names, p2p addresses or admin
// keys; two validators of one department; a department without an admin key
// or with two different ones; two names for one department code; no or too
// many validators or departments; a bad chain id.
core::Checked<BuiltGenesis> build_genesis(const std::string& chain_id, std::uint64_t timestamp_ms,
                                          std::vector<SourcedDescriptor> descriptors);

// The id of the genesis block this genesis defines (the `genesis_id` of GET
// /v1/status on every node started from it), computed in memory.
core::Result<core::Hash256> genesis_block_id(const Genesis& genesis);

// Creates `path` with `text` (mode 0644); an existing file is an error.
core::Status write_new_file(const std::filesystem::path& path, const std::string& text);

// A node's peers: every descriptor but its own (`self`), each checked against
// the genesis (a validator descriptor's key and name must be in its validator
// set; an observer's key must not). Duplicate keys are errors.
core::Checked<std::vector<PeerAddress>> peers_from_descriptors(
    const Genesis& genesis, const core::ed25519::PublicKey& self,
    const std::vector<SourcedDescriptor>& descriptors);

// Is `descriptor` consistent with the genesis (role vs validator set)?
core::Verdict check_against_genesis(const Genesis& genesis, const NodeDescriptor& descriptor);

}  // namespace bauhinia::node
