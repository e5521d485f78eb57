#!/usr/bin/env python3
"""Issue 10, items 4 and 8: equivocation evidence reaches the chain.

Three of four validators run (a quorum of 3). The fourth, EPD, is the
Byzantine one: bauhinia-peer-harness joins with EPD's real key (its node
stopped) and, for a proposal, signs two different votes of the same round
and sends both to every node. The round's next leader detects the conflict
(consensus::Evidence, bauhinia_equivocations_detected_total{kind="vote"}),
logs it and submits a system.submit_evidence transaction signed by its own
node account (node_account.key); every node
executes it, verifying the two signatures, and the evidence is on the ledger
once, queryable on every node (/v1/query/system/evidence/<key>) with its
state proof."""

import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import TestRun, check, run_peer_harness, wait_until  # noqa: E402


def detected_votes(node) -> float:
    """bauhinia_equivocations_detected_total{kind="vote"} of the node."""
    for line in node.api.get("/metrics").body.decode().splitlines():
        if line.startswith('bauhinia_equivocations_detected_total{kind="vote"} '):
            return float(line.split()[-1])
    return 0.0


def main() -> None:
    with TestRun("equivocation_evidence") as run:
        c = run.generate(validators=4)
        ipd, cr, dh, epd = c.validators
        honest = [ipd, cr, dh]
        c.start(honest)
        c.wait_height(2, honest, timeout_s=60)
        offender = epd.public_key()
        got = run_peer_harness(c.binaries, "equivocate", epd.home, ipd.name,
                               params={"pairs": 3}, timeout_ms=60000)
        check(got.returncode == 0 and got.result == "sent", f"harness: {got.output}")

        def recorded(node):
            a = node.api.get(f"/v1/query/system/evidence/{offender}")
            if a.status != 200:
                return None
            doc = a.json()
            return doc if doc.get("records") else None

        wait_until(lambda: all(recorded(n) for n in honest), 60,
                   "the evidence recorded on every running node", 0.5)
        submitted = [n for n in honest if "submitted equivocation evidence" in n.log_text()]
        check(submitted, "a leader submitted the evidence")
        detected = sum(detected_votes(n) for n in honest)
        check(detected >= 1, f"equivocating votes detected: {detected}")
        answers = [recorded(n) for n in honest]
        values = [sorted(r["value_hex"] for r in a["records"]) for a in answers]
        check(all(v == values[0] for v in values[1:]), f"the same evidence everywhere: {values}")
        for item in answers[0]["records"]:
            check(item.get("value_hex") and item.get("proof_hex"),
                  f"each record comes with its value and proof: {item}")
        run.log(f"evidence against {offender[:12]} on the ledger: "
                f"{len(values[0])} record(s), submitted by "
                f"{', '.join(n.name for n in submitted)}")
        c.wait_growth(2, honest, timeout_s=60)
        c.check_alive(honest)


if __name__ == "__main__":
    main()
