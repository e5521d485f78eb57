#!/usr/bin/env python3
"""The genesis ceremony of a real multi-department consortium, as four
operators and a coordinator would run it (docs/operator-guide.md, "Forming a
consortium"):

1. each department runs `bauhinia-node keygen` in its own home: secret keys stay
   there (mode 0600), the public descriptor is printed and written;
2. the coordinator runs `bauhinia-node genesis` over the four descriptors; bad
   descriptors (a bad address, the same node twice, a stranger's key listed
   twice) are refused with the file named and no genesis written; a second
   coordinator with the descriptors in another order gets the same bytes;
3. each department runs `bauhinia-node init --peer-descriptors` with the
   genesis and the descriptors, then starts its node;
4. the four processes commit blocks with transactions signed by each
   department's admin key from keygen, report the genesis_id the ceremony
   printed, and agree on every block."""

import hashlib
import json
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Consortium, TestRun, check, free_port_range, wait_until  # noqa: E402

DEPARTMENTS = ["IPD", "CR", "DH", "EPD"]
PINGS_PER_ADMIN = 6


def run_node(run: TestRun, *args: str, expect_ok: bool = True) -> subprocess.CompletedProcess:
    out = subprocess.run([str(run.binaries.node), *args], capture_output=True, text=True,
                         timeout=60)
    if expect_ok:
        check(out.returncode == 0, f"bauhinia-node {' '.join(args)} failed: {out.stderr}")
    else:
        check(out.returncode != 0, f"bauhinia-node {' '.join(args)} should have failed:\n"
              f"{out.stdout}")
    return out


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def main() -> None:
    with TestRun("genesis_ceremony") as run:
        root = run.dir / "consortium"
        root.mkdir()
        inbox = run.dir / "coordinator"  # the descriptors as the coordinator receives them
        inbox.mkdir()
        p2p = free_port_range(len(DEPARTMENTS))
        api = free_port_range(len(DEPARTMENTS))
        if abs(p2p - api) < len(DEPARTMENTS):
            api = free_port_range(len(DEPARTMENTS))

        # 1. keygen, one department at a time, each in its own home.
        descriptors = {}
        for i, code in enumerate(DEPARTMENTS):
            home = root / code.lower()
            out = run_node(run, "keygen", "--home", str(home), "--department", code,
                           "--p2p", f"127.0.0.1:{p2p + i}", "--api", f"127.0.0.1:{api + i}")
            printed = json.loads(out.stdout)
            written = json.loads((home / "descriptor.json").read_text())
            check(printed == written, f"{code}: printed and written descriptors differ")
            check(written["department_code"] == code and written["role"] == "validator"
                  and written["voting_power"] == 1 and written["admin_key"],
                  f"{code}: unexpected descriptor {written}")
            for secret in (home / "node_key", home / f"{code}-admin.key"):
                check(mode(secret) == 0o600, f"{secret} has mode {oct(mode(secret))}")
                value = secret.read_text().strip()
                check(value not in out.stdout and value not in out.stderr
                      and value not in (home / "descriptor.json").read_text(),
                      f"{code}: the secret of {secret.name} was printed or published")
            shutil.copy(home / "descriptor.json", inbox / f"{code.lower()}.json")
            descriptors[code] = written
        run.log("keygen done for " + ", ".join(DEPARTMENTS))

        # keygen never overwrites a key.
        key_before = (root / "ipd" / "node_key").read_text()
        again = run_node(run, "keygen", "--home", str(root / "ipd"), "--department", "IPD",
                         expect_ok=False)
        check("exists" in again.stderr, f"unclear refusal: {again.stderr}")
        check((root / "ipd" / "node_key").read_text() == key_before, "keygen overwrote a key")

        # 2. The coordinator. Bad ceremonies first: nothing may be written.
        ordered = [inbox / f"{c.lower()}.json" for c in DEPARTMENTS]
        rejected = run.dir / "rejected"
        rejected.mkdir()
        bad = rejected / "cr-bad-address.json"
        doc = dict(descriptors["CR"])
        doc["p2p"] = "cr.gov.hk:26600"
        bad.write_text(json.dumps(doc))
        twin = rejected / "ipd-copy.json"
        shutil.copy(inbox / "ipd.json", twin)
        cases = [
            ([ordered[0], bad, ordered[2], ordered[3]], [str(bad), "p2p", "not an IP address"]),
            (ordered + [twin], [str(twin), "repeats", str(ordered[0])]),
        ]
        for files, fragments in cases:
            out_file = rejected / "genesis.json"
            r = run_node(run, "genesis", "--chain-id", "bauhinia-ceremony-1", "--out",
                         str(out_file), *map(str, files), expect_ok=False)
            for f in fragments:
                check(f in r.stderr, f"'{f}' missing from the error: {r.stderr}")
            check(not out_file.exists(), f"a rejected ceremony wrote {out_file}")
        run.log("bad descriptors refused with the file named; no genesis written")

        genesis = root / "genesis.json"
        out = run_node(run, "genesis", "--chain-id", "bauhinia-ceremony-1", "--out",
                       str(genesis), *map(str, ordered))
        m_id = re.search(r"^genesis_id ([0-9a-f]{64})$", out.stdout, re.M)
        m_sha = re.search(r"^sha256 ([0-9a-f]{64})$", out.stdout, re.M)
        check(m_id is not None and m_sha is not None, f"no genesis_id/sha256 in: {out.stdout}")
        genesis_id, sha = m_id.group(1), m_sha.group(1)
        check(hashlib.sha256(genesis.read_bytes()).hexdigest() == sha,
              "the printed sha256 is not the file's")
        g = json.loads(genesis.read_text())
        check(g["chain_id"] == "bauhinia-ceremony-1", f"chain id {g['chain_id']}")
        check(sorted(v["key"] for v in g["validators"])
              == sorted(d["node_key"] for d in descriptors.values()), "validator keys differ")
        check({d["code"]: d["admin_key"] for d in g["departments"]}
              == {c: d["admin_key"] for c, d in descriptors.items()}, "admin keys differ")
        for code in DEPARTMENTS:
            check(descriptors[code]["node_key"] in out.stdout, f"{code} not in the summary")
        run.log(f"genesis {genesis_id[:16]}... sha256 {sha[:16]}...")

        # Refuses to overwrite; a second coordinator (other order, same time) agrees.
        run_node(run, "genesis", "--chain-id", "bauhinia-ceremony-1", "--out", str(genesis),
                 *map(str, ordered), expect_ok=False)
        check(hashlib.sha256(genesis.read_bytes()).hexdigest() == sha, "genesis.json changed")
        second = run.dir / "second-coordinator-genesis.json"
        out2 = run_node(run, "genesis", "--chain-id", "bauhinia-ceremony-1", "--out",
                        str(second), "--timestamp-ms", str(g["timestamp_ms"]),
                        *map(str, reversed(ordered)))
        check(second.read_bytes() == genesis.read_bytes(),
              "another descriptor order gave another genesis.json")
        check(f"genesis_id {genesis_id}" in out2.stdout, "another order gave another genesis_id")

        # init refuses a descriptor the genesis does not know (a stranger's, or one made
        # after the ceremony) and a role the genesis contradicts, writing no config.
        stranger_home = run.dir / "stranger"
        run_node(run, "keygen", "--home", str(stranger_home), "--department", "OGCIO",
                 "--p2p", "127.0.0.1:1")
        ipd_home = root / "ipd"
        r = run_node(run, "init", "--home", str(ipd_home), "--genesis", str(genesis),
                     "--peer-descriptors", *map(str, ordered),
                     str(stranger_home / "descriptor.json"), expect_ok=False)
        check("not in the genesis validator set" in r.stderr and "stranger" in r.stderr,
              f"unclear refusal of a stranger's descriptor: {r.stderr}")
        r = run_node(run, "init", "--home", str(ipd_home), "--genesis", str(genesis),
                     "--role", "observer", expect_ok=False)
        check("is a validator" in r.stderr, f"unclear refusal of a wrong role: {r.stderr}")
        check(not (ipd_home / "config.toml").exists(), "a refused init wrote config.toml")

        # 3. Each department: init with the genesis and every descriptor (its own included).
        for code in DEPARTMENTS:
            home = root / code.lower()
            r = run_node(run, "init", "--home", str(home), "--genesis", str(genesis),
                         "--peer-descriptors", *map(str, ordered))
            check("with 3 peers" in r.stdout, f"{code}: {r.stdout}")
            config = (home / "config.toml").read_text()
            for other in DEPARTMENTS:
                key = descriptors[other]["node_key"]
                check((key in config) == (other != code),
                      f"{code}: peer list wrong about {other}:\n{config}")
        run.log("init done: each node lists the other three")

        # 4. Start the four processes.
        c = Consortium.open(root, run.binaries)
        run.consortia.append(c)
        check(sorted(n.name for n in c.nodes) == sorted(DEPARTMENTS), f"nodes {c.nodes}")
        check(all(n.validator for n in c.nodes), "every node is a validator")
        c.start()
        c.wait_height(2, timeout_s=60)
        for n in c.nodes:
            s = n.api.status()
            check(s["genesis_id"] == genesis_id,
                  f"{n.name} reports genesis_id {s['genesis_id']}, the ceremony printed "
                  f"{genesis_id}")
            check(s["chain_id"] == "bauhinia-ceremony-1", f"{n.name}: chain {s['chain_id']}")
        run.log(f"all four report genesis_id {genesis_id[:16]}...; heights {c.heights()}")

        # Each department's admin (keys from keygen) signs transactions.
        txs = []
        for code in DEPARTMENTS:
            key = root / code.lower() / f"{code}-admin.key"
            acct = c.account_of(key)
            seq = c.next_sequence(c.nodes[0], acct["account_id"])
            check(seq == 0, f"{code}'s admin account starts at sequence {seq}")
            txs += c.pings(key, seq, PINGS_PER_ADMIN, f"{code} ceremony ping")
        ids = c.submit_all(txs, c.nodes)
        where = c.wait_committed(ids, timeout_s=90)
        top = max(h for h, _ in where.values())
        c.wait_height(top + 1, timeout_s=60)
        last = c.check_same_blocks()
        # Committing needs only a quorum of connections: wait for the full mesh.
        def full_mesh():
            counts = {n.name: n.api.status()["peer_count"] for n in c.nodes}
            return counts if all(p == 3 for p in counts.values()) else None
        wait_until(full_mesh, 30, "every node to see 3 peers")
        run.log(f"{len(ids)} transactions committed; blocks 0..{last} identical on all four")
        c.check_alive()


if __name__ == "__main__":
    main()
