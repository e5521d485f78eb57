// The node's health payload store and service over real LevelDB and key files
// in a temporary folder and a real ledger (genesis from the real modules,
// blocks executed by the real Executor): encryption, crypto-shredding, damaged
// stores, and every upload and release rule with hostile requests.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "api_test_support.hpp"
#include "bauhinia/contracts/genesis.hpp"
#include "bauhinia/contracts/health/module.hpp"
#include "bauhinia/contracts/health/payload_auth.hpp"
#include "bauhinia/contracts/module_set.hpp"
#include "bauhinia/contracts/state_view.hpp"
#include "bauhinia/node/api_handler.hpp"
#include "bauhinia/node/health_payloads.hpp"

namespace bauhinia::node {
namespace {

namespace health = contracts::health;
using apitest::certify;
using apitest::kChainId;
using apitest::validator_set;

constexpr std::uint64_t kGenesisMs = 1'772'413'200'000ULL;

core::schnorr::SecretKey skey(std::uint8_t n) {
  core::Bytes raw(32, 0);
  raw[0] = 0x6C;
  raw[31] = n;
  return std::move(core::schnorr::SecretKey::from_bytes(raw)).value();
}
const core::schnorr::SecretKey kAdmin = skey(1);
const core::schnorr::SecretKey kFacility = skey(2);
const core::schnorr::SecretKey kFacility2 = skey(3);
const core::schnorr::SecretKey kProvider = skey(4);
const core::schnorr::SecretKey kProvider2 = skey(5);
const core::schnorr::SecretKey kPatient = skey(10);

core::AccountId id_of(const core::schnorr::SecretKey& k) {
  return core::account_id_of(k.public_key());
}

class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("bauhinia-health-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  static int& counter() {
    static int c = 0;
    return c;
  }
  std::filesystem::path path_;
};

core::Hash256 filled(std::uint8_t b) {
  core::Hash256 h;
  h.bytes().fill(b);
  return h;
}

HealthPayload sample(std::string_view text = "HbA1c 6.1% (2026-03-02), fasting glucose 5.4") {
  HealthPayload p;
  p.salt.fill(0x5A);
  p.record.assign(text.begin(), text.end());
  return p;
}

std::unique_ptr<HealthPayloadStore> open_store(const TempDir& dir) {
  auto s = HealthPayloadStore::open(dir.path() / "payloads", dir.path() / "keys");
  EXPECT_TRUE(s.has_value()) << s.error().to_string();
  return std::move(s).value();
}

// ---- The store --------------------------------------------------------------------

TEST(HealthPayloadStore, EncryptsPerRecordAndReadsBack) {
  TempDir dir;
  auto store = open_store(dir);
  const auto id = filled(0x11);
  auto put = store->put(id, sample());
  ASSERT_TRUE(put.has_value()) << put.error().to_string();
  EXPECT_TRUE(*put);
  auto got = store->get(id);
  ASSERT_TRUE(got.has_value() && got->has_value());
  EXPECT_EQ((*got)->record, sample().record);
  EXPECT_EQ((*got)->salt, sample().salt);
  // The ciphertext holds no plaintext; the key file is the owner's only.
  auto raw = store->raw_ciphertext(id);
  ASSERT_TRUE(raw.has_value() && raw->has_value());
  const std::string hay((*raw)->begin(), (*raw)->end());
  EXPECT_EQ(hay.find("HbA1c"), std::string::npos);
  struct stat st {};
  ASSERT_EQ(::stat(store->key_file(id).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // Held already: nothing rewritten, the same key.
  auto again = store->put(id, sample());
  ASSERT_TRUE(again.has_value());
  EXPECT_FALSE(*again);
  EXPECT_EQ(*store->raw_ciphertext(id), *raw);
  // Another record's payload gets another key and nonce.
  ASSERT_TRUE(store->put(filled(0x12), sample()).has_value());
  EXPECT_NE(**store->raw_ciphertext(filled(0x12)), **raw);
  // Nothing for an unknown record.
  auto none = store->get(filled(0x13));
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->has_value());
}

TEST(HealthPayloadStore, SurvivesReopen) {
  TempDir dir;
  {
    auto store = open_store(dir);
    ASSERT_TRUE(store->put(filled(0x21), sample()).has_value());
  }
  auto store = open_store(dir);
  auto got = store->get(filled(0x21));
  ASSERT_TRUE(got.has_value() && got->has_value());
  EXPECT_EQ((*got)->record, sample().record);
  auto held = store->records_with_keys();
  ASSERT_TRUE(held.has_value());
  EXPECT_EQ(*held, std::vector<core::Hash256>{filled(0x21)});
}

TEST(HealthPayloadStore, ADestroyedKeyLeavesEvenARestoredCiphertextUnreadable) {
  TempDir dir;
  auto store = open_store(dir);
  const auto id = filled(0x31);
  ASSERT_TRUE(store->put(id, sample()).has_value());
  const core::Bytes backup = **store->raw_ciphertext(id);
  const auto key_path = store->key_file(id);
  ASSERT_TRUE(std::filesystem::exists(key_path));
  ASSERT_TRUE(store->destroy(id));
  EXPECT_FALSE(std::filesystem::exists(key_path));
  EXPECT_FALSE(store->raw_ciphertext(id)->has_value());
  EXPECT_TRUE(*store->is_erased(id));
  // Someone restores the ciphertext from a backup: still unreadable.
  ASSERT_TRUE(store->put_raw_ciphertext(id, backup));
  auto got = store->get(id);
  ASSERT_TRUE(got.has_value());
  EXPECT_FALSE(got->has_value());
  // The key is gone from every store file (no copy left in a folder).
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir.path())) {
    EXPECT_FALSE(e.path().filename().string().ends_with(".key")) << e.path();
  }
  // And the payload is never stored again; destroy is idempotent.
  auto put = store->put(id, sample());
  ASSERT_FALSE(put.has_value());
  EXPECT_EQ(put.error().code(), core::StatusCode::kInvalidArgument);
  EXPECT_TRUE(store->destroy(id));
  EXPECT_TRUE(store->records_with_keys()->empty());
}

TEST(HealthPayloadStore, DamagedValuesAreCorruptionNotPlaintext) {
  TempDir dir;
  auto store = open_store(dir);
  const auto a = filled(0x41);
  const auto b = filled(0x42);
  ASSERT_TRUE(store->put(a, sample("record A")).has_value());
  ASSERT_TRUE(store->put(b, sample("record B")).has_value());
  const core::Bytes good_a = **store->raw_ciphertext(a);
  // A flipped byte of the ciphertext.
  core::Bytes flipped = good_a;
  flipped.back() ^= 0x01;
  ASSERT_TRUE(store->put_raw_ciphertext(a, flipped));
  auto r1 = store->get(a);
  ASSERT_FALSE(r1.has_value());
  EXPECT_EQ(r1.error().code(), core::StatusCode::kCorruption);
  // Truncated, and an unknown format byte.
  ASSERT_TRUE(store->put_raw_ciphertext(a, core::ByteView(good_a.data(), 10)));
  EXPECT_EQ(store->get(a).error().code(), core::StatusCode::kCorruption);
  core::Bytes other_format = good_a;
  other_format[0] = 9;
  ASSERT_TRUE(store->put_raw_ciphertext(a, other_format));
  EXPECT_EQ(store->get(a).error().code(), core::StatusCode::kCorruption);
  // B's ciphertext under A's id (bound to its record id): does not decrypt.
  ASSERT_TRUE(store->put_raw_ciphertext(a, **store->raw_ciphertext(b)));
  EXPECT_EQ(store->get(a).error().code(), core::StatusCode::kCorruption);
  // A damaged key file.
  ASSERT_TRUE(store->put_raw_ciphertext(a, good_a));
  ASSERT_TRUE(store->get(a).has_value());
  std::ofstream(store->key_file(a), std::ios::binary | std::ios::trunc) << "short";
  EXPECT_EQ(store->get(a).error().code(), core::StatusCode::kCorruption);
}

TEST(HealthPayloadStore, ReleasesAreMarkedOnce) {
  TempDir dir;
  auto store = open_store(dir);
  EXPECT_TRUE(*store->mark_released(filled(0x51)));
  EXPECT_FALSE(*store->mark_released(filled(0x51)));
  EXPECT_TRUE(*store->mark_released(filled(0x52)));
}

TEST(HealthPayloadStore, RefusesOneFolderForBoth) {
  TempDir dir;
  auto s = HealthPayloadStore::open(dir.path() / "same", dir.path() / "same");
  EXPECT_FALSE(s.has_value());
}

// ---- The service over a real ledger -------------------------------------------------

// A chain with the Department of Health: a facility (health.issuer), two
// providers (health.provider), blocks executed by every module of the chain.
class HealthChain {
 public:
  HealthChain() {
    modules_.register_with(executor_);
    contracts::GenesisInput in;
    in.chain_id = kChainId;
    in.timestamp_ms = kGenesisMs;
    in.validators = validator_set(0);
    in.departments.push_back({"DH", "Department of Health", kAdmin.public_key()});
    in.roles.push_back({"DH", std::string(health::kIssuerRole), id_of(kFacility)});
    in.roles.push_back({"DH", std::string(health::kIssuerRole), id_of(kFacility2)});
    in.roles.push_back({"DH", std::string(health::kProviderRole), id_of(kProvider)});
    in.roles.push_back({"DH", std::string(health::kProviderRole), id_of(kProvider2)});
    auto writes = contracts::genesis_writes(modules_, in);
    BAUHINIA_ASSERT_MSG(writes.has_value(), "genesis");
    ledger::GenesisSpec g;
    g.chain_id = kChainId;
    g.validators = validator_set(0);
    g.timestamp_ms = kGenesisMs;
    for (auto& [k, w] : *writes) g.state.push_back(ledger::StateWrite{k, w.value});
    auto store = ledger::LedgerStore::open(std::make_unique<ledger::MemoryKvStore>(), g);
    BAUHINIA_ASSERT_MSG(store.has_value(), "open ledger");
    ledger_ = std::move(store).value();
  }

  std::uint64_t block_time(std::uint64_t height) const { return kGenesisMs + height * 60'000; }

  // Signs and commits one health call of `k` in its own block; returns its
  // id and outcome.
  std::pair<core::Hash256, chain::TxOutcome> call(const core::schnorr::SecretKey& k,
                                                  std::string name, core::Bytes payload) {
    chain::Transaction tx;
    tx.chain_id = kChainId;
    tx.public_key = k.public_key();
    tx.sender = id_of(k);
    tx.sequence = sequences_[tx.sender]++;
    tx.expiry_ms = kGenesisMs + 365 * 86'400'000ULL;
    tx.module = "health";
    tx.call = std::move(name);
    tx.payload = std::move(payload);
    tx.sign(k);
    auto itx = chain::IdentifiedTransaction::of(std::move(tx));
    const chain::BlockHeader parent = ledger_->latest_header();
    const std::uint64_t height = parent.height + 1;
    const contracts::BlockContext ctx{kChainId, height, block_time(height),
                                      parent.accumulator_size};
    const LedgerVersionReader state(*ledger_, parent.height);
    auto executed = executor_.execute_block(ctx, std::span(&itx, 1), state);
    BAUHINIA_ASSERT_MSG(executed.has_value() && executed->has_value(), "execute block");
    const contracts::ExecutedBlock& block = executed->value();
    ledger::BlockCommit b;
    b.transactions.push_back(itx.tx.encoded());
    b.infos.push_back(block.transactions[0].info);
    for (const auto& [key, write] : block.writes) b.state_writes.push_back({key, write.value});
    auto roots = ledger_->roots_after(b.infos, b.state_writes);
    BAUHINIA_ASSERT_MSG(roots.has_value(), "roots_after");
    chain::BlockHeader& h = b.header;
    h.epoch = 0;
    h.height = height;
    h.round = height;
    h.parent_hash = parent.id();
    h.timestamp_ms = ctx.timestamp_ms;
    h.proposer = apitest::validator_key(0, 0).public_key();
    h.transactions_root = roots->transactions_root;
    h.accumulator_root = roots->accumulator_root;
    h.accumulator_size = roots->accumulator_size;
    h.state_root = roots->state_root;
    h.validator_set_hash = validator_set(0).hash();
    h.next_validator_set_hash = h.validator_set_hash;
    b.certificate = certify(h);
    auto verdict = ledger_->commit_block(b);
    BAUHINIA_ASSERT_MSG(verdict.has_value() && verdict->ok(), "commit block");
    last_block_transactions = b.transactions;
    return {itx.id, block.transactions[0].info.outcome};
  }

  ledger::LedgerStore& ledger() { return *ledger_; }
  std::vector<core::Bytes> last_block_transactions;

 private:
  contracts::ModuleSet modules_;
  contracts::Executor executor_;
  std::unique_ptr<ledger::LedgerStore> ledger_;
  std::map<core::AccountId, std::uint64_t> sequences_;
};

// A chain with a record of kPatient (issued by kFacility), a 30-day consent
// to kProvider for its type, and the service with a controllable clock.
struct Scene {
  HealthChain chain;
  TempDir dir;
  std::unique_ptr<HealthPayloadStore> store = open_store(dir);
  std::uint64_t clock_ms = 0;
  std::optional<std::uint32_t> overloaded;
  HealthPayloads service{chain.ledger(), *store, HealthPayloadLimits{}, [this] { return clock_ms; },
                         [this] { return overloaded; }};
  core::Hash256 record, consent;

  Scene() {
    const auto c = health::record_commitment(sample().salt, sample().record);
    auto r = chain.call(kFacility, "issue", core::encode(health::IssueArgs{2, id_of(kPatient), c}));
    EXPECT_EQ(r.second, chain::TxOutcome::kSuccess);
    record = r.first;
    auto g = chain.call(kPatient, "grant_consent",
                        core::encode(health::GrantConsentArgs{
                            id_of(kProvider), 2, chain.block_time(2) + 30 * 86'400'000ULL}));
    EXPECT_EQ(g.second, chain::TxOutcome::kSuccess);
    consent = g.first;
    // The other facility and provider have accounts on chain (a failed call
    // creates the account too).
    const auto other = health::record_commitment(sample().salt, sample("other").record);
    EXPECT_EQ(
        chain.call(kFacility2, "issue", core::encode(health::IssueArgs{1, id_of(kPatient), other}))
            .second,
        chain::TxOutcome::kSuccess);
    EXPECT_NE(chain
                  .call(kProvider2, "record_access",
                        core::encode(health::RecordAccessArgs{record, consent}))
                  .second,
              chain::TxOutcome::kSuccess);
    clock_ms = chain.ledger().latest_header().timestamp_ms + 1000;
  }

  PayloadUpload upload_by(const core::schnorr::SecretKey& k, HealthPayload p = sample()) {
    PayloadUpload u;
    u.record_id = record;
    u.issuer = id_of(k);
    u.timestamp_ms = clock_ms;
    u.payload = std::move(p);
    u.signature = health::sign_challenge(
        health::upload_challenge(kChainId, u.issuer, u.timestamp_ms,
                                 {u.record_id, core::sha256(u.payload.record)}),
        k);
    return u;
  }
  core::Hash256 log_access(const core::schnorr::SecretKey& k = kProvider) {
    auto a =
        chain.call(k, "record_access", core::encode(health::RecordAccessArgs{record, consent}));
    EXPECT_EQ(a.second, chain::TxOutcome::kSuccess);
    clock_ms = chain.ledger().latest_header().timestamp_ms + 1000;
    return a.first;
  }
  PayloadRelease release_by(const core::schnorr::SecretKey& k, const core::Hash256& access) {
    PayloadRelease r;
    r.record_id = record;
    r.access_id = access;
    r.provider = id_of(k);
    r.timestamp_ms = clock_ms;
    r.signature = health::sign_challenge(
        health::release_challenge(kChainId, r.provider, r.timestamp_ms, {record, access}), k);
    return r;
  }
};

template <class T>
std::string code_of(const PayloadAnswer<T>& a) {
  return a ? std::string("ok") : std::to_string(a.error().status) + "/" + a.error().code;
}

TEST(HealthPayloadService, TheIssuerUploadsAPayloadThatOpensTheCommitment) {
  Scene s;
  auto up = s.service.upload(s.upload_by(kFacility));
  ASSERT_EQ(code_of(up), "ok") << up.error().message;
  EXPECT_TRUE(up->stored);
  EXPECT_FALSE(s.service.upload(s.upload_by(kFacility))->stored);  // idempotent
  auto held = s.store->get(s.record);
  ASSERT_TRUE(held && *held);
  EXPECT_EQ((*held)->record, sample().record);
}

TEST(HealthPayloadService, HostileUploadsAreRefusedAndStoreNothing) {
  Scene s;
  // Another facility (not the record's issuer), a provider, the patient.
  EXPECT_EQ(code_of(s.service.upload(s.upload_by(kFacility2))), "403/not_record_issuer");
  // A forged signature: signed by another key for the facility's account.
  PayloadUpload forged = s.upload_by(kFacility);
  forged.signature = s.upload_by(kFacility2).signature;
  EXPECT_EQ(code_of(s.service.upload(forged)), "401/bad_signature");
  // The signature covers the bytes: other bytes under the same signature.
  PayloadUpload swapped = s.upload_by(kFacility);
  swapped.payload.record.push_back('!');
  EXPECT_EQ(code_of(s.service.upload(swapped)), "401/bad_signature");
  // Bytes that do not open the commitment (signed correctly).
  EXPECT_EQ(code_of(s.service.upload(s.upload_by(kFacility, sample("another record")))),
            "422/commitment_mismatch");
  HealthPayload wrong_salt = sample();
  wrong_salt.salt[0] ^= 1;
  EXPECT_EQ(code_of(s.service.upload(s.upload_by(kFacility, wrong_salt))),
            "422/commitment_mismatch");
  // Stale and future timestamps.
  PayloadUpload stale = s.upload_by(kFacility);
  s.clock_ms += 120'001;
  EXPECT_EQ(code_of(s.service.upload(stale)), "401/stale_request");
  s.clock_ms -= 240'002;
  EXPECT_EQ(code_of(s.service.upload(stale)), "401/stale_request");
  s.clock_ms += 120'001;
  // An account without a key on chain.
  EXPECT_EQ(code_of(s.service.upload(s.upload_by(skey(99)))), "401/unknown_account");
  // An unknown record.
  PayloadUpload unknown = s.upload_by(kFacility);
  unknown.record_id = filled(0x66);
  unknown.signature = health::sign_challenge(
      health::upload_challenge(kChainId, unknown.issuer, unknown.timestamp_ms,
                               {unknown.record_id, core::sha256(unknown.payload.record)}),
      kFacility);
  EXPECT_EQ(code_of(s.service.upload(unknown)), "404/record_not_found");
  // Too large, and over the admission budget.
  HealthPayload big;
  big.record.assign(64 * 1024 + 1, 'x');
  EXPECT_EQ(code_of(s.service.upload(s.upload_by(kFacility, big))), "413/payload_too_large");
  s.overloaded = 3;
  EXPECT_EQ(code_of(s.service.upload(s.upload_by(kFacility))), "429/overloaded");
  s.overloaded.reset();
  EXPECT_FALSE(*s.store->get(s.record));
}

TEST(HealthPayloadService, AProviderWithACommittedAccessGetsThePayloadOnce) {
  Scene s;
  ASSERT_TRUE(s.service.upload(s.upload_by(kFacility)));
  const auto access = s.log_access();
  auto rel = s.service.release(s.release_by(kProvider, access));
  ASSERT_EQ(code_of(rel), "ok") << rel.error().message;
  EXPECT_EQ(rel->payload.record, sample().record);
  EXPECT_EQ(rel->access.id, access);
  EXPECT_EQ(rel->access.consent_id, s.consent);
  // The released record verifies against the chain's commitment.
  const LedgerVersionReader reader(s.chain.ledger(), s.chain.ledger().latest_height());
  contracts::StateOverlay overlay(reader);
  const contracts::OverlayStateView view("health", overlay);
  auto onchain = health::load_record(view, s.record);
  ASSERT_TRUE(onchain);
  EXPECT_TRUE(health::opens(*onchain, rel->payload.salt, rel->payload.record));
  // The same access again (a replayed request, or a second read): refused.
  EXPECT_EQ(code_of(s.service.release(s.release_by(kProvider, access))), "409/already_released");
  // A new access logs a new entry and allows a new release.
  const auto second = s.log_access();
  EXPECT_EQ(code_of(s.service.release(s.release_by(kProvider, second))), "ok");
}

TEST(HealthPayloadService, ReleasesWithoutAValidCommittedAccessAreRefused) {
  Scene s;
  ASSERT_TRUE(s.service.upload(s.upload_by(kFacility)));
  const auto access = s.log_access();
  // An id that is no access.
  EXPECT_EQ(code_of(s.service.release(s.release_by(kProvider, filled(0x77)))),
            "404/access_not_found");
  // Another provider presenting this provider's access.
  EXPECT_EQ(code_of(s.service.release(s.release_by(kProvider2, access))), "403/not_your_access");
  // Signed by someone else for the provider's account.
  PayloadRelease forged = s.release_by(kProvider, access);
  forged.signature = s.release_by(kProvider2, access).signature;
  EXPECT_EQ(code_of(s.service.release(forged)), "401/bad_signature");
  // The access names another record.
  PayloadRelease other = s.release_by(kProvider, access);
  other.record_id = s.consent;
  other.signature =
      health::sign_challenge(health::release_challenge(kChainId, other.provider, other.timestamp_ms,
                                                       {other.record_id, access}),
                             kProvider);
  EXPECT_EQ(code_of(s.service.release(other)), "404/record_not_found");
  // Too long after the access (health.release_window_ms, 10 minutes).
  const std::uint64_t now = s.clock_ms;
  s.clock_ms = now + 600'001;
  EXPECT_EQ(code_of(s.service.release(s.release_by(kProvider, access))), "403/access_expired");
  s.clock_ms = now;
  // The consent is withdrawn after the access was logged: refused now.
  ASSERT_EQ(s.chain.call(kPatient, "withdraw_consent", core::encode(health::ConsentArgs{s.consent}))
                .second,
            chain::TxOutcome::kSuccess);
  EXPECT_EQ(code_of(s.service.release(s.release_by(kProvider, access))), "403/consent_withdrawn");
}

TEST(HealthPayloadService, AConsentExpiredByTheNodesClockReleasesNothing) {
  Scene s;
  ASSERT_TRUE(s.service.upload(s.upload_by(kFacility)));
  // A consent that ends one minute after its access.
  const std::uint64_t access_height = s.chain.ledger().latest_height() + 2;
  auto g = s.chain.call(kPatient, "grant_consent",
                        core::encode(health::GrantConsentArgs{
                            id_of(kProvider), 2, s.chain.block_time(access_height) + 60'000}));
  ASSERT_EQ(g.second, chain::TxOutcome::kSuccess);
  auto a = s.chain.call(kProvider, "record_access",
                        core::encode(health::RecordAccessArgs{s.record, g.first}));
  ASSERT_EQ(a.second, chain::TxOutcome::kSuccess);
  s.clock_ms = s.chain.block_time(access_height) + 60'000;  // the consent's end
  EXPECT_EQ(code_of(s.service.release(s.release_by(kProvider, a.first))), "403/consent_expired");
}

TEST(HealthPayloadService, ErasureOnCommitDestroysTheKeyAndEverythingAfterIsGone) {
  Scene s;
  ASSERT_TRUE(s.service.upload(s.upload_by(kFacility)));
  const auto access = s.log_access();
  const auto key_path = s.store->key_file(s.record);
  ASSERT_TRUE(std::filesystem::exists(key_path));
  auto e = s.chain.call(kPatient, "erase", core::encode(health::RecordArgs{s.record}));
  ASSERT_EQ(e.second, chain::TxOutcome::kSuccess);
  // Before the hook ran, the chain already says erased: nothing is released.
  EXPECT_EQ(code_of(s.service.release(s.release_by(kProvider, access))), "410/erased");
  ASSERT_TRUE(s.service.after_commit(s.chain.last_block_transactions));
  EXPECT_FALSE(std::filesystem::exists(key_path));
  EXPECT_FALSE(*s.store->get(s.record));
  EXPECT_EQ(code_of(s.service.release(s.release_by(kProvider, access))), "410/erased");
  EXPECT_EQ(code_of(s.service.upload(s.upload_by(kFacility))), "410/erased");
}

TEST(HealthPayloadService, TheSweepDestroysWhatWasErasedWhileTheNodeWasDown) {
  Scene s;
  ASSERT_TRUE(s.service.upload(s.upload_by(kFacility)));
  ASSERT_EQ(s.chain.call(kFacility, "erase", core::encode(health::RecordArgs{s.record})).second,
            chain::TxOutcome::kSuccess);
  ASSERT_TRUE(s.store->get(s.record)->has_value());  // the hook never ran
  ASSERT_TRUE(s.service.sweep());
  EXPECT_FALSE(s.store->get(s.record)->has_value());
  EXPECT_TRUE(*s.store->is_erased(s.record));
  // A failed erase (wrong sender) destroys nothing.
  Scene t;
  ASSERT_TRUE(t.service.upload(t.upload_by(kFacility)));
  ASSERT_NE(t.chain.call(kProvider, "erase", core::encode(health::RecordArgs{t.record})).second,
            chain::TxOutcome::kSuccess);
  ASSERT_TRUE(t.service.after_commit(t.chain.last_block_transactions));
  EXPECT_TRUE(t.store->get(t.record)->has_value());
}

// ---- The routes ---------------------------------------------------------------------

TEST(HealthPayloadRoutes, JsonInJsonOutAndHostileBodiesAre4xx) {
  Scene s;
  mempool::MempoolConfig mc;
  mc.chain_id = kChainId;
  mempool::Mempool pool(mc, ledger_account_lookup(s.chain.ledger()));
  contracts::Executor executor;
  MetricsRegistry metrics;
  LedgerApiBackendOptions with;
  with.health_payloads = &s.service;
  LedgerApiBackend backend(s.chain.ledger(), pool, executor, with);
  LedgerApiBackend without(s.chain.ledger(), pool, executor);
  const ApiHandler handler(backend, metrics);
  const ApiHandler plain(without, metrics);
  auto post = [](const ApiHandler& h, std::string target, std::string body) {
    return h.handle(ApiRequest{"POST", std::move(target), "application/json", std::move(body)});
  };
  auto code = [](const ApiResponse& r) {
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    return std::to_string(r.status) + "/" +
           (j.contains("error") ? j["error"]["code"].get<std::string>() : std::string("ok"));
  };
  const PayloadUpload u = s.upload_by(kFacility);
  nlohmann::json body{{"record_id", u.record_id.to_hex()},
                      {"issuer", u.issuer.to_hex()},
                      {"timestamp_ms", u.timestamp_ms},
                      {"salt", core::to_hex(u.payload.salt)},
                      {"payload_hex", core::to_hex(u.payload.record)},
                      {"signature", core::to_hex(u.signature.bytes)}};
  EXPECT_EQ(code(post(plain, "/v1/health/payloads", body.dump())), "404/no_payload");
  EXPECT_EQ(code(post(handler, "/v1/health/payloads", "{not json")), "400/bad_request");
  EXPECT_EQ(code(post(handler, "/v1/health/payloads", "[1,2]")), "400/bad_request");
  for (const char* field :
       {"record_id", "issuer", "timestamp_ms", "salt", "payload_hex", "signature"}) {
    nlohmann::json missing = body;
    missing.erase(field);
    EXPECT_EQ(code(post(handler, "/v1/health/payloads", missing.dump())), "400/bad_request")
        << field;
  }
  nlohmann::json odd = body;
  odd["salt"] = "zz";
  EXPECT_EQ(code(post(handler, "/v1/health/payloads", odd.dump())), "400/bad_request");
  odd = body;
  odd["timestamp_ms"] = -5;
  EXPECT_EQ(code(post(handler, "/v1/health/payloads", odd.dump())), "400/bad_request");
  odd = body;
  odd["payload_hex"] = std::string(2 * 64 * 1024 + 2, 'a');
  EXPECT_EQ(code(post(handler, "/v1/health/payloads", odd.dump())), "413/payload_too_large");
  EXPECT_EQ(handler.handle(ApiRequest{"GET", "/v1/health/payloads", "", ""}).status, 405u);
  EXPECT_EQ(code(post(handler, "/v1/health/other", "{}")), "404/unknown_path");
  EXPECT_EQ(code(post(handler, "/v1/health/payloads", body.dump())), "201/ok");
  EXPECT_EQ(code(post(handler, "/v1/health/payloads", body.dump())), "200/ok");

  const auto access = s.log_access();
  const PayloadRelease r = s.release_by(kProvider, access);
  nlohmann::json rel{{"access_id", access.to_hex()},
                     {"provider", r.provider.to_hex()},
                     {"timestamp_ms", r.timestamp_ms},
                     {"signature", core::to_hex(r.signature.bytes)}};
  const std::string target = "/v1/health/payloads/" + s.record.to_hex() + "/release";
  EXPECT_EQ(code(post(handler, "/v1/health/payloads/nothex/release", rel.dump())),
            "400/bad_request");
  const ApiResponse ok = post(handler, target, rel.dump());
  ASSERT_EQ(ok.status, 200u) << ok.body;
  auto j = nlohmann::json::parse(ok.body);
  EXPECT_EQ(j["payload_hex"], core::to_hex(sample().record));
  EXPECT_EQ(j["salt"], core::to_hex(sample().salt));
  EXPECT_EQ(j["consent_id"], s.consent.to_hex());
  EXPECT_EQ(code(post(handler, target, rel.dump())), "409/already_released");
}

}  // namespace
}  // namespace bauhinia::node

namespace bauhinia::node {
namespace {

// ---- The [health] configuration -----------------------------------------------------

constexpr const char* kBase = R"(
[node]
name = "DH"
role = "validator"
data_dir = "data"
key_file = "node_key"
genesis_file = "../genesis.json"

[network]
listen = "127.0.0.1:26603"

[api]
listen = "127.0.0.1:8603"
)";

TEST(HealthPayloadConfig, ASectionEnablesTheStoreWithKeysApart) {
  auto none = parse_config(kBase, "/srv/dh");
  ASSERT_TRUE(none) << none.error().to_string();
  EXPECT_TRUE(none->health_payload_dir.empty());
  EXPECT_EQ(format_config(*none).find("[health]"), std::string::npos);

  auto c =
      parse_config(std::string(kBase) + "\n[health]\npayload_dir = \"data/health\"\n", "/srv/dh");
  ASSERT_TRUE(c) << c.error().to_string();
  EXPECT_EQ(c->health_payload_dir, "/srv/dh/data/health");
  EXPECT_EQ(c->health_key_dir, "/srv/dh/data/health-keys");
  EXPECT_EQ(c->health_max_payload_bytes, 64U * 1024);
  // The written configuration reads back the same.
  auto again = parse_config(format_config(*c), "/srv/dh");
  ASSERT_TRUE(again) << again.error().to_string();
  EXPECT_EQ(again->health_payload_dir, c->health_payload_dir);
  EXPECT_EQ(again->health_key_dir, c->health_key_dir);

  auto keys = parse_config(std::string(kBase) +
                               "\n[health]\npayload_dir = \"p\"\nkey_dir = \"/vault/keys\"\n"
                               "request_window_ms = 5000\n",
                           "/srv/dh");
  ASSERT_TRUE(keys) << keys.error().to_string();
  EXPECT_EQ(keys->health_key_dir, "/vault/keys");
  EXPECT_EQ(keys->health_request_window_ms, 5000U);
}

TEST(HealthPayloadConfig, BadSectionsAreRefusedNamingTheField) {
  auto error = [](const std::string& section) {
    auto c = parse_config(std::string(kBase) + "\n[health]\n" + section, "/srv/dh");
    EXPECT_FALSE(c) << section;
    return c ? std::string() : c.error().detail;
  };
  EXPECT_NE(error("key_dir = \"k\"\n").find("health.payload_dir is required"), std::string::npos);
  EXPECT_NE(error("payload_dir = \"p\"\nkey_dir = \"p\"\n").find("health.key_dir"),
            std::string::npos);
  EXPECT_NE(error("payload_dir = \"p\"\ncolour = 1\n").find("health.colour is not a known field"),
            std::string::npos);
  EXPECT_NE(
      error("payload_dir = \"p\"\nmax_payload_bytes = 600000\n").find("health.max_payload_bytes"),
      std::string::npos);
  EXPECT_NE(error("payload_dir = \"p\"\nrequest_window_ms = 10\n").find("health.request_window_ms"),
            std::string::npos);
}

}  // namespace
}  // namespace bauhinia::node
