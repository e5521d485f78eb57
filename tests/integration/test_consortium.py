#!/usr/bin/env python3
"""(a) Four validators and one observer, each a real process, commit
transactions submitted to every node, and agree on every block: GET
/v1/blocks/{h} is compared across all five nodes for every height (block id,
header with state root and accumulator, transaction ids), and every
transaction is committed at the same height and index everywhere."""

import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import TestRun, check, wait_until  # noqa: E402

DEPARTMENTS = ["IPD", "CR", "DH", "EPD", "OGCIO"]
PINGS_PER_ADMIN = 12
NEW_ACCOUNTS = 3
PINGS_PER_NEW_ACCOUNT = 8


def main() -> None:
    with TestRun("consortium") as run:
        c = run.generate(validators=4, observers=1)
        check(len(c.validators) == 4 and len(c.observers) == 1, "testnet wrote 4 + 1 nodes")
        run.log("starting " + ", ".join(n.name for n in c.nodes))
        c.start()
        c.wait_height(2, timeout_s=60)
        run.log(f"committing: {c.heights()}")

        # Every department admin (accounts from genesis) and a few new accounts
        # (created by their first transaction) ping; submissions go to every
        # node in turn, the observer included (it gossips them on).
        txs = []
        for d in DEPARTMENTS:
            acct = c.account_of(c.admin_key(d))
            seq = c.next_sequence(c.nodes[0], acct["account_id"])
            txs += c.pings(c.admin_key(d), seq, PINGS_PER_ADMIN, f"{d} integration ping")
        new_accounts = []
        for i in range(NEW_ACCOUNTS):
            key = c.new_account_key(f"user{i}")
            new_accounts.append((c.account_of(key)["account_id"], PINGS_PER_NEW_ACCOUNT))
            txs += c.pings(key, 0, PINGS_PER_NEW_ACCOUNT, f"user {i}")
        before = c.nodes[0].api.status()["accumulator_size"]
        ids = c.submit_all(txs, c.nodes)
        run.log(f"submitted {len(ids)} transactions to all five nodes")
        where = c.wait_committed(ids, timeout_s=90)
        run.log(f"all committed, in blocks {min(h for h, _ in where.values())}.."
                f"{max(h for h, _ in where.values())}")
        check(len(set(where.values())) == len(ids), "two transactions share a ledger position")

        # Let a few more blocks pass, then compare every block on every node.
        top = max(h for h, _ in where.values())
        c.wait_height(top + 2, timeout_s=60)
        last = c.check_same_blocks()
        run.log(f"blocks 0..{last} identical on all {len(c.nodes)} nodes")

        # The ledger holds exactly what was submitted, and the state agrees.
        statuses = {n.name: n.api.status() for n in c.nodes}
        for name, s in statuses.items():
            check(s["accumulator_size"] >= before + len(ids),
                  f"{name}: accumulator {s['accumulator_size']} < {before} + {len(ids)}")
        sizes = {c.nodes[0].api.block(last)["header"]["accumulator_size"]}
        check(sizes == {before + len(ids)},
              f"accumulator at {last} is {sizes}, expected {before + len(ids)}")
        for account_id, count in new_accounts:
            seqs = {n.name: c.next_sequence(n, account_id) for n in c.nodes}
            check(set(seqs.values()) == {count}, f"next sequence of {account_id}: {seqs}")
            for n in c.nodes:
                ping = n.api.get_json(f"/v1/query/accounts/ping/{account_id}")
                check(ping["value_hex"] is not None, f"{n.name}: no ping record")
        for n in c.nodes:
            check(statuses[n.name]["chain_id"] == c.chain_id(), f"{n.name}: wrong chain id")
        # Committing needs only a quorum of connections: wait for the full mesh
        # (a connection may still be redialing on a loaded machine) before
        # checking the peer counts and the metrics that report them.
        def full_mesh():
            counts = {n.name: n.api.status()["peer_count"] for n in c.nodes}
            return counts if all(p == 4 for p in counts.values()) else None
        peers = wait_until(full_mesh, 30, "every node to see 4 peers")
        run.log(f"full mesh: {peers}")

        # The runtime's metrics agree with the status (Prometheus text format).
        for n in c.nodes:
            text = n.api.get("/metrics").body.decode()
            samples = {}
            for line in text.splitlines():
                if line and not line.startswith("#"):
                    name, _, value = line.rpartition(" ")
                    samples[name] = float(value)
            check(samples.get("bauhinia_peers_connected") == 4,
                  f"{n.name}: bauhinia_peers_connected {samples.get('bauhinia_peers_connected')}")
            check(samples.get("bauhinia_consensus_round", 0) > 0, f"{n.name}: no consensus round")
            for stage in ("network", "admission", "outbound"):
                key = f'bauhinia_gossip_dropped_total{{stage="{stage}"}}'
                check(samples.get(key) == 0, f"{n.name}: {key} = {samples.get(key)}")
            key = 'bauhinia_network_connections_refused_total{reason="not_allowed"}'
            check(key in samples, f"{n.name}: {key} missing")
        c.check_alive()


if __name__ == "__main__":
    main()
