#pragma once
// `bauhinia-wallet health check-record`: a holder checks a health record they
// were handed (its bytes and salt) against a commitment, given or read from
// the ledger. The commitment is recomputed locally with the module's own
// contracts::health::record_commitment; the record and salt never leave the machine.

#include <cstddef>
#include <filesystem>

#include "bauhinia/contracts/health/records.hpp"
#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/status.hpp"
#include "bauhinia/wallet/context.hpp"

namespace bauhinia::wallet {

// The largest record file read (16 MiB: far above the 64 KiB payloads nodes
// keep, room for a scanned certificate; a bound on what is read into memory).
inline constexpr std::size_t kMaxRecordFileBytes = std::size_t{16} << 20;

// The bytes of a regular file of at most kMaxRecordFileBytes, or a rejection
// naming the file (missing, not a regular file, too large, unreadable).
core::Checked<core::Bytes> read_record_file(const std::filesystem::path& file);

// A salt: exactly 64 hex digits.
core::Checked<contracts::health::Salt> parse_salt(std::string_view hex);

}  // namespace bauhinia::wallet
