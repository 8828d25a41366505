"""Cross-addon tests: a real Odoo server on the database the addon tests used.

``setup/run_tests.py`` sets COMPLAINT_TEST_DB (a database with both addons
installed) and the PostgreSQL variables. The ``odoo_server`` fixture starts
``python3 -m odoo`` on a free loopback port and stops it afterwards.
"""

import os
import socket
import subprocess
import sys
import time

import pytest
import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def odoo_command(db, port, *extra):
    return [
        sys.executable,
        "-m",
        "odoo",
        f"--addons-path={ROOT}",
        f"--db_host={os.environ['PGHOST']}",
        f"--db_port={os.environ['PGPORT']}",
        f"--db_user={os.environ['PGUSER']}",
        "-d",
        db,
        f"--db-filter=^{db}$",
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        "--log-level=warn",
        *extra,
    ]


class OdooServer:
    def __init__(self, db, *extra):
        self.db = db
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(ROOT, ".local", f"server-{self.port}.log"), "w")
        self.proc = subprocess.Popen(
            odoo_command(db, self.port, *extra), stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Odoo exited early, see {self.log.name}")
            try:
                if requests.get(self.url + "/web/login", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError("Odoo did not answer within 120 s")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


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
