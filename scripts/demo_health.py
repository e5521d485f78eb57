"""The demo's health register off chain (scripts/demo.py, after the stages of
tests/integration/demo/demo_health.hpp commit): DH's node keeps the payloads.

  after stage 2  the facility uploads each record's payload to DH's node
                 (POST /v1/health/payloads; the node checks it opens the commitment
                 on chain and stores it encrypted under a per-record key);
  after stage 3  the doctor asks DH's node for the vaccination record under its
                 committed access (POST /v1/health/payloads/{record}/release): the
                 released record and salt open the commitment on chain, the access
                 is in the patient's access list, a second release is refused, and the
                 laboratory consent reads withdrawn;
  after stage 4  the record is erased: DH's node destroyed its key (the other records'
                 keys remain), the release answers 410 erased, the upload too, and the
                 record, its commitment and their state proofs remain on chain.

Every step prints what happened and raises HarnessError when it did not.
"""

from __future__ import annotations

import hashlib
import json
import time

from harness import HarnessError

PAYLOAD_NODE = "DH"  # the node configured with [health] payload_dir (demo.py)
PAYLOAD_DIR = "health-payloads"
ERASED = "vaccination-a"  # demo_health.cpp: released in stage 3, erased in stage 4


def configure_payload_node(consortium) -> None:
    """DH's node keeps the health payloads (a new consortium, before it starts)."""
    payload_node(consortium).set_config("health", "payload_dir", f'"{PAYLOAD_DIR}"')


def payload_node(consortium):
    return next(n for n in consortium.nodes if n.name == PAYLOAD_NODE)


def state_path(consortium):
    """demo-records' hand-off file (--health-state): the plaintext records and
    their salts, so private: beside the nodes' folders, never inside one."""
    return consortium.root / "health-sample-records.txt"


def read_state(consortium) -> dict[str, list[str]]:
    out = {}
    for line in state_path(consortium).read_text().splitlines():
        parts = line.split()
        if len(parts) >= 3:
            out[parts[1]] = parts[2:]
    return out


def commitment(salt_hex: str, record: bytes) -> str:
    """tagged_hash("bauhinia/commitment", salt || record) (docs/contracts/health.md)."""
    t = hashlib.sha256(b"bauhinia/commitment").digest()
    return hashlib.sha256(t + t + bytes.fromhex(salt_hex) + record).hexdigest()


def key_file(consortium, record: str):
    return payload_node(consortium).home / f"{PAYLOAD_DIR}-keys" / f"{record}.key"


def _body(consortium, command: str, signer: str, *args: str) -> dict:
    return json.loads(consortium.testtx(
        command, "--key", str(consortium.root / "keys" / f"{signer}.key"), "--genesis",
        str(consortium.genesis_path), *args))


def _code(answer) -> str:
    try:
        return f"{answer.status} {answer.json().get('error', {}).get('code', 'ok')}"
    except ValueError:
        return f"{answer.status}"


def _expect(ok: bool, what: str) -> None:
    if not ok:
        raise HarnessError(f"health: {what}")


def _upload(consortium, fields: list[str]):
    record, _, salt, _, text_hex = fields
    return payload_node(consortium).api.post_json(
        "/v1/health/payloads",
        _body(consortium, "health-upload-body", "health-facility", "--record", record, "--salt",
              salt, "--record-text", bytes.fromhex(text_hex).decode()))


def _release(consortium, record: str, access: str):
    return payload_node(consortium).api.post_json(
        f"/v1/health/payloads/{record}/release",
        _body(consortium, "health-release-body", "health-provider", "--record", record,
              "--access", access))


def upload_payloads(consortium, say) -> None:
    dh = payload_node(consortium)
    for label, fields in read_state(consortium).items():
        if len(fields) != 5:
            continue  # consents and accesses
        record, kind, _, com, _ = fields
        a = _upload(consortium, fields)
        _expect(a.status == 201,
                f"DH's node refused the {label} payload: {a.status} {a.body[:200]!r}")
        v = dh.api.get(f"/v1/query/health/verify/{com}")
        _expect(v.status == 200 and record in v.body.decode(),
                f"the commitment of {label} does not name its record: {v.status}")
        say(f"  health: DH's node stores {label} ({kind}) encrypted off chain: 201; its "
            f"commitment {com[:16]}… names record {record[:16]}… on chain")


def release_payload(consortium, say) -> None:
    s = read_state(consortium)
    dh = payload_node(consortium)
    record, _, _, com, text_hex = s[ERASED]
    access = s["access-vaccination"][0]
    height = dh.api.get_json(f"/v1/transactions/{access}").get("height")
    say(f"  health: health-provider's access {access[:16]}… logged on chain at height {height}")
    a = _release(consortium, record, access)
    _expect(a.status == 200, f"release with consent refused: {_code(a)} {a.body[:200]!r}")
    doc = a.json()
    payload = bytes.fromhex(doc["payload_hex"])
    _expect(payload == bytes.fromhex(text_hex), "the released payload is not the record issued")
    opened = commitment(doc["salt"], payload)
    v = dh.api.get(f"/v1/query/health/verify/{opened}")
    _expect(opened == com and v.status == 200 and record in v.body.decode(),
            "the released record and salt do not open the commitment on chain")
    say(f"  health: DH's node released the record ({len(payload)} bytes) under that access; "
        f"salt + record open commitment {opened[:16]}… of record {record[:16]}… on chain")
    again = _release(consortium, record, access)
    _expect(_code(again) == "409 already_released", f"second release: {_code(again)}")
    say("  health: the same access asked again: 409 already_released (one release per access)")
    patient = dh.api.get_json(f"/v1/query/health/record/{record}")  # proven record
    _expect(patient.get("value_hex") is not None, "the record is not on chain")
    consent = s["consent-laboratory"][0]
    c = dh.api.get(f"/v1/query/health/consent/{consent}")
    _expect(c.status == 200, f"the withdrawn consent is not on chain: {c.status}")
    accesses = dh.api.get_json(f"/v1/query/health/record/{record}/accesses")
    listed = [r.get("record_key_hex", "") for r in accesses.get("records", [])]
    _expect(any(access in k for k in listed),
            f"the record's access list lacks the access: {listed}")
    say(f"  health: the record's access list shows the access; consent {consent[:16]}… "
        "(laboratory results) is withdrawn on chain")


def check_erased(consortium, say) -> None:
    s = read_state(consortium)
    dh = payload_node(consortium)
    record, _, _, com, _ = s[ERASED]
    access = s["access-vaccination"][0]
    gone = key_file(consortium, record)
    deadline = time.monotonic() + 10
    while gone.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    _expect(not gone.exists(), f"DH's node still holds the erased record's key {gone}")
    kept = [key_file(consortium, f[0]) for label, f in s.items()
            if len(f) == 5 and label != ERASED]
    _expect(all(k.exists() for k in kept), "an erasure destroyed another record's key")
    say(f"  health: record {record[:16]}… erased: DH's node destroyed its payload key "
        f"({len(kept)} other records keep theirs)")
    a = _release(consortium, record, access)
    _expect(_code(a) == "410 erased", f"release after erasure: {_code(a)}")
    u = _upload(consortium, s[ERASED])
    _expect(_code(u) == "410 erased", f"upload after erasure: {_code(u)}")
    say("  health: the release now answers 410 erased (and the upload 410 erased)")
    r = dh.api.get_json(f"/v1/query/health/record/{record}")
    v = dh.api.get(f"/v1/query/health/verify/{com}")
    _expect(r.get("value_hex") is not None and r.get("proof") is not None and v.status == 200,
            "the erased record or its commitment is gone from the chain")
    say(f"  health: record {record[:16]}… and commitment {com[:16]}… still answer with their "
        f"state proofs at height {r.get('height')} (erased, not forgotten)")


# scripts/demo.py runs these once the stage named commits.
AFTER_STAGE = {2: upload_payloads, 3: release_payload, 4: check_erased}
