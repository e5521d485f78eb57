#pragma once
// What every stage of the demo's sample registers shares: the signers (their
// keys and next sequence numbers) and the signing of transactions.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/core/address.hpp"
#include "bauhinia/core/hash.hpp"
#include "bauhinia/core/schnorr.hpp"
#include "bauhinia/core/status.hpp"
#include "demo_records.hpp"

namespace bauhinia::demo {

struct Signer {
  std::string name;  // the key file's stem, e.g. "CR-registrar"
  core::AccountId account;
  core::schnorr::SecretKey key;
  std::uint64_t next = 0;  // the sequence of its next transaction
};

class Demo {
 public:
  explicit Demo(const DemoOptions& options);

  // Reads the admins' keys and the demo's own (created when `create_missing`).
  core::Status load_keys(bool create_missing);
  const DemoOptions& options() const noexcept { return options_; }
  Signer& signer(const std::string& name);
  const std::map<std::string, std::unique_ptr<Signer>>& signers() const { return signers_; }
  std::int64_t today() const;  // the Hong Kong day of now_ms (days since 1970-01-01)

  // A transaction of `from` at its next sequence, not signed, no payload.
  chain::Transaction unsigned_tx(Signer& from, std::string module, std::string call) const;
  // Signs with `from`'s key, consumes its sequence, prints the line; returns
  // the transaction's id (a health record's or consent's id is its issuing id).
  core::Hash256 emit(Signer& from, chain::Transaction tx, const std::string& department,
                     const std::string& description);
  core::Hash256 call(const std::string& signer, std::string module, std::string call,
                     core::Bytes payload, const std::string& department,
                     const std::string& description);

  // Notes a private value the stage uses only off chain or inside a salted
  // commitment: it must never appear in any block, transaction or state value.
  const std::string& keep_private(const std::string& value);
  // Appends the noted values to options().private_out (if set).
  core::Status write_private_values() const;

 private:
  void add_signer(const std::string& name, core::schnorr::SecretKey key);

  DemoOptions options_;
  std::map<std::string, std::unique_ptr<Signer>> signers_;
  std::vector<std::string> private_values_;
};

}  // namespace bauhinia::demo
