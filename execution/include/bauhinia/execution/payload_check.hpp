#pragma once
// Whether a block payload is the one a certified header commits to, checked
// BEFORE executing it. A payload that fails is the fault of whoever sent it
// (a peer serving blocks): refuse it and ask elsewhere. A payload that passes
// but whose execution does not reproduce the certified header is this node's
// own disagreement with the consortium (a bug): the node must stop.

#include "bauhinia/chain/block_header.hpp"
#include "bauhinia/core/bytes.hpp"
#include "bauhinia/core/status.hpp"

namespace bauhinia::execution {

// The payload decodes (decode_payload), is in its one canonical encoding
// (encode_payload of what it decodes to: no other bytes for the same
// transactions) and the Merkle root of its transaction ids is
// header.transactions_root (the transaction ids cover their signatures).
core::Verdict check_payload(const chain::BlockHeader& header, core::ByteView payload);

}  // namespace bauhinia::execution
