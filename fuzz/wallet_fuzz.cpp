// Fuzzes the files the wallet reads from disk (docs/formats/keystore.md,
// prepared-transaction.md), through the wallet's own readers on real files:
//
//   selector % 3 == 0: a keystore file <dir>/fuzzkey.json through
//     Keystore::info, Keystore::list and Keystore::unlock;
//   selector % 3 == 1: a secret key file through read_secret_key_file;
//   selector % 3 == 2: a prepared-transaction file through read_prepared,
//     then check() and the envelope.
//
// Exact oracles: a reader never changes a file (the folder's names and bytes
// are the same afterwards); a keystore file that unlocks yields exactly the
// secret of its stored public key, and a wrong passphrase never unlocks it; an
// accepted secret key file holds that key's 64 hex digits; an accepted
// prepared transaction written back by the wallet (write_prepared) reads back
// equal, field for field, and its envelope's encoding decodes to itself.
//
// Unlocking runs Argon2id at the cost the file asks for (the wallet accepts up
// to 16 passes and 1 GiB): the harness only unlocks files that ask for at most
// 4 passes over 64 KiB, so that one execution stays in milliseconds; the seeds
// ask for the minimum. The cost bound itself is a unit test (keystore_test).
//
// With BAUHINIA_FUZZ_WRITE_SEEDS=<dir> the harness writes its seed corpus
// (genuine files of every kind, made by the wallet's own code) and exits.

#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "bauhinia/core/assert.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/wallet/call_spec.hpp"
#include "bauhinia/wallet/keystore.hpp"
#include "bauhinia/wallet/prepared_tx.hpp"
#include "signing.hpp"  // read_prepared / write_prepared (wallet-cli/src/app)

namespace fs = std::filesystem;
namespace core = bauhinia::core;
namespace wallet = bauhinia::wallet;
using nlohmann::json;

namespace {

constexpr std::string_view kKeyName = "fuzzkey";
constexpr std::string_view kPassphrase = "correct horse battery staple";
constexpr std::string_view kPrefix = "hktest";
constexpr std::uint64_t kMaxUnlockOps = 4;
constexpr std::uint64_t kMaxUnlockMem = 64 * 1024;

// The harness's folder, removed when the process exits (its static's
// destructor: an atexit handler registered inside the initialiser would run
// after the path itself is destroyed).
struct WorkDir {
  fs::path path;
  WorkDir() {
    const fs::path base = fs::exists("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    path = base / ("bauhinia-fuzz-wallet-" + std::to_string(::getpid()));
    fs::remove_all(path);
    fs::create_directories(path / "keys");
    fs::permissions(path / "keys", fs::perms::owner_all, fs::perm_options::replace);
  }
  ~WorkDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
};

const fs::path& work_dir() {
  static const WorkDir dir;
  return dir.path;
}

void write_file(const fs::path& p, std::string_view bytes, mode_t mode = 0600) {
  fs::remove(p);
  {
    std::ofstream out(p, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  ::chmod(p.c_str(), mode);
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Every file of a folder, by name, with its bytes and mode.
std::map<std::string, std::pair<std::string, unsigned>> snapshot(const fs::path& dir) {
  std::map<std::string, std::pair<std::string, unsigned>> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    struct stat st {};
    ::stat(e.path().c_str(), &st);
    files[e.path().filename().string()] = {read_file(e.path()),
                                           static_cast<unsigned>(st.st_mode & 07777)};
  }
  return files;
}

// Whether the file asks for a cheap Argon2id (the harness's own reading).
bool cheap_kdf(std::string_view text) {
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return true;  // rejected before the KDF
  const auto kdf = j.find("kdf");
  if (kdf == j.end() || !kdf->is_object()) return true;
  for (const auto& [field, bound] :
       {std::pair{"opslimit", kMaxUnlockOps}, std::pair{"memlimit", kMaxUnlockMem}}) {
    const auto v = kdf->find(field);
    if (v != kdf->end() && v->is_number_unsigned() && v->get<std::uint64_t>() > bound) return false;
  }
  return true;
}

void fuzz_keystore(std::string_view text) {
  const fs::path dir = work_dir() / "keys";
  const wallet::Keystore store(dir);
  write_file(store.path_of(kKeyName), text, text.size() % 7 == 0 ? 0644 : 0600);
  const auto before = snapshot(dir);

  auto info = store.info(kKeyName);
  auto listed = store.list();
  if (info) {
    BAUHINIA_ASSERT_MSG(listed && listed->size() == 1, "info accepts a file that list refuses");
    const wallet::KeyInfo& k = listed->front();
    BAUHINIA_ASSERT(k.name == info->name && k.account == info->account &&
                    k.public_key == info->public_key && k.created_ms == info->created_ms);
    BAUHINIA_ASSERT(info->name == kKeyName);
  } else {
    BAUHINIA_ASSERT_MSG(!listed, "list accepts a file that info refuses");
    BAUHINIA_ASSERT(!info.error().message().empty());
  }
  if (cheap_kdf(text)) {
    auto key = store.unlock(kKeyName, kPassphrase);
    if (key) {
      BAUHINIA_ASSERT_MSG(info.has_value(), "a file that does not parse unlocks");
      BAUHINIA_ASSERT_MSG(key->public_key() == info->public_key,
                          "unlocked a secret that is not the stored public key's");
      auto wrong = store.unlock(kKeyName, "not the passphrase");
      BAUHINIA_ASSERT_MSG(!wrong.has_value(), "a wrong passphrase unlocks the key");
    }
  }
  BAUHINIA_ASSERT_MSG(snapshot(dir) == before, "reading the keystore changed a file");
}

void fuzz_secret_key_file(std::string_view text) {
  const fs::path path = work_dir() / "secret.key";
  write_file(path, text, text.size() % 7 == 0 ? 0640 : 0600);
  auto key = wallet::read_secret_key_file(path);
  if (!key) return;
  std::string_view t = text;
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' '))
    t.remove_suffix(1);
  std::string hex(t);
  std::transform(hex.begin(), hex.end(), hex.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  BAUHINIA_ASSERT_MSG(hex == core::to_hex(key->bytes()),
                      "an accepted key file does not hold exactly the key's hex");
}

void fuzz_prepared(std::string_view text) {
  const fs::path path = work_dir() / "prepared.json";
  const fs::path again = work_dir() / "prepared-again.json";
  write_file(path, text, 0644);
  auto p = wallet::read_prepared(path);
  BAUHINIA_ASSERT_MSG(read_file(path) == text, "reading a prepared transaction changed it");
  if (!p) {
    BAUHINIA_ASSERT(!p.error().message().empty());
    return;
  }
  (void)wallet::check(*p);  // any verdict, but no crash
  (void)p->missing_cosigners();
  const core::Bytes envelope = core::encode(p->envelope());
  auto decoded = core::decode<bauhinia::chain::Transaction>(envelope);
  BAUHINIA_ASSERT_MSG(decoded && core::encode(*decoded) == envelope,
                      "an accepted envelope does not decode back");

  fs::remove(again);
  auto written = wallet::write_prepared(again, *p, kPrefix, /*create=*/true);
  BAUHINIA_ASSERT_MSG(written.ok(), "cannot write back an accepted prepared transaction");
  auto back = wallet::read_prepared(again);
  BAUHINIA_ASSERT_MSG(back.has_value(), "the wallet's own file does not read back");
  BAUHINIA_ASSERT_MSG(wallet::to_json(*back, kPrefix) == wallet::to_json(*p, kPrefix),
                      "a prepared transaction changed through its own file");
  BAUHINIA_ASSERT(core::encode(back->envelope()) == envelope);
}

// ---- seeds ---------------------------------------------------------------------

// A keystore file as Keystore::add writes it, at the minimum Argon2id cost.
std::string cheap_keystore_file(const core::schnorr::SecretKey& key, std::string_view name) {
  const core::AccountId account = core::account_id_of(key.public_key());
  std::array<std::uint8_t, crypto_pwhash_SALTBYTES> salt{};
  std::array<std::uint8_t, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES> nonce{};
  salt.fill(0x5A);
  nonce.fill(0xA5);
  std::array<std::uint8_t, crypto_aead_xchacha20poly1305_ietf_KEYBYTES> k{};
  BAUHINIA_ASSERT(crypto_pwhash(k.data(), k.size(), kPassphrase.data(), kPassphrase.size(),
                                salt.data(), crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN,
                                crypto_pwhash_ALG_ARGON2ID13) == 0);
  const std::string ad = "bauhinia-wallet-key/1\n" + std::string(name) + "\n" + account.to_hex() +
                         "\n" + key.public_key().to_hex();
  std::array<std::uint8_t, 32 + crypto_aead_xchacha20poly1305_ietf_ABYTES> ct{};
  unsigned long long n = 0;
  const auto secret = key.bytes();
  crypto_aead_xchacha20poly1305_ietf_encrypt(ct.data(), &n, secret.data(), secret.size(),
                                             reinterpret_cast<const unsigned char*>(ad.data()),
                                             ad.size(), nullptr, nonce.data(), k.data());
  const json file = {
      {"format", "bauhinia-wallet-key"},
      {"version", 1},
      {"name", name},
      {"account_id", account.to_hex()},
      {"public_key", key.public_key().to_hex()},
      {"created_ms", 1796610051000ULL},
      {"kdf",
       {{"algorithm", "argon2id13"},
        {"opslimit", crypto_pwhash_OPSLIMIT_MIN},
        {"memlimit", crypto_pwhash_MEMLIMIT_MIN},
        {"salt", core::to_hex(salt)}}},
      {"cipher",
       {{"algorithm", "xchacha20poly1305-ietf"},
        {"nonce", core::to_hex(nonce)},
        {"ciphertext", core::to_hex(ct)}}},
  };
  return file.dump(2) + "\n";
}

core::schnorr::SecretKey seed_key(std::uint8_t n) {
  core::Bytes raw(32, 0);
  raw[0] = 0x3C;
  raw[31] = n;
  return std::move(core::schnorr::SecretKey::from_bytes(raw)).value();
}

// The arguments of a CallSpec's example command line (`--name value`, `--flag`).
wallet::Args example_args(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (char c : line) {
    if (quote != 0) {
      if (c == quote)
        quote = 0;
      else
        word += c;
    } else if (c == '"' || c == '\'') {
      quote = c;
      in_word = true;
    } else if (c == ' ') {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  wallet::Args args;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (!words[i].starts_with("--")) continue;
    const std::string name = words[i].substr(2);
    if (i + 1 < words.size() && !words[i + 1].starts_with("--")) {
      args[name] = words[++i];
    } else {
      args[name] = "";
    }
  }
  return args;
}

void write_seeds(const fs::path& out) {
  fs::create_directories(out);
  auto seed = [&](const std::string& name, char selector, std::string_view body) {
    write_file(out / name, std::string(1, selector) + std::string(body), 0644);
  };
  // Keystore files: cheap ones that unlock (checked here), and one at the
  // wallet's real interactive cost (parsed, not unlocked by the harness).
  for (std::uint8_t i = 1; i <= 2; ++i) {
    const std::string text = cheap_keystore_file(seed_key(i), kKeyName);
    const fs::path dir = work_dir() / "keys";
    write_file(dir / "fuzzkey.json", text);
    auto key = wallet::Keystore(dir).unlock(kKeyName, kPassphrase);
    BAUHINIA_ASSERT_MSG(key && key->bytes() == seed_key(i).bytes(), "seed keystore file");
    seed("keystore-" + std::to_string(i), '\0', text);
  }
  {
    const fs::path dir = work_dir() / "real-keys";
    fs::remove_all(dir);
    auto added = wallet::Keystore(dir).add(kKeyName, seed_key(3), kPassphrase,
                                           wallet::KdfCost::kInteractive);
    BAUHINIA_ASSERT(added.has_value());
    seed("keystore-interactive", '\0', read_file(dir / "fuzzkey.json"));
    fs::remove_all(dir);
  }
  seed("secret-key", '\1', core::to_hex(seed_key(4).bytes()) + "\n");
  seed("secret-key-upper", '\4',
       "0000000000000000000000000000000000000000000000000000000000000001");
  // Prepared transactions: the first calls of every module, and a co-signed
  // one co-signed and signed.
  const auto sender = seed_key(5);
  const auto sender_id = core::account_id_of(sender.public_key());
  std::map<std::string, int> per_module;
  for (const wallet::CallSpec& spec : wallet::all_calls()) {
    if (per_module[spec.module] >= 2) continue;
    auto p = wallet::prepare(spec, example_args(spec.example), sender_id, sender.public_key(),
                             "bauhinia-demo-1", 12, 1796610051000ULL);
    if (!p) continue;
    ++per_module[spec.module];
    if (!p->cosigners.empty()) {
      for (std::uint8_t i = 0; i < 8; ++i) {  // co-sign with the keys we hold, if required
        (void)wallet::add_cosignature(*p, core::account_id_of(seed_key(10 + i).public_key()),
                                      seed_key(10 + i), 1796610000000ULL);
      }
    }
    (void)wallet::sign_envelope(*p, sender, 1796610000000ULL);
    seed("prepared-" + spec.module + "-" + spec.call, '\2',
         wallet::to_json(*p, kPrefix).dump(2) + "\n");
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  BAUHINIA_ASSERT(sodium_init() >= 0);
  if (const char* out = std::getenv("BAUHINIA_FUZZ_WRITE_SEEDS")) {
    write_seeds(out);
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 3) {
    case 0: fuzz_keystore(text); break;
    case 1: fuzz_secret_key_file(text); break;
    default: fuzz_prepared(text); break;
  }
  return 0;
}
