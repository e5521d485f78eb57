#!/usr/bin/env python3
"""Certified gossip under attack (docs/network.md, "Certified gossip"), with a
real validator's key.

Five validators, four running (a quorum of 4; certifying a batch takes the
acknowledgements of 2). bauhinia-peer-harness joins with OGCIO's real key
(OGCIO's node stopped), attack batch_acks, one penalised step per node since
a ban (60 s) follows each:
  controls (kept): a valid acknowledgement of ours for a batch DH has not seen,
    and one of another epoch (ignored);
  bad_signature@IPD  our acknowledgement with a flipped signature bit;
  relayed@CR         a genuine acknowledgement signed by DH's key, sent by us;
  other_chain@EPD    our acknowledgement signed over another chain id;
  forged_tx@DH       a Byzantine author: a gossip batch of one transaction with
                     a forged BIP-340 signature, DH not among its verifiers,
                     then our own valid acknowledgement of it. One validator's
                     acknowledgement does not certify: DH waits, verifies the
                     batch itself, refuses the transaction and penalises us.
Then, as observer 0: malformed@IPD, an undecodable channel-4 payload.
Each penalised acknowledgement is counted in bauhinia_batch_acks_total
{outcome="invalid"} and logged, the forged transaction is unknown at every
node (never pending, never committed), nothing was certified, and the
honest nodes keep committing the same blocks."""

import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import TestRun, check, node_metrics, run_peer_plan, wait_until  # noqa: E402

PENALTIES = "bauhinia_network_peers_penalized_total"
ACKS = 'bauhinia_batch_acks_total{outcome="%s"}'
ROUTE = 'bauhinia_gossip_batches_total{route="%s"}'
REFUSED = "bauhinia_gossip_refused_total"
ADMITTED = "bauhinia_gossip_admitted_total"
INVALID_ACK_LOG = "sent an invalid batch acknowledgement"


def run_plan(run, c, home: Path, plan: list[tuple[str, str, str]],
             params: dict | None = None) -> str:
    """One harness process over the plan [(step, node, expected verdict)]."""
    return run_peer_plan(run, c.binaries, "batch_acks", home, plan[0][1], plan, params=params,
                         timeout_ms=15000).output


def main() -> None:
    with TestRun("batch_acks") as run:
        c = run.generate(validators=5, observers=1)
        ipd, cr, dh, epd, ogcio = c.validators
        honest = [ipd, cr, dh, epd]
        c.start(honest)
        c.wait_height(2, honest, timeout_s=60)
        before = {n.name: node_metrics(n) for n in honest}

        out = run_plan(run, c, ogcio.home, [
            ("valid_ack", "DH", "kept"), ("wrong_epoch", "DH", "kept"),
            ("bad_signature", "IPD", "penalized"), ("relayed", "CR", "penalized"),
            ("other_chain", "EPD", "penalized"), ("forged_tx", "DH", "penalized")],
            params={"signer": dh.name})
        forged = [ln.split()[2] for ln in out.splitlines() if ln.startswith("harness: forged ")]
        check(len(forged) == 1, f"no forged transaction id in\n{out}")
        tx_id = forged[0]
        run.log(f"forged transaction {tx_id[:16]}")

        run_plan(run, c, c.observers[0].home, [("malformed", "IPD", "penalized")])

        def delta(n, s):
            return node_metrics(n).get(s, 0.0) - before[n.name].get(s, 0.0)

        want = {
            "IPD": {PENALTIES: 2, ACKS % "invalid": 1},   # bad_signature; malformed (decode)
            "CR": {PENALTIES: 1, ACKS % "invalid": 1},    # relayed
            "EPD": {PENALTIES: 1, ACKS % "invalid": 1},   # other_chain
            # forged_tx: our valid ack counted (and the control kept early), the
            # batch waited out, verified here, its transaction refused.
            "DH": {PENALTIES: 1, ACKS % "invalid": 0, ACKS % "counted": 1,
                   ROUTE % "waited_out": 1, REFUSED: 1},
        }

        def counted():
            c.check_alive(honest)
            for n in honest:
                for s, d in want[n.name].items():
                    if delta(n, s) < d:
                        return None
            return True
        wait_until(counted, 30, "every hostile acknowledgement refused and penalised", 0.3)
        for n in honest:
            for s, d in want[n.name].items():
                got = delta(n, s)
                check(got == d, f"{n.name} {s}: +{got:g}, want +{d:g}")
            # Nothing is gossiped by clients here: nothing may be certified.
            check(delta(n, ROUTE % "certified") == 0, f"{n.name} certified a batch")
            check(delta(n, ADMITTED) == 0, f"{n.name} admitted gossip")
        for n in (ipd, cr, epd):
            check(INVALID_ACK_LOG in n.log_text(), f"{n.name} did not log the invalid ack")
        check("malformed batch acknowledgement" in ipd.log_text(),
              "IPD did not log the malformed acknowledgement")
        check("gossiped 1 transaction(s) with an invalid signature" in dh.log_text(),
              "DH did not log the forged transaction")

        # The forged transaction is known nowhere, now or a few blocks later.
        heights = c.heights(honest)
        c.wait_height(max(heights.values()) + 3, honest, timeout_s=60)
        for n in honest:
            a = n.api.transaction(tx_id)
            check(a.status == 404, f"{n.name} knows the forged transaction: {a.status} {a.body}")
        c.check_same_blocks(honest)
        c.check_alive(honest)
        run.log(f"forged transaction unknown everywhere; honest nodes at {c.heights(honest)}")


if __name__ == "__main__":
    main()
