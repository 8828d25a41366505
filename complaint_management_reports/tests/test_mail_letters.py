from odoo.tests import tagged

from .common import ReportCase, pdf_to_text


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

    def test_acknowledgement_mail_carries_pdf(self):
        Complaint = self.env["complaint.complaint"].with_context(
            force_report_rendering=True
        )
        complaint = Complaint.create(
            {
                "name": "Late delivery",
                "partner_id": self.customer_en.id,
                "category_id": self.category_x.id,
                "channel_id": self.channel_phone.id,
            }
        )
        self.assertEqual(complaint.step, "acknowledged")
        attachment = self._letter_attachments(complaint, "Acknowledgement")
        self.assertEqual(len(attachment), 1)
        self.assertEqual(attachment.mimetype, "application/pdf")
        self.assertTrue(attachment.name.endswith(".pdf"))
        self.assertTrue(attachment.raw.startswith(b"%PDF"))
        self.assertIn(complaint.reference, pdf_to_text(attachment.raw))

    def test_decision_mail_carries_letter(self):
        complaint = self._create_complaint(partner_id=self.customer_en.id)
        self._advance_to(complaint, "decided")
        self.assertEqual(len(self._letter_attachments(complaint, "Decision")), 1)
