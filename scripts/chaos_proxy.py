"""A user-space TCP proxy between the nodes of a chaos run (scripts/chaos.py).

Every ordered pair of nodes (dialer, target) gets its own listening port on
127.0.0.1; the dialer's `[network] peers` entry for the target names that port,
so every peer-to-peer byte between two nodes passes through the proxy, which
knows which pair it carries. Faults are set per unordered pair:

- cut: existing connections are aborted and new ones closed at once (a partition);
- delay_ms + jitter_ms: every chunk is held for delay + uniform(0, jitter) ms.
  Order inside one TCP stream is kept (the stream is encrypted and framed, and
  TCP never reorders it), so the jitter reorders messages *between* peers: what
  A sent before B may arrive after B's;
- drop: each chunk kills its connection with this probability (a segment lost
  for good: TCP gives up, the nodes see a reset and must redial);
- stall_until: no byte moves until then, the connections stay open (a peer
  that is reachable but silent, like a path losing everything for a while).

Python 3 standard library only (asyncio, in its own thread). Bounded: at most
MAX_QUEUED_CHUNKS chunks wait per direction of a connection.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from dataclasses import dataclass, field

CHUNK_BYTES = 65536
MAX_QUEUED_CHUNKS = 256
CONNECT_TIMEOUT_S = 5.0


@dataclass
class PairFault:
    cut: bool = False
    delay_ms: float = 0.0
    jitter_ms: float = 0.0
    drop: float = 0.0
    stall_until: float = 0.0  # time.monotonic()

    def clear(self) -> None:
        self.cut = False
        self.delay_ms = self.jitter_ms = self.drop = 0.0
        self.stall_until = 0.0


@dataclass
class ProxyStats:
    connections: int = 0
    refused_cut: int = 0
    dropped: int = 0
    bytes: int = 0


def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


@dataclass(eq=False)
class _Conn:
    writers: list = field(default_factory=list)

    def abort(self) -> None:
        for w in self.writers:
            try:
                w.transport.abort()
            except Exception:  # noqa: BLE001 - already closed
                pass


class ChaosProxy:
    """start() binds every pair's port; set/clear faults from any thread."""

    def __init__(self, targets: dict[str, int], seed: int, host: str = "127.0.0.1"):
        self.targets = dict(targets)  # node name -> its real p2p port
        self.host = host
        self.rng = random.Random(seed)
        self.ports: dict[tuple[str, str], int] = {}  # (dialer, target) -> proxy port
        self.faults: dict[tuple[str, str], PairFault] = {}
        self.conns: dict[tuple[str, str], set] = {}
        self.stats = ProxyStats()
        self._loop = asyncio.new_event_loop()
        self._servers = []
        self._thread = threading.Thread(target=self._loop.run_forever, name="chaos-proxy",
                                        daemon=True)

    def start(self) -> None:
        self._thread.start()
        fut = asyncio.run_coroutine_threadsafe(self._bind_all(), self._loop)
        fut.result(timeout=30)

    async def _bind_all(self) -> None:
        names = sorted(self.targets)
        for a in names:
            for b in names:
                if a == b:
                    continue
                k = pair_key(a, b)
                self.faults.setdefault(k, PairFault())
                self.conns.setdefault(k, set())
                server = await asyncio.start_server(
                    lambda r, w, a=a, b=b: self._handle(r, w, a, b), self.host, 0)
                self._servers.append(server)
                self.ports[(a, b)] = server.sockets[0].getsockname()[1]

    def stop(self) -> None:
        async def close():
            for s in self._servers:
                s.close()
            for conns in self.conns.values():
                for c in list(conns):
                    c.abort()
        try:
            asyncio.run_coroutine_threadsafe(close(), self._loop).result(timeout=10)
        except Exception:  # noqa: BLE001 - stopping anyway
            pass
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    # -- faults (any thread) --

    def _call(self, fn) -> None:
        asyncio.run_coroutine_threadsafe(fn(), self._loop).result(timeout=10)

    def cut(self, pairs) -> None:
        async def go():
            for a, b in pairs:
                k = pair_key(a, b)
                self.faults[k].cut = True
                for c in list(self.conns[k]):
                    c.abort()
        self._call(go)

    def shape(self, pairs, delay_ms=0.0, jitter_ms=0.0, drop=0.0, stall_s=0.0) -> None:
        async def go():
            for a, b in pairs:
                f = self.faults[pair_key(a, b)]
                f.delay_ms, f.jitter_ms, f.drop = delay_ms, jitter_ms, drop
                if stall_s > 0:
                    f.stall_until = time.monotonic() + stall_s
        self._call(go)

    def heal(self, pairs=None) -> None:
        async def go():
            for k in (self.faults if pairs is None else [pair_key(a, b) for a, b in pairs]):
                self.faults[k].clear()
        self._call(go)

    # -- forwarding (the loop's thread) --

    async def _handle(self, reader, writer, dialer: str, target: str) -> None:
        k = pair_key(dialer, target)
        if self.faults[k].cut:
            self.stats.refused_cut += 1
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.wait_for(
                asyncio.open_connection(self.host, self.targets[target]), CONNECT_TIMEOUT_S)
        except (OSError, asyncio.TimeoutError):
            writer.transport.abort()
            return
        self.stats.connections += 1
        conn = _Conn([writer, up_writer])
        self.conns[k].add(conn)
        tasks = [asyncio.ensure_future(self._pipe(reader, up_writer, k)),
                 asyncio.ensure_future(self._pipe(up_reader, writer, k))]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            conn.abort()
            self.conns[k].discard(conn)

    async def _pipe(self, src, dst, k) -> None:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue = asyncio.Queue(MAX_QUEUED_CHUNKS)

        async def read():
            last = 0.0
            try:
                while True:
                    data = await src.read(CHUNK_BYTES)
                    f = self.faults[k]
                    if not data or f.cut:
                        break
                    if f.drop > 0 and self.rng.random() < f.drop:
                        self.stats.dropped += 1
                        break
                    release = loop.time() + (f.delay_ms + self.rng.uniform(0, f.jitter_ms)) / 1e3
                    last = max(last, release)  # keep the stream's own order
                    await queue.put((last, data))
            except (OSError, asyncio.IncompleteReadError):
                pass
            await queue.put(None)

        async def write():
            while True:
                item = await queue.get()
                if item is None:
                    return
                release, data = item
                while self.faults[k].stall_until > time.monotonic():
                    await asyncio.sleep(0.05)
                wait = release - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                if self.faults[k].cut:
                    return
                dst.write(data)
                self.stats.bytes += len(data)
                await dst.drain()

        reader_task = asyncio.ensure_future(read())
        try:
            await write()
        except (OSError, ConnectionError):
            pass
        finally:
            reader_task.cancel()
            await asyncio.gather(reader_task, return_exceptions=True)
