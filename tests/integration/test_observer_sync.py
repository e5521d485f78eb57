#!/usr/bin/env python3
"""(c) An observer that starts late syncs the whole chain from genesis: four
validators commit blocks with transactions first; the observer, started on an
empty data folder, reaches their height, agrees on every block, and finds the
transactions committed before it existed. It then follows new blocks."""

import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import TestRun, check  # noqa: E402

LEAD_BLOCKS = 12


def main() -> None:
    with TestRun("observer_sync") as run:
        c = run.generate(validators=4, observers=1)
        observer = c.observers[0]
        c.start(c.validators)
        c.wait_height(1, c.validators, timeout_s=60)

        txs = []
        for d in ["IPD", "DH", "OGCIO"]:
            key = c.admin_key(d)
            seq = c.next_sequence(c.validators[0], c.account_of(key)["account_id"])
            txs += c.pings(key, seq, 10, f"{d} before the observer")
        ids = c.submit_all(txs, c.validators)
        c.wait_committed(ids, c.validators, timeout_s=90)
        lead = c.wait_height(LEAD_BLOCKS, c.validators, timeout_s=90)
        run.log(f"validators at {lead}; starting {observer.name} on an empty ledger")
        check(not (observer.home / "data").exists(), "the observer has no data yet")

        observer.start()
        status = observer.wait_ready()
        run.log(f"{observer.name} ready at height {status['height']}")
        target = max(c.heights(c.validators).values())
        c.wait_height(target, [observer], timeout_s=90)
        run.log(f"{observer.name} reached {target}")
        c.wait_committed(ids, [observer], timeout_s=30)
        check("catching up" in observer.log_text(), "the observer did not use block sync")

        # It keeps following: new transactions and blocks reach it too.
        key = c.admin_key("EPD")
        seq = c.next_sequence(c.validators[0], c.account_of(key)["account_id"])
        more = c.submit_all(c.pings(key, seq, 5, "after the observer joined"), [observer])
        c.wait_committed(more, c.nodes, timeout_s=60)
        c.wait_growth(2, c.nodes, timeout_s=60)
        last = c.check_same_blocks(c.nodes)
        run.log(f"blocks 0..{last} identical on the validators and the observer")
        s = observer.api.status()
        check(s["role"] == "observer", f"{observer.name} reports role {s['role']}")
        c.check_alive()


if __name__ == "__main__":
    main()
