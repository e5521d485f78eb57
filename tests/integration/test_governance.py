#!/usr/bin/env python3
"""Governance on a running cluster (docs/contracts/system.md): four validators
and five departments. IPD proposes a chain-parameter change; CR and DH
approve (3 of 5: not enough, the parameter is unchanged); CR's second
approval is committed as failed (already_exists) and adds nothing; EPD's approval (4 of
5, more than two thirds) passes it: every validator's state shows the new
value and the proposal's public record (state, approvals) through
/v1/query/system/..., identical on every node."""

import sys
import time
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import TestRun, check, wait_until  # noqa: E402

PARAMETER = "system.proposal_max_lifetime_ms"
DEFAULT = 30 * 24 * 3600 * 1000
NEW_VALUE = 14 * 24 * 3600 * 1000
EXPIRY_MS = 2 * 3600 * 1000


def leb128(data: bytes, at: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        b = data[at]
        at += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return value, at


def decode_proposal(record: bytes) -> dict:
    """ProposalRecord (docs/contracts/system.md, For developers)."""
    at = 1  # version
    pid = int.from_bytes(record[at:at + 8], "little")
    at += 8
    kind = record[at]
    at += 1
    n, at = leb128(record, at)
    at += n  # terms
    at += 32  # proposer
    n, at = leb128(record, at)
    department = record[at:at + n].decode()
    at += n + 24  # created height, created ms, expiry
    status = record[at]
    at += 1
    count, at = leb128(record, at)
    approvals = []
    for _ in range(count):
        n, at = leb128(record, at)
        approvals.append(record[at:at + n].decode())
        at += n + 32 + 16
    return {"id": pid, "kind": kind, "department": department, "status": status,
            "approvals": approvals}


def main() -> None:
    with TestRun("governance") as run:
        c = run.generate(validators=4)
        c.start()
        c.wait_height(2, timeout_s=60)
        ipd = c.validators[0]
        seq = {}

        def signed(dept: str, *args: str) -> tuple[str, str]:
            key = c.admin_key(dept)
            if dept not in seq:
                seq[dept] = c.next_sequence(ipd, c.account_of(key)["account_id"])
            out = c.testtx(*args, "--key", str(key), "--genesis", str(c.genesis_path),
                           "--sequence", str(seq[dept]))
            seq[dept] += 1
            tx_id, tx_hex = out.split()
            return tx_id, tx_hex

        def parameter(node) -> int:
            doc = node.api.get_json(f"/v1/query/system/parameter/{PARAMETER}")
            check("proof" in doc and "value_hex" in doc, f"a proven record: {doc}")
            return int.from_bytes(bytes.fromhex(doc["value_hex"])[1:9], "little")

        def proposal(node) -> dict:
            doc = node.api.get_json("/v1/query/system/proposal/1")
            return decode_proposal(bytes.fromhex(doc["value_hex"]))

        check(all(parameter(n) == DEFAULT for n in c.validators), "the default at genesis")
        expiry = int(time.time() * 1000) + EXPIRY_MS
        ids = c.submit_all([signed("IPD", "propose", "--expiry-ms", str(expiry), "--kind",
                                   "set-parameter", "--parameter", PARAMETER, "--value",
                                   str(NEW_VALUE))])
        c.wait_committed(ids)
        for d in ["CR", "DH"]:
            c.wait_committed(c.submit_all([signed(d, "approve", "--id", "1")]))
        p = proposal(ipd)
        run.log(f"after 3 of 5: {p}")
        check(p["status"] == 0 and p["approvals"] == ["IPD", "CR", "DH"],
              f"3 of 5 departments: still open, {p}")
        check(all(parameter(n) == DEFAULT for n in c.validators), "3 of 5 change nothing")

        # A second approval of CR: committed as a failed transaction (the node's
        # mempool does not run module checks), nothing changed.
        dup = c.submit_all([signed("CR", "approve", "--id", "1")])[0]

        def failed_on_every_node():
            docs = [n.api.transaction(dup) for n in c.validators]
            if any(d.status != 200 or d.json()["status"] != "committed" for d in docs):
                return None
            return [d.json()["outcome"] for d in docs]
        outcomes = wait_until(failed_on_every_node, 60, "the duplicate approval committed", 0.3)
        check(outcomes == ["already_exists"] * 4,
              f"a duplicate approval fails with already_exists: {outcomes}")
        check(proposal(ipd)["approvals"] == ["IPD", "CR", "DH"], "it added no approval")

        c.wait_committed(c.submit_all([signed("EPD", "approve", "--id", "1")]))
        views = [proposal(n) for n in c.validators]
        run.log(f"after 4 of 5: {views[0]}")
        check(all(v == views[0] for v in views), f"every node shows the same proposal: {views}")
        check(views[0]["status"] == 1 and views[0]["approvals"] == ["IPD", "CR", "DH", "EPD"],
              f"passed with four approvals: {views[0]}")
        values = [parameter(n) for n in c.validators]
        check(values == [NEW_VALUE] * 4, f"the new value on every validator: {values}")
        c.wait_growth(2, timeout_s=60)
        c.check_same_blocks()
        run.log("governance changed a chain parameter on the running cluster")


if __name__ == "__main__":
    main()
