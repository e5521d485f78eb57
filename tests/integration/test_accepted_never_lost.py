#!/usr/bin/env python3
"""An accepted transaction never vanishes (issue 15 item 3,
docs/adr/0005-durable-acceptance.md).

4 validators + an observer under a steady signed load: each account submits
its transactions, in sequence, to one node (two accounts per node, the victim
included). The victim validator is SIGKILLed right after it answered a burst
of submissions with 202, and restarted after an outage. Its gossip interval
is 1 s (the configuration's maximum) and the burst follows a transaction of
each account held back until after the restart, so the burst is held by the
victim alone, parked, when it dies: without the journal those transactions
vanish (GET answers 404 everywhere) and strand the later sequences of their
accounts behind the gap until they expire. One more transaction, parked behind
a sequence gap with a short expiry, is accepted by the victim before the kill.

Checked afterwards, from the API alone: every accepted id is committed, at
most once (the accumulator grew by exactly the number committed), or the node
that accepted it answers GET with a definite verdict (the parked one:
`expired`); none is unknown. The victim's log shows the journal re-admitting
what it held. BAUHINIA_LONG=1 runs a longer load with two kills."""

import os
import re
import sys
import time
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import TestRun, check, wait_until  # noqa: E402

LONG = os.environ.get("BAUHINIA_LONG") == "1"
PER_ACCOUNT = 120 if LONG else 40  # transactions per account
ACCOUNTS_PER_NODE = 2
BURST = 8  # transactions each victim account sends right before the kill
KILLS = 2 if LONG else 1
OUTAGE_S = 2.0
PARKED_TTL_MS = 4000
DEFINITE = ("committed", "expired", "dropped")


def main() -> None:
    with TestRun("accepted_never_lost") as run:
        c = run.generate(validators=4, observers=1)
        victim = c.by_name["CR"]
        victim.set_config("mempool", "gossip_interval_ms", "1000")
        victim.set_config("mempool", "gossip_max_transactions", "5000")
        c.start()
        c.wait_height(2, timeout_s=60)
        accumulator_before = c.nodes[0].api.status()["accumulator_size"]

        # Each account: its node and its signed transactions, in sequence.
        accounts = []
        for n in c.nodes:
            for k in range(ACCOUNTS_PER_NODE):
                key = c.new_account_key(f"{n.name}-{k}")
                txs = c.pings(key, 0, PER_ACCOUNT, f"load via {n.name}")
                accounts.append({"node": n, "txs": txs, "next": 0})
        accepted: dict[str, object] = {}  # id -> the node that accepted it

        def submit_next(a) -> bool:
            """Sends the account's next transaction; True when accepted."""
            if a["next"] >= len(a["txs"]):
                return False
            tx_id, tx_hex = a["txs"][a["next"]]
            answer = a["node"].api.submit(tx_hex)
            if answer.status in (429, 503):
                return False  # busy: the same transaction again later
            check(answer.status in (200, 202),
                  f"{a['node'].name} refused {tx_id}: {answer.status} {answer.body[:300]!r}")
            check(answer.json()["id"] == tx_id, f"{a['node'].name} named {tx_id} otherwise")
            accepted[tx_id] = a["node"]
            a["next"] += 1
            return True

        def load(nodes, share: float) -> None:
            """Round-robin over the accounts of `nodes` until each sent `share`
            of its transactions."""
            mine = [a for a in accounts if a["node"] in nodes]
            while True:
                moved = False
                for a in mine:
                    if a["next"] < int(share * len(a["txs"])):
                        moved = submit_next(a) or moved
                if not moved and all(a["next"] >= int(share * len(a["txs"])) for a in mine):
                    return
                if not moved:
                    time.sleep(0.2)

        survivors = [n for n in c.nodes if n is not victim]
        victim_accounts = [a for a in accounts if a["node"] is victim]
        gap_key = c.new_account_key("parked")
        found_in_journal = []
        for k in range(KILLS):
            load(c.nodes, (3 * k + 1) / (3 * KILLS + 1))
            if k == 0:
                # Parked behind a gap (sequence 3 of a new account): never
                # proposable, it expires.
                parked_id, parked_hex = c.testtx(
                    "ping", "--key", str(gap_key), "--genesis", str(c.genesis_path),
                    "--sequence", "3", "--ttl-ms", str(PARKED_TTL_MS),
                    "--memo", "parked").split()
                a = victim.api.submit(parked_hex)
                check(a.status == 202, f"parked transaction: {a.status} {a.body[:300]!r}")
                accepted[parked_id] = victim
            # A burst to the victim, then SIGKILL right after its last 202.
            # The victim's gossip drains first (1 s), so that the burst is held
            # by the victim alone; each account's burst follows a transaction
            # held back (sent after the restart): parked, the victim cannot
            # propose it before it dies either.
            time.sleep(1.2)
            for a in victim_accounts:
                n = a["next"]
                txs = a["txs"]
                if n + BURST < len(txs):
                    txs[n:n + BURST + 1] = txs[n + 1:n + BURST + 1] + [txs[n]]
            burst = 0
            for _ in range(BURST):
                for a in victim_accounts:
                    burst += submit_next(a)
            victim.kill()
            if k == 0:
                first_kill_height = max(c.heights(survivors).values())
            run.log(f"SIGKILLed {victim.name} right after it accepted {burst} transactions "
                    f"({len(accepted)} accepted so far)")
            outage_end = time.monotonic() + OUTAGE_S
            load(survivors, (3 * k + 2) / (3 * KILLS + 1))
            time.sleep(max(0.0, outage_end - time.monotonic()))
            victim.start()
            victim.wait_ready()
            since = victim.log_text().split(f"start #{victim.starts} of")[-1]
            m = re.search(r"transaction journal: (\d+) accepted transactions found, (\d+) "
                          r"re-admitted, (\d+) committed meanwhile, (\d+) expired, (\d+) dropped",
                          since)
            check(m is not None, f"{victim.name} restarted without reading its journal")
            found_in_journal.append(tuple(int(x) for x in m.groups()))
            run.log(f"restarted {victim.name}: journal found {m.group(1)}, re-admitted "
                    f"{m.group(2)}, committed meanwhile {m.group(3)}, expired {m.group(4)}, "
                    f"dropped {m.group(5)}")
        load(c.nodes, 1.0)
        check(found_in_journal[0][0] > 0, "the victim's journal held nothing: no test of it")
        run.log(f"{len(accepted)} transactions accepted in all")

        # Every accepted id gets a definite answer from the node that accepted it.
        verdicts: dict[str, dict] = {}

        def all_definite():
            c.check_alive()
            for tx_id, node in accepted.items():
                if tx_id in verdicts and verdicts[tx_id]["status"] in DEFINITE:
                    continue
                a = node.api.transaction(tx_id)
                if a.status == 200:
                    verdicts[tx_id] = a.json()
            return all(v.get("status") in DEFINITE for v in
                       (verdicts.get(i, {}) for i in accepted))
        try:
            wait_until(all_definite, 60, "a definite answer for every accepted transaction", 0.5)
        finally:
            unknown = [i for i in accepted if verdicts.get(i, {}).get("status") not in DEFINITE]
            if unknown:
                run.log(f"{len(unknown)} accepted transactions unknown or pending: "
                        + ", ".join(f"{i[:16]} via {accepted[i].name}" for i in unknown[:10]))
        committed = [i for i, v in verdicts.items() if v["status"] == "committed"]
        not_committed = {i: v for i, v in verdicts.items() if v["status"] != "committed"}
        run.log(f"committed {len(committed)}, expired/dropped {len(not_committed)}: "
                + ", ".join(f"{i[:16]} {v['status']} ({v.get('reason')})"
                            for i, v in not_committed.items()))
        check(verdicts[parked_id]["status"] == "expired" and
              verdicts[parked_id]["reason"] == "expired",
              f"the parked transaction: {verdicts[parked_id]}")
        check(set(not_committed) == {parked_id},
              f"accepted transactions not committed: {sorted(not_committed)[:5]}")
        for tx_id in committed:
            check(verdicts[tx_id]["outcome"] == "success", f"{tx_id} failed: {verdicts[tx_id]}")

        # Exactly once: the accumulator grew by exactly the transactions committed.
        target = max(c.heights(survivors).values())
        c.wait_height(target, c.nodes, timeout_s=60)
        c.wait_growth(1, c.nodes, timeout_s=30)
        # From a little before the first kill (the earlier blocks are
        # integration_crash_recovery's; each header commits to all before it).
        last = c.check_same_blocks(c.nodes, from_height=max(0, first_kill_height - 5))
        grown = c.nodes[0].api.status()["accumulator_size"] - accumulator_before
        check(grown == len(committed),
              f"the accumulator grew by {grown}, but {len(committed)} distinct transactions "
              "committed")
        run.log(f"each committed exactly once ({grown}); blocks {max(0, first_kill_height - 5)}.."
                f"{last} identical on all five")
        c.check_alive()


if __name__ == "__main__":
    main()
