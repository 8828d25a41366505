import io
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools.pdf import PdfFileReader

from odoo.addons.base.models import ir_actions_report

from ..models.pdf_split import split_pages
from .common import ReportCase, pdf_to_text

# "How we handle your complaint", a heading of the acknowledgement
HOW_WE_HANDLE_FA = "چگونه به شکایت شما رسیدگی"


@tagged("post_install", "-at_install")
class TestMailLetters(ReportCase):
    """With this addon the acknowledgement and decision mails carry the PDF letters."""

    def test_templates_have_the_reports(self):
        ack = self.env.ref(
            "complaint_management.mail_template_complaint_acknowledgement"
        )
        decision = self.env.ref("complaint_management.mail_template_complaint_decision")
        self.assertIn(
            self.env.ref(
                "complaint_management_reports.action_report_complaint_acknowledgement"
            ),
            ack.report_template_ids,
        )
        self.assertIn(
            self.env.ref(
                "complaint_management_reports.action_report_complaint_decision"
            ),
            decision.report_template_ids,
        )

    def _letter_attachments(self, complaint, prefix):
        messages = self.env["mail.message"].search(
            [("model", "=", "complaint.complaint"), ("res_id", "=", complaint.id)]
        )
        return messages.attachment_ids.filtered(lambda a: a.name.startswith(prefix))

    def _send_rendered_letters(self):
        """Run the outbox with real PDFs; return the number of documents
        given to each wkhtmltopdf run."""
        Report = self.registry["ir.actions.report"]
        original = Report._run_wkhtmltopdf
        runs = []

        def counting(report, bodies, **kwargs):
            runs.append(len(bodies))
            return original(report, bodies, **kwargs)

        with patch.object(Report, "_run_wkhtmltopdf", counting):
            self.env["complaint.letter"].sudo().with_context(
                force_report_rendering=True
            )._cron_send()
        return runs

    def test_acknowledgement_mail_carries_pdf(self):
        complaint = self._create_complaint(
            name="Late delivery", partner_id=self.customer_en.id
        )
        self.assertEqual(complaint.step, "acknowledged")
        self.assertFalse(self._letter_attachments(complaint, "Acknowledgement"))
        self.assertEqual(len(self._send_rendered_letters()), 1)
        attachment = self._letter_attachments(complaint, "Acknowledgement")
        self.assertEqual(len(attachment), 1)
        self.assertEqual(attachment.mimetype, "application/pdf")
        self.assertTrue(attachment.name.endswith(".pdf"))
        self.assertTrue(attachment.raw.startswith(b"%PDF"))
        self.assertIn(complaint.reference, pdf_to_text(attachment.raw))

    def test_decision_mail_carries_letter(self):
        complaint = self._create_complaint(partner_id=self.customer_en.id)
        self._advance_to(complaint, "decided")
        self.assertFalse(self._letter_attachments(complaint, "Decision"))
        self._send_letters()
        self.assertEqual(len(self._letter_attachments(complaint, "Decision")), 1)

    def test_batch_one_run_per_language_one_letter_each(self):
        """Five acknowledgements, three English and two Persian: two
        wkhtmltopdf runs, and each mail carries its own complaint's letter,
        in its complainant's language."""
        complaints = self.env["complaint.complaint"].create(
            [
                {
                    "name": f"Batch {i}",
                    "partner_id": partner.id,
                    "category_id": self.category_x.id,
                }
                for i, partner in enumerate(
                    [self.customer_en, self.customer_fa] * 2 + [self.customer_en]
                )
            ]
        )
        # the runs are split page by page without a PyPDF2 writer
        with patch.object(
            ir_actions_report,
            "PdfFileWriter",
            side_effect=AssertionError("split by PyPDF2"),
        ):
            runs = self._send_rendered_letters()
        self.assertEqual(len(runs), 2, "one wkhtmltopdf run per language")
        for complaint in complaints:
            # (the name of the Persian letter is in Persian)
            attachment = self._letter_attachments(complaint, "").filtered(
                lambda a: a.mimetype == "application/pdf"
            )
            self.assertEqual(len(attachment), 1, "exactly one letter")
            text = pdf_to_text(attachment.raw)
            self.assertEqual(len(PdfFileReader(io.BytesIO(attachment.raw)).pages), 1)
            self.assertIn(complaint.reference, text)
            for other in complaints - complaint:
                self.assertNotIn(other.reference, text, "its own letter only")
            if complaint.partner_id == self.customer_fa:
                self.assertIn(HOW_WE_HANDLE_FA, text)
                self.assertNotIn("How we handle your complaint", text)
            else:
                self.assertIn("How we handle your complaint", text)
                self.assertNotIn(HOW_WE_HANDLE_FA, text)
        self.assertEqual(self._send_rendered_letters(), [], "nothing left")

    def test_split_pages(self):
        """A PDF of wkhtmltopdf split page by page: each part a valid PDF of
        one page, with that page's text only; another PDF (PyPDF2's, with
        its own structure) is not split this way."""
        Report = self.env["ir.actions.report"]
        bodies = [
            f"<html><body><p>Letter number {n}</p><p>شکایت {n}</p></body></html>"
            for n in ("one", "two", "three")
        ]
        pdf = Report._run_wkhtmltopdf(
            [
                "".join(bodies).replace(
                    "</body></html><html><body>",
                    "<p style='page-break-before: always'></p>",
                )
            ]
        )
        self.assertEqual(len(PdfFileReader(io.BytesIO(pdf)).pages), 3)
        pages = split_pages(pdf)
        self.assertEqual(len(pages), 3)
        for page, number in zip(pages, ("one", "two", "three"), strict=True):
            self.assertEqual(len(PdfFileReader(io.BytesIO(page)).pages), 1)
            text = pdf_to_text(page)
            self.assertIn(f"Letter number {number}", text)
            for other in {"one", "two", "three"} - {number}:
                self.assertNotIn(f"Letter number {other}", text)
        self.assertIsNone(split_pages(b"%PDF-1.4 not a pdf"))
        self.assertIsNone(split_pages(pdf[: len(pdf) // 2]))
