#!/usr/bin/env python3
"""(e) Malformed input changes nothing. Raw garbage and forged handshakes on
every node's peer-to-peer port, and malformed HTTP requests and transactions on
every node's API: each request gets a 4xx (never a 5xx), no refused
transaction is ever committed, every node stays up with all its peers (a
forged Hello that names a real validator must not get that validator banned),
heights keep growing, and every block is identical on all nodes."""

import hashlib
import http.client
import json
import os
import socket
import struct
import sys
import time
import urllib.error
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (HarnessError, TestRun, check, raw_exchange,  # noqa: E402
                     wait_until)

HELLO_MAGIC = b"BHNP"


def hello(chain_id: str, static_key: bytes, version: int = 1,
          max_payload: int = 16 << 20) -> bytes:
    """A Hello as docs/network.md lays it out, with its u16 wire length."""
    cid = chain_id.encode()
    body = (HELLO_MAGIC + struct.pack("<H", version) + bytes([len(cid)]) + cid +
            struct.pack("<I", max_payload) + os.urandom(32) + static_key)
    return struct.pack("<H", len(body)) + body


def with_trailing_byte(wire: bytes) -> bytes:
    body = wire[2:] + b"\x00"
    return struct.pack("<H", len(body)) + body


def p2p_attacks(chain_id: str, victim_key: bytes) -> list[tuple[str, bytes]]:
    return [
        ("nothing at all", b""),
        ("one byte", b"\x01"),
        ("random bytes", os.urandom(1024)),
        ("a large random blob", os.urandom(256 * 1024)),
        ("an HTTP request", b"GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("a zero Hello length", b"\x00\x00" + os.urandom(64)),
        ("an oversized Hello length", b"\xff\xff" + os.urandom(300)),
        ("a bad magic", struct.pack("<H", 80) + b"XXXX" + os.urandom(76)),
        ("a future protocol version", hello(chain_id, victim_key, version=2)),
        ("another chain", hello("some-other-chain", victim_key)),
        ("a truncated Hello", hello(chain_id, victim_key)[:20]),
        ("a Hello with a trailing byte", with_trailing_byte(hello(chain_id, victim_key))),
        # Impersonation: a real validator's key, then garbage where the
        # handshake signature (an AEAD frame) belongs. Must not ban that validator.
        ("a forged Hello then a garbage Auth frame",
         hello(chain_id, victim_key) + struct.pack("<I", 82) + os.urandom(82)),
        ("a forged Hello then an oversized frame",
         hello(chain_id, victim_key) + struct.pack("<I", 0xFFFFFFF0) + os.urandom(64)),
    ]


def status_of(response: bytes) -> int | None:
    """The status code of a raw HTTP response, None if the server just closed."""
    if not response.startswith(b"HTTP/1."):
        return None
    try:
        return int(response.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return None


def api_attacks(c, node, good_tx_hex: str) -> list[str]:
    """Sends malformed requests to `node`; checks each answer is a 4xx with the
    JSON error shape (or a closed connection for unparsable HTTP). Returns the
    ids of refused transactions (which must never commit)."""
    api = node.api
    refused_ids = []

    def expect_4xx(what: str, answer) -> None:
        check(400 <= answer.status < 500, f"{node.name}: {what} answered {answer.status}: "
              f"{answer.body[:200]!r}")
        doc = json.loads(answer.body)
        check("error" in doc and "code" in doc["error"], f"{what}: no JSON error: {doc}")

    def post(body: bytes, content_type: str = "application/json"):
        return api.request("POST", "/v1/transactions", body, content_type)

    for body in [b"", b"{", b"[]", b"null", b'"x"', b'{"transaction_hex": 5}',
                 b'{"transaction_hex": "zz"}', b'{"transaction_hex": "abc"}',
                 b'{"other": "00"}', b'{"transaction_hex": "00", "extra": 1}',
                 b"[" * 10000 + b"]" * 10000, b'{"a":' * 50 + b"1" + b"}" * 50,
                 b"\xff\xfe\x00garbage"]:
        expect_4xx(f"POST body {body[:30]!r}", post(body))
    expect_4xx("text/plain", post(b"hello", "text/plain"))
    expect_4xx("garbage octet-stream", post(os.urandom(300), "application/octet-stream"))
    expect_4xx("empty octet-stream", post(b"", "application/octet-stream"))
    # A body over the limit (1 MiB) is answered 413 body_too_large, from its
    # Content-Length, before the body is read: a server that silently dropped
    # large bodies would fail here. Sent raw, with only the first 64 KiB of the
    # body, so the answer is readable before the client could be cut off.
    big = b'{"transaction_hex": "' + b"00" * (1 << 20) + b'"}'
    raw = raw_exchange(node.host, node.api_port,
                       b"POST /v1/transactions HTTP/1.1\r\nHost: x\r\n"
                       b"Content-Type: application/json\r\n"
                       + f"Content-Length: {len(big)}\r\n\r\n".encode() + big[:1 << 16],
                       read_timeout_s=10.0)
    check(status_of(raw) == 413, f"a body over the limit answered {raw[:200]!r} (expected 413)")
    check(b"body_too_large" in raw, f"a body over the limit: no body_too_large code: {raw[:300]!r}")
    try:  # the whole body: the server may close before it is all sent, but if it answers, 413
        a = post(big)
        check(a.status == 413, f"a whole body over the limit answered {a.status}")
    except (ConnectionError, http.client.HTTPException, urllib.error.URLError):
        pass

    # Transactions that decode but must be refused.
    tx = bytes.fromhex(good_tx_hex)
    flipped = bytearray(tx)
    flipped[-1] ^= 0x01  # last byte of the BIP-340 signature
    for what, bad in [("a bad signature", bytes(flipped)), ("a truncated transaction", tx[:-1]),
                      ("a trailing byte", tx + b"\x00")]:
        a = api.submit(bad.hex())
        expect_4xx(what, a)
        if what == "a bad signature":
            check(a.status == 422, f"bad signature answered {a.status}")
    key = c.admin_key("OGCIO")
    acct = c.account_of(key)["account_id"]
    seq = c.next_sequence(node, acct)
    check(seq > 0, "OGCIO's admin has transacted (main commits one first)")
    for what, txs in [
        ("another chain's transaction", c.pings(key, seq, 1, "wrong chain", chain_id="other-1")),
        ("a sequence far ahead", c.pings(key, seq + 100000, 1, "far ahead")),
        ("a used sequence", c.pings(key, seq - 1, 1, "replay")),
    ]:
        for tx_id, tx_hex in txs:
            expect_4xx(what, api.submit(tx_hex))
            refused_ids.append(tx_id)
    refused_ids.append(transaction_id(bytes(flipped)))

    for path in ["/v1/blocks/abc", "/v1/blocks/-1", "/v1/blocks/99999999999999999999999",
                 "/v1/blocks/18446744073709551615", "/v1/transactions/zz",
                 "/v1/transactions/" + "00" * 32, "/v1/query/nomodule/x",
                 "/v1/query/accounts/account/zz", "/v1/query/accounts/nothing/00",
                 "/v1/state/accounts/zz", "/v1/proofs/consistency?from=0",
                 "/v1/proofs/consistency?from=abc", "/v1/accumulator/leaves?count=100000",
                 "/v1/accumulator/leaves?from=99999999999", "/v1/status?x=1",
                 "/v1/%ff%00", "/v1/blocks/1?" + "a=b&" * 100, "/nowhere",
                 "/v1/proofs/transaction/" + "11" * 32, "/" + "a" * 5000]:
        expect_4xx(f"GET {path[:60]}", api.get(path))
    for method in ["PUT", "DELETE", "PATCH"]:
        expect_4xx(method, api.request(method, "/v1/status", b"{}", "application/json"))
    expect_4xx("GET on the POST route", api.get("/v1/transactions"))

    # Raw HTTP the client library would not send.
    raw = [
        b"\x00\x01\x02\x03garbage\r\n\r\n",
        b"GET /v1/status HTTP/9.9\r\n\r\n",
        b"GET /v1/status HTTP/1.1\r\nHost: x\r\n" + b"X-Big: " + b"a" * 32768 + b"\r\n\r\n",
        b"POST /v1/transactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 99999999999\r\n\r\n{",
        b"POST /v1/transactions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        b"Content-Type: application/json\r\n\r\nzzzz\r\n",
        b"GET /v1/status HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
    ]
    for data in raw:
        code = status_of(raw_exchange(node.host, node.api_port, data, read_timeout_s=3.0))
        check(code is None or 400 <= code < 500,
              f"{node.name}: raw request {data[:40]!r} answered {code}")
    # A slow client that never finishes its request.
    with socket.create_connection((node.host, node.api_port), timeout=5) as s:
        s.sendall(b"GET /v1/status HTTP/1.1\r\nHo")
        time.sleep(0.5)
    return refused_ids


def transaction_id(tx: bytes) -> str:
    """tagged_hash("bauhinia/transaction-id", bytes) (docs/formats/hashing.md)."""
    t = hashlib.sha256(b"bauhinia/transaction-id").digest()
    return hashlib.sha256(t + t + tx).hexdigest()


def main() -> None:
    with TestRun("malformed_input") as run:
        c = run.generate(validators=4)
        c.start()
        c.wait_height(2, timeout_s=60)
        chain_id = c.chain_id()
        keys = {n.name: bytes.fromhex(n.public_key()) for n in c.nodes}
        ogcio = c.admin_key("OGCIO")
        first = c.pings(ogcio, c.next_sequence(c.nodes[0], c.account_of(ogcio)["account_id"]),
                        1, "OGCIO before the garbage")
        c.wait_committed(c.submit_all(first), timeout_s=60)
        acc_before = c.nodes[0].api.status()["accumulator_size"]

        # One valid transaction to mutate, never submitted as is.
        key = c.admin_key("IPD")
        seq = c.next_sequence(c.nodes[0], c.account_of(key)["account_id"])
        (good_id, good_hex), = c.pings(key, seq, 1, "template")
        check(transaction_id(bytes.fromhex(good_hex)) == good_id, "transaction id formula")

        for i, node in enumerate(c.nodes):
            # Impersonate another validator towards this node.
            other = c.nodes[(i + 1) % len(c.nodes)]
            for what, data in p2p_attacks(chain_id, keys[other.name]):
                try:
                    raw_exchange(node.host, node.p2p_port, data, read_timeout_s=0.5)
                except OSError as e:
                    raise HarnessError(f"{node.name}: p2p port refused a connection "
                                       f"after {what}: {e}") from None
            run.log(f"{node.name}: p2p garbage sent")
        # A burst of connections that say nothing (the handshake limit).
        idle = []
        try:
            for _ in range(24):
                idle.append(socket.create_connection((c.nodes[0].host, c.nodes[0].p2p_port),
                                                     timeout=5))
            time.sleep(1.0)
        finally:
            for s in idle:
                s.close()

        refused = []
        for node in c.nodes:
            refused += api_attacks(c, node, good_hex)
            run.log(f"{node.name}: malformed API requests answered with 4xx")
        c.check_alive()

        # Nothing changed: the same peers, the chain grows, blocks agree, and
        # exactly the valid transactions below are committed.
        def all_peers():
            counts = {n.name: n.api.status()["peer_count"] for n in c.nodes}
            return counts if all(v == 3 for v in counts.values()) else None
        peers = wait_until(all_peers, 30, "every node to keep its 3 peers")
        run.log(f"peers intact: {peers}")
        c.wait_growth(3, timeout_s=60)  # the chain grows (fails the test otherwise)

        valid = c.pings(key, seq, 5, "after the garbage")
        ids = c.submit_all(valid, c.nodes)
        c.wait_committed(ids, timeout_s=60)
        c.wait_growth(2, timeout_s=60)
        last = c.check_same_blocks()
        run.log(f"blocks 0..{last} identical; valid transactions committed")
        for n in c.nodes:
            check(n.api.status()["accumulator_size"] == acc_before + len(ids),
                  f"{n.name}: accumulator {n.api.status()['accumulator_size']}, expected "
                  f"{acc_before} + {len(ids)}")
            for tx_id in refused:
                a = n.api.transaction(tx_id)
                check(a.status == 404, f"{n.name}: refused transaction {tx_id} is {a.status}")
        for n in c.nodes:
            banned = [line for line in n.log_text().splitlines() if "banned peer" in line]
            check(not banned, f"{n.name} banned a consortium peer: {banned[:2]}")
        c.check_alive()


if __name__ == "__main__":
    main()
