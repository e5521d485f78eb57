#pragma once
// The explorer's own index (LevelDB): blocks, transactions, per-account
// activity and search keys, everything in it verified by the follower before
// it is written. One block is written in one atomic batch together with the
// "indexed up to" mark and the accumulator frontier, so a crash leaves the
// index at a block boundary and a restart resumes after the mark.
//
// Keys (all under one database):
//   "m/format", "m/genesis"      format name, the genesis id it follows
//   "m/indexed"                  the highest indexed height (8 bytes, big-endian)
//   "m/frontier"                 the accumulator frontier after that block
//   "m/certified"                the newest verified certified header (JSON)
//   "b/" be64(height)            a block (JSON, with its transaction summaries)
//   "h/" be64(height)            the same block without them (for lists)
//   "t/" id (32 bytes)           a transaction (JSON)
//   "a/" account (32) be64(idx)  the id of a transaction at accumulator index idx that the
//                                account signed (its sender) or co-signed (cosigners.hpp)
//   "c/" module "/" call "\0" be64(idx)  the id of a transaction of that call
//   "n/" module "/" call          how many transactions of that call succeeded (8 bytes)
//   "s/" lowercase text "\0" id  a search result (JSON), by its search text
//   "x/" register                 a register's snapshot (registers.hpp), for exports
//   "y/" register                 that snapshot's count, certified height and block id (JSON)
//   "r/" register                 the search keys written for that register (JSON)

#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bauhinia/core/hash.hpp"
#include "bauhinia/core/status.hpp"

namespace leveldb {
class DB;
}

namespace bauhinia::explorer {

using json = nlohmann::json;

inline constexpr std::string_view kIndexFormat = "bauhinia-explorer-index/3";
inline constexpr std::size_t kMaxPage = 100;
inline constexpr std::size_t kMaxSearchResults = 20;

// The RFC 6962 tree of every accumulator leaf so far, as the roots of its
// perfect subtrees (largest first): enough to append and to compute the root.
struct Frontier {
  std::uint64_t size = 0;
  std::vector<core::Hash256> peaks;

  void append(const core::Hash256& leaf_hash);
  core::Hash256 root() const;
  std::string encode() const;
  static std::optional<Frontier> decode(std::string_view bytes);
};

// A verified block ready to index.
struct BlockEntry {
  std::uint64_t height = 0;
  json block;                      // the /api/blocks/{height} answer
  std::vector<json> transactions;  // each an /api/tx/{id} answer
  Frontier frontier;               // after this block
};

struct SearchEntry {
  std::string text;  // what is searched for (lower-cased by the index)
  json result;       // the search result; its "key" names it uniquely with text
};

class Index {
 public:
  ~Index();
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  // Opens (or creates) the index in `dir` for the chain of `genesis_id`. An
  // index that does not open, is of another format or chain, or fails the
  // self-check (the block at the mark is missing, does not decode, or the
  // frontier does not give its accumulator root) is destroyed and created
  // empty: `rebuilt()` then says why, and the follower rebuilds it from the nodes.
  static core::Result<std::unique_ptr<Index>> open(const std::filesystem::path& dir,
                                                   const core::Hash256& genesis_id);

  const std::optional<std::string>& rebuilt() const { return rebuilt_; }

  std::optional<std::uint64_t> indexed_height() const;
  Frontier frontier() const;
  core::Result<bool> put_block(const BlockEntry& entry);
  core::Result<bool> put_certified(const json& certified);
  core::Result<bool> put_search(const std::vector<SearchEntry>& entries);
  // A register's snapshot and its search entries, replacing the previous ones
  // (a renamed company is no longer found by its old name), in one batch.
  core::Result<bool> put_register(const std::string& name, const json& snapshot,
                                  const std::vector<SearchEntry>& entries);
  std::optional<json> register_snapshot(const std::string& name) const;
  // {"count", "certified_height", "block_id"} of the stored snapshot, read
  // without the snapshot itself (the home page asks on every visit).
  std::optional<json> register_summary(const std::string& name) const;

  std::optional<json> certified() const;
  std::optional<json> block(std::uint64_t height) const;
  // The block without its transaction summaries (a few hundred bytes).
  std::optional<json> block_summary(std::uint64_t height) const;
  std::optional<json> transaction(const core::Hash256& id) const;
  // Block summaries from `from` down, at most `limit`.
  std::vector<json> blocks(std::uint64_t from, std::size_t limit) const;
  // The account's transactions (as sender or co-signer) from accumulator index `from` down.
  std::vector<json> account(const core::Hash256& account, std::uint64_t from,
                            std::size_t limit) const;
  // The transactions of `module`.`call`, oldest first, at most `limit`.
  std::vector<json> by_call(std::string_view module, std::string_view call,
                            std::size_t limit) const;
  // Search entries whose text starts with `prefix` (lower-cased).
  std::vector<json> search_prefix(std::string_view prefix, std::size_t limit) const;

  std::uint64_t transaction_count() const;
  // How many indexed transactions of `module`.`call` succeeded.
  std::uint64_t success_count(std::string_view module, std::string_view call) const;

 private:
  explicit Index(leveldb::DB* db) : db_(db) {}
  std::optional<std::string> get(const std::string& key) const;
  std::optional<std::string> self_check() const;

  leveldb::DB* db_;
  std::optional<std::string> rebuilt_;
};

std::string lower(std::string_view text);  // ASCII letters lower-cased, the rest as is

}  // namespace bauhinia::explorer
