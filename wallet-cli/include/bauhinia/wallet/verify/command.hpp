#pragma once
// `bauhinia-wallet verify`: the light client's command line (docs/wallet.md,
// "Verifying from the genesis file"). Online it fetches from the node of
// --node / the config file; with --save FILE it also writes every answer it
// used; `verify --file FILE` verifies such a file again, offline. Exit codes:
// 0 proven, 2 bad input, 4 not proven (the reason printed; a node at fault is
// named), 5 no answer from the node.

#include "bauhinia/lightclient/fetch.hpp"
#include "bauhinia/wallet/context.hpp"
#include "bauhinia/wallet/node_client.hpp"

namespace CLI {
class App;
}

namespace bauhinia::wallet::verify {

// The command is the front end of the shared light client (lightclient/).
using namespace ::bauhinia::lightclient;

// Adds the `verify` command and its subcommands to `app`; its callbacks set
// ctx.action. Returns the `verify` subcommand.
CLI::App* add_command(CLI::App& app, Context& ctx);

// The node client's answers as the verifier reads them (a transport failure is
// a FetchError; an HTTP error is an answer with its status and JSON body).
Fetch node_fetch(NodeClient client);

}  // namespace bauhinia::wallet::verify
