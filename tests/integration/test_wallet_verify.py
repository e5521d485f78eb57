#!/usr/bin/env python3
"""`bauhinia-wallet verify`, the light client, against a real 4-validator
consortium: a transaction submitted with bauhinia-testtx, the sender's account
record, its history (from its genesis creation on) and the accumulator's
consistency are each proven from the genesis file alone (exit 0, the certified
height printed). A proof saved with --save verifies offline with --file; the
same file with one byte of a proof changed exits 4 naming the reason; a
tampering HTTP proxy in front of a node is named as serving a forged proof;
an unreachable node exits 5.

Run by ctest with --wallet <bauhinia-wallet> before the harness's arguments."""

import http.server
import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Binaries, TestRun, check, free_port  # noqa: E402

WALLET_TIMEOUT_S = 120


def split_args(argv):
    """--wallet PATH for this test; the rest for the harness."""
    if "--wallet" not in argv:
        raise SystemExit("give --wallet <bauhinia-wallet>")
    i = argv.index("--wallet")
    return Path(argv[i + 1]).resolve(), argv[:i] + argv[i + 2:]


class Wallet:
    def __init__(self, path: Path, genesis: Path, workdir: Path):
        self.path, self.genesis, self.workdir = path, genesis, workdir

    def verify(self, node_url: str, *args: str):
        cmd = [str(self.path), "--node", node_url, "verify", "--genesis", str(self.genesis), *args]
        # No wallet config file of the user's: an empty config folder.
        env = dict(os.environ, XDG_CONFIG_HOME=str(self.workdir / "config"))
        env.pop("BAUHINIA_WALLET_CONFIG", None)
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=WALLET_TIMEOUT_S, env=env)
        return out.returncode, out.stdout, out.stderr


def flip_last_hex(text: str) -> str:
    return text[:-1] + ("1" if text[-1] == "0" else "0")


class TamperingProxy:
    """Forwards GETs to a node and changes the last byte of every state
    proof (proof_hex of /v1/state/ answers) on the way back."""

    def __init__(self, upstream: str):
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                try:
                    with urllib.request.urlopen(upstream + self.path, timeout=10) as r:
                        status, body = r.status, r.read(16 << 20)
                except urllib.error.HTTPError as e:
                    status, body = e.code, e.read(16 << 20)
                if status == 200 and self.path.startswith("/v1/state/"):
                    doc = json.loads(body)
                    if isinstance(doc.get("proof_hex"), str):
                        doc["proof_hex"] = flip_last_hex(doc["proof_hex"])
                        proxy.tampered += 1
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
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


def main() -> None:
    wallet_path, rest = split_args(sys.argv[1:])
    with TestRun("wallet_verify", Binaries.from_args(rest)) as run:
        c = run.generate(validators=4)
        c.start()
        c.wait_height(2, timeout_s=60)
        node = c.nodes[0]
        url = node.api.base
        wallet = Wallet(wallet_path, c.genesis_path, run.dir)

        key = c.admin_key("IPD")
        account_id = c.account_of(key)["account_id"]
        seq = c.next_sequence(node, account_id)
        txs = c.pings(key, seq, 2, "verified by the light client")
        ids = c.submit_all(txs)
        where = c.wait_committed(ids, timeout_s=60)
        tx_id = ids[0]
        height = where[tx_id][0]
        run.log(f"transaction {tx_id} committed in block {height}")
        c.wait_height(height + 1, timeout_s=60)
        record_key = node.api.get_json(f"/v1/query/accounts/account/{account_id}")["record_key_hex"]

        # Online, each kind of verification.
        rc, out, err = wallet.verify(url, "transaction", tx_id)
        check(rc == 0, f"verify transaction exited {rc}: {out} {err}")
        check(f"was committed in block {height}" in out and "certified at height" in out,
              f"verify transaction said: {out}")
        run.log(out.splitlines()[0])
        rc, out, err = wallet.verify(url, "transaction", tx_id, "--height", str(height))
        check(rc == 0 and f"certified at height {height} " in out, f"at height {height}: {out} {err}")

        rc, out, err = wallet.verify(url, "record", "accounts", record_key)
        check(rc == 0 and "Proven: record accounts/" in out and "certified at height" in out,
              f"verify record exited {rc}: {out} {err}")
        rc, out, err = wallet.verify(url, "record", "accounts", record_key, "--height", "0")
        check(rc == 0 and "genesis block" in out, f"verify record at genesis: {rc} {out} {err}")

        rc, out, err = wallet.verify(url, "history", "accounts", record_key)
        check(rc == 0 and "changed at heights 0, " in out, f"verify history exited {rc}: {out} {err}")
        run.log(out.splitlines()[0])

        rc, out, err = wallet.verify(url, "history", "accounts", record_key, "--every-height")
        check(rc == 0 and "proven: the record's value at each of them" in out,
              f"verify history --every-height exited {rc}: {out} {err}")
        # Any node: the same proof from another validator.
        rc, out, err = wallet.verify(c.nodes[2].api.base, "transaction", tx_id)
        check(rc == 0 and f"was committed in block {height}" in out, f"from node 2: {rc} {out} {err}")
        rc, out, err = wallet.verify(url, "transaction", tx_id, "--height", str(height - 1))
        check(rc == 4 and "not_committed" in err, f"before its block: {rc} {out} {err}")

        rc, out, err = wallet.verify(url, "consistency", "1", str(height))
        check(rc == 0 and "extends the one certified at height 1" in out,
              f"verify consistency exited {rc}: {out} {err}")

        rc, out, err = wallet.verify(url, "--json", "record", "accounts", record_key)
        doc = json.loads(out)
        check(rc == 0 and doc["proven"] and doc["certified_height"] >= height, f"--json: {out} {err}")

        # Saved, then verified offline (the node address is unused: a closed port).
        saved = run.dir / "history-proof.json"
        rc, out, err = wallet.verify(url, "--save", str(saved), "history", "accounts", record_key)
        check(rc == 0 and saved.exists(), f"verify --save exited {rc}: {err}")
        offline = "http://127.0.0.1:1"
        rc, out, err = wallet.verify(offline, "--file", str(saved))
        check(rc == 0 and "Proven: record accounts/" in out, f"offline verify exited {rc}: {out} {err}")

        # One byte of one saved state proof changed.
        doc = json.loads(saved.read_text())
        for answer in doc["answers"]:
            if answer["target"].startswith("/v1/state/") and "/history" not in answer["target"]:
                body = json.loads(answer["body"])
                body["proof_hex"] = flip_last_hex(body["proof_hex"])
                answer["body"] = json.dumps(body)
                break
        tampered = run.dir / "tampered-proof.json"
        tampered.write_text(json.dumps(doc))
        rc, out, err = wallet.verify(offline, "--file", str(tampered))
        check(rc == 4, f"tampered file exited {rc}: {out} {err}")
        check(f"node {url} (answers saved in {tampered}) served a forged proof: the state proof"
              in err, f"tampered file: {err}")
        run.log(err.splitlines()[0])

        # A tampering proxy in front of a node is named.
        with TamperingProxy(url) as proxy:
            proxy_url = f"http://127.0.0.1:{proxy.port}"
            rc, out, err = wallet.verify(proxy_url, "record", "accounts", record_key)
            check(rc == 4 and f"node {proxy_url} served a forged proof" in err,
                  f"through the proxy: exit {rc}: {out} {err}")
            check(proxy.tampered > 0, "the proxy changed nothing")
            run.log(err.splitlines()[0])

        # No node at all; bad input.
        rc, out, err = wallet.verify(offline, "record", "accounts", record_key)
        check(rc == 5, f"unreachable node exited {rc}: {out} {err}")
        rc, out, err = wallet.verify(url, "transaction", "not-an-id")
        check(rc == 2, f"bad id exited {rc}: {out} {err}")


if __name__ == "__main__":
    main()
