#include <fstream>
#include <system_error>

#include "api_support.hpp"
#include "bauhinia/explorer/api.hpp"

namespace bauhinia::explorer {

namespace {

std::string content_type_of(const std::filesystem::path& p) {
  const std::string ext = lower(p.extension().string());
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

HttpResponse not_found() {
  return api_support::error(404, "not_found", "no such page");
}

}  // namespace

HttpResponse static_file(const std::filesystem::path& root, std::string_view path) {
  if (root.empty() || path.empty() || path.front() != '/') return not_found();
  std::string rel(path.substr(1));
  if (rel.empty() || rel.back() == '/') rel += "index.html";
  // Each segment a plain name: no "..", no hidden files, no backslashes or NULs.
  std::size_t start = 0;
  while (start <= rel.size()) {
    const auto slash = rel.find('/', start);
    const std::string_view seg = std::string_view(rel).substr(
        start, slash == std::string::npos ? std::string::npos : slash - start);
    if (seg.empty() || seg.front() == '.' ||
        seg.find_first_of(std::string_view("\\\0:", 3)) != std::string_view::npos) {
      return not_found();
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  std::error_code ec;
  const auto base = std::filesystem::canonical(root, ec);
  if (ec) return not_found();
  const auto file = std::filesystem::canonical(base / rel, ec);
  if (ec) return not_found();
  // Symbolic links may not lead out of the root.
  const std::string b = base.string() + "/";
  if (!file.string().starts_with(b)) return not_found();
  if (!std::filesystem::is_regular_file(file, ec) || ec) return not_found();
  const auto size = std::filesystem::file_size(file, ec);
  if (ec || size > kMaxStaticFileBytes) return not_found();
  std::ifstream in(file, std::ios::binary);
  HttpResponse r;
  r.body.resize(static_cast<std::size_t>(size));
  in.read(r.body.data(), static_cast<std::streamsize>(size));
  if (!in) return api_support::error(500, "io_error", "cannot read the file");
  r.content_type = content_type_of(file);
  r.headers["X-Content-Type-Options"] = "nosniff";
  return r;
}

}  // namespace bauhinia::explorer
