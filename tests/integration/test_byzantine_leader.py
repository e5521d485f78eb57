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
    log, bauhinia_evidence_submitted_total) and the evidence is recorded on
    chain on every node; B, which only CR voted for, is never committed; the
    honest nodes keep committing and hold the same block at every height.
 2. `leader_sync_qc` (the next time EPD leads): unsolicited consensus
    SyncResponses (the replica's own sync kind, not the host's ledger sync)
    whose commit certificate is the fresh QC forged: a signature bit flipped
    (to IPD), its signatures over another block (to CR), over round 2^62 (to
    DH). Each is refused before anything is kept (reason bad_signature) and
    the sender penalised (disconnected, banned, counted exactly per node);
    every node then keeps committing the same blocks."""

import re
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import TestRun, check, run_peer_harness, wait_until  # noqa: E402

PENALTIES = "bauhinia_network_peers_penalized_total"
BAD_SIGNATURE = 'bauhinia_consensus_messages_rejected_total{reason="bad_signature"}'
EVIDENCE = "bauhinia_evidence_submitted_total"


def metrics(node) -> dict[str, float]:
    out = {}
    for line in node.api.get("/metrics").body.decode().splitlines():
        m = re.match(r"^([a-z_:]+(?:\{[^}]*\})?)\s+([0-9.eE+-]+)\s*$", line)
        if m:
            out[m.group(1)] = float(m.group(2))
    return out


def main() -> None:
    with TestRun("byzantine_leader") as run:
        c = run.generate(validators=4)
        ipd, cr, dh, epd = c.validators
        honest = [ipd, cr, dh]
        c.start(honest)
        c.wait_height(2, honest, timeout_s=60)
        offender = epd.public_key()
        before = {n.name: metrics(n) for n in honest}

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
        check(metrics(dh).get(EVIDENCE, 0) - before["DH"].get(EVIDENCE, 0) >= 1,
              "DH did not count the evidence it submitted")
        values = [sorted(r["value_hex"] for r in recorded(n)["records"]) for n in honest]
        check(all(v == values[0] for v in values[1:]), f"the same evidence everywhere: {values}")

        c.wait_height(height + 2, honest, timeout_s=60)
        c.check_same_blocks(honest)
        at = ipd.api.block(height)["block_id"]
        check(at != block_b, f"B ({block_b}), voted for by CR alone, was committed")
        run.log(f"height {height} holds {'A' if at == block_a else 'another block'} "
                f"({at[:12]}) on every node; evidence on chain: {len(values[0])} record(s)")

        # --- 2. forged commit certificates in consensus sync responses.
        before = {n.name: metrics(n) for n in honest}
        heights = c.heights(honest)
        got = run_peer_harness(c.binaries, "leader_sync_qc", epd.home, ipd.name,
                               variant=f"bad_signature@{ipd.name},other_block@{cr.name},"
                                       f"huge_round@{dh.name}", timeout_ms=30000)
        check(got.returncode == 0 and got.result == "done", f"harness: {got.output}")
        for ln in got.output.splitlines():
            if ln.startswith("CHECK "):
                run.log(ln)
                check(ln.split()[3] == "penalized", f"not penalised: {ln}\n{got.output}")

        def counted():
            c.check_alive(honest)
            for n in honest:
                now = metrics(n)
                for s in (PENALTIES, BAD_SIGNATURE):
                    if now.get(s, 0) - before[n.name].get(s, 0) < 1:
                        return None
            return True
        wait_until(counted, 30, "each forged certificate refused and its sender penalised", 0.3)
        for n in honest:
            got_p = metrics(n).get(PENALTIES, 0) - before[n.name].get(PENALTIES, 0)
            check(got_p == 1, f"{n.name}: penalties +{got_p:g}, want +1")

        # The victims kept nothing and keep committing, in agreement.
        c.wait_height(max(heights.values()) + 3, honest, timeout_s=60)
        c.check_same_blocks(honest)
        c.check_alive(honest)
        run.log(f"honest nodes at {c.heights(honest)}, same blocks everywhere")


if __name__ == "__main__":
    main()
