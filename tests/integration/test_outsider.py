#!/usr/bin/env python3
"""(d) A node whose key is not in the consortium cannot connect: an outsider
initialised with `bauhinia-node init` from the real genesis.json, with its own
fresh node key and every validator as a peer, is refused by each of them
("not in the allowed set" in their logs, their peer counts unchanged), has no
peers itself and makes no progress, while the consortium keeps committing."""

import sys
import subprocess
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Node, TestRun, check, free_port_range, wait_until  # noqa: E402

# Refusals each validator must have logged before the negative checks: the
# outsider redials with back-off, so three refusals mean it kept trying (a
# count, not a sleep that could end before any retry).
REFUSALS = 3


def main() -> None:
    with TestRun("outsider") as run:
        c = run.generate(validators=4)
        c.start()
        c.wait_height(2, timeout_s=60)
        # The full mesh first (committing needs only a quorum of connections),
        # so that the peer counts checked below are the outsider's doing.
        wait_until(lambda: all(n.api.status()["peer_count"] == 3 for n in c.nodes), 30,
                   "every validator to see its 3 peers")
        keys = {n.name: n.public_key() for n in c.nodes}

        home = run.dir / "outsider"
        port = free_port_range(2)
        peers = []
        for n in c.nodes:
            peers += ["--peer", f"{keys[n.name]}@127.0.0.1:{n.p2p_port}"]
        out = subprocess.run(
            [str(run.binaries.node), "init", "--home", str(home), "--name", "ROGUE",
             "--genesis", str(c.genesis_path), "--role", "validator",
             "--p2p-listen", f"127.0.0.1:{port}", "--api-listen", f"127.0.0.1:{port + 1}",
             *peers],
            capture_output=True, text=True, timeout=30)
        check(out.returncode == 0, f"init failed: {out.stderr}")
        rogue = Node(name="ROGUE", home=home, validator=True, binaries=run.binaries)
        rogue.read_ports()
        rogue_key = rogue.public_key()
        check(rogue_key not in keys.values(), "the outsider's key is fresh")
        run.extra_nodes.append(rogue)

        start = c.heights()
        rogue.start()
        rogue.wait_ready()
        run.log(f"outsider {rogue_key[:12]} started; consortium at {start}")

        # Every validator refuses it, again and again (it dials each of them and retries).
        def refusals(n) -> int:
            return sum(1 for line in n.log_text().splitlines()
                       if rogue_key in line and "not in the allowed set" in line)

        wait_until(lambda: all(refusals(n) >= REFUSALS for n in c.nodes), 90,
                   f"every validator to log {REFUSALS} refusals of the outsider")

        s = rogue.api.status()
        check(s["peer_count"] == 0, f"the outsider has {s['peer_count']} peers")
        check(s["height"] == 0, f"the outsider reached height {s['height']}")
        for n in c.nodes:
            st = n.api.status()
            check(st["peer_count"] == 3, f"{n.name} has {st['peer_count']} peers (expected 3)")
        run.log("refused by all four; it has no peers and stays at height 0")

        # The consortium keeps committing (wait_growth fails the test otherwise).
        c.wait_growth(3, c.nodes, timeout_s=60)
        c.check_same_blocks()
        check(rogue.running(), "the outsider should keep running (and keep being refused)")
        check(rogue.api.status()["height"] == 0, "the outsider made progress")
        c.check_alive()


if __name__ == "__main__":
    main()
