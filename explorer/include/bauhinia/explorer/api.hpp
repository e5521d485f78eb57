#pragma once
// The explorer's HTTP answers (docs/explorer.md): the JSON API under /api/
// and the static web files of --web-root for everything else. Pure request
// -> response over the index and the follower; the server (server.hpp) does
// the HTTP. Index answers come from the index; proof answers are fetched from
// a followed node, verified here with the light client, and passed through
// (a node whose proof fails is refused through the follower).

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "bauhinia/explorer/follower.hpp"
#include "bauhinia/explorer/index.hpp"

namespace bauhinia::explorer {

inline constexpr std::size_t kMaxTargetBytes = 2048;
inline constexpr std::size_t kMaxStaticFileBytes = 16U << 20;

struct HttpResponse {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::map<std::string, std::string> headers;  // extra headers (Allow, Cache-Control)
};

class Api {
 public:
  // `web_root` empty: no static files (404). `genesis_text`: the trusted file, served as is.
  Api(Index& index, Follower& follower, std::filesystem::path web_root, std::string genesis_text);

  // Never throws: a failure inside is a 500 answer.
  HttpResponse handle(std::string_view method, std::string_view target) const noexcept;

 private:
  HttpResponse route(std::string_view method, std::string_view target) const;

  Index& index_;
  Follower& follower_;
  std::filesystem::path web_root_;
  std::string genesis_text_;
};

// The static file for `path` (already percent-decoded) under `root`: 404 for
// anything missing, hidden, outside the root (.., symbolic links) or too large.
HttpResponse static_file(const std::filesystem::path& root, std::string_view path);

}  // namespace bauhinia::explorer
