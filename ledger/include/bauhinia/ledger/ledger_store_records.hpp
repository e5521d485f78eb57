#pragma once
// The values LedgerStore keeps in its own columns (docs/formats/storage.md).
// They are local storage formats, never hashed or signed; they use the
// canonical encoding so that decoding is strict (a damaged value is refused,
// never misread), and each starts with a format byte.
//
// Keys (heights, epochs and accumulator indexes are big-endian, so key order
// is numeric order):
//   kMeta          "chain"                        -> ChainMeta
//   kMeta          "latest"                       -> LatestMeta
//   kBlockHeader   be64(height)                   -> chain::BlockHeader
//   kBlockBody     be64(height)                   -> BlockBody
//   kCertificate   be64(height)                   -> chain::QuorumCertificate (none for genesis)
//   kTransaction   be64(accumulator index)        -> TransactionRecord
//   kTxIndex       transaction id[32]             -> be64(accumulator index)
//   kAccountTx     account id[32] || be64(index)  -> (empty)
//   kValidatorSet  be64(epoch)                    -> EpochRecord

#include <cstdint>
#include <optional>
#include <string>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/chain/ledger_info.hpp"
#include "bauhinia/chain/transaction_info.hpp"
#include "bauhinia/chain/validator_set.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/core/hash.hpp"

namespace bauhinia::ledger {

// Stored format of the whole database; open() refuses any other. Format 2
// (session 13): a record's history is read from the state tree's value column,
// whose entries carry the value's hash; format 1 kept it in kRecordHistory.
inline constexpr std::uint32_t kLedgerStoreFormat = 2;
// Limits on what a block may carry (a block beyond them is rejected).
inline constexpr std::size_t kMaxTransactionBytes = 1u << 20;
inline constexpr std::size_t kMaxBlockTransactions = 100'000;
inline constexpr std::size_t kMaxAccountsPerTransaction = 16;
inline constexpr std::size_t kMaxBlocksPerCommit = 1024;  // LedgerStore::commit_blocks

inline constexpr std::string_view kMetaChainKey = "chain";
inline constexpr std::string_view kMetaLatestKey = "latest";

// Which chain this database holds; written once, with genesis.
struct ChainMeta {
  static constexpr std::uint8_t kFormat = 1;
  std::uint8_t format = kFormat;
  std::uint32_t store_format = kLedgerStoreFormat;
  std::string chain_id;
  core::Hash256 genesis_id;  // header id of block 0

  core::Verdict validate() const;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.format);
    c.u32(s.store_format);
    c.string(s.chain_id, chain::kMaxChainIdLength, "chain_id");
    c.fixed(s.genesis_id);
  }
  friend bool operator==(const ChainMeta&, const ChainMeta&) = default;
};

// The newest committed block; rewritten in the same batch as that block.
struct LatestMeta {
  static constexpr std::uint8_t kFormat = 1;
  std::uint8_t format = kFormat;
  std::uint64_t height = 0;
  core::Hash256 block_id;

  core::Verdict validate() const;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.format);
    c.u64(s.height);
    c.fixed(s.block_id);
  }
  friend bool operator==(const LatestMeta&, const LatestMeta&) = default;
};

// A block's transactions are the accumulator leaves
// [first_index, first_index + transaction_count). `certified`: the block has a
// commit certificate of its own in Column::kCertificate; false for genesis and
// for the earlier blocks of a chain committed by one certificate (commit_blocks).
struct BlockBody {
  static constexpr std::uint8_t kFormat = 1;
  std::uint8_t format = kFormat;
  std::uint64_t first_index = 0;
  std::uint64_t transaction_count = 0;
  bool certified = false;

  core::Verdict validate() const;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.format);
    c.u64(s.first_index);
    c.u64(s.transaction_count);
    c.boolean(s.certified);
  }
  friend bool operator==(const BlockBody&, const BlockBody&) = default;
};

// One committed transaction: its bytes, its execution outcome (the accumulator
// leaf payload) and the block that holds it.
struct TransactionRecord {
  static constexpr std::uint8_t kFormat = 1;
  std::uint8_t format = kFormat;
  std::uint64_t height = 0;
  chain::TransactionInfo info;
  core::Bytes transaction;

  core::Verdict validate() const;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.format);
    c.u64(s.height);
    c.object(s.info);
    c.bytes(s.transaction, kMaxTransactionBytes, "transaction");
  }
  friend bool operator==(const TransactionRecord&, const TransactionRecord&) = default;
};

// The validator set of one epoch and the height of the epoch's first block
// (0 for the genesis epoch; otherwise one above the block that ended the
// previous epoch, whose header names this set's hash).
struct EpochRecord {
  static constexpr std::uint8_t kFormat = 1;
  std::uint8_t format = kFormat;
  std::uint64_t first_height = 0;
  chain::ValidatorSet validators;

  core::Verdict validate() const;
  template <class Self, class C>
  static void fields(Self& s, C& c) {
    c.u8(s.format);
    c.u64(s.first_height);
    c.object(s.validators);
  }
  friend bool operator==(const EpochRecord&, const EpochRecord&) = default;
};

}  // namespace bauhinia::ledger
