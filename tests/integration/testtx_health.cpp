// bauhinia-testtx's health commands (testtx_health.hpp).

#include "testtx_health.hpp"

#include <chrono>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <string>

#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/contracts/health/module.hpp"
#include "bauhinia/contracts/health/payload_auth.hpp"
#include "bauhinia/contracts/system/roles.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/random.hpp"
#include "bauhinia/node/genesis.hpp"
#include "bauhinia/node/key_file.hpp"

namespace bauhinia::testtx {

namespace health = contracts::health;

namespace {

constexpr std::uint64_t kMaxTtlMs = 24ULL * 3600 * 1000;
constexpr std::uint64_t kMaxRecordFileBytes = 1U << 20;

int fail(const std::string& message) {
  std::cerr << "bauhinia-testtx: " << message << "\n";
  return 1;
}

std::uint64_t now_ms() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

}  // namespace

struct HealthCommands::Impl {
  // Shared options (each command uses its own subset).
  std::filesystem::path key_file, genesis, record_file;
  std::string chain_id, subject, type, record_text, salt, record, provider, consent,
      access, account, role;
  std::uint64_t sequence = 0, ttl_ms = 10 * 60 * 1000, until_ms = 0, timestamp_ms = 0;
  unsigned reason = 0;
  std::map<std::string, CLI::App*> commands;

  CLI::App* add(CLI::App& app, const std::string& name, const std::string& help, bool tx) {
    auto* c = app.add_subcommand(name, help);
    c->add_option("--key", key_file, "BIP-340 key file of the signer")
        ->required()
        ->check(CLI::ExistingFile);
    c->add_option("--genesis", genesis, "genesis.json (for the chain id)")
        ->check(CLI::ExistingFile);
    c->add_option("--chain-id", chain_id, "chain id (instead of --genesis)");
    if (tx) {
      c->add_option("--sequence", sequence, "the signer's sequence number")->required();
      c->add_option("--ttl-ms", ttl_ms, "transaction expiry: now + this")
          ->check(CLI::Range(std::uint64_t{1000}, kMaxTtlMs));
    } else {
      c->add_option("--timestamp-ms", timestamp_ms, "request time (default: now)");
    }
    commands[name] = c;
    return c;
  }

  core::Checked<std::string> resolve_chain() const {
    if (!genesis.empty()) {
      auto g = node::load_genesis(genesis);
      if (!g) return std::move(g).error();
      return g->chain_id;
    }
    if (chain_id.empty())
      return core::reject(core::Reject::kInvalid, "give --genesis or --chain-id");
    return chain_id;
  }

  core::Checked<core::Bytes> record_bytes() const {
    if (!record_file.empty()) {
      std::ifstream in(record_file, std::ios::binary);
      core::Bytes b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (!in.good() && !in.eof()) return core::reject(core::Reject::kInvalid, "cannot read file");
      if (b.size() > kMaxRecordFileBytes)
        return core::reject(core::Reject::kTooLarge, "record file");
      return b;
    }
    return core::Bytes(record_text.begin(), record_text.end());
  }

  static core::Checked<std::uint8_t> type_of(const std::string& name) {
    auto t = health::record_type_from_name(name);
    if (!t) return core::reject(core::Reject::kInvalid, "unknown record type '" + name + "'");
    return static_cast<std::uint8_t>(*t);
  }

  core::Checked<core::Bytes> payload_of(const std::string& name, std::string& extra) const {
    if (name == "health-issue") {
      auto t = type_of(type);
      if (!t) return std::move(t).error();
      auto subj = core::AccountId::from_hex(subject);
      if (!subj) return std::move(subj).error();
      auto bytes = record_bytes();
      if (!bytes) return std::move(bytes).error();
      health::Salt s{};
      if (salt.empty()) {
        core::os_random_bytes(s);
      } else {
        auto raw = core::from_hex(salt);
        if (!raw || raw->size() != s.size()) {
          return core::reject(core::Reject::kInvalid, "--salt takes 64 hex digits");
        }
        std::copy(raw->begin(), raw->end(), s.begin());
      }
      const core::Hash256 c = health::record_commitment(s, *bytes);
      extra = " " + core::to_hex(core::ByteView(s.data(), s.size())) + " " + c.to_hex();
      return core::encode(health::IssueArgs{*t, *subj, c});
    }
    if (name == "health-revoke") {
      auto r = core::Hash256::from_hex(record);
      if (!r) return std::move(r).error();
      return core::encode(health::RevokeArgs{*r, static_cast<std::uint8_t>(reason)});
    }
    if (name == "health-grant") {
      auto t = type_of(type);
      if (!t) return std::move(t).error();
      auto p = core::AccountId::from_hex(provider);
      if (!p) return std::move(p).error();
      return core::encode(health::GrantConsentArgs{*p, *t, until_ms});
    }
    if (name == "health-withdraw") {
      auto c = core::Hash256::from_hex(consent);
      if (!c) return std::move(c).error();
      return core::encode(health::ConsentArgs{*c});
    }
    if (name == "health-access") {
      auto r = core::Hash256::from_hex(record);
      auto c = core::Hash256::from_hex(consent);
      if (!r) return std::move(r).error();
      if (!c) return std::move(c).error();
      return core::encode(health::RecordAccessArgs{*r, *c});
    }
    if (name == "health-role") {
      auto a = core::AccountId::from_hex(account);
      if (!a) return std::move(a).error();
      if (role != "issuer" && role != "provider") {
        return core::reject(core::Reject::kInvalid, "--role is issuer or provider");
      }
      return core::encode(contracts::system::RoleArgs{*a, "health." + role});
    }
    auto r = core::Hash256::from_hex(record);  // health-erase
    if (!r) return std::move(r).error();
    return core::encode(health::RecordArgs{*r});
  }

  int run_transaction(const std::string& name) const {
    auto chain = resolve_chain();
    if (!chain) return fail(chain.error().to_string());
    auto key = node::read_schnorr_key(key_file);
    if (!key) return fail(key.error().to_string());
    std::string extra;
    auto payload = payload_of(name, extra);
    if (!payload) return fail(name + ": " + payload.error().to_string());
    static const std::map<std::string, std::string> kCall{
        {"health-issue", "issue"},          {"health-revoke", "revoke"},
        {"health-grant", "grant_consent"},  {"health-withdraw", "withdraw_consent"},
        {"health-access", "record_access"}, {"health-erase", "erase"},
        {"health-role", "grant_role"}};
    chain::Transaction tx;
    tx.chain_id = *chain;
    tx.public_key = key->public_key();
    tx.sender = core::account_id_of(tx.public_key);
    tx.sequence = sequence;
    tx.expiry_ms = now_ms() + ttl_ms;
    tx.module = name == "health-role" ? "system" : std::string(health::kModuleName);
    tx.call = kCall.at(name);
    tx.payload = std::move(*payload);
    tx.sign(*key);
    if (auto v = tx.validate(); !v)
      return fail("invalid transaction: " + v.rejection().to_string());
    std::cout << tx.id().to_hex() << " " << core::to_hex(tx.encoded()) << extra << "\n";
    std::cout.flush();
    return std::cout ? 0 : fail("cannot write to stdout");
  }

  int run_body(const std::string& name) const {
    auto chain = resolve_chain();
    if (!chain) return fail(chain.error().to_string());
    auto key = node::read_schnorr_key(key_file);
    if (!key) return fail(key.error().to_string());
    const core::AccountId me = core::account_id_of(key->public_key());
    const std::uint64_t ts = timestamp_ms != 0 ? timestamp_ms : now_ms();
    auto rec = core::Hash256::from_hex(record);
    if (!rec) return fail("--record: " + rec.error().to_string());
    if (name == "health-upload-body") {
      auto bytes = record_bytes();
      if (!bytes) return fail(bytes.error().to_string());
      auto s = core::from_hex(salt);
      if (!s || s->size() != 32) return fail("--salt takes 64 hex digits");
      const auto challenge =
          health::upload_challenge(*chain, me, ts, health::UploadTerms{*rec, core::sha256(*bytes)});
      const auto sig = health::sign_challenge(challenge, *key);
      std::cout << "{\"record_id\": \"" << rec->to_hex() << "\", \"issuer\": \"" << me.to_hex()
                << "\", \"timestamp_ms\": " << ts << ", \"salt\": \"" << core::to_hex(*s)
                << "\", \"payload_hex\": \"" << core::to_hex(*bytes) << "\", \"signature\": \""
                << core::to_hex(sig.bytes) << "\"}\n";
    } else {
      auto acc = core::Hash256::from_hex(access);
      if (!acc) return fail("--access: " + acc.error().to_string());
      const auto challenge =
          health::release_challenge(*chain, me, ts, health::ReleaseTerms{*rec, *acc});
      const auto sig = health::sign_challenge(challenge, *key);
      std::cout << "{\"access_id\": \"" << acc->to_hex() << "\", \"provider\": \"" << me.to_hex()
                << "\", \"timestamp_ms\": " << ts << ", \"signature\": \""
                << core::to_hex(sig.bytes) << "\"}\n";
    }
    std::cout.flush();
    return std::cout ? 0 : fail("cannot write to stdout");
  }
};

HealthCommands::HealthCommands(CLI::App& app) : impl_(std::make_shared<Impl>()) {
  Impl& m = *impl_;
  auto* issue = m.add(app, "health-issue", "print a signed health.issue", true);
  issue->add_option("--subject", m.subject, "the patient's account id (hex)")->required();
  issue->add_option("--type", m.type, "record type")->required();
  issue->add_option("--record", m.record_text, "the record's bytes (text)");
  issue->add_option("--record-file", m.record_file, "file with the record's bytes")
      ->check(CLI::ExistingFile);
  issue->add_option("--salt", m.salt, "32-byte salt in hex (default: random)");
  auto* revoke = m.add(app, "health-revoke", "print a signed health.revoke", true);
  revoke->add_option("--record", m.record, "record id (hex)")->required();
  revoke
      ->add_option("--reason", m.reason,
                   "1 issued_in_error, 2 superseded, 3 wrong_subject, "
                   "4 other")
      ->required();
  auto* grant = m.add(app, "health-grant", "print a signed health.grant_consent", true);
  grant->add_option("--provider", m.provider, "the provider's account id (hex)")->required();
  grant->add_option("--type", m.type, "record type")->required();
  grant->add_option("--until-ms", m.until_ms, "the consent's end (Unix ms)")->required();
  auto* withdraw = m.add(app, "health-withdraw", "print a signed health.withdraw_consent", true);
  withdraw->add_option("--consent", m.consent, "consent id (hex)")->required();
  auto* access = m.add(app, "health-access", "print a signed health.record_access", true);
  access->add_option("--record", m.record, "record id (hex)")->required();
  access->add_option("--consent", m.consent, "consent id (hex)")->required();
  auto* erase = m.add(app, "health-erase", "print a signed health.erase", true);
  erase->add_option("--record", m.record, "record id (hex)")->required();
  auto* role = m.add(app, "health-role", "print a signed system.grant_role of a health role",
                     true);
  role->add_option("--account", m.account, "the account (hex)")->required();
  role->add_option("--role", m.role, "issuer or provider")->required();
  auto* up = m.add(app, "health-upload-body", "print a signed payload upload (JSON)", false);
  up->add_option("--record", m.record, "record id (hex)")->required();
  up->add_option("--salt", m.salt, "the record's salt (hex)")->required();
  up->add_option("--record-text", m.record_text, "the record's bytes (text)");
  up->add_option("--record-file", m.record_file, "file with the record's bytes")
      ->check(CLI::ExistingFile);
  auto* rel = m.add(app, "health-release-body", "print a signed payload release (JSON)", false);
  rel->add_option("--record", m.record, "record id (hex)")->required();
  rel->add_option("--access", m.access, "the committed record_access id (hex)")->required();
}

std::optional<int> HealthCommands::run_if_parsed() const {
  for (const auto& [name, c] : impl_->commands) {
    if (!c->parsed()) continue;
    if (name == "health-upload-body" || name == "health-release-body") {
      return impl_->run_body(name);
    }
    return impl_->run_transaction(name);
  }
  return std::nullopt;
}

}  // namespace bauhinia::testtx
