#!/usr/bin/env python3
"""Benchmark of the improvement loop (not a test): emerging-harm signal job,
similar-complaints lookup and board pack PDF on complaints over two years.

Creates (once) a database ``complaint_bench_insight`` with both addons in
the private PostgreSQL cluster of ``setup/``, fills it with ``--count``
complaints received over the last two years (one complaint made through the
ORM is copied by SQL with random subjects, categories, channels, causes and
customers: the ORM path is what the other benchmarks measure), plants 500
edited copies of earlier complaints, then measures:

- the weekly signal job (``complaint.harm.signal._cron_detect``);
- the scheduled action that stores each complaint's nearest earlier
  complaints after filing (time per complaint, run for the 200 complaints
  looked up and the 500 planted copies);
- the similar-complaints lookup of the complaint form, as a complaints
  manager (record rules applied), p50/p95 over 200 complaints, from the
  stored candidates and (for comparison) by a search without them, and the
  recall of the planted copies (the original among the five);
- the board pack PDF of the last quarter.

    bash setup/bench.sh insight [--count 100000] [--http-port 8179] \
        [--only boardpack] [--profile]

``--only`` runs one part (signal, similar or boardpack; repeatable);
``--profile`` prints for the board pack the queries and the CPU time of its
figures and of its HTML rendering, the time of wkhtmltopdf alone, and the
functions of the HTML rendering that take the most time (cProfile).

The name starts with ``bench_``: pytest (``make test``) does not collect it.
"""

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import time
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_reports import odoo_server, open_registry  # noqa: E402

# Words of complaints, the most frequent first.
WORDS = (
    "parcel delivery late damaged broken box crushed driver courier depot "
    "locker code refund invoice charged twice fee bill statement account "
    "card payment declined rude staff call centre waiting hold hours email "
    "reply never answered promised callback engineer visit missed boiler "
    "leak water heating cold radiator meter reading estimate wrong tariff "
    "contract cancelled renewal price increase notice letter address "
    "moved lost stolen fraud transaction unauthorised branch closed queue "
    "website app login password reset error crashed order item missing "
    "wrong size colour return label exchange warranty repair faulty "
    "screen battery charger insurance claim rejected policy excess "
    "premium loan interest arrears collection letter threatening"
).split()
PLANTED = 500
SYLLABLES = "ba be bi bo bu da de di do du ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ra re ri ro ru sa se si so su ta te ti to tu".split()  # noqa: E501


def vocabulary(rng, size=1500):
    """The complaint words first, then made-up words: a vocabulary whose
    words are drawn with Zipf's law (rank r with weight 1/r), as in text."""
    words = list(WORDS)
    while len(words) < size:
        words.append("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return words, [1.0 / rank for rank in range(1, len(words) + 1)]


VOCABULARY = vocabulary(random.Random(1500))


def subject(rng, size=None):
    words, weights = VOCABULARY
    return " ".join(rng.choices(words, weights, k=size or rng.randint(8, 14)))


def edit(rng, text):
    """An edited copy: a word replaced, a word dropped, a typo."""
    words = text.split()
    words[rng.randrange(len(words))] = rng.choice(VOCABULARY[0])
    del words[rng.randrange(len(words))]
    index = rng.randrange(len(words))
    word = words[index]
    if len(word) > 3:
        cut = rng.randrange(1, len(word) - 1)
        words[index] = word[:cut] + word[cut + 1 :]
    return " ".join(words)


def populate(env, count):
    from odoo.addons.complaint_management.models.complaint_improvement import (  # noqa: PLC0415
        SIMILARITY_TEXT_SIZE as text_size,
    )

    Complaint = env["complaint.complaint"].with_context(
        tracking_disable=True, mail_create_nolog=True, mail_notrack=True
    )
    existing = Complaint.search_count([])
    if existing >= count:
        return existing
    rng = random.Random(22)
    env.company.complaint_auto_acknowledge = False
    teams = env["helpdesk.ticket.team"].create(
        [{"name": f"Bench team {n}"} for n in range(4)]
    )
    categories = env["complaint.category"].create(
        [{"name": f"Bench category {n}", "team_id": teams[n % 4].id} for n in range(20)]
    )
    causes = env["complaint.root.cause"].create(
        [{"name": f"Bench cause {n}"} for n in range(15)]
    )
    channels = env["complaint.channel"].search([])
    partners = env["res.partner"].create(
        [{"name": f"Bench customer {n}"} for n in range(2000)]
    )
    template = Complaint.create(
        {
            "name": "Template",
            "category_id": categories[0].id,
            "channel_id": channels[0].id,
            "partner_id": partners[0].id,
        }
    )
    env.flush_all()
    cr = env.cr
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'complaint_complaint' AND column_name != 'id'"
    )
    columns = [row[0] for row in cr.fetchall()]
    overrides = {
        "name": "v.subject",
        "similarity_text": "v.text",
        "description": "'<p>' || v.text || '</p>'",
        "reference": "'B' || v.n",
        "date_received": "v.received",
        "category_id": "v.category",
        "team_id": "v.team",
        "root_cause_id": "v.cause",
        "channel_id": "v.channel",
        "partner_id": "v.partner",
        "commercial_partner_id": "v.partner",
        "access_token": "NULL",
    }
    select = ", ".join(overrides.get(col, f't."{col}"') for col in columns)
    todo = count - existing
    print(f"creating {todo} complaints by SQL ...", flush=True)
    now = time.time()
    batch = 10000
    done = 0
    while done < todo:
        size = min(batch, todo - done)
        rows = []
        for n in range(done, done + size):
            category = rng.randrange(20)
            title = subject(rng)
            rows.append(
                (
                    n,
                    title,
                    # as the ORM keeps it: subject and description, cut
                    f"{title} {subject(rng, rng.randint(20, 40))}"[:text_size],
                    f"now() - interval '{rng.uniform(0, 730):.4f} days'",
                    categories[category].id,
                    teams[category % 4].id,
                    causes[rng.randrange(15)].id,
                    rng.choice(channels).id,
                    rng.choice(partners).id,
                )
            )
        values = ",".join(
            cr.mogrify(
                "(%s, %s, %s, " + received + ", %s, %s, %s, %s, %s)",
                (n, title, text, cat, team, cause, channel, partner),
            ).decode()
            for n, title, text, received, cat, team, cause, channel, partner in rows
        )
        cr.execute(
            f"""INSERT INTO complaint_complaint ({", ".join(f'"{c}"' for c in columns)})
                SELECT {select}
                FROM complaint_complaint t,
                     (VALUES {values}) AS v(n, subject, text, received,
                                           category, team, cause, channel, partner)
                WHERE t.id = {template.id}"""  # noqa: S608
        )
        env.cr.commit()
        done += size
        print(f"  {done}/{todo} ({time.time() - now:.0f} s)", flush=True)
    # edited copies of 500 earlier complaints, received after them
    cr.execute(
        "SELECT id, similarity_text FROM complaint_complaint "
        "WHERE reference LIKE 'B%%' ORDER BY id LIMIT %s",
        [PLANTED],
    )
    originals = cr.fetchall()
    for original_id, text in originals:
        copy = edit(rng, text)
        cr.execute(
            f"""INSERT INTO complaint_complaint ({", ".join(f'"{c}"' for c in columns)})
                SELECT {select.replace("v.", "o_v.")}
                FROM complaint_complaint t,
                     (SELECT %s AS n, %s AS subject, %s AS text,
                             o.date_received + interval '3 days' AS received,
                             o.category_id AS category, o.team_id AS team,
                             o.root_cause_id AS cause, o.channel_id AS channel,
                             o.partner_id AS partner
                      FROM complaint_complaint o WHERE o.id = %s) AS o_v
                WHERE t.id = {template.id}""",  # noqa: S608
            [f"copy-{original_id}", copy[:80], copy, original_id],
        )
    cr.execute(
        "UPDATE complaint_complaint SET reference = 'P' || id "
        "WHERE reference LIKE 'Bcopy-%%'"
    )
    cr.execute("ANALYZE complaint_complaint")
    env.cr.commit()
    return Complaint.search_count([])


def planted_pairs(env):
    env.cr.execute(
        """SELECT c.id, o.id FROM complaint_complaint c
           JOIN complaint_complaint o ON o.partner_id = c.partner_id
            AND o.date_received = c.date_received - interval '3 days'
            AND o.id < c.id
           WHERE c.reference LIKE 'P%'"""
    )
    return env.cr.fetchall()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="complaint_bench_insight")
    parser.add_argument("--count", type=int, default=100000)
    parser.add_argument("--http-port", type=int, default=8179)
    parser.add_argument(
        "--only",
        action="append",
        choices=("signal", "similar", "boardpack"),
        help="run only this part (repeatable); default: all",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile the board pack: queries, CPU, wkhtmltopdf, cProfile",
    )
    args = parser.parse_args()
    parts = set(args.only or ("signal", "similar", "boardpack"))

    registry = open_registry(args.db, populate, args.count)
    if "signal" in parts:
        bench_signal(registry)
    if "similar" in parts:
        bench_similar(registry)
    if "boardpack" in parts:
        bench_board_pack(registry, args)


def bench_signal(registry):
    import odoo  # noqa: PLC0415
    from odoo import api  # noqa: PLC0415

    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        start = time.perf_counter()
        signals = env["complaint.harm.signal"]._cron_detect()
        elapsed = time.perf_counter() - start
        print(f"signal job: {elapsed:.2f} s ({len(signals)} signals)", flush=True)
        cr.rollback()


def bench_similar(registry):
    import odoo  # noqa: PLC0415
    from odoo import api  # noqa: PLC0415

    with registry.cursor() as cr:
        admin = api.Environment(cr, odoo.SUPERUSER_ID, {}).ref("base.user_admin")
        env = api.Environment(cr, admin.id, {})
        Complaint = env["complaint.complaint"]
        rng = random.Random(5)
        cr.execute("SELECT id FROM complaint_complaint ORDER BY id")
        ids = [row[0] for row in cr.fetchall()]
        sample = Complaint.browse(rng.sample(ids, 200))
        pairs = planted_pairs(env)
        copies = Complaint.browse(copy for copy, _original in pairs)
        # what the scheduled action does after each filing, for the
        # complaints measured below (the others are not looked up)
        start = time.perf_counter()
        for batch in (sample, copies):
            batch.sudo()._store_similar_candidates()
        elapsed = time.perf_counter() - start
        print(
            f"similar complaints found by the scheduled action: "
            f"{1000 * elapsed / (len(sample) + len(copies)):.1f} ms per complaint "
            f"({len(sample) + len(copies)} complaints in batches of 200 and "
            f"{len(copies)}, one query each, PostgreSQL's work)",
            flush=True,
        )
        cr.commit()
        for label, lookup in (
            ("similar lookup", "_similar_complaints"),
            ("similar search without stored candidates", "_search_similar"),
        ):
            timings = []
            for complaint in sample:
                env.invalidate_all()  # as a form opens: nothing in cache
                complaint.similarity_text  # noqa: B018  read with the form
                complaint.date_received  # noqa: B018
                start = time.perf_counter()
                if lookup == "_search_similar":
                    complaint._search_similar(5)
                else:
                    complaint._similar_complaints()
                timings.append((time.perf_counter() - start) * 1000)
            print(
                f"{label}: p50 {statistics.median(timings):.1f} ms, "
                f"p95 {percentile(timings, 0.95):.1f} ms (200 complaints, as admin)",
                flush=True,
            )
        found = sum(
            original in Complaint.browse(copy)._similar_complaints().ids
            for copy, original in pairs
        )
        print(
            f"planted edited copies: original among the five for {found}/"
            f"{len(pairs)} ({100.0 * found / max(len(pairs), 1):.1f} %)",
            flush=True,
        )


def bench_board_pack(registry, args):
    import odoo  # noqa: PLC0415
    from odoo import api  # noqa: PLC0415

    with odoo_server(args.db, args.http_port) as url, registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {"discard_logo_check": True})
        env["ir.config_parameter"].set_param("report.url", url)
        cr.commit()
        admin = env.ref("base.user_admin")
        wizard = (
            env["complaint.management.review.wizard"]
            .with_user(admin)
            .create(
                {
                    "date_from": date.today() - timedelta(days=91),
                    "date_to": date.today(),
                }
            )
        )
        cpu = cpu_times(cr)
        start = time.perf_counter()
        pdf, _ = (
            env["ir.actions.report"]
            .with_user(admin)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "complaint_management_reports.action_report_complaint_board_pack",
                wizard.ids,
            )
        )
        elapsed = time.perf_counter() - start
        odoo_cpu, pg_cpu, children_cpu = (
            after - before for before, after in zip(cpu, cpu_times(cr), strict=True)
        )
        print(
            f"board pack PDF: {elapsed:.2f} s ({len(pdf)} bytes; CPU: Odoo "
            f"{odoo_cpu:.2f} s, PostgreSQL {pg_cpu:.2f} s, wkhtmltopdf "
            f"{children_cpu:.2f} s)",
            flush=True,
        )
        if args.profile:
            profile_board_pack(env, admin, wizard)
        cr.rollback()


def cpu_times(cr):
    """CPU seconds so far of this process, of the PostgreSQL backend of
    ``cr`` (read in /proc: the cluster is local; NaN where unreadable) and
    of the child processes waited for (wkhtmltopdf)."""
    cr.execute("SELECT pg_backend_pid()")
    [(backend,)] = cr.fetchall()
    try:
        with open(f"/proc/{backend}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        backend_cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        backend_cpu = float("nan")
    times = os.times()
    return (
        times.user + times.system,
        backend_cpu,
        times.children_user + times.children_system,
    )


def profile_board_pack(env, admin, wizard):
    """Where the board pack's time goes: its figures alone, the HTML
    rendering (figures included) under cProfile, wkhtmltopdf alone."""
    cr = env.cr
    report_ref = "complaint_management_reports.action_report_complaint_board_pack"
    Report = env["ir.actions.report"].with_user(admin)
    env.invalidate_all()
    queries, wall, cpu = cr.sql_log_count, time.perf_counter(), time.process_time()
    wizard.with_user(admin)._get_board_pack_data()
    print(
        f"  figures (_get_board_pack_data): {time.perf_counter() - wall:.2f} s, "
        f"CPU {time.process_time() - cpu:.2f} s, "
        f"{cr.sql_log_count - queries} queries",
        flush=True,
    )
    env.invalidate_all()
    profiler = cProfile.Profile()
    queries, wall, cpu = cr.sql_log_count, time.perf_counter(), time.process_time()
    profiler.enable()
    html, _ = Report.with_context(force_report_rendering=True)._render_qweb_html(
        report_ref, wizard.ids
    )
    profiler.disable()
    print(
        f"  HTML (_render_qweb_html): {time.perf_counter() - wall:.2f} s, "
        f"CPU {time.process_time() - cpu:.2f} s, "
        f"{cr.sql_log_count - queries} queries, {len(html)} bytes",
        flush=True,
    )
    report = Report._get_report(report_ref)
    bodies, _ids, header, footer, specific_paperformat_args = Report.with_context(
        force_report_rendering=True
    )._prepare_html(html, report_model=report.model)
    wall = time.perf_counter()
    Report._run_wkhtmltopdf(
        bodies,
        report_ref=report_ref,
        header=header,
        footer=footer,
        landscape=env.context.get("landscape"),
        specific_paperformat_args=specific_paperformat_args,
        set_viewport_size=env.context.get("set_viewport_size"),
    )
    print(f"  wkhtmltopdf: {time.perf_counter() - wall:.2f} s", flush=True)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(35)
    print(out.getvalue(), flush=True)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(20)
    print(out.getvalue(), flush=True)


if __name__ == "__main__":
    main()
