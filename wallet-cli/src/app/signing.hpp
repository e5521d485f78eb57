#pragma once
// Keys unlocked from the keystore for one command (asking each key's
// passphrase once), and the prepared-transaction files on disk.

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "bauhinia/wallet/context.hpp"
#include "bauhinia/wallet/keystore.hpp"
#include "bauhinia/wallet/prepared_tx.hpp"

namespace bauhinia::wallet {

struct UnlockedKey {
  KeyInfo info;
  core::schnorr::SecretKey key;
};

class KeyUnlocker {
 public:
  explicit KeyUnlocker(const Context& ctx) : ctx_(ctx), store_(ctx.options.keystore_dir) {}
  const Keystore& store() const { return store_; }
  // The key named `name`, asking for its passphrase (Status on failure).
  core::Result<const UnlockedKey*> unlock(const std::string& name);

 private:
  const Context& ctx_;
  Keystore store_;
  std::map<std::string, std::unique_ptr<UnlockedKey>> keys_;
};

// Reads and parses a prepared-transaction file (format only; see check()).
core::Result<PreparedTx> read_prepared(const std::filesystem::path& path);
// Writes it: a new file (`create`: never overwriting) or an update in place
// (written aside, then renamed over the old one).
core::Status write_prepared(const std::filesystem::path& path, const PreparedTx& p,
                            std::string_view prefix, bool create);

}  // namespace bauhinia::wallet
