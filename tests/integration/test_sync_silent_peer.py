#!/usr/bin/env python3
"""Issue 9, item 4: a catch-up is not stuck on a peer that goes silent.

An observer falls far behind (SIGSTOP while the validators commit a few
hundred blocks), is resumed, and is frozen again as soon as its log says which
validator it asks ("catching up from height A to B via <key>"). That validator
is then SIGSTOPped: its TCP connection stays up and it answers nothing (a
silent peer, or a lost message). The observer is resumed and must still reach
B from the three validators left, moving on from the silent one after
[sync] request_timeout_ms (default 10 s). Before the fix it asked that one
peer, once, and stayed behind for good."""

import os
import re
import signal
import sys
import time
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import HarnessError, TestRun, check  # noqa: E402

LAG_BLOCKS = 200
CATCHING_UP = re.compile(rb"catching up from height (\d+) to (\d+) via ([0-9a-f]{12})")


def freeze(node) -> None:
    os.kill(node.proc.pid, signal.SIGSTOP)


def thaw(node) -> None:
    if node.proc is not None and node.proc.poll() is None:
        os.kill(node.proc.pid, signal.SIGCONT)


def main() -> None:
    with TestRun("sync_silent_peer") as run:
        c = run.generate(validators=4, observers=1)
        observer = c.observers[0]
        for n in c.nodes:
            # Ten idle blocks a second, so that the observer falls far behind quickly.
            n.set_config("consensus", "idle_block_interval_ms", "100")
        c.start(c.nodes)
        c.wait_height(3, c.nodes, timeout_s=60)
        keys = {n.public_key()[:12]: n for n in c.validators}
        frozen = []
        try:
            for attempt in range(3):
                frozen.append(observer)
                freeze(observer)
                lag_from = max(c.heights(c.validators).values())
                c.wait_height(lag_from + LAG_BLOCKS, c.validators, timeout_s=120)
                log_at = observer.log_path.stat().st_size
                thaw(observer)
                frozen.remove(observer)
                # Freeze it again at its first catch-up request after the pause.
                deadline = time.monotonic() + 60
                match = None
                while match is None and time.monotonic() < deadline:
                    with open(observer.log_path, "rb") as f:
                        f.seek(log_at)
                        match = CATCHING_UP.search(f.read())
                    if match is None:
                        time.sleep(0.002)
                check(match is not None, "the observer never started catching up")
                freeze(observer)
                frozen.append(observer)
                target = int(match.group(2))
                with open(observer.log_path, "rb") as f:
                    f.seek(log_at)
                    committed = [int(h) for h in re.findall(rb"committed height (\d+)", f.read())]
                if committed and max(committed) >= target:
                    run.log(f"attempt {attempt + 1}: the observer caught up before it was frozen; again")
                    thaw(observer)
                    frozen.remove(observer)
                    continue
                break
            else:
                raise HarnessError("could not freeze the observer in the middle of a catch-up")

            silent = keys.get(match.group(3).decode())
            check(silent is not None, f"the observer asked {match.group(3)}, not a validator")
            run.log(f"the observer asks {silent.name} for heights {match.group(1).decode()}.."
                    f"{target}; {silent.name} goes silent")
            freeze(silent)
            frozen.append(silent)
            others = [n for n in c.validators if n is not silent]
            thaw(observer)
            frozen.remove(observer)

            c.wait_height(target, [observer], timeout_s=90)
            run.log(f"{observer.name} reached {target} without {silent.name}")
            log = observer.log_text()
            check(f"sync request to {match.group(3).decode()}" in log,
                  "the observer did not report the silent peer's timeout")
            # It keeps following the chain with the three validators left.
            c.wait_growth(3, others + [observer], timeout_s=60)
        finally:
            for n in frozen:
                thaw(n)
        c.wait_growth(2, c.nodes, timeout_s=90)
        last = c.check_same_blocks(c.nodes)
        run.log(f"blocks 0..{last} identical on every node")
        c.check_alive()


if __name__ == "__main__":
    main()
