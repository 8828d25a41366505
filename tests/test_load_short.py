"""Short mode of the load test (tests/load_portal.py) inside ``make test``:
a prefork server, a few clients (and a public visitor) for a few seconds,
zero errors, zero losses."""

from load_portal import Rpc, report, run_load


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
