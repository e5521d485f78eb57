"""A harness for multi-process tests of a real Bauhinia consortium.

It generates a testnet (`bauhinia-node testnet`) on free loopback ports, runs
every node as a real process with its log in a file, talks to the nodes'
HTTP API, kills (SIGKILL) and restarts nodes, and always stops every process it
started: on a normal exit, on an exception, on SIGTERM/SIGINT (try/finally and
atexit), and when the harness itself is killed (each node gets
PR_SET_PDEATHSIG=SIGKILL). Every wait is bounded in time.

Python 3 standard library only. Used by tests/integration/test_*.py and by
scripts/demo.py.
"""

from __future__ import annotations

import atexit
import ctypes
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

# Bounds on everything the harness waits for or reads.
HTTP_TIMEOUT_S = 5.0
MAX_HTTP_BODY_BYTES = 8 << 20
STOP_TIMEOUT_S = 15.0
READY_TIMEOUT_S = 60.0
LOG_TAIL_LINES = 40

# ---- processes: every one the harness starts is registered here ---------------------

_live_processes: list[subprocess.Popen] = []


def _kill_everything() -> None:
    """Last resort (atexit, signals): SIGKILL whatever is still running."""
    for p in list(_live_processes):
        if p.poll() is None:
            try:
                p.kill()
                p.wait(timeout=STOP_TIMEOUT_S)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if p in _live_processes:
            _live_processes.remove(p)


atexit.register(_kill_everything)


def install_signal_handlers() -> None:
    """SIGTERM/SIGHUP become SystemExit so that finally blocks run (ctest sends
    SIGTERM on a timeout on some platforms); SIGINT stays KeyboardInterrupt."""

    def handler(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGHUP, handler)


_PR_SET_PDEATHSIG = 1
try:
    _libc = ctypes.CDLL(None, use_errno=True)
except OSError:  # pragma: no cover - every Linux has a libc
    _libc = None


def _child_setup() -> None:
    # Runs in the child between fork and exec: die with the harness even if the
    # harness is SIGKILLed (no atexit then). The harness is single-threaded.
    if _libc is not None:
        _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


class HarnessError(AssertionError):
    """A failed expectation of an integration test (with context)."""


class Fatal(HarnessError):
    """A failure that waiting longer cannot cure: wait_until raises it at once."""


class NodeDied(Fatal):
    """A node the harness expected to run has exited."""


class Disagreement(Fatal):
    """Nodes disagree about committed data, or a committed transaction failed."""


def wait_until(predicate: Callable[[], object], timeout_s: float, what: str,
               interval_s: float = 0.2):
    """Polls `predicate` until it returns a truthy value (returned) or the time is up."""
    deadline = time.monotonic() + timeout_s
    last_error: Exception | None = None
    while True:
        try:
            value = predicate()
            if value:
                return value
        except Fatal:
            raise
        except (OSError, ValueError, http.client.HTTPException, HarnessError) as e:
            last_error = e  # node not up yet, or a bad answer: try again until the deadline
        if time.monotonic() >= deadline:
            detail = f" (last error: {last_error})" if last_error else ""
            raise HarnessError(f"timed out after {timeout_s:.0f} s waiting for {what}{detail}")
        time.sleep(interval_s)


# ---- ports ---------------------------------------------------------------------------


def _ephemeral_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def port_bindable(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, port))
            return True
        except OSError:
            return False


def free_port_range(count: int, attempts: int = 200) -> int:
    """The first of `count` consecutive TCP ports that the OS lets us bind on
    127.0.0.1 right now. Chosen at random below the ephemeral range, so that
    outgoing connections (which take ephemeral ports) do not collide with
    them, and checked by binding each one."""
    low, _ = _ephemeral_range()
    top = min(low, 65536) - count
    bottom = 20000 if top > 21000 else 1024
    for _ in range(attempts):
        base = random.randint(bottom, top)
        if all(port_bindable(base + i) for i in range(count)):
            return base
    raise HarnessError(f"found no {count} consecutive free ports")


def free_port() -> int:
    return free_port_range(1)


# ---- HTTP ----------------------------------------------------------------------------


@dataclass
class HttpAnswer:
    status: int
    body: bytes
    headers: dict

    def json(self):
        return json.loads(self.body.decode("utf-8"))


class ApiClient:
    """A node's HTTP/JSON API (docs/api/openapi.yaml)."""

    def __init__(self, host: str, port: int):
        self.host = host
        self.port = port
        self.base = f"http://{host}:{port}"

    def request(self, method: str, path: str, body: bytes | None = None,
                content_type: str | None = None,
                timeout_s: float = HTTP_TIMEOUT_S) -> HttpAnswer:
        req = urllib.request.Request(self.base + path, data=body, method=method)
        if content_type:
            req.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(req, timeout=timeout_s) as r:
                return HttpAnswer(r.status, r.read(MAX_HTTP_BODY_BYTES), dict(r.headers))
        except urllib.error.HTTPError as e:
            data = e.read(MAX_HTTP_BODY_BYTES)
            return HttpAnswer(e.code, data, dict(e.headers or {}))

    def get(self, path: str) -> HttpAnswer:
        return self.request("GET", path)

    def get_json(self, path: str):
        a = self.get(path)
        if a.status != 200:
            raise HarnessError(f"GET {path} on :{self.port} answered {a.status}: "
                               f"{a.body[:300]!r}")
        return a.json()

    def post_json(self, path: str, doc) -> HttpAnswer:
        return self.request("POST", path, json.dumps(doc).encode(), "application/json")

    def status(self) -> dict:
        return self.get_json("/v1/status")

    def submit(self, tx_hex: str) -> HttpAnswer:
        return self.post_json("/v1/transactions", {"transaction_hex": tx_hex})

    def block(self, height: int) -> dict:
        return self.get_json(f"/v1/blocks/{height}")

    def transaction(self, tx_id: str) -> HttpAnswer:
        return self.get(f"/v1/transactions/{tx_id}")


def raw_exchange(host: str, port: int, data: bytes, read_timeout_s: float = 2.0,
                 max_read: int = 1 << 16) -> bytes:
    """Sends raw bytes on a fresh TCP connection and returns what comes back
    (bounded in size and time); the connection is closed afterwards."""
    with socket.create_connection((host, port), timeout=HTTP_TIMEOUT_S) as s:
        try:
            s.sendall(data)
        except OSError:
            return b""  # the peer closed on us: fine for garbage
        s.settimeout(read_timeout_s)
        out = b""
        try:
            while len(out) < max_read:
                chunk = s.recv(max_read - len(out))
                if not chunk:
                    break
                out += chunk
        except OSError:
            pass
        return out


# ---- nodes and the consortium ------------------------------------------------------------

_ENDPOINT = re.compile(r'^listen\s*=\s*"(.+):(\d+)"\s*$', re.M)


def _section(text: str, name: str) -> str:
    m = re.search(r"^\[" + re.escape(name) + r"\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
    return m.group(1) if m else ""


@dataclass
class Binaries:
    node: Path
    testtx: Path
    peer_harness: Path | None = None  # bauhinia-peer-harness (adversarial tests only)

    @staticmethod
    def from_args(argv: list[str] | None = None) -> "Binaries":
        """--node PATH --testtx PATH [--peer-harness PATH] on the command line
        (ctest passes them), or BAUHINIA_NODE_BIN / BAUHINIA_TESTTX_BIN /
        BAUHINIA_PEER_HARNESS_BIN."""
        import argparse
        ap = argparse.ArgumentParser()
        ap.add_argument("--node", default=os.environ.get("BAUHINIA_NODE_BIN"))
        ap.add_argument("--testtx", default=os.environ.get("BAUHINIA_TESTTX_BIN"))
        ap.add_argument("--peer-harness", default=os.environ.get("BAUHINIA_PEER_HARNESS_BIN"))
        args = ap.parse_args(argv)
        if not args.node or not args.testtx:
            ap.error("give --node and --testtx (or BAUHINIA_NODE_BIN, BAUHINIA_TESTTX_BIN)")
        b = Binaries(Path(args.node).resolve(), Path(args.testtx).resolve(),
                     Path(args.peer_harness).resolve() if args.peer_harness else None)
        for p in (b.node, b.testtx, b.peer_harness):
            if p is not None and not os.access(p, os.X_OK):
                raise SystemExit(f"not an executable: {p}")
        return b


@dataclass
class Node:
    name: str
    home: Path
    validator: bool
    binaries: Binaries
    host: str = "127.0.0.1"
    p2p_port: int = 0
    api_port: int = 0
    proc: subprocess.Popen | None = None
    starts: int = 0
    expected_up: bool = False  # started by the harness and not stopped or killed since
    env: dict[str, str] | None = None  # added to the process's environment (e.g. libfaketime)
    _log_file: object = None

    @property
    def log_path(self) -> Path:
        return self.home / "node.log"

    @property
    def config_path(self) -> Path:
        return self.home / "config.toml"

    def read_ports(self) -> None:
        text = self.config_path.read_text()
        for section, attr in (("network", "p2p_port"), ("api", "api_port")):
            m = _ENDPOINT.search(_section(text, section))
            if not m:
                raise HarnessError(f"{self.config_path}: no [{section}] listen address")
            self.host = m.group(1).strip("[]")
            setattr(self, attr, int(m.group(2)))

    def set_config(self, section: str, key: str, value: str) -> None:
        """Sets `key = value` (value already in TOML syntax) in [section],
        replacing the line if the key is there. The node must be stopped."""
        text = self.config_path.read_text()
        m = re.search(r"^\[" + re.escape(section) + r"\]\s*$", text, re.M)
        if not m:
            text = text.rstrip("\n") + f"\n\n[{section}]\n{key} = {value}\n"
        else:
            body_start = m.end()
            nxt = re.search(r"^\[", text[body_start:], re.M)
            body_end = body_start + nxt.start() if nxt else len(text)
            body = text[body_start:body_end]
            line = re.compile(r"^" + re.escape(key) + r"\s*=.*$", re.M)
            if line.search(body):
                body = line.sub(f"{key} = {value}", body, count=1)
            else:
                body = "\n" + f"{key} = {value}" + body
            text = text[:body_start] + body + text[body_end:]
        self.config_path.write_text(text)

    _PEERS = re.compile(r"^peers\s*=\s*\[(.*?)\]", re.M | re.S)

    def peers(self) -> list[str]:
        """The [network] peers entries ("<key hex>@host:port")."""
        m = self._PEERS.search(_section(self.config_path.read_text(), "network"))
        return re.findall(r'"([^"]+)"', m.group(1)) if m else []

    def set_peers(self, entries: list[str]) -> None:
        """Replaces the [network] peers (which are also the only keys the node
        accepts connections from). The node must be stopped."""
        text = self.config_path.read_text()
        m = re.search(r"^\[network\]\s*$", text, re.M)
        if not m:
            raise HarnessError(f"{self.config_path}: no [network] section")
        body = "peers = [\n" + "".join(f'  "{e}",\n' for e in entries) + "]"
        new, n = self._PEERS.subn(lambda _: body, text[m.end():], count=1)
        if n != 1:
            raise HarnessError(f"{self.config_path}: no peers array in [network]")
        self.config_path.write_text(text[:m.end()] + new)

    def peer_entry(self) -> str:
        """This node as another node's peers entry."""
        return f"{self.public_key()}@{self.host}:{self.p2p_port}"

    @property
    def api(self) -> ApiClient:
        return ApiClient(self.host, self.api_port)

    def public_key(self) -> str:
        out = subprocess.run([str(self.binaries.node), "show-key", "--home", str(self.home)],
                             capture_output=True, text=True, timeout=30, check=True)
        return out.stdout.strip()

    # -- life cycle --

    def start(self) -> None:
        if self.running():
            raise HarnessError(f"{self.name} is already running")
        self.starts += 1
        log = open(self.log_path, "ab")
        log.write(f"==== harness: start #{self.starts} of {self.name} at "
                  f"{time.strftime('%H:%M:%S')} ====\n".encode())
        log.flush()
        self._log_file = log
        self.proc = subprocess.Popen(
            [str(self.binaries.node), "start", "--home", str(self.home)],
            env={**os.environ, **self.env} if self.env else None,
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the harness, which stops nodes in order
            preexec_fn=_child_setup)
        _live_processes.append(self.proc)
        self.expected_up = True

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def _reap(self) -> int | None:
        self.expected_up = False
        code = self.proc.returncode if self.proc else None
        if self.proc in _live_processes:
            _live_processes.remove(self.proc)
        if self._log_file:
            self._log_file.close()
            self._log_file = None
        return code

    def kill(self) -> None:
        """SIGKILL: a crash at an arbitrary instant."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=STOP_TIMEOUT_S)
        self._reap()

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> int | None:
        """SIGTERM and wait (bounded); SIGKILL if it does not stop in time.
        Returns the exit code (None if it had to be killed)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=STOP_TIMEOUT_S)
                self._reap()
                return None
        return self._reap()

    def wait_ready(self, timeout_s: float = READY_TIMEOUT_S) -> dict:
        """Until GET /healthz answers 200; fails early if the process exits."""
        def ready():
            if not self.running():
                raise NodeDied(f"{self.name} exited with code {self.proc.returncode}\n"
                               + self.log_tail())
            a = self.api.get("/healthz")
            return a.status == 200 and a.json()
        try:
            return wait_until(ready, timeout_s, f"{self.name} to answer /healthz")
        except NodeDied:
            raise
        except HarnessError as e:
            raise HarnessError(f"{e}\n{self.log_tail()}") from None

    def height(self) -> int:
        return int(self.api.status()["height"])

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        tail = self.log_text().splitlines()[-lines:]
        return f"--- last {len(tail)} lines of {self.log_path} ---\n" + "\n".join(tail)


class Consortium:
    """The nodes of one testnet folder, and what the tests do with them."""

    def __init__(self, root: Path, binaries: Binaries, nodes: list[Node]):
        self.root = root
        self.binaries = binaries
        self.nodes = nodes
        self.by_name = {n.name: n for n in nodes}

    # -- creation --

    @staticmethod
    def generate(root: Path, binaries: Binaries, validators: int, observers: int = 0,
                 chain_id: str | None = None, p2p_base: int | None = None,
                 api_base: int | None = None) -> "Consortium":
        """`bauhinia-node testnet` into `root` (which must not exist or be
        empty), on free ports unless bases are given."""
        total = validators + observers
        p2p = p2p_base if p2p_base is not None else free_port_range(total)
        api = api_base if api_base is not None else free_port_range(total)
        if p2p_base is None and api_base is None and abs(p2p - api) < total:
            api = free_port_range(total)  # overlapping ranges: pick again once
        cmd = [str(binaries.node), "testnet", "--validators", str(validators),
               "--observers", str(observers), "--out", str(root),
               "--p2p-base-port", str(p2p), "--api-base-port", str(api)]
        if chain_id:
            cmd += ["--chain-id", chain_id]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        if out.returncode != 0:
            raise HarnessError(f"testnet failed: {out.stderr}{out.stdout}")
        return Consortium.open(root, binaries)

    @staticmethod
    def open(root: Path, binaries: Binaries) -> "Consortium":
        """The consortium already in `root` (one folder with config.toml per node)."""
        nodes = []
        for home in sorted(p for p in root.iterdir() if (p / "config.toml").is_file()):
            text = (home / "config.toml").read_text()
            name = re.search(r'^name\s*=\s*"(.*)"\s*$', text, re.M).group(1)
            role = re.search(r'^role\s*=\s*"(.*)"\s*$', text, re.M).group(1)
            n = Node(name=name, home=home, validator=(role == "validator"), binaries=binaries)
            n.read_ports()
            nodes.append(n)
        if not nodes:
            raise HarnessError(f"{root} holds no node folders")
        # Validators first, in genesis order (IPD, CR, DH, EPD, OGCIO, V6...), then observers.
        order = {"IPD": 0, "CR": 1, "DH": 2, "EPD": 3, "OGCIO": 4}

        def key(n: Node):
            digits = re.sub(r"\D", "", n.name)
            return (not n.validator, order.get(n.name, 10), int(digits) if digits else 0, n.name)

        nodes.sort(key=key)
        return Consortium(root, binaries, nodes)

    @property
    def genesis_path(self) -> Path:
        return self.root / "genesis.json"

    def chain_id(self) -> str:
        return json.loads(self.genesis_path.read_text())["chain_id"]

    def admin_key(self, department: str) -> Path:
        return self.root / "keys" / f"{department}-admin.key"

    @property
    def validators(self) -> list[Node]:
        return [n for n in self.nodes if n.validator]

    @property
    def observers(self) -> list[Node]:
        return [n for n in self.nodes if not n.validator]

    def running(self) -> list[Node]:
        return [n for n in self.nodes if n.running()]

    # -- life cycle --

    def start(self, nodes: Iterable[Node] | None = None,
              timeout_s: float = READY_TIMEOUT_S) -> None:
        nodes = list(self.nodes if nodes is None else nodes)
        for n in nodes:
            n.start()
        for n in nodes:
            n.wait_ready(timeout_s)

    def stop(self) -> dict[str, int | None]:
        """SIGTERM every running node (all at once, then wait for each)."""
        codes = {}
        up = [n for n in self.nodes if n.expected_up]
        for n in up:
            if n.running():
                n.proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_S  # one deadline for all of them
        for n in up:
            codes[n.name] = n.stop(max(0.1, deadline - time.monotonic()))
        return codes

    def kill_all(self) -> None:
        for n in self.nodes:
            n.kill()

    def isolate_behind(self, victim: Node, mallory: Node) -> tuple[int, list[str]]:
        """For the sync attacks: starts the validators and `victim`, lets them
        commit, then stops `victim` with `mallory` (the peer harness's node,
        never started) as its only peer. Returns the victim's committed height
        and its usual peers entries (to restore with set_peers)."""
        self.start(self.validators + [victim])
        self.wait_height(2, self.validators + [victim], timeout_s=60)
        victim.stop()
        usual_peers = victim.peers()
        victim.set_peers([mallory.peer_entry()])
        # A node also accepts the current validators (a validator added by
        # governance may be missing from its configuration), and they dial
        # the victim at the address in their own configurations: move the
        # victim's p2p port so that only its own dial (to mallory) connects.
        # Its later outbound dials to its usual peers still work.
        victim.set_config("network", "listen", f'"{victim.host}:{free_port()}"')
        victim.read_ports()
        victim.start()
        behind = victim.wait_ready()["height"]
        victim.stop()
        return behind, usual_peers

    def check_alive(self, nodes: Iterable[Node] | None = None) -> None:
        """Every node the harness started (and did not stop or kill) still runs."""
        for n in ([n for n in self.nodes if n.expected_up] if nodes is None else nodes):
            if not n.running():
                code = n.proc.returncode if n.proc else "?"
                raise NodeDied(f"{n.name} died (exit code {code})\n{n.log_tail()}")

    def log_tails(self) -> str:
        return "\n".join(n.log_tail() for n in self.nodes if n.starts > 0)

    # -- chain views --

    def heights(self, nodes: Iterable[Node] | None = None) -> dict[str, int]:
        return {n.name: n.height() for n in (self.running() if nodes is None else nodes)}

    def wait_height(self, height: int, nodes: Iterable[Node] | None = None,
                    timeout_s: float = 60.0) -> dict[str, int]:
        nodes = list(self.running() if nodes is None else nodes)

        def reached():
            self.check_alive(nodes)
            h = self.heights(nodes)
            return h if min(h.values()) >= height else None
        return wait_until(reached, timeout_s,
                          f"height {height} on {', '.join(n.name for n in nodes)}", 0.3)

    def wait_growth(self, blocks: int, nodes: Iterable[Node] | None = None,
                    timeout_s: float = 60.0) -> dict[str, int]:
        """Until every node in `nodes` is `blocks` above its current height."""
        nodes = list(self.running() if nodes is None else nodes)
        start = self.heights(nodes)
        target = max(start.values()) + blocks
        return self.wait_height(target, nodes, timeout_s)

    def check_same_blocks(self, nodes: Iterable[Node] | None = None,
                          up_to: int | None = None, from_height: int = 0) -> int:
        """GET /v1/blocks/{h} on every node for every height from `from_height`
        to `up_to` (default: the lowest node's height): the block id, the
        header (state root, accumulator, parent...) and the transaction ids must
        be the same everywhere. Returns the last height compared."""
        nodes = list(self.running() if nodes is None else nodes)
        if up_to is None:
            up_to = min(self.heights(nodes).values())
        for h in range(from_height, up_to + 1):
            reference = None
            for n in nodes:
                b = n.api.block(h)
                view = (b["block_id"], b["header"], b["transaction_ids"], b["transaction_count"])
                if b["height"] != h or b["header"]["height"] != h:
                    raise HarnessError(f"{n.name} answered height {b['height']} for block {h}")
                if reference is None:
                    reference = (n.name, view)
                elif view != reference[1]:
                    raise Disagreement(
                        f"block {h} differs: {reference[0]} has {reference[1][0]} "
                        f"(state root {reference[1][1]['state_root']}), {n.name} has {view[0]} "
                        f"(state root {view[1]['state_root']})")
        return up_to

    # -- transactions --

    def testtx(self, *args: str) -> str:
        out = subprocess.run([str(self.binaries.testtx), *args], capture_output=True, text=True,
                             timeout=120)
        if out.returncode != 0:
            raise HarnessError(f"bauhinia-testtx {' '.join(args)} failed: {out.stderr}")
        return out.stdout

    def account_of(self, key_file: Path) -> dict:
        return json.loads(self.testtx("account", "--key", str(key_file)))

    def new_account_key(self, name: str) -> Path:
        path = self.root / "keys" / f"{name}.key"
        self.testtx("keygen", "--out", str(path))
        return path

    def pings(self, key_file: Path, sequence: int, count: int, memo: str,
              chain_id: str | None = None) -> list[tuple[str, str]]:
        """`count` signed accounts.ping transactions: [(id hex, tx hex)]."""
        args = ["ping", "--key", str(key_file), "--sequence", str(sequence), "--count",
                str(count), "--memo", memo]
        args += ["--chain-id", chain_id] if chain_id else ["--genesis", str(self.genesis_path)]
        return [tuple(line.split()) for line in self.testtx(*args).splitlines() if line.strip()]

    def next_sequence(self, node: Node, account_id: str) -> int:
        """The account's next sequence in the node's committed state (0 for an
        account that does not exist yet): AccountRecord = u8 version,
        32-byte key, u64 little-endian next_sequence, ..."""
        a = node.api.get(f"/v1/query/accounts/account/{account_id}")
        if a.status == 404:
            return 0
        if a.status != 200:
            raise HarnessError(f"account query answered {a.status}: {a.body[:200]!r}")
        value = a.json().get("value_hex")
        if not value:
            return 0
        record = bytes.fromhex(value)
        return int.from_bytes(record[33:41], "little")

    def submit_all(self, txs: list[tuple[str, str]], nodes: list[Node] | None = None,
                   retry_s: float = 30.0) -> list[str]:
        """POSTs each transaction to the nodes in turn; a 202 (pending) or 200
        (already committed) is success; a 429/503 (busy) is retried, bounded.
        Returns the ids."""
        nodes = nodes or self.running()
        ids = []
        for i, (tx_id, tx_hex) in enumerate(txs):
            node = nodes[i % len(nodes)]
            deadline = time.monotonic() + retry_s
            while True:
                a = node.api.submit(tx_hex)
                if a.status in (200, 202):
                    got = a.json()["id"]
                    if got != tx_id:
                        raise HarnessError(f"{node.name} named transaction {tx_id} {got}")
                    break
                if a.status in (429, 503) and time.monotonic() < deadline:
                    time.sleep(0.2)
                    continue
                raise HarnessError(f"{node.name} refused transaction {tx_id}: {a.status} "
                                   f"{a.body[:300]!r}")
            ids.append(tx_id)
        return ids

    def wait_committed(self, ids: list[str], nodes: Iterable[Node] | None = None,
                       timeout_s: float = 60.0) -> dict[str, tuple[int, int]]:
        """Until every id is committed on every node, at the same (height,
        index) everywhere. Returns {id: (height, index)}."""
        nodes = list(self.running() if nodes is None else nodes)
        where: dict[str, tuple[int, int]] = {}
        remaining = {(n.name, i) for n in nodes for i in ids}

        def done():
            self.check_alive(nodes)
            for n in nodes:
                for i in ids:
                    if (n.name, i) not in remaining:
                        continue
                    a = n.api.transaction(i)
                    if a.status != 200:
                        continue
                    doc = a.json()
                    if doc["status"] != "committed":
                        continue
                    place = (doc["height"], doc["index"])
                    if where.setdefault(i, place) != place:
                        raise Disagreement(f"transaction {i} is at {place} on {n.name} but at "
                                           f"{where[i]} elsewhere")
                    if doc["outcome"] != "success":
                        raise Disagreement(f"transaction {i} failed on {n.name}: {doc}")
                    remaining.discard((n.name, i))
            return not remaining
        wait_until(done, timeout_s, f"{len(ids)} transactions committed on "
                   f"{', '.join(n.name for n in nodes)} ({len(remaining)} left)", 0.5)
        return where


# ---- the adversarial peer (tests/integration/peer_harness) ------------------------------


@dataclass
class PeerHarnessRun:
    """One finished run of bauhinia-peer-harness."""
    returncode: int
    output: str

    @property
    def result(self) -> str:
        """The word after RESULT on the last RESULT line ('' if none)."""
        lines = [ln for ln in self.output.splitlines() if ln.startswith("RESULT ")]
        return lines[-1].split()[1] if lines else ""

    @property
    def checks(self) -> dict[tuple[str, str], list[str]]:
        """The CHECK lines: (step, node) -> [verdict, detail...]."""
        out = {}
        for line in self.output.splitlines():
            if line.startswith("CHECK "):
                parts = line.split()
                out[(parts[1], parts[2])] = parts[3:]
        return out


def _peer_harness_command(binaries: Binaries, attack: str, home: Path, target: str,
                          source: str | None, variant: str | None,
                          params: dict | None, timeout_ms: int) -> list[str]:
    if binaries.peer_harness is None:
        raise HarnessError("this test needs --peer-harness (bauhinia-peer-harness)")
    cmd = [str(binaries.peer_harness), attack, "--home", str(home), "--target", target,
           "--timeout-ms", str(timeout_ms)]
    if source:
        cmd += ["--source", source]
    if variant:
        cmd += ["--variant", variant]
    for k, v in (params or {}).items():
        cmd += ["--set", f"{k}={v}"]
    return cmd


def start_peer_harness(binaries: Binaries, attack: str, home: Path, target: str,
                       source: str | None = None, variant: str | None = None,
                       params: dict | None = None, timeout_ms: int = 30000,
                       log_path: Path | None = None) -> subprocess.Popen:
    """Starts the harness in the background as `home`'s node (whose own node
    must not run); its output goes to `log_path` (default home/harness.log).
    The process is killed with the others at the end of the test."""
    cmd = _peer_harness_command(binaries, attack, home, target, source, variant, params,
                                timeout_ms)
    log = open(log_path or (home / "harness.log"), "ab")
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                         start_new_session=True, preexec_fn=_child_setup)
    log.close()
    _live_processes.append(p)
    return p


def run_peer_harness(binaries: Binaries, attack: str, home: Path, target: str,
                     source: str | None = None, variant: str | None = None,
                     params: dict | None = None, timeout_ms: int = 30000,
                     wall_timeout_s: float = 180.0) -> PeerHarnessRun:
    """Runs the harness to its end (bounded) and returns its output."""
    cmd = _peer_harness_command(binaries, attack, home, target, source, variant, params,
                                timeout_ms)
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, start_new_session=True,
                         preexec_fn=_child_setup)
    _live_processes.append(p)
    try:
        out, _ = p.communicate(timeout=wall_timeout_s)
    except subprocess.TimeoutExpired:
        p.kill()
        out, _ = p.communicate(timeout=STOP_TIMEOUT_S)
        raise HarnessError(f"bauhinia-peer-harness {attack} did not finish in "
                           f"{wall_timeout_s:.0f} s:\n{out}")
    finally:
        if p in _live_processes:
            _live_processes.remove(p)
    return PeerHarnessRun(p.returncode, out)


def run_peer_plan(run: "TestRun", binaries: Binaries, attack: str, home: Path, target: str,
                  plan: list[tuple[str, str, str]], **kwargs) -> PeerHarnessRun:
    """Runs the harness over plan [(step, node, expected verdict)] (its variant
    "step@node,..."), requires it to finish ("RESULT done") with every step's
    verdict the expected one, and logs each."""
    variant = ",".join(f"{s}@{n}" for s, n, _ in plan)
    got = run_peer_harness(binaries, attack, home, target, variant=variant, **kwargs)
    check(got.returncode == 0 and got.result == "done", f"{attack}: {got.output}")
    seen = got.checks
    for step, node, want in plan:
        verdict = seen.get((step, node), ["missing"])
        check(verdict[0] == want, f"{attack} {step}@{node}: {verdict} (expected {want})\n"
              f"{got.output}")
        run.log(f"{attack} {step}@{node}: {' '.join(verdict)}")
    return got


class TestRun:
    """A context for one test: a temp folder, the consortium, and cleanup
    that always runs. On failure it prints every node's log tail.

        with TestRun("crash") as run:
            c = run.generate(validators=4)
            ...
    Set BAUHINIA_KEEP_TESTNET=1 to keep the folder afterwards.
    """

    def __init__(self, name: str, binaries: Binaries | None = None):
        install_signal_handlers()
        self.name = name
        self.binaries = binaries or Binaries.from_args()
        self.dir = Path(tempfile.mkdtemp(prefix=f"bauhinia-it-{name}-"))
        self.consortia: list[Consortium] = []
        self.extra_nodes: list[Node] = []
        self.started_at = time.monotonic()

    def __enter__(self) -> "TestRun":
        return self

    def generate(self, validators: int, observers: int = 0, **kw) -> Consortium:
        c = Consortium.generate(self.dir / f"net{len(self.consortia)}", self.binaries,
                                validators, observers, **kw)
        self.consortia.append(c)
        return c

    def log(self, message: str) -> None:
        print(f"[{time.monotonic() - self.started_at:6.1f} s] {message}", flush=True)

    def __exit__(self, exc_type, exc, tb):
        failed = exc_type is not None
        if failed:
            print(f"FAILED: {exc}", file=sys.stderr, flush=True)
            for c in self.consortia:
                print(c.log_tails(), file=sys.stderr, flush=True)
            for n in self.extra_nodes:
                print(n.log_tail(), file=sys.stderr, flush=True)
        codes = {}
        for c in self.consortia:
            codes.update(c.stop())
        for n in self.extra_nodes:
            if n.expected_up:
                codes[n.name] = n.stop()
        _kill_everything()
        if os.environ.get("BAUHINIA_KEEP_TESTNET") == "1" or failed:
            print(f"testnet kept in {self.dir}", file=sys.stderr)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)
        if not failed:
            unclean = {k: v for k, v in codes.items() if v not in (0,)}
            if unclean:
                print(f"FAILED: nodes did not stop cleanly (exit codes {unclean})",
                      file=sys.stderr)
                raise SystemExit(1)
            self.log(f"{self.name}: passed")
        return False


def node_metrics(node) -> dict[str, float]:
    """Every sample of the node's /metrics: 'name' or 'name{labels}' -> value."""
    out = {}
    for line in node.api.get("/metrics").body.decode().splitlines():
        m = re.match(r"^([a-z_:]+(?:\{[^}]*\})?)\s+([0-9.eE+-]+)\s*$", line)
        if m:
            out[m.group(1)] = float(m.group(2))
    return out


def check(condition: bool, message: str) -> None:
    if not condition:
        raise HarnessError(message)
