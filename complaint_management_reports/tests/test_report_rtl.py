import re
from datetime import datetime

from odoo.tests import new_test_user, tagged

from odoo.addons.base.models.ir_actions_report import _wkhtml

from .common import ReportCase, normalize, pdf_to_text, pdf_words, pdftotext_area

MM = 72 / 25.4
# The page margin of documents whose paper format leaves the margins to the
# stylesheet (Odoo's web/report.scss: 11 mm = 7 mm + the container padding).
CSS_PAGE_MARGIN_MM = 7
# 2026-11-30 12:42 UTC: 1405/09/09 16:12 in Tehran.
MOMENT = datetime(2026, 11, 30, 12, 42)


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
        text = pdf_to_text(pdf)
        self.assertIn(normalize(persian_text), text)
        self.assertNotIn(english_text, text)
        self.assertIn(complaint.reference, text)

    def test_regulatory_letters_persian_printed_by_english_user(self):
        """The holding and summary resolution letters go out in batches
        too: printed in their complainant's language and direction."""
        complaint = self._create_complaint(partner_id=self.customer_fa.id)
        for xmlid in (
            "complaint_management_reports.action_report_complaint_holding",
            "complaint_management_reports.action_report_complaint_summary_resolution",
        ):
            html = self.render_html(xmlid, complaint.with_user(self.english_manager))
            self.assertRegex(html, r'<body[^>]*dir="rtl"', xmlid)
            self.assertIn(".rtl.", html, xmlid)

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
        self.assertIn("Acknowledgement of your complaint", pdf_to_text(pdf))

    def test_persian_decision_stays_in_the_printable_area(self):
        """Debian's wkhtmltopdf (unpatched Qt) neither wraps Persian lines nor
        places right-to-left runs next to punctuation or Latin text: without
        care, lines leave the page by the right edge and the title loses its
        start. Every word of the first page lies in the printable box, and
        the title is the Persian one."""
        complaint = self._advance_to(
            self._create_complaint(
                partner_id=self.customer_fa.id, name="بسته آسیب‌دیده رسید"
            ),
            "decided",
        )
        complaint.decision_note = (
            "<p>اگر موافق نیستید، می‌توانید درخواست تجدیدنظر کنید: فردی که "
            "تاکنون به شکایت شما رسیدگی نکرده است آن را بازبینی می‌کند. به این "
            "نامه پاسخ دهید یا از درگاه مشتریان استفاده کنید. شماره پیگیری "
            f"{complaint.reference} را در هر مکاتبه ذکر کنید.</p>"
        )
        xmlid = "complaint_management_reports.action_report_complaint_decision"
        pdf = self.render_pdf(xmlid, complaint.with_user(self.english_manager))
        width, height, words = pdf_words(pdf)
        self.assertGreater(len(words), 100)
        paperformat = self.env.ref(xmlid).get_paperformat()
        left, right = paperformat.margin_left, paperformat.margin_right
        top, bottom = paperformat.margin_top, paperformat.margin_bottom
        if paperformat.css_margins:
            left, right = max(left, CSS_PAGE_MARGIN_MM), max(right, CSS_PAGE_MARGIN_MM)
        if "(with patched qt)" in (_wkhtml().version or ""):
            # header and footer are printed in the top and bottom margins
            top = bottom = CSS_PAGE_MARGIN_MM
        box = (left * MM, top * MM, width - right * MM, height - bottom * MM)
        tolerance = 0.5
        outside = [
            word
            for word in words
            if word[0] < box[0] - tolerance
            or word[1] < box[1] - tolerance
            or word[2] > box[2] + tolerance
            or word[3] > box[3] + tolerance
        ]
        self.assertFalse(
            outside,
            f"words outside the printable box {box} of a {width}x{height} page",
        )
        # the title: the tallest glyphs of the page
        tallest = max(word[3] - word[1] for word in words)
        title = [word for word in words if word[3] - word[1] > tallest - 0.5]
        x0, y0 = min(word[0] for word in title), min(word[1] for word in title)
        x1, y1 = max(word[2] for word in title), max(word[3] for word in title)
        title_text = normalize(
            re.sub("[\u202a-\u202e]", "", pdftotext_area(pdf, x0, y0, x1 - x0, y1 - y0))
        )
        # "Our decision on your complaint" (the ezafe of "دربارهٔ" is read apart)
        self.assertIn(normalize("تصمیم ما درباره"), title_text)
        self.assertIn(normalize("شکایت شما"), title_text)
        self.assertIn(complaint.reference, title_text)
        self.assertNotIn("decision", title_text)

    def test_persian_letter_dates_in_solar_hijri(self):
        complaint = self._advance_to(
            self._create_complaint(
                partner_id=self.customer_fa.id, date_received=MOMENT
            ),
            "decided",
        )
        xmlid = "complaint_management_reports.action_report_complaint_decision"
        html = self.render_html(xmlid, complaint.with_user(self.english_manager))
        self.assertIn("۱۴۰۵/۰۹/۰۹ ۱۶:۱۲ (Asia/Tehran)", html)
        self.assertNotIn("11/30/2026", html)
        self.assertNotIn("2026/11/30", html)
        text = pdf_to_text(
            self.render_pdf(xmlid, complaint.with_user(self.english_manager))
        )
        self.assertIn("1405/09/09", text)
        self.assertIn("Asia/Tehran", text)

    def test_english_letter_dates_in_gregorian(self):
        self.customer_en.tz = "Europe/London"
        complaint = self._create_complaint(
            partner_id=self.customer_en.id, date_received=MOMENT
        )
        xmlid = "complaint_management_reports.action_report_complaint_acknowledgement"
        html = self.render_html(xmlid, complaint.with_user(self.english_manager))
        self.assertIn("11/30/2026 12:42 PM (Europe/London)", html)
        self.assertNotIn("۱۴۰۵", html)
