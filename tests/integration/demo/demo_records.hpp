#pragma once
// The demo consortium's sample registers (scripts/demo.py): real calls of the
// real modules, each signed by the key of the officer or party the law says
// acts — department admins grant roles and approve a governance proposal, the
// Companies Registry migrates and incorporates companies, the companies file
// their returns (some late), the Trade Marks Registry migrates, renews and
// assigns marks (the assignor co-signing), departments anchor documents;
// drug batches move through custody and one is recalled (demo_drugs.hpp).
//
// `bauhinia-testtx demo-records` prints one stage's signed transactions, one a
// line: "<id hex> <transaction hex> <department> <description>". Stages
// depend on the ones before having committed (a registrar acts only after its
// role is granted), so the demo submits a stage and waits for it.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace bauhinia::demo {

struct DemoOptions {
  std::filesystem::path keys;  // the demo's key folder (admins' keys from genesis)
  std::string chain_id;
  int stage = 0;                                   // 1..kStages; 0: print the demo's accounts
  std::map<std::string, std::uint64_t> sequences;  // key name -> next sequence
  std::uint64_t now_ms = 0;
  std::uint64_t ttl_ms = 30 * 60 * 1000;
  // When set, every private value the stage committed to without putting it
  // on chain (identity numbers, residential addresses, patients' names,
  // plaintext records) is appended here, one per line: the list the demo's
  // no-personal-data scan (bauhinia-ledger-scan) looks for in every database.
  std::filesystem::path private_out;
};

inline constexpr int kStages = 8;

// Runs one stage (or, for stage 0, creates the demo's missing keys and prints
// "<key name> <account id hex>" for each). 0 on success, else 1 with the
// reason on stderr.
int run_demo_records(const DemoOptions& options);

}  // namespace bauhinia::demo
