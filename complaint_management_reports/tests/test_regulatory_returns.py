"""Regulator returns reconciled with direct queries on 200 complaints that
straddle the period's boundaries."""

import csv
import io
import random
from datetime import date, datetime, timedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.complaint_management.tests.common import ComplaintCase

START, END = datetime(2027, 4, 1), datetime(2027, 7, 1)  # Q2 2027


@tagged("post_install", "-at_install")
class TestRegulatoryReturns(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.complaint_auto_acknowledge = False
        cls.env["complaint.stage"].search([]).write({"mail_template_id": False})
        ref = cls.env.ref
        prefix = "complaint_management_reports.return_code_"
        cls.category_x.write(
            {
                "fca_product_code_id": ref(prefix + "fca_product_banking").id,
                "asic_product_code_id": ref(prefix + "asic_product_credit_card").id,
            }
        )
        cls.category_y.write(
            {
                "fca_product_code_id": ref(prefix + "fca_product_insurance").id,
                "asic_product_code_id": ref(prefix + "asic_product_insurance").id,
            }
        )
        cls.cause_fees = cls.env["complaint.root.cause"].create(
            {
                "name": "Fee charged twice",
                "fca_cause_code_id": ref(prefix + "fca_cause_terms").id,
                "asic_issue_code_id": ref(prefix + "asic_issue_fees").id,
            }
        )
        cls.root_cause.write(
            {
                "fca_cause_code_id": ref(prefix + "fca_cause_admin").id,
                "asic_issue_code_id": ref(prefix + "asic_issue_delay").id,
            }
        )
        rng = random.Random(271)
        cls.complaints = cls.env["complaint.complaint"].create(
            [
                {
                    "name": f"Return complaint {i}",
                    "partner_id": cls.portal_a.partner_id.id,
                    "channel_id": cls.channel_phone.id,
                    "category_id": rng.choice([cls.category_x, cls.category_y]).id,
                }
                for i in range(200)
            ]
        )
        cls.env.flush_all()
        # Dates and outcomes straddling the period, set directly (set-up).
        for complaint in cls.complaints:
            received = datetime(2027, 1, 1) + timedelta(
                minutes=rng.randrange(0, 240 * 24 * 60)
            )
            closed = (
                received + timedelta(hours=rng.choice([5, 30, 70, 200, 1000, 1500]))
                if rng.random() < 0.75
                else None
            )
            cls.env.cr.execute(
                """UPDATE complaint_complaint SET date_received = %s,
                   date_closed = %s, decision = %s, redress_amount = %s,
                   root_cause_id = %s, regulatory_summary_deadline = %s
                   WHERE id = %s""",
                [
                    received,
                    closed,
                    closed and rng.choice(["upheld", "partially_upheld", "not_upheld"]),
                    closed and rng.choice([0, 25.5, 100]),
                    rng.choice([cls.cause_fees.id, cls.root_cause.id]),
                    received + timedelta(days=3),
                    complaint.id,
                ],
            )
        cls.env.invalidate_all()
        cls.wizard = cls.env["complaint.regulatory.return.wizard"].create(
            {"date_from": date(2027, 4, 1), "date_to": date(2027, 6, 30)}
        )

    def _count(self, condition, params=()):
        self.env.cr.execute(
            "SELECT COUNT(*) FROM complaint_complaint c WHERE c.company_id = %s AND "
            + condition,
            [self.company.id, *params],
        )
        return self.env.cr.fetchone()[0]

    def test_fca_return_reconciles(self):
        rows = self.wizard._fca_rows()
        self.assertTrue(rows)
        totals = {
            key: sum(row[key] for row in rows)
            for key in rows[0]
            if key not in ("product", "cause")
        }
        in_scope = (
            "c.date_received < %s AND (c.date_closed IS NULL OR c.date_closed >= %s)"
        )
        scope = (END, START)
        self.assertEqual(
            totals["outstanding"],
            self._count(in_scope + " AND c.date_received < %s", (*scope, START)),
        )
        self.assertEqual(
            totals["opened"],
            self._count("c.date_received >= %s AND c.date_received < %s", (START, END)),
        )
        closed = "c.date_closed >= %s AND c.date_closed < %s"
        self.assertEqual(totals["closed"], self._count(closed, (START, END)))
        self.assertEqual(
            totals["within_3_days"],
            self._count(
                closed + " AND c.date_closed <= c.date_received + interval '3 days'",
                (START, END),
            ),
        )
        self.assertEqual(
            totals["within_8_weeks"],
            self._count(
                closed + " AND c.date_closed > c.date_received + interval '3 days'"
                " AND c.date_closed <= c.date_received + interval '56 days'",
                (START, END),
            ),
        )
        self.assertEqual(
            totals["after_8_weeks"],
            self._count(
                closed + " AND c.date_closed > c.date_received + interval '56 days'",
                (START, END),
            ),
        )
        for decision in ("upheld", "partially_upheld", "not_upheld"):
            key = {"partially_upheld": "partly_upheld"}.get(decision, decision)
            self.assertEqual(
                totals[key],
                self._count(closed + " AND c.decision = %s", (START, END, decision)),
            )
        self.env.cr.execute(
            "SELECT COALESCE(SUM(redress_amount), 0) FROM complaint_complaint c "
            "WHERE c.company_id = %s AND " + closed,
            [self.company.id, START, END],
        )
        self.assertAlmostEqual(totals["redress"], self.env.cr.fetchone()[0])
        self.assertEqual(
            totals["closed"],
            totals["within_3_days"]
            + totals["within_8_weeks"]
            + totals["after_8_weeks"],
        )
        # per product and cause: the banking / terms cell
        cell = next(
            row
            for row in rows
            if row["product"] == "Banking and credit cards"
            and row["cause"] == "Terms and disputed sums or charges"
        )
        self.assertEqual(
            cell["opened"],
            self._count(
                "c.date_received >= %s AND c.date_received < %s AND c.category_id = %s"
                " AND c.root_cause_id = %s",
                (START, END, self.category_x.id, self.cause_fees.id),
            ),
        )
        # exports: the same figures
        header, table = self.wizard._return_table()
        self.assertEqual(len(table), len(rows))
        action = self.wizard.action_export_csv()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[-1].split("?")[0])
        )
        lines = list(csv.reader(io.StringIO(attachment.raw.decode())))
        self.assertEqual(lines[0], header)
        self.assertEqual(
            sum(int(line[header.index("opened")]) for line in lines[1:]),
            totals["opened"],
        )
        xlsx = self.wizard.action_export_xlsx()
        self.assertTrue(
            self.env["ir.attachment"]
            .browse(int(xlsx["url"].split("/")[-1].split("?")[0]))
            .raw.startswith(b"PK")
        )

    def test_returns_unchanged_by_anonymisation(self):
        fca = self.wizard._fca_rows()
        self.wizard.return_type = "asic"
        asic = self.wizard._asic_rows()
        self.complaints._anonymize("Test retention rule")
        self.env.invalidate_all()
        self.assertEqual(self.wizard._asic_rows(), asic)
        self.wizard.return_type = "fca"
        self.assertEqual(self.wizard._fca_rows(), fca)

    def test_asic_report_reconciles_and_flags_incomplete_rows(self):
        self.wizard.return_type = "asic"
        rows, problems = self.wizard._asic_rows()
        self.assertFalse(problems, problems)
        self.env.cr.execute(
            "SELECT reference, date_received, date_closed, decision"
            " FROM complaint_complaint WHERE company_id = %s AND date_received < %s"
            " AND (date_closed IS NULL OR date_closed >= %s)",
            [self.company.id, END, START],
        )
        expected = {
            ref: (rec, clo, dec) for ref, rec, clo, dec in self.env.cr.fetchall()
        }
        self.assertEqual({row["reference"] for row in rows}, set(expected))
        for row in rows:
            received, closed, decision = expected[row["reference"]]
            closed_in = closed if closed and closed < END else None
            self.assertEqual(row["status"], "Closed" if closed_in else "Open")
            self.assertEqual(row["days_open"], ((closed_in or END) - received).days)
            self.assertEqual(row["channel"], "Phone")
            self.assertEqual(bool(row["outcome"]), bool(closed_in))
            self.assertIn(row["product"], ("Credit card", "General insurance"))
        # a complaint whose category has no ASIC mapping is flagged, and the
        # export is refused with the list
        self.category_y.asic_product_code_id = False
        rows, problems = self.wizard._asic_rows()
        self.assertTrue(problems)
        self.assertIn("product", problems[0])
        with self.assertRaises(UserError):
            self.wizard.action_export_csv()
