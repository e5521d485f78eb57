"""Sample records for the demo consortium (scripts/demo.py).

Each department's admin account (demo-data/keys/<CODE>-admin.key, created in
genesis) records what that department would put on the shared ledger. The
register modules (trademark, company, health, environment) are not in this
build yet, so each record travels as the memo of a signed accounts.ping
transaction: a real BIP-340 signed transaction, ordered by BFT consensus and
committed with proofs, whose memo names the record (at most 256 bytes).
"""

SAMPLE_RECORDS = {
    "IPD": [
        "IPD trademark 306512345 'HARBOUR LIGHT': assignment of classes 9 and 42 from "
        "Harbour Light Technology Ltd to Kowloon Devices Ltd recorded by the registrar",
        "IPD trademark 306512399 'JADE TEAHOUSE': registered in classes 30 and 43",
        "IPD trademark 304400017 'PEARL DELTA': renewed until 2036-03-14",
    ],
    "CR": [
        "CR company 3214567 Kowloon Devices Ltd: annual return for 2025 delivered on time",
        "CR company 3299001 Victoria Harbour Foods Ltd incorporated (private company limited "
        "by shares), registered office in Kwun Tong",
        "CR company 1876543 Lantau Trading Ltd: annual return for 2025 overdue, flagged late",
    ],
    "DH": [
        "DH drug batch HK-56789/B2025-041: custody from importer to licensed wholesaler",
        "DH drug batch HK-56789/B2025-041: delivered to Queen Elizabeth Hospital pharmacy",
        "DH health attestation commitment 7f3a...: vaccination record anchored (no personal "
        "data on chain)",
    ],
    "EPD": [
        "EPD EIA register AEIAR-251/2025 (Tuen Mun cycle track): report version 2 hash "
        "anchored, public inspection 2026-01-05 to 2026-02-03",
        "EPD environmental permit EP-612/2025 issued for AEIAR-251/2025",
        "EPD waste trip-ticket TT-2025-118204: collector to reception point, weights match",
    ],
    "OGCIO": [
        "OGCIO consortium notice: node software 0.1.0 running on all five department nodes",
        "OGCIO consortium notice: quarterly backup drill of the department nodes completed",
        "OGCIO consortium notice: API endpoints registered for the e-government services",
    ],
}


def sample_transactions(consortium, node, round_label: str | None = None):
    """Signs every sample record with its department's admin key, starting at
    each account's next sequence on `node`. Returns [(department, memo, id, hex)]."""
    out = []
    for department, memos in SAMPLE_RECORDS.items():
        key = consortium.admin_key(department)
        account = consortium.account_of(key)["account_id"]
        sequence = consortium.next_sequence(node, account)
        for memo in memos:
            text = memo if round_label is None else f"{memo} ({round_label})"
            encoded = text.encode()
            if len(encoded) > 256:  # accounts.ping memo limit
                text = encoded[:256].decode(errors="ignore")
            (tx_id, tx_hex), = consortium.pings(key, sequence, 1, text)
            out.append((department, text, tx_id, tx_hex))
            sequence += 1
    return out
