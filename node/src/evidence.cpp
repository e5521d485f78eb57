#include "bauhinia/node/evidence.hpp"

#include "bauhinia/consensus/messages.hpp"
#include "bauhinia/node/key_file.hpp"

namespace bauhinia::node {

using core::Reject;
using core::reject;

core::Result<core::schnorr::SecretKey> load_or_create_account_key(
    const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    const auto key = core::schnorr::SecretKey::generate();
    if (auto s = write_schnorr_key(path, key); !s) return s;
  }
  return read_schnorr_key(path);
}

namespace {

core::Checked<contracts::system::SignedStatement> statement(const core::Bytes& message,
                                                            const consensus::Evidence& e,
                                                            const std::string& chain_id) {
  auto m = consensus::decode_message(message);
  if (!m) return std::move(m).error();
  if (e.kind == consensus::Evidence::Kind::kVote) {
    const auto* v = std::get_if<consensus::Vote>(&*m);
    if (v == nullptr || v->author != e.offender) {
      return reject(Reject::kInvalid, "evidence: not a vote of the offender");
    }
    return contracts::system::SignedStatement{core::encode(v->ledger_info), v->signature};
  }
  const auto* p = std::get_if<consensus::Proposal>(&*m);
  if (p == nullptr || p->author() != e.offender) {
    return reject(Reject::kInvalid, "evidence: not a proposal of the offender");
  }
  return contracts::system::SignedStatement{core::encode(p->signing_data(chain_id)), p->signature};
}

}  // namespace

core::Checked<contracts::system::SubmitEvidenceArgs> evidence_args(const consensus::Evidence& e,
                                                                   const std::string& chain_id) {
  contracts::system::SubmitEvidenceArgs args;
  args.kind = e.kind == consensus::Evidence::Kind::kVote
                  ? contracts::system::EvidenceKind::kVote
                  : contracts::system::EvidenceKind::kProposal;
  args.offender = e.offender;
  args.epoch = e.epoch;
  args.round = e.round;
  auto first = statement(e.first, e, chain_id);
  if (!first) return std::move(first).error();
  auto second = statement(e.second, e, chain_id);
  if (!second) return std::move(second).error();
  args.first = std::move(first).value();
  args.second = std::move(second).value();
  return args;
}

chain::Transaction evidence_transaction(const contracts::system::SubmitEvidenceArgs& args,
                                        const core::schnorr::SecretKey& key,
                                        const std::string& chain_id, std::uint64_t sequence,
                                        std::uint64_t expiry_ms) {
  chain::Transaction tx;
  tx.chain_id = chain_id;
  tx.public_key = key.public_key();
  tx.sender = core::account_id_of(tx.public_key);
  tx.sequence = sequence;
  tx.expiry_ms = expiry_ms;
  tx.module = std::string(contracts::system::kModuleName);
  tx.call = "submit_evidence";
  tx.payload = core::encode(args);
  tx.sign(key);
  return tx;
}

}  // namespace bauhinia::node
