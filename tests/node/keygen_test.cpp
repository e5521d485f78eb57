// `bauhinia-node keygen` (generate_node_keys) and the descriptor format: the
// files it writes and their modes, never overwriting, bad options refused
// before anything is written, and every kind of bad descriptor refused with
// the field named.

#include "bauhinia/node/keygen.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>

#include "bauhinia/node/key_file.hpp"

namespace bauhinia::node {
namespace {

namespace fs = std::filesystem;

class KeygenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("bauhinia-keygen-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  KeygenOptions options(const std::string& dir = "ipd") const {
    KeygenOptions o;
    o.home = root_ / dir;
    o.department_code = "IPD";
    o.p2p = "10.0.1.10:26600";
    o.api = "127.0.0.1:8600";
    return o;
  }

  static std::string read(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  static unsigned mode_of(const fs::path& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
    return st.st_mode & 0777;
  }

  fs::path root_;
};

TEST_F(KeygenTest, WritesKeysAndAPublicDescriptor) {
  auto r = generate_node_keys(options());
  ASSERT_TRUE(r) << r.error().to_string();
  const fs::path home = root_ / "ipd";
  EXPECT_EQ(r->node_key_file, home / "node_key");
  ASSERT_TRUE(r->admin_key_file);
  EXPECT_EQ(*r->admin_key_file, home / "IPD-admin.key");
  EXPECT_EQ(r->descriptor_file, home / "descriptor.json");
  EXPECT_EQ(mode_of(r->node_key_file), 0600U);
  EXPECT_EQ(mode_of(*r->admin_key_file), 0600U);
  EXPECT_EQ(mode_of(r->descriptor_file), 0644U);

  auto node_key = read_ed25519_key(r->node_key_file);
  ASSERT_TRUE(node_key);
  auto admin_key = read_schnorr_key(*r->admin_key_file);
  ASSERT_TRUE(admin_key);
  auto d = load_descriptor(r->descriptor_file);
  ASSERT_TRUE(d) << d.error().to_string();
  EXPECT_EQ(d->department_code, "IPD");
  EXPECT_EQ(d->department_name, "Intellectual Property Department");
  EXPECT_EQ(d->name, "IPD");
  EXPECT_EQ(d->role, Role::kValidator);
  EXPECT_EQ(d->node_key, node_key->public_key());
  EXPECT_EQ(d->consensus_key, node_key->public_key());
  EXPECT_EQ(d->voting_power, 1U);
  EXPECT_EQ(d->p2p.to_string(), "10.0.1.10:26600");
  ASSERT_TRUE(d->api);
  EXPECT_EQ(d->api->to_string(), "127.0.0.1:8600");
  ASSERT_TRUE(d->admin_key);
  EXPECT_EQ(*d->admin_key, admin_key->public_key());
  EXPECT_EQ(descriptor_to_json(*d), descriptor_to_json(r->descriptor));

  // Nothing secret in the descriptor: neither secret's hex appears in it.
  const std::string text = read(r->descriptor_file);
  auto secret_hex = [&](const fs::path& p) {
    std::string s = read(p);
    while (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
  };
  EXPECT_EQ(text.find(secret_hex(r->node_key_file)), std::string::npos);
  EXPECT_EQ(text.find(secret_hex(*r->admin_key_file)), std::string::npos);
}

TEST_F(KeygenTest, NeverOverwritesKeys) {
  auto first = generate_node_keys(options());
  ASSERT_TRUE(first);
  const std::string key_before = read(first->node_key_file);
  const std::string admin_before = read(*first->admin_key_file);
  auto second = generate_node_keys(options());
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().message().find("exists"), std::string::npos)
      << second.error().to_string();
  EXPECT_EQ(read(first->node_key_file), key_before);
  EXPECT_EQ(read(*first->admin_key_file), admin_before);

  // Any one of the files is enough to refuse, and nothing else is written.
  for (const char* existing : {"node_key", "descriptor.json", "config.toml", "IPD-admin.key"}) {
    const fs::path home = root_ / (std::string("one-") + existing);
    fs::create_directories(home);
    std::ofstream(home / existing) << "x\n";
    KeygenOptions o = options();
    o.home = home;
    auto r = generate_node_keys(o);
    ASSERT_FALSE(r) << existing;
    EXPECT_NE(r.error().message().find(existing), std::string::npos) << r.error().to_string();
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(home)) ++files;
    EXPECT_EQ(files, 1U) << existing;
  }
}

TEST_F(KeygenTest, BadOptionsAreRefusedBeforeAnythingIsWritten) {
  struct Case {
    const char* what;
    std::function<void(KeygenOptions&)> change;
    const char* named;
  };
  const std::vector<Case> cases = {
      {"lower-case code", [](auto& o) { o.department_code = "ipd"; }, "--department"},
      {"one-letter code", [](auto& o) { o.department_code = "I"; }, "--department"},
      {"long code", [](auto& o) { o.department_code = "ABCDEFGHIJKLMNOPQ"; }, "--department"},
      {"unknown department without a name", [](auto& o) { o.department_code = "LCSD"; },
       "--department-name"},
      {"long department name", [](auto& o) { o.department_name = std::string(129, 'x'); },
       "--department-name"},
      {"name with a quote", [](auto& o) { o.name = "IPD\"x"; }, "--name"},
      {"long name", [](auto& o) { o.name = std::string(65, 'n'); }, "--name"},
      {"host name", [](auto& o) { o.p2p = "ipd.gov.hk:26600"; }, "--p2p"},
      {"port 0", [](auto& o) { o.p2p = "10.0.0.1:0"; }, "--p2p"},
      {"port 65536", [](auto& o) { o.p2p = "10.0.0.1:65536"; }, "--p2p"},
      {"no port", [](auto& o) { o.api = "127.0.0.1"; }, "--api"},
      {"voting power 0", [](auto& o) { o.voting_power = 0; }, "--voting-power"},
      {"voting power too large", [](auto& o) { o.voting_power = (1ULL << 40) + 1; },
       "--voting-power"},
      {"bad admin public key",
       [](auto& o) {
         o.admin = AdminKeyChoice::kPublicKey;
         o.admin_public_key_hex = "zz";
       },
       "--admin-pubkey"},
      {"empty home", [](auto& o) { o.home.clear(); }, "--home"},
  };
  for (const auto& c : cases) {
    KeygenOptions o = options("bad");
    c.change(o);
    auto r = generate_node_keys(o);
    ASSERT_FALSE(r) << c.what;
    EXPECT_NE(r.error().message().find(c.named), std::string::npos)
        << c.what << ": " << r.error().to_string();
    EXPECT_FALSE(fs::exists(root_ / "bad")) << c.what;
  }
}

TEST_F(KeygenTest, AdminKeyChoicesAndObservers) {
  // A second node of IPD, an observer, whose department admin key is on the
  // validator's descriptor.
  KeygenOptions o = options("ipd-observer");
  o.role = Role::kObserver;
  o.admin = AdminKeyChoice::kNone;
  auto r = generate_node_keys(o);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_FALSE(r->admin_key_file);
  EXPECT_FALSE(fs::exists(root_ / "ipd-observer" / "IPD-admin.key"));
  EXPECT_EQ(r->descriptor.name, "IPD-observer");
  EXPECT_EQ(r->descriptor.voting_power, 0U);
  EXPECT_FALSE(r->descriptor.admin_key);
  auto d = load_descriptor(r->descriptor_file);
  ASSERT_TRUE(d) << d.error().to_string();
  EXPECT_EQ(d->role, Role::kObserver);
  EXPECT_FALSE(d->admin_key);

  // A department that already has an admin key gives its public half.
  std::array<std::uint8_t, 32> sk{};
  sk[31] = 7;
  const auto existing = core::schnorr::SecretKey::from_bytes(sk)->public_key();
  KeygenOptions p = options("cr");
  p.department_code = "CR";
  p.admin = AdminKeyChoice::kPublicKey;
  p.admin_public_key_hex = existing.to_hex();
  auto q = generate_node_keys(p);
  ASSERT_TRUE(q) << q.error().to_string();
  EXPECT_FALSE(q->admin_key_file);
  ASSERT_TRUE(q->descriptor.admin_key);
  EXPECT_EQ(*q->descriptor.admin_key, existing);
  EXPECT_EQ(q->descriptor.department_name, "Companies Registry");

  // A department outside the pilot with its name.
  KeygenOptions n = options("lcsd");
  n.department_code = "LCSD";
  n.department_name = "Leisure and Cultural Services Department";
  n.name = "lcsd-1";
  auto m = generate_node_keys(n);
  ASSERT_TRUE(m) << m.error().to_string();
  EXPECT_TRUE(fs::exists(root_ / "lcsd" / "LCSD-admin.key"));
  EXPECT_EQ(m->descriptor.name, "lcsd-1");
}

// ---- the descriptor format ----

NodeDescriptor sample_descriptor() {
  std::array<std::uint8_t, 32> seed{};
  seed.fill(3);
  std::array<std::uint8_t, 32> sk{};
  sk[31] = 3;
  NodeDescriptor d;
  d.department_code = "DH";
  d.department_name = "Department of Health";
  d.name = "DH";
  d.node_key = core::ed25519::SecretKey::from_seed(seed).public_key();
  d.consensus_key = d.node_key;
  d.p2p = *parse_endpoint("[::1]:26603");
  d.api = *parse_endpoint("127.0.0.1:8603");
  d.admin_key = core::schnorr::SecretKey::from_bytes(sk)->public_key();
  return d;
}

TEST(Descriptor, JsonRoundTrip) {
  const NodeDescriptor d = sample_descriptor();
  const std::string text = descriptor_to_json(d);
  auto back = parse_descriptor_json(text);
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(descriptor_to_json(*back), text);
  EXPECT_EQ(back->p2p.host, "::1");
  EXPECT_EQ(back->p2p.port, 26603);

  NodeDescriptor o = d;
  o.role = Role::kObserver;
  o.voting_power = 0;
  o.api.reset();
  o.admin_key.reset();
  auto back2 = parse_descriptor_json(descriptor_to_json(o));
  ASSERT_TRUE(back2) << back2.error().to_string();
  EXPECT_FALSE(back2->api);
  EXPECT_FALSE(back2->admin_key);
  EXPECT_EQ(back2->role, Role::kObserver);
}

TEST(Descriptor, EveryKindOfBadInputIsRefusedWithTheFieldNamed) {
  const nlohmann::json good = nlohmann::json::parse(descriptor_to_json(sample_descriptor()));
  std::array<std::uint8_t, 32> other_seed{};
  other_seed.fill(9);
  const std::string other_key =
      core::ed25519::SecretKey::from_seed(other_seed).public_key().to_hex();
  struct Case {
    const char* what;
    std::function<void(nlohmann::json&)> change;
    const char* named;
  };
  const std::vector<Case> cases = {
      {"no format", [](auto& j) { j.erase("format"); }, "not a node descriptor"},
      {"other format", [](auto& j) { j["format"] = "bauhinia-node-descriptor/2"; }, "format"},
      {"unknown field", [](auto& j) { j["secret"] = "x"; }, "secret: unknown field"},
      {"missing code", [](auto& j) { j.erase("department_code"); }, "department_code: missing"},
      {"bad code", [](auto& j) { j["department_code"] = "dh"; }, "department_code"},
      {"empty department name", [](auto& j) { j["department_name"] = ""; }, "department_name"},
      {"name not a string", [](auto& j) { j["name"] = 5; }, "name: must be a string"},
      {"bad name", [](auto& j) { j["name"] = "D H"; }, "name"},
      {"bad role", [](auto& j) { j["role"] = "leader"; }, "role"},
      {"short node key", [](auto& j) { j["node_key"] = "abcd"; }, "node_key"},
      {"non-hex node key", [](auto& j) { j["node_key"] = std::string(64, 'g'); }, "node_key"},
      {"missing consensus key", [](auto& j) { j.erase("consensus_key"); }, "consensus_key"},
      {"separate consensus key", [&](auto& j) { j["consensus_key"] = other_key; },
       "consensus_key: differs"},
      {"negative power", [](auto& j) { j["voting_power"] = -1; }, "voting_power"},
      {"power as text", [](auto& j) { j["voting_power"] = "1"; }, "voting_power"},
      {"validator power 0", [](auto& j) { j["voting_power"] = 0; }, "voting_power"},
      {"observer with power",
       [](auto& j) {
         j["role"] = "observer";
         j["voting_power"] = 1;
       },
       "voting_power"},
      {"p2p host name", [](auto& j) { j["p2p"] = "dh.gov.hk:26600"; }, "p2p"},
      {"p2p port 0", [](auto& j) { j["p2p"] = "10.0.0.3:0"; }, "p2p"},
      {"p2p missing", [](auto& j) { j.erase("p2p"); }, "p2p: missing"},
      {"api not a string", [](auto& j) { j["api"] = 8600; }, "api"},
      {"bad admin key", [](auto& j) { j["admin_key"] = std::string(64, '0'); }, "admin_key"},
      {"admin key a number", [](auto& j) { j["admin_key"] = 1; }, "admin_key"},
  };
  for (const auto& c : cases) {
    nlohmann::json j = good;
    c.change(j);
    auto r = parse_descriptor_json(j.dump());
    ASSERT_FALSE(r) << c.what;
    EXPECT_NE(r.error().detail.find(c.named), std::string::npos)
        << c.what << ": " << r.error().detail;
  }
  EXPECT_FALSE(parse_descriptor_json("not json"));
  EXPECT_FALSE(parse_descriptor_json("[1, 2]"));
  EXPECT_FALSE(parse_descriptor_json(""));
  auto big = parse_descriptor_json(std::string(kMaxDescriptorBytes + 1, ' '));
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().reason, core::Reject::kTooLarge);
}

TEST(Descriptor, LoadNamesTheFile) {
  const fs::path p =
      fs::temp_directory_path() / ("bauhinia-descriptor-" + std::to_string(::getpid()) + ".json");
  std::ofstream(p) << "{\"format\": \"bauhinia-node-descriptor/1\"}";
  auto r = load_descriptor(p);
  fs::remove(p);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().detail.rfind(p.string() + ": ", 0), 0U) << r.error().detail;
  auto missing = load_descriptor(p);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().detail.find(p.string()), std::string::npos);
}

}  // namespace
}  // namespace bauhinia::node
