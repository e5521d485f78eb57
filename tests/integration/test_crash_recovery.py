#!/usr/bin/env python3
"""(b) SIGKILL one of four validators while transactions flow: the other
three (2f+1) keep committing, including the transactions submitted while it is
down. Restarted on the same data, it catches up by block sync: its height
reaches the others' and every block is identical on all four nodes. Its
safety state survives the SIGKILL: the last voted round it reloads is at
least the one it had persisted before the kill (read from its metrics just
before), and no node ever reports an equivocation."""

import re
import sys
import time
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import TestRun, check  # noqa: E402

OUTAGE_WAVES = 3  # batches of transactions sent while the victim is down
PER_WAVE_PER_ACCOUNT = 10
NEW_ACCOUNTS = 4  # besides the four department admins
LAST_VOTED = "bauhinia_consensus_last_voted_round"


def last_voted_round(node) -> int:
    """The last voted round of the node's persisted safety state (/metrics)."""
    text = node.api.get("/metrics").body.decode()
    m = re.search(rf"^{LAST_VOTED} ([0-9.e+]+)$", text, re.MULTILINE)
    check(m is not None, f"{node.name}: no {LAST_VOTED} in /metrics")
    return int(float(m.group(1)))


def main() -> None:
    with TestRun("crash_recovery") as run:
        c = run.generate(validators=4)
        c.start()
        c.wait_height(2, timeout_s=60)

        accounts = []
        for d in ["IPD", "CR", "DH", "EPD"]:
            key = c.admin_key(d)
            acct = c.account_of(key)["account_id"]
            accounts.append([key, c.next_sequence(c.nodes[0], acct)])
        for i in range(NEW_ACCOUNTS):
            accounts.append([c.new_account_key(f"load{i}"), 0])

        def wave(label: str, nodes) -> list[str]:
            txs = []
            for a in accounts:
                txs += c.pings(a[0], a[1], PER_WAVE_PER_ACCOUNT, label)
                a[1] += PER_WAVE_PER_ACCOUNT
            return c.submit_all(txs, nodes)

        victim = c.by_name["CR"]
        survivors = [n for n in c.nodes if n is not victim]
        ids = wave("before the crash", c.nodes)
        c.wait_committed(ids, c.nodes, timeout_s=60)
        # Kill while a wave is in flight: a crash at an arbitrary instant. (The
        # wave goes to the survivors: what waits only in the victim's mempool
        # may die with it; nothing committed may.)
        ids += wave("at the crash", survivors)
        # The metric moves only after a synced save: the state on disk at the
        # kill is at least this.
        voted_before_kill = last_voted_round(victim)
        check(voted_before_kill > 0, f"{victim.name} had not voted before the kill")
        victim.kill()
        height_at_kill = max(c.heights(survivors).values())
        run.log(f"SIGKILLed {victim.name} at about height {height_at_kill}, "
                f"{len(ids)} transactions sent so far")

        outage_ids = []
        for i in range(OUTAGE_WAVES):
            outage_ids += wave(f"during the outage {i}", survivors)
            time.sleep(0.5)
        c.wait_committed(ids + outage_ids, survivors, timeout_s=90)
        run.log(f"{len(outage_ids)} transactions sent during the outage committed")
        # The wait fails the test unless every survivor gets 5 blocks past the
        # highest height after the kill.
        grown = c.wait_growth(5, survivors, timeout_s=90)
        run.log(f"survivors kept committing without {victim.name}: {grown}")
        c.check_same_blocks(survivors)

        victim.start()
        victim.wait_ready()
        run.log(f"restarted {victim.name} at height {victim.height()}")
        restart_log = victim.log_text().split(f"start #{victim.starts} of")[-1]
        loaded = re.search(r"safety state loaded: epoch \d+, last voted round (\d+)", restart_log)
        check(loaded is not None, f"{victim.name} did not log its reloaded safety state")
        reloaded = int(loaded.group(1))
        check(reloaded >= voted_before_kill,
              f"{victim.name} lost its safety state: reloaded last voted round {reloaded}, "
              f"had persisted {voted_before_kill} before the SIGKILL")
        check(last_voted_round(victim) >= reloaded, f"{victim.name}: {LAST_VOTED} went back")
        run.log(f"{victim.name} reloaded last voted round {reloaded} "
                f"(persisted before the kill: at least {voted_before_kill})")
        after_ids = wave("after the restart", c.nodes)
        target = max(c.heights(survivors).values())
        c.wait_height(target, [victim], timeout_s=90)
        run.log(f"{victim.name} caught up to {target}")
        c.wait_committed(ids + outage_ids + after_ids, c.nodes, timeout_s=90)
        c.wait_growth(2, c.nodes, timeout_s=60)
        last = c.check_same_blocks(c.nodes)
        run.log(f"blocks 0..{last} identical on all four nodes")
        since_restart = victim.log_text().split(f"start #{victim.starts} of")[-1]
        check("catching up" in since_restart, "the restarted node did not use block sync")
        for n in c.nodes:
            check("equivocation by validator" not in n.log_text(),
                  f"{n.name} observed an equivocation")
        c.check_alive()


if __name__ == "__main__":
    main()
