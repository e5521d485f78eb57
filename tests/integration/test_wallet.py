#!/usr/bin/env python3
"""bauhinia-wallet against a live four-validator cluster (docs/wallet.md).

Keys: the IPD admin key from `bauhinia-node testnet` imported, new keys created, a
keystore with open permissions refused. Calls: a role granted with --dry-run first
(nothing submitted) then for real; a ping with --no-wait; a trade mark migrated by
the registrar. Multi-party: the mark's assignment prepared by the registrar, co-signed
by the owner from ANOTHER keystore with no network, signed by the registrar last and
submitted; a tampered, an expired and a wrong-chain file refused with the reason.
Queries: status, block, validators, account, record, history, tx show. Exit codes:
2 bad input, 3 refused by the ledger, 5 no node. Key rotation committed and used.

Run by ctest with --wallet <bauhinia-wallet> besides the harness's --node/--testtx."""

import datetime
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Binaries, TestRun, check, free_port, wait_until  # noqa: E402

MARK = "300347715"
PASSPHRASE = "integration passphrase"
DEED = "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12"


def split_argv() -> tuple[Path, list[str]]:
    argv = sys.argv[1:]
    wallet = os.environ.get("BAUHINIA_WALLET_BIN")
    if "--wallet" in argv:
        i = argv.index("--wallet")
        wallet = argv[i + 1]
        del argv[i:i + 2]
    if not wallet:
        raise SystemExit("give --wallet PATH (or BAUHINIA_WALLET_BIN)")
    return Path(wallet).resolve(), argv


class Wallet:
    """Runs bauhinia-wallet with one keystore folder and a private HOME."""

    def __init__(self, binary: Path, home: Path, keystore: Path, node_url: str | None):
        self.binary, self.home, self.keystore, self.node_url = binary, home, keystore, node_url

    def run(self, *args: str, expect: int = 0, passphrase: str = PASSPHRASE,
            node: bool = True) -> subprocess.CompletedProcess:
        cmd = [str(self.binary), "--keystore", str(self.keystore)]
        if node and self.node_url:
            cmd += ["--node", self.node_url]
        cmd += list(args)
        env = {"PATH": os.environ.get("PATH", ""), "HOME": str(self.home),
               "BAUHINIA_WALLET_PASSPHRASE": passphrase}
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env,
                             stdin=subprocess.DEVNULL)
        check(out.returncode == expect,
              f"exit {out.returncode}, expected {expect}: {' '.join(args)}\n"
              f"stdout: {out.stdout[-2000:]}\nstderr: {out.stderr[-2000:]}")
        return out

    def json(self, *args: str, **kw):
        return json.loads(self.run("--json", *args, **kw).stdout)


def main() -> None:
    wallet_bin, rest = split_argv()
    with TestRun("wallet", Binaries.from_args(rest)) as run:
        c = run.generate(validators=4)
        c.start()
        c.wait_height(2, timeout_s=60)
        api = c.validators[0].api
        url = f"http://{api.host}:{api.port}"
        officer = Wallet(wallet_bin, run.dir, run.dir / "ipd-keys", url)
        owner = Wallet(wallet_bin, run.dir, run.dir / "owner-keys", url)
        offline_owner = Wallet(wallet_bin, run.dir, run.dir / "owner-keys", None)

        # ---- keys
        officer.run("key", "import", "ipd-admin", "--from", str(c.admin_key("IPD")),
                    "--kdf", "interactive")
        registrar = officer.json("key", "new", "registrar", "--kdf", "interactive")
        mark_owner = owner.json("key", "new", "owner", "--kdf", "interactive")
        admin = officer.json("key", "export", "ipd-admin")
        names = [k["name"] for k in officer.json("key", "list")]
        check(names == ["ipd-admin", "registrar"], f"the officer's keystore: {names}")
        check(owner.json("key", "list")[0]["address"] == mark_owner["address"], "owner's keystore")
        err = officer.run("key", "new", "registrar", expect=2).stderr
        check("exists already" in err, f"an existing name is refused: {err}")
        key_file = officer.keystore / "registrar.json"
        before = key_file.read_bytes()
        key_file.chmod(0o644)
        err = officer.run("key", "list", expect=2).stderr
        check("chmod 600" in err, f"open permissions are refused: {err}")
        key_file.chmod(0o600)
        check(key_file.read_bytes() == before, "the refused file is unchanged")
        run.log("keys: imported, created, listed; existing name and open permissions refused")

        # ---- queries
        status = officer.json("status")
        check(status["chain_id"] == c.chain_id(), f"status: {status}")
        check("chain" in officer.run("status").stdout, "a table for people")
        block = officer.json("block", "latest")
        check(block["header"]["height"] >= 2, f"block latest: {block['header']}")
        check(officer.json("block", "1")["header"]["height"] == 1, "block 1")
        vals = officer.json("validators", "--epoch", "0")
        check(len(vals["validator_set"]["validators"]) == 4, f"validators: {vals}")

        def next_sequence(address: str) -> int:
            acc = officer.json("account", address)
            if acc["value_hex"] is None:
                return 0
            return int.from_bytes(bytes.fromhex(acc["value_hex"])[33:41], "little")

        # ---- a call: --dry-run submits nothing, then for real
        grant = ["system", "grant-role", "--account", registrar["address"], "--role",
                 "trademark.registrar", "--key", "ipd-admin"]
        out = officer.run(*grant, "--dry-run").stdout
        check("Would sign" in out and "grant role trademark.registrar" in out and
              "would commit it with outcome success" in out, f"dry-run output: {out}")
        dry = officer.json(*grant, "--dry-run")
        check(dry["dry_run"]["would_commit"] is True, f"dry-run verdict: {dry}")
        c.wait_growth(2, timeout_s=30)
        check(next_sequence(admin["address"]) == 0, "--dry-run submitted nothing")
        check(api.transaction(dry["transaction_id"]).status == 404, "the node never saw it")
        done = officer.json(*grant)
        check(done["status"] == "committed" and done["outcome"] == "success", f"grant: {done}")
        check(next_sequence(admin["address"]) == 1, "the admin's sequence moved")
        tx = officer.json("tx", "show", done["id"])
        check(tx["height"] == done["height"], f"tx show: {tx}")
        run.log(f"role granted at height {done['height']} (after a dry-run that submitted nothing)")

        # ---- --no-wait
        ping = owner.json("accounts", "ping", "--memo", "hello", "--key", "owner", "--no-wait")
        check(ping["status"] in ("pending", "committed"), f"--no-wait: {ping}")
        wait_until(lambda: owner.json("tx", "show", ping["id"])["status"] == "committed", 30,
                   "the --no-wait ping commits")

        # ---- the registrar migrates a mark owned by the owner's account
        migrated = officer.json(
            "trademark", "register-existing", "--mark", MARK, "--text-en", "HARBOUR LANTERN",
            "--owner", mark_owner["address"], "--owner-name-en", "Chan Tai Man", "--goods",
            "29=preserved fruits;dried meat|30=tea;mooncakes", "--filing-date", "2015-03-02",
            "--status", "registered", "--entered-date", "2015-09-10", "--renewals", "1",
            "--expiry-date", "2035-03-02", "--extract-hash", DEED, "--key", "registrar")
        check(migrated["outcome"] == "success", f"register-existing: {migrated}")
        shown = officer.json("trademark", "show", MARK)
        check(shown["value_hex"] is not None, f"trademark show: {shown}")
        record_key = shown["record_key_hex"]

        # ---- multi-party: prepare, co-sign elsewhere offline, sign last, submit
        deed = run.dir / "deed.pdf"
        deed.write_bytes(b"deed of assignment of 300347715, class 29")
        assign = ["trademark", "assign", "--mark", MARK, "--from", mark_owner["address"],
                  "--to", registrar["address"], "--to-name-en", "Lee Siu Ming", "--classes", "29",
                  "--date", "2026-03-02", "--deed-file", str(deed), "--key", "registrar"]
        err = officer.run(*assign, expect=2).stderr
        check("must be co-signed" in err and "tx prepare" in err, f"co-signed directly: {err}")
        file = run.dir / "assign.json"
        officer.run("tx", "prepare", *assign, "--out", str(file))
        officer.run("tx", "prepare", *assign, "--out", str(file), expect=2)  # never overwritten
        stored = json.loads(file.read_text())["args"]
        check("deed-file" not in stored and stored.get("deed-hash") ==
              hashlib.sha256(deed.read_bytes()).hexdigest(), f"the file stores the hash: {stored}")
        deed.unlink()  # the other parties never need the document itself
        shown = offline_owner.run("tx", "inspect", str(file), node=False).stdout
        check("NOT YET" in shown and "assign trade mark " + MARK in shown, f"inspect: {shown}")
        err = officer.run("tx", "sign", str(file), "--key", "registrar", expect=2).stderr
        check("sender signs last" in err, f"the sender cannot sign first: {err}")
        offline_owner.run("tx", "sign", str(file), "--key", "owner", node=False)
        err = offline_owner.run("tx", "sign", str(file), "--key", "owner", node=False,
                                expect=2).stderr
        check("signed already" in err, f"signing twice: {err}")
        err = officer.run("tx", "sign", str(file), "--key", "ipd-admin", expect=2).stderr
        check("neither the sender nor a required co-signer" in err, f"signer not required: {err}")

        tampered = run.dir / "tampered.json"
        doc = json.loads(file.read_text())
        doc["args"]["to-name-en"] = "Someone Else"
        tampered.write_text(json.dumps(doc))
        err = owner.run("tx", "inspect", str(tampered), expect=2).stderr
        check("tampered" in err, f"a tampered file: {err}")

        officer.run("tx", "sign", str(file), "--key", "registrar")
        info = officer.json("tx", "inspect", str(file), node=False)
        check(info["check"] == "ok" and info["missing_cosigners"] == [], f"complete: {info}")
        done = owner.json("tx", "submit", str(file))
        check(done["outcome"] == "success", f"the assignment committed: {done}")
        again = owner.json("tx", "submit", str(file))
        check(again["id"] == done["id"] and again["status"] == "committed", "resubmission: same")
        history = officer.json("history", "trademark", record_key)
        check(len(history["versions"]) >= 2, f"the mark's history shows the assignment: {history}")
        by_path = officer.json("history", "trademark", "mark", MARK)
        check(by_path["versions"] == history["versions"], "history by the record's query path")
        listed = owner.json("account", mark_owner["address"], "--transactions")
        ids = [t["transaction_id"] for t in listed["transactions"]["transactions"]]
        check(done["id"] in ids and ping["id"] in ids,
              f"the owner's transactions: its ping and the assignment it co-signed: {ids}")
        check("accounts.ping" in owner.run("account", mark_owner["address"],
                                           "--transactions").stdout, "listed for people")
        recent = officer.json("blocks", "--limit", "3")
        check(len(recent["blocks"]) == 3, f"blocks: {recent}")
        run.log(f"assignment co-signed on a separate keystore, committed at {done['height']}")

        # ---- a co-signed call signed in one go when the co-signer's key is here too
        secret = run.dir / "owner-secret.key"
        owner.run("key", "export", "owner", "--secret", "--out", str(secret))
        officer.run("key", "import", "owner-copy", "--from", str(secret), "--kdf", "interactive")
        licence = officer.json("trademark", "record-licence", "--mark", MARK, "--owner",
                               mark_owner["address"], "--licensee", registrar["address"],
                               "--licensee-name-en", "Lee Siu Ming", "--goods", "30=tea",
                               "--start-date", "2026-04-01", "--deed-hash", DEED,
                               "--key", "registrar", "--cosign-key", "owner-copy")
        check(licence["outcome"] == "success", f"licence co-signed with --cosign-key: {licence}")

        # ---- wrong chain and expiry
        other = run.dir / "other-chain.json"
        offline_owner.run("tx", "prepare", "accounts", "ping", "--memo", "x", "--key", "owner",
                          "--chain-id", "bauhinia-other-1", "--sequence", "5", "--out",
                          str(other), node=False)
        offline_owner.run("tx", "sign", str(other), "--key", "owner", node=False)
        err = owner.run("tx", "submit", str(other), expect=2).stderr
        check("wrong chain" in err, f"a file of another chain: {err}")
        short = run.dir / "short.json"
        owner.run("tx", "prepare", "accounts", "ping", "--memo", "y", "--key", "owner",
                  "--expires-in", "10", "--out", str(short))
        time.sleep(10.5)
        err = owner.run("tx", "sign", str(short), "--key", "owner", expect=2).stderr
        check("expired" in err, f"an expired file: {err}")

        # ---- exit codes
        err = officer.run("trademark", "assign", "--mark", "123", "--key", "registrar",
                          expect=2).stderr
        check("mark" in err, f"a bad mark number names the rule: {err}")
        officer.run("trademark", "examine", "--mark", MARK, "--nonsense", "1", "--key",
                    "registrar", expect=2)
        err = officer.run("accounts", "ping", "--memo", "z", "--key", "registrar",
                          passphrase="wrong", expect=2).stderr
        check("wrong passphrase" in err, f"wrong passphrase: {err}")
        err = officer.run(*grant[:-2], "--key", "registrar", expect=3).stderr
        check("not submitted" in err, f"a call the ledger refuses: {err}")
        other_chain = run.dir / "other-chain.toml"
        other_chain.write_text('chain_id = "bauhinia-other-1"\n')
        err = officer.run("--config", str(other_chain), "accounts", "ping", "--memo", "z",
                          "--key", "registrar", expect=2).stderr
        check("serves chain" in err, f"a node of another chain than the config's: {err}")
        dead = Wallet(wallet_bin, run.dir, officer.keystore, f"http://127.0.0.1:{free_port()}")
        dead.run("status", expect=5)
        check(officer.run("tx", "show", "00" * 32, expect=2).returncode == 2, "unknown tx")

        # ---- records for people, and governance through the wallet
        table = officer.run("trademark", "show", MARK).stdout
        check("HARBOUR LANTERN" in table and "registered" in table, f"a mark for people: {table}")
        listed = officer.run("record", "trademark", "by_status", "registered").stdout
        check(MARK in listed, f"a list page names its records: {listed}")
        admins = {}
        for d in ["IPD", "CR", "DH", "EPD"]:
            w = Wallet(wallet_bin, run.dir, run.dir / f"{d.lower()}-admin-keys", url)
            w.run("key", "import", "admin", "--from", str(c.admin_key(d)), "--kdf", "interactive")
            admins[d] = w
        expires = (datetime.datetime.now(datetime.timezone.utc) +
                   datetime.timedelta(days=3)).date().isoformat()
        done = admins["IPD"].json("system", "propose", "--kind", "set_parameter", "--parameter",
                                  "system.proposal_max_lifetime_ms", "--value", "1209600000",
                                  "--expires", expires, "--key", "admin")
        check(done["outcome"] == "success", f"proposed: {done}")
        check("approved by  IPD" in officer.run("proposals", "--open").stdout, "open, by IPD")
        for d in ["CR", "DH", "EPD"]:
            check(admins[d].json("system", "approve", "--id", "1", "--key", "admin")["outcome"]
                  == "success", f"{d} approves")
        shown = officer.run("proposal", "1").stdout
        check("passed" in shown and shown.count("approved by") == 4, f"passed by four: {shown}")
        err = admins["CR"].run("system", "approve", "--id", "1", "--key", "admin", expect=3).stderr
        check("not submitted" in err, f"an approval of a closed proposal is refused: {err}")
        run.log("a parameter changed by four departments' admins through the wallet")

        # ---- rotation: the new key signs for the same account
        owner.run("key", "rotate", "owner", "--kdf", "interactive")
        rotated = owner.json("key", "export", "owner")
        check(rotated["address"] == mark_owner["address"], "same account after rotation")
        check(rotated["public_key"] != mark_owner["public_key"], "a new key")
        acc = owner.json("account", mark_owner["address"])
        check(bytes.fromhex(acc["value_hex"])[1:33].hex() == rotated["public_key"],
              "the ledger holds the new key")
        done = owner.json("accounts", "ping", "--memo", "rotated", "--key", "owner")
        check(done["outcome"] == "success", f"the new key signs: {done}")
        run.log("key rotated on the ledger and in the keystore")
        c.check_same_blocks()


if __name__ == "__main__":
    main()
