#!/usr/bin/env python3
"""A flood of valid transactions through the API cannot stop the chain (issue 9,
item 10). Four validators; bauhinia-bench submits from thousands of fresh
accounts at several times what the nodes' admission budget lets in, resubmitting
every refusal after 50 ms whatever Retry-After says (a hostile client). While
the flood lasts, blocks keep committing: no two consecutive blocks (from the
start of the flood to the first block after it) are more than MAX_GAP_MS apart
by their certified timestamps. The excess is refused with 429 and Retry-After,
and every transaction a node accepted (202) is committed.

Needs bauhinia-bench: --bench PATH (besides --node and --testtx)."""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Binaries, TestRun, check  # noqa: E402

MAX_GAP_MS = 2000
# Each node admits at most ADMISSION_RATE client transactions a second (bursts
# of ADMISSION_BURST) and none while its mempool holds MAX_BACKLOG: the cluster
# takes in at most 4 x 300 = 1,200 tx/s, within what it commits on a loaded
# 2-core machine.
ADMISSION_RATE = 300
ADMISSION_BURST = 300
MAX_BACKLOG = 2000
# The flood: FLOOD_RATE tx/s offered for FLOOD_S seconds, one transaction per
# fresh account, every refusal resubmitted after 50 ms. One per account, since
# the bench stops resubmitting when the flood ends: an account's refused
# transaction left unsent would park its later, accepted ones behind the gap in
# sequence numbers (accepted, yet never committable: the client's doing, not a
# loss), and "every accepted transaction commits" could not be asserted.
FLOOD_RATE = 6000
FLOOD_S = 12
TRANSACTIONS = FLOOD_RATE * FLOOD_S
ACCOUNTS = TRANSACTIONS
COMMIT_TIMEOUT_S = 40


def submit_until_answered(node, tx_hex: str, timeout_s: float = 30.0):
    """POSTs until the answer is not a rate refusal (429 over the budget),
    waiting Retry-After in between; returns the last answer."""
    deadline = time.monotonic() + timeout_s
    while True:
        a = node.api.submit(tx_hex)
        over_rate = a.status == 429 and b"admission budget" in a.body
        if not over_rate or time.monotonic() > deadline:
            return a
        time.sleep(float(a.headers.get("Retry-After", "1")))


def thread_nice_values(pid: int) -> list[int]:
    """The nice value of each thread of process `pid` (Linux /proc)."""
    values = []
    for stat in Path(f"/proc/{pid}/task").glob("*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the thread ended meanwhile
        values.append(int(fields[16]))  # field 19 of stat; fields[0] is field 3
    return values


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", required=True)
    args, rest = ap.parse_known_args()
    binaries = Binaries.from_args(rest)
    with TestRun("api_flood", binaries) as run:
        c = run.generate(validators=4)
        for n in c.nodes:
            n.set_config("api", "admission_rate", str(ADMISSION_RATE))
            n.set_config("api", "admission_burst", str(ADMISSION_BURST))
            n.set_config("api", "max_backlog", str(MAX_BACKLOG))
        c.start()
        c.wait_height(2, timeout_s=60)
        first = c.nodes[0]
        start_height = first.api.status()["height"]

        cmd = [args.bench]
        for n in c.nodes:
            cmd += ["--api", f"127.0.0.1:{n.api_port}"]
        cmd += ["-n", str(TRANSACTIONS), "--accounts", str(ACCOUNTS),
                "--rate", str(FLOOD_RATE), "--duration", str(FLOOD_S),
                "--timeout", str(COMMIT_TIMEOUT_S), "--connections", "32",
                "--ignore-retry-after", "--retry-ms", "50", "--max-retries", "100000",
                "--json"]
        run.log(f"flooding from height {start_height}: {' '.join(cmd[1:])}")
        out = subprocess.run(cmd, capture_output=True, text=True,
                             timeout=FLOOD_S + COMMIT_TIMEOUT_S + 60)
        if out.returncode not in (0, 1):
            raise AssertionError(f"bauhinia-bench failed ({out.returncode}): {out.stderr}")
        r = json.loads(out.stdout)
        run.log(f"bench: accepted {r['accepted']}, committed {r['committed']}, "
                f"requests {r['requests']} in {r['submit_window_s']:.1f} s, "
                f"throttled {r['throttled']}, rejections {r['rejections']}, "
                f"committed {r['committed_per_s']:.0f} tx/s, timeline {r['committed_timeline']}")
        c.check_alive()

        # The blocks from the flood's start to the first one after it.
        end_height = c.wait_growth(1, [first], timeout_s=30)[first.name]
        stamps = []
        for h in range(start_height, end_height + 1):
            b = first.api.block(h)
            stamps.append((h, b["header"]["timestamp_ms"], b["transaction_count"]))
        gaps = [(stamps[i][1] - stamps[i - 1][1], stamps[i][0]) for i in range(1, len(stamps))]
        worst = max(gaps)
        run.log(f"{len(gaps)} blocks {start_height + 1}..{end_height}; longest gap "
                f"{worst[0]} ms before block {worst[1]}; gaps over 1 s: "
                f"{[g for g in gaps if g[0] > 1000]}")

        offered_per_s = r["requests"] / max(r["submit_window_s"], 0.001)
        check(offered_per_s >= 2 * r["committed_per_s"],
              f"the flood ({offered_per_s:.0f} requests/s) is not several times what the "
              f"cluster commits ({r['committed_per_s']:.0f} tx/s)")
        check(worst[0] <= MAX_GAP_MS,
              f"no block for {worst[0]} ms (before height {worst[1]}) during the flood")
        check(r["throttled"] > 0, "no submission was refused with 429")
        check(r["throttled_without_retry_after"] == 0,
              f"{r['throttled_without_retry_after']} answers 429 came without Retry-After")
        check(r["accepted"] > 0, "nothing was accepted")
        check(r["committed"] == r["accepted"] and not r["timed_out"],
              f"{r['accepted']} accepted but {r['committed']} committed")
        check(r["unanswered"] == 0, f"{r['unanswered']} submissions unanswered")

        # Transactions behind a sequence gap (parked) are no backlog: more of
        # them than max_backlog do not close the API to anyone else.
        parked = []
        for i in range(MAX_BACKLOG // 64 + 2):
            key = c.new_account_key(f"gap{i}")
            parked += [tx for _, tx in c.pings(key, sequence=1, count=64, memo="gap")]
        for tx_hex in parked:
            a = submit_until_answered(first, tx_hex)
            check(a.status == 202, f"a parked transaction answered {a.status}: {a.body[:200]!r}")
        run.log(f"{len(parked)} parked transactions admitted on {first.name}")
        honest_id, honest_hex = c.pings(c.new_account_key("honest"), 0, 1, "after the gaps")[0]
        a = submit_until_answered(first, honest_hex)
        check(a.status == 202, f"with {len(parked)} parked transactions pending a new "
              f"transaction answered {a.status}: {a.body[:200]!r}")
        c.wait_committed([honest_id], [first], timeout_s=30)

        # Operators see the refusals.
        metrics = first.api.get("/metrics").body.decode()
        refused = sum(float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines()
                      if line.startswith("bauhinia_api_admission_refused_total{"))
        check(refused > 0, "bauhinia_api_admission_refused_total did not count the refusals")

        # The admission threads (2 API, the verifier pool, gossip in and out)
        # run nicer than the core, network and main threads.
        nice = thread_nice_values(first.proc.pid)
        run.log(f"{first.name}'s threads' nice values: {sorted(nice)}")
        check(sum(1 for v in nice if v >= 10) >= 5 and sum(1 for v in nice if v == 0) >= 3,
              f"the admission threads do not run below the consensus path: nice {sorted(nice)}")


if __name__ == "__main__":
    main()
