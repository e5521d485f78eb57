// verify transaction: inclusion in the accumulator of a certified header, and
// the block that committed it.

#include "bauhinia/chain/light_client.hpp"
#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/chain/transaction_info.hpp"
#include "bauhinia/core/hash.hpp"
#include "checks.hpp"

namespace bauhinia::lightclient {

namespace {

struct Included {
  chain::Transaction transaction;
  chain::TransactionInfo info;
  std::uint64_t claimed_height = 0;  // the block the node says committed it
};

// The transaction's inclusion proof against the certified header at `height`.
Step<Included> included_at(Session& s, const core::Hash256& id, std::uint64_t height,
                           ProvenHeader& header) {
  auto answer =
      s.get("/v1/proofs/transaction/" + id.to_hex() + "?height=" + std::to_string(height));
  if (!answer) return std::move(answer).error();
  auto certified = answer->find("certified");
  if (certified == answer->end()) return malformed("the transaction proof has no certified header");
  auto proven = s.check_certified(*certified, height);
  if (!proven) return std::move(proven).error();
  header = *proven;

  auto bytes = hex_field(*answer, "transaction_hex", chain::kMaxTransactionSize);
  if (!bytes) return std::move(bytes).error();
  if (core::tagged_hash(core::HashTag::kTransactionId, *bytes) != id) {
    return forged("the transaction bytes it served do not hash to the id " + id.to_hex());
  }
  auto tx = chain::decode_transaction(*bytes);
  if (!tx) return forged("the transaction bytes do not decode: " + tx.error().to_string());
  auto info = decode_field<chain::TransactionInfo>(*answer, "leaf_hex", 1024, "TransactionInfo");
  if (!info) return std::move(info).error();
  auto proof = decode_field<chain::InclusionProof>(*answer, "proof_hex", 4096, "InclusionProof");
  if (!proof) return std::move(proof).error();
  if (auto v = chain::verify_transaction(header.header, id, *info, *proof); !v) {
    return forged("the inclusion proof of transaction " + id.to_hex() + " at height " +
                  std::to_string(height) + " does not verify: " + v.rejection().to_string());
  }
  auto claimed = u64_field(*answer, "height");
  if (!claimed) return std::move(claimed).error();
  return Included{std::move(*tx), *info, *claimed};
}

}  // namespace

Step<Proven> check_transaction(Session& s, const Request& r) {
  auto id = core::Hash256::from_hex(r.transaction_id);
  if (!id) return malformed("transaction id: " + id.error().detail);  // validated before
  std::uint64_t height = 0;
  if (r.height) {
    height = *r.height;
  } else {
    auto latest = s.latest();
    if (!latest) return std::move(latest).error();
    height = latest->header.height;
  }
  Proven out;
  auto included = included_at(s, *id, height, out.against);
  if (!included) return std::move(included).error();
  const std::uint64_t leaf = included->info.version;

  // The committing block: its accumulator holds the leaf, its parent's does not.
  const std::uint64_t block = included->claimed_height;
  if (block == 0 || block > height) {
    return inconsistent("it says block " + std::to_string(block) +
                        " committed the transaction, which is not in 1.." + std::to_string(height));
  }
  ProvenHeader at_block;
  if (block == height) {
    at_block = out.against;
  } else {
    auto again = included_at(s, *id, block, at_block);
    if (!again) return std::move(again).error();
    if (again->info != included->info) {
      return inconsistent("it served different accumulator leaves for the same transaction");
    }
  }
  auto parent = s.header_at(block - 1);
  if (!parent) return std::move(parent).error();
  if (parent->header.accumulator_size > leaf) {
    return inconsistent("it says block " + std::to_string(block) +
                        " committed the transaction, but leaf " + std::to_string(leaf) +
                        " was already in the accumulator of block " + std::to_string(block - 1));
  }

  const chain::Transaction& tx = included->transaction;
  const std::string outcome(chain::tx_outcome_name(included->info.outcome));
  out.summary = "Proven: transaction " + id->to_hex() + " was committed in block " +
                std::to_string(block) + " as accumulator leaf " + std::to_string(leaf) +
                " with outcome " + outcome + ", under the header certified at " +
                out.against.describe() + ".";
  out.details.push_back("call: " + tx.module + "." + tx.call + " by account " + tx.sender.to_hex() +
                        " (sequence " + std::to_string(tx.sequence) + ", chain " + tx.chain_id +
                        ")");
  out.details.push_back("committing block: " + at_block.describe() + "; block " +
                        std::to_string(block - 1) + " held " +
                        std::to_string(parent->header.accumulator_size) + " transactions");
  return out;
}

}  // namespace bauhinia::lightclient
