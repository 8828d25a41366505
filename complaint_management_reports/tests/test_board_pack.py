"""The board pack: its figures equal the FCA return's for the same period and
company; it renders as a PDF in the printing user's language."""

from datetime import date, datetime, timedelta

from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..wizard.complaint_regulatory_return_wizard import FCA_COLUMNS, FCA_CR_COLUMNS
from .common import ReportCase, pdf_to_text

# complaints every 8 days at noon UTC from 21 November 2026 to 25 May 2027:
# in the last old-style FCA return (July-December 2026) and in the first
# consolidated one (January-June 2027)
START = datetime(2026, 12, 1, 12)
H2_2026 = (date(2026, 7, 1), date(2026, 12, 31))
H1_2027 = (date(2027, 1, 1), date(2027, 6, 30))
Q2_2027 = (date(2027, 4, 1), date(2027, 6, 30))


@tagged("post_install", "-at_install")
class TestBoardPack(ReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.cr.execute("UPDATE complaint_complaint SET active = FALSE")
        cls.complaints = cls.env["complaint.complaint"].create(
            [
                {
                    "name": f"Board complaint {n}",
                    "partner_id": cls.customer_en.id,
                    "category_id": (cls.category_x if n % 2 else cls.category_y).id,
                    "channel_id": cls.channel_phone.id,
                }
                for n in range(24)
            ]
        )
        cls.env.flush_all()
        for n, complaint in enumerate(cls.complaints):
            received = START + timedelta(days=8 * n - 10)
            closed = received + timedelta(days=2 + 20 * (n % 4)) if n % 3 else None
            cls.env.cr.execute(
                """UPDATE complaint_complaint SET date_received = %s,
                   date_closed = %s, decision = %s, redress_amount = %s,
                   root_cause_id = %s, is_vulnerable = %s,
                   vulnerability_failure = %s,
                   external_referral_date = %s, external_referral_decision = %s
                   WHERE id = %s""",
                [
                    received,
                    closed,
                    ("upheld" if n % 2 else "not_upheld") if closed else None,
                    30.0 if closed else 0.0,
                    cls.root_cause.id,
                    n % 4 == 0,
                    n % 6 == 0,
                    (closed + timedelta(days=10)).date()
                    if closed and n % 5 == 0
                    else None,
                    ("upheld" if n % 10 == 0 else "not_upheld")
                    if closed and n % 5 == 0
                    else None,
                    complaint.id,
                ],
            )
        cls.env.invalidate_all()
        cls.issue = cls.env["complaint.systemic.issue"].create(
            {"name": "Statements late", "root_cause_ids": [(6, 0, cls.root_cause.ids)]}
        )
        cls.wizard = cls._board(*H1_2027)

    @classmethod
    def _board(cls, date_from, date_to):
        return (
            cls.env["complaint.management.review.wizard"]
            .with_user(cls.manager)
            .create({"date_from": date_from, "date_to": date_to})
        )

    def _return_totals(self, period, columns):
        fca = self.env["complaint.regulatory.return.wizard"].create(
            {"date_from": period[0], "date_to": period[1]}
        )
        if fca.return_type == "fca":
            rows = fca._fca_rows()
        else:
            rows = fca._fca_cr_rows()[0]
        return fca.return_type, {key: sum(row[key] for row in rows) for key in columns}

    def test_figures_equal_the_fca_return(self):
        """Each period's pack shows the FCA return that covers it: DISP 1
        Annex 1 for July-December 2026, the consolidated return (PS25/19)
        for January-June 2027; the figures are the return's own."""
        for period, return_type, columns in (
            (H2_2026, "fca", FCA_COLUMNS),
            (H1_2027, "fca_consolidated", FCA_CR_COLUMNS),
        ):
            with self.subTest(period=period):
                pack = self._board(*period)._get_board_pack_data()
                filed, totals = self._return_totals(period, columns)
                self.assertEqual(filed, return_type)
                self.assertEqual(pack["fca"]["return_type"], return_type)
                for key, value in totals.items():
                    self.assertEqual(pack["fca"][key], value, key)
                self.assertEqual(pack["received"], pack["fca"]["opened"])
                self.assertTrue(pack["fca"]["opened"])
        pack = self.wizard._get_board_pack_data()
        self.assertIn(self.issue, pack["issues"])
        # the two vulnerability data points are the consolidated return's
        _filed, totals = self._return_totals(H1_2027, FCA_CR_COLUMNS)
        self.assertEqual(pack["vulnerability"]["received"], totals["vulnerable"])
        self.assertEqual(
            pack["vulnerability"]["failure"], totals["vulnerability_failure"]
        )
        self.env.cr.execute(
            "SELECT COUNT(*) FILTER (WHERE is_vulnerable), "
            "COUNT(*) FILTER (WHERE vulnerability_failure) "
            "FROM complaint_complaint WHERE active "
            "AND date_received >= %s AND date_received < %s",
            [datetime(2027, 1, 1), datetime(2027, 7, 1)],
        )
        vulnerable, failure = self.env.cr.fetchone()
        self.assertTrue(vulnerable and failure)
        self.assertEqual(
            (pack["vulnerability"]["received"], pack["vulnerability"]["failure"]),
            (vulnerable, failure),
        )
        ombudsman = pack["ombudsman"]
        self.assertEqual(
            ombudsman["overturned"] + (ombudsman["decided"] - ombudsman["overturned"]),
            ombudsman["decided"],
        )

    def test_pdf_in_the_printing_users_language(self):
        pdf = self.render_pdf(
            "complaint_management_reports.action_report_complaint_board_pack",
            self.wizard,
        )
        text = pdf_to_text(pdf)
        self.assertIn("Complaints board pack", text)
        self.assertIn("Outcomes by customer group", text)
        self.assertIn("Statements late", text)
        self.manager.lang = "fa_IR"
        wizard = self.wizard.with_user(self.manager).with_context(lang="fa_IR")
        html = self.render_html(
            "complaint_management_reports.action_report_complaint_board_pack", wizard
        )
        self.assertIn('dir="rtl"', html)

    def test_no_fca_return_for_a_quarter_of_2027(self):
        """From 2027 the FCA return covers fixed half-years only: a pack for
        a quarter says so instead of printing another period's figures."""
        wizard = self._board(*Q2_2027)
        self.assertFalse(wizard._get_board_pack_data()["fca"])
        html = self.render_html(
            "complaint_management_reports.action_report_complaint_board_pack", wizard
        )
        self.assertIn("No FCA complaints return covers this period", html)

    def test_handlers_cannot_print(self):
        wizard = (
            self.env["complaint.management.review.wizard"]
            .with_user(self.handler_x)
            .create({"date_from": H1_2027[0], "date_to": H1_2027[1]})
        )
        with self.assertRaises(AccessError):
            wizard.action_print_board_pack()
