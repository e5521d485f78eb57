#!/usr/bin/env python3
"""Issue 9, item 3: a sync response with a bad payload is the peer's fault,
not a reason for the node to stop.

bauhinia-peer-harness joins the consortium with an observer's real key (that
observer's node never runs) and serves a node that is behind (the victim, an
observer stopped while the validators commit blocks with transactions) an
unsolicited host-level sync response: the real certified headers, their real
QCs and the real commit certificate, copied from an honest validator, but the
payload of a block with transactions replaced by bytes that do not decode, or
by a decodable payload with other transactions. While under attack the victim
accepts connections from the harness only.

Each response must be refused before execution: a log line, the harness
disconnected (penalised), the victim alive with its ledger unchanged. Then the
victim, with its usual peers again, catches up from the validators, has every
transaction, and keeps committing. (Before the fix the victim re-executed the
payload, found that it did not reproduce the certified header, and stopped:
"this node's execution disagrees with a certified block".)"""

import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import TestRun, check, run_peer_harness  # noqa: E402

VARIANTS = ["undecodable", "different"]


def main() -> None:
    with TestRun("bad_sync_payload") as run:
        c = run.generate(validators=4, observers=2)
        victim, mallory = c.observers
        source = c.validators[0]
        # Alone with the harness from now on.
        behind, usual_peers = c.isolate_behind(victim, mallory)

        # Blocks with several transactions each while the victim is down.
        ids = []
        for d in ["IPD", "DH", "OGCIO"]:
            key = c.admin_key(d)
            seq = c.next_sequence(source, c.account_of(key)["account_id"])
            ids += c.submit_all(c.pings(key, seq, 8, f"{d} while the victim is down"),
                                c.validators)
        c.wait_committed(ids, c.validators, timeout_s=90)
        run.log(f"{victim.name} stopped at {behind}; validators at {c.heights(c.validators)}")

        mallory_key = mallory.public_key()[:12]
        for i, variant in enumerate(VARIANTS):
            victim.start()
            victim.wait_ready()
            got = run_peer_harness(c.binaries, "bad_payload", mallory.home, victim.name,
                                   source=source.name, variant=variant,
                                   params={"after_height": behind}, timeout_ms=20000)
            run.log(f"{variant}: harness said {got.result!r}")
            c.check_alive([victim])
            height = victim.height()
            check(height == behind, f"{variant}: the victim's ledger moved from {behind} to "
                  f"{height}\n{got.output}")
            check(got.returncode == 0 and got.result == "penalized",
                  f"{variant}: the victim did not drop the harness\n{got.output}")
            refusals = victim.log_text().count(f"sync from {mallory_key}: refused")
            check(refusals == i + 1, f"{variant}: no refusal in the victim's log ({refusals})")
            victim.stop()

        victim.set_peers(usual_peers)
        victim.start()
        victim.wait_ready()
        target = max(c.heights(c.validators).values()) + 2
        c.wait_height(target, c.validators + [victim], timeout_s=90)
        c.wait_committed(ids, [victim], timeout_s=30)
        c.check_same_blocks(c.validators + [victim])
        run.log(f"{victim.name} caught up with every transaction: {c.heights()}")
        c.check_alive()


if __name__ == "__main__":
    main()
