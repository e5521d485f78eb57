#!/usr/bin/env python3
"""Chaos on a live cluster under load (issue 15 item 2; docs/security.md,
"Chaos on a live cluster").

Starts a real consortium (4 or 7 validators and an observer, `bauhinia-node
testnet`, real configs, through tests/integration/harness.py) with a TCP proxy
(chaos_proxy.py) in front of every pair of nodes, submits signed pings at a
steady rate (recording every transaction a node accepted), and injects faults
on a schedule drawn from --seed:

  kill      SIGKILL a validator, restart it after the fault's duration
  pause     SIGSTOP a validator, SIGCONT after the duration
  isolate   the proxy cuts every connection of a validator (a partition of one)
  split     the proxy cuts the consortium in two halves, neither with a quorum
  pair      the proxy cuts one pair of validators
  delay     every link of a validator: 50-400 ms delay + jitter (reorders messages between peers)
  loss      every link of a validator: chunks lost for good (connections reset) and a stall
  diskfull  a running validator gets RLIMIT_FSIZE = 0 (prlimit; every node runs with SIGXFSZ
            ignored): each write that extends a file fails with EFBIG, like a full disk;
            lifted at the fault's end (a node that exited, or is stuck, is restarted)
  skew      a running validator's wall clock steps by 3-30 s ahead or behind (every
            validator runs under libfaketime, its offset read from a file, +0 outside
            this fault); stepped back at the fault's end. The monotonic clock is not
            touched (timeouts keep real time), as with an NTP step

With 7 validators, the per-node faults come two at once (on two validators).
After the run it checks, from the HTTP API alone:
  - every accepted transaction committed exactly once, or reported expired/dropped
    by the node that accepted it (`GET /v1/transactions/{id}`, its journaled
    verdict: docs/adr/0005-durable-acceptance.md); none lost, none duplicated;
  - every node has the same block (id, header with accumulator and state roots,
    transaction ids) at every height;
  - every validator rejoins (reaches the height the others had when its fault
    ended) within 10 s of the fault's end;
  - no node's RSS (/proc/<pid>/status) grows beyond a bound over its life;
  - no node died that no fault killed, and no log reports an equivocation.

Usage:
  scripts/chaos.py --node build/release/node/bauhinia-node \
      --testtx build/release/tests/integration/bauhinia-testtx --seed 7
  scripts/chaos.py ... --long            # seeds 1..5, 4 and 7 validators, 150 s each
  scripts/chaos.py ... --json results.json
Exit status 0 when every check held (or --report-only), 1 on a finding.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import random
import resource
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "integration"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness as H  # noqa: E402
from chaos_proxy import ChaosProxy  # noqa: E402

REJOIN_LIMIT_S = 10.0
REJOIN_GIVE_UP_S = 40.0
PER_ACCOUNT = 16           # pings per fresh account (sequences 0..15)
SUBMIT_THREADS = 4
SUBMIT_TIMEOUT_S = 3.0
RSS_INTERVAL_S = 1.0
RSS_GROWTH_BOUND_MB = 64.0
RSS_GROWTH_BOUND_FRACTION = 0.5
LIBFAKETIME = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1")
SKEW_MIN_S, SKEW_MAX_S = 3, 30
NODE_KINDS = ["kill", "pause", "isolate", "delay", "loss", "diskfull", "pair", "skew"]
ALL_KINDS = NODE_KINDS + ["split"]

_libc = ctypes.CDLL(None, use_errno=True)
_libc.signal.argtypes = [ctypes.c_int, ctypes.c_void_p]
_libc.signal.restype = ctypes.c_void_p


def now() -> float:
    return time.monotonic()


# ---- load ------------------------------------------------------------------------------


@dataclass
class Accepted:
    tx_id: str
    node: str
    at: float  # seconds since the run's start


class Load:
    """Pre-signed pings from fresh accounts, submitted at a steady rate by a few
    threads (each owns a set of accounts, so an account's sequences go in order)."""

    def __init__(self, run: "ChaosRun", count: int, rate: float, ttl_ms: int):
        self.run = run
        self.rate = rate
        self.accepted: dict[str, Accepted] = {}
        self.refused: dict[str, str] = {}
        self.unanswered = 0
        self.busy = 0
        self.lock = threading.Lock()
        self.stop_flag = threading.Event()
        self.threads: list[threading.Thread] = []
        c = run.c
        accounts = max(1, (count + PER_ACCOUNT - 1) // PER_ACCOUNT)
        per_thread: list[list[tuple[int, str, str]]] = [[] for _ in range(SUBMIT_THREADS)]

        def sign(a: int) -> list[list[str]]:
            key = c.new_account_key(f"chaos{a}")
            n = min(PER_ACCOUNT, count - a * PER_ACCOUNT)
            args = ["ping", "--key", str(key), "--sequence", "0", "--count", str(n),
                    "--memo", f"chaos {a}", "--genesis", str(c.genesis_path),
                    "--ttl-ms", str(ttl_ms)]
            return [ln.split() for ln in c.testtx(*args).splitlines() if ln.strip()]
        with ThreadPoolExecutor(max_workers=4) as pool:
            signed = list(pool.map(sign, range(accounts)))
        for a, lines in enumerate(signed):
            for seq, (tx_id, tx_hex) in enumerate(lines):
                per_thread[a % SUBMIT_THREADS].append((seq, tx_id, tx_hex))
        # Inside a thread: every account's sequence 0 first, then 1, ... (a
        # sequence is submitted long after the previous one was).
        self.queues = [[(i, h) for _, i, h in sorted(q, key=lambda t: t[0])] for q in per_thread]
        self.total = sum(len(q) for q in self.queues)

    def start(self) -> None:
        for i, q in enumerate(self.queues):
            t = threading.Thread(target=self._submit, args=(q, i), daemon=True)
            t.start()
            self.threads.append(t)

    def stop(self) -> None:
        self.stop_flag.set()
        for t in self.threads:
            t.join(timeout=30)

    def _submit(self, queue, index: int) -> None:
        interval = SUBMIT_THREADS / self.rate
        next_at = now() + index * interval / SUBMIT_THREADS
        rr = index
        for tx_id, tx_hex in queue:
            if self.stop_flag.is_set():
                return
            delay = next_at - now()
            if delay > 0:
                time.sleep(delay)
            next_at += interval
            for attempt in range(4):
                targets = self.run.submission_targets()
                if not targets:
                    time.sleep(0.5)
                    continue
                node = targets[rr % len(targets)]
                rr += 1
                try:
                    a = node.api.request("POST", "/v1/transactions",
                                         json.dumps({"transaction_hex": tx_hex}).encode(),
                                         "application/json", timeout_s=SUBMIT_TIMEOUT_S)
                except (OSError, ValueError, H.http.client.HTTPException):
                    with self.lock:
                        self.unanswered += 1
                    continue
                if a.status in (200, 202):
                    got = a.json().get("id")
                    with self.lock:
                        if got != tx_id:
                            self.run.finding(f"{node.name} named transaction {tx_id} {got}")
                        self.accepted.setdefault(
                            tx_id, Accepted(tx_id, node.name, now() - self.run.t0))
                    break
                if a.status in (429, 503):
                    with self.lock:
                        self.busy += 1
                    time.sleep(0.3)
                    continue
                try:
                    code = a.json().get("error", {}).get("code", str(a.status))
                except ValueError:
                    code = str(a.status)
                with self.lock:
                    self.refused[tx_id] = f"{a.status} {code} ({node.name})"
                break


# ---- RSS -------------------------------------------------------------------------------


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    except (OSError, ValueError):
        return None
    return None


# ---- the run ---------------------------------------------------------------------------


@dataclass
class Fault:
    kind: str
    nodes: list[str]
    start: float = 0.0      # seconds since t0
    duration: float = 0.0
    rejoin_s: dict = field(default_factory=dict)
    note: str = ""


class ChaosRun:
    def __init__(self, args, binaries: H.Binaries, seed: int, validators: int):
        self.args = args
        self.binaries = binaries
        self.seed = seed
        self.validators = validators
        self.rng = random.Random(seed)
        self.findings: list[str] = []
        self.faults: list[Fault] = []
        self.down: set[str] = set()   # nodes a client cannot reach (killed, paused, restarting)
        self.fault_lock = threading.Lock()
        self.rss: dict[str, list[tuple[float, int, float]]] = {}  # name -> [(t, pid, MB)]
        self.deaths_expected: set[str] = set()
        self.t0 = now()
        self.starter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="starter")

    def finding(self, text: str) -> None:
        self.log(f"FINDING: {text}")
        self.findings.append(text)

    def log(self, text: str) -> None:
        print(f"[seed {self.seed} {now() - self.t0:6.1f} s] {text}", flush=True)

    # -- who can take submissions --

    def submission_targets(self) -> list[H.Node]:
        with self.fault_lock:
            down = set(self.down)
        nodes = {"all": self.c.nodes, "validators": self.c.validators,
                 "observer": self.c.observers}[self.args.submit_to]
        return [n for n in nodes if n.name not in down and n.running()]

    # -- set-up --

    def setup(self, run: H.TestRun) -> None:
        self.c = run.generate(validators=self.validators, observers=1)
        by_port = {n.p2p_port: n for n in self.c.nodes}
        self.proxy = ChaosProxy({n.name: n.p2p_port for n in self.c.nodes}, self.seed)
        self.proxy.start()
        for n in self.c.nodes:
            entries = []
            for e in n.peers():
                key, addr = e.split("@")
                port = int(addr.rsplit(":", 1)[1])
                target = by_port.get(port)
                if target is None:
                    raise H.HarnessError(f"{n.name}: peer {e} is no node of the testnet")
                entries.append(f"{key}@127.0.0.1:{self.proxy.ports[(n.name, target.name)]}")
            n.set_peers(entries)
        if "skew" in self.args.kinds:
            # Every validator under libfaketime, its offset read (at most once a
            # second) from a file: +0 until a skew fault writes another.
            for n in self.c.validators:
                self.set_skew(n, 0)
                n.env = {"LD_PRELOAD": str(LIBFAKETIME),
                         "FAKETIME_TIMESTAMP_FILE": str(self.skew_file(n)),
                         "FAKETIME_CACHE_DURATION": "1", "FAKETIME_DONT_FAKE_MONOTONIC": "1"}
        for n in self.c.nodes:
            self.start_node(n)
        for n in self.c.nodes:
            n.wait_ready()
        self.c.wait_height(2, timeout_s=60)

    # -- node control --

    def start_node(self, n: H.Node) -> None:
        """Starts `n` on the run's starter thread: PR_SET_PDEATHSIG fires when the
        *thread* that forked the node exits, so a node must never be started
        from a fault's short-lived thread."""
        self.starter.submit(self._start_node, n).result(timeout=60)

    def _start_node(self, n: H.Node) -> None:
        """Like Node.start, but SIGXFSZ is ignored (a write beyond RLIMIT_FSIZE
        fails with EFBIG, as a write to a full disk fails with ENOSPC, instead
        of killing the process) and the output reaches node.log through a pipe
        (so a file-size limit on the node cannot stop its log lines)."""
        if n.running():
            raise H.HarnessError(f"{n.name} is already running")
        n.starts += 1
        log = open(n.log_path, "ab")
        log.write(f"==== chaos: start #{n.starts} of {n.name} at "
                  f"{time.strftime('%H:%M:%S')} ====\n".encode())
        log.flush()

        def child():
            H._child_setup()
            _libc.signal(signal.SIGXFSZ, ctypes.c_void_p(1))  # SIG_IGN

        n.proc = subprocess.Popen([str(n.binaries.node), "start", "--home", str(n.home)],
                                  env={**os.environ, **n.env} if n.env else None,
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, start_new_session=True,
                                  preexec_fn=child)
        H._live_processes.append(n.proc)
        n.expected_up = True
        n._log_file = None

        def copy(out=n.proc.stdout, log=log):
            with log:
                for line in iter(out.readline, b""):
                    log.write(line)
                    log.flush()
            out.close()
        threading.Thread(target=copy, daemon=True).start()

    @staticmethod
    def skew_file(n: H.Node) -> Path:
        return n.home / "faketime.rc"

    def set_skew(self, n: H.Node, seconds: int) -> None:
        """The offset libfaketime applies to n's wall clock (read within ~1 s)."""
        tmp = self.skew_file(n).with_suffix(".tmp")
        tmp.write_text(f"{seconds:+d}\n")
        tmp.replace(self.skew_file(n))

    def offsets_seen(self, n: H.Node, others: list[H.Node]) -> dict[str, float]:
        """What `others` estimate n's clock offset to be (ms; from the
        timestamps of its proposals: bauhinia_consensus_peer_clock_offset_ms)."""
        out = {}
        try:
            prefix = n.public_key()[:16]
        except (OSError, subprocess.SubprocessError):
            return out
        for o in others:
            try:
                text = o.api.request("GET", "/metrics", timeout_s=2.0).body.decode()
            except (OSError, ValueError, H.http.client.HTTPException):
                continue
            for line in text.splitlines():
                if line.startswith("bauhinia_consensus_peer_clock_offset_ms") and prefix in line:
                    out[o.name] = float(line.rsplit(" ", 1)[1])
        return out

    def validator_names(self) -> list[str]:
        return [n.name for n in self.c.validators]

    def pairs_of(self, name: str) -> list[tuple[str, str]]:
        return [(name, o.name) for o in self.c.nodes if o.name != name]

    # -- monitors --

    def sample_rss(self) -> None:
        while not self.stop_monitors.is_set():
            t = now() - self.t0
            for n in self.c.nodes:
                if n.proc is not None and n.proc.poll() is None:
                    mb = rss_mb(n.proc.pid)
                    if mb is not None:
                        self.rss.setdefault(n.name, []).append((t, n.proc.pid, mb))
            self.watch_deaths()
            self.stop_monitors.wait(RSS_INTERVAL_S)

    def watch_deaths(self) -> None:
        for n in self.c.nodes:
            if n.expected_up and n.proc is not None and n.proc.poll() is not None:
                with self.fault_lock:
                    expected = n.name in self.deaths_expected
                if not expected:
                    code = n.proc.returncode
                    n._reap()
                    self.finding(f"{n.name} died outside any fault (exit {code}):\n"
                                 + n.log_tail(15))
                    try:  # keep the run going: restart it
                        self.start_node(n)
                    except H.HarnessError:
                        pass

    def height_of(self, n: H.Node) -> int | None:
        try:
            a = n.api.request("GET", "/v1/status", timeout_s=1.0)
            return int(a.json()["height"]) if a.status == 200 else None
        except (OSError, ValueError, KeyError, H.http.client.HTTPException):
            return None

    def heights(self, names=None) -> dict[str, int]:
        out = {}
        for n in self.c.nodes:
            if names is None or n.name in names:
                h = self.height_of(n)
                if h is not None:
                    out[n.name] = h
        return out

    def measure_rejoin(self, fault: Fault, targets: dict[str, int], ended: float) -> None:
        """Until each faulted node reaches its target height (bounded)."""
        remaining = dict(targets)
        while remaining and now() - ended < REJOIN_GIVE_UP_S:
            for name in list(remaining):
                h = self.height_of(self.c.by_name[name])
                if h is not None and h >= remaining[name]:
                    fault.rejoin_s[name] = round(now() - ended, 2)
                    del remaining[name]
            time.sleep(0.1)
        for name in remaining:
            fault.rejoin_s[name] = None
        for name, s in fault.rejoin_s.items():
            if s is None:
                self.finding(f"{name} did not rejoin within {REJOIN_GIVE_UP_S:.0f} s after "
                             f"{fault.kind} (height target {targets[name]})")
            elif s > REJOIN_LIMIT_S:
                self.finding(f"{name} took {s:.1f} s (> {REJOIN_LIMIT_S:.0f} s) to rejoin "
                             f"after {fault.kind}")

    # -- faults --

    def draw_schedule(self, window_s: float, short: bool) -> list[list[tuple[str, list[str]]]]:
        """Steps; each step is one fault, or two at once on two validators (7)."""
        kinds = [k for k in ALL_KINDS if k in self.args.kinds]
        if not self.args.allow_kill:
            kinds = [k for k in kinds if k != "kill"]
        names = self.validator_names()
        steps = []
        order: list[str] = []
        # More steps than the window holds: the run stops drawing when its time is up.
        for _ in range(max(1, int(window_s // 3))):
            if not order:
                order = list(kinds)
                self.rng.shuffle(order)
            kind = order.pop()
            if kind == "split":
                half = list(names)
                self.rng.shuffle(half)
                steps.append([("split", half[:len(half) // 2])])
            elif kind == "pair":
                steps.append([("pair", self.rng.sample(names, 2))])
            elif self.validators >= 7:
                other = self.rng.choice([k for k in NODE_KINDS if k != "pair"])
                a, b = self.rng.sample(names, 2)
                steps.append([(kind, [a]), (other, [b])])
            else:
                steps.append([(kind, [self.rng.choice(names)])])
        return steps

    def run_fault(self, kind: str, nodes: list[str], duration: float) -> Fault:
        f = Fault(kind, nodes, round(now() - self.t0, 1), round(duration, 1))
        self.log(f"fault {kind} on {', '.join(nodes)} for {duration:.1f} s")
        name = nodes[0]
        n = self.c.by_name[name]
        others = [x.name for x in self.c.nodes if x.name not in nodes]
        if kind == "kill":
            with self.fault_lock:
                self.down.add(name)
                self.deaths_expected.add(name)
            n.kill()
            time.sleep(duration)
            self.start_node(n)
            with self.fault_lock:
                self.deaths_expected.discard(name)
                self.down.discard(name)
        elif kind == "pause":
            with self.fault_lock:
                self.down.add(name)
            os.kill(n.proc.pid, signal.SIGSTOP)
            time.sleep(duration)
            os.kill(n.proc.pid, signal.SIGCONT)
            with self.fault_lock:
                self.down.discard(name)
        elif kind == "isolate":
            self.proxy.cut(self.pairs_of(name))
            time.sleep(duration)
            self.proxy.heal(self.pairs_of(name))
        elif kind == "pair":
            self.proxy.cut([(nodes[0], nodes[1])])
            time.sleep(duration)
            self.proxy.heal([(nodes[0], nodes[1])])
        elif kind == "split":
            side = set(nodes)
            cross = [(a.name, b.name) for a in self.c.nodes for b in self.c.nodes
                     if a.name < b.name and ((a.name in side) != (b.name in side))]
            self.proxy.cut(cross)
            time.sleep(duration)
            self.proxy.heal(cross)
        elif kind == "delay":
            d, j = self.rng.uniform(50, 400), self.rng.uniform(0, 200)
            f.note = f"delay {d:.0f} ms + jitter {j:.0f} ms"
            self.proxy.shape(self.pairs_of(name), delay_ms=d, jitter_ms=j)
            time.sleep(duration)
            self.proxy.heal(self.pairs_of(name))
        elif kind == "loss":
            p = self.rng.uniform(0.02, 0.1)
            stall = self.rng.uniform(1.0, 3.0)
            f.note = f"{p * 100:.0f} % of chunks lost (connection reset), {stall:.1f} s stall"
            self.proxy.shape(self.pairs_of(name), drop=p, stall_s=stall)
            time.sleep(duration)
            self.proxy.heal(self.pairs_of(name))
        elif kind == "diskfull":
            f.note = self.diskfull(n, duration)
        elif kind == "skew":
            s = self.rng.choice([-1, 1]) * self.rng.randint(SKEW_MIN_S, SKEW_MAX_S)
            f.note = f"clock {s:+d} s"
            self.set_skew(n, s)
            # libfaketime rereads the file at most once a second.
            time.sleep(duration + 1.0)
            seen = self.offsets_seen(n, [x for x in self.c.validators if x is not n])
            f.note += (f"; offset the others estimated: {seen}" if seen else
                       "; it led no round the others saw during the fault")
            self.set_skew(n, 0)
            time.sleep(1.0)
        else:
            raise ValueError(kind)
        ended = now()
        if kind == "split":
            # The chain stalled everywhere: every node must reach the highest
            # height anyone had, plus one block (commits resumed).
            hs = self.heights()
            target = max(hs.values()) + 1 if hs else 1
            targets = {x.name: target for x in self.c.nodes}
        else:
            hs = self.heights(others)
            target = max(hs.values()) if hs else 0
            targets = {x: target for x in nodes}
        self.measure_rejoin(f, targets, ended)
        self.log(f"  {kind} ended; rejoin {f.rejoin_s}" + (f"; {f.note}" if f.note else ""))
        return f

    def diskfull(self, n: H.Node, duration: float) -> str:
        """The running node's writes fail from now on (prlimit RLIMIT_FSIZE = 0:
        every write that extends a file gets EFBIG, as on a full disk). At the
        fault's end the limit is lifted; a node that exited, or that does not
        move on its own within 5 s, is restarted (as an operator would)."""
        name = n.name
        with self.fault_lock:
            self.deaths_expected.add(name)
        pid = n.proc.pid
        h0 = self.height_of(n)
        resource.prlimit(pid, resource.RLIMIT_FSIZE, (0, 0))
        deadline = now() + duration
        while now() < deadline and n.proc.poll() is None:
            time.sleep(0.2)
        exited = n.proc.poll()
        tail = [ln for ln in n.log_text().splitlines()[-8:] if not ln.startswith("====")]
        if exited is None:
            h1 = self.height_of(n)
            resource.prlimit(pid, resource.RLIMIT_FSIZE,
                             (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
            time.sleep(5.0)
            h2 = self.height_of(n)
            others = self.heights([x.name for x in self.c.nodes if x.name != name])
            note = (f"kept running while writes failed (height {h0} -> {h1} in {duration:.1f} s;"
                    f" {h2} 5 s after the limit was lifted, others at "
                    f"{max(others.values()) if others else '?'})")
            if h2 is None or not others or h2 < max(others.values()) - 2:
                code = n.stop()
                note += f"; stuck: restarted (SIGTERM exit {code})"
                with self.fault_lock:
                    self.down.add(name)
                self.start_node(n)
        else:
            if exited < 0:
                self.finding(f"{name} crashed (signal {-exited}) when its disk filled: "
                             + " | ".join(tail[-3:]))
                note = f"killed by signal {-exited}"
            else:
                note = f"exited with {exited} (fail closed)"
            n._reap()
            with self.fault_lock:
                self.down.add(name)
            self.start_node(n)
        with self.fault_lock:
            self.deaths_expected.discard(name)
            self.down.discard(name)
        return note + "; last log lines: " + " | ".join(ln[-200:] for ln in tail[-3:])

    def run_step(self, step: list[tuple[str, list[str]]]) -> None:
        lo, hi = (1.5, 3.5) if self.args.short_faults else (3.0, 8.0)
        durations = [self.rng.uniform(lo, hi) for _ in step]
        if len(step) == 1:
            self.faults.append(self.run_fault(step[0][0], step[0][1], durations[0]))
            return
        results: list[Fault | None] = [None] * len(step)

        def one(i):
            try:
                results[i] = self.run_fault(step[i][0], step[i][1], durations[i])
            except Exception as e:  # noqa: BLE001 - a fault that could not be injected
                self.finding(f"fault {step[i]} failed: {e!r}")
        threads = [threading.Thread(target=one, args=(i,)) for i in range(len(step))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.faults += [r for r in results if r is not None]

    # -- checks --

    def scan_blocks(self) -> tuple[int, dict[str, list[tuple[int, int]]]]:
        """Every node's block at every height up to the lowest node's height:
        the same id, header (accumulator and state roots) and transactions.
        Returns the height compared to and {tx id: [(height, index)]}."""
        nodes = self.c.nodes
        up_to = min(n.height() for n in nodes)
        where: dict[str, list[tuple[int, int]]] = {}
        for h in range(0, up_to + 1):
            ref = None
            for n in nodes:
                b = n.api.block(h)
                view = (b["block_id"], b["header"], b["transaction_ids"])
                if ref is None:
                    ref = (n.name, view)
                    for i, t in enumerate(b["transaction_ids"]):
                        where.setdefault(t, []).append((h, i))
                elif view != ref[1]:
                    self.finding(f"block {h} differs: {ref[0]} {ref[1][0]} "
                                 f"(accumulator {ref[1][1].get('accumulator_root')}), {n.name} "
                                 f"{view[0]} (accumulator {view[1].get('accumulator_root')})")
        return up_to, where

    def committed_count(self, ids) -> int:
        """How many of `ids` the observer reports committed (one GET each)."""
        obs = self.c.observers[0]
        done = 0
        for i in ids:
            try:
                a = obs.api.request("GET", f"/v1/transactions/{i}", timeout_s=2.0)
                if a.status == 200 and a.json().get("status") == "committed":
                    done += 1
            except (OSError, ValueError, H.http.client.HTTPException):
                pass
        return done

    def drain(self, ids: list[str], timeout_s: float) -> None:
        """Until every accepted id is committed on the observer, or no progress
        for 15 s, or the time is up."""
        pending = list(ids)
        deadline = now() + timeout_s
        last_progress = now()
        obs = self.c.observers[0]
        while pending and now() < deadline and now() - last_progress < 15:
            still = []
            for i in pending:
                try:
                    a = obs.api.request("GET", f"/v1/transactions/{i}", timeout_s=2.0)
                    if a.status == 200 and a.json().get("status") == "committed":
                        continue
                except (OSError, ValueError, H.http.client.HTTPException):
                    pass
                still.append(i)
            if len(still) < len(pending):
                last_progress = now()
            pending = still
            if pending:
                time.sleep(1.0)

    def classify(self, accepted: dict[str, Accepted], where) -> dict:
        counts = {"accepted": len(accepted), "committed": 0, "duplicated": 0, "pending": 0,
                  "reported": 0, "lost": 0}
        lost, pending, reported = [], [], []
        for tx_id, acc in accepted.items():
            places = where.get(tx_id, [])
            if len(places) == 1:
                counts["committed"] += 1
                continue
            if len(places) > 1:
                counts["duplicated"] += 1
                self.finding(f"transaction {tx_id} committed {len(places)} times: {places}")
                continue
            statuses = {}
            for n in self.c.nodes:
                try:
                    a = n.api.request("GET", f"/v1/transactions/{tx_id}", timeout_s=2.0)
                    doc = a.json()
                    statuses[n.name] = (doc.get("status")
                                        or doc.get("error", {}).get("code", str(a.status)))
                    if doc.get("reason"):
                        statuses[n.name] += f" ({doc['reason']})"
                except (OSError, ValueError, H.http.client.HTTPException) as e:
                    statuses[n.name] = f"error {e}"
            kinds = {s.split(" ")[0] for s in statuses.values()}
            own = statuses.get(acc.node, "").split(" ")[0]
            if own in ("expired", "dropped"):
                # The verdict the accepting node journaled (ADR 0005): its client
                # knows to resubmit.
                counts["reported"] += 1
                reported.append((acc, statuses))
            elif "pending" in kinds or "committed" in kinds:
                counts["pending"] += 1
                pending.append((acc, statuses))
            else:
                # Unknown to the node that accepted it (or only another node
                # has a verdict): the client was promised and not told.
                counts["lost"] += 1
                lost.append((acc, statuses))
        for what, items in (("lost (no verdict on the node that accepted them)", lost),
                            ("still pending after the drain", pending)):
            if items:
                detail = "; ".join(f"{a.tx_id[:16]} accepted by {a.node} at {a.at:.1f} s "
                                   f"({json.dumps(s)})" for a, s in items[:12])
                self.finding(f"{len(items)} accepted transactions {what}: {detail}"
                             + (" ..." if len(items) > 12 else ""))
        counts["lost_detail"] = [
            {"id": a.tx_id, "node": a.node, "at": round(a.at, 1)} for a, _ in lost]
        counts["reported_detail"] = [
            {"id": a.tx_id, "node": a.node, "at": round(a.at, 1), "verdict": s.get(a.node)}
            for a, s in reported[:20]]
        return counts

    def check_rss(self) -> dict:
        out = {}
        for name, samples in self.rss.items():
            by_pid: dict[int, list[tuple[float, float]]] = {}
            for t, pid, mb in samples:
                by_pid.setdefault(pid, []).append((t, mb))
            lives = []
            for pid, s in by_pid.items():
                life = s[-1][0] - s[0][0]
                first_third = s[len(s) // 3][1]
                lives.append({"pid": pid, "seconds": round(life), "mb_at_third":
                              round(first_third, 1), "mb_peak": round(max(m for _, m in s), 1),
                              "mb_last": round(s[-1][1], 1)})
                if life >= 30:
                    growth = s[-1][1] - first_third
                    bound = max(RSS_GROWTH_BOUND_MB, RSS_GROWTH_BOUND_FRACTION * first_third)
                    if growth > bound:
                        self.finding(f"{name} (pid {pid}) RSS grew {growth:.0f} MB over the last "
                                     f"two thirds of its {life:.0f} s (bound {bound:.0f} MB)")
            out[name] = lives
        return out

    def check_logs(self) -> dict:
        out = {}
        for n in self.c.nodes:
            text = "\n".join(p.read_text(errors="replace") for p in
                             sorted(n.home.glob("node.log*")))
            lines = text.splitlines()
            out[n.name] = {
                "warn": sum(1 for ln in lines if " warn" in ln),
                "error": sum(1 for ln in lines if " error" in ln or " critical" in ln),
            }
            bad = [ln for ln in lines if "equivocat" in ln.lower()]
            if bad:
                self.finding(f"{n.name} logs an equivocation: {bad[0][:200]}")
        return out

    # -- the whole run --

    def execute(self) -> dict:
        result = {"seed": self.seed, "validators": self.validators}
        with H.TestRun(f"chaos-{self.seed}-{self.validators}v", self.binaries) as run:
            try:
                self.setup(run)
                self.t0 = now()
                window = self.args.duration
                count = int(self.args.rate * window)
                self.log(f"{self.validators} validators + 1 observer behind the proxy; signing "
                         f"{count} pings")
                load = Load(self, count, self.args.rate, ttl_ms=int(self.args.ttl * 1000))
                self.stop_monitors = threading.Event()
                monitor = threading.Thread(target=self.sample_rss, daemon=True)
                monitor.start()
                start_h = self.c.nodes[-1].height()
                load_start = now()
                load.start()
                schedule = self.draw_schedule(window, short=self.args.short_faults)
                time.sleep(3)
                for step in schedule:
                    if now() - load_start > window:
                        break
                    self.run_step(step)
                    time.sleep(self.rng.uniform(1.0, 2.0) if self.args.short_faults
                               else self.rng.uniform(1.5, 3.0))
                rest = window - (now() - load_start)
                if rest > 0:
                    time.sleep(rest)
                load.stop()
                self.proxy.heal()
                ids = list(load.accepted)
                self.log(f"load done: {load.total} signed, {len(ids)} accepted, "
                         f"{len(load.refused)} refused, {load.unanswered} unanswered attempts, "
                         f"{load.busy} busy answers; draining")
                self.drain(ids, self.args.drain)
                self.stop_monitors.set()
                monitor.join(timeout=10)
                up_to, where = self.scan_blocks()
                counts = self.classify(load.accepted, where)
                end_h = up_to
                result.update({
                    "faults": [f.__dict__ for f in self.faults],
                    "transactions": counts,
                    "signed": load.total,
                    "refused": len(load.refused),
                    "refused_sample": list(load.refused.values())[:5],
                    "heights": [start_h, end_h],
                    "blocks_compared": up_to + 1,
                    "rss": self.check_rss(),
                    "logs": self.check_logs(),
                    "proxy": self.proxy.stats.__dict__,
                })
                brief = {k: v for k, v in counts.items() if not k.endswith("_detail")}
                self.log(f"checked {up_to + 1} heights on {len(self.c.nodes)} nodes; "
                         f"transactions {json.dumps(brief)}")
            finally:
                try:
                    self.stop_monitors.set()
                except AttributeError:
                    pass
                if hasattr(self, "proxy"):
                    self.proxy.heal()
                    # Nodes left paused would not stop on SIGTERM.
                    for n in self.c.nodes:
                        if n.running():
                            os.kill(n.proc.pid, signal.SIGCONT)
        if hasattr(self, "proxy"):
            self.proxy.stop()
        self.starter.shutdown(wait=True)
        result["findings"] = self.findings
        return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    build = ROOT / "build" / "release"
    ap.add_argument("--node", default=os.environ.get("BAUHINIA_NODE_BIN",
                                                      str(build / "node" / "bauhinia-node")))
    ap.add_argument("--testtx", default=os.environ.get(
        "BAUHINIA_TESTTX_BIN", str(build / "tests" / "integration" / "bauhinia-testtx")))
    ap.add_argument("--seed", type=int, action="append",
                    help="schedule seed (repeatable; default: a random one, printed)")
    ap.add_argument("--validators", type=int, choices=[4, 7], action="append")
    ap.add_argument("--duration", type=float, default=45.0, help="seconds of load and faults")
    ap.add_argument("--rate", type=float, default=20.0, help="transactions per second submitted")
    ap.add_argument("--ttl", type=float, default=600.0, help="transaction expiry, seconds")
    ap.add_argument("--drain", type=float, default=40.0,
                    help="seconds to wait for the accepted transactions to commit")
    ap.add_argument("--kinds", default=",".join(ALL_KINDS), help="faults to draw from")
    ap.add_argument("--no-kill", dest="allow_kill", action="store_false",
                    help="no SIGKILL faults (the known loss on SIGKILL, issue 15 item 3)")
    ap.add_argument("--submit-to", choices=["all", "validators", "observer"], default="all",
                    help="where the load is submitted (all: every node; observer: never "
                         "faulted itself)")
    ap.add_argument("--long", action="store_true",
                    help="seeds 1..5 (unless --seed), 4 and 7 validators, 150 s each")
    ap.add_argument("--report-only", action="store_true",
                    help="print the findings but exit 0")
    ap.add_argument("--json", type=Path, help="write every run's results here")
    args = ap.parse_args()
    args.kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    for k in args.kinds:
        if k not in ALL_KINDS:
            ap.error(f"unknown fault kind {k} (known: {', '.join(ALL_KINDS)})")
    if "skew" in args.kinds and not LIBFAKETIME.exists():
        ap.error(f"the skew fault needs {LIBFAKETIME} (Debian package faketime, "
                 "scripts/install-deps.sh), or leave skew out of --kinds")
    binaries = H.Binaries(Path(args.node).resolve(), Path(args.testtx).resolve())
    for p in (binaries.node, binaries.testtx):
        if not os.access(p, os.X_OK):
            ap.error(f"not an executable: {p}")
    if args.long:
        seeds = args.seed or [1, 2, 3, 4, 5]
        counts = args.validators or [4, 7]
        if args.duration == 45.0:
            args.duration = 150.0
        args.short_faults = False
    else:
        seeds = args.seed or [random.SystemRandom().randrange(1 << 31)]
        counts = args.validators or [4]
        args.short_faults = True
    H.install_signal_handlers()
    results = []
    for validators in counts:
        for seed in seeds:
            print(f"==== chaos: seed {seed}, {validators} validators ====", flush=True)
            r = ChaosRun(args, binaries, seed, validators)
            try:
                results.append(r.execute())
            except (H.HarnessError, SystemExit) as e:
                r.findings.append(f"run aborted: {e}")
                results.append({"seed": seed, "validators": validators,
                                "findings": r.findings, "aborted": True})
            if args.json:
                args.json.write_text(json.dumps(results, indent=1, default=str))
    bad = [r for r in results if r["findings"]]
    print("==== chaos summary ====")
    for r in results:
        t = r.get("transactions", {})
        rejoin = [s for f in r.get("faults", []) for s in f["rejoin_s"].values()
                  if s is not None]
        print(f"seed {r['seed']} {r['validators']}v: faults "
              f"{[f['kind'] for f in r.get('faults', [])]}, accepted {t.get('accepted')}, "
              f"committed {t.get('committed')}, reported {t.get('reported')}, "
              f"pending {t.get('pending')}, lost {t.get('lost')}, dup {t.get('duplicated')}; "
              f"rejoin max {max(rejoin) if rejoin else '-'} s; findings {len(r['findings'])}")
        for f in r["findings"]:
            print(f"  - {f.splitlines()[0]}")
    if bad and not args.report_only:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
