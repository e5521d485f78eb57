#!/usr/bin/env python3
"""Issue 9, item 4: a node behind a chain of large blocks catches up.

Every node runs with the smallest frame the config allows (384 KiB) and blocks
of up to 12,000 bytes: the validators commit blocks full of 240-byte-memo
pings from 24 accounts, more than a frame's worth in all, then an observer
starts on an empty ledger. Ledger sync responses must be sized to the frame;
before the fix a response gathered up to 64 blocks (here ~750 KiB), the send
was refused as too large and the observer stayed at height 0 for good."""

import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import TestRun, check  # noqa: E402

FRAME = 393216  # 384 KiB: the config's floor; it holds a 12,000-byte block
BLOCK = 12000
MEMO = "x" * 240  # testtx adds " #<sequence>"; the memo limit is 256 bytes
PER_ACCOUNT = 60
ACCOUNTS = 24


def main() -> None:
    with TestRun("sync_large_blocks") as run:
        c = run.generate(validators=4, observers=1)
        observer = c.observers[0]
        for n in c.nodes:
            n.set_config("network", "max_frame_bytes", str(FRAME))
            n.set_config("consensus", "max_block_bytes", str(BLOCK))
            # Leaders wait up to 1 s for transactions: blocks fill up.
            n.set_config("consensus", "round_timeout_ms", "4000")
            n.set_config("consensus", "proposal_delay_ms", "1000")
        c.start(c.validators)
        c.wait_height(1, c.validators, timeout_s=60)

        txs = []
        for i in range(ACCOUNTS):
            txs += c.pings(c.new_account_key(f"large{i}"), 0, PER_ACCOUNT, MEMO)
        size = len(txs[0][1]) // 2
        run.log(f"{len(txs)} transactions of {size} bytes ({len(txs) * size} bytes in all)")
        ids = c.submit_all(txs, c.validators)
        where = c.wait_committed(ids, c.validators, timeout_s=120)
        heights = sorted({h for h, _ in where.values()})
        per_block = {h: sum(1 for hh, _ in where.values() if hh == h) for h in heights}
        big = [h for h, k in per_block.items() if k * size > BLOCK // 2]
        run.log(f"committed in {len(heights)} blocks; {len(big)} of them over half the limit")
        check(len(big) >= 16, f"too few large blocks to test with: {per_block}")
        check(len(ids) * size > FRAME, "the chain must hold more than a frame of blocks")
        target = max(c.heights(c.validators).values())

        observer.start()
        observer.wait_ready()
        c.wait_height(target, [observer], timeout_s=120)
        c.wait_committed(ids, [observer], timeout_s=60)
        run.log(f"{observer.name} caught up to {target}")
        check("catching up" in observer.log_text(), "the observer did not use block sync")
        check("too large" not in observer.log_text(), "a sync message was too large")
        for n in c.validators:
            check("not sent (too large)" not in n.log_text(), f"{n.name} sent too large a message")
        last = c.check_same_blocks(c.nodes)
        run.log(f"blocks 0..{last} identical on the validators and the observer")
        c.check_alive()


if __name__ == "__main__":
    main()
