// tx prepare | sign | inspect | submit: multi-party signing through a file
// (docs/formats/prepared-transaction.md). Only prepare (for the sequence and
// chain id, unless given) and submit use the network.

#include <memory>

#include "bauhinia/wallet/prepared_tx.hpp"
#include "commands.hpp"
#include "output.hpp"
#include "signing.hpp"
#include "submit.hpp"

namespace bauhinia::wallet {

namespace {

using nlohmann::json;

std::string addr(const Context& ctx, const core::AccountId& id) {
  return core::encode_address(ctx.options.address_prefix, id);
}

// The file's facts for people: what it does, who signed, who still must.
void print_inspection(const Context& ctx, const PreparedTx& p, const core::Verdict& verdict) {
  const std::uint64_t now = now_ms();
  Rows rows{{"call", p.module + "." + p.call}};
  for (const auto& d : p.description) rows.emplace_back("  does", d);
  rows.emplace_back("chain", p.chain_id);
  rows.emplace_back("sender",
                    addr(ctx, p.sender) + " (sequence " + std::to_string(p.sequence) + ")");
  rows.emplace_back("valid until", utc_time(p.expiry_ms) + (p.expired(now) ? "  EXPIRED" : ""));
  for (const auto& who : p.cosigners) {
    const bool signed_already =
        std::any_of(p.cosignatures.begin(), p.cosignatures.end(),
                    [&](const contracts::Cosignature& c) { return c.signer == who; });
    rows.emplace_back("co-signer", addr(ctx, who) + (signed_already ? "  signed" : "  NOT YET"));
  }
  rows.emplace_back("sender's signature", p.signature ? "signed" : "NOT YET (signs last)");
  if (p.signature) rows.emplace_back("transaction id", p.envelope().id().to_hex());
  rows.emplace_back("check", verdict ? "arguments, terms and signatures agree"
                                     : "REFUSED: " + verdict.rejection().detail);
  print_rows(*ctx.out, rows);
}

int run_inspect(Context& ctx, const std::filesystem::path& file) {
  auto p = read_prepared(file);
  if (!p) return ctx.fail(kExitBadInput, p.error().message());
  const core::Verdict verdict = check(*p);
  if (ctx.options.json) {
    json j = to_json(*p, ctx.options.address_prefix);
    j["check"] = verdict ? json("ok") : json(verdict.rejection().detail);
    j["expired"] = p->expired(now_ms());
    json missing = json::array();
    for (const auto& m : p->missing_cosigners()) missing.push_back(addr(ctx, m));
    j["missing_cosigners"] = std::move(missing);
    ctx.print_json(j);
  } else {
    print_inspection(ctx, *p, verdict);
  }
  if (!verdict) return ctx.fail(kExitBadInput, file.string() + ": " + verdict.rejection().detail);
  return kExitOk;
}

int run_sign(Context& ctx, const std::filesystem::path& file, const std::string& key_name) {
  auto p = read_prepared(file);
  if (!p) return ctx.fail(kExitBadInput, p.error().message());
  if (auto v = check(*p); !v) {
    return ctx.fail(kExitBadInput, file.string() + ": refused: " + v.rejection().detail);
  }
  if (p->expired(now_ms())) {
    return ctx.fail(kExitBadInput,
                    file.string() + ": refused: expired at " + utc_time(p->expiry_ms));
  }
  KeyUnlocker keys(ctx);
  auto info = keys.store().info(key_name);
  if (!info) return ctx.fail(kExitBadInput, info.error().message());
  const bool is_cosigner =
      std::find(p->cosigners.begin(), p->cosigners.end(), info->account) != p->cosigners.end();
  const bool is_sender = info->account == p->sender;
  if (!is_cosigner && !is_sender) {
    return ctx.fail(kExitBadInput, file.string() + ": refused: key '" + key_name + "' (" +
                                       addr(ctx, info->account) +
                                       ") is neither the sender nor a required co-signer");
  }
  const bool cosigned_already =
      std::any_of(p->cosignatures.begin(), p->cosignatures.end(),
                  [&](const contracts::Cosignature& c) { return c.signer == info->account; });
  auto key = keys.unlock(key_name);
  if (!key) return ctx.fail(key.error());
  core::Verdict v;
  std::string what;
  if (is_cosigner && !cosigned_already) {
    v = add_cosignature(*p, info->account, (*key)->key, now_ms());
    what = "co-signed as " + addr(ctx, info->account);
  } else if (is_sender) {
    v = sign_envelope(*p, (*key)->key, now_ms());
    what = "signed the envelope as the sender";
  } else {
    v = core::reject(core::Reject::kDuplicate,
                     "account " + addr(ctx, info->account) + " has signed already");
  }
  if (!v) return ctx.fail(kExitBadInput, file.string() + ": refused: " + v.rejection().detail);
  if (auto s = write_prepared(file, *p, ctx.options.address_prefix, /*create=*/false); !s) {
    return ctx.fail(kExitBadInput, s.message());
  }
  *ctx.out << file.string() << ": " << what << "\n";
  const auto missing = p->missing_cosigners();
  for (const auto& m : missing) *ctx.out << "  still to co-sign: " << addr(ctx, m) << "\n";
  if (!p->signature) {
    *ctx.out << "  the sender (" << addr(ctx, p->sender) << ") signs last\n";
  } else {
    *ctx.out << "  complete: bauhinia-wallet tx submit " << file.string() << "\n";
  }
  return kExitOk;
}

int run_submit(Context& ctx, const std::filesystem::path& file, bool no_wait) {
  auto p = read_prepared(file);
  if (!p) return ctx.fail(kExitBadInput, p.error().message());
  if (auto v = check(*p); !v) {
    return ctx.fail(kExitBadInput, file.string() + ": refused: " + v.rejection().detail);
  }
  if (p->expired(now_ms())) {
    return ctx.fail(kExitBadInput,
                    file.string() + ": refused: expired at " + utc_time(p->expiry_ms));
  }
  if (const auto missing = p->missing_cosigners(); !missing.empty()) {
    return ctx.fail(kExitBadInput,
                    file.string() + ": refused: still to co-sign: " + addr(ctx, missing.front()) +
                        (missing.size() > 1 ? " and others" : ""));
  }
  if (!p->signature) {
    return ctx.fail(kExitBadInput, file.string() + ": refused: the sender has not signed it yet");
  }
  auto node = ctx.node();
  if (!node) return ctx.fail(node.error());
  auto chain = fetch_chain_id(ctx, *node);
  if (!chain) return ctx.fail(chain.error());
  if (*chain != p->chain_id) {
    return ctx.fail(kExitBadInput, file.string() + ": refused: wrong chain: the file is for '" +
                                       p->chain_id + "', node " + node->address().url() +
                                       " serves '" + *chain + "'");
  }
  const chain::Transaction tx = p->envelope();
  for (const auto& l : plan_lines(ctx, tx, p->description)) *ctx.err << l << "\n";
  return submit_transaction(ctx, *node, tx, !no_wait).exit_code;
}

}  // namespace

void add_tx_file_commands(CLI::App& tx, Context& ctx) {
  auto* prepare = tx.add_subcommand(
      "prepare", "write a call as a prepared-transaction file for other parties to sign");
  prepare->require_subcommand(1);
  prepare->footer(
      "Example:\n  bauhinia-wallet tx prepare trademark assign --mark 305918274 ... --key "
      "ipd-officer --out assign.json");
  add_call_tree(*prepare, ctx, /*prepare=*/true);

  struct FileArgs {
    std::filesystem::path file;
    std::string key;
    bool no_wait = false;
  };
  auto a = std::make_shared<FileArgs>();
  auto* sign = tx.add_subcommand(
      "sign",
      "add your signature to a prepared file: a co-signer's, or the sender's last (offline)");
  sign->add_option("file", a->file, "the prepared-transaction file")->required();
  sign->add_option("--key", a->key, "your key in the keystore")->required();
  sign->footer("Example: bauhinia-wallet tx sign assign.json --key assignor");
  sign->callback(
      [&ctx, a] { ctx.action = [&ctx, a]() -> int { return run_sign(ctx, a->file, a->key); }; });

  auto* inspect = tx.add_subcommand(
      "inspect", "what a prepared file does, who has signed and who still must (offline)");
  inspect->add_option("file", a->file, "the prepared-transaction file")->required();
  inspect->footer("Example: bauhinia-wallet tx inspect assign.json");
  inspect->callback(
      [&ctx, a] { ctx.action = [&ctx, a]() -> int { return run_inspect(ctx, a->file); }; });

  auto* submit = tx.add_subcommand("submit", "submit a fully signed prepared file");
  submit->add_option("file", a->file, "the prepared-transaction file")->required();
  submit->add_flag("--no-wait", a->no_wait, "return once the node admitted it");
  submit->footer("Example: bauhinia-wallet tx submit assign.json");
  submit->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> int { return run_submit(ctx, a->file, a->no_wait); };
  });
}

}  // namespace bauhinia::wallet
