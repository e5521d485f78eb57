#include "bauhinia/wallet/verify/command.hpp"

#include <CLI/CLI.hpp>
#include <fstream>
#include <memory>
#include <ostream>
#include <sstream>

#include "bauhinia/lightclient/fetch.hpp"
#include "bauhinia/lightclient/verifier.hpp"
#include "bauhinia/wallet/node_client.hpp"

namespace bauhinia::wallet::verify {

namespace {

struct Args {
  std::string genesis;
  std::string save;
  std::string file;
  bool text_key = false;
  Request request;
  std::optional<std::uint64_t> height;
  std::optional<std::uint64_t> to;
  bool chosen = false;  // a subcommand was given
};

void print_outcome(const Context& ctx, const Outcome& outcome) {
  if (ctx.options.json) {
    *ctx.out << outcome.to_json() << "\n";
    return;
  }
  std::ostream& os = outcome.result == Result::kProven ? *ctx.out : *ctx.err;
  os << outcome.summary << "\n";
  for (const auto& d : outcome.details) os << "  " << d << "\n";
}

core::Checked<std::string> read_file(const std::string& path, std::size_t max_bytes) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return core::reject(core::Reject::kInvalid, path + ": cannot read: " + ec.message());
  if (size > max_bytes) return core::reject(core::Reject::kTooLarge, path + ": file too large");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) return core::reject(core::Reject::kInvalid, path + ": read failed");
  return text.str();
}

int run(const Context& ctx, const Args& a) {
  auto trust = load_trust(a.genesis);
  if (!trust) return ctx.fail(kExitBadInput, "verify: --genesis " + trust.error().detail);

  if (!a.file.empty()) {
    if (a.chosen || !a.save.empty()) {
      return ctx.fail(kExitBadInput,
                      "verify --file: the file says what to verify; give no subcommand or --save");
    }
    auto text = read_file(a.file, kMaxSavedFileBytes);
    if (!text) return ctx.fail(kExitBadInput, "verify --file " + text.error().detail);
    auto saved = parse_saved_answers(*text);
    if (!saved)
      return ctx.fail(kExitBadInput, "verify --file " + a.file + ": " + saved.error().detail);
    auto request = Request::from_json(saved->request_json);
    if (!request) {
      return ctx.fail(kExitBadInput, "verify --file " + a.file + ": " + request.error().detail);
    }
    const Outcome outcome =
        verify_request(*trust, *request, replaying(*saved),
                       "node " + saved->node + " (answers saved in " + a.file + ")");
    print_outcome(ctx, outcome);
    return outcome.exit_code();
  }

  if (!a.chosen) {
    return ctx.fail(kExitBadInput,
                    "verify: give transaction, record, history or consistency (or --file FILE)");
  }
  Request request = a.request;
  request.height = a.height;
  request.to = a.to;
  if (a.text_key) {
    request.record_key_hex = core::to_hex(
        core::ByteView(reinterpret_cast<const std::uint8_t*>(a.request.record_key_hex.data()),
                       a.request.record_key_hex.size()));
  }
  if (auto v = request.validate(); !v)
    return ctx.fail(kExitBadInput, "verify: " + v.rejection().detail);
  auto client = ctx.node();
  if (!client) return ctx.fail(kExitBadInput, "verify: " + client.error().message());
  const std::string url = client->address().url();
  SavedAnswers saved;
  saved.node = url;
  saved.request_json = request.to_json();
  Fetch fetch = node_fetch(std::move(*client));
  if (!a.save.empty()) fetch = recording(std::move(fetch), saved);
  const Outcome outcome = verify_request(*trust, request, fetch, "node " + url);
  print_outcome(ctx, outcome);
  if (!a.save.empty()) {
    std::ofstream out(a.save, std::ios::binary | std::ios::trunc);
    out << to_json(saved);
    out.close();
    if (!out) return ctx.fail(kExitBadInput, "verify --save " + a.save + ": cannot write the file");
    if (!ctx.options.json) {
      *ctx.err << "answers saved to " << a.save << " (verify offline: bauhinia-wallet verify "
               << "--genesis " << a.genesis << " --file " << a.save << ")\n";
    }
  }
  return outcome.exit_code();
}

}  // namespace

Fetch node_fetch(NodeClient client) {
  return [client = std::move(client)](
             const std::string& target) -> core::Expected<NodeAnswer, FetchError> {
    auto r = client.get(target);
    if (!r) return FetchError{r.error().message()};
    return NodeAnswer{r->status, r->body.is_null() ? std::string() : r->body.dump()};
  };
}

CLI::App* add_command(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<Args>();
  auto* verify = app.add_subcommand(
      "verify",
      "prove a transaction, a record, a record's history or the accumulator's consistency from "
      "the genesis file alone (light client); exit 0 proven, 4 not proven, 5 no node");
  verify->fallthrough();
  verify->add_option("--genesis", a->genesis, "the consortium's genesis.json (the trust anchor)")
      ->required();
  verify->add_option("--save", a->save, "also write every answer used to FILE (verify it offline)");
  verify->add_option("--file", a->file, "verify the answers saved in FILE, offline");
  verify->require_subcommand(0, 1);
  verify->footer(
      "Examples:\n"
      "  bauhinia-wallet --node http://127.0.0.1:8080 verify --genesis genesis.json transaction "
      "<64 hex id>\n"
      "  bauhinia-wallet verify --genesis genesis.json record accounts 01<64 hex> --height 12 "
      "--save proof.json\n"
      "  bauhinia-wallet verify --genesis genesis.json --file proof.json");
  verify->callback([&ctx, a] { ctx.action = [&ctx, a] { return run(ctx, *a); }; });

  auto* tx = verify->add_subcommand("transaction", "prove a transaction is committed, and where");
  tx->add_option("id", a->request.transaction_id, "the transaction id (64 hex digits)")->required();
  tx->add_option("--height", a->height,
                 "against the header certified at this height (default: latest)");
  tx->footer("Example: bauhinia-wallet verify --genesis genesis.json transaction 60a7f0...5b78");
  tx->fallthrough();
  tx->callback([a] {
    a->chosen = true;
    a->request.what = What::kTransaction;
  });

  auto* record = verify->add_subcommand("record", "prove a record's value, or its absence");
  record->add_option("module", a->request.module, "the module (e.g. accounts, trademark)")
      ->required();
  record
      ->add_option("key", a->request.record_key_hex,
                   "the record key in hex (or text with --text-key)")
      ->required();
  record->add_option("--height", a->height, "at this height (default: the latest certified)");
  record->add_flag("--text-key", a->text_key, "the key is given as text, not hex");
  record->footer(
      "Example: bauhinia-wallet verify --genesis genesis.json record accounts 01<64 hex>");
  record->fallthrough();
  record->callback([a] {
    a->chosen = true;
    a->request.what = What::kRecord;
  });

  auto* history = verify->add_subcommand("history", "prove every step of a record's history");
  history->add_option("module", a->request.module, "the module")->required();
  history
      ->add_option("key", a->request.record_key_hex,
                   "the record key in hex (or text with --text-key)")
      ->required();
  history->add_flag("--every-height", a->request.every_height,
                    "also prove the value at every height from the first change (at most 10000)");
  history->add_flag("--text-key", a->text_key, "the key is given as text, not hex");
  history->footer(
      "Example: bauhinia-wallet verify --genesis genesis.json history accounts 01<64 hex>");
  history->fallthrough();
  history->callback([a] {
    a->chosen = true;
    a->request.what = What::kHistory;
  });

  auto* consistency = verify->add_subcommand(
      "consistency", "prove the accumulator certified at <to> extends the one certified at <from>");
  consistency->add_option("from", a->request.from, "the older block height")->required();
  consistency->add_option("to", a->to, "the newer block height (default: the latest certified)");
  consistency->footer("Example: bauhinia-wallet verify --genesis genesis.json consistency 1 40");
  consistency->fallthrough();
  consistency->callback([a] {
    a->chosen = true;
    a->request.what = What::kConsistency;
  });
  return verify;
}

}  // namespace bauhinia::wallet::verify
