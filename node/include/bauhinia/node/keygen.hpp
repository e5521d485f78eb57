#pragma once
// `bauhinia-node keygen`: a department creates its node's keys on its own host
// and gets the public descriptor it sends to the consortium. In `home`:
//   node_key          Ed25519 node (and consensus) key, mode 0600 — secret
//   <CODE>-admin.key  the department's first admin account key (BIP-340), mode
//                     0600 — secret; only when the department has none yet
//   descriptor.json   the public descriptor (keygen_descriptor.hpp), mode 0644
// Existing keys are never overwritten: any of these files (or a config.toml)
// already in `home` is an error and nothing is written.

#include <filesystem>
#include <optional>
#include <string>

#include "bauhinia/core/status.hpp"
#include "bauhinia/node/keygen_descriptor.hpp"

namespace bauhinia::node {

enum class AdminKeyChoice : std::uint8_t {
  kCreate,     // create <CODE>-admin.key in home (the department has no admin key yet)
  kPublicKey,  // the department already has one: put its public key in the descriptor
  kNone,       // another node's descriptor of the department carries it
};

struct KeygenOptions {
  std::filesystem::path home;
  std::string department_code;
  std::string department_name;  // empty: the pilot department's name (genesis.hpp)
  Role role = Role::kValidator;
  std::string name;  // empty: the department code (validator) or "<CODE>-observer"
  std::string p2p = "127.0.0.1:26600";
  std::string api = "127.0.0.1:8600";
  std::uint64_t voting_power = 1;  // validators only
  AdminKeyChoice admin = AdminKeyChoice::kCreate;
  std::string admin_public_key_hex;  // with kPublicKey
};

struct KeygenResult {
  NodeDescriptor descriptor;
  std::filesystem::path node_key_file;
  std::optional<std::filesystem::path> admin_key_file;
  std::filesystem::path descriptor_file;
};

inline constexpr const char* kNodeKeyFileName = "node_key";
std::string admin_key_file_name(std::string_view department_code);

// Checks every option before touching the disk (invalid_argument naming the
// option); on a write failure, removes what this call created.
core::Result<KeygenResult> generate_node_keys(const KeygenOptions& options);

}  // namespace bauhinia::node
