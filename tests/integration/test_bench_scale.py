#!/usr/bin/env python3
"""Load at scale, the quick check (issue 14, "at scale"): runs
scripts/bench-scenarios.py's scale scenario with a small state (4 validators;
3,000 accounts prefilled with one transaction each, then 5 s at 300 tx/s from
100 other accounts) and checks what its JSON report promises: the script exits
0 with no finding; every prefill and measurement transaction was accepted and
committed; the accounts created are counted (3,000 + 100) and records of both
phases were read at every node; each node's CPU per committed transaction and
data folder were measured (figures, never asserted: speed is for benchmarks,
docs/performance.md "State with 1,000,000 accounts")."""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PREFILL = 3000
ACCOUNTS = 100
RATE = 300
SECONDS = 5


def check(condition: bool, message: str) -> None:
    if not condition:
        print(f"FAILED: {message}", file=sys.stderr, flush=True)
        sys.exit(1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--node", required=True)
    ap.add_argument("--bench", required=True)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bauhinia-bench-scale-") as tmp:
        out = Path(tmp) / "report.json"
        cmd = [sys.executable, str(ROOT / "scripts" / "bench-scenarios.py"), "scale",
               "--node", args.node, "--bench", args.bench, "--prefill", str(PREFILL),
               "--accounts", str(ACCOUNTS), "--rate", str(RATE), "--seconds", str(SECONDS),
               "--drain", "20", "--json", str(out)]
        print(" ".join(cmd), flush=True)
        code = subprocess.run(cmd, timeout=150).returncode
        check(out.exists(), "bench-scenarios.py wrote no report")
        r = json.loads(out.read_text())
    check(code == 0, f"bench-scenarios.py exited with {code}: findings {r.get('findings')}")
    check(r["findings"] == [], f"findings: {r['findings']}")
    p, m, st = r["prefill"], r["measurement"], r["state"]
    check(p["prepared"] == PREFILL and p["accepted"] == PREFILL and p["committed"] == PREFILL,
          f"prefill: prepared {p['prepared']}, accepted {p['accepted']}, "
          f"committed {p['committed']}")
    check(p["accounts"] == PREFILL, f"prefill from {p['accounts']} accounts")
    n = RATE * SECONDS
    check(m["submitted"] == n and m["accepted"] == n and m["committed"] == n,
          f"measurement: submitted {m['submitted']}, accepted {m['accepted']}, "
          f"committed {m['committed']}")
    check(m["accounts"] == ACCOUNTS, f"measurement from {m['accounts']} accounts")
    check(st["accounts_created_at_least"] == PREFILL + ACCOUNTS,
          f"accounts created: {st['accounts_created_at_least']}")
    check(st["spot_checked_accounts"] == 24, f"{st['spot_checked_accounts']} records checked")
    check(len(st["height"]) == 4 and r["heights_compared"] >= p["end_height"],
          f"nodes at the end: {st['height']}, {r['heights_compared']} heights compared")
    sizes = st["accumulator_size"].values()
    check(min(sizes) >= PREFILL + n, f"transactions in the ledger: {st['accumulator_size']}")
    for name, d in st["data_bytes"].items():
        check(d["start"] < d["after_prefill"] < d["end"], f"{name}'s data folder: {d}")
    for phase in (p, m):
        for name, cpu in phase["node_cpu"].items():
            check(cpu is not None and cpu["us_per_committed_tx"] > 0, f"{name}'s CPU: {cpu}")
    check(p["bench_peak_rss_mb"] > 0, "bauhinia-bench's peak RSS not measured")
    print(f"passed: prefill {p['committed']} at {p['committed_per_s']:.0f} tx/s, measurement "
          f"{m['committed']} at {m['committed_per_s']:.0f} tx/s (p99 {m['latency_ms']['p99']} ms); "
          f"CPU per tx {[c['us_per_committed_tx'] for c in m['node_cpu'].values()]} µs", flush=True)


if __name__ == "__main__":
    main()
