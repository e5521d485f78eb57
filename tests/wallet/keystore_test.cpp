// The keystore's trust boundary: a key file on disk. Every failure is a clear
// error and leaves the folder exactly as it was.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "bauhinia/wallet/keystore.hpp"

namespace bauhinia::wallet {
namespace {

namespace fs = std::filesystem;

class KeystoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("bauhinia-keystore-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path keys() const { return dir_ / "keys"; }

  // Every file of the keystore folder with its bytes and mode.
  std::map<std::string, std::pair<std::string, unsigned>> snapshot() const {
    std::map<std::string, std::pair<std::string, unsigned>> s;
    if (!fs::exists(keys())) return s;
    for (const auto& e : fs::directory_iterator(keys())) {
      std::ifstream in(e.path(), std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      struct stat st {};
      ::stat(e.path().c_str(), &st);
      s[e.path().filename().string()] = {text.str(), static_cast<unsigned>(st.st_mode & 07777)};
    }
    return s;
  }

  static std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  static void write(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << text;
  }

  KeyInfo make(const Keystore& store, const std::string& name, const core::schnorr::SecretKey& key,
               const std::string& pass = "correct horse") {
    auto info = store.add(name, key, pass, KdfCost::kInteractive, std::nullopt, 1234);
    EXPECT_TRUE(info.has_value()) << info.error().to_string();
    return info ? *info : KeyInfo{};
  }

  fs::path dir_;
};

TEST_F(KeystoreTest, RoundTripKeepsTheKeyAndWritesAPrivateFile) {
  const Keystore store(keys());
  const auto key = core::schnorr::SecretKey::generate();
  const KeyInfo info = make(store, "ipd-officer", key);
  EXPECT_EQ(info.account, core::account_id_of(key.public_key()));
  EXPECT_EQ(info.public_key, key.public_key());

  struct stat st {};
  ASSERT_EQ(::stat(store.path_of("ipd-officer").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(keys().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);

  // The secret is not in the file in clear.
  EXPECT_EQ(read(store.path_of("ipd-officer")).find(core::to_hex(key.bytes())), std::string::npos);

  auto unlocked = store.unlock("ipd-officer", "correct horse");
  ASSERT_TRUE(unlocked.has_value()) << unlocked.error().to_string();
  EXPECT_EQ(unlocked->bytes(), key.bytes());

  auto listed = store.list();
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().name, "ipd-officer");
  EXPECT_EQ(listed->front().created_ms, 1234u);
}

TEST_F(KeystoreTest, WrongPassphraseIsAClearErrorAndChangesNothing) {
  const Keystore store(keys());
  make(store, "a", core::schnorr::SecretKey::generate());
  const auto before = snapshot();
  auto r = store.unlock("a", "wrong horse");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("wrong passphrase"), std::string::npos) << r.error().message();
  EXPECT_EQ(snapshot(), before);
}

TEST_F(KeystoreTest, TruncatedOrCorruptFilesAreRefusedByName) {
  const Keystore store(keys());
  make(store, "a", core::schnorr::SecretKey::generate());
  const fs::path file = store.path_of("a");
  const std::string good = read(file);

  // Truncated at every tenth byte: never unlocks, always names the file.
  for (std::size_t cut = 0; cut < good.size(); cut += 10) {
    write(file, good.substr(0, cut));
    const auto before = snapshot();
    auto r = store.unlock("a", "correct horse");
    ASSERT_FALSE(r.has_value()) << "cut at " << cut;
    EXPECT_NE(r.error().message().find(file.string()), std::string::npos) << r.error().message();
    EXPECT_EQ(snapshot(), before);
  }

  // Each field changed: refused (by the format check or by the AEAD).
  const nlohmann::json j = nlohmann::json::parse(good);
  const std::vector<std::pair<std::string, nlohmann::json>> edits = {
      {"/public_key", core::schnorr::SecretKey::generate().public_key().to_hex()},
      {"/account_id", std::string(64, 'a')},
      {"/name", "b"},
      {"/version", 2},
      {"/kdf/algorithm", "scrypt"},
      {"/kdf/salt", std::string(32, '0')},
      {"/kdf/opslimit", 3},
      {"/kdf/memlimit", 1ULL << 40},  // a hostile cost: refused before any allocation
      {"/cipher/nonce", std::string(48, '0')},
      {"/cipher/ciphertext", std::string(96, 'f')},
      {"/cipher/ciphertext", "zz"},
  };
  for (const auto& [pointer, value] : edits) {
    nlohmann::json bad = j;
    bad[nlohmann::json::json_pointer(pointer)] = value;
    write(file, bad.dump());
    const auto before = snapshot();
    auto r = store.unlock("a", "correct horse");
    EXPECT_FALSE(r.has_value()) << pointer << " accepted";
    if (!r) {
      EXPECT_FALSE(r.error().message().empty());
    }
    EXPECT_EQ(snapshot(), before) << pointer;
  }
  write(file, good);
  EXPECT_TRUE(store.unlock("a", "correct horse").has_value());
}

// Every field (and each object) replaced by a value of another JSON type: a
// clear refusal naming the file from info, list and unlock, never an
// exception (the fuzzer found `"format": 1` thrown out of json::value).
TEST_F(KeystoreTest, FieldsOfAnotherTypeAreRefusedNotThrown) {
  const Keystore store(keys());
  make(store, "a", core::schnorr::SecretKey::generate());
  const fs::path file = store.path_of("a");
  const std::string good = read(file);
  const nlohmann::json j = nlohmann::json::parse(good);
  std::vector<std::string> pointers = {"/kdf", "/cipher"};
  const auto leaves = j.flatten();
  for (const auto& [pointer, value] : leaves.items()) pointers.push_back(pointer);
  ASSERT_GE(pointers.size(), 12U);
  const std::vector<nlohmann::json> others = {
      7, -1, 1.5, true, nullptr, nlohmann::json::array(), nlohmann::json::object(), "text"};
  for (const std::string& pointer : pointers) {
    for (const nlohmann::json& other : others) {
      nlohmann::json bad = j;
      const auto& was = bad[nlohmann::json::json_pointer(pointer)];
      if (was.type() == other.type() || (was.is_number() && other.is_number())) continue;
      bad[nlohmann::json::json_pointer(pointer)] = other;
      write(file, bad.dump());
      const auto before = snapshot();
      const std::string what = pointer + " = " + other.dump();
      ASSERT_NO_THROW(EXPECT_FALSE(store.info("a").has_value()) << what) << what;
      ASSERT_NO_THROW((void)store.list()) << what;
      ASSERT_NO_THROW({
        auto r = store.unlock("a", "correct horse");
        EXPECT_FALSE(r.has_value()) << what;
        if (!r) {
          EXPECT_NE(r.error().message().find(file.string()), std::string::npos) << what;
        }
      }) << what;
      EXPECT_EQ(snapshot(), before) << what;
    }
  }
  write(file, good);
  EXPECT_TRUE(store.unlock("a", "correct horse").has_value());
}

TEST_F(KeystoreTest, FilesOthersCanReadAreRefused) {
  const Keystore store(keys());
  make(store, "a", core::schnorr::SecretKey::generate());
  for (const unsigned mode : {0644u, 0640u, 0604u, 0660u}) {
    ASSERT_EQ(::chmod(store.path_of("a").c_str(), mode), 0);
    const auto before = snapshot();
    auto r = store.unlock("a", "correct horse");
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message().find("chmod 600"), std::string::npos) << r.error().message();
    EXPECT_FALSE(store.info("a").has_value());
    EXPECT_FALSE(store.list().has_value());
    EXPECT_EQ(snapshot(), before);
  }
  ASSERT_EQ(::chmod(store.path_of("a").c_str(), 0600), 0);
  EXPECT_TRUE(store.unlock("a", "correct horse").has_value());
}

TEST_F(KeystoreTest, AnExistingNameIsNeverOverwritten) {
  const Keystore store(keys());
  const auto first = core::schnorr::SecretKey::generate();
  make(store, "a", first);
  const auto before = snapshot();
  auto r = store.add("a", core::schnorr::SecretKey::generate(), "other", KdfCost::kInteractive);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("exists already"), std::string::npos) << r.error().message();
  EXPECT_EQ(snapshot(), before);
  EXPECT_EQ(store.unlock("a", "correct horse")->bytes(), first.bytes());
}

TEST_F(KeystoreTest, BadNamesAndEmptyPassphrasesAreRefused) {
  const Keystore store(keys());
  const auto key = core::schnorr::SecretKey::generate();
  for (const std::string& name : std::vector<std::string>{"", "../x", "a/b", "A", "-a", "a b",
                                                          "x.pending", std::string(65, 'a')}) {
    EXPECT_FALSE(store.add(name, key, "p", KdfCost::kInteractive).has_value()) << name;
  }
  EXPECT_FALSE(store.add("ok", key, "", KdfCost::kInteractive).has_value());
  EXPECT_TRUE(snapshot().empty());
  EXPECT_FALSE(store.unlock("missing", "p").has_value());
}

TEST_F(KeystoreTest, SecretKeyFilesImportAndExport) {
  const auto key = core::schnorr::SecretKey::generate();
  const fs::path file = dir_ / "admin.key";
  ASSERT_TRUE(write_secret_key_file(file, key).is_ok());
  EXPECT_FALSE(write_secret_key_file(file, key).is_ok()) << "never overwritten";
  auto back = read_secret_key_file(file);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->bytes(), key.bytes());

  ASSERT_EQ(::chmod(file.c_str(), 0644), 0);
  EXPECT_FALSE(read_secret_key_file(file).has_value());
  for (const std::string& text : std::vector<std::string>{
           "", "00", std::string(64, 'g'), std::string(64, '0'), std::string(66, 'a')}) {
    fs::remove(file);
    write(file, text);
    ASSERT_EQ(::chmod(file.c_str(), 0600), 0);
    EXPECT_FALSE(read_secret_key_file(file).has_value()) << text;
  }
}

TEST_F(KeystoreTest, RotationKeepsTheAccountAndTheOldKey) {
  const Keystore store(keys());
  const auto first = core::schnorr::SecretKey::generate();
  const KeyInfo old = make(store, "a", first);
  const auto second = core::schnorr::SecretKey::generate();
  auto staged = store.stage_rotation("a", second, "correct horse", KdfCost::kInteractive, 5);
  ASSERT_TRUE(staged.has_value()) << staged.error().to_string();
  EXPECT_EQ(staged->account, old.account);
  // Staged twice: refused.
  EXPECT_FALSE(store.stage_rotation("a", second, "p", KdfCost::kInteractive, 6).has_value());
  // Not yet current.
  EXPECT_EQ(store.unlock("a", "correct horse")->bytes(), first.bytes());
  ASSERT_TRUE(store.promote_rotation("a", 7).is_ok());
  auto now = store.unlock("a", "correct horse");
  ASSERT_TRUE(now.has_value());
  EXPECT_EQ(now->bytes(), second.bytes());
  EXPECT_EQ(store.info("a")->account, old.account);
  EXPECT_TRUE(fs::exists(keys() / "a.retired-7.json"));
  EXPECT_EQ(store.list()->size(), 1u);

  // A failed rotation leaves the current key as it was.
  ASSERT_TRUE(store
                  .stage_rotation("a", core::schnorr::SecretKey::generate(), "correct horse",
                                  KdfCost::kInteractive, 8)
                  .has_value());
  ASSERT_TRUE(store.discard_rotation("a").is_ok());
  EXPECT_EQ(store.unlock("a", "correct horse")->bytes(), second.bytes());
  EXPECT_FALSE(fs::exists(keys() / "a.pending.json"));
}

}  // namespace
}  // namespace bauhinia::wallet
