// key new | import | list | export | rotate: the keystore from the command line.

#include <memory>

#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/wallet/keystore.hpp"
#include "commands.hpp"
#include "output.hpp"
#include "passphrase.hpp"
#include "submit.hpp"

namespace bauhinia::wallet {

namespace {

using nlohmann::json;

json key_json(const Context& ctx, const KeyInfo& k) {
  return json{{"name", k.name},
              {"address", core::encode_address(ctx.options.address_prefix, k.account)},
              {"account_id", k.account.to_hex()},
              {"public_key", k.public_key.to_hex()},
              {"created_ms", k.created_ms},
              {"file", k.file.string()}};
}

void print_key(const Context& ctx, const KeyInfo& k) {
  if (ctx.options.json) return ctx.print_json(key_json(ctx, k));
  Rows rows{{"name", k.name},
            {"address", core::encode_address(ctx.options.address_prefix, k.account)},
            {"public key", k.public_key.to_hex()}};
  if (k.account != core::account_id_of(k.public_key)) {
    rows.emplace_back("note", "a rotated key: the account keeps its first key's address");
  }
  rows.emplace_back("file", k.file.string());
  print_rows(*ctx.out, rows);
}

core::Checked<KdfCost> kdf_cost(const std::string& name) {
  if (name == "moderate") return KdfCost::kModerate;
  if (name == "interactive") return KdfCost::kInteractive;
  return core::reject(core::Reject::kInvalid, "--kdf: 'moderate' (default) or 'interactive'");
}

struct KeyArgs {
  std::string name;
  std::string kdf = "moderate";
  std::filesystem::path from;
  std::string account;
  bool secret = false;
  std::filesystem::path out;
  std::uint64_t expires_in_s = kDefaultExpiresInS;
  bool no_wait = false;
};

int run_new(Context& ctx, const KeyArgs& a) {
  auto cost = kdf_cost(a.kdf);
  if (!cost) return ctx.fail(kExitBadInput, cost.error().detail);
  if (auto v = check_key_name(a.name); !v) return ctx.fail(kExitBadInput, v.rejection().detail);
  Keystore store(ctx.options.keystore_dir);
  if (store.info(a.name)) {
    return ctx.fail(kExitBadInput, "a key named '" + a.name + "' exists already");
  }
  auto pass = read_passphrase(ctx, "passphrase for the new key '" + a.name + "'", true);
  if (!pass) return ctx.fail(pass.error());
  const auto key = core::schnorr::SecretKey::generate();
  auto info = store.add(a.name, key, *pass, *cost, std::nullopt, now_ms());
  core::secure_zero(pass->data(), pass->size());
  if (!info) return ctx.fail(info.error());
  print_key(ctx, *info);
  return kExitOk;
}

int run_import(Context& ctx, const KeyArgs& a) {
  auto cost = kdf_cost(a.kdf);
  if (!cost) return ctx.fail(kExitBadInput, cost.error().detail);
  if (auto v = check_key_name(a.name); !v) return ctx.fail(kExitBadInput, v.rejection().detail);
  std::optional<core::AccountId> account;
  if (!a.account.empty()) {
    auto id = parse_account(ctx.options.address_prefix, a.account);
    if (!id) return ctx.fail(kExitBadInput, "--account: " + id.error().detail);
    account = *id;
  }
  auto key = read_secret_key_file(a.from);
  if (!key) return ctx.fail(kExitBadInput, key.error().message());
  Keystore store(ctx.options.keystore_dir);
  if (store.info(a.name)) {
    return ctx.fail(kExitBadInput, "a key named '" + a.name + "' exists already");
  }
  auto pass = read_passphrase(ctx, "passphrase for the imported key '" + a.name + "'", true);
  if (!pass) return ctx.fail(pass.error());
  auto info = store.add(a.name, *key, *pass, *cost, account, now_ms());
  core::secure_zero(pass->data(), pass->size());
  if (!info) return ctx.fail(info.error());
  print_key(ctx, *info);
  return kExitOk;
}

int run_list(Context& ctx) {
  Keystore store(ctx.options.keystore_dir);
  auto keys = store.list();
  if (!keys) return ctx.fail(keys.error());
  if (ctx.options.json) {
    json all = json::array();
    for (const auto& k : *keys) all.push_back(key_json(ctx, k));
    ctx.print_json(all);
    return kExitOk;
  }
  if (keys->empty()) {
    *ctx.out << "no keys in " << store.dir().string()
             << " (create one: bauhinia-wallet key new NAME)\n";
    return kExitOk;
  }
  Rows rows;
  for (const auto& k : *keys) {
    rows.emplace_back(k.name, core::encode_address(ctx.options.address_prefix, k.account));
  }
  print_rows(*ctx.out, rows);
  return kExitOk;
}

int run_export(Context& ctx, const KeyArgs& a) {
  Keystore store(ctx.options.keystore_dir);
  auto info = store.info(a.name);
  if (!info) return ctx.fail(info.error());
  if (!a.secret) {
    print_key(ctx, *info);
    return kExitOk;
  }
  if (a.out.empty()) {
    return ctx.fail(kExitBadInput, "--secret needs --out FILE (the secret is never printed)");
  }
  auto pass = read_passphrase(ctx, "passphrase of key '" + a.name + "'", false);
  if (!pass) return ctx.fail(pass.error());
  auto key = store.unlock(a.name, *pass);
  core::secure_zero(pass->data(), pass->size());
  if (!key) return ctx.fail(kExitBadInput, key.error().message());
  if (auto s = write_secret_key_file(a.out, *key); !s) return ctx.fail(kExitBadInput, s.message());
  *ctx.err << "wrote the secret key of '" << a.name << "' to " << a.out.string()
           << " (mode 0600; keep it offline)\n";
  return kExitOk;
}

// Generates a new key, stores it as pending, submits accounts.rotate_key
// signed by the old key with the new key's proof, and makes the new key the
// current one only once the rotation committed with success.
int run_rotate(Context& ctx, const KeyArgs& a) {
  auto cost = kdf_cost(a.kdf);
  if (!cost) return ctx.fail(kExitBadInput, cost.error().detail);
  Keystore store(ctx.options.keystore_dir);
  auto info = store.info(a.name);
  if (!info) return ctx.fail(info.error());
  auto node = ctx.node();
  if (!node) return ctx.fail(node.error());
  auto pass = read_passphrase(ctx, "passphrase of key '" + a.name + "'", false);
  if (!pass) return ctx.fail(pass.error());
  auto old_key = store.unlock(a.name, *pass);
  if (!old_key) {
    core::secure_zero(pass->data(), pass->size());
    return ctx.fail(kExitBadInput, old_key.error().message());
  }
  auto chain = fetch_chain_id(ctx, *node);
  if (!chain) return ctx.fail(chain.error());
  auto sequence = fetch_next_sequence(*node, info->account);
  if (!sequence) return ctx.fail(sequence.error());

  const auto new_key = core::schnorr::SecretKey::generate();
  chain::Transaction tx;
  tx.chain_id = *chain;
  tx.sender = info->account;
  tx.public_key = old_key->public_key();
  tx.sequence = *sequence;
  tx.expiry_ms = now_ms() + a.expires_in_s * 1000;
  tx.module = std::string(contracts::accounts::kModuleName);
  tx.call = "rotate_key";
  tx.payload =
      contracts::accounts::make_rotate_key_payload(*chain, info->account, *sequence, new_key);
  tx.sign(*old_key);
  if (auto v = tx.validate(); !v) return ctx.fail(kExitBadInput, v.rejection().to_string());

  // The new secret is on disk (same passphrase) before the ledger learns it.
  auto staged = store.stage_rotation(a.name, new_key, *pass, *cost, now_ms());
  core::secure_zero(pass->data(), pass->size());
  if (!staged) return ctx.fail(staged.error());
  *ctx.err << "rotating key '" << a.name << "' to " << new_key.public_key().to_hex() << "\n";
  const Submitted s = submit_transaction(ctx, *node, tx, /*wait=*/true);
  if (s.committed_success) {
    if (auto p = store.promote_rotation(a.name, now_ms()); !p)
      return ctx.fail(kExitBadInput, p.message());
    *ctx.err << "key '" << a.name << "' is now the new key; the old one is kept as " << a.name
             << ".retired-*.json\n";
    return kExitOk;
  }
  if (s.exit_code == kExitNodeFailure) {
    *ctx.err << "the rotation's fate is unknown: the new key stays in " << staged->file.string()
             << "; once `bauhinia-wallet account` shows the new key, rename it to "
             << store.path_of(a.name).string() << " (keeping the old one), else delete it\n";
    return s.exit_code;
  }
  if (auto d = store.discard_rotation(a.name); !d) ctx.fail(kExitBadInput, d.message());
  return s.exit_code;
}

}  // namespace

void add_key_commands(CLI::App& app, Context& ctx) {
  auto* key =
      app.add_subcommand("key", "the keystore: create, import, list, export and rotate keys");
  key->require_subcommand(1);
  auto a = std::make_shared<KeyArgs>();
  const std::string kdf_help = "Argon2id cost: moderate (default, 256 MiB) or interactive (64 MiB)";

  auto* make = key->add_subcommand("new", "create a new BIP-340 account key in the keystore");
  make->add_option("name", a->name, "the key's name (a-z, 0-9, '_', '-', '.')")->required();
  make->add_option("--kdf", a->kdf, kdf_help);
  make->footer("Example: bauhinia-wallet key new ipd-officer   (asks for a passphrase twice)");
  make->callback([&ctx, a] { ctx.action = [&ctx, a]() -> int { return run_new(ctx, *a); }; });

  auto* import = key->add_subcommand(
      "import",
      "import a secret key file (64 hex digits, 0600), e.g. a department admin key "
      "written by `bauhinia-node keygen`");
  import->add_option("name", a->name, "the key's name in the keystore")->required();
  import->add_option("--from", a->from, "the key file")->required();
  import->add_option("--account", a->account,
                     "the account the key signs for, when it was rotated in (default: the "
                     "account whose first key it is)");
  import->add_option("--kdf", a->kdf, kdf_help);
  import->footer("Example: bauhinia-wallet key import ipd-admin --from node-home/IPD-admin.key");
  import->callback([&ctx, a] { ctx.action = [&ctx, a]() -> int { return run_import(ctx, *a);
};
}  // namespace bauhinia::wallet
);

auto* list = key->add_subcommand("list", "the keys in the keystore with their addresses");
list->footer("Example: bauhinia-wallet key list");
list->callback([&ctx] { ctx.action = [&ctx]() -> int { return run_list(ctx); }; });

auto* exp = key->add_subcommand(
    "export", "a key's address and public key, or (--secret --out FILE) its secret key file");
exp->add_option("name", a->name, "the key's name")->required();
exp->add_flag("--secret", a->secret, "write the secret key (asks for the passphrase)");
exp->add_option("--out", a->out, "with --secret: the key file to create (0600, never overwritten)");
exp->footer("Example: bauhinia-wallet key export ipd-officer");
exp->callback([&ctx, a] { ctx.action = [&ctx, a]() -> int { return run_export(ctx, *a); }; });

auto* rotate = key->add_subcommand(
    "rotate", "replace a key on the ledger (accounts.rotate_key) and in the keystore");
rotate->add_option("name", a->name, "the key's name")->required();
rotate->add_option("--kdf", a->kdf, kdf_help);
rotate->add_option("--expires-in", a->expires_in_s, "seconds the transaction stays valid")
    ->check(CLI::Range(std::uint64_t{10}, kMaxExpiresInS));
rotate->footer("Example: bauhinia-wallet --node http://127.0.0.1:8080 key rotate ipd-officer");
rotate->callback([&ctx, a] { ctx.action = [&ctx, a]() -> int { return run_rotate(ctx, *a); }; });
}

}  // namespace bauhinia::wallet
