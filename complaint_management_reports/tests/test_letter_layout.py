from odoo.tests import tagged

from ..models.ir_actions_report import RTL_WORD_CLASS, isolate_rtl_runs
from .common import ReportCase

LETTER_BUNDLE = "complaint_management_reports.report_assets_letter"


@tagged("post_install", "-at_install")
class TestLetterLayout(ReportCase):
    """The letters reach wkhtmltopdf in a page with lighter stylesheets
    than Odoo's (what a letter and the company layouts use); the other
    reports keep Odoo's page."""

    def _prepared(self, xmlid, complaint):
        # in the complainant's language, as _pre_render_qweb_pdf renders it
        report = self.env.ref(xmlid).with_context(lang=complaint._report_lang())
        html = report._render_qweb_html(report.report_name, complaint.ids)[0]
        return report._prepare_html(html, report_model=report.model)

    def test_letters_in_the_light_page(self):
        complaint = self._create_complaint(partner_id=self.customer_fa.id)
        layout = self.env.ref("complaint_management_reports.letter_minimal_layout")
        for xmlid in (
            "complaint_management_reports.action_report_complaint_acknowledgement",
            "complaint_management_reports.action_report_complaint_decision",
            "complaint_management_reports.action_report_complaint_holding",
            "complaint_management_reports.action_report_complaint_summary_resolution",
        ):
            self.assertEqual(self.env.ref(xmlid)._get_layout(), layout, xmlid)
            bodies, _ids, header, footer, _args = self._prepared(xmlid, complaint)
            for part in (bodies[0], header, footer):
                self.assertIn(LETTER_BUNDLE, part, xmlid)
                self.assertNotIn("web.report_assets_common", part, xmlid)
                # a Persian complainant: the right-to-left stylesheets
                self.assertIn(f"{LETTER_BUNDLE}.rtl.", part, xmlid)
        record = self.env.ref(
            "complaint_management_reports.action_report_complaint_record"
        )
        self.assertEqual(record._get_layout(), self.env.ref("web.minimal_layout"))

    def test_light_stylesheets(self):
        """Bootstrap's grid, tables and utilities, Odoo's report and company
        layout styles and ours; not the components, the icon fonts, the web
        fonts nor the responsive variants of the utilities."""
        css = (
            self.env["ir.qweb"]
            ._get_asset_bundle(LETTER_BUNDLE, css=True, js=False)
            .css()
            .raw.decode()
        )
        self.assertNotIn("css_error_message", css)
        for selector in (
            ".row",
            ".col-5",
            ".table-sm",
            ".text-end",
            ".ms-auto",
            ".o_report_layout_bubble",
            f".o_company_{self.env.company.id}_layout",
            ".o_complaint_rtl_word",
            'body[data-report-id^="complaint_management_reports."]',
        ):
            self.assertIn(selector, css)
        for selector in (".form-control", ".navbar-expand", ".fa-check", ".d-md-none"):
            self.assertNotIn(selector, css)
        full = (
            self.env["ir.qweb"]
            ._get_asset_bundle("web.report_assets_common", css=True, js=False)
            .css()
            .raw
        )
        self.assertLess(len(css), len(full) / 2)

    def test_rtl_words_marked(self):
        """The right-to-left words in elements of their own are marked (no
        break-word for them); the left-to-right runs are not."""
        html = isolate_rtl_runs(
            "<html><body><p>شکایت شما CMP/2026/00001 ثبت شد.</p></body></html>"
        )
        self.assertEqual(html.count(f'class="{RTL_WORD_CLASS}"'), 4)
        self.assertIn("<span>CMP/2026/00001</span>", html)
