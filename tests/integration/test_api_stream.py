#!/usr/bin/env python3
"""The API's WebSocket stream and batch submission on a real consortium (issue
12, item 6). Four validators commit; a batch of pings with a malformed one in
it gets a verdict per transaction and only the good ones commit. A consumer
streams blocks and accounts events from height 1, is killed mid-stream (no
close frame), and reconnects with from = last height seen + 1 while the
consortium keeps committing a second batch: every height arrives exactly once,
in order, each block as GET /v1/blocks/{h} serves it, and every ping of both
batches arrives as exactly one event. A batch sent to a node with a tight
admission budget is admitted up to the budget and the rest refused 429
`overloaded`, as single submissions would be. Bad upgrade requests are refused with
their HTTP error. The client below speaks RFC 6455 itself (standard library)."""

import base64
import hashlib
import json
import os
import socket
import struct
import sys
import time
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import TestRun, check  # noqa: E402

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
PINGS = 40
TIGHT_RATE = 1  # admissions a second on node 2, in bursts of
TIGHT_BURST = 4


class WebSocket:
    """A minimal RFC 6455 client: text messages in, pongs and close out."""

    def __init__(self, port: int, target: str, timeout_s: float = 20.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout_s)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                           "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
                          .encode())
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("closed during the handshake")
            data += chunk
        head, self.buf = data.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split(" ")[1])
        headers = {k.strip().lower(): v.strip()
                   for k, v in (line.split(":", 1) for line in lines[1:] if ":" in line)}
        self.body = b""
        self.close_code = None
        self.close_reason = ""
        if self.status != 101:
            length = int(headers.get("content-length", "0"))
            while len(self.buf) < length:
                chunk = self.sock.recv(4096)
                if not chunk:
                    break
                self.buf += chunk
            self.body = self.buf[:length]
            self.sock.close()
            return
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        check(headers.get("sec-websocket-accept") == accept, "bad Sec-WebSocket-Accept")

    def error_code(self) -> str:
        return json.loads(self.body)["error"]["code"]

    def _exact(self, n: int) -> bytes:
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def _send(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        head = bytes([0x80 | opcode])
        if len(payload) < 126:
            head += bytes([0x80 | len(payload)])
        else:
            head += bytes([0x80 | 126]) + struct.pack(">H", len(payload))
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def read(self):
        """The next message as JSON, or None after the server's close frame."""
        message = b""
        while True:
            b0, b1 = self._exact(2)
            opcode, length = b0 & 0x0F, b1 & 0x7F
            check(not b1 & 0x80, "the server masked a frame")
            if length == 126:
                length = struct.unpack(">H", self._exact(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._exact(8))[0]
            payload = self._exact(length)
            if opcode == 0x8:
                if len(payload) >= 2:
                    self.close_code = struct.unpack(">H", payload[:2])[0]
                    self.close_reason = payload[2:].decode()
                self._send(0x8, payload[:2])
                return None
            if opcode == 0x9:
                self._send(0xA, payload)
                continue
            if opcode in (0x1, 0x0):
                message += payload
                if b0 & 0x80:
                    return json.loads(message)

    def kill(self) -> None:
        self.sock.close()  # no close frame: a killed client


class Consumer:
    """Counts a height as seen at its block message; events of a height that
    did not close are dropped on reconnection."""

    def __init__(self):
        self.heights: list[int] = []
        self.blocks: dict[int, dict] = {}
        self.events: list[dict] = []
        self.unclosed: list[dict] = []

    def take(self, m: dict) -> None:
        if m["type"] == "event":
            self.unclosed.append(m)
        elif m["type"] == "block":
            self.heights.append(m["height"])
            self.blocks[m["height"]] = m
            self.events += self.unclosed
            self.unclosed = []

    def ping_ids(self) -> list[str]:
        return [e["transaction_id"] for e in self.events if e["kind"] == "ping"]


def main() -> None:
    with TestRun("api_stream") as run:
        c = run.generate(validators=4)
        # One node with a tight admission budget: a batch cannot bypass it.
        tight = c.nodes[2]
        tight.set_config("api", "admission_rate", str(TIGHT_RATE))
        tight.set_config("api", "admission_burst", str(TIGHT_BURST))
        c.start()
        c.wait_height(2, timeout_s=60)
        node = c.nodes[0]
        api = node.api
        key = c.new_account_key("streamer")
        pings = c.pings(key, 0, PINGS, "streamed")
        first, second = pings[:PINGS // 2], pings[PINGS // 2:]

        # A batch: the first half and a malformed transaction in the middle.
        batch = [h for _, h in first[:10]] + ["00ff"] + [h for _, h in first[10:]]
        a = api.post_json("/v1/transactions/batch", {"transactions_hex": batch})
        check(a.status == 200, f"batch answered {a.status}: {a.body[:300]!r}")
        results = a.json()["results"]
        check(len(results) == len(batch), "one result per transaction")
        check(results[10]["status"] == "rejected" and results[10]["error"]["code"] == "malformed",
              f"the malformed one: {results[10]}")
        good = [r for i, r in enumerate(results) if i != 10]
        check(all(r["status"] == "pending" for r in good), f"verdicts: {good}")
        check([r["id"] for r in good] == [i for i, _ in first], "ids in order")
        c.wait_committed([i for i, _ in first], timeout_s=90)
        run.log(f"batch of {len(batch)}: {a.json()['accepted']} accepted, 1 rejected, committed")

        # A batch to the node with the tight budget: each transaction passes the
        # same admission budget as a single submission, so beyond the burst
        # they are refused 429 `overloaded` with a Retry-After.
        other = c.pings(c.new_account_key("budgeted"), 0, 3 * TIGHT_BURST, "budgeted")
        a = tight.api.post_json("/v1/transactions/batch",
                                {"transactions_hex": [h for _, h in other]})
        check(a.status == 200, f"budgeted batch answered {a.status}: {a.body[:300]!r}")
        results = a.json()["results"]
        admitted = [r for r in results if r["status"] == "pending"]
        refused = [r for r in results if r["status"] == "rejected"]
        check(TIGHT_BURST <= len(admitted) <= TIGHT_BURST + 2 and
              len(admitted) + len(refused) == len(other), f"budgeted verdicts: {results}")
        check(all(r["http_status"] == 429 and r["error"]["code"] == "overloaded" and
                  r["retry_after_s"] >= 1 for r in refused), f"refusals: {refused}")
        run.log(f"budgeted batch of {len(other)}: {len(admitted)} admitted, "
                f"{len(refused)} refused 429 overloaded")

        # Bad upgrades are refused with their HTTP error.
        for target, status, code in [("/v1/stream?from=abc", 400, "bad_encoding"),
                                     ("/v1/stream?module=nosuch", 404, "unknown_module"),
                                     ("/v1/stream?from=99999999", 404, "unknown_block")]:
            ws = WebSocket(api.port, target)
            check(ws.status == status and ws.error_code() == code,
                  f"{target}: {ws.status} {ws.body[:200]!r}")

        # Stream from height 1; kill the connection mid-stream.
        consumer = Consumer()
        ws = WebSocket(api.port, "/v1/stream?from=1&module=accounts")
        check(ws.status == 101, f"upgrade answered {ws.status}: {ws.body[:200]!r}")
        hello = ws.read()
        check(hello["type"] == "subscribed" and hello["from"] == 1, f"hello: {hello}")
        # Kill it at the first event after a closed height: inside a height
        # whose block message has not arrived (the first batch is committed,
        # so its events come before the stream reaches the latest height).
        while True:
            m = ws.read()
            check(m is not None, "stream closed early")
            consumer.take(m)
            check(m["type"] == "event" or m["height"] <= hello["latest_height"],
                  "the first batch's events did not arrive")
            if m["type"] == "event" and consumer.heights:
                break
        ws.kill()
        consumer.unclosed = []
        run.log(f"killed after height {consumer.heights[-1]}")

        # The consortium commits the second half while the consumer is away
        # (sent to another node, as a batch too).
        a = c.nodes[1].api.post_json("/v1/transactions/batch",
                                     {"transactions_hex": [h for _, h in second]})
        check(a.status == 200 and a.json()["accepted"] == len(second),
              f"second batch: {a.status} {a.body[:300]!r}")
        ids = [i for i, _ in pings]
        where = c.wait_committed([i for i, _ in second], timeout_s=90)
        top = max(h for h, _ in where.values()) + 2
        c.wait_height(top, timeout_s=60)

        resume = consumer.heights[-1] + 1
        ws = WebSocket(api.port, f"/v1/stream?from={resume}&module=accounts")
        check(ws.status == 101, f"resume answered {ws.status}")
        check(ws.read()["from"] == resume, "resumed from the height asked")
        while consumer.heights[-1] < top:
            m = ws.read()
            check(m is not None, f"stream closed: {ws.close_code} {ws.close_reason}")
            consumer.take(m)
        ws.kill()

        check(consumer.heights == list(range(1, consumer.heights[-1] + 1)),
              "every height exactly once, in order")
        mine = [i for i in consumer.ping_ids() if i in set(ids)]
        check(sorted(mine) == sorted(ids), "every ping of the streamer exactly once")
        keys = {(e["version"], e["event_index"]) for e in consumer.events}
        check(len(keys) == len(consumer.events), "an event was sent twice")
        for h, block in consumer.blocks.items():
            served = api.block(h)
            served["type"] = "block"
            check(block == served, f"block {h} differs from GET /v1/blocks/{h}")
        run.log(f"heights 1..{consumer.heights[-1]} once each, {PINGS} pings, "
                f"{len(consumer.events)} events, blocks as served")


if __name__ == "__main__":
    main()
