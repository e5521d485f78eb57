#pragma once
// Where a key's passphrase comes from, in this order: --passphrase-file (its
// first line; the file must be private), $BAUHINIA_WALLET_PASSPHRASE, or a
// prompt on the terminal without echo. Never a command-line value.

#include <string>
#include <string_view>

#include "bauhinia/core/status.hpp"
#include "bauhinia/wallet/context.hpp"

namespace bauhinia::wallet {

inline constexpr std::size_t kMaxPassphraseSize = 1024;

// `prompt` names the key; with `confirm` a terminal asks twice (new keys).
core::Result<std::string> read_passphrase(const Context& ctx, std::string_view prompt,
                                          bool confirm);

}  // namespace bauhinia::wallet
