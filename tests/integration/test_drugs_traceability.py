#!/usr/bin/env python3
"""Drug traceability on a running cluster (docs/contracts/drugs.md): the five
departments' validators commit the demo's sample registers of stages 1-5
(scripts/demo_sample_data.py, the other registers' samples of those stages
included), in which batch HK-51234/B2026-0147 goes
manufacturer -> wholesaler -> pharmacy, hospital and a second wholesaler, every
step co-signed by its receiver, and is then recalled. Through /v1/query/drugs/
on every node, each record with its state proof: the custody chain is one
query, in order; the recall gave exactly one notice to every account that
held units at that moment, for the quantity it held; each holder finds its
notice in its own list; the answers are identical on every node."""

import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent / "scripts"))
from demo_sample_data import (demo_accounts, set_genesis_parameters,  # noqa: E402
                              stage_transactions)
from harness import TestRun, check  # noqa: E402

BATCH = "batch/HK-51234/B2026-0147"
# The demo's drug traceability runs in stages 1-5 (tests/integration/demo/demo_drugs.hpp).
DRUG_STAGES = (1, 2, 3, 4, 5)
# What the demo's stages 3 and 4 leave with each holder of the batch.
HELD = {"drugs-manufacturer": 2000, "drugs-wholesaler-1": 800, "drugs-wholesaler-2": 400,
        "drugs-pharmacy": 600, "drugs-hospital": 1200}


def leb128(data: bytes, at: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        b = data[at]
        at += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return value, at


def skip_strings(record: bytes, at: int, count: int) -> int:
    for _ in range(count):
        n, at = leb128(record, at)
        at += n
    return at


def decode_notice(record: bytes) -> tuple[str, int]:
    """RecallNoticeRecord: u8 version, regno, batch, u32 index, holder, u64 quantity, ..."""
    at = skip_strings(record, 1, 2) + 4
    holder = record[at:at + 32].hex()
    return holder, int.from_bytes(record[at + 32:at + 40], "little")


def decode_custody(record: bytes) -> tuple[int, str, str, int]:
    """CustodyRecord: u8 version, u32 index, u8 step, from, u8 role, to, u8 role, u64 quantity."""
    step = record[5]
    frm = record[6:38].hex()
    to = record[39:71].hex()
    return step, frm, to, int.from_bytes(record[72:80], "little")


def proven_records(node, path: str) -> tuple[dict, list[bytes]]:
    doc = node.api.get_json(f"/v1/query/drugs/{path}")
    records = doc.get("records", [])
    for r in [doc, *records]:
        check("proof_hex" in r and r.get("value_hex"), f"{path}: an unproven record {r}")
    return doc, [bytes.fromhex(r["value_hex"]) for r in records]


def main() -> None:
    with TestRun("drugs") as run:
        c = run.generate(validators=5)
        # The other registers' samples in these stages need the demo's genesis parameters.
        set_genesis_parameters(c.genesis_path)
        c.start()
        c.wait_height(1, timeout_s=60)
        accounts = demo_accounts(c)
        for stage in DRUG_STAGES:
            txs = stage_transactions(c, c.nodes[0], stage)
            ids = c.submit_all([(tx_id, tx_hex) for _, _, tx_id, tx_hex in txs])
            c.wait_committed(ids, timeout_s=90)
            run.log(f"stage {stage}: {len(ids)} transactions committed")
        holder_of = {accounts[name]: name for name in HELD}

        answers = []
        for node in c.nodes:
            _, custody = proven_records(node, f"{BATCH}/custody")
            chain = [decode_custody(r) for r in custody]
            check([(s, holder_of.get(t, t), q) for s, _, t, q in chain] ==
                  [(0, "drugs-manufacturer", 5000), (1, "drugs-wholesaler-1", 3000),
                   (1, "drugs-pharmacy", 600), (1, "drugs-hospital", 1200),
                   (1, "drugs-wholesaler-2", 400)], f"{node.name}: custody chain {chain}")
            _, notices = proven_records(node, f"{BATCH}/recall")
            told = dict(decode_notice(r) for r in notices)
            check(len(notices) == len(HELD) and
                  {holder_of.get(h, h): q for h, q in told.items()} == HELD,
                  f"{node.name}: the recall told {told}, not every holder once")
            for name in HELD:
                _, own = proven_records(node, f"holder/{accounts[name]}/recalls")
                check(len(own) == 1 and decode_notice(own[0]) == (accounts[name], HELD[name]),
                      f"{node.name}: {name}'s recall list")
            answers.append((custody, notices))
        check(all(a == answers[0] for a in answers), "the nodes answer differently")
        run.log("custody chain and recall notices proven and identical on every node")


if __name__ == "__main__":
    main()
