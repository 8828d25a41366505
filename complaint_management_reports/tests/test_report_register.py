from odoo.tests import tagged

from .common import ReportCase, pdf_to_text


@tagged("post_install", "-at_install")
class TestReportRegister(ReportCase):
    def test_register_one_line_per_complaint(self):
        complaints = self._create_complaint(partner_id=self.customer_en.id)
        complaints |= self._advance_to(
            self._create_complaint(
                partner_id=self.customer_fa.id, name="Wrong invoice"
            ),
            "decided",
        )
        complaints |= self._advance_to(
            self._create_complaint(partner_id=self.customer_en.id, name="Rude driver"),
            "closed",
        )
        text = pdf_to_text(
            self.render_pdf(
                "complaint_management_reports.action_report_complaint_register",
                complaints,
            )
        )
        self.assertIn("Complaint register", text)
        for complaint in complaints:
            self.assertIn(complaint.reference, text)
            self.assertIn(complaint.partner_id.name, text)
            self.assertIn(
                self.date_strings(complaint, "date_received", "en_US", tz="UTC"), text
            )
        self.assertIn("Upheld", text)
        self.assertIn("3 complaints", text)

    def test_register_in_persian_for_a_persian_user(self):
        complaint = self._create_complaint(partner_id=self.customer_en.id)
        self.manager.lang = "fa_IR"
        html = self.render_html(
            "complaint_management_reports.action_report_complaint_register",
            complaint.with_user(self.manager).with_context(lang="fa_IR"),
        )
        self.assertIn('dir="rtl"', html)
        text = pdf_to_text(
            self.render_pdf(
                "complaint_management_reports.action_report_complaint_register",
                complaint.with_user(self.manager).with_context(lang="fa_IR"),
            )
        )
        self.assertIn(complaint.reference, text)
        self.assertIn(self.customer_en.name, text)
