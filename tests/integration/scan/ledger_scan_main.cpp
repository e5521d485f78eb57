// bauhinia-ledger-scan: the no-personal-data check (issue 11, docs/contracts/health.md).
// Reads EVERY entry (key and value) of the LevelDB databases given — a stopped
// node's ledger (blocks, transactions, certificates, state values, histories,
// indexes), its consensus store, its off-chain payload stores — and reports
// every occurrence of a forbidden string: the demo's sample identity numbers,
// patients' names and plaintext records, listed one per line (UTF-8) in the
// file the demo writes. Exit 0: nothing found; 1: found (each hit named by
// database, column byte and key); 2: bad input or a database that cannot be
// read. `--expect S` names a string that MUST be found (a public value the
// chain holds): the positive control that shows the scan reads the decoded
// contents and not, say, compressed tables.
#include <leveldb/db.h>
#include <leveldb/iterator.h>
#include <leveldb/options.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::size_t kMaxNeedles = 10000;
constexpr std::size_t kMaxNeedleBytes = 4096;
constexpr std::size_t kMinNeedleBytes = 4;  // shorter strings match by chance

struct Hit {
  std::string db;
  std::string where;
};

std::string hex_prefix(std::string_view s, std::size_t max) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < s.size() && i < max; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  if (s.size() > max) out += "...";
  return out;
}

bool read_needles(const std::string& path, std::vector<std::string>& out, std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = path + ": cannot be read";
    return false;
  }
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    if (line.size() < kMinNeedleBytes || line.size() > kMaxNeedleBytes) {
      error = path + ": '" + line.substr(0, 40) + "' must be " + std::to_string(kMinNeedleBytes) +
              ".." + std::to_string(kMaxNeedleBytes) + " bytes";
      return false;
    }
    if (out.size() == kMaxNeedles) {
      error = path + ": more than " + std::to_string(kMaxNeedles) + " strings";
      return false;
    }
    out.push_back(line);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Scans LevelDB databases for strings that must not be there (see the file header)"};
  std::vector<std::string> dbs;
  std::string forbidden_path;
  std::vector<std::string> expected;
  std::vector<std::string> may_be_empty;
  app.add_option("--db", dbs, "a LevelDB directory of a stopped node (repeatable)");
  app.add_option("--db-may-be-empty", may_be_empty,
                 "a LevelDB directory scanned like --db that may legitimately hold nothing, "
                 "e.g. a transaction journal once everything it held committed (repeatable)");
  app.add_option("--forbidden", forbidden_path, "file: one forbidden string per line")->required();
  app.add_option("--expect", expected, "a string that must be found (repeatable)");
  CLI11_PARSE(app, argc, argv);

  std::vector<std::string> needles;
  std::string error;
  if (!read_needles(forbidden_path, needles, error)) {
    std::cerr << "bauhinia-ledger-scan: " << error << "\n";
    return 2;
  }
  if (needles.empty()) {
    std::cerr << "bauhinia-ledger-scan: " << forbidden_path << " lists no strings\n";
    return 2;
  }
  for (const auto& e : expected) {
    if (e.size() < kMinNeedleBytes) {
      std::cerr << "bauhinia-ledger-scan: --expect '" << e << "' is too short\n";
      return 2;
    }
  }

  if (dbs.empty()) {
    std::cerr << "bauhinia-ledger-scan: at least one --db is required\n";
    return 2;
  }
  const std::size_t must_hold = dbs.size();
  dbs.insert(dbs.end(), may_be_empty.begin(), may_be_empty.end());

  std::vector<Hit> hits;
  std::map<std::string, std::size_t> expected_found;
  std::uint64_t entries = 0;
  std::uint64_t bytes = 0;
  for (std::size_t d = 0; d < dbs.size(); ++d) {
    const std::string& path = dbs[d];
    leveldb::Options options;
    options.create_if_missing = false;
    options.paranoid_checks = true;
    leveldb::DB* raw = nullptr;
    const leveldb::Status s = leveldb::DB::Open(options, path, &raw);
    if (!s.ok()) {
      std::cerr << "bauhinia-ledger-scan: " << path << ": " << s.ToString() << "\n";
      return 2;
    }
    const std::unique_ptr<leveldb::DB> db(raw);
    leveldb::ReadOptions ro;
    ro.verify_checksums = true;
    ro.fill_cache = false;
    const std::unique_ptr<leveldb::Iterator> it(db->NewIterator(ro));
    std::uint64_t db_entries = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      const std::string_view key(it->key().data(), it->key().size());
      const std::string_view value(it->value().data(), it->value().size());
      ++db_entries;
      bytes += key.size() + value.size();
      for (const std::string& n : needles) {
        const bool in_key = key.find(n) != std::string_view::npos;
        const bool in_value = value.find(n) != std::string_view::npos;
        if (in_key || in_value) {
          hits.push_back({path, std::string(in_key ? "key" : "value") + " of entry " +
                                    hex_prefix(key, 40) + ": '" + n + "'"});
        }
      }
      for (const std::string& e : expected) {
        if (key.find(e) != std::string_view::npos || value.find(e) != std::string_view::npos) {
          ++expected_found[e];
        }
      }
    }
    if (!it->status().ok()) {
      std::cerr << "bauhinia-ledger-scan: " << path << ": " << it->status().ToString() << "\n";
      return 2;
    }
    if (db_entries == 0 && d < must_hold) {
      std::cerr << "bauhinia-ledger-scan: " << path << " is empty: nothing was checked\n";
      return 2;
    }
    entries += db_entries;
  }

  std::cout << "scanned " << entries << " entries (" << bytes << " bytes) in " << dbs.size()
            << " databases for " << needles.size() << " forbidden strings\n";
  int rc = 0;
  for (const std::string& e : expected) {
    if (expected_found[e] == 0) {
      std::cerr << "positive control failed: '" << e << "' was not found: the scan did not read "
                << "what the chain holds\n";
      rc = 2;
    } else {
      std::cout << "positive control: '" << e << "' found in " << expected_found[e] << " entries\n";
    }
  }
  for (const Hit& h : hits) std::cerr << "FOUND in " << h.db << ": " << h.where << "\n";
  if (!hits.empty()) {
    std::cerr << hits.size() << " occurrences of forbidden strings\n";
    return 1;
  }
  if (rc == 0) std::cout << "no forbidden string found\n";
  return rc;
}
