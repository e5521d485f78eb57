#!/usr/bin/env python3
"""The demo consortium (run it through scripts/demo.sh, which installs and builds).

One validator per department (IPD, CR, DH, EPD, OGCIO) on loopback, all in one
data folder (default ./demo-data): created on the first run, resumed after.
Starts the five nodes, submits the sample registers of scripts/demo_sample_data.py
(real calls of the system, company, trademark, anchor, environment, drugs and health
modules, each signed by the officer or party who acts; DH's node keeps the health payloads,
uploaded, released and erased through its API: scripts/demo_health.py), prints the API
addresses and curl lines, then follows the chain until Ctrl-C and stops every node cleanly.

--check: the bounded, non-interactive variant for CI: start, commit the
samples, verify them on every node (same height and index) and every block
identical on all five nodes, stop, exit 0 (or 1 with the reason).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(ROOT / "tests" / "integration"))
sys.path.insert(0, str(ROOT / "scripts"))

import demo_health  # noqa: E402
from demo_explorer import DEFAULT_PORT as EXPLORER_PORT, DemoExplorer  # noqa: E402
from demo_sample_data import (AFTER_STAGE, STAGE_PAUSE_S, STAGES,  # noqa: E402
                              samples_present,
                              scan_for_private_values, set_genesis_parameters,
                              stage_transactions)
from harness import (Binaries, Consortium, HarnessError, port_bindable,  # noqa: E402
                     free_port_range, install_signal_handlers)

DEPARTMENTS = ["IPD", "CR", "DH", "EPD", "OGCIO"]
DEFAULT_P2P_BASE = 26600
DEFAULT_API_BASE = 8600
CHAIN_ID = "bauhinia-demo-1"
CHECK_TIMEOUT_S = 90.0


def say(message: str = "") -> None:
    print(message, flush=True)


def ports_free(base: int, count: int) -> bool:
    return all(port_bindable(base + i) for i in range(count))


def open_or_create(data: Path, binaries: Binaries, fixed_ports: bool) -> tuple[Consortium, bool]:
    if (data / "genesis.json").is_file():
        c = Consortium.open(data, binaries)
        names = [n.name for n in c.nodes]
        if names != DEPARTMENTS:
            raise HarnessError(f"{data} holds nodes {names}, not the five departments; "
                               "use another --data-dir or --fresh")
        return c, False
    if data.exists() and any(data.iterdir()):
        raise HarnessError(f"{data} exists but holds no consortium (no genesis.json); "
                           "remove it or pass --fresh")
    n = len(DEPARTMENTS)
    p2p, api = DEFAULT_P2P_BASE, DEFAULT_API_BASE
    if not fixed_ports or not (ports_free(p2p, n) and ports_free(api, n)):
        p2p = free_port_range(n)
        api = free_port_range(n)
        while abs(p2p - api) < n:
            api = free_port_range(n)
    c = Consortium.generate(data, binaries, validators=n, chain_id=CHAIN_ID,
                            p2p_base=p2p, api_base=api)
    set_genesis_parameters(c.genesis_path)
    demo_health.configure_payload_node(c)
    return c, True


def print_guide(c: Consortium) -> None:
    first = c.nodes[0]
    base = first.api.base
    say("\nAPI addresses (HTTP/JSON, docs/api/openapi.yaml):")
    for n in c.nodes:
        say(f"  {n.name:6} http://{n.host}:{n.api_port}   (p2p {n.host}:{n.p2p_port}, "
            f"log {n.log_path})")
    say("\nThe registers, each answer with its state proof (any node answers the same;")
    say("docs/contracts/ explains every path):")
    if shutil.which("curl") is None:
        say("  (curl is not installed here: apt-get install curl)")
    for path, what in [
        ("/v1/query/company/company/3298741", "a migrated company, its annual return late"),
        ("/v1/query/company/filings/3298741", "its filing record (late flags)"),
        ("/v1/query/company/by_status/struck_off", "struck-off companies"),
        ("/v1/query/company/by_name/Kowloon%20Kinetic%20Robotics%20Limited",
         "a company by its new name"),
        ("/v1/query/trademark/mark/305918274", "a registered mark, renewed"),
        ("/v1/query/trademark/ownership/304477102", "a mark's ownership chain (partial assignment)"),
        ("/v1/query/trademark/mark/306512345", "a new application, published"),
        ("/v1/query/system/proposal/1", "the governance proposal that passed"),
        ("/v1/query/system/departments", "the departments, now six"),
        ("/v1/query/anchor/by_issuer/EPD", "documents EPD anchored"),
        (f"/v1/query/environment/project/PP-001/{time.gmtime().tm_year}",
         "an EIA project: two report versions, its permit"),
        ("/v1/query/environment/tickets/flagged", "trip-tickets flagged (weight, overdue)"),
        ("/v1/query/drugs/batch/HK-51234/B2026-0147/custody", "a drug batch's custody chain"),
        ("/v1/query/drugs/batch/HK-51234/B2026-0147/recall", "its recall, a notice per holder"),
    ] + health_guide(c):
        say(f"  curl -s {base}{path}   # {what}")
    say("\nThe ledger itself:")
    say(f"  curl -s {base}/v1/status")
    say(f"  curl -s {base}/v1/blocks/latest")
    say(f"  curl -s {base}/v1/validators")
    say(f"  curl -s {base}/metrics")
    say(f"  curl -s http://{c.nodes[1].host}:{c.nodes[1].api_port}/v1/blocks/latest"
        f"   # {c.nodes[1].name}'s copy")


def health_guide(c: Consortium) -> list[tuple[str, str]]:
    """Health records' public fields only (commitment, type, facility, patient
    account, times): the record text and salt are not on chain."""
    if not demo_health.state_path(c).is_file():
        return []
    s = demo_health.read_state(c)
    kept, erased = s["vaccination-b"], s[demo_health.ERASED]
    return [
        (f"/v1/query/health/record/{kept[0]}", "a health record: commitment, type, facility"),
        (f"/v1/query/health/verify/{kept[3]}", "a holder's check of that commitment"),
        (f"/v1/query/health/record/{erased[0]}", "an erased record (its commitment remains)"),
        (f"/v1/query/health/record/{erased[0]}/accesses", "its access log"),
    ]


def outcomes_not_success(c: Consortium, ids: list[str]) -> list[str]:
    """The sample transactions whose committed outcome is not success."""
    bad = []
    for tx_id in ids:
        doc = c.nodes[0].api.transaction(tx_id).json()
        if doc.get("outcome") != "success":
            bad.append(f"{tx_id[:16]} {doc.get('outcome')}")
    return bad


def verify(c: Consortium, ids: list[str]) -> int:
    where = c.wait_committed(ids, c.nodes, timeout_s=CHECK_TIMEOUT_S) if ids else {}
    top = max((h for h, _ in where.values()), default=1)
    c.wait_height(top, c.nodes, timeout_s=CHECK_TIMEOUT_S)
    last = c.check_same_blocks(c.nodes)
    say(f"verified: {len(ids)} sample transactions committed on all {len(c.nodes)} nodes at the "
        f"same positions; blocks 0..{last} identical on every node")
    return last


def follow(c: Consortium) -> None:
    say("\nFollowing the chain (Ctrl-C stops every node; run demo.sh again to resume):")
    last = -1
    while True:
        c.check_alive()
        try:
            s = c.nodes[0].api.status()
        except OSError as e:
            say(f"  {c.nodes[0].name} did not answer: {e}")
            time.sleep(1)
            continue
        if s["height"] != last:
            heights = c.heights()
            last = s["height"]
            say(f"  height {last:6}  block {s['latest_block_id'][:16]}  "
                f"transactions {s['accumulator_size']:6}  peers {s['peer_count']}  "
                f"heights {' '.join(f'{k}={v}' for k, v in heights.items())}")
        time.sleep(1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--node", required=True, help="the bauhinia-node executable")
    ap.add_argument("--testtx", required=True, help="the bauhinia-testtx executable")
    ap.add_argument("--data-dir", default=str(ROOT / "demo-data"))
    ap.add_argument("--check", action="store_true", help="bounded run for CI (see above)")
    ap.add_argument("--scan", help="bauhinia-ledger-scan: with --check, scan every node's "
                    "databases for the sample data's private values after the nodes stop")
    ap.add_argument("--fresh", action="store_true", help="delete the data folder first")
    ap.add_argument("--explorer", help="bauhinia-explorer: follow the consortium with it "
                    "(port 8700 when free) and, with --check, check what it indexed")
    ap.add_argument("--web-root", help="the explorer's built pages (the explorer_web target)")
    args = ap.parse_args()
    install_signal_handlers()

    binaries = Binaries.from_args(["--node", args.node, "--testtx", args.testtx])
    data = Path(args.data_dir).resolve()
    if args.fresh and data.exists():
        shutil.rmtree(data)
    # The interactive demo prefers the documented ports (26600+, 8600+); the
    # check always takes free ones.
    c, created = open_or_create(data, binaries, fixed_ports=not args.check)
    say(f"{'created' if created else 'resuming'} the demo consortium in {data} "
        f"(chain {c.chain_id()})")
    ok = False
    explorer = None
    try:
        c.start(c.nodes)
        heights = c.wait_height(1, c.nodes, timeout_s=CHECK_TIMEOUT_S)
        say(f"five validators up and committing: {heights}")

        samples: list[tuple[str, str, str, str]] = []
        ids: list[str] = []
        if samples_present(c.nodes[0]):
            say("the sample registers are already on the ledger (resumed)")
        else:
            for stage in STAGES:
                if STAGE_PAUSE_S.get(stage):
                    say(f"waiting {STAGE_PAUSE_S[stage]} s for the demo's EIA window and "
                        "ticket deadline to pass")
                    time.sleep(STAGE_PAUSE_S[stage])
                txs = stage_transactions(c, c.nodes[0], stage)
                stage_ids = c.submit_all([(tx_id, tx_hex) for _, _, tx_id, tx_hex in txs],
                                         c.nodes)
                where = c.wait_committed(stage_ids, c.nodes, timeout_s=CHECK_TIMEOUT_S)
                say(f"stage {stage}: {len(stage_ids)} transactions committed in blocks " +
                    ", ".join(str(h) for h in sorted({h for h, _ in where.values()})))
                for dept, what, tx_id, _ in txs:
                    say(f"  {dept:6} {tx_id[:16]}  {what}")
                samples += txs
                ids += stage_ids
                if AFTER_STAGE.get(stage):
                    AFTER_STAGE[stage](c, say)
            failed = outcomes_not_success(c, ids)
            if failed:
                raise HarnessError(f"sample transactions failed on chain: {failed}")

        last = verify(c, ids) if args.check else None
        if args.explorer:
            port = EXPLORER_PORT if not args.check and port_bindable(EXPLORER_PORT) \
                else free_port_range(1)
            explorer = DemoExplorer(Path(args.explorer),
                                    Path(args.web_root) if args.web_root else None, c, port)
            explorer.start()
            say(f"the explorer follows the five nodes: {explorer.url}/ "
                f"(log {explorer.log_path})")
        if args.check:
            if explorer is not None:
                problems = explorer.check(last, CHECK_TIMEOUT_S)
                if problems:
                    raise HarnessError("explorer: " + "; ".join(problems))
                say(f"explorer: verified and indexed blocks 0..{last} from the genesis file "
                    "alone, finds the sample trade mark and company, serves its pages")
        else:
            print_guide(c)
            if explorer is not None:
                say(f"\nThe explorer (verifies every answer in your browser): {explorer.url}/")
            follow(c)
        ok = True
    except KeyboardInterrupt:
        say("\nCtrl-C: stopping the nodes")
        ok = True
    except HarnessError as e:
        say(f"demo failed: {e}")
    except RuntimeError as e:  # the explorer failed to start or to index
        say(f"demo failed: {e}")
    finally:
        if explorer is not None:
            code = explorer.stop()
            if code not in (0, None):
                say(f"the explorer did not stop cleanly (exit code {code})")
                ok = False
        codes = c.stop()
        unclean = {k: v for k, v in codes.items() if v != 0}
        if unclean:
            say(f"nodes that did not stop cleanly (exit codes): {unclean}")
            ok = False
        else:
            say(f"all {len(codes)} nodes stopped cleanly; data kept in {data}")
        if ok and args.check and args.scan:
            say("no-personal-data scan: every entry of every node's databases")
            problems = scan_for_private_values(c, Path(args.scan))
            if problems:
                say("private sample data found where it must never be:\n  " +
                    "\n  ".join(problems))
                ok = False
    if not ok:
        for n in c.nodes:
            say(n.log_tail(15))
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # Ctrl-C before the nodes started
        sys.exit(130)
