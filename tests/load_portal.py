#!/usr/bin/env python3
"""Loopback load test of the customer portal against prefork Odoo servers.

Portal customers submit complaints (POST /my/complaints/new) and read their
list (/my/complaints) and complaints (/my/complaints/<id>) for a bounded time
and a bounded number of requests; then every accepted submission is checked to
exist exactly once. It prints throughput, p50/p95/p99 latency and errors.

Run it through ``bash setup/load.sh`` (private PostgreSQL, database with both
addons, servers started here and stopped at the end), e.g.::

    bash setup/load.sh --complaints 10000 --duration 60 --servers 1
    bash setup/load.sh --complaints 10000 --duration 60 --servers 2

Only loopback addresses are used. ``make test`` runs a short mode of it
(tests/test_load_short.py).
"""

import argparse
import itertools
import os
import random
import re
import statistics
import sys
import threading
import time
import uuid

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from odoo_server import OdooServer, Rpc  # noqa: E402

PORTAL_LOGIN = "load_portal"
PORTAL_PASSWORD = "load_portal_pw"
CSRF_RE = re.compile(r'name="csrf_token"\s+value="([^"]+)"')
SUBMITTED_RE = re.compile(r"/complaints/submitted/(\d+)")


def prepare_data(admin, complaints):
    """A portal customer, a category and ``complaints`` complaints (half of
    them the customer's) to read. Returns (category id, customer's ids)."""
    categories = admin.call(
        "complaint.category", "search_read", [("name", "=", "Load test")], ["id"]
    )
    category_id = (
        categories[0]["id"]
        if categories
        else admin.call("complaint.category", "create", {"name": "Load test"})
    )
    users = admin.call(
        "res.users", "search_read", [("login", "=", PORTAL_LOGIN)], ["partner_id"]
    )
    if users:
        partner_id = users[0]["partner_id"][0]
    else:
        portal_group = admin.call(
            "ir.model.data",
            "search_read",
            [("module", "=", "base"), ("name", "=", "group_portal")],
            ["res_id"],
        )[0]["res_id"]
        user_id = admin.call(
            "res.users",
            "create",
            {
                "name": "Load Customer",
                "login": PORTAL_LOGIN,
                "password": PORTAL_PASSWORD,
                "email": "load.customer@example.com",
                "group_ids": [(6, 0, [portal_group])],
            },
        )
        partner_id = admin.call("res.users", "read", [user_id], ["partner_id"])[0][
            "partner_id"
        ][0]
    other_partner = admin.call(
        "res.partner", "search", [("email", "=", "load.other@example.com")], limit=1
    ) or [
        admin.call(
            "res.partner",
            "create",
            {"name": "Other Customer", "email": "load.other@example.com"},
        )
    ]
    existing = admin.call(
        "complaint.complaint", "search_count", [("name", "=like", "seed-%")]
    )
    missing = max(0, complaints - existing)
    if missing:
        company_id = admin.call("res.users", "read", [admin.uid], ["company_id"])[0][
            "company_id"
        ][0]
        # Seeding is setup, not the measured load: skip the acknowledgement mails.
        admin.call(
            "res.company", "write", [company_id], {"complaint_auto_acknowledge": False}
        )
        started = time.time()
        for start in range(0, missing, 500):
            batch = [
                {
                    "name": f"seed-{existing + start + i}",
                    "description": "<p>Seeded for the load test.</p>",
                    "partner_id": partner_id
                    if (start + i) % 2 == 0
                    else other_partner[0],
                    "category_id": category_id,
                }
                for i in range(min(500, missing - start))
            ]
            admin.call("complaint.complaint", "create", batch)
        admin.call(
            "res.company", "write", [company_id], {"complaint_auto_acknowledge": True}
        )
        print(f"seeded {missing} complaints in {time.time() - started:.1f} s")
    # First login creates the user's settings record: do it once, not racing.
    Rpc(admin.url, admin.db, PORTAL_LOGIN, PORTAL_PASSWORD)
    own_ids = admin.call(
        "complaint.complaint", "search", [("partner_id", "=", partner_id)], limit=500
    )
    return category_id, own_ids


class Client(threading.Thread):
    """One customer's browser: a session on one of the servers."""

    def __init__(self, url, db, category_id, own_ids, duration, budget, results, lock):
        super().__init__(daemon=True)
        self.url, self.db = url, db
        self.category_id, self.own_ids = category_id, own_ids
        self.duration, self.budget = duration, budget
        self.results, self.lock = results, lock
        self.accepted = []

    def record(self, kind, seconds, ok):
        with self.lock:
            self.results.append((kind, seconds, ok))

    def run(self):
        started = time.perf_counter()
        try:
            session = Rpc(self.url, self.db, PORTAL_LOGIN, PORTAL_PASSWORD).session
            form = session.get(self.url + "/my/complaints/new", timeout=60)
            csrf = CSRF_RE.search(form.text).group(1)
        except Exception:  # noqa: BLE001 - any failure to log in is an error
            self.record("login", time.perf_counter() - started, False)
            return
        # The clock starts once the customer is logged in.
        self.stop_at = time.time() + self.duration
        rng = random.Random()
        while time.time() < self.stop_at and next(self.budget, None) is not None:
            kind = rng.choices(("list", "detail", "submit"), weights=(4, 4, 2))[0]
            started = time.perf_counter()
            try:
                if kind == "list":
                    response = session.get(self.url + "/my/complaints", timeout=60)
                    ok = response.status_code == 200
                elif kind == "detail":
                    complaint_id = rng.choice(self.own_ids)
                    response = session.get(
                        f"{self.url}/my/complaints/{complaint_id}", timeout=60
                    )
                    ok = response.status_code == 200
                else:
                    subject = f"load-{uuid.uuid4().hex}"
                    response = session.post(
                        self.url + "/my/complaints/new",
                        data={
                            "csrf_token": csrf,
                            "subject": subject,
                            "category_id": str(self.category_id),
                            "description": "Submitted by the load test.",
                            "consent": "on",
                        },
                        allow_redirects=False,
                        timeout=60,
                    )
                    match = SUBMITTED_RE.search(response.headers.get("Location", ""))
                    ok = response.status_code in (302, 303) and bool(match)
                    if ok:
                        self.accepted.append((subject, int(match.group(1))))
            except (requests.RequestException, ValueError):
                ok = False
            self.record(kind, time.perf_counter() - started, ok)


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def run_load(urls, db, admin, duration, threads, max_requests, complaints):
    category_id, own_ids = prepare_data(admin, complaints)
    results, lock = [], threading.Lock()
    budget = iter(range(max_requests))
    budget_lock = threading.Lock()

    def shared_budget():
        while True:
            with budget_lock:
                value = next(budget, None)
            yield value

    clients = [
        Client(url, db, category_id, own_ids, duration, shared_budget(), results, lock)
        for url, _ in zip(itertools.cycle(urls), range(threads))
    ]
    started = time.time()
    for client in clients:
        client.start()
    for client in clients:
        client.join(duration + 180)
    elapsed = time.time() - started
    accepted = [item for client in clients for item in client.accepted]
    return summarize(results, elapsed), verify(admin, accepted)


def summarize(results, elapsed):
    summary = {"elapsed": elapsed, "kinds": {}}
    for kind in ("login", "list", "detail", "submit", "total"):
        rows = [r for r in results if kind == "total" or r[0] == kind]
        times = [r[1] * 1000 for r in rows]
        summary["kinds"][kind] = {
            "count": len(rows),
            "errors": sum(1 for r in rows if not r[2]),
            "rps": len(rows) / elapsed if elapsed else 0,
            "p50": percentile(times, 0.50),
            "p95": percentile(times, 0.95),
            "p99": percentile(times, 0.99),
            "mean": statistics.fmean(times) if times else 0.0,
        }
    return summary


def verify(admin, accepted, wait=15):
    """Every accepted submission exists exactly once, with the id we were given.

    Reads may be served by a streaming replica (read-only RPC): a submission
    committed a moment ago may not have arrived there yet, so missing ones are
    looked up again for up to ``wait`` seconds before they count as lost."""
    deadline = time.time() + wait
    while True:
        check = _verify_once(admin, accepted)
        if not check["missing"] or time.time() > deadline:
            return check
        time.sleep(1)


def _verify_once(admin, accepted):
    subjects = [subject for subject, _ in accepted]
    found = {}
    for start in range(0, len(subjects), 1000):
        for row in admin.call(
            "complaint.complaint",
            "search_read",
            [("name", "in", subjects[start : start + 1000])],
            ["name"],
            context={"active_test": False},
        ):
            found.setdefault(row["name"], []).append(row["id"])
    missing = [s for s, _ in accepted if s not in found]
    duplicated = [s for s, ids in found.items() if len(ids) > 1]
    mismatched = [s for s, cid in accepted if s in found and found[s] != [cid]]
    return {
        "accepted": len(accepted),
        "found_once": len(accepted) - len(missing) - len(duplicated),
        "missing": len(missing),
        "duplicated": len(duplicated),
        "mismatched": len(mismatched),
    }


def report(label, summary, check):
    lines = [
        f"== {label}: {summary['elapsed']:.1f} s",
        f"{'kind':<8}{'count':>7}{'errors':>8}{'req/s':>8}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}",
    ]
    for kind, row in summary["kinds"].items():
        lines.append(
            f"{kind:<8}{row['count']:>7}{row['errors']:>8}{row['rps']:>8.1f}"
            f"{row['p50']:>9.0f}{row['p95']:>9.0f}{row['p99']:>9.0f}"
        )
    lines.append(
        "submissions: {accepted} accepted, {found_once} found exactly once, "
        "{missing} missing, {duplicated} duplicated, {mismatched} mismatched".format(
            **check
        )
    )
    print("\n".join(lines), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--servers", type=int, default=1, choices=(1, 2))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--complaints", type=int, default=10000)
    parser.add_argument("--max-requests", type=int, default=100000)
    parser.add_argument("--replica", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--replica-host")
    parser.add_argument("--replica-port")
    args = parser.parse_args()
    options = [f"--workers={args.workers}", "--max-cron-threads=1"]
    if args.replica_host:
        options += [
            f"--db_replica_host={args.replica_host}",
            f"--db_replica_port={args.replica_port}",
        ]
    servers = [OdooServer(args.db, *options) for _ in range(args.servers)]
    try:
        admin = Rpc(servers[0].url, args.db, "admin", "admin")
        summary, check = run_load(
            [s.url for s in servers],
            args.db,
            admin,
            args.duration,
            args.threads,
            args.max_requests,
            args.complaints,
        )
    finally:
        for server in servers:
            server.stop()
    report(
        f"{args.servers} server(s) x {args.workers} workers"
        f"{' + streaming replica' if args.replica_host else ''}, "
        f"{args.threads} clients, "
        f"{args.complaints} complaints",
        summary,
        check,
    )
    failed = (
        summary["kinds"]["total"]["errors"] or check["missing"] or check["duplicated"]
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
