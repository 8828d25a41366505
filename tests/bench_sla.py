#!/usr/bin/env python3
"""SLA benchmark: complaint_management against OCA helpdesk_mgmt_sla.

Not a test (pytest does not collect ``bench_*`` files; ``make test`` never runs
it). From the repository root, with the private cluster of ``setup/``::

    bash setup/bench.sh sla --sizes 1000,10000,100000

It (re)creates the database ``complaint_sla_bench`` (``--db``), installs
``complaint_management`` and ``helpdesk_mgmt_sla`` into it, and prints for
each N:

* SLA assignment cost per record at creation, "with rules minus without":
  the same ORM ``create`` (batches of ``--chunk``, default 50, alternating
  with and without the rule, median of the per-batch differences, in wall
  time and in CPU time of the Odoo process) with no SLA rule and with one
  equivalent rule (4 working hours on the company calendar),
  for our complaints and for OCA tickets (team ``use_sla`` off/on with one
  ``helpdesk.sla``), on top of the N open records. Creation runs through
  the ORM for at most ``--create-cap`` more records (default 2,000): the
  per-record cost does not depend on how many are created. Also printed:
  the same with one record per ``create`` call (``--single``, default 100).
* Cron sweep time and query count with N open complaints, each with an SLA
  line, of which ``--due-percent`` (default 1 %) have a warning due and as
  many are past their deadline. The N complaints and lines of the sweep are
  inserted in bulk with SQL (an ORM create of 100,000 complaints takes tens
  of minutes and is not what is measured). The sweep runs
  ``complaint.sla.status._cron_check_sla`` (claims, activities, a digest
  e-mail per handler, failure, escalation) and then once more with nothing
  due.
* The OCA equivalent on N tickets: helpdesk_mgmt_sla has no cron (no warning,
  no escalation); what finds its breached tickets is the ``sla_expired``
  search, which is timed instead.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager

from odoo_server import odoo_launcher

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--db", default="complaint_sla_bench")
    parser.add_argument("--create-cap", type=int, default=2000)
    parser.add_argument("--single", type=int, default=100)
    parser.add_argument("--chunk", type=int, default=50)
    parser.add_argument(
        "--sweep-only", action="store_true", help="skip the creation measurements"
    )
    parser.add_argument("--due-percent", type=float, default=1.0)
    parser.add_argument("--reuse", action="store_true", help="keep an installed db")
    return parser.parse_args()


def setup_shell(command):
    """Run a function of setup/common.sh (the README commands' own)."""
    subprocess.run(
        ["bash", "-c", f"source '{ROOT}/setup/common.sh' && {command}"], check=True
    )


def start_cluster():
    """Start the private cluster of setup/common.sh; return its libpq env."""
    setup_shell("start_postgres")
    env = {
        "PGHOST": os.environ.get("PGHOST") or os.path.join(ROOT, ".local", "pgsock"),
        "PGPORT": os.environ.get("PGPORT")
        or os.environ.get("COMPLAINT_PGPORT", "55432"),
        "PGUSER": os.environ.get("PGUSER", "odoo"),
    }
    os.environ.update(env)
    return env


def install(db, reuse, modules="complaint_management,helpdesk_mgmt_sla"):
    """(Re)create ``db`` with ``modules`` installed (one Odoo process). A
    reused database is upgraded first when the addons' code changed since
    (``ensure_addons_current``, as ``setup/load.sh`` does)."""
    if reuse:
        setup_shell(f"ensure_addons_current '{db}' --always")
        return
    subprocess.run(["dropdb", "--if-exists", db], check=True)
    print(f"installing {modules} into {db} ...", flush=True)
    subprocess.run(
        odoo_launcher(
            "-d",
            db,
            "-i",
            modules,
            "--stop-after-init",
            "--log-level=warn",
            "--http-port=0",
            "--max-cron-threads=0",
        ),
        check=True,
    )
    # this code is in the database now
    setup_shell(f"rm -f \"$LOCAL/addons-{db}.sha\"; ensure_addons_current '{db}'")


@contextmanager
def measure(cr, result):
    cr.flush()
    queries = cr.sql_log_count
    start, cpu = time.perf_counter(), time.process_time()
    yield
    cr.flush()
    result["seconds"] = time.perf_counter() - start
    result["cpu"] = time.process_time() - cpu
    result["queries"] = cr.sql_log_count - queries


class Bench:
    def __init__(self, env, args):
        self.env = env
        self.cr = env.cr
        self.args = args
        company = env.company
        self.calendar = company.resource_calendar_id
        company.write({"complaint_auto_acknowledge": True})
        self.handler = env["res.users"].search([("login", "=", "sla_bench_handler")])
        if not self.handler:
            self.handler = env["res.users"].create(
                {
                    "name": "Bench Handler",
                    "login": "sla_bench_handler",
                    "email": "handler@example.com",
                    "group_ids": [
                        (4, env.ref("complaint_management.group_complaint_user").id)
                    ],
                }
            )
        Team = env["helpdesk.ticket.team"]
        self.team = Team.search([("name", "=", "SLA bench")], limit=1) or Team.create(
            {"name": "SLA bench", "user_ids": [(6, 0, self.handler.ids)]}
        )
        self.team.write({"resource_calendar_id": self.calendar.id})
        self.category = env["complaint.category"].search(
            [("name", "=", "SLA bench")], limit=1
        ) or env["complaint.category"].create(
            {"name": "SLA bench", "team_id": self.team.id}
        )
        self.channel = env.ref("complaint_management.complaint_channel_phone")
        env["complaint.sla"].search([]).write({"active": False})
        self.rule = env["complaint.sla"].create(
            {
                "name": "Bench: assess within 4 working hours",
                "target_step": "assessed",
                "time_hours": 4,
                "calendar_id": self.calendar.id,
                "warning_percent": 75,
                "team_ids": [(6, 0, self.team.ids)],
                "escalate_to_id": env.ref("base.user_admin").id,
                "escalate_activity": True,
                "active": False,
            }
        )
        # OCA: an equivalent rule on the same team and calendar.
        stages = env["helpdesk.ticket.stage"].search([], order="sequence")
        env["helpdesk.sla"].search([]).write({"active": False})
        self.oca_rule = env["helpdesk.sla"].create(
            {
                "name": "Bench: 4 working hours",
                "team_ids": [(6, 0, self.team.ids)],
                "stage_id": stages[1].id if len(stages) > 1 else stages.id,
                "hours": 4,
            }
        )
        self.cr.commit()

    # --------------------------------------------------------------
    def wipe(self, what=("complaint.complaint", "helpdesk.ticket")):
        tables = {
            "complaint.complaint": "complaint_complaint",
            "helpdesk.ticket": "helpdesk_ticket",
        }
        for model in what:
            self.cr.execute(f"TRUNCATE {tables[model]} CASCADE")
            for table, column in (
                ("mail_activity", "res_model"),
                ("mail_followers", "res_model"),
                ("mail_message", "model"),
            ):
                self.cr.execute(f"DELETE FROM {table} WHERE {column} = %s", [model])
        self.cr.commit()
        self.env.invalidate_all()

    def _toggle(self, kind, on):
        """Switch the rule on/off in SQL: measuring creation, not re-application."""
        if kind == "ours":
            self.cr.execute(
                "UPDATE complaint_sla SET active = %s WHERE id = %s", [on, self.rule.id]
            )
        else:
            self.cr.execute(
                "UPDATE helpdesk_ticket_team SET use_sla = %s WHERE id = %s",
                [on, self.team.id],
            )
        self.cr.commit()
        self.env.invalidate_all()
        # The rules are cached per worker; a change made in SQL must say so.
        self.env.registry.clear_cache()

    def _create(self, kind, start, size):
        if kind == "ours":
            return self.env["complaint.complaint"].create(
                [
                    {
                        "name": f"Bench complaint {start + i}",
                        "category_id": self.category.id,
                        "channel_id": self.channel.id,
                    }
                    for i in range(size)
                ]
            )
        return self.env["helpdesk.ticket"].create(
            [
                {
                    "name": f"Bench ticket {start + i}",
                    "description": "<p>Bench</p>",
                    "team_id": self.team.id,
                }
                for i in range(size)
            ]
        )

    def creation_cost(self, kind, count, chunk):
        """Create ``count`` records with the rule and ``count`` without, in
        alternating chunks (warm-up first), on top of the records already
        there. The machine is shared with other jobs, so wall time is noisy:
        the cost of the rule is the median of the per-chunk differences
        (with - without) per record, in wall time and in this process's CPU
        time (which leaves out PostgreSQL's own time); query counts are
        exact."""
        self._toggle(kind, True)
        self._create(kind, 0, min(chunk, 100))  # warm-up, not measured
        self.cr.commit()
        diffs, cpu_diffs, queries, base = [], [], [0, 0], []
        done, turn = 0, 0
        while done < count:
            size = min(chunk, count - done)
            parts = {}
            for with_rule in (True, False) if turn % 2 else (False, True):
                self._toggle(kind, with_rule)
                # Switching the rule clears the rule and calendar caches; a
                # running server has them warm (rules change rarely): one
                # unmeasured record warms them, for both products alike.
                self._create(kind, done, 1)
                self.cr.commit()
                self.env.invalidate_all()
                part = parts[with_rule] = {}
                with measure(self.cr, part):
                    records = self._create(kind, done, size)
                queries[with_rule] += part["queries"]
                if kind == "ours":
                    assert bool(records.sla_status_ids) == with_rule
                else:
                    assert bool(records.ticket_sla_ids) == with_rule
                self.cr.commit()
                self.env.invalidate_all()
            diffs.append((parts[True]["seconds"] - parts[False]["seconds"]) / size)
            cpu_diffs.append((parts[True]["cpu"] - parts[False]["cpu"]) / size)
            base.append(parts[False]["seconds"] / size)
            done += size
            turn += 1
        self._toggle(kind, True)
        return {
            "ms": 1000 * statistics.median(diffs),
            "cpu_ms": 1000 * statistics.median(cpu_diffs),
            "queries": (queries[True] - queries[False]) / count,
            "base_ms": 1000 * statistics.median(base),
        }

    # --------------------------------------------------------------
    def populate_complaints(self, count, now):
        """N open complaints with one ongoing SLA line each, in bulk SQL:
        ``due`` have their warning due, ``due`` are past their deadline."""
        self.wipe(["complaint.complaint"])
        self._toggle("ours", True)
        due = int(count * self.args.due_percent / 100)
        stage = self.env.ref("complaint_management.complaint_stage_acknowledged")
        company = self.env.company
        self.cr.execute(
            """
            INSERT INTO complaint_complaint
                   (name, reference, company_id, channel_id, category_id, team_id,
                    user_id, stage_id, step, priority, customer_reaction,
                    date_received, active, create_date, write_date,
                    create_uid, write_uid)
            SELECT 'Bench complaint ' || n, 'BENCH/' || n, %(company)s,
                   %(channel)s, %(category)s, %(team)s, %(user)s, %(stage)s,
                   'acknowledged', '0', 'none', %(now)s, true, %(now)s, %(now)s,
                   1, 1
              FROM generate_series(1, %(count)s) n
            """,
            {
                "company": company.id,
                "channel": self.channel.id,
                "category": self.category.id,
                "team": self.team.id,
                "user": self.handler.id,
                "stage": stage.id,
                "now": now,
                "count": count,
            },
        )
        # Line k: k <= due -> warning due; due < k <= 2 due -> breached;
        # others -> due in the coming days.
        self.cr.execute(
            """
            INSERT INTO complaint_sla_status
                   (complaint_id, sla_id, company_id, target_step, start_date,
                    deadline, warning_date, status, paused_hours, exceeded_hours,
                    warned, escalated, create_date, write_date, create_uid,
                    write_uid)
            SELECT c.id, %(rule)s, c.company_id, 'assessed', %(now)s,
                   CASE WHEN r.k <= %(due)s THEN %(now)s + interval '1 hour'
                        WHEN r.k <= 2 * %(due)s THEN %(now)s - interval '1 hour'
                        ELSE %(now)s + (r.k %% 72) * interval '1 hour'
                                     + interval '2 hours' END,
                   CASE WHEN r.k <= %(due)s THEN %(now)s - interval '10 minutes'
                        WHEN r.k <= 2 * %(due)s THEN %(now)s - interval '2 hours'
                        ELSE %(now)s + (r.k %% 72) * interval '1 hour'
                                     + interval '1 hour' END,
                   'ongoing', 0, 0, r.k > %(due)s AND r.k <= 2 * %(due)s, false,
                   %(now)s, %(now)s, 1, 1
              FROM complaint_complaint c
              JOIN (SELECT id, row_number() OVER (ORDER BY id) AS k
                      FROM complaint_complaint) r ON r.id = c.id
            """,
            {"rule": self.rule.id, "now": now, "due": due},
        )
        self.cr.execute(
            """
            UPDATE complaint_complaint c SET sla_deadline = s.deadline,
                   sla_failed = false
              FROM complaint_sla_status s WHERE s.complaint_id = c.id
            """
        )
        self.cr.execute("ANALYZE complaint_complaint; ANALYZE complaint_sla_status")
        self.cr.commit()
        self.env.invalidate_all()
        return due

    def sweep(self):
        result = {}
        with measure(self.cr, result):
            done = self.env["complaint.sla.status"]._cron_check_sla()
        result["done"] = done
        self.cr.commit()
        return result

    def populate_tickets(self, count, now, due):
        self.wipe(["helpdesk.ticket"])
        self._toggle("oca", True)
        stage = self.env["helpdesk.ticket.stage"].search([], order="sequence", limit=1)
        self.cr.execute(
            """
            INSERT INTO helpdesk_ticket
                   (name, description, number, company_id, team_id, user_id,
                    stage_id, priority, active, create_date, write_date,
                    create_uid, write_uid)
            SELECT 'Bench ticket ' || n, '<p>Bench</p>', 'HT-BENCH-' || n,
                   %(company)s, %(team)s, %(user)s, %(stage)s, '1', true,
                   %(now)s, %(now)s, 1, 1
              FROM generate_series(1, %(count)s) n
            """,
            {
                "company": self.env.company.id,
                "team": self.team.id,
                "user": self.handler.id,
                "stage": stage.id,
                "now": now,
                "count": count,
            },
        )
        self.cr.execute(
            """
            INSERT INTO helpdesk_ticket_sla
                   (ticket_id, sla_id, deadline, hours, expected_stage_id,
                    consumed_time, last_state_date, state, create_date,
                    write_date, create_uid, write_uid)
            SELECT t.id, %(rule)s,
                   CASE WHEN r.k <= %(due)s THEN %(now)s - interval '1 hour'
                        ELSE %(now)s + interval '2 hours' END,
                   4, %(stage)s, 0, %(now)s, 'in_progress', %(now)s, %(now)s, 1, 1
              FROM helpdesk_ticket t
              JOIN (SELECT id, row_number() OVER (ORDER BY id) AS k
                      FROM helpdesk_ticket) r ON r.id = t.id
            """,
            {
                "rule": self.oca_rule.id,
                "now": now,
                "due": due,
                "stage": self.oca_rule.stage_id.id,
            },
        )
        self.cr.execute("ANALYZE helpdesk_ticket; ANALYZE helpdesk_ticket_sla")
        self.cr.commit()
        self.env.invalidate_all()

    def oca_find_breaches(self):
        result = {}
        with measure(self.cr, result):
            tickets = self.env["helpdesk.ticket"].search([("sla_expired", "=", True)])
            result["done"] = len(tickets)
        return result


@contextmanager
def superuser_env(db, pg):
    """An environment of the superuser on ``db`` of the private cluster (the
    benchmarks run Odoo in their own process)."""
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(
        [
            f"--addons-path={ROOT}",
            f"--db_host={pg['PGHOST']}",
            f"--db_port={pg['PGPORT']}",
            f"--db_user={pg['PGUSER']}",
            "-d",
            db,
            "--log-level=warn",
        ],
        setup_logging=True,
    )
    with Registry(db).cursor() as cr:
        yield api.Environment(cr, SUPERUSER_ID, {})


def main():
    args = parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    pg = start_cluster()
    install(args.db, args.reuse)

    from odoo import fields  # noqa: PLC0415

    rows = []
    with superuser_env(args.db, pg) as env:
        bench = Bench(env, args)
        for size in sizes:
            created = min(size, args.create_cap)
            print(
                f"\nN = {size:,} open (ORM creation measured on {created:,} more, "
                f"in batches of {args.chunk}, with and without the rule "
                "alternately)",
                flush=True,
            )
            now = fields.Datetime.now().replace(microsecond=0)
            due = bench.populate_complaints(size, now)
            sweep = bench.sweep()
            idle = bench.sweep()
            bench.populate_tickets(size, now, due)
            oca_sweep = bench.oca_find_breaches()
            if args.sweep_only:
                print(
                    f"  sweep of {size:,} open complaints, {due:,} warnings + "
                    f"{due:,} breaches due: {sweep['seconds']:.2f} s, "
                    f"{sweep['queries']} queries ({sweep['done']:,} lines processed);"
                    f" nothing due: {idle['seconds'] * 1000:.1f} ms, "
                    f"{idle['queries']} queries\n  helpdesk_mgmt_sla expired search: "
                    f"{oca_sweep['seconds']:.2f} s, {oca_sweep['queries']} queries",
                    flush=True,
                )
                continue
            ours = bench.creation_cost("ours", created, chunk=args.chunk)
            oca = bench.creation_cost("oca", created, chunk=args.chunk)
            ours_single = bench.creation_cost("ours", args.single, chunk=1)
            oca_single = bench.creation_cost("oca", args.single, chunk=1)
            row = {
                "n": size,
                "created": created,
                "ours_ms": ours["ms"],
                "ours_q": ours["queries"],
                "ours_cpu": ours["cpu_ms"],
                "oca_cpu": oca["cpu_ms"],
                "ours1_cpu": ours_single["cpu_ms"],
                "oca1_cpu": oca_single["cpu_ms"],
                "oca_ms": oca["ms"],
                "oca_q": oca["queries"],
                "ours_base_ms": ours["base_ms"],
                "oca_base_ms": oca["base_ms"],
                "ours1_ms": ours_single["ms"],
                "ours1_q": ours_single["queries"],
                "oca1_ms": oca_single["ms"],
                "oca1_q": oca_single["queries"],
                "due": due,
                "sweep_s": sweep["seconds"],
                "sweep_q": sweep["queries"],
                "sweep_done": sweep["done"],
                "idle_s": idle["seconds"],
                "idle_q": idle["queries"],
                "oca_s": oca_sweep["seconds"],
                "oca_sq": oca_sweep["queries"],
                "oca_found": oca_sweep["done"],
            }
            rows.append(row)
            print(
                f"  SLA assignment per record (batches of {args.chunk}), wall: "
                f"ours {row['ours_ms']:.3f} ms, helpdesk_mgmt_sla "
                f"{row['oca_ms']:.3f} ms, ratio "
                f"{row['oca_ms'] / max(row['ours_ms'], 1e-6):.1f}x; CPU of the "
                f"Odoo process: ours {row['ours_cpu']:.3f} ms, helpdesk_mgmt_sla "
                f"{row['oca_cpu']:.3f} ms, ratio "
                f"{row['oca_cpu'] / max(row['ours_cpu'], 1e-6):.1f}x; queries: "
                f"ours {row['ours_q']:.3f}, helpdesk_mgmt_sla {row['oca_q']:.2f}\n"
                f"  (whole create without rules: ours {row['ours_base_ms']:.2f} ms, "
                f"OCA {row['oca_base_ms']:.2f} ms per record)\n"
                f"  one record per create ({args.single} each), wall: ours "
                f"{row['ours1_ms']:.3f} ms (CPU {row['ours1_cpu']:.3f} ms, "
                f"{row['ours1_q']:.2f} queries), helpdesk_mgmt_sla "
                f"{row['oca1_ms']:.3f} ms (CPU {row['oca1_cpu']:.3f} ms, "
                f"{row['oca1_q']:.2f} queries)\n"
                f"  sweep of {size:,} open complaints, {due:,} warnings + {due:,} "
                f"breaches due: {row['sweep_s']:.2f} s, {row['sweep_q']} queries "
                f"({row['sweep_done']:,} lines processed); nothing due: "
                f"{row['idle_s'] * 1000:.1f} ms, {row['idle_q']} queries\n"
                f"  helpdesk_mgmt_sla (no cron): search of expired tickets among "
                f"{size:,}: {row['oca_s']:.2f} s, {row['oca_sq']} queries "
                f"({row['oca_found']:,} found)",
                flush=True,
            )
        bench.wipe()
    print(
        "\n| N open | created via ORM | assignment ms/rec wall: ours / OCA (ratio) "
        "| CPU ms/rec: ours / OCA (ratio) | queries/rec: ours / OCA "
        "| sweep s (queries, lines) | idle sweep ms (queries) "
        "| OCA expired search s (queries) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row['n']:,} | {row['created']:,} "
            f"| {row['ours_ms']:.3f} / {row['oca_ms']:.3f} "
            f"({row['oca_ms'] / max(row['ours_ms'], 1e-6):.1f}x) "
            f"| {row['ours_cpu']:.3f} / {row['oca_cpu']:.3f} "
            f"({row['oca_cpu'] / max(row['ours_cpu'], 1e-6):.1f}x) "
            f"| {row['ours_q']:.3f} / {row['oca_q']:.2f} "
            f"| {row['sweep_s']:.2f} ({row['sweep_q']}, {row['sweep_done']:,}) "
            f"| {row['idle_s'] * 1000:.1f} ({row['idle_q']}) "
            f"| {row['oca_s']:.2f} ({row['oca_sq']}) |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
