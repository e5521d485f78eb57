#include "health_check.hpp"

#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <system_error>

#include "commands.hpp"
#include "output.hpp"
#include "record_views.hpp"

namespace bauhinia::wallet {

namespace {

namespace hl = contracts::health;
using nlohmann::json;

struct CheckArgs {
  std::filesystem::path record_file;
  std::string salt;
  std::string commitment;  // --commitment: compare offline
  std::string id;          // --id: compare with the record on chain
};

// Offline: the computed commitment against the one given.
int check_offline(const Context& ctx, const CheckArgs& a, const core::Bytes& record,
                  const core::Hash256& computed, const core::Hash256& expected) {
  const bool match = computed == expected;
  if (ctx.options.json) {
    ctx.print_json(json{{"record_bytes", record.size()},
                        {"computed_commitment", computed.to_hex()},
                        {"expected_commitment", expected.to_hex()},
                        {"matches", match}});
  } else {
    print_rows(*ctx.out, {{"record file", a.record_file.string() + " (" +
                                              std::to_string(record.size()) + " bytes)"},
                          {"computed", computed.to_hex()},
                          {"expected", expected.to_hex()},
                          {"result", match ? "MATCH: the record and salt open this commitment"
                                           : "NO MATCH: the record or the salt differ"}});
  }
  return match ? kExitOk : kExitVerifyFailed;
}

// Online: the record the node holds under `id`, and whether the salt and
// bytes open its commitment (contracts::health::opens).
int check_on_chain(const Context& ctx, const CheckArgs& a, const core::Bytes& record,
                   const hl::Salt& salt, const core::Hash256& computed, const core::Hash256& id) {
  auto node = ctx.node();
  if (!node) return ctx.fail(node.error());
  auto answer = node->get_ok("/v1/query/health/record/" + id.to_hex());
  if (!answer) return ctx.fail(answer.error());
  const json value = answer->value("value_hex", json());
  if (value.is_null()) {
    if (ctx.options.json) {
      ctx.print_json(json{
          {"computed_commitment", computed.to_hex()}, {"matches", false}, {"record", *answer}});
    }
    return ctx.fail(kExitVerifyFailed, "health check-record: the ledger has no health record " +
                                           id.to_hex() + " (computed commitment " +
                                           computed.to_hex() + ")");
  }
  auto bytes = core::from_hex(text_of(value));
  if (!bytes) return ctx.fail(kExitNodeFailure, "health check-record: the node's value is not hex");
  auto proven = core::decode<hl::HealthRecord>(*bytes);
  if (!proven || proven->id != id) {
    return ctx.fail(
        kExitNodeFailure,
        "health check-record: the node's answer is not the health record " + id.to_hex());
  }
  const bool match = hl::opens(*proven, salt, record);
  if (ctx.options.json) {
    ctx.print_json(
        json{{"computed_commitment", computed.to_hex()}, {"matches", match}, {"record", *answer}});
  } else {
    Rows rows{
        {"record file", a.record_file.string() + " (" + std::to_string(record.size()) + " bytes)"},
        {"computed", computed.to_hex()}};
    for (auto& r : health_record_rows(ctx, *proven)) rows.push_back(std::move(r));
    rows.emplace_back("read at", "block " + text_of(answer->value("height", json())) +
                                     " (not proven: `verify record health 01" + id.to_hex() +
                                     "` proves it)");
    rows.emplace_back("result", match ? "MATCH: the record and salt open this record's commitment"
                                      : "NO MATCH: the record or the salt differ from the ones "
                                        "anchored");
    print_rows(*ctx.out, rows);
  }
  return match ? kExitOk : kExitVerifyFailed;
}

int run_check(const Context& ctx, const CheckArgs& a) {
  const std::string what = "health check-record: ";
  auto salt = parse_salt(a.salt);
  if (!salt) return ctx.fail(kExitBadInput, what + "--salt: " + salt.error().detail);
  std::optional<core::Hash256> expected, id;
  if (!a.commitment.empty()) {
    auto c = core::Hash256::from_hex(a.commitment);
    if (!c) return ctx.fail(kExitBadInput, what + "--commitment: " + c.error().detail);
    expected = *c;
  } else {
    auto i = core::Hash256::from_hex(a.id);
    if (!i) return ctx.fail(kExitBadInput, what + "--id: " + i.error().detail);
    id = *i;
  }
  auto record = read_record_file(a.record_file);
  if (!record) return ctx.fail(kExitBadInput, what + record.error().detail);
  const core::Hash256 computed = hl::record_commitment(*salt, *record);
  if (expected) return check_offline(ctx, a, *record, computed, *expected);
  return check_on_chain(ctx, a, *record, *salt, computed, *id);
}

}  // namespace

core::Checked<core::Bytes> read_record_file(const std::filesystem::path& file) {
  const std::string name = "--record-file " + file.string().substr(0, 200);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    return core::reject(
        core::Reject::kInvalid,
        name + ": " + (std::filesystem::exists(file, ec) ? "not a regular file" : "no such file"));
  }
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) return core::reject(core::Reject::kInvalid, name + ": " + ec.message());
  if (size > kMaxRecordFileBytes) {
    return core::reject(core::Reject::kTooLarge, name + ": " + std::to_string(size) +
                                                     " bytes, more than the " +
                                                     std::to_string(kMaxRecordFileBytes) + " read");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return core::reject(core::Reject::kInvalid, name + ": cannot be read");
  // Reads at most one byte more than the bound: a file that grew meanwhile is refused.
  core::Bytes bytes(static_cast<std::size_t>(size) + 1);
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  const auto got = static_cast<std::size_t>(in.gcount());
  if (in.bad()) return core::reject(core::Reject::kInvalid, name + ": read error");
  if (got != size) {
    return core::reject(core::Reject::kInvalid, name + ": the file changed while it was read");
  }
  bytes.resize(got);
  return bytes;
}

core::Checked<hl::Salt> parse_salt(std::string_view hex) {
  return core::from_hex_fixed<32>(hex);
}

void add_health_check_command(CLI::App& health, Context& ctx) {
  auto a = std::make_shared<CheckArgs>();
  auto* cmd = health.add_subcommand(
      "check-record",
      "a holder's check: recompute a record's salted commitment locally (the record and salt "
      "are never sent) and compare it with --commitment, or with the record --id on chain");
  cmd->add_option("--record-file", a->record_file, "the record's exact bytes")->required();
  cmd->add_option("--salt", a->salt, "the record's salt, 64 hex digits")->required();
  auto* commitment = cmd->add_option("--commitment", a->commitment,
                                     "compare offline with this commitment (64 hex)");
  auto* id = cmd->add_option("--id", a->id,
                             "compare with the health record with this id on chain (64 hex; asks "
                             "the node)");
  commitment->excludes(id);
  cmd->footer(
      "Exit codes: 0 the record and salt open the commitment, 4 they do not, 2 bad input.\n"
      "Examples:\n  bauhinia-wallet health check-record --record-file cert.txt --salt $(cat "
      "salt.hex) --commitment 49e7c281...\n"
      "  bauhinia-wallet health check-record --record-file cert.txt --salt $(cat salt.hex) --id "
      "d80cb5a8...");
  cmd->callback([&ctx, a] {
    ctx.action = [&ctx, a]() -> int {
      if (a->commitment.empty() == a->id.empty()) {
        return ctx.fail(kExitBadInput,
                        "health check-record: give exactly one of --commitment and --id");
      }
      return run_check(ctx, *a);
    };
  });
}

}  // namespace bauhinia::wallet
