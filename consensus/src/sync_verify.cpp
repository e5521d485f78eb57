#include "bauhinia/consensus/sync_verify.hpp"

#include <string>

namespace bauhinia::consensus {

using core::Reject;
using core::reject;
using core::Verdict;

namespace {

std::string at(const chain::BlockHeader& h) {
  return "block at height " + std::to_string(h.height);
}

}  // namespace

Verdict certifies(const QuorumCert& qc, const chain::BlockHeader& header) {
  const VoteData& vd = qc.vote_data;
  if (vd.block_id != header.id()) {
    return reject(Reject::kBadProof, "qc certifies another block than the " + at(header));
  }
  if (vd.round != header.round || vd.height != header.height || vd.epoch != header.epoch) {
    return reject(Reject::kBadProof, "qc round, height or epoch differ from the " + at(header));
  }
  if (vd.parent_id != header.parent_hash) {
    return reject(Reject::kBadProof, "qc names another parent than the " + at(header));
  }
  return Verdict::accept();
}

Verdict verify_committed_run(std::span<const CertifiedHeader> run, const QuorumCert& commit_qc,
                             const EpochContext& ctx, const InjectedFaults& faults) {
  if (run.empty()) return reject(Reject::kInvalid, "no blocks to commit");
  if (run.size() > kMaxCertifiedRun) {
    return reject(Reject::kTooLarge, std::to_string(run.size()) + " blocks in one run");
  }
  for (std::size_t i = 0; i < run.size(); ++i) {
    const chain::BlockHeader& h = run[i].header;
    const QuorumCert& qc = run[i].qc;
    if (Verdict v = h.validate(); !v) return v;
    if (h.epoch != ctx.epoch()) {
      return reject(Reject::kWrongEpoch, at(h) + " is of epoch " + std::to_string(h.epoch));
    }
    if (qc.is_epoch_root()) return reject(Reject::kBadProof, at(h) + ": a root qc");
    if (Verdict v = certifies(qc, h); !v) return v;
    if (i > 0) {
      const chain::BlockHeader& parent = run[i - 1].header;
      if (h.parent_hash != parent.id() || h.height != parent.height + 1) {
        return reject(Reject::kInvalid, at(h) + " is not the child of the block before it");
      }
      if (qc.vote_data.parent_round != parent.round || h.round <= parent.round) {
        return reject(Reject::kBadProof, at(h) + ": rounds do not increase along the chain");
      }
    }
    // Last: the signature check is the expensive one.
    if (Verdict v = verify_qc(qc, ctx, faults); !v) {
      return reject(v.rejection().reason, at(h) + ": " + v.rejection().detail);
    }
  }
  const chain::BlockHeader& last = run.back().header;
  const chain::LedgerInfo& li = commit_qc.ledger_info();
  if (!commit_qc.commits() || li.commit_block != last.id() || li.commit_height != last.height) {
    return reject(Reject::kBadProof, "the commit certificate does not commit the last block");
  }
  // The commit QC certifies a child of the last block; or, when the last
  // block ends its epoch, a reconfiguration-suffix descendant below it (the
  // votes of the suffix commit the epoch-ending block: safety_rules.hpp,
  // commit_override), which the committed ledger never holds.
  const bool child =
      commit_qc.vote_data.parent_id == last.id() && commit_qc.vote_data.parent_round == last.round;
  const bool suffix = last.ends_epoch() && commit_qc.vote_data.height > last.height + 1 &&
                      commit_qc.vote_data.parent_round > last.round;
  if (!child && !suffix) {
    return reject(Reject::kBadProof,
                  "the commit certificate does not certify a child of the " + at(last));
  }
  if (Verdict v = verify_qc(commit_qc, ctx, faults); !v) {
    return reject(v.rejection().reason, "commit certificate: " + v.rejection().detail);
  }
  return Verdict::accept();
}

Verdict verify_extends(const chain::BlockHeader& root, const CertifiedHeader& first) {
  if (first.header.parent_hash != root.id() || first.header.height != root.height + 1) {
    return reject(Reject::kInvalid,
                  "the blocks do not extend the block at height " + std::to_string(root.height));
  }
  // The first block of an epoch extends the epoch root, certified by the
  // root QC of round 0 (QuorumCert::for_epoch_root), not by the root's round.
  const bool epoch_start = root.ends_epoch() && first.header.epoch == root.epoch + 1;
  if (first.qc.vote_data.parent_round != (epoch_start ? 0 : root.round)) {
    return reject(Reject::kBadProof, at(first.header) + ": parent round differs from its parent's");
  }
  return Verdict::accept();
}

Verdict verify_recovery(const RecoveryData& r, const InjectedFaults& faults) {
  const EpochContext& ctx = r.epoch;
  const QuorumCert epoch_root = QuorumCert::for_epoch_root(ctx.chain_id, ctx.epoch(), r.root);
  if (r.root_qc.is_epoch_root()) {
    if (r.root.id() != ctx.epoch_root_id || r.root_qc != epoch_root) {
      return reject(Reject::kBadProof, "root qc: a root qc, but not the epoch root's");
    }
  } else {
    if (Verdict v = certifies(r.root_qc, r.root); !v) {
      return reject(v.rejection().reason, "root qc: " + v.rejection().detail);
    }
    if (Verdict v = verify_qc(r.root_qc, ctx, faults); !v) {
      return reject(v.rejection().reason, "root qc: " + v.rejection().detail);
    }
  }
  if (r.commit_cert && r.commit_cert->epoch() == ctx.epoch()) {
    const chain::LedgerInfo& li = r.commit_cert->ledger_info();
    if (!r.commit_cert->commits() || li.commit_block != r.root.id() ||
        li.commit_height != r.root.height) {
      return reject(Reject::kBadProof, "commit certificate does not commit the root");
    }
    if (Verdict v = verify_qc(*r.commit_cert, ctx, faults); !v) {
      return reject(v.rejection().reason, "commit certificate: " + v.rejection().detail);
    }
  }
  return Verdict::accept();
}

}  // namespace bauhinia::consensus
