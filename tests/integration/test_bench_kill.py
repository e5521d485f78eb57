#!/usr/bin/env python3
"""Chaos under load, the quick check (issue 14 item 7): runs
scripts/bench-scenarios.py's kill scenario for a few seconds at a low rate (4
validators, bauhinia-bench submitting to three of them, the fourth SIGKILLed and
restarted while the load goes on) and checks what its JSON report promises: the
script exits 0; every transaction submitted was accepted and committed; the
killed validator caught up after its restart; the throughput windows and the
longest gap between commits are measured (figures, never asserted: speed is
for benchmarks, docs/performance.md "Chaos under load")."""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def check(condition: bool, message: str) -> None:
    if not condition:
        print(f"FAILED: {message}", file=sys.stderr, flush=True)
        sys.exit(1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--node", required=True)
    ap.add_argument("--bench", required=True)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bauhinia-bench-kill-") as tmp:
        out = Path(tmp) / "report.json"
        cmd = [sys.executable, str(ROOT / "scripts" / "bench-scenarios.py"), "kill",
               "--node", args.node, "--bench", args.bench, "--rate", "100",
               "--seconds", "15", "--kill-at", "4", "--down", "3", "--drain", "20",
               "--json", str(out)]
        print(" ".join(cmd), flush=True)
        code = subprocess.run(cmd, timeout=150).returncode
        check(out.exists(), "bench-scenarios.py wrote no report")
        r = json.loads(out.read_text())
    check(code == 0, f"bench-scenarios.py exited with {code}: findings {r.get('findings')}")
    check(r["findings"] == [], f"findings: {r['findings']}")
    b = r["bench"]
    check(b["submitted"] == 1500 and b["accepted"] == 1500 and b["committed"] == 1500,
          f"submitted {b['submitted']}, accepted {b['accepted']}, committed {b['committed']}")
    check(r["victim"] not in r["survivors"] and len(r["survivors"]) == 3,
          f"victim {r['victim']}, load to {r['survivors']}")
    check(r["caught_up_s_after_restart"] is not None,
          f"{r['victim']} never caught up after its restart")
    check(r["others_at_restart"] > r["height_at_kill"],
          "the survivors committed nothing while the victim was down")
    t = r["throughput_tx_s"]
    check(t["before"] is not None and t["before"] > 0, f"no throughput before the kill: {t}")
    check(r["longest_commit_gap_s"] > 0 and r["heights_compared"] > r["others_at_restart"],
          f"gap {r['longest_commit_gap_s']}, compared {r['heights_compared']} heights")
    print(f"passed: {r['victim']} caught up {r['caught_up_s_after_restart']} s after its "
          f"restart ({'under load' if r['caught_up_while_loaded'] else 'after the load'}); "
          f"throughput {t}; longest gap {r['longest_commit_gap_s']} s", flush=True)


if __name__ == "__main__":
    main()
