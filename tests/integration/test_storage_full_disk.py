#!/usr/bin/env python3
"""Storage faults (issue 15 item 4): a disk that fills up under a running
validator, simulated without root by lowering the process's RLIMIT_FSIZE
(prlimit) just above the size its database logs have reached: its next
writes past the limit fail with EFBIG (the node ignores SIGXFSZ, so the
write returns an error instead of killing it half-way). The validator stops
on its own with exit code 3 and a "storage fault" line saying it signs
nothing more, while the other three keep committing. Restarted without the
limit it discards the write cut short, reloads its safety state, catches up
and votes again; every block agrees and no node reports an equivocation.
Its output goes through a pipe (the harness copies it to node.log), which
the file size limit does not apply to."""

import re
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402
from harness import TestRun, check, wait_until  # noqa: E402

LAST_VOTED = "bauhinia_consensus_last_voted_round"
EXIT_STORAGE = 3
HEADROOM_BYTES = 4096


def last_voted_round(node) -> int:
    text = node.api.get("/metrics").body.decode()
    m = re.search(rf"^{LAST_VOTED} ([0-9.e+]+)$", text, re.MULTILINE)
    check(m is not None, f"{node.name}: no {LAST_VOTED} in /metrics")
    return int(float(m.group(1)))


def start_piped(node) -> threading.Thread:
    """Node.start with the output through a pipe, copied to node.log."""
    node.starts += 1
    log = open(node.log_path, "ab")
    log.write(f"==== harness: start #{node.starts} of {node.name} (piped) at "
              f"{time.strftime('%H:%M:%S')} ====\n".encode())
    log.flush()
    proc = subprocess.Popen([str(node.binaries.node), "start", "--home", str(node.home)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True,
                            preexec_fn=harness._child_setup)

    def pump() -> None:
        for chunk in iter(lambda: proc.stdout.read1(65536), b""):
            log.write(chunk)
            log.flush()
        log.close()

    t = threading.Thread(target=pump, daemon=True)
    t.start()
    node.proc = proc
    harness._live_processes.append(proc)
    node.expected_up = True
    return t


def main() -> None:
    with TestRun("storage_full_disk") as run:
        c = run.generate(validators=4)
        victim = c.by_name["CR"]
        others = [n for n in c.nodes if n is not victim]
        for n in others:
            n.start()
        pump = start_piped(victim)
        for n in c.nodes:
            n.wait_ready()
        c.wait_height(3, c.nodes, timeout_s=60)
        voted_before = last_voted_round(victim)
        check(voted_before > 0, f"{victim.name} has not voted")

        data = victim.home / "data"
        logs = list(data.glob("ledger/*.log")) + list(data.glob("consensus/*.log"))
        limit = max(p.stat().st_size for p in logs) + HEADROOM_BYTES
        resource.prlimit(victim.proc.pid, resource.RLIMIT_FSIZE, (limit, limit))
        run.log(f"{victim.name}: RLIMIT_FSIZE set to {limit} bytes (its largest database log "
                f"+ {HEADROOM_BYTES})")
        height_at_limit = max(c.heights(others).values())

        # Load makes the logs grow faster (the cluster also commits idle blocks).
        admin = c.admin_key("IPD")
        seq = c.next_sequence(others[0], c.account_of(admin)["account_id"])
        txs = c.pings(admin, seq, 60, "filling the disk")
        c.submit_all(txs, others)

        def exited():
            return victim.proc.poll() is not None
        wait_until(exited, 60, f"{victim.name} to stop on the failed write")
        code = victim.stop()
        pump.join(timeout=10)
        tail = victim.log_tail(15)
        check(code == EXIT_STORAGE, f"{victim.name} exited with {code}, expected "
              f"{EXIT_STORAGE} (a negative code is a signal, e.g. SIGXFSZ)\n{tail}")
        text = victim.log_text().split(f"start #{victim.starts} of")[-1]
        fault = [ln for ln in text.splitlines() if "storage fault" in ln]
        check(bool(fault), f"no 'storage fault' line in {victim.name}'s log\n{tail}")
        check("signs nothing more" in text and "what to do:" in text,
              f"{victim.name}'s log does not say it stopped signing and what to do\n{tail}")
        run.log(f"{victim.name} stopped (exit {code}): {fault[0][:240]}")

        grown = c.wait_growth(3, others, timeout_s=60)
        run.log(f"the other three kept committing: {grown}")
        c.wait_committed(txs_ids(txs), others, timeout_s=60)

        victim.start()  # no limit now
        victim.wait_ready()
        since = victim.log_text().split(f"start #{victim.starts} of")[-1]
        loaded = re.search(r"safety state loaded: epoch \d+, last voted round (\d+)", since)
        check(loaded is not None, f"{victim.name} did not reload its safety state")
        reloaded = int(loaded.group(1))
        check(reloaded >= voted_before, f"{victim.name} reloaded last voted round {reloaded}, "
              f"had persisted {voted_before} before the limit")
        target = max(c.heights(others).values())
        c.wait_height(target, [victim], timeout_s=60)
        wait_until(lambda: last_voted_round(victim) > reloaded, 60,
                   f"{victim.name} to vote again")
        c.wait_growth(2, c.nodes, timeout_s=60)
        last = c.check_same_blocks(c.nodes)
        run.log(f"{victim.name} restarted (last voted round {reloaded}), caught up past "
                f"{height_at_limit} to {target} and votes again; blocks 0..{last} agree")
        for n in c.nodes:
            check("equivocation by validator" not in n.log_text(),
                  f"{n.name} observed an equivocation")
        c.check_alive()


def txs_ids(txs) -> list[str]:
    return [t[0] for t in txs]


if __name__ == "__main__":
    main()
