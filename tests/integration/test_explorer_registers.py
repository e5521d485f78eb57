#!/usr/bin/env python3
"""bauhinia-explorer over the demo's sample registers (issue 13, items 1 and 4):
the five-department consortium with the demo's real trademark and company
transactions (scripts/demo_sample_data.py). The explorer reads the registers
from the modules' records, each verified: a trademark is found by its number
and its name, a company by its Chinese name, both pages' records are served
verified; a node forging register records (a proxy changing each record value
of its list answers) is refused and named; and the open-data exports (CSV, JSON, XML) are stamped with the
certified height and block id they were read at, each row checkable with the
record's state proof at that height; the drug recalls and the trip-tickets
(modules without a list of them) are read through the indexed recall and
issue_ticket transactions, the EIA projects through their by-status lists.

Run by ctest with --explorer <bauhinia-explorer> before the harness's arguments."""

import csv
import io
import json
import sys
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent / "scripts"))
from harness import Binaries, TestRun, check, wait_until  # noqa: E402
from demo_sample_data import set_genesis_parameters, stage_transactions  # noqa: E402
from test_explorer import Explorer, TamperingProxy, flip_last_hex, split_args  # noqa: E402

MARK = "304477102"
COMPANY = "3298741"
COMPANY_ZH = "港燈物流有限公司"
RECALLED = ("HK-51234", "B2026-0147")  # the demo's drug recall (stage 5)
TICKET = "CWTT-2026-004821"  # one of the demo's chemical waste trip-tickets


def flip_record_values(doc) -> int:
    """Changes the last byte of each record value in a /v1/query answer's list."""
    n = 0
    for r in doc.get("records", []):
        if isinstance(r.get("value_hex"), str):
            r["value_hex"] = flip_last_hex(r["value_hex"])
            n += 1
    return n


def main() -> None:
    explorer_path, rest = split_args(sys.argv[1:])
    with TestRun("explorer_registers", Binaries.from_args(rest)) as run:
        c = run.generate(validators=5, chain_id="bauhinia-demo-1")
        set_genesis_parameters(c.genesis_path)  # the demo's EIA periods in seconds
        c.start()
        c.wait_height(1, timeout_s=60)
        node = c.nodes[0]
        # The stages up to the drug recall (5); the later ones wait for the EIA window.
        for stage in (1, 2, 3, 4, 5):
            txs = stage_transactions(c, node, stage)
            ids = c.submit_all([(tx_id, tx_hex) for _, _, tx_id, tx_hex in txs], c.nodes)
            c.wait_committed(ids, c.nodes, timeout_s=90)
            run.log(f"demo stage {stage}: {len(ids)} transactions committed")

        web_root = run.dir / "web"
        web_root.mkdir()
        # The first node it follows serves blocks honestly but forges register records.
        proxy = TamperingProxy(c.nodes[1].api.base, "/v1/query/", flip_record_values)
        proxy.__enter__()
        ex = Explorer(explorer_path, c.genesis_path, run.dir / "explorer-data", web_root,
                      [proxy.url, node.api.base])
        try:
            ex.start()

            def exported(name):
                status, body = ex.get(f"/api/export/{name}.json")
                return json.loads(body) if status == 200 else None

            marks = wait_until(lambda: exported("trademarks"), 90, "the trademark export")
            companies = wait_until(lambda: exported("companies"), 90, "the company export")
            numbers = {r["number"]: r for r in marks["records"]}
            check(MARK in numbers, f"{MARK} not exported: {sorted(numbers)}")
            by_number = {r["number"]: r for r in companies["records"]}
            check(COMPANY in by_number and by_number[COMPANY]["name_zh"] == COMPANY_ZH,
                  f"company export: {by_number.get(COMPANY)}")
            nodes = {n["url"]: n for n in ex.status()["nodes"]}
            check(nodes[proxy.url]["state"] == "refused"
                  and "state proof of record" in nodes[proxy.url]["reason"],
                  f"the forging proxy: {nodes[proxy.url]}")
            check(proxy.tampered > 0, "the proxy changed nothing")
            run.log(f"refused: {nodes[proxy.url]['reason'][:100]}")
            run.log(f"exports: {len(numbers)} marks at height {marks['certified_height']}, "
                    f"{len(by_number)} companies at height {companies['certified_height']}")

            # Stamped with a certified height and its block id; each row provable there.
            for doc in (marks, companies):
                h = doc["certified_height"]
                block = node.api.block(h)
                check(doc["block_id"] == block["block_id"], f"block id at {h}")
                check(doc["state_root"] == block["header"]["state_root"], f"state root at {h}")
            row = numbers[MARK]
            h = marks["certified_height"]
            proof = ex.get_json(f"/api/proof/state/trademark/{row['record_key_hex']}?height={h}")
            check(proof["explorer"]["certified_height"] == h and proof["value_hex"],
                  f"proof of the exported row: {proof.get('explorer')}")

            status, body = ex.get("/api/export/trademarks.csv")
            check(status == 200, f"csv: {status}")
            text = body.decode("utf-8")
            first, rest_csv = text.split("\r\n", 1)
            check(first.startswith(f"# register=trademarks certified_height={h} block_id="),
                  f"csv stamp: {first}")
            rows = list(csv.DictReader(io.StringIO(rest_csv)))
            check(any(r["number"] == MARK for r in rows), "csv rows")
            status, body = ex.get("/api/export/companies.xml")
            check(status == 200, f"xml: {status}")
            root = ET.fromstring(body)
            check(root.get("certified_height") == str(companies["certified_height"]),
                  f"xml stamp: {root.attrib}")
            check(any(r.findtext("name_zh") == COMPANY_ZH for r in root.findall("record")),
                  "xml rows")
            # Drug recalls: read through the indexed drugs.recall transactions.
            recalls = wait_until(lambda: exported("drug-recalls"), 90, "the drug recall export")
            batches = {(r["regno"], r["batch"]): r for r in recalls["records"]}
            check(RECALLED in batches and batches[RECALLED]["recall_class"],
                  f"drug recalls: {recalls['records']}")
            block = node.api.block(recalls["certified_height"])
            check(recalls["block_id"] == block["block_id"], "recall export block id")
            found = ex.get_json("/api/search?q=" + RECALLED[1])["results"]
            check(any(r.get("path") == f"drugs/batch/{RECALLED[0]}/{RECALLED[1]}" for r in found),
                  f"search by batch: {found}")
            run.log(f"drug recalls: {sorted(batches)} at height {recalls['certified_height']}")
            # EPD's registers: the EIA projects (by status) and the trip-tickets
            # (through the indexed issue_ticket transactions).
            projects = wait_until(lambda: exported("eia"), 90, "the EIA export")
            check(any(r["number"].startswith("PP-001/") for r in projects["records"]),
                  f"EIA export: {projects['records']}")
            tickets = wait_until(lambda: exported("trip-tickets"), 90, "the trip-ticket export")
            check(any(r["number"] == TICKET for r in tickets["records"]),
                  f"trip-ticket export: {tickets['records']}")
            found = ex.get_json("/api/search?q=" + TICKET)["results"]
            check(any(r.get("path") == f"environment/ticket/{TICKET}" for r in found),
                  f"search by ticket: {found}")
            run.log(f"EIA: {len(projects['records'])} projects; "
                    f"trip-tickets: {len(tickets['records'])}")
            check(ex.get("/api/export/nothing.csv")[0] == 404, "unknown register")
            check(ex.get("/api/export/trademarks.exe")[0] == 404, "unknown format")

            # Search: a mark by number and by name, a company by its Chinese name.
            def search(q):
                return ex.get_json("/api/search?q=" + urllib.parse.quote(q))["results"]

            found = search(MARK)
            check({"kind": "record", "module": "trademark", "path": f"trademark/mark/{MARK}"}
                  .items() <= found[0].items() if found else False, f"search {MARK}: {found}")
            found = search("kowloon kin")
            check(any(r.get("path") == f"trademark/mark/{MARK}" for r in found),
                  f"search by name: {found}")
            found = search("港燈")
            check(any(r.get("path") == f"company/company/{COMPANY}" for r in found),
                  f"search by Chinese name: {found}")

            # The records behind the pages, verified.
            rec = ex.get_json(f"/api/records/trademark/ownership/{MARK}")
            check(rec["explorer"]["verified"] and rec["value_hex"], f"ownership: {rec.get('explorer')}")
            rec = ex.get_json(f"/api/records/company/company/{COMPANY}")
            check(rec["explorer"]["verified"] and rec["value_hex"], f"company: {rec.get('explorer')}")
            rec = ex.get_json("/api/records/company/by_name/" + urllib.parse.quote(COMPANY_ZH))
            check(rec["value_hex"], f"by name: {rec}")
        except BaseException:
            print(ex.log(), file=sys.stderr)
            raise
        finally:
            ex.stop()
            proxy.__exit__(None, None, None)


if __name__ == "__main__":
    main()
