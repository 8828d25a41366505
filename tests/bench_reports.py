#!/usr/bin/env python3
"""Benchmark of the complaint reports on 10,000 complaints (not a test).

Creates (once) a database ``complaint_bench`` with both addons in the
private PostgreSQL cluster of ``setup/``, fills it with 10,000 complaints
spread over every step, then measures the rendering time of the complaint
register (one PDF of all complaints) and of the management review (the
figures and the PDF) for them. Optionally writes a PNG of the first page of
each report (``--png docs/reports``) for the README.

Run it from the repository root, after the cluster is up (any ``make test``
or ``source setup/common.sh; prepare`` starts it)::

    bash setup/bench.sh reports [--count 10000] \
        [--png docs/reports] [--http-port 8179]

The name starts with ``bench_``: pytest (``make test``) does not collect it.
wkhtmltopdf loads the report styles from an Odoo server that the script
starts on ``--http-port`` for the time of the run.
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PGSOCK = os.environ.get("PGHOST") or os.path.join(ROOT, ".local", "pgsock")
PGPORT = os.environ.get("PGPORT") or os.environ.get("COMPLAINT_PGPORT", "55432")
PGUSER = os.environ.get("PGUSER", "odoo")
DB_ARGS = [f"--db_host={PGSOCK}", f"--db_port={PGPORT}", f"--db_user={PGUSER}"]


def odoo_cli(db, *args):
    return [
        sys.executable,
        "-m",
        "odoo",
        f"--addons-path={ROOT}",
        *DB_ARGS,
        "-d",
        db,
        *args,
    ]


def ensure_database(db):
    exists = subprocess.run(
        ["psql", "-h", PGSOCK, "-p", PGPORT, "-U", PGUSER, "-lqt"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if any(line.split("|")[0].strip() == db for line in exists.splitlines()):
        return
    print(f"creating database {db} with both addons ...", flush=True)
    subprocess.run(
        odoo_cli(
            db,
            "-i",
            "complaint_management_reports",
            "--stop-after-init",
            "--no-http",
            "--log-level=warn",
        ),
        check=True,
    )


@contextmanager
def odoo_server(db, port):
    """A server for the report assets that wkhtmltopdf loads."""
    proc = subprocess.Popen(
        odoo_cli(
            db,
            "--http-interface=127.0.0.1",
            f"--http-port={port}",
            "--workers=0",
            "--max-cron-threads=0",
            "--log-level=warn",
        )
    )
    try:
        import urllib.request

        for _attempt in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/web/login", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def populate(env, count, batch=1000):
    """``count`` complaints in every step over the last 120 days: created
    through the ORM in batches (without mails), then steps, dates, decisions,
    root causes, ratings and actions set in a few set-based statements."""
    Complaint = env["complaint.complaint"].with_context(
        tracking_disable=True, mail_create_nolog=True, mail_notrack=True
    )
    existing = Complaint.search_count([])
    if existing >= count:
        return existing
    company = env.company
    company.complaint_auto_acknowledge = False
    rng = random.Random(10002)
    teams = env["helpdesk.ticket.team"].search([])
    if not teams:
        teams = env["helpdesk.ticket.team"].create(
            [{"name": "Logistics"}, {"name": "Billing"}]
        )
    categories = env["complaint.category"].search([])
    if len(categories) < 4:
        categories |= env["complaint.category"].create(
            [
                {"name": name, "team_id": teams[i % len(teams)].id}
                for i, name in enumerate(
                    ("Delivery", "Billing", "Product quality", "Staff")
                )
            ]
        )
    causes = env["complaint.root.cause"].search([])
    if len(causes) < 4:
        causes |= env["complaint.root.cause"].create(
            [
                {"name": n}
                for n in ("Carrier delay", "Packaging", "Pricing error", "Training")
            ]
        )
    channels = env["complaint.channel"].search([])
    partners = env["res.partner"].create(
        [
            {"name": f"Customer {i}", "email": f"customer{i}@example.com"}
            for i in range(200)
        ]
    )
    now = time.time()
    today = date.today()
    todo = count - existing
    print(f"creating {todo} complaints ...", flush=True)
    while todo > 0:
        size = min(batch, todo)
        Complaint.create(
            [
                {
                    "name": f"Complaint {i}",
                    "partner_id": rng.choice(partners).id,
                    "category_id": rng.choice(categories).id,
                    "channel_id": rng.choice(channels).id,
                    "date_received": f"{today - timedelta(days=rng.randint(0, 120))}",
                }
                for i in range(size)
            ]
        )
        env.cr.commit()
        todo -= size
        print(f"  {count - todo}/{count} ({time.time() - now:.0f} s)", flush=True)
    stages = {
        s.step: s.id
        for s in env["complaint.stage"].search([("pause_sla", "=", False)])[::-1]
    }
    cr = env.cr
    # Steps by id modulo 7; dates a few hours apart; decisions and causes.
    cr.execute(
        """
        UPDATE complaint_complaint c SET
            step = (ARRAY['new','acknowledged','assessed','investigating',
                          'responded','decided','closed'])[c.id %% 7 + 1],
            severity = (ARRAY['low','medium','high','critical'])[c.id %% 4 + 1],
            user_id = %(uid)s
        """,
        {"uid": env.uid},
    )
    for step, stage_id in stages.items():
        cr.execute(
            "UPDATE complaint_complaint SET stage_id = %s WHERE step = %s",
            (stage_id, step),
        )
    cr.execute(
        """
        UPDATE complaint_complaint c SET
            date_acknowledged = CASE WHEN c.id %% 7 >= 1
                THEN c.date_received + (c.id %% 11 + 1) * INTERVAL '1 hour' END,
            date_assessed = CASE WHEN c.id %% 7 >= 2
                THEN c.date_received + (c.id %% 13 + 12) * INTERVAL '1 hour' END,
            date_responded = CASE WHEN c.id %% 7 >= 4
                THEN c.date_received + (c.id %% 17 + 48) * INTERVAL '1 hour' END,
            date_decided = CASE WHEN c.id %% 7 >= 5
                THEN c.date_received + (c.id %% 19 + 72) * INTERVAL '1 hour' END,
            date_closed = CASE WHEN c.id %% 7 >= 6
                THEN c.date_received + (c.id %% 23 + 120) * INTERVAL '1 hour' END,
            decision = CASE WHEN c.id %% 7 >= 5
                THEN (ARRAY['upheld', 'partially_upheld', 'not_upheld'])
                     [c.id %% 3 + 1] END,
            customer_reaction = CASE WHEN c.id %% 7 = 6 THEN 'accepted' ELSE 'none' END,
            root_cause_id = CASE WHEN c.id %% 7 = 6
                THEN (%(causes)s::int[])[c.id %% %(ncauses)s + 1] END
        """,
        {"causes": causes.ids, "ncauses": len(causes)},
    )
    model = env["ir.model"]._get("complaint.complaint")
    cr.execute(
        """
        INSERT INTO rating_rating (res_model_id, res_model, res_id, rating, rating_text,
                                   consumed, access_token, create_uid, write_uid,
                                   create_date, write_date)
        SELECT %s, 'complaint.complaint', c.id, (ARRAY[1, 3, 5, 5])[c.id %% 4 + 1],
               (ARRAY['ko', 'ok', 'top', 'top'])[c.id %% 4 + 1], TRUE,
               md5(random()::text), 1, 1, now(), now()
          FROM complaint_complaint c WHERE c.step = 'closed'
        """,
        (model.id,),
    )
    closed = Complaint.search([("step", "=", "closed")], limit=300)
    env["complaint.action"].create(
        [
            {
                "complaint_id": c.id,
                "name": f"Corrective action {i}",
                "date_deadline": date.today() + timedelta(days=rng.randint(-30, 30)),
                "blocking": False,
            }
            for i, c in enumerate(closed)
        ]
    )
    env.invalidate_all()
    env.cr.commit()
    return Complaint.search_count([])


def open_registry(db, fill, count):
    """The registry of the benchmark database ``db`` (created once, with
    both addons), filled up to ``count`` complaints by ``fill(env, count)``
    (which returns how many there are)."""
    ensure_database(db)
    import odoo  # noqa: PLC0415 - importable once the database exists
    from odoo import api  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(
        [f"--addons-path={ROOT}", *DB_ARGS, "-d", db, "--log-level=warn"]
    )
    registry = Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        total = fill(env, count)
        cr.commit()
    print(f"{total} complaints in {db}", flush=True)
    return registry


def first_page_png(pdf, target):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "report.pdf")
        with open(path, "wb") as handle:
            handle.write(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                path,
                target[: -len(".png")],
            ],
            check=True,
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="complaint_bench")
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--http-port", type=int, default=8179)
    parser.add_argument("--png", help="folder for first-page PNGs of every report")
    parser.add_argument(
        "--png-only", action="store_true", help="only write the PNGs (no timing)"
    )
    args = parser.parse_args()

    registry = open_registry(args.db, populate, args.count)
    import odoo  # noqa: PLC0415 - configured by open_registry
    from odoo import api  # noqa: PLC0415

    with odoo_server(args.db, args.http_port) as url, registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {"discard_logo_check": True})
        env["ir.config_parameter"].set_param("report.url", url)
        cr.commit()
        complaints = env["complaint.complaint"].search([])
        wizard = env["complaint.management.review.wizard"].create(
            {"date_from": date.today() - timedelta(days=120), "date_to": date.today()}
        )
        if not args.png_only:
            bench(env, wizard, complaints)
        if args.png:
            write_pngs(env, wizard, complaints, args.png)
        cr.rollback()


def bench(env, wizard, complaints):
    Report = env["ir.actions.report"]
    results = {}
    start = time.perf_counter()
    data = wizard._get_review_data()
    results["management review figures"] = time.perf_counter() - start
    env.invalidate_all()
    start = time.perf_counter()
    Report._render_qweb_pdf(
        "complaint_management_reports.action_report_complaint_management_review",
        wizard.ids,
    )
    results["management review PDF (figures included)"] = time.perf_counter() - start
    env.invalidate_all()
    start = time.perf_counter()
    html, _ = Report._render_qweb_html(
        "complaint_management_reports.action_report_complaint_register", complaints.ids
    )
    results["register HTML (QWeb)"] = time.perf_counter() - start
    env.invalidate_all()
    start = time.perf_counter()
    register_pdf, _ = Report._render_qweb_pdf(
        "complaint_management_reports.action_report_complaint_register", complaints.ids
    )
    results["register PDF (QWeb + wkhtmltopdf)"] = time.perf_counter() - start
    info = subprocess.run(
        ["pdfinfo", "-"], input=register_pdf, capture_output=True, check=True
    ).stdout.decode()
    pages = next(
        (line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")),
        "?",
    )
    print(f"\n{len(complaints)} complaints ({data['total']} in the review period)")
    for name, seconds in results.items():
        print(f"  {name:45s} {seconds:8.2f} s")
    print(
        f"  register: {pages} pages, {len(register_pdf) / 1e6:.1f} MB, "
        f"HTML {len(html) / 1e6:.1f} MB"
    )


def write_pngs(env, wizard, complaints, folder):
    """First page of every report, English, and the acknowledgement in Persian."""
    os.makedirs(folder, exist_ok=True)
    Report = env["ir.actions.report"]

    def first(step):
        return complaints.filtered(lambda c: c.step == step)[:1]

    pngs = {
        "management_review": ("action_report_complaint_management_review", wizard),
        "sla_compliance": ("action_report_complaint_sla_compliance", wizard),
        "register": ("action_report_complaint_register", complaints[:60]),
        "acknowledgement": (
            "action_report_complaint_acknowledgement",
            first("acknowledged"),
        ),
        "decision": ("action_report_complaint_decision", first("decided")),
        "record": ("action_report_complaint_record", first("closed")),
    }
    for name, (action, records) in pngs.items():
        pdf, _ = Report._render_qweb_pdf(
            f"complaint_management_reports.{action}", records.ids
        )
        first_page_png(pdf, os.path.join(folder, f"{name}.png"))
    # Persian installed as a user installs it (Settings > Languages > Add):
    # the wizard activates it and loads the translations of every module.
    persian_lang = (
        env["res.lang"].with_context(active_test=False).search([("code", "=", "fa_IR")])
    )
    env["base.language.install"].create(
        {"lang_ids": [(6, 0, persian_lang.ids)]}
    ).lang_install()
    persian = first("decided")
    persian.partner_id = env["res.partner"].create(
        {
            "name": "داریوش فراهانی",
            "street": "خیابان ولیعصر، پلاک ۱۲",
            "city": "تهران",
            "email": "dariush@example.com",
            "lang": "fa_IR",
            "tz": "Asia/Tehran",
        }
    )
    for name, action in (
        ("acknowledgement_fa", "action_report_complaint_acknowledgement"),
        ("decision_fa", "action_report_complaint_decision"),
    ):
        pdf, _ = Report._render_qweb_pdf(
            f"complaint_management_reports.{action}", persian.ids
        )
        first_page_png(pdf, os.path.join(folder, f"{name}.png"))
    print(f"PNGs written to {folder}")


if __name__ == "__main__":
    main()
