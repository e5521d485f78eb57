#!/usr/bin/env python3
"""Storage faults (issue 15 item 4), on a stopped validator of four:
damaged LevelDB files of its ledger (a bit flipped in a table file, a table
cut short, a byte flipped in the write-ahead log, the MANIFEST cut short) and
damaged, missing or outdated consensus records (the safety state). Every
start is refused before the node signs anything: exit code 3 (storage fault)
or 4 (safety state), the file or folder named and the remedy printed.
Then `bauhinia-node recover` keeps the keys and the safety state and moves
the ledger aside: the next start resyncs from the peers, the node rejoins
(same blocks everywhere, it votes again), it reloads exactly the safety state
recover kept (never voting again in a round it already voted in) and no node
ever reports an equivocation."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import TestRun, check, _child_setup, wait_until  # noqa: E402

LAST_VOTED = "bauhinia_consensus_last_voted_round"
EXIT_STORAGE = 3
EXIT_SAFETY_STATE = 4


def last_voted_round(node) -> int:
    text = node.api.get("/metrics").body.decode()
    m = re.search(rf"^{LAST_VOTED} ([0-9.e+]+)$", text, re.MULTILINE)
    check(m is not None, f"{node.name}: no {LAST_VOTED} in /metrics")
    return int(float(m.group(1)))


def refused_start(run, node, expected_code: int, must_name: str, what: str) -> str:
    """Runs `bauhinia-node start` on the node's damaged home: it must exit by
    itself with `expected_code`, naming `must_name` and the remedy."""
    p = subprocess.Popen([str(node.binaries.node), "start", "--home", str(node.home)],
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, start_new_session=True,
                         preexec_fn=_child_setup)
    try:
        out, _ = p.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        out, _ = p.communicate()
        check(False, f"{what}: the node started instead of refusing:\n{out[-3000:]}")
    check(p.returncode == expected_code,
          f"{what}: exit code {p.returncode}, expected {expected_code}:\n{out[-3000:]}")
    check(must_name in out, f"{what}: the error does not name {must_name}:\n{out[-3000:]}")
    check("what to do:" in out, f"{what}: no remedy printed:\n{out[-3000:]}")
    check("committed height" not in out and "started:" not in out,
          f"{what}: the node ran before refusing:\n{out[-3000:]}")
    last = [ln for ln in out.splitlines() if ln.startswith("bauhinia-node: refusing")]
    run.log(f"{what}: refused (exit {p.returncode}): {last[-1][:220] if last else out[:200]}")
    return out


def flip_byte(path: Path, at: int) -> None:
    with open(path, "r+b") as f:
        f.seek(at)
        b = f.read(1)
        f.seek(at)
        f.write(bytes([b[0] ^ 0x10]))


def largest(folder: Path, pattern: str) -> Path:
    files = sorted(folder.glob(pattern), key=lambda p: p.stat().st_size, reverse=True)
    check(bool(files) and files[0].stat().st_size > 0, f"no non-empty {pattern} in {folder}")
    return files[0]


def main() -> None:
    with TestRun("storage_corruption") as run:
        c = run.generate(validators=4)
        c.start()
        c.wait_height(3, timeout_s=60)
        victim = c.by_name["CR"]
        others = [n for n in c.nodes if n is not victim]
        data = victim.home / "data"

        # A restart turns the first run's log into a table file (LevelDB
        # writes the replayed log as a table at open); the consensus records
        # as they were then are kept to play an outdated backup later.
        check(victim.stop() == 0, f"{victim.name} did not stop cleanly")
        old_consensus = run.dir / "old-consensus"
        shutil.copytree(data / "consensus", old_consensus)
        victim.start()
        victim.wait_ready()
        c.wait_growth(4, c.nodes, timeout_s=60)
        voted = last_voted_round(victim)
        check(victim.stop() == 0, f"{victim.name} did not stop cleanly")
        check(voted > 0, f"{victim.name} had not voted")
        good = run.dir / "good-data"
        shutil.copytree(data, good)

        def restore() -> None:
            shutil.rmtree(data)
            shutil.copytree(good, data)

        ledger = data / "ledger"
        consensus = data / "consensus"
        # -- the ledger's files --
        restore()
        table = largest(ledger, "*.ldb")
        flip_byte(table, table.stat().st_size // 3)
        refused_start(run, victim, EXIT_STORAGE, table.name, "a bit flipped in a ledger table")
        restore()
        table = largest(ledger, "*.ldb")
        with open(table, "r+b") as f:
            f.truncate(table.stat().st_size // 2)
        refused_start(run, victim, EXIT_STORAGE, table.name, "a ledger table cut short")
        restore()
        log = largest(ledger, "*.log")
        check(log.stat().st_size > 64, f"{log} is nearly empty")
        flip_byte(log, log.stat().st_size // 2)
        refused_start(run, victim, EXIT_STORAGE, "ledger", "a byte flipped in the ledger's log")
        restore()
        manifest = largest(ledger, "MANIFEST-*")
        with open(manifest, "r+b") as f:
            f.truncate(manifest.stat().st_size // 2)
        refused_start(run, victim, EXIT_STORAGE, "ledger", "the ledger's MANIFEST cut short")
        # -- the consensus records (safety state) --
        restore()
        shutil.rmtree(consensus)
        refused_start(run, victim, EXIT_SAFETY_STATE, "no safety state",
                      "the consensus records deleted")
        # Still refused the second time (the first refusal created an empty folder).
        refused_start(run, victim, EXIT_SAFETY_STATE, "no safety state",
                      "the consensus records deleted, second start")
        restore()
        shutil.rmtree(consensus)
        shutil.copytree(old_consensus, consensus)
        refused_start(run, victim, EXIT_SAFETY_STATE, "is behind this node's own vote",
                      "the consensus records restored from an older copy")
        restore()
        clog = largest(consensus, "*.log")
        flip_byte(clog, clog.stat().st_size // 2)
        out = refused_start(run, victim, EXIT_SAFETY_STATE, "consensus",
                            "a byte flipped in the consensus records' log")
        check("safety state" in out, "the consensus records' damage does not name the safety state")
        # recover refuses to keep a safety state it cannot read.
        r = subprocess.run([str(victim.binaries.node), "recover", "--home", str(victim.home)],
                           capture_output=True, text=True, timeout=60)
        check(r.returncode == EXIT_SAFETY_STATE and ledger.exists(),
              f"recover with damaged consensus records: exit {r.returncode}, "
              f"{r.stdout}{r.stderr}")
        run.log("recover refused with damaged consensus records (exit 4), ledger left in place")

        # -- recovery: a damaged ledger, the safety state kept --
        restore()
        table = largest(ledger, "*.ldb")
        flip_byte(table, table.stat().st_size // 3)
        refused_start(run, victim, EXIT_STORAGE, table.name, "before recover")
        r = subprocess.run([str(victim.binaries.node), "recover", "--home", str(victim.home)],
                           capture_output=True, text=True, timeout=60)
        check(r.returncode == 0, f"recover failed ({r.returncode}): {r.stdout}{r.stderr}")
        kept = re.search(r"kept the safety state: epoch \d+, last voted round (\d+)", r.stdout)
        check(kept is not None, f"recover did not report the safety state: {r.stdout}")
        kept_round = int(kept.group(1))
        check(kept_round >= voted, f"recover kept last voted round {kept_round} < {voted}")
        check(not ledger.exists() and list(data.glob("ledger.damaged-*")),
              f"recover did not move the ledger aside: {list(data.iterdir())}")
        run.log(f"recover: {r.stdout.strip()}")

        victim.start()
        victim.wait_ready()
        since = victim.log_text().split(f"start #{victim.starts} of")[-1]
        loaded = re.search(r"safety state loaded: epoch \d+, last voted round (\d+)", since)
        check(loaded is not None and int(loaded.group(1)) == kept_round,
              f"{victim.name} did not reload the kept safety state "
              f"({loaded.group(0) if loaded else 'nothing logged'}, kept {kept_round})")
        target = max(c.heights(others).values())
        c.wait_height(target, [victim], timeout_s=60)
        run.log(f"{victim.name} resynced from genesis to height {target}")
        # It votes again (its persisted last voted round moves past the kept one).
        wait_until(lambda: last_voted_round(victim) > kept_round, 60,
                   f"{victim.name} to vote again")
        c.wait_growth(3, c.nodes, timeout_s=60)
        last = c.check_same_blocks(c.nodes)
        run.log(f"blocks 0..{last} identical on all four nodes; {victim.name} votes again")
        for n in c.nodes:
            check("equivocation by validator" not in n.log_text(),
                  f"{n.name} observed an equivocation")
        c.check_alive()


if __name__ == "__main__":
    main()
