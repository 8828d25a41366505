#!/usr/bin/env python3
"""Cost of the legal clock (regulatory profiles) at complaint creation.

Not a test (pytest does not collect ``bench_*`` files). From the repository
root, with the private cluster of ``setup/``::

    bash setup/bench.sh regulatory --count 1000

It (re)creates the database ``complaint_regulatory_bench`` with
``complaint_management`` and creates ``--count`` complaints through the ORM,
in batches of ``--chunk`` (default 50) and then one per ``create`` call
(``--single``, default 200), alternately without a regulatory profile and
with the FCA DISP profile (business-day and calendar-week deadlines on the
England and Wales calendar with its bank holidays), and prints the cost per
complaint of each and the overhead of the legal clock, in wall time and CPU
time of the Odoo process (medians over the batches).

With ``--sweep N`` it measures the legal-clock sweep instead
(``_cron_regulatory_clock``, the scheduled action): N open complaints under
the FCA DISP profile, inserted in bulk with SQL (an ORM create of 100,000
complaints takes tens of minutes and is not what is measured), of which
``--due-percent`` (default 1 %) are due soon (a holding response and a
warning each) and as many past their deadline (breached, a warning each),
the others far from it; then the sweep once more with nothing to do::

    bash setup/bench.sh regulatory --sweep 100000
"""

import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_sla import install, measure, start_cluster, superuser_env  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="complaint_regulatory_bench")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--chunk", type=int, default=50)
    parser.add_argument("--single", type=int, default=200)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument(
        "--sweep", type=int, default=0, help="measure the sweep over N complaints"
    )
    parser.add_argument("--due-percent", type=float, default=1.0)
    return parser.parse_args()


def run(env, args):
    company = env.company
    # Letters are not what is measured here.
    company.complaint_auto_acknowledge = False
    env["complaint.stage"].search([]).write({"mail_template_id": False})
    profile = env.ref("complaint_management.regulatory_profile_fca_disp")
    channel = env.ref("complaint_management.complaint_channel_phone")
    partner = env["res.partner"].create({"name": "Bench customer"})
    env.cr.commit()
    serial = [0]

    def vals(count):
        serial[0] += count
        return [
            {
                "name": f"Bench complaint {serial[0] + i}",
                "partner_id": partner.id,
                "channel_id": channel.id,
            }
            for i in range(count)
        ]

    def batch(with_profile, size, per_call):
        company.complaint_regulatory_profile_id = profile if with_profile else False
        env.cr.commit()
        result = {}
        with measure(env.cr, result):
            if per_call == size:
                env["complaint.complaint"].create(vals(size))
            else:
                for _ in range(size):
                    env["complaint.complaint"].create(vals(1))
        env.cr.commit()
        return (
            result["seconds"] * 1000 / size,
            result["cpu"] * 1000 / size,
            result["queries"] / size,
        )

    def compare(label, rounds, size, per_call):
        batch(True, size, per_call)  # warm caches (calendar timeline, rules)
        batch(False, size, per_call)
        without, with_, cpu_without, cpu_with = [], [], [], []
        queries = {False: 0.0, True: 0.0}
        for _ in range(rounds):
            wall, cpu, queries[False] = batch(False, size, per_call)
            without.append(wall)
            cpu_without.append(cpu)
            wall, cpu, queries[True] = batch(True, size, per_call)
            with_.append(wall)
            cpu_with.append(cpu)
        base, clock = statistics.median(without), statistics.median(with_)
        cbase, cclock = statistics.median(cpu_without), statistics.median(cpu_with)
        print(
            f"{label}: without a profile {base:.2f} ms/complaint (CPU {cbase:.2f}), "
            f"with FCA DISP {clock:.2f} ms (CPU {cclock:.2f}); legal clock "
            f"overhead {100 * (clock - base) / base:+.1f} % wall, "
            f"{100 * (cclock - cbase) / cbase:+.1f} % CPU; queries per complaint "
            f"{queries[False]:.2f} / {queries[True]:.2f}",
            flush=True,
        )

    rounds = max(args.count // args.chunk // 2, 1)
    compare(
        f"{2 * rounds * args.chunk} complaints in batches of {args.chunk}",
        rounds,
        args.chunk,
        args.chunk,
    )
    single_rounds = max(args.single // 20 // 2, 1)
    compare(
        f"{2 * single_rounds * 20} complaints, one per create",
        single_rounds,
        20,
        1,
    )


def populate(env, count, due_percent, now):
    """``count`` open complaints under FCA DISP with a handler, in bulk SQL:
    complaint k is due soon (k <= due), breached (due < k <= 2 due) or far
    from its deadline."""
    cr = env.cr
    cr.execute("TRUNCATE complaint_complaint CASCADE")
    for table, column in (
        ("mail_activity", "res_model"),
        ("mail_followers", "res_model"),
        ("mail_message", "model"),
    ):
        cr.execute(
            f"DELETE FROM {table} WHERE {column} = %s",  # noqa: S608
            ["complaint.complaint"],
        )
    handler = env["res.users"].search([("login", "=", "legal_bench_handler")])
    if not handler:
        handler = env["res.users"].create(
            {
                "name": "Legal Bench Handler",
                "login": "legal_bench_handler",
                "email": "legal.handler@example.com",
                "group_ids": [
                    (4, env.ref("complaint_management.group_complaint_user").id)
                ],
            }
        )
    due = int(count * due_percent / 100)
    cr.execute(
        """
        INSERT INTO complaint_complaint
               (name, reference, company_id, channel_id, user_id, stage_id, step,
                priority, customer_reaction, date_received, active,
                regulatory_profile_id, regulatory_deadline, regulatory_state,
                create_date, write_date, create_uid, write_uid)
        SELECT 'Bench complaint ' || n, 'LEGAL/' || n, %(company)s, %(channel)s,
               %(user)s, %(stage)s, 'acknowledged', '0', 'none',
               %(now)s - interval '30 days', true, %(profile)s,
               CASE WHEN n <= %(due)s THEN %(now)s + interval '2 days'
                    WHEN n <= 2 * %(due)s THEN %(now)s - interval '1 hour'
                    ELSE %(now)s + interval '10 days' + (n %% 40) * interval '1 day'
               END,
               'on_time', %(now)s, %(now)s, 1, 1
          FROM generate_series(1, %(count)s) n
        """,
        {
            "company": env.company.id,
            "channel": env.ref("complaint_management.complaint_channel_phone").id,
            "user": handler.id,
            "stage": env.ref("complaint_management.complaint_stage_acknowledged").id,
            "profile": env.ref("complaint_management.regulatory_profile_fca_disp").id,
            "now": now,
            "due": due,
            "count": count,
        },
    )
    cr.execute("ANALYZE complaint_complaint")
    cr.commit()
    env.invalidate_all()
    return due


def sweep(env, args):
    from odoo import fields  # noqa: PLC0415

    now = fields.Datetime.now().replace(microsecond=0)
    due = populate(env, args.sweep, args.due_percent, now)
    Complaint = env["complaint.complaint"]
    for label in ("sweep", "idle sweep"):
        result = {}
        with measure(env.cr, result):
            changed = Complaint._cron_regulatory_clock()
        env.cr.commit()
        print(
            f"{label} of {args.sweep:,} open complaints ({due:,} due soon, "
            f"{due:,} breached): {result['seconds']:.2f} s "
            f"(CPU {result['cpu']:.2f} s), {result['queries']:,} queries; "
            f"changed {changed}",
            flush=True,
        )
    states = dict(Complaint._read_group([], ["regulatory_state"], ["__count"]))
    activities = env["mail.activity"].search_count(
        [("res_model", "=", "complaint.complaint")]
    )
    letters = env["complaint.letter"].sudo().search_count([])
    print(
        f"states {states}; {activities:,} activities; {letters:,} letters queued",
        flush=True,
    )


def main():
    args = parse_args()
    pg = start_cluster()
    install(args.db, args.reuse, modules="complaint_management")
    with superuser_env(args.db, pg) as env:
        if args.sweep:
            sweep(env, args)
        else:
            run(env, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
