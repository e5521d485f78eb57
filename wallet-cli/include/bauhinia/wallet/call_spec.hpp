#pragma once
// How the wallet knows every call of every module: one CallSpec per call,
// declared by the module's file in wallet-cli/src/calls/ and gathered by
// all_calls() (calls/registry.cpp, one line per module). The command line
// `bauhinia-wallet <module> <call> --<arg> <value>...` is generated from these.
//
// Contract: build() validates every argument before anything is signed (an
// error names the argument and the rule, e.g. "--mark: a trade mark number is
// 9 digits beginning with 30") and is pure: the same arguments always give the
// same payload, so a prepared-transaction file that stores the arguments can
// be re-checked against its payload (tx inspect).

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "bauhinia/core/address.hpp"
#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::wallet {

// The named arguments as given: `--mark 305918274` is {"mark", "305918274"}.
using Args = std::map<std::string, std::string, std::less<>>;

struct ArgSpec {
  std::string name;  // without the dashes: [a-z][a-z0-9-]*
  std::string help;  // one line: what it is and its rule
  bool required = true;
  bool flag = false;  // takes no value: `--with-goodwill` alone means true
};

// A call's payload built from its arguments, ready to sign.
struct BuiltCall {
  // Not co-signed: the whole payload. Co-signed: encode(terms); the payload
  // sent is encode(Cosigned<Terms>), the terms then the co-signatures
  // (contracts/cosignature.hpp), assembled once every co-signer has signed.
  core::Bytes payload;
  // The accounts that must co-sign the terms, in the order the module expects
  // their co-signatures; empty when the call is not co-signed.
  std::vector<core::AccountId> cosigners;
  // What would be signed, in plain words, one fact per line
  // ("assign trade mark 305918274 (classes 29, 30) to hk1...", "with goodwill").
  std::vector<std::string> description;
};

struct CallSpec {
  std::string module;  // the module's name, e.g. "trademark"
  std::string call;  // the module's call name, e.g. "record_licence" (the command: record-licence)
  std::string summary;  // one line for --help: who makes this call and what it does
  std::string example;  // a complete command line for --help
  std::vector<ArgSpec> args;
  std::function<core::Checked<BuiltCall>(const Args&)> build;
};

// Every call of every module, in module then call order.
const std::vector<CallSpec>& all_calls();

// The spec of `module`/`call` (call with '_' or '-'), or nullptr.
const CallSpec* find_call(std::string_view module, std::string_view call);

}  // namespace bauhinia::wallet
