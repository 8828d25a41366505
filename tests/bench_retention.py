#!/usr/bin/env python3
"""Anonymisation of complaints past their retention period.

Not a test (pytest does not collect ``bench_*`` files). From the repository
root, with the private cluster of ``setup/``::

    bash setup/bench.sh retention --count 10000

It (re)creates the database ``complaint_retention_bench`` with
``complaint_management``, creates ``--count`` complaints through the ORM
(each with its creation message, a customer message with an attachment and
a vulnerability note), marks them closed four years ago (SQL: set-up, not
what is measured), then times the monthly scheduled action
``_cron_anonymize_expired`` (committed batches of 500) with a company
retention period of 3 years, and a second run that finds nothing to do.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_sla import install, start_cluster, superuser_env  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="complaint_retention_bench")
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the installed database (the complaints are still added)",
    )
    return parser.parse_args()


def populate(env, count):
    company = env.company
    company.complaint_auto_acknowledge = False
    env["complaint.stage"].search([]).write({"mail_template_id": False})
    channel = env.ref("complaint_management.complaint_channel_phone")
    partner = env["res.partner"].create(
        {"name": "Retention customer", "email": "retention@example.com"}
    )
    Complaint = env["complaint.complaint"].with_context(tracking_disable=True)
    start = time.perf_counter()
    for offset in range(0, count, 500):
        size = min(500, count - offset)
        complaints = Complaint.create(
            [
                {
                    "name": f"Complaint {offset + i} of Retention customer",
                    "partner_id": partner.id,
                    "channel_id": channel.id,
                    "remedy_requested": "Call me on 0123456789",
                    "vulnerability_ids": [(0, 0, {"driver": "health", "note": "x"})],
                }
                for i in range(size)
            ]
        )
        attachments = env["ir.attachment"].create(
            [
                {
                    "name": "receipt.txt",
                    "raw": b"receipt",
                    "res_model": "complaint.complaint",
                    "res_id": complaint.id,
                }
                for complaint in complaints
            ]
        )
        env["mail.message"].create(
            [
                {
                    "model": "complaint.complaint",
                    "res_id": complaint.id,
                    "body": "My phone number is 0123456789",
                    "message_type": "comment",
                    "author_id": partner.id,
                    "attachment_ids": [(4, attachment.id)],
                }
                for complaint, attachment in zip(complaints, attachments, strict=True)
            ]
        )
        env.cr.commit()
    print(
        f"created {count:,} complaints in {time.perf_counter() - start:.0f} s",
        flush=True,
    )
    env.cr.execute(
        "UPDATE complaint_complaint SET date_closed = now() - interval '4 years'"
    )
    env["complaint.complaint"].invalidate_model()
    company.complaint_retention_years = 3  # recomputes the retention dates
    env.flush_all()
    env.cr.commit()


def main():
    args = parse_args()
    pg = start_cluster()
    install(args.db, args.reuse, modules="complaint_management")
    with superuser_env(args.db, pg) as env:
        # a reused database was anonymised by the last run: new complaints
        populate(env, args.count)
        due = env["complaint.complaint"].search_count(
            env["complaint.complaint"]._anonymizable_domain()
        )
        start = time.perf_counter()
        done = env["complaint.complaint"]._cron_anonymize_expired()
        elapsed = time.perf_counter() - start
        start = time.perf_counter()
        again = env["complaint.complaint"]._cron_anonymize_expired()
        idle = time.perf_counter() - start
        left = env["complaint.complaint"].search_count(
            [("anonymized_date", "=", False), ("active", "in", (True, False))]
        )
        print(
            f"anonymised {done:,} of {due:,} due complaints in {elapsed:.1f} s "
            f"({done / max(elapsed, 1e-9):.0f}/s), committed batches of 500; "
            f"second run: {again} in {idle * 1000:.0f} ms; not anonymised: {left}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
