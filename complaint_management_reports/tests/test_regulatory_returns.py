"""Regulator returns reconciled with direct queries on 200 complaints that
straddle the period's boundaries."""

import csv
import io
import random
from datetime import date, datetime, timedelta

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.complaint_management.tests.common import ComplaintCase

from ..wizard.complaint_regulatory_return_wizard import ASIC_COLUMNS, FCA_CR_COLUMNS

# Q2 2026: DISP 1 Annex 1 periods end with 2026 (PS25/19 replaces the form
# from 1 January 2027); the company's time zone is UTC here.
START, END = datetime(2026, 4, 1), datetime(2026, 7, 1)


@tagged("post_install", "-at_install")
class TestRegulatoryReturns(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.complaint_auto_acknowledge = False
        cls.company.partner_id.tz = "UTC"  # the firm's local day is UTC's here
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
            received = datetime(2026, 1, 1) + timedelta(
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
        # the redress is in the company's currency (its stored conversion)
        cls.env.cr.execute(
            "UPDATE complaint_complaint SET redress_amount_company = redress_amount"
        )
        cls.env.invalidate_all()
        cls.wizard = cls.env["complaint.regulatory.return.wizard"].create(
            {"date_from": date(2026, 4, 1), "date_to": date(2026, 6, 30)}
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

    def test_verified_regulator_codes_pinned(self):
        """What was verified against the regulators' texts (issue 21) stays
        as verified; what could not be verified says so."""
        # ASIC, Data glossary (pilot version) July 2021, contents: "Credit
        # (Table 5 in the IDR data dictionary)": a product or service category
        credit = self.env.ref(
            "complaint_management_reports.return_code_asic_category_credit"
        )
        self.assertEqual(
            (credit.kind, credit.code, credit.name),
            ("asic_product_category", "Credit", "Credit"),
        )
        self.assertIn("Table 5", credit.source + credit.version)
        # ASIC, updated draft data dictionary (December 2020), Table 1
        # "Complaint identifying information", elements 1 and 2 (the first
        # object class of the pilot version, July 2021)
        columns = dict(ASIC_COLUMNS)
        self.assertEqual(columns["reference"], "Entity's complaint unique identifier")
        self.assertEqual(
            columns["brand"],
            "Name of subsidiary, brand or superannuation fund that the "
            "complaint is about",
        )
        labels = [label for _key, label in ASIC_COLUMNS]
        self.assertEqual(
            labels.index("Entity's complaint unique identifier") + 1,
            labels.index(columns["brand"]),
        )
        # no other shipped code claims a verification it never had
        data = self.env["ir.model.data"].search(
            [
                ("module", "=", "complaint_management_reports"),
                ("model", "=", "complaint.return.code"),
            ]
        )
        shipped = (
            self.env["complaint.return.code"]
            .with_context(active_test=False)
            .browse(data.mapped("res_id"))
            .filtered(lambda c: c.kind.startswith(("asic_", "fca_cr_")))
        )
        unverified = shipped - credit
        self.assertTrue(unverified)
        self.assertFalse(
            unverified.filtered(lambda c: "Unverified" not in (c.version or "")),
            "a shipped code not checked against the regulator's table must "
            "say so in its version",
        )


# The firm's local days in Europe/London, as naive UTC instants, worked out
# by hand: GMT in winter, BST (UTC+1) from the last Sunday of March to the
# last Sunday of October.
H2_2026 = (datetime(2026, 6, 30, 23), datetime(2027, 1, 1))
H1_2027 = (datetime(2027, 1, 1), datetime(2027, 6, 30, 23))


@tagged("post_install", "-at_install")
class TestReturnsAcrossYearEnd(ComplaintCase):
    """The DISP 1 Annex 1 return for July-December 2026, the consolidated
    complaints return (PS25/19) for January-June 2027 and the ASIC IDR data
    report, reconciled with direct queries on complaints straddling
    31 December 2026, in a UTC+0/+1 company, beside a second legal entity."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        code = "complaint_management_reports.return_code_"
        cls.env["complaint.stage"].search([]).write({"mail_template_id": False})
        cls.fca_disp = ref("complaint_management.regulatory_profile_fca_disp")
        cls.sections = (
            ref(code + "fca_cr_section_retail_banking")
            | ref(code + "fca_cr_section_insurance")
            | ref(code + "fca_cr_section_payment_services")
        )
        cls.company.write(
            {
                "complaint_auto_acknowledge": False,
                "complaint_regulatory_profile_id": cls.fca_disp.id,
                "complaint_fca_frn": "123456",
                "complaint_fca_section_ids": [(6, 0, cls.sections.ids)],
                "complaint_asic_abn": "51824753556",
                "complaint_asic_licence": "234567",
            }
        )
        cls.company.partner_id.tz = "Europe/London"
        cls.company_b = cls.env["res.company"].create(
            {"name": "Second Entity Ltd", "complaint_auto_acknowledge": False}
        )
        cls.env.user.company_ids |= cls.company_b
        cls.category_x.write(
            {
                "fca_cr_product_code_id": ref(
                    code + "fca_cr_product_current_account"
                ).id,
                "asic_product_code_id": ref(code + "asic_product_transaction").id,
            }
        )
        cls.category_y.write(
            {
                "fca_cr_product_code_id": ref(
                    code + "fca_cr_product_motor_insurance"
                ).id,
                "asic_product_code_id": ref(code + "asic_product_motor").id,
            }
        )
        cls.cause_fees = cls.env["complaint.root.cause"].create(
            {
                "name": "Charged twice",
                "fca_cr_issue_code_id": ref(code + "fca_cr_issue_terms_charges").id,
                "asic_issue_code_id": ref(code + "asic_issue_fees").id,
            }
        )
        cls.root_cause.write(
            {
                "fca_cr_issue_code_id": ref(code + "fca_cr_issue_administration").id,
                "asic_issue_code_id": ref(code + "asic_issue_delay").id,
            }
        )
        rng = random.Random(2027)
        Complaint = cls.env["complaint.complaint"]
        received = [
            datetime(2026, 9, 1) + timedelta(minutes=rng.randrange(0, 330 * 24 * 60))
            for _i in range(80)
        ]
        # local-day boundaries: 23:30 UTC on 30 June 2027 is 00:30 on 1 July
        # in London; 23:30 UTC on 31 December 2026 is still 31 December
        received += [datetime(2027, 6, 30, 23, 30), datetime(2026, 12, 31, 23, 30)]
        cls.complaints = Complaint.create(
            [
                {
                    "name": f"Bank complaint {i}",
                    "partner_id": cls.portal_a.partner_id.id,
                    "channel_id": cls.channel_phone.id,
                    "category_id": rng.choice([cls.category_x, cls.category_y]).id,
                    "root_cause_id": rng.choice([cls.cause_fees, cls.root_cause]).id,
                    "date_received": when,
                }
                for i, when in enumerate(received)
            ]
        )
        cls.late_june = cls.complaints[-2]
        cls.new_year_eve = cls.complaints[-1]
        cls.other_entity = Complaint.with_company(cls.company_b).create(
            [
                {
                    "name": f"Other entity {i}",
                    "company_id": cls.company_b.id,
                    "partner_id": cls.portal_b.partner_id.id,
                    "channel_id": cls.channel_phone.id,
                    "category_id": cls.category_x.id,
                    "root_cause_id": cls.root_cause.id,
                    "date_received": datetime(2026, 10, 5 + i, 9),
                }
                for i in range(3)
            ]
        )
        cls.env.flush_all()
        # closure and outcome set directly (set-up), some against the legal
        # deadlines to the minute
        minute = timedelta(minutes=1)
        for index, complaint in enumerate(cls.complaints):
            choice = index % 6
            if choice == 0:
                closed = None
            elif choice == 1:
                closed = complaint.regulatory_summary_deadline
            elif choice == 2:
                closed = complaint.regulatory_summary_deadline + minute
            elif choice == 3:
                closed = complaint.regulatory_deadline
            elif choice == 4:
                closed = complaint.regulatory_deadline + minute
            else:
                closed = complaint.date_received + timedelta(
                    hours=rng.randrange(1, 900)
                )
            cls.env.cr.execute(
                """UPDATE complaint_complaint SET date_closed = %s, decision = %s,
                   redress_amount = %s WHERE id = %s""",
                [
                    closed,
                    closed and rng.choice(["upheld", "partially_upheld", "not_upheld"]),
                    closed and rng.choice([0, 40, 125.5]),
                    complaint.id,
                ],
            )
        # the second entity closed its three complaints in October 2026
        cls.env.cr.execute(
            """UPDATE complaint_complaint SET date_closed = date_received
               + interval '2 days', decision = 'upheld' WHERE id = ANY(%s)""",
            [cls.other_entity.ids],
        )
        # the redress is in the company's currency (its stored conversion)
        cls.env.cr.execute(
            "UPDATE complaint_complaint SET redress_amount_company = redress_amount"
        )
        cls.env.invalidate_all()
        cls.vulnerable = cls.complaints.filtered(lambda c: c.id % 3 == 0)
        cls.env["complaint.vulnerability"].create(
            [{"complaint_id": c.id, "driver": "health"} for c in cls.vulnerable]
        )
        cls.complaints.filtered(lambda c: c.id % 4 == 0).vulnerability_failure = True
        cls.env.flush_all()
        Wizard = cls.env["complaint.regulatory.return.wizard"]
        cls.consolidated = Wizard.create(
            {
                "return_type": "fca_consolidated",
                "date_from": date(2027, 1, 1),
                "date_to": date(2027, 6, 30),
                "context_banking_accounts": 12000,
                "context_insurance_policies": 3000,
                "context_payment_transactions": 50000,
            }
        )
        cls.old_return = Wizard.create(
            {"date_from": date(2026, 7, 1), "date_to": date(2026, 12, 31)}
        )

    def _count(self, bounds, condition, params=(), company=None):
        start, end = bounds
        self.env.cr.execute(
            "SELECT COUNT(*), COALESCE(SUM(c.redress_amount), 0) "
            "FROM complaint_complaint c WHERE c.company_id = %s "
            "AND c.date_received < %s AND (c.date_closed IS NULL OR "
            "c.date_closed >= %s) AND " + condition,
            [(company or self.company).id, end, start, *params],
        )
        return self.env.cr.fetchone()

    def _closed(self, bounds):
        return ("c.date_closed >= %s AND c.date_closed < %s", bounds)

    def test_consolidated_return_reconciles(self):
        rows, problems = self.consolidated._fca_cr_rows()
        self.assertFalse(problems, problems)
        totals = {key: sum(row[key] for row in rows) for key in FCA_CR_COLUMNS}
        bounds = H1_2027
        start, end = bounds
        closed, _params = self._closed(bounds)
        expected = {
            "outstanding": self._count(bounds, "c.date_received < %s", [start])[0],
            "opened": self._count(bounds, "c.date_received >= %s", [start])[0],
            "closed": self._count(bounds, closed, bounds)[0],
            "outstanding_end": self._count(
                bounds, "(c.date_closed IS NULL OR c.date_closed >= %s)", [end]
            )[0],
            "within_3_days": self._count(
                bounds,
                closed + " AND c.date_closed <= c.regulatory_summary_deadline",
                bounds,
            )[0],
            "within_8_weeks": self._count(
                bounds,
                closed + " AND c.date_closed > c.regulatory_summary_deadline"
                " AND c.date_closed <= c.regulatory_deadline",
                bounds,
            )[0],
            "after_8_weeks": self._count(
                bounds, closed + " AND c.date_closed > c.regulatory_deadline", bounds
            )[0],
            "upheld": self._count(
                bounds,
                closed + " AND c.decision IN ('upheld', 'partially_upheld')",
                bounds,
            )[0],
            "not_upheld": self._count(
                bounds, closed + " AND c.decision = 'not_upheld'", bounds
            )[0],
            "redress": self._count(bounds, closed, bounds)[1],
            "vulnerable": self._count(
                bounds,
                "c.date_received >= %s AND EXISTS (SELECT 1 FROM "
                "complaint_vulnerability v WHERE v.complaint_id = c.id)",
                [start],
            )[0],
            "vulnerability_failure": self._count(
                bounds, "c.date_received >= %s AND c.vulnerability_failure", [start]
            )[0],
        }
        self.assertEqual(totals, expected)
        # the data set exercises every figure, at the minute of the deadlines
        for key in ("within_3_days", "within_8_weeks", "after_8_weeks", "outstanding"):
            self.assertTrue(totals[key], key)
        self.assertTrue(totals["vulnerable"] and totals["vulnerability_failure"])
        # sections by permission: payment services has no complaint, a row
        # of zeros; motor insurance sits under insurance
        by_section = {}
        for row in rows:
            by_section.setdefault(row["section_code"], []).append(row)
        self.assertEqual(set(by_section), set(self.sections.mapped("code")))
        self.assertEqual(by_section["payment_services"][0]["opened"], 0)
        self.assertEqual(
            sum(row["opened"] for row in by_section["insurance"]),
            self._count(
                bounds,
                "c.date_received >= %s AND c.category_id = %s",
                [start, self.category_y.id],
            )[0],
        )
        # the export: firm, period and figures; contextualised data
        action = self.consolidated.action_export_csv()
        text = (
            self.env["ir.attachment"]
            .browse(int(action["url"].split("/")[-1].split("?")[0]))
            .raw.decode()
        )
        body, context = text.split("\r\n\r\n")
        lines = list(csv.reader(io.StringIO(body)))
        header = lines[0]
        self.assertEqual(
            sum(int(line[header.index("opened")]) for line in lines[1:]),
            totals["opened"],
        )
        self.assertEqual({line[1] for line in lines[1:]}, {"123456"})
        self.assertEqual({line[4] for line in lines[1:]}, {"no"})
        context_lines = list(csv.reader(io.StringIO(context)))
        banking = next(line for line in context_lines if line[0] == "retail_banking")
        opened_banking = sum(row["opened"] for row in by_section["retail_banking"])
        self.assertEqual(int(banking[3]), 12000)
        self.assertEqual(int(banking[4]), opened_banking)
        self.assertAlmostEqual(float(banking[5]), round(opened_banking / 12, 2))
        # sections without contextualised data are not asked for it
        self.assertEqual(
            {line[0] for line in context_lines[1:]},
            {"retail_banking", "insurance", "payment_services"},
        )
        xlsx = self.consolidated.action_export_xlsx()
        self.assertTrue(
            self.env["ir.attachment"]
            .browse(int(xlsx["url"].split("/")[-1].split("?")[0]))
            .raw.startswith(b"PK")
        )

    def test_local_day_and_period_choice(self):
        # 23:30 UTC on 30 June 2027 is 1 July in London: not opened in H1
        start, end = self.consolidated._bounds()
        self.assertEqual((start, end), H1_2027)
        self.assertTrue(end <= self.late_june.date_received)
        utc_days = self._count(
            (datetime(2027, 1, 1), datetime(2027, 7, 1)),
            "c.date_received >= %s",
            [datetime(2027, 1, 1)],
        )[0]
        local_days = self._count(H1_2027, "c.date_received >= %s", [H1_2027[0]])[0]
        self.assertEqual(utc_days, local_days + 1)
        rows, _problems = self.consolidated._fca_cr_rows()
        self.assertEqual(sum(row["opened"] for row in rows), local_days)
        # 23:30 UTC on 31 December 2026 is still 2026 in London (GMT)
        old = self.old_return._fca_rows()
        self.assertEqual(
            sum(row["opened"] for row in old),
            self._count(H2_2026, "c.date_received >= %s", [H2_2026[0]])[0],
        )
        self.assertEqual(
            sum(row["closed"] for row in old),
            self._count(H2_2026, *self._closed(H2_2026))[0],
        )
        self.assertLess(self.new_year_eve.date_received, H2_2026[1])
        # the ASIC file dates are the company's local days
        asic = self.consolidated.copy({"return_type": "asic"})
        rows, _problems = asic._asic_rows()
        dates = {row["reference"]: row["date_received"] for row in rows}
        self.assertNotIn(self.late_june.reference, dates)
        asic.date_to = date(2027, 7, 31)
        rows, _problems = asic._asic_rows()
        dates = {row["reference"]: row["date_received"] for row in rows}
        self.assertEqual(dates[self.late_june.reference], "2027-07-01")
        # the FCA return is chosen by the period
        Wizard = self.env["complaint.regulatory.return.wizard"]
        with self.assertRaises(ValidationError):
            Wizard.create(
                {
                    "return_type": "fca",
                    "date_from": date(2027, 1, 1),
                    "date_to": date(2027, 6, 30),
                }
            )
        chosen = Wizard.create(
            {"date_from": date(2027, 1, 1), "date_to": date(2027, 6, 30)}
        )
        self.assertEqual(chosen.return_type, "fca_consolidated")
        self.assertEqual(self.old_return.return_type, "fca")
        with self.assertRaises(ValidationError):
            Wizard.create(
                {
                    "return_type": "fca_consolidated",
                    "date_from": date(2026, 7, 1),
                    "date_to": date(2026, 12, 31),
                }
            )
        with self.assertRaises(ValidationError):  # not a fixed half-year
            Wizard.create(
                {
                    "return_type": "fca_consolidated",
                    "date_from": date(2027, 1, 1),
                    "date_to": date(2027, 3, 31),
                }
            )
        draft = Wizard.new({"year": 2027, "half_year": "2"})
        draft._onchange_half_year()
        self.assertEqual(
            (draft.date_from, draft.date_to, draft.return_type),
            (date(2027, 7, 1), date(2027, 12, 31), "fca_consolidated"),
        )
        draft.date_from = date(2026, 7, 1)
        self.assertEqual(draft.return_type, "fca")
        draft.return_type = "asic"
        draft.date_from = date(2027, 1, 1)
        self.assertEqual(draft.return_type, "asic")

    def test_nil_return_and_legal_entities(self):
        # the second entity has no complaint in H1 2027: a nil return
        nil = self.env["complaint.regulatory.return.wizard"].create(
            {
                "return_type": "fca_consolidated",
                "company_id": self.company_b.id,
                "date_from": date(2027, 1, 1),
                "date_to": date(2027, 6, 30),
                "nil_return": True,
            }
        )
        self.company_b.write(
            {
                "complaint_fca_frn": "654321",
                "complaint_fca_section_ids": [
                    (
                        6,
                        0,
                        self.env.ref(
                            "complaint_management_reports."
                            "return_code_fca_cr_section_consumer_credit"
                        ).ids,
                    )
                ],
            }
        )
        self.assertEqual(self._count(H1_2027, "TRUE", company=self.company_b)[0], 0)
        header, table = nil._return_table()
        self.assertEqual(len(table), 1)
        self.assertEqual(table[0][header.index("nil_return")], "yes")
        self.assertEqual(table[0][header.index("frn")], "654321")
        # its H2 2026 return counts its own three complaints, not the first's
        old = self.old_return.copy({"company_id": self.company_b.id})
        self.assertEqual(sum(row["opened"] for row in old._fca_rows()), 3)
        # never a group figure: the first entity's return leaves them out
        self.env.cr.execute(
            "SELECT COUNT(*) FROM complaint_complaint WHERE date_received >= %s"
            " AND date_received < %s",
            list(H2_2026),
        )
        group_figure = self.env.cr.fetchone()[0]
        own = sum(row["opened"] for row in self.old_return._fca_rows())
        self.assertEqual(own + 3, group_figure)
        # a nil return declared with complaints in the period is refused
        self.consolidated.nil_return = True
        with self.assertRaisesRegex(UserError, "nil return was declared"):
            self.consolidated.action_export_csv()
        self.consolidated.nil_return = False
        # a complaint in a section outside the permissions is named
        self.company.complaint_fca_section_ids -= self.env.ref(
            "complaint_management_reports.return_code_fca_cr_section_insurance"
        )
        _rows, problems = self.consolidated._fca_cr_rows()
        self.assertTrue(
            any("not among the company's permissions" in p for p in problems)
        )
        # a complaint whose category is not mapped is named, and the export
        # is refused
        self.category_y.fca_cr_product_code_id = False
        rows, problems = self.consolidated._fca_cr_rows()
        unmapped = self.complaints.filtered(
            lambda c: (
                c.category_id == self.category_y
                and c.date_received < H1_2027[1]
                and (not c.date_closed or c.date_closed >= H1_2027[0])
            )
        )
        self.assertTrue(unmapped)
        for complaint in unmapped:
            self.assertIn(
                f"{complaint.reference}: product or service (category mapping)",
                problems,
            )
        self.assertIn("Not mapped", {row["product"] for row in rows})
        with self.assertRaises(UserError):
            self.consolidated.action_export_xlsx()

    def test_taxonomy_import_changes_label(self):
        xmlid = (
            "complaint_management_reports.return_code_fca_cr_product_current_account"
        )
        Code = self.env["complaint.return.code"]
        result = Code.load(
            ["id", "kind", "code", "name", "parent_id/id", "source", "version"],
            [
                [
                    xmlid,
                    "fca_cr_product",
                    "current_account",
                    "Personal current accounts",
                    "complaint_management_reports."
                    "return_code_fca_cr_section_retail_banking",
                    "FCA PS25/19",
                    "PS25/19 revised",
                ],
                [
                    "__import__.fca_cr_product_bnpl",
                    "fca_cr_product",
                    "bnpl",
                    "Buy now pay later",
                    "complaint_management_reports."
                    "return_code_fca_cr_section_consumer_credit",
                    "FCA PS25/19",
                    "PS25/19 revised",
                ],
            ],
        )
        self.assertFalse(result["messages"], result["messages"])
        self.assertEqual(self.env.ref(xmlid).name, "Personal current accounts")
        self.assertEqual(self.env.ref(xmlid).version, "PS25/19 revised")
        bnpl = self.env.ref("__import__.fca_cr_product_bnpl")
        self.assertEqual(bnpl.parent_id.code, "consumer_credit")
        rows, _problems = self.consolidated._fca_cr_rows()
        self.assertIn("Personal current accounts", {row["product"] for row in rows})
        # every shipped code names its source and version
        shipped = Code.search([("kind", "like", "fca_cr_")]) | Code.search(
            [("kind", "like", "asic_")]
        )
        self.assertFalse(shipped.filtered(lambda c: not c.source or not c.version))

    def test_vulnerability_failure_on_form(self):
        arch = (
            self.env["complaint.complaint"]
            .with_user(self.handler_x)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('name="vulnerability_failure"', arch)
        self.assertIn('name="vulnerability_ids"', arch)
        # an auditor, who does not see vulnerability, does not see it either
        auditor = (
            self.env["complaint.complaint"]
            .with_user(self.auditor)
            .fields_get(["vulnerability_failure"])
        )
        self.assertFalse(auditor)
        # the company's return settings and the wizard's new fields are on
        # their forms
        settings = self.env["res.config.settings"].get_views([(False, "form")])
        for name in (
            "complaint_fca_frn",
            "complaint_fca_section_ids",
            "complaint_asic_abn",
        ):
            self.assertIn(f'name="{name}"', settings["views"]["form"]["arch"])
        wizard = (
            self.env["complaint.regulatory.return.wizard"]
            .with_user(self.manager)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        for name in ("half_year", "nil_return", "context_banking_accounts"):
            self.assertIn(f'name="{name}"', wizard)

    def test_asic_export_validates_against_dictionary(self):
        asic = self.consolidated.copy({"return_type": "asic"})
        rows, problems = asic._asic_rows()
        self.assertFalse(problems, problems)
        start, end = H1_2027
        self.env.cr.execute(
            "SELECT reference, date_received, date_closed FROM complaint_complaint"
            " WHERE company_id = %s AND date_received < %s"
            " AND (date_closed IS NULL OR date_closed >= %s)",
            [self.company.id, end, start],
        )
        expected = {ref: (rec, clo) for ref, rec, clo in self.env.cr.fetchall()}
        self.assertEqual({row["reference"] for row in rows}, set(expected))
        for row in rows:
            received, closed = expected[row["reference"]]
            closed_in = closed if closed and closed < end else None
            self.assertEqual(row["status"], "Closed" if closed_in else "Open")
            self.assertEqual(row["channel"], "Phone")
            self.assertEqual(row["complainant_type"], "Individual")
            self.assertIn(
                row["product_category"], ("Deposit taking", "General insurance")
            )
            self.assertEqual(bool(row["outcome"]), bool(closed_in))
        # several products and issues on one complaint
        first = self.complaints.filtered(lambda c: c.reference == rows[0]["reference"])
        first.write(
            {
                "asic_product_code_ids": [
                    (
                        4,
                        self.env.ref(
                            "complaint_management_reports.return_code_asic_product_credit_card"
                        ).id,
                    )
                ],
                "asic_issue_code_ids": [
                    (
                        4,
                        self.env.ref(
                            "complaint_management_reports.return_code_asic_issue_hardship"
                        ).id,
                    )
                ],
            }
        )
        rows, problems = asic._asic_rows()
        self.assertFalse(problems, problems)
        self.assertIn("; Credit card", rows[0]["product"])
        self.assertIn("Credit", rows[0]["product_category"].split("; "))
        self.assertIn("Financial hardship", rows[0]["issue"])
        header, table = asic._return_table()
        self.assertEqual(
            header[:6],
            [
                "Financial firm name",
                "Financial firm ABN",
                "Licence number",
                "Ultimate holding company name",
                "Entity's complaint unique identifier",
                "Name of subsidiary, brand or superannuation fund that the "
                "complaint is about",
            ],
        )
        self.assertEqual({line[1] for line in table}, {"51824753556"})
        # each invalid row is named with what it lacks; the export refuses
        no_channel, withdrawn, reversed_dates = self.complaints.filtered(
            lambda c: (
                c.reference in expected
                and datetime(2027, 2, 1) < c.date_received < datetime(2027, 6, 1)
            )
        )[1:4]
        no_channel.channel_id = self.env["complaint.channel"].create(
            {"name": "Fax", "code": "fax"}
        )
        self.cause_fees.asic_issue_code_id.active = False
        withdrawn.root_cause_id = self.cause_fees
        self.env.cr.execute(
            "UPDATE complaint_complaint SET date_closed = date_received - "
            "interval '1 day' WHERE id = %s",
            [reversed_dates.id],
        )
        self.env.invalidate_all()
        rows, problems = asic._asic_rows()
        text = "\n".join(problems)
        self.assertIn(f"{no_channel.reference}: channel", text)
        self.assertIn(f"{withdrawn.reference}: ", text)
        self.assertIn("Fees and charges", text)
        self.assertIn(f"{reversed_dates.reference}: ", text)
        self.assertIn("date closed before date received", text)
        with self.assertRaises(UserError) as refused:
            asic.action_export_csv()
        for complaint in (no_channel, withdrawn, reversed_dates):
            self.assertIn(complaint.reference, str(refused.exception))
        # the firm's identifying block is mandatory
        self.company.complaint_asic_abn = False
        with self.assertRaisesRegex(UserError, "ABN"):
            asic._return_table()
