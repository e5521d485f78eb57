// The accounts module's calls (contracts/accounts.hpp, docs/contracts/accounts.md).
// rotate_key is not here: its proof is signed by the new key over the chain,
// the account and the transaction's sequence, so it is made by the key
// commands of the wallet (`bauhinia-wallet key rotate`), not from arguments.

#include "bauhinia/contracts/accounts.hpp"
#include "bauhinia/wallet/calls/arg_parsers.hpp"
#include "modules.hpp"

namespace bauhinia::wallet::calls {

namespace {

namespace ac = contracts::accounts;

core::Checked<BuiltCall> build_ping(const Args& args) {
  Take take;
  const std::string memo = take(parse_optional_text(args, "memo", ac::kMaxMemoSize));
  if (take.failed()) return take.error();
  ac::PingArgs p;
  p.memo.assign(memo.begin(), memo.end());
  return BuiltCall{core::encode(p), {}, {"ping" + (memo.empty() ? "" : " with memo: " + memo)}};
}

}  // namespace

std::vector<CallSpec> accounts_calls() {
  return {
      CallSpec{"accounts",
               "ping",
               "any account records a short memo (a harmless call: checks the account and the "
               "node end to end)",
               "bauhinia-wallet accounts ping --memo \"hello from IPD\"",
               {{"memo", "a memo, up to 256 bytes of text", false}},
               build_ping},
  };
}

}  // namespace bauhinia::wallet::calls
