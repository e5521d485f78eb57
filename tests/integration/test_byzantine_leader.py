#!/usr/bin/env python3
"""Issue 15, item 7: a Byzantine LEADER, with a real validator's key.

Three of four validators run (a quorum of 3). bauhinia-peer-harness joins with
EPD's real key (EPD's node stopped) and waits until EPD leads a round: the
honest validators then send it their votes for the previous round's block,
from which it forms that block's genuine QC, one no other node holds yet.

 1. `equivocating_leader`: two different, valid, executable proposals for the
    same round (empty children of the certified block, 1 ms apart), A to IPD,
    B to CR, A then B to DH; the harness also votes for A. DH's replica
    detects the second proposal (consensus::Evidence, "two proposals" in its
    log, bauhinia_equivocations_detected_total{kind="proposal"} +1 there and
    nowhere else, bauhinia_evidence_submitted_total) and the evidence is recorded on
    chain on every node; B, which only CR voted for, is never committed; the
    honest nodes keep committing and hold the same block at every height.
 2. `withheld_block` (the consensus sync the replica asks for): EPD's
    proposal goes to every node but the next round's leader, and EPD's own
    vote completes that leader's quorum, so it holds the block's QC without
    the block and asks EPD for it. Answered first with another block (refused
    as bad_proof, not penalised), the next time with the right block whose
    parent QC has a flipped signature bit (refused as bad_signature,
    penalised); the victim gets the block from an honest node and goes on.
 3. `leader_sync_qc` (unsolicited consensus SyncResponses, to the two other
    nodes): the commit certificate is the fresh QC forged, its signatures
    over another block, over round 2^62. Each is refused before anything is
    kept (bad_signature) and the sender penalised.
Penalties are counted exactly (one per node: a ban follows each); every node
keeps committing the same blocks. The replica's own consensus
SyncRequest/SyncResponse kind is meant throughout, not the host's ledger
sync (test_forged_sync_qc.py)."""

import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import TestRun, check, node_metrics, run_peer_harness, wait_until  # noqa: E402

PENALTIES = "bauhinia_network_peers_penalized_total"
BAD_SIGNATURE = 'bauhinia_consensus_messages_rejected_total{reason="bad_signature"}'
BAD_PROOF = 'bauhinia_consensus_messages_rejected_total{reason="bad_proof"}'
EVIDENCE = "bauhinia_evidence_submitted_total"
DETECTED = 'bauhinia_equivocations_detected_total{kind="proposal"}'




def main() -> None:
    with TestRun("byzantine_leader") as run:
        c = run.generate(validators=4)
        # The attacks predict which rounds EPD leads (and which node leads
        # next): round robin, set explicitly since reputation is the default.
        for n in c.nodes:
            n.set_config("consensus", "leader_election", '"round_robin"')
        ipd, cr, dh, epd = c.validators
        honest = [ipd, cr, dh]
        c.start(honest)
        c.wait_height(2, honest, timeout_s=60)
        offender = epd.public_key()
        before = {n.name: node_metrics(n) for n in honest}

        # --- 1. two proposals for one round.
        got = run_peer_harness(c.binaries, "equivocating_leader", epd.home, ipd.name,
                               params={"a": ipd.name, "b": cr.name, "both": dh.name,
                                       "vote": 1, "serve_ms": 2000}, timeout_ms=30000)
        check(got.returncode == 0 and got.result == "sent", f"harness: {got.output}")
        line = [ln for ln in got.output.splitlines() if ln.startswith("RESULT ")][-1].split()
        rnd, height, block_a, block_b = int(line[2]), int(line[3]), line[4], line[5]
        run.log(f"EPD proposed A {block_a[:12]} and B {block_b[:12]} for round {rnd} "
                f"at height {height}")

        def recorded(node):
            a = node.api.get(f"/v1/query/system/evidence/{offender}")
            if a.status != 200:
                return None
            doc = a.json()
            return doc if doc.get("records") else None

        wait_until(lambda: all(recorded(n) for n in honest), 60,
                   "the proposal evidence recorded on every running node", 0.5)
        check(f"round {rnd} (two proposals)" in dh.log_text(),
              f"DH did not log the two proposals of round {rnd}")
        for n in (ipd, cr):
            check("(two proposals)" not in n.log_text(), f"{n.name} saw only one proposal")
        check(node_metrics(dh).get(EVIDENCE, 0) - before["DH"].get(EVIDENCE, 0) >= 1,
              "DH did not count the evidence it submitted")
        detected = {n.name: node_metrics(n).get(DETECTED, 0) - before[n.name].get(DETECTED, 0)
                    for n in honest}
        check(detected == {"IPD": 0, "CR": 0, "DH": 1},
              f"proposal equivocations detected: {detected}")
        values = [sorted(r["value_hex"] for r in recorded(n)["records"]) for n in honest]
        check(all(v == values[0] for v in values[1:]), f"the same evidence everywhere: {values}")

        c.wait_height(height + 2, honest, timeout_s=60)
        c.check_same_blocks(honest)
        at = ipd.api.block(height)["block_id"]
        check(at != block_b, f"B ({block_b}), voted for by CR alone, was committed")
        run.log(f"height {height} holds {'A' if at == block_a else 'another block'} "
                f"({at[:12]}) on every node; evidence on chain: {len(values[0])} record(s)")

        # --- 2. a withheld block, asked for by the next leader, answered forged.
        before = {n.name: node_metrics(n) for n in honest}
        got = run_peer_harness(c.binaries, "withheld_block", epd.home, ipd.name,
                               variant="uncertified@next,forged_parent_qc@next",
                               timeout_ms=30000)
        check(got.returncode == 0 and got.result == "done", f"harness: {got.output}")
        verdicts = {step: v[0] for (step, _), v in got.checks.items()}
        run.log(f"withheld_block verdicts {got.checks}")
        check(verdicts == {"uncertified": "kept", "forged_parent_qc": "penalized"},
              f"withheld_block verdicts {verdicts}\n{got.output}")
        keys = {n.public_key(): n for n in honest}
        named = {keys[ln.split()[2]].name for ln in got.output.splitlines()
                 if ln.startswith("harness: victim ")}
        check(len(named) == 1, f"one victim expected: {named}")
        victim = next(n for n in honest if n.name in named)
        others = [n for n in honest if n is not victim]

        def moved(node, sample, delta):
            return node_metrics(node).get(sample, 0) - before[node.name].get(sample, 0) >= delta
        wait_until(lambda: all(moved(victim, s, 1) for s in (BAD_PROOF, BAD_SIGNATURE,
                                                              PENALTIES)), 30,
                   f"{victim.name} refused both answers and penalised the second", 0.3)
        c.wait_height(victim.height() + 2, [victim], timeout_s=60)
        run.log(f"{victim.name} (the next leader) refused both forged answers and follows")

        # --- 3. forged commit certificates in unsolicited consensus sync responses.
        got = run_peer_harness(c.binaries, "leader_sync_qc", epd.home, others[0].name,
                               variant=f"other_block@{others[0].name},"
                                       f"huge_round@{others[1].name}", timeout_ms=30000)
        check(got.returncode == 0 and got.result == "done", f"harness: {got.output}")
        for (step, node), v in got.checks.items():
            run.log(f"leader_sync_qc {step}@{node}: {' '.join(v)}")
            check(v[0] == "penalized", f"not penalised: {step}@{node} {v}\n{got.output}")

        def counted():
            c.check_alive(honest)
            for n in honest:
                now = node_metrics(n)
                for s in (PENALTIES, BAD_SIGNATURE):
                    if now.get(s, 0) - before[n.name].get(s, 0) < 1:
                        return None
            return True
        wait_until(counted, 30, "each forged certificate refused and its sender penalised", 0.3)
        for n in honest:
            got_p = node_metrics(n).get(PENALTIES, 0) - before[n.name].get(PENALTIES, 0)
            check(got_p == 1, f"{n.name}: penalties +{got_p:g}, want +1")

        # The victims kept nothing and keep committing, in agreement.
        heights = c.heights(honest)
        c.wait_height(max(heights.values()) + 3, honest, timeout_s=60)
        c.check_same_blocks(honest)
        c.check_alive(honest)
        run.log(f"honest nodes at {c.heights(honest)}, same blocks everywhere")


if __name__ == "__main__":
    main()
