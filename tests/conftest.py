"""Cross-addon tests: real Odoo servers on the database the addon tests used.

``setup/run_tests.py`` sets COMPLAINT_TEST_DB (a database with both addons
installed) and the PostgreSQL variables.
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from odoo_server import OdooServer  # noqa: E402


@pytest.fixture(scope="session")
def test_db():
    db = os.environ.get("COMPLAINT_TEST_DB")
    if not db:
        pytest.fail("COMPLAINT_TEST_DB is not set: run these tests with `make test`")
    return db


@pytest.fixture(scope="session")
def odoo_server(test_db):
    server = OdooServer(test_db, "--workers=0", "--max-cron-threads=0")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def prefork_server(test_db):
    """Two HTTP workers, as a production server runs (``--workers=2``)."""
    server = OdooServer(test_db, "--workers=2", "--max-cron-threads=0")
    yield server
    server.stop()
