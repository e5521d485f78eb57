#!/usr/bin/env python3
"""Issue 9, item 5: a peer flooding sync requests neither stalls rounds nor
grows a node's memory.

bauhinia-peer-harness joins the consortium with an observer's real key (that
observer's node never runs) and floods validator IPD with sync requests, as
fast as its connection takes them, for FLOOD_S seconds: host-level
LedgerSyncRequest{0, 64} and consensus SyncRequests for a block of IPD's tree,
reading and discarding the answers. Meanwhile:
  - IPD's height keeps growing, with no gap longer than MAX_GAP_S (before the
    fix every request was served on the consensus thread, from an unbounded
    queue, and rounds stalled behind them);
  - IPD's resident memory stays within MAX_RSS_GROWTH_MB of its level before
    the flood, and its /metrics show the core queue bounded and the flood
    rate-limited (dropped, counted) rather than served;
  - a real observer started during the flood still catches up from IPD and
    the others (honest peers have their own rate budget);
and the flooder is rate-limited, not disconnected."""

import re
import sys
import time
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import TestRun, check, start_peer_harness  # noqa: E402

FLOOD_S = 20
MAX_GAP_S = 5.0
MAX_RSS_GROWTH_MB = 64  # before the fix: +112 MB over 20 s (the queue of posted requests)
ASAN_QUARANTINE_MB = 256  # an ASan build keeps freed memory in quarantine (its default size)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024.0
    return 0.0


def metric(node, name: str, labels: str = "") -> float:
    text = node.api.get("/metrics").body.decode()
    pattern = re.escape(name) + (re.escape("{" + labels + "}") if labels else r"(\{[^}]*\})?")
    total = 0.0
    for m in re.finditer(r"^" + pattern + r" ([0-9.e+-]+)$", text, re.M):
        total += float(m.groups()[-1])
    return total


def main() -> None:
    with TestRun("sync_flood") as run:
        c = run.generate(validators=4, observers=2)
        late, mallory = c.observers
        victim = c.validators[0]
        c.start(c.validators)
        c.wait_height(3, c.validators, timeout_s=60)
        base_rss = rss_mb(victim.proc.pid)
        allowed_growth = MAX_RSS_GROWTH_MB
        if b"__asan_init" in Path(c.binaries.node).read_bytes():
            allowed_growth += ASAN_QUARANTINE_MB
        run.log(f"{victim.name} at height {victim.height()}, RSS {base_rss:.0f} MB")

        flooder = start_peer_harness(c.binaries, "sync_flood", mallory.home, victim.name,
                                     variant="mixed", params={"seconds": FLOOD_S},
                                     timeout_ms=20000)
        started = time.monotonic()
        last_height = victim.height()
        last_change = started
        max_gap = 0.0
        peak_rss = base_rss
        peak_queue = 0.0
        late_started = False
        while flooder.poll() is None and time.monotonic() - started < FLOOD_S + 60:
            c.check_alive(c.validators)
            now = time.monotonic()
            h = victim.height()
            if h != last_height:
                last_height, last_change = h, now
            max_gap = max(max_gap, now - last_change)
            peak_rss = max(peak_rss, rss_mb(victim.proc.pid))
            peak_queue = max(peak_queue, metric(victim, "bauhinia_core_queue_bytes"))
            if not late_started and now - started > 3:
                late.start()  # an honest newcomer syncs while the flood goes on
                late_started = True
            time.sleep(0.2)
        check(flooder.poll() is not None, "the harness did not finish")
        out = (mallory.home / "harness.log").read_text()
        run.log(out.strip().splitlines()[-1] if out.strip() else "(no harness output)")
        sent = re.search(r"RESULT flooded (\d+)", out)
        check(sent is not None, f"the flood did not run to its end:\n{out}")
        check(int(sent.group(1)) > 10000, f"too small a flood to test with: {sent.group(1)}")
        grown = peak_rss - base_rss
        run.log(f"longest wait for a block on {victim.name}: {max_gap:.1f} s; RSS peak "
                f"{peak_rss:.0f} MB (+{grown:.0f}); core queue peak {peak_queue / 1e6:.1f} MB")
        check(max_gap <= MAX_GAP_S, f"{victim.name} committed nothing for {max_gap:.1f} s")
        check(grown <= allowed_growth, f"{victim.name}'s memory grew by {grown:.0f} MB")
        limited = metric(victim, "bauhinia_peer_messages_dropped_total", 'reason="rate_limited"')
        served = metric(victim, "bauhinia_sync_served_total")
        run.log(f"{victim.name}: {limited:.0f} requests rate-limited, {served:.0f} served")
        check(limited > 0, "the flood was not rate-limited")
        check(served < int(sent.group(1)) / 10, "most of the flood was served")

        # The newcomer caught up during or right after the flood; the chain goes on.
        target = max(c.heights(c.validators).values())
        c.wait_height(target, [late], timeout_s=90)
        c.wait_growth(2, c.validators + [late], timeout_s=60)
        c.check_same_blocks(c.validators + [late])
        run.log(f"{late.name} caught up to {target} and follows")
        c.check_alive()


if __name__ == "__main__":
    main()
