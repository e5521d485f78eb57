#!/usr/bin/env python3
"""Issue 9, item 1: a sync response whose blocks carry a forged QC must not
stall a node.

bauhinia-peer-harness joins the consortium with an observer's real key (that
observer's node never runs) and serves a node that is behind (the victim, an
observer stopped while the validators commit on) an unsolicited host-level
sync response: real committed blocks and the real commit certificate, copied
from an honest validator, but the last block's own QC forged (a huge round, a
genuine QC of another block, a flipped signature bit, another epoch). While
under attack the victim accepts connections from the harness only, so nothing
else can catch it up first.

Each response must be refused: a log line, the harness disconnected
(penalised), the victim's ledger unchanged. Then the victim, with its usual
peers again, catches up from the validators, keeps committing, and does so
again after a restart. (Before the fix the victim committed the blocks and
kept the forged QC as its root QC: with the huge round it jumped to round
~2^62 and never committed again, restarts included.)"""

import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import TestRun, check, run_peer_harness  # noqa: E402

VARIANTS = ["huge_round", "other_block", "bad_signature", "wrong_epoch"]
LEAD = 8  # blocks the validators commit while the victim is down


def main() -> None:
    with TestRun("forged_sync_qc") as run:
        c = run.generate(validators=4, observers=2)
        victim, mallory = c.observers
        source = c.validators[0]
        # Alone with the harness from now on.
        behind, usual_peers = c.isolate_behind(victim, mallory)
        c.wait_height(behind + LEAD, c.validators, timeout_s=90)
        run.log(f"{victim.name} stopped at {behind}; validators at {c.heights(c.validators)}")

        mallory_key = mallory.public_key()[:12]
        for variant in VARIANTS:
            victim.start()
            victim.wait_ready()
            got = run_peer_harness(c.binaries, "forged_sync_qc", mallory.home, victim.name,
                                   source=source.name, variant=variant,
                                   params={"after_height": behind}, timeout_ms=20000)
            run.log(f"{variant}: harness said {got.result!r}")
            c.check_alive([victim])
            status = victim.api.status()
            check(status["height"] == behind and status["round"] < (1 << 32),
                  f"{variant}: the victim took the forged response: height {status['height']} "
                  f"(was {behind}), round {status['round']}\n{got.output}")
            check(got.returncode == 0 and got.result == "penalized",
                  f"{variant}: the victim did not drop the harness\n{got.output}")
            refusals = victim.log_text().count(f"sync from {mallory_key}: refused")
            check(refusals == VARIANTS.index(variant) + 1,
                  f"{variant}: no refusal in the victim's log ({refusals} in all)")
            victim.stop()

        victim.set_peers(usual_peers)
        victim.start()
        victim.wait_ready()
        target = max(c.heights(c.validators).values()) + 3
        c.wait_height(target, c.validators + [victim], timeout_s=90)
        run.log(f"{victim.name} caught up and follows: {c.heights()}")
        c.check_same_blocks(c.validators + [victim])
        victim.stop()
        victim.start()
        victim.wait_ready()
        c.wait_growth(3, c.validators + [victim], timeout_s=90)
        check(victim.api.status()["round"] < (1 << 32), "the victim's round is sane")
        run.log(f"after a restart: {c.heights()}")
        c.check_alive()


if __name__ == "__main__":
    main()
