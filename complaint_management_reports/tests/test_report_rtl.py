from odoo.tests import new_test_user, tagged

from .common import ReportCase, normalize, pdftotext


def pdf_lines(pdf):
    """Lines of text of a PDF, normalized."""
    return [
        normalize(line).strip() for line in pdftotext(pdf).splitlines() if line.strip()
    ]


@tagged("post_install", "-at_install")
class TestReportRtl(ReportCase):
    """A Persian complainant's documents are printed in Persian, right to
    left (the body's direction and the mirrored stylesheets), whoever prints
    them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.english_manager = new_test_user(
            cls.env,
            "cm_english_manager",
            groups="complaint_management.group_complaint_manager",
            name="Edward English",
            lang="en_US",
        )

    def _check(self, xmlid, complaint, persian_text, english_text):
        html = self.render_html(xmlid, complaint.with_user(self.english_manager))
        self.assertRegex(html, r'<body[^>]*dir="rtl"', "the body is right to left")
        self.assertIn(".rtl.", html, "the right-to-left stylesheets")
        pdf = self.render_pdf(xmlid, complaint.with_user(self.english_manager))
        text = " ".join(pdf_lines(pdf))
        self.assertIn(normalize(persian_text), text)
        self.assertNotIn(english_text, text)
        self.assertIn(complaint.reference, text)

    def test_acknowledgement_persian_printed_by_english_user(self):
        self.assertEqual(self.english_manager.lang, "en_US")
        complaint = self._create_complaint(partner_id=self.customer_fa.id)
        self._check(
            "complaint_management_reports.action_report_complaint_acknowledgement",
            complaint,
            "چگونه به شکایت شما رسیدگی",
            "How we handle your complaint",
        )

    def test_decision_persian_printed_by_english_user(self):
        complaint = self._advance_to(
            self._create_complaint(partner_id=self.customer_fa.id), "decided"
        )
        self._check(
            "complaint_management_reports.action_report_complaint_decision",
            complaint,
            "حقوق شما",
            "Your rights",
        )

    def test_record_persian_printed_by_english_user(self):
        complaint = self._create_complaint(partner_id=self.customer_fa.id)
        self._check(
            "complaint_management_reports.action_report_complaint_record",
            complaint,
            "تاریخ دریافت",
            "Received on",
        )

    def test_english_letter_printed_by_english_user_stays_ltr(self):
        complaint = self._create_complaint(partner_id=self.customer_en.id)
        xmlid = "complaint_management_reports.action_report_complaint_acknowledgement"
        html = self.render_html(xmlid, complaint.with_user(self.english_manager))
        self.assertRegex(html, r'<body[^>]*dir="ltr"')
        pdf = self.render_pdf(xmlid, complaint.with_user(self.english_manager))
        self.assertIn("Acknowledgement of your complaint", " ".join(pdf_lines(pdf)))
