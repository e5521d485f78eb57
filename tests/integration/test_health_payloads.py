#!/usr/bin/env python3
"""Health records on a running cluster (docs/contracts/health.md): the
Department of Health's node and the EPD node hold the payload store, IPD and
CR do not. A facility issues a vaccination and a laboratory record and uploads
their payloads; the patient grants a provider consent for vaccination records.

- With consent, the provider logs a record_access (committed: the patient's
  access list shows it) and the DH node releases the payload, which opens the
  commitment on chain; the same access is not released twice.
- Refused, nothing released: a provider without consent, the laboratory record
  under a vaccination consent, an access id that is none, after the consent is
  withdrawn, and on nodes that hold no payloads.
- After the patient erases the record, no node releases it (410 erased where
  payloads were kept, and their key files are gone, also on the EPD node, which was
  down when the erasure committed and learnt it by block sync), uploads are
  refused, and an earlier state proof of the record still verifies with
  docs/api/verify.py."""

import hashlib
import subprocess
import sys
import time
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import HarnessError, TestRun, check, wait_until  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
VACCINATION = "COVID-19 vaccine dose 2, Comirnaty lot FX1234, 2026-03-02, CVC Sha Tin"
LAB = "HbA1c 6.1 %, fasting glucose 5.4 mmol/L, 2026-03-01"


def commitment(salt_hex: str, record: str) -> str:
    """tagged_hash("bauhinia/commitment", salt || record bytes) (health.md)."""
    t = hashlib.sha256(b"bauhinia/commitment").digest()
    return hashlib.sha256(t + t + bytes.fromhex(salt_hex) + record.encode()).hexdigest()


def main() -> None:
    with TestRun("health_payloads") as run:
        c = run.generate(validators=4)
        ipd, cr, dh, epd = c.validators
        holders = [dh, epd]
        for n in holders:
            n.set_config("health", "payload_dir", '"health-payloads"')
        c.start()
        c.wait_height(2, timeout_s=60)

        keys = {name: c.new_account_key(name) for name in
                ("facility", "provider", "provider2", "patient")}
        acct = {name: c.account_of(k)["account_id"] for name, k in keys.items()}
        keys["DH"] = c.admin_key("DH")
        acct["DH"] = c.account_of(keys["DH"])["account_id"]
        seq: dict[str, int] = {}

        def signed(who: str, command: str, *args: str) -> list[str]:
            if who not in seq:
                seq[who] = c.next_sequence(dh, acct[who])
            out = c.testtx(command, "--key", str(keys[who]), "--genesis", str(c.genesis_path),
                           "--sequence", str(seq[who]), *args).split()
            seq[who] += 1
            return out

        def commit(*txs: list[str]) -> list[str]:
            ids = c.submit_all([(t[0], t[1]) for t in txs])
            c.wait_committed(ids)
            return ids

        def refused_at_admission(tx: list[str], who: str, reason: str) -> None:
            a = dh.api.submit(tx[1])
            check(a.status == 422 and reason in a.json()["error"]["message"],
                  f"refused with {reason}: {a.status} {a.body[:300]!r}")
            seq[who] -= 1  # nothing consumed

        def body(command: str, who: str, *args: str):
            import json
            return json.loads(c.testtx(command, "--key", str(keys[who]), "--genesis",
                                       str(c.genesis_path), *args))

        def release(node, record: str, access: str, who: str = "provider"):
            return node.api.post_json(f"/v1/health/payloads/{record}/release",
                                      body("health-release-body", who, "--record", record,
                                           "--access", access))

        def code(a) -> str:
            try:
                return f"{a.status}/{a.json().get('error', {}).get('code', 'ok')}"
            except ValueError:
                return f"{a.status}/?"

        # ---- roles, records, payloads, consent -----------------------------------------
        commit(signed("DH", "health-role", "--account", acct["facility"], "--role", "issuer"),
               signed("DH", "health-role", "--account", acct["provider"], "--role", "provider"),
               signed("DH", "health-role", "--account", acct["provider2"], "--role", "provider"))
        # provider2 has an account on chain (a key the node can check its requests with).
        c.wait_committed(c.submit_all(c.pings(keys["provider2"], 0, 1, "provider2")))
        vac = signed("facility", "health-issue", "--subject", acct["patient"], "--type",
                     "vaccination", "--record", VACCINATION)
        lab = signed("facility", "health-issue", "--subject", acct["patient"], "--type",
                     "laboratory_result", "--record", LAB)
        commit(vac, lab)
        record, salt, com = vac[0], vac[2], vac[3]
        check(commitment(salt, VACCINATION) == com, "testtx's commitment is the documented one")
        for n in holders:
            for r, text in ((vac, VACCINATION), (lab, LAB)):
                a = n.api.post_json("/v1/health/payloads",
                                    body("health-upload-body", "facility", "--record", r[0],
                                         "--salt", r[2], "--record-text", text))
                check(a.status == 201, f"{n.name} stores the payload: {a.status} {a.body[:200]!r}")
        a = ipd.api.post_json("/v1/health/payloads",
                              body("health-upload-body", "facility", "--record", record,
                                   "--salt", salt, "--record-text", VACCINATION))
        check(code(a) == "404/no_payload", f"IPD holds no payloads: {code(a)}")
        a = dh.api.post_json("/v1/health/payloads",
                             body("health-upload-body", "facility", "--record", record,
                                  "--salt", salt, "--record-text", VACCINATION + "!"))
        check(code(a) == "422/commitment_mismatch", f"other bytes refused: {code(a)}")
        until = str(int(time.time() * 1000) + 24 * 3600 * 1000)
        consent = commit(signed("patient", "health-grant", "--provider", acct["provider"],
                                "--type", "vaccination", "--until-ms", until))[0]
        run.log(f"record {record[:16]}, consent {consent[:16]}")

        # ---- refusals without a valid consent ------------------------------------------
        refused_at_admission(signed("provider2", "health-access", "--record", record,
                                    "--consent", consent), "provider2",
                             "consent_not_for_provider")
        refused_at_admission(signed("provider", "health-access", "--record", lab[0],
                                    "--consent", consent), "provider", "wrong_record_type")

        # ---- a logged access releases the payload once ---------------------------------
        access = commit(signed("provider", "health-access", "--record", record, "--consent",
                               consent))[0]
        a = release(dh, record, consent)  # a consent id is no access id
        check(code(a) == "404/access_not_found", f"no access, no payload: {code(a)}")
        a = release(dh, record, access)
        check(a.status == 200, f"released with consent: {a.status} {a.body[:300]!r}")
        doc = a.json()
        got = bytes.fromhex(doc["payload_hex"]).decode()
        check(got == VACCINATION and commitment(doc["salt"], got) == com,
              "the released record opens the commitment on chain")
        check(code(release(dh, record, access)) == "409/already_released", "one release per access")
        check(code(release(dh, record, access, "provider2")) == "403/not_your_access",
              "another provider cannot use this access")
        for n in (ipd, cr):
            check(code(release(n, record, access)) == "404/no_payload", f"{n.name} holds none")
        a = dh.api.post_json("/v1/health/payloads",
                             body("health-upload-body", "provider", "--record", record,
                                  "--salt", salt, "--record-text", VACCINATION))
        check(code(a) == "403/not_record_issuer", f"only the issuer uploads: {code(a)}")
        accesses = dh.api.get_json(f"/v1/query/health/patient/{acct['patient']}/accesses")
        keys_listed = [r["record_key_hex"] for r in accesses.get("records", [])]
        check(("04" + access) in keys_listed,
              f"the patient's access list shows the access: {keys_listed}")

        # ---- withdrawn consent -----------------------------------------------------------
        pending = commit(signed("provider", "health-access", "--record", record, "--consent",
                                consent))[0]
        commit(signed("patient", "health-withdraw", "--consent", consent))
        check(code(release(epd, record, pending)) == "403/consent_withdrawn",
              "an access logged before the withdrawal releases nothing after it")
        refused_at_admission(signed("provider", "health-access", "--record", record,
                                    "--consent", consent), "provider", "consent_withdrawn")

        # ---- erasure ---------------------------------------------------------------------
        consent2 = commit(signed("patient", "health-grant", "--provider", acct["provider"],
                                 "--type", "vaccination", "--until-ms", until))[0]
        access2 = commit(signed("provider", "health-access", "--record", record, "--consent",
                                consent2))[0]
        before = dh.api.get_json(f"/v1/query/health/record/{record}")
        proof_height = before["height"]
        key_files = [n.home / "health-payloads-keys" / f"{record}.key" for n in holders]
        check(all(p.exists() for p in key_files), "both holders keep a key before erasure")
        # EPD's node is down while the erasure commits: it destroys the key when it
        # catches up (the erasure reaches it by block sync).
        epd.stop()
        erase = commit(signed("patient", "health-erase", "--record", record))
        # The key goes right after the block commits (the API may show the commit
        # a moment before the node's erasure hook has run).
        wait_until(lambda: not key_files[0].exists(), 10, "DH destroys the key at commit")
        check(key_files[1].exists(), "EPD, down, still holds its key")
        epd.start()
        epd.wait_ready()
        c.wait_committed(erase, c.validators)
        for n in c.validators:
            want = "410/erased" if n in holders else "404/no_payload"
            check(code(release(n, record, access2)) == want, f"{n.name}: {want} after erasure")
        wait_until(lambda: not any(p.exists() for p in key_files), 10,
                   "every holder destroyed the key")
        wait_until(lambda: all((n.home / "health-payloads-keys" / f"{record}.erased").exists()
                               for n in holders), 10, "every holder marks the record erased")
        a = dh.api.post_json("/v1/health/payloads",
                             body("health-upload-body", "facility", "--record", record,
                                  "--salt", salt, "--record-text", VACCINATION))
        check(code(a) == "410/erased", f"never stored again: {code(a)}")
        # The other record is untouched.
        lab_key = dh.home / "health-payloads-keys" / f"{lab[0]}.key"
        check(lab_key.exists(), "the laboratory record's key remains")
        after = dh.api.get_json(f"/v1/query/health/record/{record}")
        check(after["value_hex"] != before["value_hex"], "the record now says erased")

        # The earlier proof (before erasure) still verifies, trusting only genesis.
        genesis = dh.api.get_json("/v1/validators?epoch=0")["validator_set_hex"]
        out = subprocess.run(
            [sys.executable, str(REPO / "docs" / "api" / "verify.py"), "--url",
             f"http://{dh.host}:{dh.api_port}", "--chain-id", c.chain_id(),
             "--genesis-validators", genesis, "record", "health", "01" + record,
             "--height", str(proof_height)],
            capture_output=True, text=True, timeout=60)
        if out.returncode == 77:
            raise HarnessError("verify.py needs python3-cryptography")
        check(out.returncode == 0 and out.stdout.startswith("OK"),
              f"verify.py: {out.stdout}{out.stderr}")
        again = dh.api.get_json(f"/v1/state/health/01{record}?height={proof_height}")
        check(again["value_hex"] == before["value_hex"], "history keeps the record as it was")
        run.log(out.stdout.strip())
        c.check_same_blocks()
        run.log("consented release, refusals and erasure on every node")


if __name__ == "__main__":
    main()
