from odoo.tests import tagged

from odoo.addons.mail.tests.common import MailCommon

MAIL = """Return-Path: <{email_from}>
To: complaints@example.com
From: {from_header}
Subject: {subject}
Message-ID: <{msg_id}>
{extra}MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

{body}
"""


@tagged("post_install", "-at_install")
class TestMailGateway(MailCommon):
    def _process(self, **values):
        vals = {
            "email_from": "carol@example.org",
            "from_header": "Carol Customer <carol@example.org>",
            "subject": "Wrong invoice",
            "msg_id": "complaint-1@example.org",
            "extra": "",
            "body": "You charged me twice.",
        }
        vals.update(values)
        return self.env["mail.thread"].message_process(
            "complaint.complaint", MAIL.format(**vals)
        )

    def test_new_mail_creates_complaint_and_contact(self):
        self.assertFalse(
            self.env["res.partner"].search([("email", "=", "carol@example.org")])
        )
        complaint_id = self._process()
        complaint = self.env["complaint.complaint"].browse(complaint_id)
        self.assertEqual(complaint.name, "Wrong invoice")
        self.assertEqual(complaint.channel_id.code, "email")
        partner = self.env["res.partner"].search([("email", "=", "carol@example.org")])
        self.assertEqual(len(partner), 1, "unknown sender gets a contact")
        self.assertEqual(complaint.partner_id, partner)
        self.assertIn("charged me twice", complaint.description)
        self.assertTrue(complaint.date_acknowledged, "acknowledged on receipt")
        self.assertTrue(complaint.acknowledgement_pending, "not sent in the gateway")
        # the letter waits in the outbox for the cron worker
        self.env["complaint.letter"].sudo()._cron_send()
        self.assertFalse(complaint.acknowledgement_pending)
        self.assertTrue(
            complaint.message_ids.filtered(lambda m: "we received" in (m.subject or ""))
        )

    def test_known_sender_is_linked(self):
        partner = self.env["res.partner"].create(
            {"name": "Carol Known", "email": "carol@example.org"}
        )
        complaint = self.env["complaint.complaint"].browse(self._process())
        self.assertEqual(complaint.partner_id, partner)

    def test_reply_threads_onto_complaint(self):
        complaint = self.env["complaint.complaint"].browse(self._process())
        count = self.env["complaint.complaint"].search_count([])
        self._process(
            subject="Re: Wrong invoice",
            msg_id="complaint-2@example.org",
            extra=(
                "In-Reply-To: <complaint-1@example.org>\n"
                "References: <complaint-1@example.org>\n"
            ),
            body="Here is the invoice number: 42.",
        )
        self.assertEqual(self.env["complaint.complaint"].search_count([]), count)
        self.assertTrue(
            complaint.message_ids.filtered(
                lambda m: "invoice number: 42" in (m.body or "")
            )
        )

    def test_alias_routes_to_complaints(self):
        alias = self.env.ref("complaint_management.mail_alias_complaint")
        self.assertEqual(alias.alias_model_id.model, "complaint.complaint")
