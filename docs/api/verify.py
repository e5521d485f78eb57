#!/usr/bin/env python3
"""Verifies a transaction or a state record served by a Bauhinia node's HTTP API,
trusting nothing but the genesis validator set (and, for height 0, the genesis id).

An independent implementation written from docs/formats/*.md and docs/api/README.md:
it decodes the canonical bytes (the *_hex fields) itself and never trusts the JSON
copies of hashed or signed objects. Standard library plus `cryptography` (Ed25519).

  verify.py --url http://127.0.0.1:8080 --chain-id bauhinia-hk-1 \
            --genesis-validators <hex of the genesis ValidatorSet> [--genesis-id <hex>] \
            transaction <id hex> [--height H]
  verify.py ... record <module> <record key hex> [--height H]

Exit status: 0 verified, 1 verification failed (the reason is printed), 2 usage or
network error, 77 when the `cryptography` package is missing.
"""
import argparse
import hashlib
import json
import sys
import urllib.error
import urllib.request

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
except ImportError:  # pragma: no cover
    print("SKIP: python3 package 'cryptography' is not installed", file=sys.stderr)
    sys.exit(77)


class Fail(Exception):
    """The served data does not verify."""


# ---- Hashing (docs/formats/hashing.md, accumulator.md, state-tree.md) ----------

def sha256(data):
    return hashlib.sha256(data).digest()


def tagged(tag, message):
    t = sha256(tag.encode())
    return sha256(t + t + message)


def rfc6962_leaf(data):
    return sha256(b"\x00" + data)


def rfc6962_node(left, right):
    return sha256(b"\x01" + left + right)


# ---- Canonical decoding (docs/formats/encoding.md) ----------------------------

class Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, n):
        if self.pos + n > len(self.data):
            raise Fail("truncated encoding")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def u8(self):
        return self.take(1)[0]

    def u64(self):
        return int.from_bytes(self.take(8), "little")

    def length(self, maximum):
        value, shift = 0, 0
        while True:
            b = self.u8()
            if shift == 28 and b > 0x0F:
                raise Fail("length prefix too large")
            value |= (b & 0x7F) << shift
            if b & 0x80 == 0:
                if b == 0 and shift > 0:
                    raise Fail("non-minimal length prefix")
                break
            shift += 7
        if value > maximum:
            raise Fail("length %d above its maximum %d" % (value, maximum))
        return value

    def bytes(self, maximum):
        return self.take(self.length(maximum))

    def string(self, maximum):
        return self.bytes(maximum).decode("utf-8")

    def seq(self, maximum, item):
        return [item() for _ in range(self.length(maximum))]

    def done(self):
        if self.pos != len(self.data):
            raise Fail("trailing bytes")


def unhex(text):
    if not isinstance(text, str):
        raise Fail("expected a hex string")
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise Fail("malformed hex")


def decode(hex_text, fn):
    r = Reader(unhex(hex_text))
    value = fn(r)
    r.done()
    return value


def header_of(r):
    h = {"version": r.u8(), "epoch": r.u64(), "height": r.u64(), "round": r.u64(),
         "parent_hash": r.take(32), "timestamp_ms": r.u64(), "proposer": r.take(32),
         "transactions_root": r.take(32), "accumulator_root": r.take(32),
         "accumulator_size": r.u64(), "state_root": r.take(32),
         "validator_set_hash": r.take(32), "next_validator_set_hash": r.take(32)}
    if h["version"] != 1:
        raise Fail("unknown header version")
    return h


def validator_set_of(r):
    start = r.pos
    version, epoch = r.u8(), r.u64()
    members = r.seq(256, lambda: (r.take(32), r.u64(), r.string(64)))
    if version != 1 or not members:
        raise Fail("bad validator set")
    return {"epoch": epoch, "members": members, "hash": tagged("bauhinia/validator-set", r.data[start:r.pos])}


def ledger_info_of(r):
    start = r.pos
    li = {"version": r.u8(), "chain_id": r.string(64), "epoch": r.u64(), "round": r.u64(),
          "commit_block": r.take(32), "commit_height": r.u64(), "consensus_data_hash": r.take(32)}
    li["signing_hash"] = tagged("bauhinia/ledger-info", r.data[start:r.pos])
    return li


def certificate_of(r):
    return {"ledger_info": ledger_info_of(r), "bitmap": r.bytes((256 + 7) // 8),
            "signatures": r.seq(256, lambda: r.take(64))}


def epoch_change_of(r):
    cert = certificate_of(r)
    start = r.pos
    header = header_of(r)
    header_bytes = r.data[start:r.pos]
    return {"certificate": cert, "header": header,
            "id": tagged("bauhinia/block-header", header_bytes), "next_set": validator_set_of(r)}


def transaction_info_of(r):
    info = {"format": r.u8(), "version": r.u64(), "transaction_id": r.take(32), "outcome": r.u8(),
            "state_changes_hash": r.take(32), "events_hash": r.take(32)}
    if info["format"] != 1:
        raise Fail("unknown transaction info format")
    return info


def inclusion_proof_of(r):
    return {"leaf_index": r.u64(), "tree_size": r.u64(), "path": r.seq(64, lambda: r.take(32))}


def state_proof_of(r):
    version = r.u8()
    siblings = r.seq(256, lambda: r.take(32))
    present = r.u8()
    if present not in (0, 1):
        raise Fail("bad optional tag")
    leaf = (r.take(32), r.take(32)) if present else None
    if version != 1:
        raise Fail("unknown state proof version")
    return {"siblings": siblings, "leaf": leaf}


# ---- Verifiers ------------------------------------------------------------------

def verify_certificate(header, header_id, cert, vset, chain_id):
    """The certificate commits exactly this header, by a quorum of `vset`."""
    li = cert["ledger_info"]
    if li["version"] != 1:
        raise Fail("unknown ledger info version")
    if li["chain_id"] != chain_id:
        raise Fail("certificate of chain %r, not %r" % (li["chain_id"], chain_id))
    if not (header["epoch"] == vset["epoch"] == li["epoch"]):
        raise Fail("certificate, header and validator set of different epochs")
    if header["validator_set_hash"] != vset["hash"]:
        raise Fail("the header names another validator set")
    if li["commit_block"] != header_id or li["commit_height"] != header["height"]:
        raise Fail("the certificate commits another block")
    members = vset["members"]
    if len(cert["bitmap"]) != (len(members) + 7) // 8:
        raise Fail("signer bitmap of the wrong size")
    signers = [i for i in range(8 * len(cert["bitmap"])) if cert["bitmap"][i // 8] >> (i % 8) & 1]
    if any(i >= len(members) for i in signers) or len(signers) != len(cert["signatures"]):
        raise Fail("signer bitmap does not match the signatures")
    total = sum(power for _, power, _ in members)
    if sum(members[i][1] for i in signers) < 2 * total // 3 + 1:
        raise Fail("signers hold too little voting power")
    for i, signature in zip(signers, cert["signatures"]):
        try:
            Ed25519PublicKey.from_public_bytes(members[i][0]).verify(signature, li["signing_hash"])
        except InvalidSignature:
            raise Fail("bad signature of validator %d (%s)" % (i, members[i][2]))


def verify_inclusion(leaf_hash, index, size, path, root):
    """RFC 9162 section 2.1.3.2."""
    if index >= size:
        raise Fail("leaf index outside the tree")
    fn, sn, r = index, size - 1, leaf_hash
    for p in path:
        if sn == 0:
            raise Fail("inclusion path too long")
        if fn & 1 or fn == sn:
            r = rfc6962_node(p, r)
            while fn & 1 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = rfc6962_node(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0 or r != root:
        raise Fail("inclusion proof does not lead to the certified accumulator root")


def bit(b, i):
    return (b[i // 8] >> (7 - i % 8)) & 1


def verify_state(root, key, value, proof):
    """docs/formats/state-tree.md section 5."""
    siblings, leaf, d = proof["siblings"], proof["leaf"], len(proof["siblings"])
    if value is not None:
        if leaf is None or leaf[0] != key or leaf[1] != tagged("bauhinia/state-value", value):
            raise Fail("the proof's leaf is not this record's value")
    elif leaf is not None:
        if leaf[0] == key or any(bit(leaf[0], i) != bit(key, i) for i in range(d)):
            raise Fail("the proof of absence ends in a leaf off the key's path")
    if d > 0 and siblings[0] == bytes(32):
        raise Fail("non-canonical state proof")
    h = tagged("bauhinia/state-leaf", leaf[0] + leaf[1]) if leaf else bytes(32)
    for i, s in enumerate(siblings):
        h = tagged("bauhinia/state-internal", s + h if bit(key, d - 1 - i) else h + s)
    if h != root:
        raise Fail("state proof does not lead to the certified state root")


class Client:
    def __init__(self, args):
        self.url, self.chain_id = args.url.rstrip("/"), args.chain_id
        self.genesis_id = bytes.fromhex(args.genesis_id) if args.genesis_id else None
        trusted = decode(args.genesis_validators, validator_set_of)
        self.sets = {trusted["epoch"]: trusted}

    def get(self, path):
        try:
            with urllib.request.urlopen(self.url + path, timeout=30) as response:
                return json.load(response)
        except urllib.error.HTTPError as e:
            body = e.read().decode("utf-8", "replace")
            raise Fail("GET %s: HTTP %d %s" % (path, e.code, body))

    def follow_epochs(self):
        """Validator sets of every epoch, from the trusted one, via epoch change proofs."""
        epoch = max(self.sets)
        while True:
            answer = self.get("/v1/epochs/proof?from=%d" % epoch)
            changes = decode(answer["proof_hex"], lambda r: r.seq(64, lambda: epoch_change_of(r)))
            for c in changes:
                current = self.sets[epoch]
                if c["header"]["epoch"] != epoch or c["next_set"]["epoch"] != epoch + 1:
                    raise Fail("epoch change proof skips or repeats an epoch")
                if c["header"]["next_validator_set_hash"] == c["header"]["validator_set_hash"]:
                    raise Fail("epoch change at a block that does not end its epoch")
                verify_certificate(c["header"], c["id"], c["certificate"], current, self.chain_id)
                if c["next_set"]["hash"] != c["header"]["next_validator_set_hash"]:
                    raise Fail("next validator set does not match the header")
                epoch += 1
                self.sets[epoch] = c["next_set"]
            if not answer["more"] or not changes:
                return

    def certified_header(self, certified):
        """The header of a "certified" object, once its certificate checks out."""
        header_bytes = unhex(certified["header_hex"])
        header = decode(certified["header_hex"], header_of)
        header_id = tagged("bauhinia/block-header", header_bytes)
        if header["height"] == 0:
            if self.genesis_id is None or header_id != self.genesis_id:
                raise Fail("genesis header: give --genesis-id to trust it")
            return header
        last, last_id = header, header_id
        for child_hex in certified["descendant_headers_hex"]:
            child = decode(child_hex, header_of)
            if child["parent_hash"] != last_id or child["height"] != last["height"] + 1:
                raise Fail("descendant headers do not chain")
            last, last_id = child, tagged("bauhinia/block-header", unhex(child_hex))
        vset = self.sets.get(last["epoch"])
        if vset is None:
            raise Fail("no trusted validator set for epoch %d" % last["epoch"])
        cert = decode(certified["commit_certificate_hex"], certificate_of)
        verify_certificate(last, last_id, cert, vset, self.chain_id)
        return header


def check_transaction(client, tx_id_hex, height):
    query = "" if height is None else "?height=%d" % height
    answer = client.get("/v1/proofs/transaction/%s%s" % (tx_id_hex, query))
    header = client.certified_header(answer["certified"])
    tx_id = unhex(tx_id_hex)
    if tagged("bauhinia/transaction-id", unhex(answer["transaction_hex"])) != tx_id:
        raise Fail("the transaction bytes do not hash to its id")
    leaf = unhex(answer["leaf_hex"])
    info = decode(answer["leaf_hex"], transaction_info_of)
    if info["transaction_id"] != tx_id:
        raise Fail("the accumulator leaf names another transaction")
    proof = decode(answer["proof_hex"], inclusion_proof_of)
    if proof["tree_size"] != header["accumulator_size"] or proof["leaf_index"] != info["version"]:
        raise Fail("proof for another tree size or leaf")
    verify_inclusion(rfc6962_leaf(leaf), proof["leaf_index"], proof["tree_size"], proof["path"],
                     header["accumulator_root"])
    outcomes = ["success", "unauthorized", "invalid_argument", "not_found", "already_exists",
                "failed_precondition", "limit_exceeded"]
    outcome = outcomes[info["outcome"]] if info["outcome"] < len(outcomes) else str(info["outcome"])
    print("OK: transaction %s is leaf %d of the accumulator certified at height %d, outcome %s"
          % (tx_id_hex, info["version"], header["height"], outcome))


def check_record(client, module, key_hex, height):
    query = "" if height is None else "?height=%d" % height
    answer = client.get("/v1/state/%s/%s%s" % (module, key_hex, query))
    header = client.certified_header(answer["certified"])
    name = module.encode()
    key_bytes = unhex(key_hex)
    state_key = tagged("bauhinia/state-key", leb128(len(name)) + name + leb128(len(key_bytes)) + key_bytes)
    value = None if answer["value_hex"] is None else unhex(answer["value_hex"])
    verify_state(header["state_root"], state_key, value, decode(answer["proof_hex"], state_proof_of))
    what = "absent" if value is None else "value of %d bytes" % len(value)
    print("OK: record %s/%s is %s under the state root certified at height %d"
          % (module, key_hex, what, header["height"]))


def leb128(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--chain-id", required=True)
    parser.add_argument("--genesis-validators", required=True, help="hex of the genesis ValidatorSet")
    parser.add_argument("--genesis-id", help="hex id of the genesis block (to trust height 0)")
    sub = parser.add_subparsers(dest="what", required=True)
    t = sub.add_parser("transaction")
    t.add_argument("id")
    t.add_argument("--height", type=int)
    rec = sub.add_parser("record")
    rec.add_argument("module")
    rec.add_argument("key")
    rec.add_argument("--height", type=int)
    args = parser.parse_args()
    try:
        client = Client(args)
        client.follow_epochs()
        if args.what == "transaction":
            check_transaction(client, args.id, args.height)
        else:
            check_record(client, args.module, args.key, args.height)
    except Fail as e:
        print("FAIL: %s" % e)
        return 1
    except (urllib.error.URLError, OSError, ValueError, KeyError) as e:
        print("ERROR: %s" % e)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
