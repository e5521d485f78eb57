// The explorer's server time with a million transactions in its index
// (issue 13: "record pages answer in under 200 ms of server time with a
// million records in the index"). Figures go to docs/performance.md
// ("Explorer at a million records").
//
// The index is the explorer's real LevelDB index (explorer/index.hpp), filled
// through its real write path: Index::put_block with blocks whose
// transactions are real encoded envelopes carrying the modules' own payload
// types (trademark filings and co-signed assignments, company incorporations
// and annual returns, drug batches and co-signed custody transfers, recalls,
// health attestations, pings), their accumulator leaves, headers whose
// accumulator root the frontier gives, and the JSON the follower stores
// (json_shapes); then Index::put_register with the trademark and company
// registers at the register limit (200,000 records each) and their search
// entries. Signatures are not computed (the index does not check them; the
// follower did): they are fixed bytes of the right size.
//
// Every answer is timed through the explorer's real request handler,
// Api::handle (what the HTTP server calls), without the socket.
//
// Environment:
//   BAUHINIA_EXPLORER_BENCH_TX   transactions to index (default 1,000,000)
//   BAUHINIA_EXPLORER_BENCH_DIR  keep the index there and reuse it on the next
//                                run (default: a temporary folder, removed)
// Run from a Release tree:
//   bench_explorer_bench --benchmark_counters_tabular=true

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "../explorer/src/json_shapes.hpp"
#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/chain/merkle.hpp"
#include "bauhinia/chain/transaction_info.hpp"
#include "bauhinia/contracts/company/calls.hpp"
#include "bauhinia/contracts/drugs/calls.hpp"
#include "bauhinia/contracts/health/calls.hpp"
#include "bauhinia/contracts/trademark/calls.hpp"
#include "bauhinia/core/assert.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/explorer/api.hpp"
#include "bauhinia/explorer/follower.hpp"
#include "bauhinia/explorer/index.hpp"

namespace bauhinia::explorer {
namespace {

namespace tm = contracts::trademark;
namespace co = contracts::company;
namespace dr = contracts::drugs;
namespace he = contracts::health;

constexpr std::uint64_t kTxPerBlock = 250;
constexpr std::uint64_t kRegisterLimit = 200'000;      // kMaxRegisterRecords
constexpr std::uint64_t kStartMs = 1'767'225'600'000;  // 2026-01-01

std::uint64_t env_u64(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::strtoull(v, nullptr, 10) : fallback;
}

core::Hash256 hash_of(const std::string& s) {
  return core::tagged_hash(
      core::HashTag::kTransactionId,
      core::ByteView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
}
core::AccountId account(const std::string& who) {
  core::AccountId a;
  a.bytes = hash_of("account " + who).bytes();
  return a;
}

// Names built from word lists: English and Chinese, for search.
const std::vector<std::string> kWordsEn{
    "BAUHINIA", "HARBOUR", "LOTUS",  "DRAGON",  "JADE",   "PEARL",   "PEAK",  "KOWLOON",
    "VICTORIA", "ORCHID",  "TIDE",   "LANTAU",  "SAMPAN", "TRAMWAY", "MING",  "GOLDEN",
    "PHOENIX",  "BAMBOO",  "CRANE",  "SUNRISE", "OCEAN",  "SILK",    "AMBER", "CEDAR",
    "DELTA",    "EMBER",   "FALCON", "GARDEN",  "HILLS",  "ISLAND",  "JUNK",  "KITE"};
const std::vector<std::string> kWordsZh{
    "紫荊", "海港", "蓮花", "金龍", "翡翠", "明珠", "山頂", "九龍", "維港", "蘭花", "潮汐",
    "大嶼", "舢舨", "電車", "明朝", "黃金", "鳳凰", "竹林", "仙鶴", "旭日", "海洋", "絲綢",
    "琥珀", "雪松", "三角", "餘燼", "獵鷹", "花園", "山丘", "島嶼", "帆船", "風箏"};

std::string name_en(std::uint64_t i) {
  const std::size_t w = kWordsEn.size();
  return kWordsEn[i % w] + " " + kWordsEn[(i / w) % w] + " " + std::to_string(i);
}
std::string name_zh(std::uint64_t i) {
  const std::size_t w = kWordsZh.size();
  return kWordsZh[(i / w) % w] + kWordsZh[i % w] + std::to_string(i % 1000);
}
std::string tm_number(std::uint64_t i) {
  return std::to_string(305'000'000 + i);
}
std::string co_number(std::uint64_t i) {
  return std::to_string(3'000'000 + i);
}
std::string regno(std::uint64_t i) {
  return "HK-" + std::to_string(10'000 + i % 90'000);
}

// A register record key: 01 || the number (docs/contracts/{trademark,company}.md).
std::string key_hex(const std::string& number) {
  return "01" + core::to_hex(core::ByteView(reinterpret_cast<const std::uint8_t*>(number.data()),
                                            number.size()));
}

// What the fill left for the cases to ask about.
struct Samples {
  std::vector<std::string> tx_ids;
  std::vector<std::uint64_t> heights;
  std::string registrar;                // the busiest sender
  std::vector<std::string> companies;   // company accounts (few transactions each)
  std::vector<std::string> pharmacies;  // custody receivers: co-signers
  std::vector<std::string> numbers;     // trademark numbers
  std::vector<std::string> chinese;     // company Chinese names
  std::uint64_t transactions = 0;
  std::uint64_t top = 0;

  json to_json() const {
    return json{{"tx_ids", tx_ids},       {"heights", heights},           {"registrar", registrar},
                {"companies", companies}, {"pharmacies", pharmacies},     {"numbers", numbers},
                {"chinese", chinese},     {"transactions", transactions}, {"top", top}};
  }
  static Samples from_json(const json& j) {
    Samples s;
    s.tx_ids = j.at("tx_ids").get<std::vector<std::string>>();
    s.heights = j.at("heights").get<std::vector<std::uint64_t>>();
    s.registrar = j.at("registrar");
    s.companies = j.at("companies").get<std::vector<std::string>>();
    s.pharmacies = j.at("pharmacies").get<std::vector<std::string>>();
    s.numbers = j.at("numbers").get<std::vector<std::string>>();
    s.chinese = j.at("chinese").get<std::vector<std::string>>();
    s.transactions = j.at("transactions");
    s.top = j.at("top");
    return s;
  }
};

template <class T>
core::Bytes encoded(const T& v) {
  return core::encode(v);
}

contracts::Cosignature cosignature_by(const core::AccountId& who) {
  contracts::Cosignature c;
  c.signer = who;
  c.key.bytes = hash_of("key " + who.to_hex()).bytes();
  c.signature.bytes.fill(0x5a);
  return c;
}

// Transaction `i` of the mix (per million: 200k trademark filings, 50k
// co-signed assignments, 200k incorporations, 100k annual returns, 150k
// batches, 150k co-signed custody transfers, 1k recalls, 140k health
// attestations, 9k pings).
chain::Transaction make_tx(std::uint64_t i, std::uint64_t n) {
  chain::Transaction tx;
  tx.chain_id = "bauhinia-bench";
  tx.sequence = i;
  tx.expiry_ms = kStartMs + 86'400'000ULL * 365;
  tx.signature.bytes.fill(0x42);
  const std::uint64_t slot = i % 1000;  // the mix, per thousand
  const std::uint64_t k = i / 1000;     // which one of its kind
  const std::uint64_t per = std::max<std::uint64_t>(n / 1000, 1);
  auto sender = [&](const std::string& who) {
    tx.sender = account(who);
    tx.public_key.bytes = hash_of("key " + who).bytes();
  };
  if (slot < 200) {  // trademark.file: k-th filing of this slot
    const std::uint64_t m = k * 200 + slot;
    sender("IPD registrar");
    tm::FileArgs a;
    a.number = tm_number(m);
    a.text_en = name_en(m);
    a.text_zh = name_zh(m);
    a.applicant =
        tm::Party{account("company " + std::to_string(m % (per * 200))), name_en(m) + " LIMITED",
                  name_zh(m) + "有限公司", co_number(m % (per * 200))};
    a.classes = {tm::ClassSpec{9, {"computer software"}}, tm::ClassSpec{42, {"software design"}}};
    a.filing_date_ms = kStartMs + i;
    tx.module = "trademark";
    tx.call = "file";
    tx.payload = encoded(a);
  } else if (slot < 250) {  // trademark.assign, co-signed by the assignor
    const std::uint64_t m = k * 50 + (slot - 200);
    sender("IPD registrar");
    tm::AssignPayload p;
    p.terms.number = tm_number(m);
    p.terms.assignor = account("company " + std::to_string(m % (per * 200)));
    p.terms.assignee = tm::Party{account("company " + std::to_string((m + 7) % (per * 200))),
                                 name_en(m + 7), name_zh(m + 7), ""};
    p.terms.with_goodwill = true;
    p.terms.assignment_date_ms = kStartMs + i;
    p.terms.deed_hash = hash_of("deed " + std::to_string(m));
    p.cosignatures = {cosignature_by(p.terms.assignor)};
    tx.module = "trademark";
    tx.call = "assign";
    tx.payload = encoded(p);
  } else if (slot < 450) {  // company.incorporate
    const std::uint64_t m = k * 200 + (slot - 250);
    sender("CR registrar");
    co::IncorporateArgs a;
    a.number = co_number(m);
    a.name_en = name_en(m) + " LIMITED";
    a.name_zh = name_zh(m) + "有限公司";
    a.registered_office = "Flat " + std::to_string(m % 40) + ", 1 Queen's Road Central, Hong Kong";
    a.account = account("company " + std::to_string(m));
    a.document_hash = hash_of("nnc1 " + std::to_string(m));
    co::OfficerArgs d;
    d.name_en = "CHAN Tai Man";
    d.name_zh = "陳大文";
    d.partial_id = "A123";
    d.correspondence_address = "Hong Kong";
    a.officers = {d};
    tx.module = "company";
    tx.call = "incorporate";
    tx.payload = encoded(a);
  } else if (slot < 550) {  // company.annual_return, by the company
    const std::uint64_t m = (k * 100 + (slot - 450)) % (per * 200);
    sender("company " + std::to_string(m));
    co::AnnualReturnArgs a;
    a.number = co_number(m);
    a.return_date = co::Date::from_days(20'454);
    a.document_hash = hash_of("nar1 " + std::to_string(i));
    tx.module = "company";
    tx.call = "annual_return";
    tx.payload = encoded(a);
  } else if (slot < 700) {  // drugs.create_batch, by one of 50 manufacturers
    const std::uint64_t m = k * 150 + (slot - 550);
    sender("manufacturer " + std::to_string(m % 50));
    dr::BatchArgs a;
    a.regno = regno(m);
    a.batch = "B" + std::to_string(m);
    a.quantity = 10'000;
    a.manufacture_ms = kStartMs;
    a.expiry_ms = kStartMs + 86'400'000ULL * 730;
    tx.module = "drugs";
    tx.call = "create_batch";
    tx.payload = encoded(a);
  } else if (slot < 850) {  // drugs.transfer, co-signed by the receiving pharmacy
    const std::uint64_t m = k * 150 + (slot - 700);
    const std::string from = "manufacturer " + std::to_string(m % 50);
    sender(from);
    dr::TransferPayload p;
    p.terms.regno = regno(m);
    p.terms.batch = "B" + std::to_string(m);
    p.terms.from = account(from);
    p.terms.to = account("pharmacy " + std::to_string(m % 2000));
    p.terms.quantity = 100;
    p.cosignatures = {cosignature_by(p.terms.to)};
    tx.module = "drugs";
    tx.call = "transfer";
    tx.payload = encoded(p);
  } else if (slot < 851) {  // drugs.recall
    sender("DH drugs office");
    dr::RecallArgs a;
    a.regno = regno(k * 150);
    a.batch = "B" + std::to_string(k * 150);
    tx.module = "drugs";
    tx.call = "recall";
    tx.payload = encoded(a);
  } else if (slot < 991) {  // health.issue, by one of 20 hospitals
    sender("hospital " + std::to_string(i % 20));
    he::IssueArgs a;
    a.record_type = 1;
    a.subject = account("patient " + std::to_string(i));
    a.commitment = hash_of("record " + std::to_string(i));
    tx.module = "health";
    tx.call = "issue";
    tx.payload = encoded(a);
  } else {
    sender("citizen " + std::to_string(i % 5000));
    tx.module = "accounts";
    tx.call = "ping";
    tx.payload = core::Bytes{'h', 'i'};
  }
  return tx;
}

// The trademark and company registers as a sweep stores them (registers.cpp:
// the same columns, search texts and result shape), at the register limit.
void put_registers(Index& index, std::uint64_t n, std::uint64_t height,
                   const std::string& block_id) {
  const std::uint64_t marks = std::min<std::uint64_t>(n / 1000 * 200, kRegisterLimit);
  json rows = json::array();
  std::vector<SearchEntry> entries;
  for (std::uint64_t m = 0; m < marks; ++m) {
    const std::string owner = std::to_string(m % std::max<std::uint64_t>(marks, 1));
    rows.push_back(json{{"number", tm_number(m)},
                        {"text_en", name_en(m)},
                        {"text_zh", name_zh(m)},
                        {"status", "registered"},
                        {"owner_name_en", name_en(m) + " LIMITED"},
                        {"owner_name_zh", name_zh(m) + "有限公司"},
                        {"owner_cr_number", co_number(m)},
                        {"owner_account", account("company " + owner).to_hex()},
                        {"classes", "9;42"},
                        {"filing_date", "2026-01-01"},
                        {"registration_date", "2026-07-01"},
                        {"expiry_date", "2036-01-01"},
                        {"renewals", 0},
                        {"parent", ""},
                        {"record_key_hex", key_hex(tm_number(m))}});
    const json result{{"kind", "record"},
                      {"module", "trademark"},
                      {"key", tm_number(m)},
                      {"label", name_en(m) + " " + name_zh(m)},
                      {"path", "trademark/mark/" + tm_number(m)}};
    for (const std::string& text : {tm_number(m), name_en(m), name_zh(m)}) {
      entries.push_back({text, result});
    }
  }
  json columns =
      json::array({"number", "text_en", "text_zh", "status", "owner_name_en", "owner_name_zh",
                   "owner_cr_number", "owner_account", "classes", "filing_date",
                   "registration_date", "expiry_date", "renewals", "parent", "record_key_hex"});
  auto put = [&](const std::string& name, const std::string& module) {
    json snapshot{{"register", name},
                  {"module", module},
                  {"certified_height", height},
                  {"block_id", block_id},
                  {"state_root", std::string(64, '5')},
                  {"columns", columns},
                  {"records", std::move(rows)}};
    auto w = index.put_register(name, snapshot, entries);
    BAUHINIA_ASSERT(w.has_value());
    rows = json::array();
    entries.clear();
  };
  put("trademarks", "trademark");

  const std::uint64_t companies = std::min<std::uint64_t>(n / 1000 * 200, kRegisterLimit);
  for (std::uint64_t m = 0; m < companies; ++m) {
    rows.push_back(json{{"number", co_number(m)},
                        {"name_en", name_en(m) + " LIMITED"},
                        {"name_zh", name_zh(m) + "有限公司"},
                        {"type", "private_limited_by_shares"},
                        {"status", "live"},
                        {"incorporation_date", "2026-01-01"},
                        {"registered_office", "1 Queen's Road Central, Hong Kong"},
                        {"next_return_due", "2027-02-11"},
                        {"returns_filed", 0},
                        {"filings", 1},
                        {"migrated_from_legacy_register", false},
                        {"record_key_hex", key_hex(co_number(m))}});
    const json result{{"kind", "record"},
                      {"module", "company"},
                      {"key", co_number(m)},
                      {"label", name_en(m) + " LIMITED " + name_zh(m) + "有限公司"},
                      {"path", "company/company/" + co_number(m)}};
    for (const std::string& text :
         {co_number(m), name_en(m) + " LIMITED", name_zh(m) + "有限公司"}) {
      entries.push_back({text, result});
    }
  }
  columns = json::array({"number", "name_en", "name_zh", "type", "status", "incorporation_date",
                         "registered_office", "next_return_due", "returns_filed", "filings",
                         "migrated_from_legacy_register", "record_key_hex"});
  put("companies", "company");
}

lightclient::Trust bench_trust() {
  lightclient::Trust t;
  t.chain_id = "bauhinia-bench";
  t.genesis_validators.epoch = 0;
  for (const char* name : {"IPD", "CR", "EPD", "DH"}) {
    chain::ValidatorInfo v;
    v.key.bytes = hash_of(std::string("validator ") + name).bytes();
    v.voting_power = 1;
    v.name = name;
    t.genesis_validators.validators.push_back(v);
  }
  t.genesis_header.height = 0;
  t.genesis_header.timestamp_ms = kStartMs;
  t.genesis_header.validator_set_hash = t.genesis_validators.hash();
  t.genesis_header.next_validator_set_hash = t.genesis_validators.hash();
  t.genesis_id = t.genesis_header.id();
  return t;
}

// Fills the index with `n` transactions (and block 0, the genesis block).
Samples fill(Index& index, const lightclient::Trust& trust, std::uint64_t n) {
  Samples samples;
  samples.registrar = account("IPD registrar").to_hex();
  for (int c = 0; c < 50; ++c)
    samples.companies.push_back(account("company " + std::to_string(c * 37)).to_hex());
  for (int p = 0; p < 50; ++p)
    samples.pharmacies.push_back(account("pharmacy " + std::to_string(p * 13)).to_hex());
  std::mt19937_64 rng(7);

  Frontier frontier;
  lightclient::ProvenHeader genesis;
  genesis.header = trust.genesis_header;
  genesis.certified_height = 0;
  BlockEntry b0;
  b0.height = 0;
  b0.block = shapes::block(trust.genesis_header, genesis,
                           json{{"first_index", 0}, {"transaction_count", 0}});
  b0.block["transactions"] = json::array();
  b0.frontier = frontier;
  BAUHINIA_ASSERT(index.put_block(b0).has_value());

  core::Hash256 parent = trust.genesis_id;
  std::uint64_t height = 0;
  for (std::uint64_t first = 0; first < n; first += kTxPerBlock) {
    ++height;
    const std::uint64_t count = std::min(kTxPerBlock, n - first);
    std::vector<chain::Transaction> txs;
    std::vector<core::Bytes> bytes;
    std::vector<chain::TransactionInfo> infos;
    std::vector<core::Bytes> leaves;
    std::vector<core::Hash256> ids;
    for (std::uint64_t i = first; i < first + count; ++i) {
      txs.push_back(make_tx(i, n));
      bytes.push_back(txs.back().encoded());
      chain::TransactionInfo info;
      info.version = i;
      info.transaction_id = core::tagged_hash(core::HashTag::kTransactionId, bytes.back());
      info.outcome = chain::TxOutcome::kSuccess;
      info.state_changes_hash = hash_of("changes " + std::to_string(i));
      info.events_hash = hash_of("events " + std::to_string(i));
      leaves.push_back(core::encode(info));
      frontier.append(chain::merkle::leaf_hash(leaves.back()));
      ids.push_back(info.transaction_id);
      infos.push_back(info);
    }
    chain::BlockHeader h;
    h.height = height;
    h.epoch = 0;
    h.round = height;
    h.timestamp_ms = kStartMs + height * 1000;
    h.proposer = trust.genesis_validators.validators[height % 4].key;
    h.parent_hash = parent;
    h.state_root = hash_of("state " + std::to_string(height));
    h.accumulator_root = frontier.root();
    h.accumulator_size = frontier.size;
    h.transactions_root = chain::transactions_root_of(ids);
    h.validator_set_hash = trust.genesis_validators.hash();
    h.next_validator_set_hash = h.validator_set_hash;
    lightclient::ProvenHeader proven;
    proven.header = h;
    proven.certified_height = height;
    proven.signers = {"IPD", "CR", "EPD"};

    BlockEntry e;
    e.height = height;
    e.frontier = frontier;
    e.block = shapes::block(h, proven, json{{"first_index", first}, {"transaction_count", count}});
    json summaries = json::array();
    for (std::size_t j = 0; j < txs.size(); ++j) {
      json t = shapes::transaction(txs[j], infos[j], bytes[j], leaves[j], h);
      t["sender_key"] = txs[j].public_key.to_hex();
      summaries.push_back(shapes::transaction_summary(t));
      e.transactions.push_back(std::move(t));
      if (rng() % 2000 == 0) samples.tx_ids.push_back(ids[j].to_hex());
    }
    e.block["transactions"] = std::move(summaries);
    BAUHINIA_ASSERT(index.put_block(e).has_value());
    if (rng() % 10 == 0) samples.heights.push_back(height);
    parent = h.id();
  }
  samples.transactions = n;
  samples.top = height;
  const std::uint64_t marks = std::min<std::uint64_t>(n / 1000 * 200, kRegisterLimit);
  for (int s = 0; s < 200 && marks > 0; ++s) {
    const std::uint64_t m = rng() % marks;
    samples.numbers.push_back(tm_number(m));
    samples.chinese.push_back(name_zh(m) + "有限公司");
  }
  auto top = index.block(height);
  BAUHINIA_ASSERT(top.has_value());
  put_registers(index, n, height, (*top)["block_id"]);
  json certified = (*top);
  certified.erase("transactions");
  BAUHINIA_ASSERT(index.put_certified(certified).has_value());
  return samples;
}

struct Explorer {
  std::filesystem::path dir;
  bool temporary = false;
  lightclient::Trust trust = bench_trust();
  std::unique_ptr<Index> index;
  std::unique_ptr<Follower> follower;
  std::unique_ptr<Api> api;
  Samples samples;
  double fill_seconds = 0;
  std::mt19937_64 rng{11};

  Explorer() {
    const std::uint64_t n = env_u64("BAUHINIA_EXPLORER_BENCH_TX", 1'000'000);
    if (const char* d = std::getenv("BAUHINIA_EXPLORER_BENCH_DIR"); d != nullptr && *d != '\0') {
      dir = d;
    } else {
      char pattern[] = "/tmp/explorer-bench-XXXXXX";
      dir = mkdtemp(pattern);
      temporary = true;
    }
    const auto samples_file = dir / ("samples-" + std::to_string(n) + ".json");
    auto opened = Index::open(dir / "index", trust.genesis_id);
    BAUHINIA_ASSERT(opened.has_value());
    index = std::move(*opened);
    std::ifstream in(samples_file);
    if (in && index->transaction_count() == n) {
      samples = Samples::from_json(json::parse(in));
      std::fprintf(stderr, "explorer bench: reusing the index of %llu transactions in %s\n",
                   static_cast<unsigned long long>(n), dir.c_str());
    } else {
      std::fprintf(stderr, "explorer bench: filling the index with %llu transactions in %s\n",
                   static_cast<unsigned long long>(n), dir.c_str());
      index.reset();
      std::filesystem::remove_all(dir / "index");
      auto fresh = Index::open(dir / "index", trust.genesis_id);
      BAUHINIA_ASSERT(fresh.has_value());
      index = std::move(*fresh);
      const auto start = std::chrono::steady_clock::now();
      samples = fill(*index, trust, n);
      fill_seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::ofstream(samples_file) << samples.to_json().dump();
      std::fprintf(stderr, "explorer bench: filled in %.0f s\n", fill_seconds);
    }
    follower = std::make_unique<Follower>(trust, *index, std::vector<UsableNode>{},
                                          [](const std::string&) {});
    api = std::make_unique<Api>(*index, *follower, std::filesystem::path{}, "{}");
  }
  ~Explorer() {
    api.reset();
    follower.reset();
    index.reset();
    if (temporary) std::filesystem::remove_all(dir);
  }

  template <class T>
  const T& pick(const std::vector<T>& v) {
    BAUHINIA_ASSERT(!v.empty());
    return v[rng() % v.size()];
  }
};

Explorer& explorer() {
  static Explorer e;
  return e;
}

// Times `target()` through Api::handle; counts the answer bytes.
template <class Target>
void run(benchmark::State& state, Target target) {
  Explorer& e = explorer();
  std::size_t bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const std::string t = target(e);
    state.ResumeTiming();
    HttpResponse r = e.api->handle("GET", t);
    if (r.status != 200) {
      state.SkipWithError(
          ("status " + std::to_string(r.status) + " for " + t + ": " + r.body.substr(0, 200))
              .c_str());
      break;
    }
    bytes += r.body.size();
    benchmark::DoNotOptimize(r.body.data());
  }
  state.counters["answer_B"] =
      benchmark::Counter(static_cast<double>(bytes), benchmark::Counter::kAvgIterations);
  state.counters["indexed_tx"] = static_cast<double>(e.samples.transactions);
}

void BM_Status(benchmark::State& s) {
  run(s, [](Explorer&) { return std::string("/api/status"); });
}
void BM_Registers(benchmark::State& s) {
  run(s, [](Explorer&) { return std::string("/api/registers"); });
}
void BM_LatestBlocks(benchmark::State& s) {
  run(s, [](Explorer&) { return std::string("/api/blocks?limit=10"); });
}
void BM_BlocksPage100(benchmark::State& s) {
  run(s, [](Explorer& e) {
    return "/api/blocks?limit=100&from=" + std::to_string(e.pick(e.samples.heights));
  });
}
void BM_Block(benchmark::State& s) {
  run(s, [](Explorer& e) { return "/api/blocks/" + std::to_string(e.pick(e.samples.heights)); });
}
void BM_Transaction(benchmark::State& s) {
  run(s, [](Explorer& e) { return "/api/tx/" + e.pick(e.samples.tx_ids); });
}
void BM_AccountBusyFirstPage(benchmark::State& s) {
  run(s, [](Explorer& e) { return "/api/accounts/" + e.samples.registrar; });
}
void BM_AccountBusyDeepPage100(benchmark::State& s) {
  run(s, [](Explorer& e) {
    return "/api/accounts/" + e.samples.registrar +
           "?limit=100&from=" + std::to_string(e.rng() % e.samples.transactions);
  });
}
void BM_AccountCompany(benchmark::State& s) {
  run(s, [](Explorer& e) { return "/api/accounts/" + e.pick(e.samples.companies); });
}
void BM_AccountCosigner(benchmark::State& s) {
  run(s, [](Explorer& e) { return "/api/accounts/" + e.pick(e.samples.pharmacies); });
}
void BM_SearchTrademarkNumber(benchmark::State& s) {
  run(s, [](Explorer& e) { return "/api/search?q=" + e.pick(e.samples.numbers); });
}
std::string percent(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}
void BM_SearchChineseName(benchmark::State& s) {
  run(s, [](Explorer& e) { return "/api/search?q=" + percent(e.pick(e.samples.chinese)); });
}
void BM_SearchBroadPrefix(benchmark::State& s) {
  // Two letters matching tens of thousands of names: the first 20 are answered.
  run(s, [](Explorer& e) { return "/api/search?q=" + percent(e.pick(kWordsEn).substr(0, 2)); });
}
void BM_SearchTransactionId(benchmark::State& s) {
  run(s, [](Explorer& e) { return "/api/search?q=" + e.pick(e.samples.tx_ids); });
}
void BM_SearchAccount(benchmark::State& s) {
  run(s, [](Explorer& e) { return "/api/search?q=" + e.pick(e.samples.companies); });
}
void BM_SearchHeight(benchmark::State& s) {
  run(s, [](Explorer& e) { return "/api/search?q=" + std::to_string(e.pick(e.samples.heights)); });
}
void BM_ExportTrademarksCsv(benchmark::State& s) {
  run(s, [](Explorer&) { return std::string("/api/export/trademarks.csv"); });
}
void BM_ExportCompaniesJson(benchmark::State& s) {
  run(s, [](Explorer&) { return std::string("/api/export/companies.json"); });
}

constexpr auto kMs = benchmark::kMillisecond;
BENCHMARK(BM_Status)->Unit(kMs);
BENCHMARK(BM_Registers)->Unit(kMs);
BENCHMARK(BM_LatestBlocks)->Unit(kMs);
BENCHMARK(BM_BlocksPage100)->Unit(kMs);
BENCHMARK(BM_Block)->Unit(kMs);
BENCHMARK(BM_Transaction)->Unit(kMs);
BENCHMARK(BM_AccountBusyFirstPage)->Unit(kMs);
BENCHMARK(BM_AccountBusyDeepPage100)->Unit(kMs);
BENCHMARK(BM_AccountCompany)->Unit(kMs);
BENCHMARK(BM_AccountCosigner)->Unit(kMs);
BENCHMARK(BM_SearchTrademarkNumber)->Unit(kMs);
BENCHMARK(BM_SearchChineseName)->Unit(kMs);
BENCHMARK(BM_SearchBroadPrefix)->Unit(kMs);
BENCHMARK(BM_SearchTransactionId)->Unit(kMs);
BENCHMARK(BM_SearchAccount)->Unit(kMs);
BENCHMARK(BM_SearchHeight)->Unit(kMs);
BENCHMARK(BM_ExportTrademarksCsv)->Unit(kMs)->Iterations(3);
BENCHMARK(BM_ExportCompaniesJson)->Unit(kMs)->Iterations(3);

}  // namespace
}  // namespace bauhinia::explorer
