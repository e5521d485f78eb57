#!/usr/bin/env python3
"""Issue 10, items 3 and 8: live epoch changes decided by governance, in a
running cluster of real nodes.

Four validators (IPD, CR, DH, EPD) run; OBS1 runs as an observer (its key is
not in the genesis set). Department admins sign system.propose (add OBS1 as
a validator of department OGCIO) and system.approve until more than two
thirds of the five departments approved: the block of the passing approval
ends epoch 0.
  - Every node enters epoch 1; OBS1 reports role "validator" and its index in
    epoch 1's set appears among the signers of commit certificates.
  - With one ORIGINAL validator (DH) stopped, the cluster still commits: a
    quorum of the five (4) needs OBS1's votes. DH restarted in epoch 1
    catches up and follows.
Then governance removes EPD (epoch 2):
  - EPD reports role "observer", its key signs no commit certificate of
    epoch 2, and votes it keeps signing with its real key (the peer harness
    runs as EPD, its node stopped) are refused by the others as a
    non-member's (bauhinia_consensus_messages_rejected_total{reason=
    "unknown_signer"}); the cluster keeps committing.
  - OBS2, started on an empty ledger after both changes, syncs across them:
    the same block ids, headers and accumulator roots as the validators, and
    docs/api/verify.py, trusting only the genesis set, follows the epoch change
    proof (/v1/epochs/proof) to verify a transaction certified in epoch 2.
  - OBS1 restarted in epoch 2 is a validator (from the set, not its
    config.toml) and signs again."""

import re
import subprocess
import sys
import time
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import HarnessError, TestRun, check, run_peer_harness, wait_until  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
EXPIRY_MS = 2 * 3600 * 1000  # proposals stay open two hours (chain minimum: one)


def metric(node, name: str, labels: str = "") -> float:
    """A sample of the node's /metrics (0 when absent)."""
    text = node.api.get("/metrics").body.decode()
    pattern = re.escape(name) + (re.escape("{" + labels + "}") if labels else r"(?:\{\})?")
    m = re.search(r"^" + pattern + r"\s+([0-9.eE+-]+)\s*$", text, re.M)
    return float(m.group(1)) if m else 0.0


def validator_set(node, epoch: int) -> list[str]:
    doc = node.api.get_json(f"/v1/validators?epoch={epoch}")
    return [v["key"] for v in doc["validator_set"]["validators"]]


def signers_in_epoch(node, epoch: int, heights) -> set[int]:
    """Indices of the signers of the commit certificates of `heights` that
    are blocks of `epoch`."""
    out = set()
    for h in heights:
        b = node.api.get_json(f"/v1/blocks/{h}")
        cert = b["commit_certificate"]
        if cert is None or b["header"]["epoch"] != epoch:
            continue
        if cert["ledger_info"]["epoch"] == epoch:
            out.update(cert["signers"])
    return out


def main() -> None:
    with TestRun("epoch_change") as run:
        c = run.generate(validators=4, observers=2)
        newcomer, late = c.observers
        ipd, cr, dh, epd = c.validators
        c.start(c.validators + [newcomer])
        c.wait_height(2, c.validators + [newcomer], timeout_s=60)
        genesis_keys = validator_set(ipd, 0)
        check(newcomer.public_key() not in genesis_keys, "the newcomer is not a genesis validator")
        check(newcomer.api.status()["role"] == "observer", "the newcomer starts as an observer")

        seq = {}

        def signed(dept: str, *args: str) -> tuple[str, str]:
            key = c.admin_key(dept)
            account = c.account_of(key)["account_id"]
            if dept not in seq:
                seq[dept] = c.next_sequence(ipd, account)
            out = c.testtx(*args, "--key", str(key), "--genesis", str(c.genesis_path),
                           "--sequence", str(seq[dept]))
            seq[dept] += 1
            tx_id, tx_hex = out.split()
            return tx_id, tx_hex

        def govern(proposal_id: int, proposer: str, approvers: list[str], *terms: str,
                   via) -> list[str]:
            expiry = int(time.time() * 1000) + EXPIRY_MS
            ids = c.submit_all([signed(proposer, "propose", "--expiry-ms", str(expiry), *terms)],
                               via)
            c.wait_committed(ids, via, timeout_s=60)
            for d in approvers:
                more = c.submit_all([signed(d, "approve", "--id", str(proposal_id))], via)
                c.wait_committed(more, via, timeout_s=60)
                ids += more
            return ids

        def wait_epoch(epoch: int, nodes) -> None:
            def reached():
                c.check_alive(nodes)
                return all(n.api.status()["epoch"] >= epoch for n in nodes)
            wait_until(reached, 90, f"epoch {epoch} on {', '.join(n.name for n in nodes)}", 0.3)

        # ---- epoch 1: OBS1 added ------------------------------------------------------
        run.log(f"governance adds {newcomer.name} as a validator")
        govern(1, "IPD", ["CR", "DH", "EPD"], "--kind", "add-validator", "--node-key",
               newcomer.public_key(), "--name", newcomer.name, "--power", "1",
               "--department", "OGCIO", via=c.validators)
        wait_epoch(1, c.validators + [newcomer])
        set1 = validator_set(ipd, 1)
        check(set1 == genesis_keys + [newcomer.public_key()],
              f"epoch 1's set is the genesis set plus the newcomer: {set1}")
        check(newcomer.api.status()["role"] == "validator", "the newcomer votes from epoch 1")
        check(metric(newcomer, "bauhinia_consensus_is_validator") == 1, "is_validator metric")
        check(metric(ipd, "bauhinia_consensus_epoch") == 1, "bauhinia_consensus_epoch")
        check("this node is a validator from now on" in newcomer.log_text(),
              "the newcomer logged that it votes now")
        start = ipd.height()
        c.wait_growth(4, c.validators + [newcomer], timeout_s=60)
        newcomer_index = set1.index(newcomer.public_key())
        signers = signers_in_epoch(ipd, 1, range(start, ipd.height() + 1))
        check(newcomer_index in signers,
              f"{newcomer.name} (index {newcomer_index}) signs commit certificates: {signers}")

        run.log(f"stopping {dh.name}: a quorum of 4 of 5 needs {newcomer.name}'s votes")
        dh.stop()
        up = [ipd, cr, epd, newcomer]
        c.wait_growth(4, up, timeout_s=90)
        run.log(f"committing without {dh.name}: {c.heights(up)}")
        dh.start()
        dh.wait_ready()
        check(dh.api.status()["epoch"] == 1, f"{dh.name} restarts in epoch 1")
        c.wait_growth(3, up + [dh], timeout_s=90)
        c.check_same_blocks(up + [dh])

        # ---- epoch 2: EPD removed -------------------------------------------------------
        running = [ipd, cr, dh, newcomer]
        run.log(f"governance removes {epd.name}")
        ids = govern(2, "IPD", ["CR", "DH", "OGCIO"], "--kind", "remove-validator",
                     "--node-key", epd.public_key(), via=running)
        wait_epoch(2, running + [epd])
        set2 = validator_set(ipd, 2)
        check(epd.public_key() not in set2 and len(set2) == 4, f"epoch 2's set: {set2}")
        check(epd.api.status()["role"] == "observer", f"{epd.name} is an observer now")
        check("no longer a validator" in epd.log_text(), f"{epd.name} logged its removal")
        start = ipd.height()
        c.wait_growth(4, running, timeout_s=60)
        signers = signers_in_epoch(ipd, 2, range(start, ipd.height() + 1))
        check(signers and max(signers) < len(set2), f"epoch 2 signers index its set: {signers}")

        # The removed validator keeps voting with its real key: refused.
        epd.stop()
        before = metric(ipd, "bauhinia_consensus_messages_rejected_total",
                        'reason="unknown_signer"')
        got = run_peer_harness(c.binaries, "removed_validator", epd.home, ipd.name,
                               params={"epoch": 2, "votes": 5}, timeout_ms=60000)
        check(got.returncode == 0 and got.result == "sent", f"harness: {got.output}")
        wait_until(lambda: metric(ipd, "bauhinia_consensus_messages_rejected_total",
                                  'reason="unknown_signer"') >= before + 5,
                   30, f"{ipd.name} refuses {epd.name}'s votes as a non-member's", 0.3)
        c.wait_growth(3, running, timeout_s=60)
        # A transaction of epoch 2, for the verifier below.
        after = c.submit_all(c.pings(c.new_account_key("epoch2"), 0, 1, "in epoch 2"), running)
        c.wait_committed(after, running, timeout_s=60)

        # ---- an observer syncs across both changes ----------------------------------------
        run.log(f"{late.name} starts on an empty ledger at {c.heights(running)}")
        late.start()
        late.wait_ready()
        target = max(c.heights(running).values())
        c.wait_height(target, [late], timeout_s=120)
        wait_epoch(2, [late])
        c.wait_committed(ids + after, [late], timeout_s=30)
        last = c.check_same_blocks(running + [late])
        run.log(f"blocks 0..{last} identical on {late.name} and the validators")
        check(late.api.status()["role"] == "observer", f"{late.name} stays an observer")
        proof = late.api.get_json("/v1/epochs/proof?from=0")
        check(len(proof["changes"]) == 2, f"two epoch changes proven: {proof}")

        # An independent verifier trusting only the genesis set follows both
        # changes and checks a transaction certified by epoch 2's set.
        genesis = late.api.get_json("/v1/validators?epoch=0")["validator_set_hex"]
        out = subprocess.run(
            [sys.executable, str(REPO / "docs" / "api" / "verify.py"), "--url",
             f"http://{late.host}:{late.api_port}", "--chain-id", c.chain_id(),
             "--genesis-validators", genesis, "transaction", after[0]],
            capture_output=True, text=True, timeout=60)
        if out.returncode == 77:
            raise HarnessError("verify.py needs python3-cryptography")
        check(out.returncode == 0 and out.stdout.startswith("OK"),
              f"verify.py: {out.stdout}{out.stderr}")
        run.log(out.stdout.strip())

        # The added validator restarts: its role comes from the set (its
        # config.toml still says observer), and it signs again.
        newcomer.stop()
        newcomer.start()
        newcomer.wait_ready()
        status = newcomer.api.status()
        check(status["epoch"] == 2 and status["role"] == "validator",
              f"{newcomer.name} restarts as a validator of epoch 2: {status}")
        start = ipd.height()
        c.wait_growth(6, running + [late], timeout_s=90)
        signers = signers_in_epoch(ipd, 2, range(start + 2, ipd.height() + 1))
        check(set2.index(newcomer.public_key()) in signers,
              f"{newcomer.name} signs again after its restart: {signers}")
        c.check_alive(running + [late])


if __name__ == "__main__":
    main()
