#pragma once
// Secret key files: one line of hex, mode 0600, owned by the operator. Reading
// refuses a file that others can read or write, so a leaked permission is an
// error at start-up, not a silent exposure.

#include <filesystem>

#include "bauhinia/core/ed25519.hpp"
#include "bauhinia/core/schnorr.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::node {

// Writes the file with mode 0600 (created exclusively: an existing file is an error).
core::Status write_ed25519_key(const std::filesystem::path& path,
                               const core::ed25519::SecretKey& key);
core::Status write_schnorr_key(const std::filesystem::path& path,
                               const core::schnorr::SecretKey& key);

core::Result<core::ed25519::SecretKey> read_ed25519_key(const std::filesystem::path& path);
core::Result<core::schnorr::SecretKey> read_schnorr_key(const std::filesystem::path& path);

}  // namespace bauhinia::node
