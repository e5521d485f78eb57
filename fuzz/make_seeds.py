#!/usr/bin/env python3
"""Writes the curated seed corpora of the consensus, mempool and executor
fuzzers (fuzz/corpus/{consensus,mempool,executor}/).

The three harnesses read their input as a program of operations
(fuzz/*_fuzz.cpp); each seed here is such a program, written with the
helpers below, which mirror the harnesses' readers byte for byte:

  consensus  honest three-chain runs that commit (proposals with quorum
             certificates, votes that form a QC at our replica, a timeout
             certificate), a sync of withheld blocks, sync verification of
             every tampering kind, a request answered by the replica;
  mempool    valid transactions of each kind of account, a full account, a
             full pool with eviction, commits, expiry, a queued batch;
  executor   the genuine call payloads of every module's golden vectors
             (tests/contracts/*/golden/*.txt), each as the call it encodes,
             signed by the role holder of its module and by a plain account.

Usage: fuzz/make_seeds.py [--check]   (--check: compare, do not write)
"""

import pathlib
import re
import struct
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"


def u16(n):
    return struct.pack("<H", n)


def u64(n):
    return struct.pack("<Q", n)


# ---- consensus (fuzz/consensus_fuzz.cpp) -----------------------------------


def c_propose(parent, gap=0, qc=0x0F, tc=0, payload=b"", ts=5, sender=1, mode=0, proposer=None,
              deliver=True):
    op = bytes([0]) if deliver else bytes([8, 1])  # 8 then 1: a withheld block (8 then 0: restart)
    out = op + bytes([parent, gap, qc, tc, len(payload)]) + payload + bytes([ts])
    if gap & 0x80:
        out += bytes([proposer or 0])
    if deliver:
        out += bytes([sender, mode])
        if mode == 1:
            out += bytes([3, 7])
    return out


def c_vote(block, voter, chain2=False, mode=0):
    return bytes([1, block, voter]) + (bytes([0]) if chain2 else b"") + bytes([mode])


def c_timeout(signer, delta, pick, mask=0x0F, tc_mask=0, below=True, mode=0):
    return bytes([2, signer, delta, pick]) + (bytes([mask]) if below else b"") + bytes([tc_mask, mode])


def c_local_timeout():
    return bytes([3, 1])


def c_clock(ms_quarter, kind):
    return bytes([7]) + u16(ms_quarter) + bytes([kind])


def c_sync_verify(k, tamper, index=0, gaps=(0, 1, 0, 1), mask=1):
    out = bytes([9, k - 1])
    for i in range(k):
        out += bytes([gaps[i], 2]) + b"pp"
    out += bytes([mask, index, tamper])
    if tamper == 2:
        out += bytes([5])
    return out + bytes([0])


def consensus_seeds():
    seeds = {}
    three_chain = c_propose(0) + c_propose(1) + c_propose(2)
    seeds["commit-three-chain"] = three_chain
    # Our replica (validator 0) leads round 4: votes of v1, v2 for the round-3
    # block form a QC at it, it proposes, and the next leader builds on that.
    seeds["votes-form-qc-and-propose"] = (
        three_chain + c_vote(3, 1, chain2=True) + c_vote(3, 2, chain2=True) + c_propose(4, qc=0x0F)
    )
    seeds["payload-blocks"] = (
        c_propose(0, payload=b"tx-one") + c_propose(1, payload=b"tx-two") + c_propose(2)
    )
    # Timeouts of a quorum in round 1 form a TC; the round-2 leader proposes with it.
    seeds["timeout-certificate"] = (
        c_local_timeout()
        + c_timeout(1, 0, 0)
        + c_timeout(2, 0, 0)
        + c_timeout(3, 0, 0)
        + c_propose(0, gap=1, tc=0x0F)
    )
    # Blocks the replica never saw: a later proposal makes it fetch them.
    seeds["sync-withheld"] = (
        c_propose(0, deliver=False) + c_propose(1, deliver=False) + c_propose(2) + bytes([6, 0, 1, 0])
    )
    seeds["sync-request"] = three_chain + bytes([5, 1, 1, 3, 4, 1])
    seeds["broken-signatures"] = c_propose(0, mode=1) + c_propose(0) + c_vote(1, 2, mode=1)
    seeds["mutated-proposal"] = c_propose(0, mode=2) + bytes([3, 40, 0, 1])
    seeds["equivocating-leader"] = c_propose(0, payload=b"a") + c_propose(0, payload=b"b")
    seeds["wrong-proposer"] = c_propose(0, gap=0x80, proposer=2)
    seeds["clock-and-wake"] = three_chain + c_clock(2000, 0) + c_clock(4000, 2)
    # A crash and restart after a commit; the run continues on the kept blocks.
    seeds["restart-after-commit"] = three_chain + bytes([8, 0]) + c_propose(3)
    # A certificate whose signatures all repeat validator 0's: refused.
    seeds["duplicate-signer-qc"] = c_propose(0) + c_propose(1, qc=0x47)
    for tamper in range(8):
        seeds["sync-verify-tamper-%d" % tamper] = c_sync_verify(3, tamper, index=1)
    seeds["sync-verify-single"] = c_sync_verify(1, 3)
    return seeds


# ---- mempool (fuzz/mempool_fuzz.cpp) ---------------------------------------


def m_tx(sender=0, signer=0, seq_offset=0, shape=0, expiry=b"", payload=b"ping", corrupt=False):
    out = bytes([shape, sender, signer])
    if sender == 4:  # an account id of 32 chosen bytes
        out += bytes([32]) + bytes([0x55]) * 32
    out += u64(seq_offset) if shape & 0x02 else bytes([seq_offset])
    kind = (shape >> 2) & 3
    if kind == 0:
        out += expiry or u16(30_000)
    elif kind in (1, 2):
        out += expiry or bytes([10])
    else:
        out += expiry or u64(0)
    out += bytes([0, len(payload)]) + payload  # small payload (max 40)
    out += bytes([1])  # aux
    out += bytes([0, 9]) if corrupt else bytes([1])
    return out


KEEP = bytes([0x11])  # after each op: lookups keep working


def m_submit(**kw):
    return bytes([0]) + m_tx(**kw) + KEEP


def mempool_seeds():
    seeds = {}
    head = bytes([0, 1, 2])  # next sequences of accounts 0, 1 and 3
    seeds["valid-each-account"] = (
        head
        + m_submit(sender=0, signer=0)
        + m_submit(sender=1, signer=1, seq_offset=0)
        + m_submit(sender=2, signer=2)
        + m_submit(sender=3, signer=0)
        + bytes([6, 8]) + u16(3000) + KEEP
    )
    seeds["sequence-run-and-commit"] = (
        head
        + b"".join(m_submit(sender=0, signer=0, seq_offset=i, payload=bytes([i])) for i in range(4))
        + bytes([7, 3, 0]) + KEEP
        + m_submit(sender=0, signer=0, seq_offset=0, payload=b"after")
    )
    seeds["account-full"] = head + b"".join(
        m_submit(sender=1, signer=1, seq_offset=i, payload=bytes([i])) for i in range(6)
    )
    seeds["pool-full-eviction"] = (
        head
        + b"".join(m_submit(sender=2, signer=2, seq_offset=1 + i, payload=bytes([i]) * 30) for i in range(4))
        + b"".join(m_submit(sender=0, signer=0, seq_offset=i, payload=bytes([i]) * 30) for i in range(4))
        + b"".join(m_submit(sender=1, signer=1, seq_offset=i, payload=bytes([i]) * 30) for i in range(4))
    )
    seeds["refusals"] = (
        head
        + m_submit(sender=1, signer=0)  # wrong key
        + m_submit(sender=3, signer=3)  # rotated away
        + m_submit(sender=4, signer=1)  # unknown account
        + m_submit(shape=0x01)  # other chain
        + m_submit(shape=0x04)  # expired
        + m_submit(shape=0x08)  # too far ahead
        + m_submit(corrupt=True)
        + m_submit(shape=0x40)  # policy refuses the call
        + bytes([5, 0]) + KEEP  # resubmit: duplicate
    )
    seeds["batch"] = head + bytes([4, 4]) + b"".join(
        m_tx(sender=s, signer=s if s != 3 else 0) for s in range(4)
    ) + KEEP
    seeds["queue"] = head + bytes([10, 3]) + bytes([0]) + m_tx() + bytes([1, 3]) + b"abc" + bytes(
        [0]) + m_tx(sender=2, signer=2) + KEEP
    seeds["expire"] = head + m_submit() + bytes([8]) + u16(20_000) + KEEP
    seeds["raw-and-mutated"] = head + bytes([2]) + u16(3) + b"xyz" + KEEP + bytes([3]) + m_tx() + bytes(
        [3, 0, 0, 1]) + KEEP
    return seeds


# ---- executor (fuzz/executor_fuzz.cpp) -------------------------------------


def header_calls(module):
    text = (ROOT / "contracts/include/bauhinia/contracts" / module / "calls.hpp").read_text()
    m = re.search(r"kCalls\s*\{(.*?)\};", text, re.S)
    return re.findall(r'"([a-z_0-9]+)"', m.group(1))


def executor_calls():
    calls = [("accounts", c) for c in ("ping", "rotate_key")]
    calls += [("system", c) for c in ("grant_role", "revoke_role", "propose", "approve", "withdraw",
                                      "close_expired", "submit_evidence")]
    calls += [("trademark", c) for c in header_calls("trademark")]
    calls += [("company", c) for c in (
        "incorporate", "register_existing", "annual_return", "change_officers", "change_office",
        "change_name", "apply_deregistration", "restore", "gazette_deregistration", "deregister",
        "strike_off_inquiry", "gazette_strike_off", "strike_off", "cancel_ending", "dissolve")]
    calls += [("health", c) for c in header_calls("health")]
    calls += [("drugs", c) for c in header_calls("drugs")]
    calls += [("environment", c) for c in header_calls("environment")]
    calls += [("anchor", c) for c in ("anchor", "revoke")]
    return calls


# Golden payload names that are not call names.
ALIASES = {
    ("environment", "profile"): ["submit_profile"],
    ("environment", "brief"): ["issue_study_brief"],
    ("environment", "submission"): ["submit_report", "submit_em_a"],
    ("environment", "inspection"): ["open_inspection"],
    ("environment", "decision"): ["decide"],
    ("environment", "document"): ["issue_permit", "vary_permit"],
    ("environment", "ticket"): ["issue_ticket"],
    ("environment", "collection"): ["record_collection"],
    ("environment", "receipt"): ["record_receipt"],
    ("environment", "ticket_number"): ["flag_overdue", "surrender_permit"],
    ("environment", "transfer_cosigned"): ["transfer_permit"],
    ("drugs", "transfer_terms"): ["transfer"],
    ("drugs", "transfer_cosigned"): ["transfer"],
    ("trademark", "assign_cosigned"): ["assign"],
    ("trademark", "licence_terms"): ["record_licence"],
    ("trademark", "mark"): ["examine", "accept", "publish", "register", "renew"],
    ("trademark", "ground"): ["oppose", "revoke", "invalidate"],
    ("trademark", "security_terms"): ["record_security"],
    ("health", "issue"): ["issue"],
    ("company", "registrar_act"): ["gazette_deregistration", "strike_off_inquiry", "dissolve"],
    ("company", "register_existing_struck_off"): ["register_existing"],
    ("system", "propose"): ["propose"],
}

# Harness key indices (kParties in executor_fuzz.cpp) holding each module's roles.
ROLE_HOLDERS = {
    "accounts": [18],
    "system": [0, 2],
    "trademark": [5],
    "company": [6],
    "health": [12, 13],
    "drugs": [7, 8, 10],
    "environment": [14, 15, 16],
    "anchor": [17],
}
PLAIN = 18


def golden_payloads():
    for path in sorted((ROOT / "tests/contracts").glob("*/golden/*.txt")):
        module = path.parent.parent.name
        for line in path.read_text().splitlines():
            m = re.match(r"(payload|call)\.([a-z_0-9.]+)[= ]([0-9a-f]+)$", line.strip())
            if m:
                yield module, m.group(2), bytes.fromhex(m.group(3))


def e_tx(call_index, signer, payload, faults=0):
    return bytes([0, call_index, signer, faults]) + u16(len(payload)) + payload


def executor_seeds():
    calls = executor_calls()
    index = {c: i for i, c in enumerate(calls)}
    seeds = {}
    by_module = {}
    for module, name, payload in golden_payloads():
        base = name.split(".")[0]
        targets = ALIASES.get((module, name)) or ALIASES.get((module, base))
        if not targets:
            targets = [name] if (module, name) in index else [base]
        for call in targets:
            if (module, call) not in index:
                continue
            for signer in (ROLE_HOLDERS[module][0], PLAIN):
                key = "%s-%s-%s-by-%d" % (module, name.replace(".", "-"), call, signer)
                seeds[key] = e_tx(index[(module, call)], signer, payload)
            by_module.setdefault(module, []).append((index[(module, call)], payload))
    # Each module's calls in one program (a block every four), by its role holders
    # in turn: later calls may find the records the earlier ones wrote.
    for module, txs in by_module.items():
        holders = ROLE_HOLDERS[module] + [PLAIN]
        program = b""
        for i, (call_index, payload) in enumerate(txs[:24]):
            program += e_tx(call_index, holders[i % len(holders)], payload)
            if i % 4 == 3:
                program += bytes([3, 0])
        seeds["module-%s-all" % module] = program
    # A block of several calls, then a block days later (deadlines pass).
    seeds["two-blocks"] = (
        e_tx(index[("accounts", "ping")], PLAIN, bytes([2]) + b"hi")
        + e_tx(index[("accounts", "ping")], PLAIN, bytes([2]) + b"ho")
        + bytes([3, 100])
        + e_tx(index[("system", "close_expired")], 0, b"")
    )
    seeds["envelope-faults"] = b"".join(
        e_tx(index[("accounts", "ping")], PLAIN, bytes([1]) + b"x", faults=f)
        for f in (0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x00)
    )
    return seeds


def main():
    check = "--check" in sys.argv[1:]
    stale = []
    for name, seeds in (("consensus", consensus_seeds()), ("mempool", mempool_seeds()),
                        ("executor", executor_seeds())):
        d = CORPUS / name
        d.mkdir(parents=True, exist_ok=True)
        for key, data in seeds.items():
            p = d / key
            if check:
                if not p.exists() or p.read_bytes() != data:
                    stale.append(str(p))
            else:
                p.write_bytes(data)
        print("%s: %d seeds" % (name, len(seeds)))
    if stale:
        print("stale seeds:", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
