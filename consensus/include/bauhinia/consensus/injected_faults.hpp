#pragma once
// Deliberate bugs that can be switched on INSIDE the consensus core, so that
// bauhinia-sim can prove its checkers catch a broken safety rule or a broken
// certificate check (docs/simulator.md, "Injected bugs").
//
// !!! TEST-ONLY. NEVER SET OUTSIDE bauhinia-sim AND THE TESTS. !!!
// bauhinia-node never sets it: no configuration key, command-line flag or
// message reaches it (`grep -rn injected_faults node/` must stay empty).
// With every switch off (the default) the core behaves exactly as if this
// struct did not exist: each check below runs as written in safety_rules.hpp
// and certificates.hpp.

namespace bauhinia::consensus {

struct InjectedFaults {
  // Safety rule 4 (SafetyRules::vote): round > last_voted_round is not checked,
  // so a replica votes again in a round it voted or timed out in (rule 2 still
  // returns the same vote for the same block).
  bool skip_vote_round_check = false;
  // Safety rule 5 (SafetyRules::vote): qc.round >= preferred_round, the lock,
  // is not checked.
  bool skip_lock_check = false;
  // Safety rule 6 (SafetyRules::vote): the two-chain safe_to_vote rule (round
  // == qc.round + 1, or round == tc.round + 1 with qc.round >= the TC's highest
  // QC round) is not checked. It backs the lock up: with rule 6 in force,
  // skipping rule 5 alone can never lead to a conflicting commit.
  bool skip_safe_to_vote_check = false;
  // Certificate verification by the replica and its safety rules (verify_qc /
  // verify_tc with these faults): a signature that does not verify under the
  // key of the slot it sits in is accepted when it verifies under the key of
  // any validator of the set, so one signer copied into several slots of the
  // bitmap is counted once per slot (duplicate signers accepted).
  bool accept_duplicate_signers = false;

  bool any() const noexcept {
    return skip_vote_round_check || skip_lock_check || skip_safe_to_vote_check ||
           accept_duplicate_signers;
  }
  friend bool operator==(const InjectedFaults&, const InjectedFaults&) = default;
};

}  // namespace bauhinia::consensus
