#pragma once
// The wallet's command groups, each wired onto the app by its own file.

#include <CLI/CLI.hpp>

#include "bauhinia/wallet/context.hpp"

namespace bauhinia::wallet {

// status, block, account, record, history, proposals, validators, and the
// conveniences (queries.cpp); `tx show` goes on `tx`.
void add_query_commands(CLI::App& app, CLI::App& tx, Context& ctx);
// key new|import|list|export|rotate (key_commands.cpp).
void add_key_commands(CLI::App& app, Context& ctx);
// <module> <call> for every CallSpec (call_commands.cpp): on the app to sign
// and submit, or (prepare) under `tx prepare` to write a prepared file.
void add_call_commands(CLI::App& app, Context& ctx);
void add_call_tree(CLI::App& parent, Context& ctx, bool prepare);
// `show` under health, drugs and environment (register_show.cpp).
void add_register_show_command(CLI::App& module_cmd, Context& ctx, const std::string& module);
// `health check-record` (health_check.cpp).
void add_health_check_command(CLI::App& health, Context& ctx);
// tx prepare|sign|inspect|submit (tx_commands.cpp).
void add_tx_file_commands(CLI::App& tx, Context& ctx);

}  // namespace bauhinia::wallet
