#!/usr/bin/env python3
"""State-tree pruning with a SIGKILL in the middle of it
(docs/adr/0006-state-tree-pruning.md). Four validators; DH stays an archive
(state_prune_window = 0, the reference), the other three keep a window. CR
first runs with a window too large to prune anything, so a backlog of stale
nodes builds up; restarted with a window of 16 and tiny slices, it prunes that
backlog in the background while the cluster commits, and is SIGKILLed while
its pruning metric is moving. Restarted again on the same data, it opens
(the ledger re-verifies its latest state root), resumes pruning until it
keeps just the window, keeps committing, and for every kept height serves
exactly the archive's record and proof; an older height answers 410
`pruned` with the oldest kept height, while the archive still answers."""

import re
import sys
import time
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import TestRun, check, wait_until  # noqa: E402

WINDOW = 16
OLDEST = "bauhinia_ledger_state_oldest_version"
PRUNED = "bauhinia_ledger_state_nodes_pruned_total"


def metric(node, name: str) -> int:
    text = node.api.get("/metrics").body.decode()
    m = re.search(rf"^{name} ([0-9.e+]+)$", text, re.MULTILINE)
    check(m is not None, f"{node.name}: no {name} in /metrics")
    return int(float(m.group(1)))


def main() -> None:
    with TestRun("state_pruning") as run:
        c = run.generate(validators=4)
        archive = c.by_name["DH"]
        victim = c.by_name["CR"]
        for n in c.nodes:
            n.set_config("consensus", "idle_block_interval_ms", "100")
            if n is archive:
                continue
            window = 1_000_000 if n is victim else WINDOW
            n.set_config("ledger", "state_prune_window", str(window))
        c.start()
        c.wait_height(2, timeout_s=60)

        accounts = []
        for d in ["IPD", "CR", "DH", "EPD"]:
            key = c.admin_key(d)
            acct = c.account_of(key)["account_id"]
            accounts.append([key, c.next_sequence(c.nodes[0], acct), acct])

        def wave(label: str, nodes=None, count: int = 5) -> list[str]:
            txs = []
            for a in accounts:
                txs += c.pings(a[0], a[1], count, label)
                a[1] += count
            return c.submit_all(txs, nodes or c.running())

        # A history of state changes: every wave rewrites four account records.
        ids = []
        for i in range(12):
            ids += wave(f"history {i}")
            time.sleep(0.3)
        c.wait_committed(ids, c.nodes, timeout_s=90)
        c.wait_height(WINDOW * 4, timeout_s=90)
        check(metric(victim, OLDEST) == 0, f"{victim.name} pruned with a huge window")
        check(metric(archive, OLDEST) == 0, "the archive pruned")
        ipd = c.by_name["IPD"]
        check(metric(ipd, OLDEST) > 0, "IPD (window 16) did not prune")

        # CR restarts with the real window and tiny slices: a backlog to prune.
        victim.stop()
        victim.set_config("ledger", "state_prune_window", str(WINDOW))
        victim.set_config("ledger", "state_prune_slice_nodes", "1")
        victim.start()
        victim.wait_ready()

        def pruning_under_way():
            return metric(victim, PRUNED) > 0
        wait_until(pruning_under_way, 30, f"{victim.name} to start pruning", interval_s=0.05)
        oldest_at_kill = metric(victim, OLDEST)
        pruned_at_kill = metric(victim, PRUNED)
        # (To the others: what waits only in the victim's mempool may die with it.)
        ids += wave("at the kill", [n for n in c.nodes if n is not victim])
        victim.kill()
        run.log(f"SIGKILLed {victim.name} mid-prune: {pruned_at_kill} nodes pruned, "
                f"oldest kept {oldest_at_kill}")
        check(oldest_at_kill < victim_latest_guess(c, victim) - WINDOW,
              "the kill came after pruning had finished: not mid-prune")

        ids += wave("during the outage")
        victim.set_config("ledger", "state_prune_slice_nodes", "200")
        victim.start()
        victim.wait_ready()
        ids += wave("after the restart")
        c.wait_committed(ids, c.nodes, timeout_s=90)
        c.wait_growth(3, c.nodes, timeout_s=60)

        def caught_up():
            latest = victim.height()
            return metric(victim, OLDEST) >= latest + 1 - WINDOW - 3
        wait_until(caught_up, 60, f"{victim.name} to resume and finish pruning")
        check(metric(victim, PRUNED) > 0, f"{victim.name} did not prune after the restart")
        run.log(f"{victim.name} resumed: oldest kept {metric(victim, OLDEST)} at height "
                f"{victim.height()}")
        c.check_same_blocks(c.nodes)

        # Kept heights: the same records and proofs as the archive's.
        names = []
        for a in accounts:
            q = archive.api.get_json(f"/v1/query/accounts/account/{a[2]}")
            names.append(f"{q['module']}/{q['record_key_hex']}")
        # The chain goes on (a block every 100 ms) and the window with it: from
        # the top down, until the window has passed the height being read.
        oldest = metric(victim, OLDEST)
        top = min(victim.height(), archive.height())  # committed on both
        compared = 0
        lowest = top + 1
        for h in range(top, oldest - 1, -1):
            moved = False
            for name in names:
                mine = victim.api.get(f"/v1/state/{name}?height={h}")
                ref = archive.api.get(f"/v1/state/{name}?height={h}")
                check(ref.status == 200, f"archive: state at {h} answered {ref.status}")
                if mine.status == 410 and mine.json()["error"]["oldest_height"] > h:
                    moved = True
                    break
                check(mine.status == 200,
                      f"{victim.name}: kept height {h} answered {mine.status} {mine.body[:200]!r}")
                m, r = mine.json(), ref.json()
                for field in ["value_hex", "proof_hex", "state_root"]:
                    check(m[field] == r[field], f"{victim.name}: {field} at {h} differs")
                compared += 1
            if moved:
                break
            lowest = h
        check(top - lowest >= 4, f"only heights {lowest}..{top} compared: the window moved too fast")
        run.log(f"{compared} records at heights {lowest}..{top} identical to the archive's")
        oldest = metric(victim, OLDEST)

        # Pruned heights: 410 with the oldest kept; the archive still answers.
        for h in [1, oldest - 1]:
            gone = victim.api.get(f"/v1/state/{names[0]}?height={h}")
            check(gone.status == 410, f"{victim.name}: pruned height {h} answered {gone.status}")
            err = gone.json()["error"]
            check(err["code"] == "pruned" and err["oldest_height"] >= oldest,
                  f"{victim.name}: bad pruned answer {err}")
            check(archive.api.get(f"/v1/state/{names[0]}?height={h}").status == 200,
                  f"the archive lost height {h}")
        c.check_alive()


def victim_latest_guess(c, victim) -> int:
    """The cluster's height (the victim was just killed: ask the others)."""
    return max(c.heights([n for n in c.nodes if n is not victim]).values())


if __name__ == "__main__":
    main()
