#!/usr/bin/env python3
"""An independent implementation of the chain formats (docs/formats/chain.md and
docs/formats/accumulator.md), written from the documents alone, that prints the
golden records of chain_formats_v1.txt, or, given that file, checks it:

    python3 tests/chain/golden/chain_formats_v1.py tests/chain/golden/chain_formats_v1.txt

Needs Python 3.9+ and the `cryptography` package (Ed25519, RFC 8032).
"""

import hashlib
import struct
import sys

try:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
except ImportError:  # a failure, never a skip: scripts/install-deps.sh installs it
    print("the Python 'cryptography' package is missing (Debian: python3-cryptography)")
    sys.exit(1)


def sha256(b: bytes) -> bytes:
    return hashlib.sha256(b).digest()


def tagged_hash(tag: str, msg: bytes) -> bytes:
    t = sha256(tag.encode())
    return sha256(t + t + msg)


# ---- canonical encoding ----
def u8(v):
    return struct.pack("<B", v)


def u64(v):
    return struct.pack("<Q", v)


def length(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def var_bytes(b: bytes):
    return length(len(b)) + b


# ---- Merkle (RFC 6962) ----
def leaf_hash(d: bytes) -> bytes:
    return sha256(b"\x00" + d)


def node_hash(l: bytes, r: bytes) -> bytes:
    return sha256(b"\x01" + l + r)


def split(n):
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(d):
    if not d:
        return sha256(b"")
    if len(d) == 1:
        return d[0]
    k = split(len(d))
    return node_hash(mth(d[:k]), mth(d[k:]))


def path(m, d):
    if len(d) <= 1:
        return []
    k = split(len(d))
    if m < k:
        return path(m, d[:k]) + [mth(d[k:])]
    return path(m - k, d[k:]) + [mth(d[:k])]


def subproof(m, d, b):
    if m == len(d):
        return [] if b else [mth(d)]
    k = split(len(d))
    if m <= k:
        return subproof(m, d[:k], b) + [mth(d[k:])]
    return subproof(m - k, d[k:], False) + [mth(d[:k])]


def proof_encoding(a, b, hashes):
    return u64(a) + u64(b) + length(len(hashes)) + b"".join(hashes)


# ---- keys ----
def key_from_seed(n):
    seed = bytes((n + i) % 256 for i in range(32))
    sk = Ed25519PrivateKey.from_private_bytes(seed)
    pk = sk.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return sk, pk


def filled(b):
    return bytes([b]) * 32


# ---- formats ----
def validator_set(epoch, members):  # members: (public key, power, name)
    out = u8(1) + u64(epoch) + length(len(members))
    for pk, power, name in members:
        out += pk + u64(power) + var_bytes(name.encode())
    return out


def block_header(h):
    return (u8(1) + u64(h["epoch"]) + u64(h["height"]) + u64(h["round"]) + h["parent_hash"] +
            u64(h["timestamp_ms"]) + h["proposer"] + h["transactions_root"] +
            h["accumulator_root"] + u64(h["accumulator_size"]) + h["state_root"] +
            h["validator_set_hash"] + h["next_validator_set_hash"])


def ledger_info(li):
    return (u8(1) + var_bytes(li["chain_id"].encode()) + u64(li["epoch"]) + u64(li["round"]) +
            li["commit_block"] + u64(li["commit_height"]) + li["consensus_data_hash"])


def quorum_certificate(li_bytes, n_validators, signers, sigs):
    bitmap = bytearray((n_validators + 7) // 8)
    for i in signers:
        bitmap[i // 8] |= 1 << (i % 8)
    return li_bytes + var_bytes(bytes(bitmap)) + length(len(sigs)) + b"".join(sigs)


def transaction_info(version, txid, outcome, changes, events):
    return u8(1) + u64(version) + txid + u8(outcome) + changes + events


def main():
    records = {}
    keys = [key_from_seed(1 + i) for i in range(4)]
    members = [(keys[i][1], [1, 2, 3, 4][i], ["IPD", "CR", "DH", "EPD"][i]) for i in range(4)]
    vs = validator_set(7, members)
    vs_hash = tagged_hash("bauhinia/validator-set", vs)
    next_keys = [key_from_seed(5 + i) for i in range(3)]
    nvs = validator_set(8, [(next_keys[i][1], 5, "V%d" % i) for i in range(3)])
    nvs_hash = tagged_hash("bauhinia/validator-set", nvs)

    tx_root = mth([leaf_hash(filled(i)) for i in (1, 2, 3)])
    header = dict(epoch=7, height=1000, round=1003, parent_hash=filled(0xA1),
                  timestamp_ms=1767225600000, proposer=keys[1][1], transactions_root=tx_root,
                  accumulator_root=filled(0xA3), accumulator_size=5000, state_root=filled(0xA4),
                  validator_set_hash=vs_hash, next_validator_set_hash=nvs_hash)
    hb = block_header(header)
    header_id = tagged_hash("bauhinia/block-header", hb)
    records["block_header"] = dict(encoded=hb.hex(), id=header_id.hex())
    records["transactions_root"] = dict(root=tx_root.hex())
    records["validator_set"] = dict(encoded=vs.hex(), hash=vs_hash.hex())
    records["next_validator_set"] = dict(encoded=nvs.hex(), hash=nvs_hash.hex())

    li = dict(chain_id="bauhinia-hk-1", epoch=7, round=1004, commit_block=header_id,
              commit_height=1000, consensus_data_hash=filled(0xC0))
    lb = ledger_info(li)
    signing_hash = tagged_hash("bauhinia/ledger-info", lb)
    records["ledger_info"] = dict(encoded=lb.hex(), signing_hash=signing_hash.hex())
    signers = [0, 2, 3]
    sigs = [keys[i][0].sign(signing_hash) for i in signers]
    qc = quorum_certificate(lb, 4, signers, sigs)
    records["quorum_certificate"] = dict(encoded=qc.hex())
    records["epoch_change_proof"] = dict(encoded=(length(1) + qc + hb + nvs).hex())

    ok = transaction_info(4999, filled(0x42), 0, filled(0x5C), filled(0xE7))
    records["transaction_info_success"] = dict(encoded=ok.hex(), leaf_hash=leaf_hash(ok).hex())
    failed = transaction_info(5000, filled(0x43), 5, bytes(32), bytes(32))
    records["transaction_info_failed"] = dict(encoded=failed.hex(),
                                              leaf_hash=leaf_hash(failed).hex())

    leaves = [leaf_hash(("bauhinia leaf %d" % i).encode()) for i in range(11)]
    root = mth(leaves)
    records["inclusion_proof"] = dict(encoded=proof_encoding(6, 11, path(6, leaves)).hex(),
                                      leaf_hash=leaves[6].hex(), root=root.hex())
    records["consistency_proof"] = dict(
        encoded=proof_encoding(6, 11, subproof(6, leaves, True)).hex(),
        root1=mth(leaves[:6]).hex(), root2=root.hex())
    records["consistency_proof_power_of_two"] = dict(
        encoded=proof_encoding(4, 11, subproof(4, leaves, True)).hex(),
        root1=mth(leaves[:4]).hex(), root2=root.hex())

    if len(sys.argv) > 1:
        golden, cur = {}, {}
        with open(sys.argv[1]) as f:
            for line in list(f) + [""]:
                line = line.strip()
                if line.startswith("#"):
                    continue
                if not line:
                    if cur:
                        golden[cur.pop("name")] = cur
                    cur = {}
                    continue
                k, v = line.split("=", 1)
                cur[k] = v
        if golden != records:
            print("MISMATCH between %s and this implementation" % sys.argv[1])
            sys.exit(1)
        print("%d records match" % len(records))
        return
    for name in sorted(records):
        print("name=" + name)
        for k in sorted(records[name]):
            print("%s=%s" % (k, records[name][k]))
        print()


if __name__ == "__main__":
    main()
