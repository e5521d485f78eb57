"""The demo's explorer (scripts/demo.py): one bauhinia-explorer following all
five nodes of the demo consortium as a light client from genesis.json, with
its index in <data>/explorer and the web pages of the explorer_web target."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

DEFAULT_PORT = 8700
START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 15.0


class DemoExplorer:
    def __init__(self, binary: Path, web_root: Path | None, consortium, port: int):
        self.binary = binary
        self.web_root = web_root
        self.c = consortium
        self.port = port
        self.home = consortium.root / "explorer"
        self.proc: subprocess.Popen | None = None
        self._log = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.home / "explorer.log"

    def start(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        args = [str(self.binary), "--genesis", str(self.c.genesis_path), "--data",
                str(self.home), "--listen", f"127.0.0.1:{self.port}"]
        for n in self.c.nodes:
            args += ["--node", f"http://{n.host}:{n.api_port}"]
        if self.web_root is not None:
            args += ["--web-root", str(self.web_root)]
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(args, stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"bauhinia-explorer exited with {self.proc.returncode}: "
                                   f"{self.log_tail()}")
            try:
                self.get("/api/status")
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"bauhinia-explorer did not answer on {self.url}: {self.log_tail()}")

    def get(self, path: str) -> dict:
        with urllib.request.urlopen(self.url + path, timeout=10) as r:
            return json.loads(r.read())

    def wait_indexed(self, height: int, timeout_s: float) -> dict:
        """Waits until the explorer has verified and indexed `height`; returns its status."""
        deadline = time.monotonic() + timeout_s
        status: dict = {}
        while time.monotonic() < deadline:
            status = self.get("/api/status")
            if status.get("indexed_height", -1) >= height:
                return status
            time.sleep(0.5)
        raise RuntimeError(f"the explorer indexed only up to {status.get('indexed_height')} "
                           f"(wanted {height}): {self.log_tail()}")

    def check(self, height: int, timeout_s: float) -> list[str]:
        """What the demo's check asks of the explorer; returns the problems."""
        problems = []
        status = self.wait_indexed(height, timeout_s)
        for n in status.get("nodes", []):
            if n.get("state") == "refused":
                problems.append(f"the explorer refused {n.get('url')}: {n.get('reason')}")
        # The registers are read after the blocks are indexed (bauhinia-explorer's loop):
        # wait for the search to know the samples, up to the same timeout.
        deadline = time.monotonic() + timeout_s
        for query, kind in (("305918274", "trademark"), ("3298741", "company")):
            while True:
                found = self.get("/api/search?q=" + urllib.parse.quote(query)).get("results", [])
                if any(r.get("module") == kind for r in found):
                    break
                if time.monotonic() > deadline:
                    problems.append(f"the explorer's search for {query} found no {kind}")
                    break
                time.sleep(0.5)
        if self.web_root is not None:
            with urllib.request.urlopen(self.url + "/", timeout=10) as r:
                if r.status != 200 or b"<html" not in r.read(4096).lower():
                    problems.append("the explorer's home page did not load")
        return problems

    def stop(self) -> int | None:
        if self.proc is None or self.proc.poll() is not None:
            return None if self.proc is None else self.proc.returncode
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            return self.proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            return self.proc.wait()
        finally:
            if self._log:
                self._log.close()

    def log_tail(self, lines: int = 10) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""
