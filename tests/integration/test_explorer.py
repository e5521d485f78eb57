#!/usr/bin/env python3
"""bauhinia-explorer against a real 4-validator consortium (issue 13, item 1).

The explorer follows two nodes: a tampering HTTP proxy in front of node 1 that
changes one byte of every accumulator leaf it passes on, and node 0 itself.
It must refuse the proxy and name it (in its log and in /api/status), carry
on with node 0, and index every block: transactions submitted with
bauhinia-testtx are then found by /api/tx, /api/blocks, /api/search and
/api/accounts, and their proofs are served verified (/api/proof/tx). Stopped
and restarted it resumes from its index (the log says the height it resumed
at, and new blocks are indexed); with its index damaged it rebuilds it from
the node. Its static files refuse a path out of the web root.

Run by ctest with --explorer <bauhinia-explorer> before the harness's arguments."""

import http.client
import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Binaries, TestRun, check, free_port, wait_until  # noqa: E402


def split_args(argv):
    """--explorer PATH for this test; the rest for the harness."""
    if "--explorer" not in argv:
        raise SystemExit("give --explorer <bauhinia-explorer>")
    i = argv.index("--explorer")
    return Path(argv[i + 1]).resolve(), argv[:i] + argv[i + 2:]


def flip_last_hex(text: str) -> str:
    return text[:-1] + ("1" if text[-1] == "0" else "0")


def flip_leaves(doc) -> int:
    """Changes the last byte of each accumulator leaf of a /v1/accumulator/leaves answer."""
    for leaf in doc.get("leaves", []):
        leaf["leaf_hex"] = flip_last_hex(leaf["leaf_hex"])
    return len(doc.get("leaves", []))


class TamperingProxy:
    """Forwards GETs to a node; `edit` changes the JSON answers to targets
    starting with `prefix` on the way back (by default: each accumulator leaf)
    and returns how many things it changed."""

    def __init__(self, upstream: str, prefix: str = "/v1/accumulator/leaves", edit=flip_leaves):
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                try:
                    with urllib.request.urlopen(upstream + self.path, timeout=10) as r:
                        status, body = r.status, r.read(16 << 20)
                except urllib.error.HTTPError as e:
                    status, body = e.code, e.read(16 << 20)
                if status == 200 and self.path.startswith(prefix):
                    doc = json.loads(body)
                    proxy.tampered += edit(doc)
                    body = json.dumps(doc).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_):
                pass

        self.tampered = 0
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


class Explorer:
    """One bauhinia-explorer process (stdout and stderr in files)."""

    def __init__(self, path: Path, genesis: Path, data: Path, web_root: Path, nodes: list[str]):
        self.path, self.genesis, self.data, self.web_root = path, genesis, data, web_root
        self.nodes = nodes
        self.port = free_port()
        self.proc = None
        self.runs = 0

    def start(self) -> None:
        self.runs += 1
        self.log_path = self.data.parent / f"explorer-{self.runs}.log"
        cmd = [str(self.path), "--genesis", str(self.genesis), "--data", str(self.data),
               "--listen", f"127.0.0.1:{self.port}", "--web-root", str(self.web_root),
               "--poll-ms", "200"]
        for n in self.nodes:
            cmd += ["--node", n]
        self.log_file = open(self.log_path, "w")
        self.proc = subprocess.Popen(cmd, stdout=self.log_file, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        wait_until(lambda: self.answers(), 30, "the explorer to listen")

    def answers(self) -> bool:
        check(self.proc.poll() is None, f"the explorer exited: {self.log()}")
        try:
            return self.get("/api/status")[0] == 200
        except OSError:
            return False

    def stop(self) -> int:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.log_file.close()
        return self.proc.returncode

    def log(self) -> str:
        if not self.log_file.closed:
            self.log_file.flush()
        return self.log_path.read_text(errors="replace")[-4000:]

    def get(self, path: str):
        """(status, body bytes) for the raw request target `path`."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", path)
            r = conn.getresponse()
            return r.status, r.read(16 << 20)
        finally:
            conn.close()

    def get_json(self, path: str):
        status, body = self.get(path)
        check(status == 200, f"GET {path}: {status} {body[:300]!r}")
        return json.loads(body)

    def status(self) -> dict:
        return self.get_json("/api/status")

    def wait_indexed(self, height: int, timeout_s: float = 60) -> dict:
        wait_until(lambda: (self.status()["indexed_height"] or 0) >= height, timeout_s,
                   f"the explorer to index height {height}")
        return self.status()


def submit_pings(c, node, key, count: int, memo: str):
    account_id = c.account_of(key)["account_id"]
    seq = c.next_sequence(node, account_id)
    ids = c.submit_all(c.pings(key, seq, count, memo))
    where = c.wait_committed(ids, timeout_s=60)
    return account_id, ids, where


def main() -> None:
    explorer_path, rest = split_args(sys.argv[1:])
    with TestRun("explorer", Binaries.from_args(rest)) as run:
        c = run.generate(validators=4)
        c.start()
        c.wait_height(2, timeout_s=60)
        honest = c.nodes[0]
        key = c.admin_key("IPD")
        account_id, ids, where = submit_pings(c, honest, key, 2, "seen by the explorer")
        tx_id = ids[0]
        height = where[tx_id][0]
        run.log(f"transaction {tx_id} committed in block {height}")

        web_root = run.dir / "web"
        web_root.mkdir()
        (web_root / "index.html").write_text("<!doctype html><title>Bauhinia explorer</title>")
        (run.dir / "secret.txt").write_text("outside the web root")

        with TamperingProxy(c.nodes[1].api.base) as proxy:
            ex = Explorer(explorer_path, c.genesis_path, run.dir / "explorer-data", web_root,
                          [proxy.url, honest.api.base])
            try:
                ex.start()
                status = ex.wait_indexed(height)
                run.log(f"indexed up to {status['indexed_height']}, certified "
                        f"{status['certified']['height']}")
                # The tampering proxy: refused and named; the honest node followed.
                nodes = {n["url"]: n for n in status["nodes"]}
                check(nodes[proxy.url]["state"] == "refused",
                      f"the proxy was not refused: {nodes}")
                check("forged" in nodes[proxy.url]["reason"]
                      and "accumulator" in nodes[proxy.url]["reason"],
                      f"the reason: {nodes[proxy.url]['reason']}")
                check(nodes[honest.api.base]["state"] == "following", f"honest node: {nodes}")
                check(proxy.tampered > 0, "the proxy changed nothing")
                check(f"refused node {proxy.url}" in ex.log(), f"not in the log: {ex.log()}")
                run.log(f"refused: {nodes[proxy.url]['reason'][:120]}")
                check(status["chain_id"] == c.chain_id(), f"chain: {status['chain_id']}")
                check(status["certified"]["commit_certificate_hex"], "no certificate in status")
                check(len(status["validator_set"]["validators"]) == 4, "validator set")

                # The index answers.
                tx = ex.get_json(f"/api/tx/{tx_id}")
                check(tx["height"] == height and tx["module"] == "accounts"
                      and tx["call"] == "ping" and tx["sender"] == account_id, f"tx: {tx}")
                block = ex.get_json(f"/api/blocks/{height}")
                check(tx_id in [t["id"] for t in block["transactions"]], f"block: {block}")
                check(block["block_id"] == honest.api.block(height)["block_id"], "block id")
                blocks = ex.get_json("/api/blocks?limit=3")
                check(len(blocks["blocks"]) == 3, f"blocks: {blocks}")
                found = ex.get_json(f"/api/search?q={tx_id}")["results"]
                check({"kind": "transaction", "id": tx_id} in found, f"search by id: {found}")
                found = ex.get_json(f"/api/search?q={height}")["results"]
                check({"kind": "block", "height": height} in found, f"search by height: {found}")
                account = ex.get_json(f"/api/accounts/{account_id}")
                check(set(ids) <= {t["id"] for t in account["transactions"]}, f"account: {account}")

                # A proof, verified by the explorer and passed through.
                proof = ex.get_json(f"/api/proof/tx/{tx_id}")
                check(proof["explorer"]["verified"] and proof["explorer"]["node"] == honest.api.base,
                      f"proof: {proof.get('explorer')}")
                check(proof["transaction_hex"] and proof["proof_hex"], "proof fields")

                # Static files: the page, and no way out of the root.
                status_code, body = ex.get("/")
                check(status_code == 200 and b"Bauhinia explorer" in body, f"/: {status_code}")
                for bad in ("/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt"):
                    status_code, body = ex.get(bad)
                    check(status_code == 404 and b"outside" not in body, f"{bad}: {status_code}")

                # Restart: resumes from its index.
                before = ex.status()["indexed_height"]
                code = ex.stop()
                check(code == 0, f"explorer exit {code}: {ex.log()}")
                ex.nodes = [honest.api.base]
                ex.start()
                check(f"index at height " in ex.log(), f"no resume line: {ex.log()}")
                resumed = ex.status()
                check(resumed["indexed_height"] >= before and not resumed["index"]["rebuilt"],
                      f"after restart: {resumed}")
                _, more, where2 = submit_pings(c, honest, key, 1, "after the restart")
                ex.wait_indexed(where2[more[0]][0])
                check(ex.get(f"/api/tx/{more[0]}")[0] == 200, "new transaction not indexed")
                run.log(f"resumed at {before}, now {ex.status()['indexed_height']}")

                # A damaged index is rebuilt from the node.
                code = ex.stop()
                check(code == 0, f"explorer exit {code}: {ex.log()}")
                (run.dir / "explorer-data" / "index" / "CURRENT").write_text("MANIFEST-999999\n")
                ex.start()
                rebuilt = ex.status()
                check(rebuilt["index"]["rebuilt"], f"not rebuilt: {rebuilt}")
                check("index rebuilt" in ex.log(), f"log: {ex.log()}")
                ex.wait_indexed(where2[more[0]][0])
                check(ex.get(f"/api/tx/{tx_id}")[0] == 200, "old transaction not re-indexed")
                run.log(f"rebuilt: {rebuilt['index']['rebuilt'][:100]}")
            except BaseException:
                print(ex.log(), file=sys.stderr)
                raise
            finally:
                ex.stop()


if __name__ == "__main__":
    main()
