"""Short mode of the load test (tests/load_portal.py) inside ``make test``:
a prefork server, a few clients (and a public visitor) for a few seconds,
zero errors, zero losses."""

import argparse

from load_portal import OCA, OURS, Rpc, compare_oca, report, run_load
from odoo_server import OdooServer


def test_portal_load_short(prefork_server, test_db):
    admin = Rpc(prefork_server.url, test_db, "admin", "admin")
    summary, check = run_load(
        [prefork_server.url],
        test_db,
        admin,
        duration=10,
        threads=4,
        max_requests=300,
        complaints=60,
        public_threads=1,
    )
    report("short load (1 server x 2 workers)", summary, check)
    total = summary["kinds"]["total"]
    assert total["count"] > 20, "the load test ran too few requests to mean anything"
    assert total["errors"] == 0
    assert summary["errors"] == 0, "a visitor's public page failed"
    for kind in ("public form", "policy"):
        assert summary["kinds"][kind]["count"] > 0, kind
    assert summary["kinds"]["submit"]["count"] > 0
    assert check["accepted"] > 0
    assert check["missing"] == 0
    assert check["duplicated"] == 0
    assert check["mismatched"] == 0


def test_compare_oca_short(test_db):
    """The side-by-side comparison (``setup/load.sh --compare-oca``) in
    short: both portals served without error or loss, our letters all out,
    our scheduled actions as they were before (off during OCA's run only)."""
    server = OdooServer(test_db, "--workers=0", "--max-cron-threads=0")
    try:
        admin = Rpc(server.url, test_db, "admin", "admin")

        def our_crons():
            rows = admin.call(
                "ir.model.data",
                "search_read",
                [("module", "=", "complaint_management"), ("model", "=", "ir.cron")],
                ["res_id"],
            )
            return admin.call(
                "ir.cron",
                "search_read",
                [
                    ("id", "in", [row["res_id"] for row in rows]),
                    ("active", "in", [True, False]),
                ],
                ["active"],
            )

        before = our_crons()
        runs = compare_oca(
            argparse.Namespace(
                db=test_db,
                workers=2,
                cron_workers=1,
                complaints=40,
                duration=4,
                threads=2,
                max_requests=100,
                public_threads=0,
            )
        )
        assert our_crons() == before
    finally:
        server.stop()
    assert any(cron["active"] for cron in before)
    for portal in (OURS, OCA):
        summary, check, *_rest = runs[portal]
        assert summary["kinds"]["total"]["count"] > 5, portal.label
        assert summary["errors"] == 0, portal.label
        assert check["accepted"] > 0, portal.label
        assert check["missing"] == check["duplicated"] == check["mismatched"] == 0
    assert runs[OURS][3] is not None, "our letters were not all sent"
