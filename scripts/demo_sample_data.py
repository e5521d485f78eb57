"""The demo consortium's sample registers (scripts/demo.py).

Real calls of the real modules, signed by the key of whoever the law says acts
(`bauhinia-testtx demo-records`, tests/integration/demo/):
  stage 1  the department admins appoint their officers (system.grant_role:
           trademark.registrar, company.registrar, anchor.issuer) and OGCIO proposes
           adding the Lands Department to the consortium;
  stage 2  three more admins approve it (4 of 5 departments: it passes); the Companies
           Registry migrates four companies from the legacy register (one struck off) and
           incorporates a fifth; four departments anchor documents;
  stage 3  the companies file: an annual return delivered late, one on time, a late
           change of directors, a change of name and of registered office; the Trade
           Marks Registry migrates registered marks, renews one in its renewal window,
           records a whole assignment with goodwill and a partial one (the assignors
           co-signing), a licence, and takes a new application to publication;
  stages 1-8 also carry EPD's registers (demo/demo_environment.cpp): EPD's admin
           appoints the EIA officer, a licensed collector and a reception point; an EIA
           project goes from its profile and study brief through two report versions, a
           public inspection window with comments (stage 6), an approval with conditions
           and an environmental permit (stage 7) to an EM&A submission (stage 8); two
           chemical waste trip-tickets: one weighed 8% light (flagged), one never received
           (flagged overdue in stage 7).
  drugs    (DH's traceability, across stages 1-5: tests/integration/demo/demo_drugs.hpp)
           roles for a Drug Office officer and licensed traders; two products; batches
           released and supplied manufacturer/importer -> wholesaler (stage 3) ->
           pharmacy/hospital (stage 4), each step co-signed by the receiver; a recall
           reaching every holder of one batch (stage 5).
  health   (DH's health records, stages 1-4: tests/integration/demo/demo_health.hpp and
           scripts/demo_health.py) roles for a facility and a private doctor; three records
           issued as salted commitments to two pseudonymous patients, their payloads
           uploaded to DH's node; a consent, a logged access and the release of the record
           through DH's node, a consent withdrawn; the record erased (410 erased after).
A stage acts on what the stage before committed (a registrar acts once its role
is granted), so each is submitted and committed before the next is built.
"""

from __future__ import annotations

import json

import demo_health

STAGES = (1, 2, 3, 4, 5, 6, 7, 8)
# Seconds to wait before building a stage: the EIA window opened in stage 5
# closes 25 s after it is built, and the ticket deadline is 25 s, so the
# decision and the overdue flag (stage 7) come after both.
STAGE_PAUSE_S = {7: 30}
# Steps off chain run once a stage commits (API requests, checks): stage -> fn(consortium, say).
AFTER_STAGE = demo_health.AFTER_STAGE
# The demo chain runs EPD's periods in seconds, not days (a Hong Kong chain
# keeps the defaults: 30 days, 14 days; docs/contracts/environment.md).
GENESIS_PARAMETERS = {
    "environment.inspection_min_ms": 5_000,
    "environment.ticket_deadline_ms": 25_000,
}


def set_genesis_parameters(genesis_path) -> None:
    """Writes GENESIS_PARAMETERS into a new consortium's genesis.json (before
    any node starts)."""
    doc = json.loads(genesis_path.read_text())
    doc.setdefault("parameters", {}).update(GENESIS_PARAMETERS)
    genesis_path.write_text(json.dumps(doc, indent=2) + "\n")
# A record only the demo's stage 2 creates: present means the samples are there.
SAMPLE_MARKER = "/v1/query/company/company/3298741"


def demo_accounts(consortium) -> dict[str, str]:
    """Creates the demo's keys (officers, companies, owners) beside the admins'
    and returns {key name: account id hex}."""
    out = consortium.testtx("demo-records", "--keys", str(consortium.root / "keys"),
                            "--genesis", str(consortium.genesis_path), "--stage", "0")
    accounts = {}
    for line in out.splitlines():
        if line.strip():
            name, account = line.split()
            accounts[name] = account
    return accounts


def private_values_path(consortium):
    """The file listing every private value the sample data used off chain or
    inside salted commitments (identity numbers, residential addresses,
    patients' names, plaintext records): what the no-personal-data scan looks for."""
    return consortium.root / "private-sample-data.txt"


def stage_transactions(consortium, node, stage: int) -> list[tuple[str, str, str, str]]:
    """Stage `stage`'s signed transactions at each signer's next sequence on
    `node`: [(department, description, id hex, transaction hex)]."""
    accounts = demo_accounts(consortium)
    args = ["demo-records", "--keys", str(consortium.root / "keys"), "--genesis",
            str(consortium.genesis_path), "--stage", str(stage),
            "--private-out", str(private_values_path(consortium)),
            "--health-state", str(demo_health.state_path(consortium))]
    for name, account in accounts.items():
        args.append(f"--sequence={name}={consortium.next_sequence(node, account)}")
    out = []
    for line in consortium.testtx(*args).splitlines():
        if line.strip():
            tx_id, tx_hex, department, description = line.split(" ", 3)
            out.append((department, description, tx_id, tx_hex))
    return out


def samples_present(node) -> bool:
    a = node.api.get(SAMPLE_MARKER)
    return a.status == 200 and a.json().get("value_hex") is not None


# A value that is public and on chain (a director's name, as Hong Kong's
# register shows it): the scan's positive control.
PUBLIC_CONTROL = "CHAN Tai Man"


def node_databases(node) -> list:
    """Every LevelDB database in a (stopped) node's folder: its ledger, its
    consensus store and any off-chain payload store."""
    return sorted({p.parent for p in node.home.rglob("CURRENT")
                   if (p.parent / "LOCK").exists()})


def raw_files_with(node, dbs, needles: list[bytes]) -> tuple[int, list[str]]:
    """Every file under the node's folder outside its LevelDB databases (the
    payload store's key files and erasure markers, config, logs): a plain byte
    search for the private values (these files are not compressed). Returns
    (files read, "file: value" hits)."""
    count, hits = 0, []
    for path in sorted(node.home.rglob("*")):
        if not path.is_file() or any(db in path.parents for db in dbs):
            continue
        data = path.read_bytes()
        count += 1
        hits += [f"{path}: {n.decode()[:40]!r}" for n in needles if n in data]
    return count, hits


def scan_for_private_values(consortium, scan_binary) -> list[str]:
    """Runs bauhinia-ledger-scan over every database of every node and a byte
    search over every other file of theirs; returns the problems (empty when no
    private value is anywhere)."""
    import subprocess
    problems = []
    forbidden = private_values_path(consortium)
    if not forbidden.exists():
        return [f"{forbidden} is missing: the sample data noted no private values"]
    needles = [v.encode() for v in forbidden.read_text().splitlines() if len(v.encode()) >= 4]
    for node in consortium.nodes:
        dbs = node_databases(node)
        if not dbs:
            problems.append(f"{node.name}: no databases found under {node.home}")
            continue
        args = [str(scan_binary), "--forbidden", str(forbidden), "--expect", PUBLIC_CONTROL]
        for db in dbs:
            # The transaction journal (data/mempool) is empty once everything it
            # held committed: scanned, but not required to hold entries.
            args += ["--db-may-be-empty" if db.name == "mempool" else "--db", str(db)]
        r = subprocess.run(args, capture_output=True, text=True, timeout=300)
        if r.returncode != 0:
            problems.append(f"{node.name}: {r.stdout.strip()} {r.stderr.strip()}")
        else:
            first = r.stdout.splitlines()[0] if r.stdout else ""
            print(f"  {node.name}: {first}; no private value found", flush=True)
        files, hits = raw_files_with(node, dbs, needles)
        problems += [f"{node.name}: {h}" for h in hits]
        if not hits:
            print(f"  {node.name}: {files} other files (payload keys, config, logs) read; "
                  "no private value found", flush=True)
    # The public explorer's index (when the demo ran one): public data only.
    index = consortium.root / "explorer" / "index"
    if (index / "CURRENT").exists():
        # (its positive control: a company number its search index holds)
        r = subprocess.run([str(scan_binary), "--forbidden", str(forbidden), "--expect",
                            "3298741", "--db", str(index)],
                           capture_output=True, text=True, timeout=300)
        if r.returncode != 0:
            problems.append(f"explorer index: {r.stdout.strip()} {r.stderr.strip()}")
        else:
            first = r.stdout.splitlines()[0] if r.stdout else ""
            print(f"  explorer: {first}; no private value found", flush=True)
    return problems
