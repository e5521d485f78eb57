#pragma once
// A node descriptor (descriptor.json): the PUBLIC facts about one node that its
// department sends to the consortium for the genesis ceremony — department,
// role, node and consensus public keys, voting power, peer-to-peer address
// and the department admin's public key. `bauhinia-node keygen` writes it,
// `bauhinia-node genesis` and `init --peer-descriptors` read it
// (docs/operator-guide.md, "Forming a consortium"). Nothing secret is in it.
//
// Format (JSON object, at most kMaxDescriptorBytes, unknown members are errors):
//   {"format": "bauhinia-node-descriptor/1",
//    "department_code": "IPD", "department_name": "Intellectual Property Department",
//    "name": "IPD", "role": "validator" | "observer",
//    "node_key": "<64 hex, Ed25519>", "consensus_key": "<64 hex, Ed25519>",
//    "voting_power": 1 (validator: 1..2^40; observer: 0),
//    "p2p": "IP:port", "api": "IP:port" (informative),
//    "admin_key": "<64 hex, BIP-340 x-only>" | null}

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/core/schnorr.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/node/config.hpp"

namespace bauhinia::node {

inline constexpr std::string_view kDescriptorFormat = "bauhinia-node-descriptor/1";
inline constexpr std::size_t kMaxDescriptorBytes = 64 * 1024;
inline constexpr std::size_t kMaxNodeNameLength = 64;
inline constexpr std::size_t kMaxDepartmentNameLength = 128;
inline constexpr const char* kDescriptorFileName = "descriptor.json";

struct NodeDescriptor {
  std::string department_code;  // 2..16 upper-case letters
  std::string department_name;  // 1..128 bytes
  std::string name;             // 1..64 of [A-Za-z0-9._-]
  Role role = Role::kValidator;
  core::ed25519::PublicKey node_key;
  // Signs votes and proposals. This version signs them with the node key, so
  // the two must be equal; the field keeps the format ready for separate keys.
  core::ed25519::PublicKey consensus_key;
  std::uint64_t voting_power = 1;  // validator 1..chain::kMaxVotingPower, observer 0
  Endpoint p2p;
  std::optional<Endpoint> api;
  // The department's first admin account; absent when another descriptor of
  // the same department carries it.
  std::optional<core::schnorr::PublicKey> admin_key;

  // Field checks; the error names the field.
  core::Verdict validate() const;
};

bool valid_department_code(std::string_view code);
bool valid_node_name(std::string_view name);
std::string_view descriptor_role(Role role);

std::string descriptor_to_json(const NodeDescriptor& d);
core::Checked<NodeDescriptor> parse_descriptor_json(std::string_view json_text);
// Reads and parses `path`; errors start with the path.
core::Checked<NodeDescriptor> load_descriptor(const std::filesystem::path& path);

}  // namespace bauhinia::node
