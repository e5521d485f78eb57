#!/usr/bin/env python3
"""Chaos under load and load at scale as a script (issue 14 item 7 and its
"at scale" target; docs/performance.md, "Chaos under load" and "State with
1,000,000 accounts"). Three scenarios on a local consortium (4 validators by
default, `bauhinia-node testnet` on free loopback ports in a temporary folder,
every process started and stopped by tests/integration/harness.py, as
scripts/bench-cluster.sh does in bash), under signed load from bauhinia-bench:

  kill    SIGKILL one validator (the last one) --kill-at seconds into the load,
          restart it --down seconds later. The load goes to the other
          validators' APIs (the clients of a dead node go elsewhere). Reports the
          committed throughput before the kill, while it is down, while it
          catches up and after, each as a fraction of "before"; the longest gap
          between committed blocks (block timestamps) and the longest time no
          surviving node's height moved (its API polled every 100 ms); when the
          restarted validator caught up (its height at the lowest survivor's)
          and whether the load was still running then.
  steady  --minutes N (default 30; --quick: 2) at a constant rate through every
          validator's API. Reports throughput and latency per minute (first vs
          last), each node's RSS over time (sampled every 5 s) and whether it
          stayed bounded, and the disk bytes per committed transaction of each
          node (its folder before and after, logs excluded).
  scale   the usual saturation run over a large state. First the prefill: one
          bauhinia-bench of --prefill P transactions from P accounts (default
          1,000,000; --quick: 20,000), --rate 0 --batch 64 --key-seed S through
          every validator's API, so that each transaction is its account's first
          and creates its record; waits until all committed and reports the
          duration, committed tx/s and bench's peak RSS (it holds the whole
          signed load). Then the measurement, the run of the saturation row of
          docs/performance.md: -n N --accounts A (default 4,000) --rate R
          (default 0, as fast as accepted) --batch 64 for --seconds (default 60;
          --quick: 15) from accounts of key seed S+1 (new ones, sequences from 0);
          N = R x seconds, or at --rate 0 min(64 A, 5,000 x seconds). Reports
          committed tx/s, p50/p90/p99 latency, each node's CPU per committed
          transaction (utime + stime from /proc while bench submits and waits,
          prefill and measurement), each node's data folder (start, after the
          prefill, end) and peak RSS. The nodes expose no count of state records:
          the accounts created are counted from committed first transactions
          (P + A when all went well: the prefill's, and the measurement's
          sequence-0 transactions read one by one), and random prefill and
          measurement senders' records are read at every node (present,
          identical, next sequence past the transaction's; 1 for a prefill
          account).

Invariants (exit status 1 when one fails): bauhinia-bench exits 0, every
transaction it had accepted committed, no node died that the scenario did not
kill, every node holds the same blocks (ids, headers, transaction ids) at every
height (steady, scale: the same block id, which commits to the chain below it,
at every 50th height and the last), (kill) the restarted validator caught up,
and (scale) every prefill transaction committed and the spot-checked account
records agree. The targets of issue 14 (>= 90 % throughput, no gap over 2 s,
flat latency, the same rates at scale) are reported, not enforced: speed is
measured here, never asserted.

Usage:
  scripts/bench-scenarios.py kill   [--rate 6400] [--seconds 60] [--kill-at 20] [--down 10]
  scripts/bench-scenarios.py steady [--rate 6400] [--minutes 30 | --quick]
  scripts/bench-scenarios.py scale  [--prefill 1000000] [--rate 0] [--seconds 60]
                                    [--accounts 4000] [--key-seed 14] [--quick]
  common: --build DIR (default build/release) or --node/--bench, --validators N,
          --accounts A, --batch B, --connections C, --json FILE, --keep
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.dont_write_bytecode = True
sys.path.insert(0, str(ROOT / "tests" / "integration"))

import harness as H  # noqa: E402

POLL_S = 0.1            # height watcher period
RSS_EVERY_S = 5.0       # steady run: RSS sample period (1 s in runs under 3 minutes)
MAX_TX_PER_BENCH = 4_000_000  # one bauhinia-bench holds its whole signed workload in memory
GAP_TARGET_S = 2.0
KEEP_TARGET = 0.90
BLOCK_PAGE = 100
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# scale: the prefill, one bauhinia-bench run of P transactions from P accounts
# (bench's --accounts limit: 1,000,000), each an account's first transaction.
MAX_PREFILL = 1_000_000
PREFILL_BATCH = 64
PREFILL_EXPIRY_S = 7000       # the mempool refuses expiries over 2 h ahead
PREFILL_MAX_S = 6900          # submission window at most (it ends when all are answered)
MEMPOOL_PER_ACCOUNT = 64      # [mempool] max_per_account of the testnet (bench's default)
SATURATION_OFFER = 5000       # scale, --rate 0: signed for this many tx/s (above saturation)
SPOT_CHECKS = 12              # scale: accounts whose record is read at every node, per phase


def now() -> float:
    return time.monotonic()


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def rss_mb(pid: int, field: str = "VmRSS") -> float | None:
    """A process's resident memory (VmHWM: its peak so far) in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024.0
    except (OSError, ValueError):
        return None
    return None


def cpu_s(pid: int) -> float | None:
    """utime + stime of a process in seconds (fields 14 and 15 of
    /proc/<pid>/stat, after the command name in parentheses)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    except (OSError, ValueError, IndexError):
        return None


def folder_bytes(home: Path) -> int:
    """Bytes of every file under a node's folder but its logs."""
    total = 0
    for dirpath, _, files in os.walk(home):
        for f in files:
            if f.startswith("node.log"):
                continue
            try:
                total += os.lstat(os.path.join(dirpath, f)).st_size
            except OSError:
                pass
    return total


class Watcher:
    """Polls every node's height (GET /v1/status) every POLL_S and, every
    rss_every_s, each node process's RSS; the samples carry monotonic times."""

    def __init__(self, c: H.Consortium, rss_every_s: float):
        self.c = c
        self.rss_every_s = rss_every_s
        self.heights: dict[str, list[tuple[float, int]]] = {n.name: [] for n in c.nodes}
        self.rounds: list[tuple[float, dict[str, int]]] = []  # one entry per poll round
        self.rss: dict[str, list[tuple[float, float]]] = {n.name: [] for n in c.nodes}
        # Beside each RSS sample: the anonymous part (heap, not the table files
        # LevelDB maps) and the process's CPU seconds so far.
        self.anon: dict[str, list[tuple[float, float]]] = {n.name: [] for n in c.nodes}
        self.cpu: dict[str, list[tuple[float, float]]] = {n.name: [] for n in c.nodes}
        self.stop_flag = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stop_flag.set()
        self.thread.join(timeout=10)

    def _height(self, n: H.Node) -> int | None:
        if not n.running():
            return None
        try:
            a = n.api.request("GET", "/v1/status", timeout_s=1.0)
            return int(a.json()["height"]) if a.status == 200 else None
        except (OSError, ValueError, KeyError, H.http.client.HTTPException):
            return None

    def _run(self) -> None:
        next_rss = 0.0
        while not self.stop_flag.is_set():
            t = now()
            seen = {}
            for n in self.c.nodes:
                h = self._height(n)
                if h is not None:
                    seen[n.name] = h
                    self.heights[n.name].append((t, h))
            self.rounds.append((t, seen))
            if t >= next_rss:
                for n in self.c.nodes:
                    if n.running():
                        mb = rss_mb(n.proc.pid)
                        if mb is not None:
                            self.rss[n.name].append((t, mb))
                        anon = rss_mb(n.proc.pid, "RssAnon")
                        if anon is not None:
                            self.anon[n.name].append((t, anon))
                        cpu = cpu_s(n.proc.pid)
                        if cpu is not None:
                            self.cpu[n.name].append((t, cpu))
                next_rss = t + self.rss_every_s
            self.stop_flag.wait(max(0.0, POLL_S - (now() - t)))


class Bench:
    """bauhinia-bench as a child process: stdout (the JSON report) kept, stderr
    read line by line to learn when submission starts."""

    def __init__(self, args, apis: list[H.Node], n: int, rate: int, seconds: float,
                 timeout_s: float, log: Path, accounts: int | None = None,
                 batch: int | None = None, key_seed: int | None = None,
                 expiry_s: float | None = None):
        accounts = accounts or args.accounts or max(math.ceil(n / 60), min(2000, n))
        batch = args.batch if batch is None else batch
        self.cmd = [str(args.bench)]
        for a in apis:
            self.cmd += ["--api", f"127.0.0.1:{a.api_port}"]
        self.cmd += ["-n", str(n), "--accounts", str(accounts), "--rate", str(rate),
                     "--duration", str(seconds), "--timeout", str(timeout_s),
                     "--max-retries", "1000", "--json"]
        if batch:
            self.cmd += ["--batch", str(batch)]
        if key_seed is not None:
            self.cmd += ["--key-seed", str(key_seed)]
        if expiry_s is not None:
            self.cmd += ["--expiry", str(expiry_s)]
        if args.connections:
            self.cmd += ["--connections", str(args.connections)]
        self.log = log
        self.submitting_at: float | None = None
        self.submitting = threading.Event()
        self.proc: subprocess.Popen | None = None
        self.out = b""

    def start(self) -> None:
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, preexec_fn=H._child_setup)
        H._live_processes.append(self.proc)
        threading.Thread(target=self._stderr, daemon=True).start()
        self.reader = threading.Thread(target=self._stdout, daemon=True)
        self.reader.start()

    def _stdout(self) -> None:
        self.out = self.proc.stdout.read()

    def _stderr(self) -> None:
        with open(self.log, "ab") as log:
            for line in iter(self.proc.stderr.readline, b""):
                log.write(line)
                log.flush()
                if b"submitting to" in line and self.submitting_at is None:
                    self.submitting_at = now()
                    self.submitting.set()

    def wait(self, timeout_s: float) -> tuple[int, dict | None]:
        try:
            code = self.proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait(timeout=10)
        self.reader.join(timeout=10)
        if self.proc in H._live_processes:
            H._live_processes.remove(self.proc)
        try:
            return code, json.loads(self.out.decode())
        except ValueError:
            return code, None


def fetch_blocks(node: H.Node, first: int, last: int) -> list[dict]:
    """Height, timestamp_ms and transaction_count of blocks first..last (GET /v1/blocks pages)."""
    out = []
    h = first
    while h <= last:
        page = node.api.get_json(f"/v1/blocks?from={h}&order=asc&limit={BLOCK_PAGE}")
        blocks = [b for b in page["blocks"] if b["height"] <= last]
        if not blocks:
            break
        out += [{"height": b["height"], "t_ms": b["timestamp_ms"],
                 "txs": b["transaction_count"]} for b in blocks]
        h = blocks[-1]["height"] + 1
    return out


def longest_block_gap(blocks: list[dict], lo_ms: float, hi_ms: float) -> tuple[float, int | None]:
    """Longest time between consecutive blocks carrying transactions whose
    timestamps fall in [lo_ms, hi_ms] (including the edges of the window), and the
    height that ended it."""
    times = [(b["t_ms"], b["height"]) for b in blocks if b["txs"] > 0 and lo_ms <= b["t_ms"] <= hi_ms]
    points = [(lo_ms, None)] + times + [(hi_ms, None)]
    best, at = 0.0, None
    for (a, _), (b, hb) in zip(points, points[1:]):
        if b - a > best:
            best, at = b - a, hb
    return best / 1000.0, at


def commit_times(w: Watcher, names: list[str], blocks: list[dict]) -> None:
    """Sets b["t"] of each block: the first poll at which one of `names`
    had reached its height (monotonic time; None if never seen)."""
    seen_at: list[tuple[float, int]] = []
    top = -1
    for t, seen in w.rounds:
        hs = [seen[n] for n in names if n in seen]
        if hs and max(hs) > top:
            top = max(hs)
            seen_at.append((t, top))
    i = 0
    for b in sorted(blocks, key=lambda b: b["height"]):
        while i < len(seen_at) and seen_at[i][1] < b["height"]:
            i += 1
        b["t"] = seen_at[i][0] if i < len(seen_at) else None


def longest_commit_gap(blocks: list[dict], lo: float, hi: float) -> tuple[float, float]:
    """Longest time in [lo, hi] between commits of blocks carrying
    transactions (commit times from commit_times), and when it began."""
    times = sorted(b["t"] for b in blocks if b["txs"] > 0 and b.get("t") is not None
                   and lo <= b["t"] <= hi)
    points = [lo] + times + [hi]
    best, at = 0.0, lo
    for a, b in zip(points, points[1:]):
        if b - a > best:
            best, at = b - a, a
    return best, at


def longest_still(w: Watcher, names: list[str], lo: float, hi: float) -> float:
    """Longest time in [lo, hi] during which none of `names` increased its
    height (watcher samples)."""
    best = 0.0
    last_move = lo
    last_max = None
    for t, seen in w.rounds:
        if t < lo or t > hi:
            continue
        hs = [seen[n] for n in names if n in seen]
        if not hs:
            continue
        m = max(hs)
        if last_max is None:
            last_max = m
            continue
        if m > last_max:
            best = max(best, t - last_move)
            last_move, last_max = t, m
    return max(best, min(hi, w.rounds[-1][0] if w.rounds else hi) - last_move)


def txs_in(blocks: list[dict], lo_ms: float, hi_ms: float) -> int:
    return sum(b["txs"] for b in blocks if lo_ms <= b["t_ms"] < hi_ms)


def rss_summary(s: list[tuple[float, float]]) -> dict:
    """RSS samples of one node over the load: at the first minute's end, at
    half-time, the last minute's highest, the peak, and whether the second
    half grew by no more than max(32 MB, 25 %) (a warming cache and the
    mempool fill in the first half; a leak keeps growing)."""
    t0, t1 = s[0][0], s[-1][0]

    def at(t: float) -> float:
        return next((mb for tt, mb in s if tt >= t), s[-1][1])
    half = max(mb for tt, mb in s if tt <= t0 + (t1 - t0) / 2)
    last = max(mb for tt, mb in s if tt >= t1 - 60)
    growth = last - half
    return {"after_1_min_mb": round(at(t0 + 60), 1), "half_time_mb": round(half, 1),
            "last_minute_mb": round(last, 1), "peak_mb": round(max(mb for _, mb in s), 1),
            "second_half_growth_mb": round(growth, 1),
            "bounded": growth <= max(32.0, 0.25 * half),
            "samples": [[round(tt - t0), round(mb, 1)] for tt, mb in s][:: max(1, len(s) // 60)]}


class Scenario:
    def __init__(self, args):
        self.args = args
        self.findings: list[str] = []
        self.lines: list[str] = []
        self.result: dict = {"scenario": args.scenario, "validators": args.validators,
                             "rate_offered": args.rate, "load_before": loadavg()}

    def say(self, text: str = "") -> None:
        self.lines.append(text)
        print(text, flush=True)

    def log(self, text: str) -> None:
        print(f"[{now() - self.t0:7.1f} s] {text}", file=sys.stderr, flush=True)

    def finding(self, text: str) -> None:
        self.log(f"FINDING: {text}")
        self.findings.append(text)

    def start_cluster(self, run: H.TestRun) -> H.Consortium:
        c = run.generate(validators=self.args.validators)
        c.start()
        for n in c.nodes:
            n.wait_ready()
        c.wait_height(2, timeout_s=60)
        return c

    def wall_to_mono(self) -> float:
        """Add to a wall-clock time (s) to get this process's monotonic time."""
        return now() - time.time()

    def check_bench(self, report: dict | None, code: int, label: str = "") -> None:
        """bauhinia-bench exited 0 with a report, and every transaction it had
        accepted committed."""
        if code != 0 or report is None:
            self.finding(f"{label}bauhinia-bench exited with {code}" +
                         ("" if report else " without a report"))
        elif report["committed"] != report["accepted"]:
            self.finding(f"{label}{report['accepted']} accepted but {report['committed']} "
                         f"committed (timed out: {report['timed_out']})")

    def check_end(self, c: H.Consortium, report: dict | None, code: int,
                  label: str = "") -> None:
        self.check_bench(report, code, label)
        for n in c.nodes:
            if n.expected_up and not n.running():
                self.finding(f"{n.name} died (exit {n.proc.returncode})")
        try:
            if self.args.scenario in ("steady", "scale"):
                upto = self.same_chain(c)
            else:
                upto = c.check_same_blocks()
            self.result["heights_compared"] = upto + 1
        except H.HarnessError as e:
            self.finding(f"block check: {str(e).splitlines()[0]}")

    def same_chain(self, c: H.Consortium, every: int = 50) -> int:
        """Long runs: the block id (which commits to its parent's id, so to the
        whole chain below it) of every node at every `every`-th height and at
        the lowest node's height, through GET /v1/blocks pages."""
        up_to = min(c.heights().values())
        heights = set(range(0, up_to + 1, every)) | {up_to}
        ref: dict[int, tuple[str, str]] = {}
        for n in c.nodes:
            for h in sorted(heights):
                page = n.api.get_json(f"/v1/blocks?from={h}&order=asc&limit=1")
                bid = page["blocks"][0]["block_id"]
                if h not in ref:
                    ref[h] = (n.name, bid)
                elif ref[h][1] != bid:
                    raise H.Disagreement(f"block {h} differs: {ref[h][0]} has {ref[h][1]}, "
                                         f"{n.name} has {bid}")
        return up_to

    # ---- kill -------------------------------------------------------------------------

    def kill(self) -> None:
        a = self.args
        with H.TestRun("bench-kill", a.binaries) as run:
            self.t0 = now()
            c = self.start_cluster(run)
            victim = c.validators[-1]
            survivors = [n for n in c.validators if n is not victim]
            w = Watcher(c, rss_every_s=1.0)
            w.start()
            n_tx = int(a.rate * a.seconds)
            bench = Bench(a, survivors, n_tx, a.rate, a.seconds, a.drain, run.dir / "bench.err")
            self.log(f"signing {n_tx} pings; load to {', '.join(s.name for s in survivors)}; "
                     f"{victim.name} killed at {a.kill_at} s for {a.down} s")
            bench.start()
            if not bench.submitting.wait(timeout=600):
                raise H.HarnessError("bauhinia-bench never started submitting")
            t_load = bench.submitting_at
            time.sleep(max(0.0, t_load + a.kill_at - now()))
            victim.kill()
            t_kill = now()
            h_kill = max(w.rounds[-1][1].values()) if w.rounds else 0
            self.log(f"SIGKILL {victim.name} at height {h_kill}")
            time.sleep(max(0.0, t_kill + a.down - now()))
            victim.start()
            t_restart = now()
            others_at_restart = max(c.heights(survivors).values())
            self.log(f"restarted {victim.name}; the others at {others_at_restart}")
            # Caught up: the first poll round in which the victim's height is at
            # least the lowest survivor's in the same round.
            t_caught = None
            deadline = t_restart + max(a.seconds, 60)
            while now() < deadline and t_caught is None:
                for t, seen in list(w.rounds):
                    if t < t_restart or victim.name not in seen:
                        continue
                    surv = [seen[s.name] for s in survivors if s.name in seen]
                    if surv and seen[victim.name] >= min(surv):
                        t_caught = t
                        break
                time.sleep(0.2)
            code, report = bench.wait(timeout_s=a.seconds + a.drain + 120)
            t_end_load = t_load + (report["submit_window_s"] if report else a.seconds)
            w.stop()
            self.check_end(c, report, code)
            if t_caught is None:
                self.finding(f"{victim.name} did not catch up within "
                             f"{deadline - t_restart:.0f} s of its restart")
            # Throughput windows by commit time: when a survivor's API first
            # showed the block's height (polled every 100 ms); the block
            # timestamps (the proposer's clock, when it proposed) give the
            # second measure of the gap.
            off = self.wall_to_mono()
            start_h = report["start_height"] if report else 1
            end_h = min(c.heights(survivors).values())
            blocks = fetch_blocks(survivors[0], start_h + 1, end_h)
            commit_times(w, [s.name for s in survivors], blocks)
            warm = min(3.0, a.kill_at / 3)

            def rate(lo: float, hi: float) -> float | None:
                if hi - lo < 0.5:
                    return None
                return sum(b["txs"] for b in blocks
                           if b["t"] is not None and lo <= b["t"] < hi) / (hi - lo)
            before = rate(t_load + warm, t_kill)
            during = rate(t_kill, t_restart)
            catch_end = min(t_caught or t_end_load, t_end_load)
            catching = rate(t_restart, catch_end)
            after = rate(catch_end, t_end_load)
            gap_s, gap_at = longest_commit_gap(blocks, t_load + warm, t_end_load)
            ts_gap_s, ts_gap_h = longest_block_gap(blocks, (t_load + warm - off) * 1000,
                                                   (t_end_load - off) * 1000)
            still = longest_still(w, [s.name for s in survivors], t_load + warm, t_end_load)

            def frac(x):
                return None if x is None or not before else round(x / before, 3)
            r = self.result
            r.update({
                "victim": victim.name, "survivors": [s.name for s in survivors],
                "seconds": a.seconds, "kill_at_s": a.kill_at, "down_s": a.down,
                "bench": {k: report.get(k) for k in (
                    "submitted", "accepted", "rejected", "committed", "committed_per_s",
                    "latency_ms", "submit_window_s", "throttled", "timed_out",
                    "start_height", "end_height")} if report else None,
                "throughput_tx_s": {"before": before, "down": during, "catching_up": catching,
                                    "after": after},
                "fraction_of_before": {"down": frac(during), "catching_up": frac(catching),
                                       "after": frac(after)},
                "longest_commit_gap_s": round(gap_s, 2),
                "longest_commit_gap_began_s_after_kill": round(gap_at - t_kill, 2),
                "restart_s_after_kill": round(t_restart - t_kill, 2),
                "longest_timestamp_gap_s": round(ts_gap_s, 2),
                "longest_timestamp_gap_height": ts_gap_h,
                "longest_no_height_change_s": round(still, 2),
                "height_at_kill": h_kill, "others_at_restart": others_at_restart,
                "caught_up_s_after_restart": None if t_caught is None else round(t_caught - t_restart, 2),
                "caught_up_while_loaded": t_caught is not None and t_caught <= t_end_load,
                "load_after": loadavg(),
            })
            self.print_kill()

    def print_kill(self) -> None:
        r = self.result
        b = r["bench"] or {}
        lat = b.get("latency_ms") or {}

        def f(x, unit=""):
            return "-" if x is None else f"{x:,.0f}{unit}"

        def pct(x):
            return "-" if x is None else f"{100 * x:.0f} %"
        self.say(f"scenario kill: {r['validators']} validators, {r['victim']} SIGKILLed "
                 f"{r['kill_at_s']} s into {r['seconds']} s of load, restarted {r['down_s']} s "
                 f"later; load to {', '.join(r['survivors'])}")
        self.say(f"machine load     {r['load_before']} before, {r['load_after']} after (uptime)")
        self.say(f"offered          {r['rate_offered']:,} tx/s; bench: submitted "
                 f"{b.get('submitted')}, accepted {b.get('accepted')}, committed "
                 f"{b.get('committed')} ({f(b.get('committed_per_s'))} tx/s overall), p50 "
                 f"{f(lat.get('p50'), ' ms')}, p99 {f(lat.get('p99'), ' ms')}, max "
                 f"{f(lat.get('max'), ' ms')}")
        t, fr = r["throughput_tx_s"], r["fraction_of_before"]
        self.say(f"throughput       before {f(t['before'])} tx/s; down {f(t['down'])} "
                 f"({pct(fr['down'])}); catching up {f(t['catching_up'])} "
                 f"({pct(fr['catching_up'])}); after {f(t['after'])} ({pct(fr['after'])})"
                 f"  [target: >= {KEEP_TARGET:.0%} while down]")
        self.say(f"longest gap      {r['longest_commit_gap_s']:.2f} s between commits of "
                 f"blocks with transactions, from {r['longest_commit_gap_began_s_after_kill']:+.1f}"
                 f" s after the kill (restart at +{r['restart_s_after_kill']:.1f} s); no "
                 f"survivor's height moved for {r['longest_no_height_change_s']:.2f} s at most; "
                 f"block timestamps {r['longest_timestamp_gap_s']:.2f} s apart at most (height "
                 f"{r['longest_timestamp_gap_height']})  [target: <= {GAP_TARGET_S:.0f} s]")
        cu = r["caught_up_s_after_restart"]
        self.say(f"rejoin           {r['victim']} killed at height {r['height_at_kill']}, the "
                 f"others at {r['others_at_restart']} when it restarted; caught up "
                 + ("never" if cu is None else f"{cu:.2f} s after its restart, "
                    + ("while the load went on" if r["caught_up_while_loaded"]
                       else "after the load ended")))

    # ---- steady -----------------------------------------------------------------------

    def steady(self) -> None:
        a = self.args
        minutes = a.minutes
        with H.TestRun("bench-steady", a.binaries) as run:
            self.t0 = now()
            c = self.start_cluster(run)
            bytes0 = {n.name: folder_bytes(n.home) for n in c.nodes}
            w = Watcher(c, rss_every_s=1.0 if minutes < 3 else RSS_EVERY_S)
            w.start()
            # One bench holds its whole workload in memory: segments of at most
            # MAX_TX_PER_BENCH transactions, back to back.
            per_segment_min = max(1, min(minutes, MAX_TX_PER_BENCH // max(1, a.rate * 60)))
            timeline: list[int] = []
            latency_minutes: list[dict] = []
            reports = []
            done = 0
            t_first = None
            while done < minutes:
                m = min(per_segment_min, minutes - done)
                bench = Bench(a, c.validators, a.rate * 60 * m, a.rate, 60.0 * m, a.drain,
                              run.dir / "bench.err")
                self.log(f"segment of {m} min at {a.rate} tx/s")
                bench.start()
                code, report = bench.wait(timeout_s=60 * m + a.drain + 600)
                if t_first is None:
                    t_first = bench.submitting_at
                if code != 0 or report is None:
                    self.finding(f"bauhinia-bench exited with {code}")
                    break
                reports.append(report)
                tl = report["committed_timeline"]
                timeline += tl + [0] * max(0, 60 * m - len(tl))
                lm = report.get("latency_by_minute_ms", [])
                latency_minutes += lm[:m] + [{}] * max(0, m - len(lm))
                done += m
            w.stop()
            committed = sum(r["committed"] for r in reports)
            accepted = sum(r["accepted"] for r in reports)
            report = {"committed": committed, "accepted": accepted, "timed_out": False} \
                if reports else None
            self.check_end(c, report, 0 if reports else 1)
            bytes1 = {n.name: folder_bytes(n.home) for n in c.nodes}
            per_min = []
            for i in range(done):
                tx = sum(timeline[60 * i:60 * (i + 1)])
                lat = latency_minutes[i] if i < len(latency_minutes) else {}
                per_min.append({"minute": i + 1, "committed_tx_s": round(tx / 60.0, 1),
                                "p50_ms": lat.get("p50"), "p99_ms": lat.get("p99"),
                                "max_ms": lat.get("max")})
            rss = {}
            load_from = t_first or w.rounds[0][0]
            for name, s in w.rss.items():
                s = [(t, mb) for t, mb in s if t >= load_from]
                if not s:
                    continue
                rss[name] = rss_summary(s)
                anon = [(t, mb) for t, mb in w.anon[name] if t >= load_from]
                if anon:
                    a_sum = rss_summary(anon)
                    rss[name]["anon"] = {k: a_sum[k] for k in (
                        "after_1_min_mb", "half_time_mb", "last_minute_mb",
                        "second_half_growth_mb", "bounded")}
                cpu = [(t, x) for t, x in w.cpu[name] if t >= load_from]
                if len(cpu) >= 2 and committed:
                    rss[name]["cpu_us_per_tx"] = round(
                        (cpu[-1][1] - cpu[0][1]) * 1e6 / committed, 1)
            disk = {n: {"bytes_added": bytes1[n] - bytes0[n],
                        "bytes_per_tx": round((bytes1[n] - bytes0[n]) / committed, 1)
                        if committed else None} for n in bytes1}
            gap = longest_still(w, [n.name for n in c.nodes], t_first or w.rounds[0][0],
                                (t_first or 0) + 60 * done) if w.rounds else None
            offered = {k: sum(r.get(k, 0) for r in reports)
                       for k in ("submitted", "throttled", "rejected", "unanswered")}
            offered["max_send_lag_ms"] = max((r.get("max_send_lag_ms", 0) for r in reports),
                                             default=0)
            reasons: dict[str, int] = {}
            for r in reports:
                for why, count in (r.get("rejections") or {}).items():
                    reasons[why] = reasons.get(why, 0) + int(count)
            offered["rejections"] = reasons
            self.result.update({
                "offered": offered,
                "minutes": done, "committed": committed, "accepted": accepted,
                "per_minute": per_min, "rss": rss, "disk": disk,
                "longest_no_height_change_s": None if gap is None else round(gap, 2),
                "load_after": loadavg()})
            self.print_steady()

    def print_steady(self) -> None:
        r = self.result
        pm = r["per_minute"]

        def f(x, unit=""):
            return "-" if x is None else f"{x:,.0f}{unit}"
        self.say(f"scenario steady: {r['validators']} validators, {r['rate_offered']:,} tx/s "
                 f"offered for {r['minutes']} min through every validator")
        self.say(f"machine load     {r['load_before']} before, {r['load_after']} after (uptime)")
        self.say(f"committed        {r['committed']:,} of {r['accepted']:,} accepted; no height "
                 f"moved for {r['longest_no_height_change_s']} s at most")
        o = r.get("offered", {})
        if o:
            self.say(f"offered          {r['rate_offered'] * 60 * r['minutes']:,} scheduled, "
                     f"{o['submitted']:,} submitted, {o['throttled']:,} answers 429, "
                     f"{o['rejected']:,} rejected, {o['unanswered']:,} unanswered; "
                     f"the generator fell up to {o['max_send_lag_ms'] / 1000:,.1f} s behind")
            if o.get("rejections"):
                self.say("rejected, why    " + ", ".join(
                    f"{why} {n:,}" for why, n in sorted(o["rejections"].items())))
        self.say("minute  committed tx/s   p50 ms   p99 ms   max ms")
        for m in pm:
            self.say(f"{m['minute']:>6}  {m['committed_tx_s']:>14,.0f}   {f(m['p50_ms']):>6}   "
                     f"{f(m['p99_ms']):>6}   {f(m['max_ms']):>6}")
        if len(pm) >= 2 and pm[0]["committed_tx_s"]:
            self.say(f"last vs first    throughput {pm[-1]['committed_tx_s'] / pm[0]['committed_tx_s']:.2f}x"
                     + (f", p99 {pm[-1]['p99_ms'] / pm[0]['p99_ms']:.2f}x"
                        if pm[0]["p99_ms"] and pm[-1]["p99_ms"] else ""))
        self.say("node      RSS after 1 min  half-time  last min   peak   2nd-half growth  "
                 "disk bytes/tx")
        for name, x in r["rss"].items():
            d = r["disk"].get(name, {})
            self.say(f"{name:<8}  {x['after_1_min_mb']:>10.1f} MB {x['half_time_mb']:>7.1f} MB "
                     f"{x['last_minute_mb']:>7.1f} MB {x['peak_mb']:>6.1f} MB "
                     f"{x['second_half_growth_mb']:>+8.1f} MB ({'bounded' if x['bounded'] else 'GROWING'})"
                     f"  {f(d.get('bytes_per_tx'))}")
        self.say("node      anonymous RSS (heap; the rest is mapped table files the kernel can "
                 "reclaim): 1 min, half-time, last min, 2nd-half growth;  CPU per committed tx")
        for name, x in r["rss"].items():
            a = x.get("anon")
            if a is None:
                continue
            self.say(f"{name:<8}  {a['after_1_min_mb']:>8.1f} MB {a['half_time_mb']:>7.1f} MB "
                     f"{a['last_minute_mb']:>7.1f} MB {a['second_half_growth_mb']:>+8.1f} MB "
                     f"({'bounded' if a['bounded'] else 'GROWING'})   "
                     f"{f(x.get('cpu_us_per_tx'), ' us')}")

    # ---- scale ------------------------------------------------------------------------

    def timed_bench(self, c: H.Consortium, bench: Bench, timeout_s: float) -> dict:
        """Runs `bench` to its end (bounded in time). Every node's CPU (utime +
        stime) from when bench starts submitting (after signing) until it exits,
        and bench's own peak RSS (VmHWM, sampled every 0.2 s)."""
        bench.start()
        deadline = now() + timeout_s
        pids = {n.name: n.proc.pid for n in c.nodes if n.running()}
        peak = 0.0
        cpu0: dict[str, float | None] | None = None
        t_cpu0 = now()
        while bench.proc.poll() is None and now() < deadline:
            if cpu0 is None and bench.submitting.is_set():
                cpu0 = {name: cpu_s(pid) for name, pid in pids.items()}
                t_cpu0 = now()
            peak = max(peak, rss_mb(bench.proc.pid, "VmHWM") or 0.0)
            if cpu0 is None:
                bench.submitting.wait(0.2)
            else:
                time.sleep(0.2)
        code, report = bench.wait(timeout_s=max(1.0, deadline - now()))
        cpu1 = {name: cpu_s(pid) for name, pid in pids.items()}
        window = now() - t_cpu0
        used = {}
        for name in pids:
            before, after = (cpu0 or {}).get(name), cpu1.get(name)
            used[name] = None if before is None or after is None else after - before
        return {"code": code, "report": report, "bench_peak_rss_mb": round(peak, 1),
                "node_cpu_s": used, "window_s": window}

    def phase_result(self, run: dict) -> dict:
        """What the scale report keeps of one bauhinia-bench run."""
        r = run["report"] or {}
        committed = r.get("committed") or 0
        cpu = {}
        for name, s in run["node_cpu_s"].items():
            cpu[name] = None if s is None else {
                "cpu_s": round(s, 2),
                "us_per_committed_tx": round(1e6 * s / committed, 1) if committed else None,
                "percent_of_a_core": round(100 * s / run["window_s"], 1) if run["window_s"] > 0
                else None}
        out = {k: r.get(k) for k in (
            "accounts", "prepared", "prepare_s", "submitted", "accepted", "rejected",
            "committed", "commit_window_s", "committed_per_s", "throttled", "timed_out",
            "start_height", "end_height", "latency_ms", "run_cpu_s")}
        out.update({"bench_exit": run["code"], "bench_peak_rss_mb": run["bench_peak_rss_mb"],
                    "node_cpu": cpu})
        return out

    def spot_check(self, c: H.Consortium, first: int, last: int, label: str,
                   prefill: bool) -> int:
        """SPOT_CHECKS transactions picked at random in blocks first..last: their
        sender's account record is at every node, the same everywhere, and its
        next sequence is past the transaction's (exactly 1 for a prefill account,
        which sent one transaction). Returns how many were checked."""
        ref = c.nodes[0]
        blocks = [b for b in fetch_blocks(ref, first, last) if b["txs"] > 0]
        if not blocks:
            self.finding(f"{label}: no transactions in blocks {first}..{last}")
            return 0
        rng = random.Random(f"{self.args.key_seed}/{label}")
        checked = 0
        for _ in range(SPOT_CHECKS):
            b = rng.choice(blocks)
            pos = rng.randrange(b["txs"])
            page = ref.api.get_json(f"/v1/blocks/{b['height']}/transactions?from={pos}&limit=1")
            tx = ref.api.get_json(f"/v1/transactions/{page['transactions'][0]['transaction_id']}")
            sender, seq = tx["transaction"]["sender"], tx["transaction"]["sequence"]
            where = f"{label}: account {sender[:16]}... (sequence {seq}, block {b['height']})"
            if prefill and seq != 0:
                self.finding(f"{where}: a prefill transaction with a sequence other than 0")
            records = {}
            for n in c.nodes:
                a = n.api.get(f"/v1/query/accounts/account/{sender}")
                records[n.name] = a.json().get("value_hex") if a.status == 200 else None
            values = set(records.values())
            if None in values or len(values) != 1:
                self.finding(f"{where}: records differ or are missing: "
                             + ", ".join(f"{k} {'-' if v is None else v[:24] + '...'}"
                                         for k, v in records.items()))
                continue
            # AccountRecord: u8 version, 32-byte key, u64 little-endian next_sequence, ...
            nxt = int.from_bytes(bytes.fromhex(values.pop())[33:41], "little")
            if (prefill and nxt != 1) or nxt <= seq:
                self.finding(f"{where}: next sequence {nxt} in the state")
            checked += 1
        return checked

    def new_senders(self, node: H.Node, first: int, last: int, want: int, cap: int) -> int:
        """Distinct senders of sequence-0 transactions (each created its
        account's record) in blocks first..last, read in commit order until
        `want` are found or `cap` transactions were read."""
        senders: set[str] = set()
        read = 0
        for b in fetch_blocks(node, first, last):
            pos = 0
            while pos < b["txs"]:
                page = node.api.get_json(f"/v1/blocks/{b['height']}/transactions?from={pos}"
                                         f"&limit={BLOCK_PAGE}")
                for t in page["transactions"]:
                    tx = node.api.get_json(f"/v1/transactions/{t['transaction_id']}")["transaction"]
                    read += 1
                    if tx["sequence"] == 0:
                        senders.add(tx["sender"])
                    if len(senders) >= want or read >= cap:
                        return len(senders)
                pos = page["next_from"] or b["txs"]
        return len(senders)

    def scale(self) -> None:
        a = self.args
        with H.TestRun("bench-scale", a.binaries) as run:
            self.t0 = now()
            c = self.start_cluster(run)
            w = Watcher(c, rss_every_s=1.0)
            w.start()
            disk = {"start": {n.name: folder_bytes(n.home) for n in c.nodes}}

            # 1. The prefill: one transaction from each of P new accounts, as fast
            # as the validators take them; each creates its account's record.
            pre = Bench(a, c.validators, a.prefill, 0, PREFILL_MAX_S, a.drain,
                        run.dir / "bench-prefill.err", accounts=a.prefill, batch=PREFILL_BATCH,
                        key_seed=a.key_seed, expiry_s=PREFILL_EXPIRY_S)
            self.log(f"prefill: signing {a.prefill:,} pings from {a.prefill:,} accounts (key seed "
                     f"{a.key_seed}); load to every validator, as fast as accepted")
            t_pre = now()
            pre_run = self.timed_bench(c, pre, PREFILL_EXPIRY_S + a.drain + 600)
            rp = pre_run["report"]
            self.check_bench(rp, pre_run["code"], "prefill: ")
            if rp is None:
                raise H.HarnessError("the prefill produced no report")
            if rp["committed"] == rp["accepted"] != a.prefill:
                self.finding(f"prefill: {rp['committed']:,} of {a.prefill:,} transactions "
                             f"committed ({rp['rejected']} rejected)")
            self.log(f"prefill: {rp['committed']:,} committed in {rp['commit_window_s']:.1f} s "
                     f"({rp['committed_per_s']:,.0f} tx/s)")
            top = max(c.heights().values())
            c.wait_height(top, timeout_s=60)
            disk["after_prefill"] = {n.name: folder_bytes(n.home) for n in c.nodes}
            checked_pre = self.spot_check(c, rp["start_height"] + 1, rp["end_height"],
                                          "prefill", prefill=True)

            # 2. The measurement: the usual saturation run (-n ... --accounts A
            # --rate R --batch B) from A other accounts (another key seed).
            if a.rate:
                n_tx = int(a.rate * a.seconds)
            else:
                n_tx = min(a.accounts * MEMPOOL_PER_ACCOUNT, int(SATURATION_OFFER * a.seconds))
            meas = Bench(a, c.validators, n_tx, a.rate, a.seconds, a.drain, run.dir / "bench.err",
                         key_seed=a.key_seed + 1)
            self.log(f"measurement: signing {n_tx:,} pings from {a.accounts:,} accounts (key seed "
                     f"{a.key_seed + 1}); {a.seconds:.0f} s at "
                     + (f"{a.rate:,} tx/s" if a.rate else "saturation (--rate 0)"))
            t_meas = now()
            m_run = self.timed_bench(c, meas, a.seconds + a.drain + 600)
            w.stop()
            rm = m_run["report"]
            self.check_end(c, rm, m_run["code"], "measurement: ")
            top = max(c.heights().values())
            c.wait_height(top, timeout_s=60)
            checked_meas = 0
            if rm is not None and rm["committed"]:
                checked_meas = self.spot_check(c, rm["start_height"] + 1, rm["end_height"],
                                               "measurement", prefill=False)
            disk["end"] = {n.name: folder_bytes(n.home) for n in c.nodes}
            statuses = {n.name: n.api.status() for n in c.nodes}

            # The state's size. No endpoint counts state records (/metrics and
            # /v1/status do not): every committed prefill transaction is the
            # first of its own account; the measurement's senders are counted
            # from its committed sequence-0 transactions (read one by one, in
            # commit order: they were released first).
            meas_accounts = 0
            if rm is not None and rm["committed"]:
                t_count = now()
                meas_accounts = self.new_senders(c.nodes[0], rm["start_height"] + 1,
                                                 rm["end_height"], a.accounts, 4 * a.accounts)
                self.log(f"state: {meas_accounts:,} new senders found among the measurement's "
                         f"transactions in {now() - t_count:.1f} s")

            def rss_peak(lo: float, hi: float) -> dict:
                return {name: round(max((mb for t, mb in s if lo <= t <= hi), default=0.0), 1)
                        for name, s in w.rss.items()}
            self.result.update({
                "prefill_accounts": a.prefill, "key_seed": a.key_seed,
                "measurement_accounts": a.accounts, "seconds": a.seconds,
                "measurement_signed": n_tx,
                "prefill": self.phase_result(pre_run),
                "measurement": self.phase_result(m_run),
                "state": {
                    "accounts_created_at_least": rp["committed"] + meas_accounts,
                    "accounts_from_prefill": rp["committed"],
                    "accounts_from_measurement_at_least": meas_accounts,
                    "accumulator_size": {k: v.get("accumulator_size") for k, v in statuses.items()},
                    "height": {k: v.get("height") for k, v in statuses.items()},
                    "state_root": {k: v.get("state_root") for k, v in statuses.items()},
                    "spot_checked_accounts": checked_pre + checked_meas,
                    "data_bytes": {name: {stage: disk[stage][name] for stage in disk}
                                   for name in disk["start"]},
                    "node_rss_peak_mb": {"prefill": rss_peak(t_pre, t_meas),
                                         "measurement": rss_peak(t_meas, now())},
                },
                "load_after": loadavg(),
            })
            self.print_scale()

    def print_scale(self) -> None:
        r = self.result
        p, m, st = r["prefill"], r["measurement"], r["state"]
        lat = m.get("latency_ms") or {}

        def f(x, unit=""):
            return "-" if x is None else f"{x:,.0f}{unit}"

        def mb(x):
            return "-" if x is None else f"{x / 1e6:,.1f} MB"

        def sec(x):
            return "-" if x is None else f"{x:,.1f} s"
        rate = f"{r['rate_offered']:,} tx/s" if r["rate_offered"] else "saturation (--rate 0)"
        self.say(f"scenario scale: {r['validators']} validators; {r['prefill_accounts']:,} "
                 f"accounts prefilled, then {r['seconds']:.0f} s at {rate} from "
                 f"{r['measurement_accounts']:,} other accounts")
        self.say(f"machine load     {r['load_before']} before, {r['load_after']} after (uptime)")
        self.say(f"prefill          {f(p['committed'])} of {f(p['prepared'])} committed in "
                 f"{sec(p['commit_window_s'])} ({f(p['committed_per_s'])} tx/s; "
                 f"{f(p['throttled'])} answers 429), signed in {sec(p['prepare_s'])}; "
                 f"bauhinia-bench peak RSS {f(p['bench_peak_rss_mb'], ' MB')}")
        self.say(f"measurement      {f(r['measurement_signed'])} signed, {f(m['submitted'])} "
                 f"submitted, {f(m['accepted'])} accepted, {f(m['committed'])} committed: "
                 f"{f(m['committed_per_s'])} tx/s; p50 {f(lat.get('p50'), ' ms')}, p90 "
                 f"{f(lat.get('p90'), ' ms')}, p99 {f(lat.get('p99'), ' ms')}, max "
                 f"{f(lat.get('max'), ' ms')}")
        ledger = ", ".join(f"{k} {v:,}" for k, v in st["accumulator_size"].items())
        self.say(f"state            >= {st['accounts_created_at_least']:,} accounts created "
                 f"({st['accounts_from_prefill']:,} by the prefill, "
                 f"{st['accounts_from_measurement_at_least']:,} of the measurement's "
                 f"{r['measurement_accounts']:,} senders found); {st['spot_checked_accounts']} "
                 f"records spot-checked at every node; transactions in the ledger {ledger}")
        self.say("node      CPU/tx prefill  CPU/tx measured  (% of a core)  data start  "
                 "after prefill  end          RSS peak prefill / measured")
        for name, d in st["data_bytes"].items():
            cp, cm = p["node_cpu"].get(name) or {}, m["node_cpu"].get(name) or {}
            self.say(f"{name:<8}  {f(cp.get('us_per_committed_tx'), ' µs'):>14}  "
                     f"{f(cm.get('us_per_committed_tx'), ' µs'):>15}  "
                     f"{f(cm.get('percent_of_a_core'), ' %'):>13}  {mb(d['start']):>10}  "
                     f"{mb(d['after_prefill']):>13}  {mb(d['end']):>11}  "
                     f"{st['node_rss_peak_mb']['prefill'].get(name, 0):,.0f} / "
                     f"{st['node_rss_peak_mb']['measurement'].get(name, 0):,.0f} MB")
        if p["committed"]:
            per = {k: (d["after_prefill"] - d["start"]) / p["committed"]
                   for k, d in st["data_bytes"].items()}
            self.say("disk per prefill transaction (new account): "
                     + ", ".join(f"{k} {v:,.0f} bytes" for k, v in per.items()))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("scenario", choices=["kill", "steady", "scale"])
    ap.add_argument("--build", type=Path, default=ROOT / "build" / "release")
    ap.add_argument("--node", type=Path)
    ap.add_argument("--bench", type=Path)
    ap.add_argument("--validators", type=int, default=4)
    ap.add_argument("--rate", type=int, default=None,
                    help="offered tx/s (kill, steady: default 6,400, issue 14's figure; scale: "
                    "default 0, as fast as accepted)")
    ap.add_argument("--accounts", type=int, default=0,
                    help="sending accounts (default: enough for 60 sequences each; scale: 4,000)")
    ap.add_argument("--batch", type=int, default=0,
                    help="bauhinia-bench --batch (scale: default 64)")
    ap.add_argument("--connections", type=int, default=0, help="bauhinia-bench --connections")
    ap.add_argument("--drain", type=float, default=60.0,
                    help="seconds bauhinia-bench waits for commits after submitting")
    ap.add_argument("--seconds", type=float, default=60.0,
                    help="kill, scale: seconds of load (scale: of the measurement)")
    ap.add_argument("--kill-at", type=float, default=20.0, help="kill: seconds into the load")
    ap.add_argument("--down", type=float, default=10.0, help="kill: seconds before the restart")
    ap.add_argument("--minutes", type=int, default=30, help="steady: minutes of load")
    ap.add_argument("--prefill", type=int, default=MAX_PREFILL,
                    help="scale: accounts created before the measurement, one transaction each")
    ap.add_argument("--key-seed", type=int, default=14,
                    help="scale: bauhinia-bench --key-seed of the prefill (the measurement: +1)")
    ap.add_argument("--quick", action="store_true",
                    help="a short try: steady 2 minutes; kill 30 s, killed at 10 s for 5 s; "
                    "scale 20,000 accounts prefilled, 15 s measured")
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    a = ap.parse_args()
    if a.quick:
        a.minutes = 2
        a.seconds, a.kill_at, a.down = 30.0, 10.0, 5.0
        if a.scenario == "scale":
            a.prefill, a.seconds = 20_000, 15.0
    if a.scenario == "scale":
        a.rate = 0 if a.rate is None else a.rate
        a.accounts = a.accounts or 4000
        a.batch = a.batch or 64
    elif a.rate is None:
        a.rate = 6400
    node = a.node or a.build / "node" / "bauhinia-node"
    a.bench = a.bench or a.build / "loadgen" / "bauhinia-bench"
    for p in (node, a.bench):
        if not os.access(p, os.X_OK):
            ap.error(f"not built: {p}")
    if not 1 <= a.validators <= 16 or a.rate < (0 if a.scenario == "scale" else 1) \
            or a.minutes < 1:
        ap.error("--validators 1..16, --rate >= 1 (scale: >= 0), --minutes >= 1")
    if a.scenario == "scale" and not (1 <= a.prefill <= MAX_PREFILL and 0 <= a.key_seed < 2**63
                                      and a.seconds > 0):
        ap.error(f"scale: --prefill 1..{MAX_PREFILL:,} (bauhinia-bench's --accounts limit), "
                 "--key-seed 0..2^63-1, --seconds > 0")
    if a.scenario == "scale" and a.rate * a.seconds > a.accounts * MEMPOOL_PER_ACCOUNT:
        ap.error(f"scale: --rate x --seconds needs more than {MEMPOOL_PER_ACCOUNT} sequences "
                 "per account (the mempool's limit): raise --accounts")
    if a.scenario == "kill" and (a.validators < 4 or not 0 < a.kill_at < a.seconds):
        ap.error("kill: needs >= 4 validators and 0 < --kill-at < --seconds")
    # The harness wants a transaction signer too; these scenarios never call it.
    a.binaries = H.Binaries(node.resolve(), node.resolve())
    if a.keep:
        os.environ["BAUHINIA_KEEP_TESTNET"] = "1"
    s = Scenario(a)
    s.t0 = now()
    try:
        {"kill": s.kill, "steady": s.steady, "scale": s.scale}[a.scenario]()
    except (H.HarnessError, OSError, ValueError, KeyError, H.http.client.HTTPException) as e:
        s.findings.append(f"run aborted: {e!r}".splitlines()[0])
    except SystemExit as e:  # the harness: a node did not stop cleanly
        s.findings.append(f"nodes did not stop cleanly ({e})")
    s.result["findings"] = s.findings
    for f in s.findings:
        print(f"FINDING: {f}", flush=True)
    if a.json:
        a.json.write_text(json.dumps(s.result, indent=1, default=str) + "\n")
    return 1 if s.findings else 0


if __name__ == "__main__":
    sys.exit(main())
