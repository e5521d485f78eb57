#include "bauhinia/ledger/ledger_store_records.hpp"

#include <string>

namespace bauhinia::ledger {

namespace {
core::Verdict check_format(std::uint8_t got, std::uint8_t want, const char* what) {
  if (got == want) return core::Verdict::accept();
  return core::reject(core::Reject::kBadVersion,
                      std::string(what) + " format " + std::to_string(got) + " is not supported");
}
}  // namespace

core::Verdict ChainMeta::validate() const {
  if (auto v = check_format(format, kFormat, "chain meta"); !v) return v;
  if (store_format != kLedgerStoreFormat) {
    return core::reject(core::Reject::kBadVersion,
                        "ledger store format " + std::to_string(store_format) +
                            " is not supported by this build (it reads format " +
                            std::to_string(kLedgerStoreFormat) +
                            "); start from an empty data directory and sync");
  }
  if (chain_id.empty()) return core::reject(core::Reject::kInvalid, "empty chain id");
  return core::Verdict::accept();
}

core::Verdict LatestMeta::validate() const {
  return check_format(format, kFormat, "latest meta");
}

core::Verdict BlockBody::validate() const {
  if (auto v = check_format(format, kFormat, "block body"); !v) return v;
  if (transaction_count > kMaxBlockTransactions) {
    return core::reject(core::Reject::kTooLarge, "block body: too many transactions");
  }
  return core::Verdict::accept();
}

core::Verdict TransactionRecord::validate() const {
  if (auto v = check_format(format, kFormat, "transaction record"); !v) return v;
  return info.validate();
}

core::Verdict EpochRecord::validate() const {
  if (auto v = check_format(format, kFormat, "epoch record"); !v) return v;
  return validators.validate();
}

}  // namespace bauhinia::ledger
