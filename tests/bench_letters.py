#!/usr/bin/env python3
"""Benchmark of the letters to complainants (not a test).

Creates (once; ``--fresh``: again) a database ``complaint_letters_bench``
with both addons in the private PostgreSQL cluster of ``setup/`` (English and
Persian complainants), then measures:

- the ORM ``create`` cost per complaint, for ``--count`` complaints created
  one by one (committed every 100, tracking included; after 100 unmeasured
  ones to warm up), with the automatic
  acknowledgement off and on (on: the letter is only queued), in wall time
  and in CPU time of the benchmark's process;
- a prefork server (2 HTTP workers, 1 cron worker) draining the backlog of
  acknowledgements those creates queued, from the moment the cron worker is
  woken up (as the trigger of a queued letter wakes it): letters per second,
  the time until the outbox is empty, the CPU time per letter of the Odoo
  server (wkhtmltopdf included) and of PostgreSQL, cron runs that timed out,
  and that every complaint got exactly one acknowledgement.

The machine's load average is printed at the start and at the end: the
figures in wall time mean little on a busy machine, those in CPU time less
so.

Run it from the repository root::

    bash setup/bench.sh letters [--count 1000] [--timeout 900]

The name starts with ``bench_``: pytest (``make test``) does not collect it.
"""

import argparse
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_sla import install, start_cluster, superuser_env  # noqa: E402
from odoo_server import OdooServer  # noqa: E402

PERSIAN_SHARE = 5  # one complainant in five writes in Persian
TICKS = os.sysconf("SC_CLK_TCK")


def database_exists(db):
    listing = subprocess.run(
        ["psql", "-lqt"], capture_output=True, text=True, check=True
    ).stdout
    return any(line.split("|")[0].strip() == db for line in listing.splitlines())


def tree_cpu(root_pid):
    """CPU seconds of a process and its descendants, the ended ones
    included (a parent's ``cutime``/``cstime`` count its reaped children)."""
    stats = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # after the command: state ppid ... utime(12) stime cutime cstime
        stats[int(entry)] = (int(fields[1]), sum(int(f) for f in fields[11:15]))
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        if pid in stats:
            total += stats[pid][1]
        todo.extend(child for child, (ppid, _cpu) in stats.items() if ppid == pid)
    return total / TICKS


def postmaster_pid(cr):
    cr.execute("SHOW data_directory")
    with open(os.path.join(cr.fetchone()[0], "postmaster.pid")) as pidfile:
        return int(pidfile.readline())


def load():
    return "load average %.2f %.2f %.2f" % os.getloadavg()


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
    start, cpu = time.perf_counter(), time.process_time()
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
    return time.perf_counter() - start, time.process_time() - cpu, ids


def waiting(cr):
    cr.execute("SELECT count(*) FROM complaint_letter")
    return cr.fetchone()[0]


def measure_creates(env, args):
    partners, category = prepare(env)
    tag = f"bench-{int(time.time())}"
    before = waiting(env.cr)
    if before:
        # left by an earlier run that was stopped: the backlog is this run's
        print(f"dropping {before} letters left in the outbox by an earlier run")
        env.cr.execute("DELETE FROM complaint_letter")
        env.cr.commit()
        before = 0
    company = env.company
    # warm-up (caches, compiled templates), not measured: no letter queued
    company.complaint_auto_acknowledge = False
    timed_creates(env, min(args.count, 100), partners, category, f"{tag}-warm")
    results = {}
    for auto in (False, True):
        company.complaint_auto_acknowledge = auto
        env.cr.commit()
        seconds, cpu, ids = timed_creates(
            env, args.count, partners, category, f"{tag}-{int(auto)}"
        )
        results[auto] = (seconds, cpu)
        print(
            f"create {args.count} complaints, acknowledgement "
            f"{'on ' if auto else 'off'}: {seconds:7.1f} s "
            f"({seconds / args.count * 1000:.1f} ms per complaint; CPU of this "
            f"process {cpu / args.count * 1000:.1f} ms)",
            flush=True,
        )
    backlog = waiting(env.cr)
    print(
        f"  ratio on/off: {results[True][0] / results[False][0]:.2f} wall, "
        f"{results[True][1] / results[False][1]:.2f} CPU (target <= 1.5); "
        f"letters waiting: {backlog} ({backlog - before} queued by the creates)",
        flush=True,
    )
    return ids, backlog


def drain(env, args, server, backlog):
    """Wake the cron worker (as the trigger of a queued letter does) and
    poll the outbox until it is empty."""
    cr = env.cr
    env["ir.config_parameter"].set_param("report.url", server.url)
    cr.commit()
    pg_pid = postmaster_pid(cr)
    cpu_odoo, cpu_pg = tree_cpu(server.proc.pid), tree_cpu(pg_pid)
    # the letters were queued before the server started: their triggers'
    # notifications went to nobody
    cron = env.ref("complaint_management.ir_cron_complaint_letters")
    cron._trigger()
    cr.commit()
    start = time.perf_counter()
    first_sent = None
    last_trigger = 0.0
    while True:
        cr.rollback()
        left = waiting(cr)
        now = time.perf_counter() - start
        if first_sent is None and left < backlog:
            first_sent = now
        elif first_sent is None and now - last_trigger > 5:
            # the cron worker may not have listened yet
            cron._trigger()
            cr.commit()
            last_trigger = now
        if not left or now > args.timeout:
            break
        time.sleep(0.5)
    drained = time.perf_counter() - start
    return {
        "left": left,
        "drained": drained,
        "first_sent": first_sent or 0.0,
        "cpu_odoo": tree_cpu(server.proc.pid) - cpu_odoo,
        "cpu_pg": tree_cpu(pg_pid) - cpu_pg,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="complaint_letters_bench")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--timeout", type=int, default=900)
    parser.add_argument(
        "--fresh", action="store_true", help="create the database again"
    )
    args = parser.parse_args()
    # stopped from outside: still stop the server (the ``finally`` below)
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(1))

    pg = start_cluster()
    install(
        args.db,
        reuse=not args.fresh and database_exists(args.db),
        modules="complaint_management_reports",
    )
    print(f"start: {load()} ({os.cpu_count()} CPUs)", flush=True)
    with superuser_env(args.db, pg) as env:
        acknowledged_ids, backlog = measure_creates(env, args)
        env.cr.commit()
        print(
            "starting a prefork server (2 HTTP workers, 1 cron worker) ...",
            flush=True,
        )
        server = OdooServer(
            args.db,
            "--workers=2",
            "--max-cron-threads=1",
            "--log-level=info",
            "--limit-time-real=120",
        )
        try:
            result = drain(env, args, server, backlog)
            # the acknowledgement is the one comment with a subject (in the
            # complainant's language)
            env.cr.execute(
                """
                SELECT count(DISTINCT res_id), count(*)
                  FROM mail_message
                 WHERE model = 'complaint.complaint' AND res_id = ANY(%s)
                   AND message_type = 'comment' AND subject IS NOT NULL
                """,
                [acknowledged_ids],
            )
            complaints_with_ack, acks = env.cr.fetchone()
        finally:
            server.stop()
    with open(server.log.name) as log:
        lines = log.read().splitlines()
    timeouts = [
        line for line in lines if "timeout" in line.lower() and "Cron" in line
    ] + [line for line in lines if "timed out" in line]
    batches = [line for line in lines if "letters to complainants in" in line]
    left = result["left"]
    sent = backlog - left
    span = result["drained"] - result["first_sent"]
    print(f"backlog of {backlog} letters drained by one cron worker:")
    print(
        f"  outbox empty:                   {'yes' if not left else 'NO'} ({left} left)"
    )
    print(
        f"  time until the outbox is empty: {result['drained']:7.1f} s "
        "(from the trigger; target < 120 s)"
    )
    print(f"  first letter out after:         {result['first_sent']:7.1f} s")
    print(
        f"  letters per second:             {sent / span if span else 0:7.1f}"
        " (from the first letter out; target >= 10)"
    )
    if sent:
        print(
            f"  CPU per letter:                 "
            f"{result['cpu_odoo'] / sent * 1000:7.1f} ms Odoo server with "
            f"wkhtmltopdf, {result['cpu_pg'] / sent * 1000:.1f} ms PostgreSQL "
            f"(letters per CPU second: {sent / result['cpu_odoo']:.1f})"
        )
    print(f"  batches committed:              {len(batches)}")
    print(f"  cron runs timed out:            {len(timeouts)}")
    print(
        f"  complaints of the 'on' run with an acknowledgement: "
        f"{complaints_with_ack}/{len(acknowledged_ids)}, acknowledgements {acks}"
    )
    print(f"end: {load()}")
    for line in timeouts[:5]:
        print("   ", line)


if __name__ == "__main__":
    main()
