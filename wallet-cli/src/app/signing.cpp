#include "signing.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "bauhinia/core/bytes.hpp"
#include "passphrase.hpp"

namespace bauhinia::wallet {

core::Result<const UnlockedKey*> KeyUnlocker::unlock(const std::string& name) {
  if (auto it = keys_.find(name); it != keys_.end()) return it->second.get();
  auto info = store_.info(name);
  if (!info) return std::move(info).error();
  auto pass = read_passphrase(ctx_, "passphrase of key '" + name + "'", false);
  if (!pass) return std::move(pass).error();
  auto key = store_.unlock(name, *pass);
  core::secure_zero(pass->data(), pass->size());
  if (!key) {
    // A wrong passphrase or an altered file is the user's input, not the node's.
    return core::Status::invalid_argument(key.error().message());
  }
  auto u = std::make_unique<UnlockedKey>(UnlockedKey{std::move(*info), std::move(*key)});
  const UnlockedKey* ptr = u.get();
  keys_.emplace(name, std::move(u));
  return ptr;
}

core::Result<PreparedTx> read_prepared(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::Status::invalid_argument(path.string() + ": cannot open");
  std::string text(kMaxPreparedTxFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxPreparedTxFileBytes) {
    return core::Status::invalid_argument(path.string() + ": larger than " +
                                          std::to_string(kMaxPreparedTxFileBytes) + " bytes");
  }
  const auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded())
    return core::Status::invalid_argument(path.string() + ": not JSON (truncated?)");
  auto p = prepared_from_json(j);
  if (!p) return core::Status::invalid_argument(path.string() + ": " + p.error().detail);
  return std::move(p).value();
}

core::Status write_prepared(const std::filesystem::path& path, const PreparedTx& p,
                            std::string_view prefix, bool create) {
  const std::string text = to_json(p, prefix).dump(2) + "\n";
  const std::filesystem::path tmp = path.string() + ".tmp-" + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    return core::Status::invalid_argument(tmp.string() +
                                          ": cannot create: " + std::strerror(errno));
  }
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(tmp.c_str());
    return core::Status::io_error(tmp.string() + ": cannot write");
  }
  const int r = create ? ::link(tmp.c_str(), path.c_str()) : ::rename(tmp.c_str(), path.c_str());
  const int e = errno;
  if (create) ::unlink(tmp.c_str());
  if (r != 0) {
    if (!create) ::unlink(tmp.c_str());
    if (e == EEXIST) {
      return core::Status::invalid_argument(path.string() +
                                            " exists already; choose another --out");
    }
    return core::Status::io_error(path.string() + ": cannot write: " + std::strerror(e));
  }
  return core::Status::ok();
}

}  // namespace bauhinia::wallet
