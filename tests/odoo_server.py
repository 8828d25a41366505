"""Start and stop real Odoo servers for the cross-addon tests and scripts.

The PostgreSQL connection comes from PGHOST/PGPORT/PGUSER, which
``setup/common.sh`` exports for its private cluster.
"""

import os
import socket
import subprocess
import sys
import time

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def is_cron_worker(master, child):
    """Whether ``child`` (a psutil process of the prefork ``master``) is a
    cron worker: a forked child that runs niced (Odoo's WorkerCron calls
    ``os.nice(10)``); the gevent worker is a program of its own."""
    return child.nice() > master.nice() and "gevent" not in child.cmdline()


def odoo_launcher(*args):
    """Odoo (through setup/odoo_run.py) with our addons and the cluster of
    PGHOST/PGPORT/PGUSER."""
    return [
        sys.executable,
        os.path.join(ROOT, "setup", "odoo_run.py"),
        f"--addons-path={ROOT}",
        f"--db_host={os.environ['PGHOST']}",
        f"--db_port={os.environ['PGPORT']}",
        f"--db_user={os.environ['PGUSER']}",
        *args,
    ]


def odoo_command(db, port, *extra):
    return odoo_launcher(
        "-d",
        db,
        f"--db-filter=^{db}$",
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        "--log-level=warn",
        *extra,
    )


class OdooServer:
    """An Odoo server on a free loopback port, ready when /web/login answers."""

    def __init__(self, db, *extra):
        self.db = db
        self.port = free_port()
        # prefork also opens a gevent port (websocket worker): keep it free too
        self.gevent_port = None
        if any(arg.startswith("--workers=") and arg != "--workers=0" for arg in extra):
            self.gevent_port = free_port()
            extra = (*extra, f"--gevent-port={self.gevent_port}")
        self.url = f"http://127.0.0.1:{self.port}"
        os.makedirs(os.path.join(ROOT, ".local"), exist_ok=True)
        self.log = open(os.path.join(ROOT, ".local", f"server-{self.port}.log"), "w")
        self.proc = subprocess.Popen(
            odoo_command(db, self.port, *extra),
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 180
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
        raise RuntimeError("Odoo did not answer within 180 s")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


class Rpc:
    """A JSON-RPC client with its own session (cookies)."""

    def __init__(self, url, db, login, password):
        self.url, self.db, self.session = url, db, requests.Session()
        result = self._post(
            "/web/session/authenticate",
            {"db": db, "login": login, "password": password},
        )
        self.uid = result["uid"]

    def _post(self, path, params):
        reply = self.session.post(
            self.url + path, json={"jsonrpc": "2.0", "params": params}, timeout=120
        ).json()
        if "error" in reply:
            raise RuntimeError(reply["error"]["data"]["message"])
        return reply["result"]

    def call(self, model, method, *args, **kwargs):
        return self._post(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )
