// Fuzzes the decoders of everything a node receives from outside over the
// wire or from disk: consensus messages, block-sync messages, transaction
// gossip, transactions, block headers, certificates, ledger infos, validator
// sets, epoch-change proofs and stored state-tree nodes. The first byte
// selects the decoder. Whatever decodes must re-encode to exactly the input
// (the encodings are canonical: signatures and hashes cover these bytes), and
// nothing may crash, leak or read out of bounds. Half of the selector values
// start from the encoding of a default-constructed value (a valid shape) and
// flip bytes in it, which reaches past the length checks quickly.

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/chain/certificate.hpp"
#include "bauhinia/chain/epoch_proof.hpp"
#include "bauhinia/chain/ledger_info.hpp"
#include "bauhinia/chain/transaction.hpp"
#include "bauhinia/chain/validator_set.hpp"
#include "bauhinia/consensus/messages.hpp"
#include "bauhinia/core/assert.hpp"
#include "bauhinia/core/encoding.hpp"
#include "bauhinia/execution/block_payload.hpp"
#include "bauhinia/ledger/state_node.hpp"
#include "bauhinia/node/sync_messages.hpp"

namespace {

using bauhinia::core::Bytes;
using bauhinia::core::ByteView;

void same_bytes(const Bytes& again, ByteView in) {
  BAUHINIA_ASSERT_MSG(
      again.size() == in.size() && std::equal(again.begin(), again.end(), in.begin()),
      "decode then encode changed the bytes: the encoding is not canonical");
}

template <class T>
void round_trip(ByteView in) {
  auto decoded = bauhinia::core::decode<T>(in);
  if (!decoded) {
    BAUHINIA_ASSERT(!bauhinia::core::reject_name(decoded.error().reason).empty());
    return;
  }
  same_bytes(bauhinia::core::encode(*decoded), in);
}

// XORs pairs (position, mask) read from `edits` into `bytes`.
Bytes mutate(Bytes bytes, ByteView edits) {
  if (bytes.empty()) return bytes;
  for (std::size_t i = 0; i + 1 < edits.size(); i += 2)
    bytes[edits[i] % bytes.size()] ^= edits[i + 1];
  return bytes;
}

template <class T>
Bytes genuine() {
  return bauhinia::core::encode(T{});
}

void consensus_message(ByteView in) {
  auto m = bauhinia::consensus::decode_message(in);
  if (!m) return;
  same_bytes(bauhinia::consensus::encode_message(*m), in);
}

void transaction(ByteView in) {
  auto t = bauhinia::chain::decode_transaction(in);
  if (!t) return;
  same_bytes(bauhinia::core::encode(*t), in);
}

// A stored state node: whole (kinds 0-2) or a patch of an older node (kind 3).
void state_node(ByteView in) {
  auto stored = bauhinia::ledger::decode_stored_state_node(in);
  if (!stored) return;
  if (const auto* patch = std::get_if<bauhinia::ledger::StatePatch>(&*stored)) {
    same_bytes(bauhinia::ledger::encode_state_patch(*patch), in);
    return;
  }
  const auto& n = std::get<bauhinia::ledger::StateNode>(*stored);
  same_bytes(bauhinia::ledger::encode_state_node(n), in);
  (void)bauhinia::ledger::state_node_hash(n);
}

Bytes genuine_for(unsigned type) {
  namespace cs = bauhinia::consensus;
  switch (type) {
    case 0: return cs::encode_message(cs::Message{cs::Vote{}});
    case 1: return genuine<bauhinia::node::LedgerSyncRequest>();
    case 2: return genuine<bauhinia::node::LedgerSyncResponse>();
    case 3: return genuine<bauhinia::execution::BlockPayload>();
    case 4: return genuine<bauhinia::chain::Transaction>();
    case 5: return genuine<bauhinia::chain::BlockHeader>();
    case 6: return genuine<bauhinia::chain::QuorumCertificate>();
    case 7: return genuine<bauhinia::chain::LedgerInfo>();
    case 8: return genuine<bauhinia::chain::ValidatorSet>();
    case 9: return genuine<bauhinia::chain::EpochChangeProof>();
    default: return bauhinia::ledger::encode_state_node(bauhinia::ledger::StateNode{});
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const unsigned type = data[0] % 11;
  const bool from_genuine = (data[0] / 11) % 2 == 1;
  Bytes mutated;
  ByteView in(data + 1, size - 1);
  if (from_genuine) {
    mutated = mutate(genuine_for(type), in);
    in = ByteView(mutated);
  }
  switch (type) {
    case 0: consensus_message(in); break;
    case 1: round_trip<bauhinia::node::LedgerSyncRequest>(in); break;
    case 2: round_trip<bauhinia::node::LedgerSyncResponse>(in); break;
    case 3: round_trip<bauhinia::execution::BlockPayload>(in); break;
    case 4: transaction(in); break;
    case 5: round_trip<bauhinia::chain::BlockHeader>(in); break;
    case 6: round_trip<bauhinia::chain::QuorumCertificate>(in); break;
    case 7: round_trip<bauhinia::chain::LedgerInfo>(in); break;
    case 8: round_trip<bauhinia::chain::ValidatorSet>(in); break;
    case 9: round_trip<bauhinia::chain::EpochChangeProof>(in); break;
    default: state_node(in); break;
  }
  return 0;
}
