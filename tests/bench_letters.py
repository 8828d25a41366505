#!/usr/bin/env python3
"""Benchmark of the letters to complainants (not a test).

Creates (once) a database ``complaint_letters_bench`` with both addons in the
private PostgreSQL cluster of ``setup/`` (English and Persian complainants),
then measures:

- the ORM ``create`` cost per complaint, for ``--count`` complaints created
  one by one (committed every 100, tracking included), with the automatic
  acknowledgement off and on (on: the letter is only queued);
- a prefork server (2 HTTP workers, 1 cron worker) draining the backlog of
  acknowledgements those creates queued: letters per second, the time until
  the outbox is empty, cron runs that timed out, and that every complaint got
  exactly one acknowledgement.

Run it from the repository root::

    bash setup/bench.sh letters [--count 1000]

The name starts with ``bench_``: pytest (``make test``) does not collect it.
"""

import argparse
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from odoo_server import ROOT, OdooServer, odoo_launcher  # noqa: E402

PERSIAN_SHARE = 5  # one complainant in five writes in Persian


def ensure_database(db):
    listing = subprocess.run(
        ["psql", "-lqt"], capture_output=True, text=True, check=True
    ).stdout
    if any(line.split("|")[0].strip() == db for line in listing.splitlines()):
        return
    print(f"creating database {db} with both addons ...", flush=True)
    subprocess.run(
        odoo_launcher(
            "-d",
            db,
            "-i",
            "complaint_management_reports",
            "--stop-after-init",
            "--no-http",
            "--log-level=warn",
        ),
        check=True,
    )


def prepare(env):
    env["res.lang"]._activate_lang("fa_IR")
    env["ir.module.module"]._load_module_terms(
        ["complaint_management", "complaint_management_reports"], ["fa_IR"]
    )
    partners = env["res.partner"].create(
        [
            {
                "name": f"Bench customer {i}",
                "email": f"bench{i}@example.com",
                "lang": "fa_IR" if i % PERSIAN_SHARE == 0 else "en_US",
            }
            for i in range(50)
        ]
    )
    category = env["complaint.category"].search([], limit=1) or env[
        "complaint.category"
    ].create({"name": "Bench"})
    env.cr.commit()
    return partners, category


def timed_creates(env, count, partners, category, tag):
    Complaint = env["complaint.complaint"]
    ids = []
    start = time.perf_counter()
    for i in range(count):
        ids.append(
            Complaint.create(
                {
                    "name": f"{tag} {i}",
                    "description": "<p>The parcel arrived broken.</p>",
                    "partner_id": partners[i % len(partners)].id,
                    "category_id": category.id,
                }
            ).id
        )
        if i % 100 == 99:
            env.cr.commit()
    env.cr.commit()
    return time.perf_counter() - start, ids


def waiting(cr):
    cr.execute("SELECT count(*) FROM complaint_letter")
    return cr.fetchone()[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="complaint_letters_bench")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--timeout", type=int, default=900)
    args = parser.parse_args()
    # stopped from outside: still stop the server (the ``finally`` below)
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(1))

    ensure_database(args.db)
    import odoo
    from odoo import api
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(
        [
            f"--addons-path={ROOT}",
            f"--db_host={os.environ['PGHOST']}",
            f"--db_port={os.environ['PGPORT']}",
            f"--db_user={os.environ['PGUSER']}",
            "-d",
            args.db,
            "--log-level=warn",
        ]
    )
    registry = Registry(args.db)
    tag = f"bench-{int(time.time())}"
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        partners, category = prepare(env)
        before = waiting(cr)
        company = env.company
        results = {}
        for auto in (False, True):
            company.complaint_auto_acknowledge = auto
            cr.commit()
            seconds, ids = timed_creates(
                env, args.count, partners, category, f"{tag}-{int(auto)}"
            )
            results[auto] = seconds
            print(
                f"create {args.count} complaints, acknowledgement "
                f"{'on ' if auto else 'off'}: {seconds:7.1f} s "
                f"({seconds / args.count * 1000:.1f} ms per complaint)",
                flush=True,
            )
        backlog = waiting(cr)
        acknowledged_ids = ids
        print(
            f"  ratio on/off: {results[True] / results[False]:.2f} "
            f"(target <= 1.5); letters waiting: {backlog} "
            f"({backlog - before} queued by the creates)",
            flush=True,
        )

    print("starting a prefork server (2 HTTP workers, 1 cron worker) ...", flush=True)
    server = OdooServer(
        args.db,
        "--workers=2",
        "--max-cron-threads=1",
        "--log-level=info",
        "--limit-time-real=120",
    )
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {})
            env["ir.config_parameter"].set_param("report.url", server.url)
            cr.commit()
            start = time.perf_counter()
            first_sent = None
            samples = []
            while True:
                cr.rollback()
                left = waiting(cr)
                now = time.perf_counter() - start
                if first_sent is None and left < backlog:
                    first_sent = now
                samples.append((now, left))
                if not left or now > args.timeout:
                    break
                time.sleep(0.5)
            drained = time.perf_counter() - start
            # the acknowledgement is the one comment with a subject (in the
            # complainant's language)
            cr.execute(
                """
                SELECT count(DISTINCT res_id), count(*)
                  FROM mail_message
                 WHERE model = 'complaint.complaint' AND res_id = ANY(%s)
                   AND message_type = 'comment' AND subject IS NOT NULL
                """,
                [acknowledged_ids],
            )
            complaints_with_ack, acks = cr.fetchone()
    finally:
        server.stop()
    with open(server.log.name) as log:
        lines = log.read().splitlines()
    timeouts = [
        line for line in lines if "timeout" in line.lower() and "Cron" in line
    ] + [line for line in lines if "timed out" in line]
    batches = [line for line in lines if "letters to complainants in" in line]
    sent = backlog - left
    span = drained - (first_sent or 0)
    print(f"backlog of {backlog} letters drained by one cron worker:")
    print(f"  left in the outbox:            {left}")
    print(f"  time until the outbox is empty: {drained:7.1f} s (from server start)")
    print(f"  first letter out after:         {first_sent or 0:7.1f} s")
    print(
        f"  letters per second:             {sent / span if span else 0:7.1f}"
        " (from the first letter out)"
    )
    print(f"  batches committed:              {len(batches)}")
    print(f"  cron runs timed out:            {len(timeouts)}")
    print(
        f"  complaints of the 'on' run with an acknowledgement: "
        f"{complaints_with_ack}/{len(acknowledged_ids)}, acknowledgements {acks}"
    )
    for line in timeouts[:5]:
        print("   ", line)


if __name__ == "__main__":
    main()
