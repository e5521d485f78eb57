// The genesis ceremony (build_genesis) and peers from descriptors: the genesis
// built from descriptors, independent of their order, with the id every node
// computes; every kind of inconsistent set of descriptors refused with the
// files named.

#include "bauhinia/node/genesis_builder.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <random>

#include "bauhinia/ledger/kv_store.hpp"
#include "bauhinia/ledger/ledger_store.hpp"

namespace bauhinia::node {
namespace {

namespace fs = std::filesystem;

core::ed25519::PublicKey node_key(std::uint8_t n) {
  std::array<std::uint8_t, 32> seed{};
  seed.fill(n);
  return core::ed25519::SecretKey::from_seed(seed).public_key();
}

core::schnorr::PublicKey admin_key(std::uint8_t n) {
  std::array<std::uint8_t, 32> sk{};
  sk[31] = n;
  return core::schnorr::SecretKey::from_bytes(sk)->public_key();
}

SourcedDescriptor descriptor(std::uint8_t n, const std::string& code, Role role = Role::kValidator,
                             bool with_admin = true) {
  NodeDescriptor d;
  d.department_code = code;
  d.department_name = code + " department";
  for (const auto& p : kPilotDepartments) {
    if (code == p.code) d.department_name = p.name;
  }
  d.name = role == Role::kValidator ? code : code + "-observer";
  d.role = role;
  d.node_key = node_key(n);
  d.consensus_key = d.node_key;
  d.voting_power = role == Role::kValidator ? 1 : 0;
  d.p2p = *parse_endpoint("10.0.0." + std::to_string(n) + ":26600");
  d.api = *parse_endpoint("127.0.0.1:8600");
  if (with_admin) d.admin_key = admin_key(n);
  return SourcedDescriptor{d.name + ".json", d};
}

// Four departments with a validator each, and an observer of IPD.
std::vector<SourcedDescriptor> ceremony() {
  return {descriptor(1, "IPD"), descriptor(2, "CR"), descriptor(3, "DH"), descriptor(4, "EPD"),
          descriptor(5, "IPD", Role::kObserver, /*with_admin=*/false)};
}

constexpr std::uint64_t kTime = 1767225600000;

TEST(GenesisBuilder, BuildsTheValidatorSetAndDepartments) {
  auto b = build_genesis("bauhinia-hk-1", kTime, ceremony());
  ASSERT_TRUE(b) << b.error().detail;
  const Genesis& g = b->genesis;
  EXPECT_EQ(g.chain_id, "bauhinia-hk-1");
  EXPECT_EQ(g.timestamp_ms, kTime);
  EXPECT_EQ(g.validators.epoch, 0U);
  ASSERT_EQ(g.validators.validators.size(), 4U);
  // Sorted by name; the observer is not a validator.
  const std::vector<std::string> names = {"CR", "DH", "EPD", "IPD"};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(g.validators.validators[i].name, names[i]);
    EXPECT_EQ(g.validators.validators[i].voting_power, 1U);
  }
  EXPECT_EQ(g.validators.validators[3].key, node_key(1));
  ASSERT_EQ(g.departments.size(), 4U);
  EXPECT_EQ(g.departments[0].code, "CR");
  EXPECT_EQ(g.departments[0].name, "Companies Registry");
  EXPECT_EQ(g.departments[0].admin_key, admin_key(2));
  EXPECT_EQ(g.departments[3].code, "IPD");
  EXPECT_EQ(g.departments[3].admin_key, admin_key(1));
  EXPECT_TRUE(g.validate().ok());
  EXPECT_TRUE(b->warnings.empty());
  ASSERT_EQ(b->nodes.size(), 5U);
  EXPECT_EQ(b->nodes[4].descriptor.name, "IPD-observer");

  // genesis.json parses back to the same genesis, with the same block id.
  auto parsed = parse_genesis_json(genesis_to_json(g));
  ASSERT_TRUE(parsed) << parsed.error().detail;
  auto id = genesis_block_id(g);
  ASSERT_TRUE(id) << id.error().to_string();
  auto id_parsed = genesis_block_id(*parsed);
  ASSERT_TRUE(id_parsed);
  EXPECT_EQ(*id, *id_parsed);
  // ... which is what a ledger opened from it holds (what GET /v1/status shows).
  auto spec = genesis_spec(*parsed);
  ASSERT_TRUE(spec);
  auto store = ledger::LedgerStore::open(std::make_unique<ledger::MemoryKvStore>(), *spec);
  ASSERT_TRUE(store) << store.error().to_string();
  EXPECT_EQ((*store)->genesis_id(), *id);
}

TEST(GenesisBuilder, TheOrderOfTheDescriptorsDoesNotMatter) {
  auto reference = build_genesis("bauhinia-hk-1", kTime, ceremony());
  ASSERT_TRUE(reference);
  const std::string json = genesis_to_json(reference->genesis);
  const auto id = genesis_block_id(reference->genesis);
  ASSERT_TRUE(id);
  std::mt19937 rng(42);
  for (int i = 0; i < 5; ++i) {
    auto shuffled = ceremony();
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    auto b = build_genesis("bauhinia-hk-1", kTime, shuffled);
    ASSERT_TRUE(b);
    EXPECT_EQ(genesis_to_json(b->genesis), json);
    EXPECT_EQ(*genesis_block_id(b->genesis), *id);
  }
  // Another time or chain id is another genesis.
  auto later = build_genesis("bauhinia-hk-1", kTime + 1, ceremony());
  ASSERT_TRUE(later);
  EXPECT_NE(*genesis_block_id(later->genesis), *id);
  // The genesis block does not commit to the chain id (ledger::genesis_header),
  // so only genesis.json (and its sha256, which `genesis` prints) tells two
  // chain ids apart.
  auto other = build_genesis("bauhinia-hk-2", kTime, ceremony());
  ASSERT_TRUE(other);
  EXPECT_NE(genesis_to_json(other->genesis), json);
}

TEST(GenesisBuilder, EveryKindOfBadCeremonyIsRefusedWithTheFilesNamed) {
  struct Case {
    const char* what;
    std::function<void(std::vector<SourcedDescriptor>&)> change;
    std::vector<std::string> named;  // fragments the error must contain
  };
  const std::vector<Case> cases = {
      {"duplicate node key",
       [](auto& v) {
         v[1].descriptor.node_key = v[0].descriptor.node_key;
         v[1].descriptor.consensus_key = v[0].descriptor.node_key;
       },
       {"CR.json", "IPD.json", "node_key"}},
      {"duplicate name",
       [](auto& v) { v[4].descriptor.name = "IPD"; },
       {"IPD.json", "name 'IPD' repeats"}},
      {"duplicate p2p address",
       [](auto& v) { v[2].descriptor.p2p = v[1].descriptor.p2p; },
       {"DH.json", "CR.json", "p2p address 10.0.0.2:26600"}},
      {"two validators of one department",
       [](auto& v) {
         v[4].descriptor.role = Role::kValidator;
         v[4].descriptor.voting_power = 1;
       },
       {"IPD-observer.json", "IPD.json", "department IPD has a second validator"}},
      {"two admin keys for one department",
       [](auto& v) { v[4].descriptor.admin_key = admin_key(99); },
       {"IPD-observer.json", "IPD.json", "two different admin keys"}},
      {"one admin key for two departments",
       [](auto& v) { v[1].descriptor.admin_key = v[0].descriptor.admin_key; },
       {"CR.json", "IPD.json", "admin key of department IPD"}},
      {"department without an admin key",
       [](auto& v) { v[2].descriptor.admin_key.reset(); },
       {"department DH", "DH.json", "no admin_key"}},
      {"two names for one department",
       [](auto& v) { v[4].descriptor.department_name = "Intellectual Property Dept."; },
       {"IPD-observer.json", "IPD.json", "department_name"}},
      {"invalid descriptor",
       [](auto& v) { v[3].descriptor.consensus_key = node_key(77); },
       {"EPD.json", "consensus_key"}},
      {"observer with power",
       [](auto& v) { v[4].descriptor.voting_power = 3; },
       {"IPD-observer.json", "voting_power"}},
      {"no validators",
       [](auto& v) {
         v.erase(v.begin(), v.begin() + 4);
         v[0].descriptor.admin_key = admin_key(5);
       },
       {"no validator"}},
      {"no descriptors", [](auto& v) { v.clear(); }, {"no descriptors"}},
  };
  for (const auto& c : cases) {
    auto v = ceremony();
    c.change(v);
    auto b = build_genesis("bauhinia-hk-1", kTime, v);
    ASSERT_FALSE(b) << c.what;
    for (const auto& f : c.named) {
      EXPECT_NE(b.error().detail.find(f), std::string::npos)
          << c.what << ": '" << f << "' not in: " << b.error().detail;
    }
  }
  for (const std::string& bad : {std::string(), std::string(65, 'c')}) {
    auto b = build_genesis(bad, kTime, ceremony());
    ASSERT_FALSE(b);
    EXPECT_NE(b.error().detail.find("chain id"), std::string::npos);
  }
}

TEST(GenesisBuilder, LimitsOnValidatorsDescriptorsAndDepartments) {
  // 101 validators (each its own department) is one too many.
  auto code_of = [](std::size_t i) {
    return std::string("D") + static_cast<char>('A' + i / 26 % 26) +
           static_cast<char>('A' + i % 26);
  };
  std::vector<SourcedDescriptor> many;
  for (std::size_t i = 0; i < 101; ++i) {
    auto d = descriptor(static_cast<std::uint8_t>(i + 1), code_of(i));
    d.descriptor.p2p.port = static_cast<std::uint16_t>(20000 + i);
    many.push_back(d);
  }
  auto b = build_genesis("c", kTime, many);
  ASSERT_FALSE(b);
  EXPECT_NE(b.error().detail.find("101 validators; at most 100"), std::string::npos)
      << b.error().detail;
  // 65 departments, even with few validators, is beyond the genesis limit of 64.
  for (std::size_t i = 4; i < many.size(); ++i) {
    many[i].descriptor.role = Role::kObserver;
    many[i].descriptor.voting_power = 0;
  }
  many.resize(65);
  auto d = build_genesis("c", kTime, many);
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().detail.find("65 departments; at most 64"), std::string::npos)
      << d.error().detail;
  // More descriptors than any node could list as peers.
  std::vector<SourcedDescriptor> too_many(kMaxCeremonyDescriptors + 1, descriptor(1, "IPD"));
  auto e = build_genesis("c", kTime, too_many);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().reason, core::Reject::kTooLarge);
  std::vector<fs::path> paths(kMaxCeremonyDescriptors + 1, "x.json");
  EXPECT_FALSE(load_descriptors(paths));
}

TEST(GenesisBuilder, FewerThanFourValidatorsIsAWarning) {
  auto v = ceremony();
  v.erase(v.begin() + 3);  // EPD
  auto b = build_genesis("c", kTime, v);
  ASSERT_TRUE(b) << b.error().detail;
  ASSERT_EQ(b->warnings.size(), 1U);
  EXPECT_NE(b->warnings[0].find("only 3 validators"), std::string::npos);
}

TEST(GenesisBuilder, LoadDescriptorsNamesTheBadFile) {
  const fs::path dir =
      fs::temp_directory_path() / ("bauhinia-ceremony-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "ipd.json") << descriptor_to_json(descriptor(1, "IPD").descriptor);
  std::ofstream(dir / "cr.json") << "{\"format\": \"bauhinia-node-descriptor/1\", \"name\": 1}";
  auto ok = load_descriptors({dir / "ipd.json"});
  ASSERT_TRUE(ok) << ok.error().detail;
  EXPECT_EQ((*ok)[0].source, (dir / "ipd.json").string());
  auto bad = load_descriptors({dir / "ipd.json", dir / "cr.json"});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().detail.find((dir / "cr.json").string()), std::string::npos)
      << bad.error().detail;
  auto missing = load_descriptors({dir / "nope.json"});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().detail.find("nope.json"), std::string::npos);

  // write_new_file never overwrites.
  EXPECT_TRUE(write_new_file(dir / "genesis.json", "{}\n").is_ok());
  EXPECT_FALSE(write_new_file(dir / "genesis.json", "{}\n").is_ok());
  fs::remove_all(dir);
}

TEST(GenesisBuilder, PeersFromDescriptorsAreCheckedAgainstTheGenesis) {
  auto b = build_genesis("bauhinia-hk-1", kTime, ceremony());
  ASSERT_TRUE(b);
  const Genesis& g = b->genesis;
  // Every node but IPD itself, whatever the order.
  auto peers = peers_from_descriptors(g, node_key(1), ceremony());
  ASSERT_TRUE(peers) << peers.error().detail;
  ASSERT_EQ(peers->size(), 4U);
  for (const auto& p : *peers) EXPECT_NE(p.key, node_key(1));
  EXPECT_EQ((*peers)[0].key, node_key(2));
  EXPECT_EQ((*peers)[0].endpoint.to_string(), "10.0.0.2:26600");

  // A validator descriptor that is not in the genesis (a stranger, or a stale file).
  auto v = ceremony();
  v.push_back(descriptor(9, "OGCIO"));
  auto stranger = peers_from_descriptors(g, node_key(1), v);
  ASSERT_FALSE(stranger);
  EXPECT_NE(stranger.error().detail.find("OGCIO.json"), std::string::npos);
  EXPECT_NE(stranger.error().detail.find("not in the genesis validator set"), std::string::npos);
  // An observer descriptor carrying a validator's key.
  auto w = ceremony();
  w[4].descriptor.node_key = node_key(2);
  w[4].descriptor.consensus_key = node_key(2);
  auto observer = peers_from_descriptors(g, node_key(1), w);
  ASSERT_FALSE(observer);
  EXPECT_NE(observer.error().detail.find("is a validator"), std::string::npos);
  // An observer of a department the genesis does not know.
  auto x = ceremony();
  x.push_back(descriptor(8, "LCSD", Role::kObserver, false));
  auto unknown = peers_from_descriptors(g, node_key(1), x);
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().detail.find("department LCSD is not in the genesis"),
            std::string::npos);
  // The same descriptor twice.
  auto y = ceremony();
  y.push_back(y[1]);
  auto twice = peers_from_descriptors(g, node_key(1), y);
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().detail.find("repeats"), std::string::npos);
  // A renamed validator.
  auto z = ceremony();
  z[1].descriptor.name = "CR2";
  auto renamed = peers_from_descriptors(g, node_key(1), z);
  ASSERT_FALSE(renamed);
  EXPECT_NE(renamed.error().detail.find("genesis lists its key as 'CR'"), std::string::npos);
}

}  // namespace
}  // namespace bauhinia::node
