// bauhinia-explorer: follows the consortium's nodes as a light client from the
// genesis file, indexes what it verified, and serves the web pages and the
// JSON API (docs/explorer.md).

#include <CLI/CLI.hpp>
#include <atomic>
#include <charconv>
#include <chrono>
#include <csignal>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "bauhinia/explorer/api.hpp"
#include "bauhinia/explorer/follower.hpp"
#include "bauhinia/explorer/http_client.hpp"
#include "bauhinia/explorer/index.hpp"
#include "bauhinia/explorer/registers.hpp"
#include "bauhinia/explorer/server.hpp"
#include "bauhinia/lightclient/trust.hpp"

namespace {

std::atomic<bool> g_stop{false};

void on_signal(int) {
  g_stop = true;
}

void log_line(const std::string& line) {
  const std::time_t now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  std::cerr << stamp << " " << line << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace bauhinia;
  CLI::App app{"bauhinia-explorer: a public explorer that proves what it shows"};
  std::string genesis_file;
  std::vector<std::string> node_args;
  std::string data_dir;
  std::string listen = "127.0.0.1:8090";
  std::string web_root;
  unsigned poll_ms = 1000;
  app.add_option("--genesis", genesis_file, "the consortium's genesis.json (the trust anchor)")
      ->required();
  app.add_option("--node", node_args, "a node's API, http://host:port (repeat for more)")
      ->required();
  app.add_option("--data", data_dir, "the explorer's data folder (its index)")->required();
  app.add_option("--listen", listen, "address:port to serve on (default 127.0.0.1:8090)");
  app.add_option("--web-root", web_root, "the web pages' folder (explorer/web/dist)");
  app.add_option("--poll-ms", poll_ms, "how often to ask the nodes for new blocks (ms)")
      ->check(CLI::Range(50U, 600'000U));
  CLI11_PARSE(app, argc, argv);

  auto trust = lightclient::load_trust(genesis_file);
  if (!trust) {
    std::cerr << "error: " << trust.error().to_string() << "\n";
    return 2;
  }
  std::ifstream in(genesis_file, std::ios::binary);
  std::stringstream genesis_text;
  genesis_text << in.rdbuf();

  std::vector<explorer::UsableNode> nodes;
  for (const auto& arg : node_args) {
    auto url = explorer::NodeUrl::parse(arg);
    if (!url) {
      std::cerr << "error: " << url.error().to_string() << "\n";
      return 2;
    }
    nodes.push_back({url->url(), explorer::http_fetch(*url)});
  }
  const auto colon = listen.rfind(':');
  unsigned port = 0;
  if (colon == std::string::npos ||
      std::from_chars(listen.data() + colon + 1, listen.data() + listen.size(), port).ec !=
          std::errc() ||
      port > 65535) {
    std::cerr << "error: --listen must be address:port\n";
    return 2;
  }
  const std::string host = listen.substr(0, colon);

  auto index = explorer::Index::open(std::filesystem::path(data_dir) / "index", trust->genesis_id);
  if (!index) {
    std::cerr << "error: " << index.error().message() << "\n";
    return 3;
  }
  if ((*index)->rebuilt()) log_line("index rebuilt from the nodes: " + *(*index)->rebuilt());
  const auto mark = (*index)->indexed_height();
  log_line("chain " + trust->chain_id + ", genesis " + trust->genesis_id.to_hex() + "; index at " +
           (mark ? "height " + std::to_string(*mark) : std::string("nothing yet")));

  explorer::Follower follower(*trust, **index, std::move(nodes), log_line);
  explorer::Api api(**index, follower, web_root, genesis_text.str());
  explorer::Server server(api);
  if (auto ok = server.start(host, static_cast<std::uint16_t>(port), 4); !ok) {
    std::cerr << "error: " << ok.error().message() << "\n";
    return 3;
  }
  std::cout << "bauhinia-explorer listening on http://" << host << ":" << server.port()
            << std::endl;

  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  explorer::Registers registers(follower, **index, log_line);
  bool swept_once = false;
  while (!g_stop) {
    const std::size_t indexed = follower.step();
    // The registers are read again when a block changed one of their modules.
    const auto changed = follower.take_changed_modules();
    if (!swept_once || !changed.empty()) {
      registers.sweep(changed, /*all=*/!swept_once);
      swept_once = swept_once || !follower.usable().empty();
    }
    if (indexed > 0) {
      log_line("indexed up to height " + std::to_string((*index)->indexed_height().value_or(0)));
      continue;  // more may be waiting
    }
    for (unsigned waited = 0; waited < poll_ms && !g_stop; waited += 50) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  log_line("stopping");
  server.stop();
  return 0;
}
