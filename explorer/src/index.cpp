#include "bauhinia/explorer/index.hpp"

#include <leveldb/db.h>
#include <leveldb/write_batch.h>

#include <algorithm>
#include <bit>
#include <map>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/chain/merkle.hpp"
#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/explorer/cosigners.hpp"

namespace bauhinia::explorer {

namespace {

constexpr std::string_view kFormatKey = "m/format";
constexpr std::string_view kGenesisKey = "m/genesis";
constexpr std::string_view kIndexedKey = "m/indexed";
constexpr std::string_view kFrontierKey = "m/frontier";
constexpr std::string_view kCertifiedKey = "m/certified";
constexpr std::string_view kTxCountKey = "m/transactions";

std::string be64(std::uint64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i, v >>= 8)
    out[static_cast<std::size_t>(i)] = static_cast<char>(v & 0xff);
  return out;
}

std::optional<std::uint64_t> read_be64(std::string_view s) {
  if (s.size() != 8) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) v = (v << 8) | static_cast<unsigned char>(c);
  return v;
}

std::string raw(const core::Hash256& h) {
  return std::string(reinterpret_cast<const char*>(h.data()), core::Hash256::kSize);
}

std::string block_key(std::uint64_t height) {
  return "b/" + be64(height);
}
std::string tx_key(const core::Hash256& id) {
  return "t/" + raw(id);
}
std::string count_key(std::string_view module, std::string_view call) {
  return "n/" + std::string(module) + "/" + std::string(call);
}

core::Result<bool> write(leveldb::DB* db, leveldb::WriteBatch& batch) {
  leveldb::WriteOptions options;
  options.sync = true;
  const leveldb::Status s = db->Write(options, &batch);
  if (!s.ok()) return core::Status::io_error("index write failed: " + s.ToString());
  return true;
}

std::optional<json> parse_object(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  json doc = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
  return doc;
}

std::optional<json> parse_array(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  json doc = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_array()) return std::nullopt;
  return doc;
}

}  // namespace

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

void Frontier::append(const core::Hash256& leaf_hash) {
  core::Hash256 h = leaf_hash;
  // Each trailing one bit of the size is a perfect subtree of the new leaf's size: merge it.
  for (std::uint64_t s = size; (s & 1U) != 0; s >>= 1) {
    h = chain::merkle::node_hash(peaks.back(), h);
    peaks.pop_back();
  }
  peaks.push_back(h);
  ++size;
}

core::Hash256 Frontier::root() const {
  if (peaks.empty()) return chain::merkle::empty_root();
  core::Hash256 r = peaks.back();
  for (std::size_t i = peaks.size() - 1; i-- > 0;) r = chain::merkle::node_hash(peaks[i], r);
  return r;
}

std::string Frontier::encode() const {
  std::string out = be64(size);
  for (const auto& p : peaks) out += raw(p);
  return out;
}

std::optional<Frontier> Frontier::decode(std::string_view bytes) {
  if (bytes.size() < 8) return std::nullopt;
  Frontier f;
  f.size = *read_be64(bytes.substr(0, 8));
  bytes.remove_prefix(8);
  if (bytes.size() != static_cast<std::size_t>(std::popcount(f.size)) * core::Hash256::kSize) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < bytes.size(); i += core::Hash256::kSize) {
    core::Hash256 h;
    std::copy_n(bytes.data() + i, core::Hash256::kSize, h.bytes().begin());
    f.peaks.push_back(h);
  }
  return f;
}

Index::~Index() {
  delete db_;
}

core::Result<std::unique_ptr<Index>> Index::open(const std::filesystem::path& dir,
                                                 const core::Hash256& genesis_id) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return core::Status::io_error(dir.string() + ": " + ec.message());
  leveldb::Options options;
  options.create_if_missing = true;
  options.paranoid_checks = true;
  std::optional<std::string> rebuilt;
  leveldb::DB* db = nullptr;
  leveldb::Status s = leveldb::DB::Open(options, dir.string(), &db);
  if (!s.ok()) {
    rebuilt = "the index did not open (" + s.ToString() + ")";
  } else {
    std::unique_ptr<Index> index(new Index(db));
    auto format = index->get(std::string(kFormatKey));
    auto genesis = index->get(std::string(kGenesisKey));
    if (!format && !genesis) {
      leveldb::WriteBatch batch;
      batch.Put(kFormatKey.data(), std::string(kIndexFormat));
      batch.Put(kGenesisKey.data(), genesis_id.to_hex());
      if (auto w = write(db, batch); !w) return w.error();
      return index;
    }
    if (format != std::string(kIndexFormat)) {
      rebuilt = "the index is of another format";
    } else if (genesis != genesis_id.to_hex()) {
      rebuilt = "the index is of another chain (genesis " + genesis.value_or("?") + ")";
    } else if (auto bad = index->self_check()) {
      rebuilt = "the index failed its self-check: " + *bad;
    } else {
      return index;
    }
    index.reset();  // closes the database before destroying it
  }
  s = leveldb::DestroyDB(dir.string(), options);
  if (!s.ok()) {
    // A database too broken for DestroyDB: remove its files.
    std::filesystem::remove_all(dir, ec);
    if (ec) return core::Status::io_error(dir.string() + ": cannot remove: " + ec.message());
    std::filesystem::create_directories(dir, ec);
  }
  db = nullptr;
  s = leveldb::DB::Open(options, dir.string(), &db);
  if (!s.ok()) return core::Status::io_error("index: cannot create: " + s.ToString());
  std::unique_ptr<Index> index(new Index(db));
  leveldb::WriteBatch batch;
  batch.Put(kFormatKey.data(), std::string(kIndexFormat));
  batch.Put(kGenesisKey.data(), genesis_id.to_hex());
  if (auto w = write(db, batch); !w) return w.error();
  index->rebuilt_ = std::move(rebuilt);
  return index;
}

std::optional<std::string> Index::get(const std::string& key) const {
  std::string value;
  leveldb::ReadOptions options;
  options.verify_checksums = true;
  const leveldb::Status s = db_->Get(options, key, &value);
  if (!s.ok()) return std::nullopt;
  return value;
}

std::optional<std::string> Index::self_check() const {
  auto mark = get(std::string(kIndexedKey));
  if (!mark) return std::nullopt;  // nothing indexed yet
  auto height = read_be64(*mark);
  if (!height) return "the indexed mark is not 8 bytes";
  auto frontier_bytes = get(std::string(kFrontierKey));
  if (!frontier_bytes) return "no accumulator frontier";
  auto frontier = Frontier::decode(*frontier_bytes);
  if (!frontier) return "the accumulator frontier does not decode";
  auto block = parse_object(get(block_key(*height)));
  if (!block) return "block " + std::to_string(*height) + " is missing or not JSON";
  auto hex = block->find("header_hex");
  if (hex == block->end() || !hex->is_string()) return "block without header_hex";
  auto bytes = core::from_hex(hex->get<std::string>());
  if (!bytes) return "block header_hex is not hex";
  auto header = core::decode<chain::BlockHeader>(*bytes);
  if (!header) return "block header does not decode";
  if (header->height != *height || (*block)["block_id"] != header->id().to_hex()) {
    return "block " + std::to_string(*height) + " does not match its header";
  }
  if (frontier->size != header->accumulator_size || frontier->root() != header->accumulator_root) {
    return "the accumulator frontier does not give the root of block " + std::to_string(*height);
  }
  return std::nullopt;
}

std::optional<std::uint64_t> Index::indexed_height() const {
  auto mark = get(std::string(kIndexedKey));
  if (!mark) return std::nullopt;
  return read_be64(*mark);
}

Frontier Index::frontier() const {
  auto bytes = get(std::string(kFrontierKey));
  if (!bytes) return {};
  return Frontier::decode(*bytes).value_or(Frontier{});
}

std::uint64_t Index::transaction_count() const {
  auto v = get(std::string(kTxCountKey));
  return v ? read_be64(*v).value_or(0) : 0;
}

core::Result<bool> Index::put_block(const BlockEntry& entry) {
  leveldb::WriteBatch batch;
  batch.Put(block_key(entry.height), entry.block.dump());
  json summary = entry.block;
  summary.erase("transactions");
  batch.Put("h/" + be64(entry.height), summary.dump());
  std::map<std::string, std::uint64_t> successes;  // count key -> new successes in this block
  for (const json& tx : entry.transactions) {
    auto id = core::Hash256::from_hex(tx.value("id", ""));
    auto sender = core::Hash256::from_hex(tx.value("sender", ""));
    if (!id || !sender) return core::Status::invalid_argument("index: a transaction without id");
    const std::string module = tx.value("module", std::string());
    const std::string call = tx.value("call", std::string());
    const std::string index = be64(tx.value("index", std::uint64_t{0}));
    batch.Put(tx_key(*id), tx.dump());
    batch.Put("a/" + raw(*sender) + index, raw(*id));
    // Its co-signers' activity too (the assignee of an assignment, the
    // receiver of a custody transfer); a co-signer that is also the sender
    // writes the same key again.
    if (auto payload = core::from_hex(tx.value("payload_hex", ""))) {
      for (const json& c : cosigners_of(module, call, *payload)) {
        auto account = core::Hash256::from_hex(c.value("account", ""));
        if (account) batch.Put("a/" + raw(*account) + index, raw(*id));
      }
    }
    batch.Put("c/" + module + "/" + call + '\0' + index, raw(*id));
    if (tx.value("outcome", "") == "success") ++successes[count_key(module, call)];
  }
  for (const auto& [key, added] : successes) {
    auto now = get(key);
    batch.Put(key, be64((now ? read_be64(*now).value_or(0) : 0) + added));
  }
  batch.Put(kIndexedKey.data(), be64(entry.height));
  batch.Put(kFrontierKey.data(), entry.frontier.encode());
  batch.Put(kTxCountKey.data(), be64(transaction_count() + entry.transactions.size()));
  return write(db_, batch);
}

std::uint64_t Index::success_count(std::string_view module, std::string_view call) const {
  auto v = get(count_key(module, call));
  return v ? read_be64(*v).value_or(0) : 0;
}

core::Result<bool> Index::put_certified(const json& certified) {
  leveldb::WriteBatch batch;
  batch.Put(kCertifiedKey.data(), certified.dump());
  return write(db_, batch);
}

core::Result<bool> Index::put_search(const std::vector<SearchEntry>& entries) {
  leveldb::WriteBatch batch;
  for (const auto& e : entries) {
    batch.Put("s/" + lower(e.text) + '\0' + e.result.value("key", std::string()), e.result.dump());
  }
  return write(db_, batch);
}

core::Result<bool> Index::put_register(const std::string& name, const json& snapshot,
                                       const std::vector<SearchEntry>& entries) {
  leveldb::WriteBatch batch;
  if (auto old = parse_array(get("r/" + name))) {
    for (const json& k : *old) {
      if (k.is_string()) batch.Delete(k.get<std::string>());
    }
  }
  json written = json::array();
  for (const auto& e : entries) {
    std::string key = "s/" + lower(e.text) + '\0' + e.result.value("path", std::string());
    batch.Put(key, e.result.dump(-1, ' ', false, json::error_handler_t::replace));
    written.push_back(std::move(key));
  }
  batch.Put("r/" + name, written.dump(-1, ' ', false, json::error_handler_t::replace));
  batch.Put("x/" + name, snapshot.dump(-1, ' ', false, json::error_handler_t::replace));
  const auto records = snapshot.find("records");
  json summary{{"count", records != snapshot.end() && records->is_array() ? records->size() : 0},
               {"certified_height", snapshot.value("certified_height", json(nullptr))},
               {"block_id", snapshot.value("block_id", json(nullptr))}};
  batch.Put("y/" + name, summary.dump(-1, ' ', false, json::error_handler_t::replace));
  return write(db_, batch);
}

std::optional<json> Index::register_snapshot(const std::string& name) const {
  return parse_object(get("x/" + name));
}

std::optional<json> Index::register_summary(const std::string& name) const {
  return parse_object(get("y/" + name));
}

std::optional<json> Index::certified() const {
  return parse_object(get(std::string(kCertifiedKey)));
}

std::optional<json> Index::block(std::uint64_t height) const {
  return parse_object(get(block_key(height)));
}

std::optional<json> Index::transaction(const core::Hash256& id) const {
  return parse_object(get(tx_key(id)));
}

std::optional<json> Index::block_summary(std::uint64_t height) const {
  return parse_object(get("h/" + be64(height)));
}

std::vector<json> Index::blocks(std::uint64_t from, std::size_t limit) const {
  // One range scan down the "h/" keys (adjacent, by height), not a read per block.
  std::vector<json> out;
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
  it->Seek("h/" + be64(from) + '\0');
  if (it->Valid()) {
    it->Prev();
  } else {
    it->SeekToLast();
  }
  for (; it->Valid() && out.size() < limit; it->Prev()) {
    if (!it->key().starts_with("h/")) break;
    auto b = parse_object(it->value().ToString());
    if (b) out.push_back(std::move(*b));
  }
  return out;
}

std::vector<json> Index::account(const core::Hash256& account, std::uint64_t from,
                                 std::size_t limit) const {
  std::vector<json> out;
  const std::string prefix = "a/" + raw(account);
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
  // The newest at or below `from`: seek past it and step back.
  it->Seek(prefix + be64(from) + '\0');
  if (it->Valid()) {
    it->Prev();
  } else {
    it->SeekToLast();
  }
  for (; it->Valid() && out.size() < limit; it->Prev()) {
    const std::string key = it->key().ToString();
    if (!key.starts_with(prefix)) break;
    auto id = core::Hash256::from_bytes(core::ByteView(
        reinterpret_cast<const std::uint8_t*>(it->value().data()), it->value().size()));
    if (!id) continue;
    if (auto tx = transaction(*id)) out.push_back(std::move(*tx));
  }
  return out;
}

std::vector<json> Index::by_call(std::string_view module, std::string_view call,
                                 std::size_t limit) const {
  std::vector<json> out;
  const std::string prefix = "c/" + std::string(module) + "/" + std::string(call) + '\0';
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
  for (it->Seek(prefix); it->Valid() && out.size() < limit; it->Next()) {
    if (!it->key().starts_with(prefix)) break;
    auto id = core::Hash256::from_bytes(core::ByteView(
        reinterpret_cast<const std::uint8_t*>(it->value().data()), it->value().size()));
    if (!id) continue;
    if (auto tx = transaction(*id)) out.push_back(std::move(*tx));
  }
  return out;
}

std::vector<json> Index::search_prefix(std::string_view prefix, std::size_t limit) const {
  std::vector<json> out;
  const std::string start = "s/" + lower(prefix);
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
  for (it->Seek(start); it->Valid() && out.size() < limit; it->Next()) {
    if (!it->key().starts_with(start)) break;
    auto doc = parse_object(it->value().ToString());
    if (doc) out.push_back(std::move(*doc));
  }
  return out;
}

}  // namespace bauhinia::explorer
