"""The board pack: its figures equal the FCA return's for the same period and
company; it renders as a PDF in the printing user's language."""

from datetime import date, datetime, timedelta

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ReportCase, pdf_to_text

START = datetime(2027, 4, 1)


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
            received = START + timedelta(days=4 * n - 10)  # some before the period
            closed = received + timedelta(days=2 + 20 * (n % 4)) if n % 3 else None
            cls.env.cr.execute(
                """UPDATE complaint_complaint SET date_received = %s,
                   date_closed = %s, decision = %s, redress_amount = %s,
                   root_cause_id = %s, is_vulnerable = %s,
                   external_referral_date = %s, external_referral_decision = %s
                   WHERE id = %s""",
                [
                    received,
                    closed,
                    ("upheld" if n % 2 else "not_upheld") if closed else None,
                    30.0 if closed else 0.0,
                    cls.root_cause.id,
                    n % 4 == 0,
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
        cls.wizard = (
            cls.env["complaint.management.review.wizard"]
            .with_user(cls.manager)
            .create({"date_from": date(2027, 4, 1), "date_to": date(2027, 6, 30)})
        )

    def test_figures_equal_the_fca_return(self):
        pack = self.wizard._get_board_pack_data()
        fca = self.env["complaint.regulatory.return.wizard"].create(
            {"date_from": date(2027, 4, 1), "date_to": date(2027, 6, 30)}
        )
        rows = fca._fca_rows()
        for key, value in pack["fca"].items():
            self.assertEqual(value, sum(row[key] for row in rows), key)
        self.assertEqual(pack["received"], pack["fca"]["opened"])
        self.assertTrue(pack["fca"]["opened"])
        self.assertIn(self.issue, pack["issues"])
        self.env.cr.execute(
            "SELECT COUNT(*) FROM complaint_complaint WHERE active AND is_vulnerable "
            "AND date_received >= %s AND date_received < %s",
            [START, datetime(2027, 7, 1)],
        )
        self.assertEqual(pack["vulnerability"]["received"], self.env.cr.fetchone()[0])
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

    def test_handlers_cannot_print(self):
        wizard = (
            self.env["complaint.management.review.wizard"]
            .with_user(self.handler_x)
            .create({"date_from": date(2027, 4, 1), "date_to": date(2027, 6, 30)})
        )
        with self.assertRaises(AccessError):
            wizard.action_print_board_pack()
