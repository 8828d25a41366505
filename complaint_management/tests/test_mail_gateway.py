import email
import email.policy

from odoo.tests import tagged

from odoo.addons.complaint_management.models.mail_thread import (
    MailThread as ComplaintMailThread,
)
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


# Mails the complaints gateway reads although the standard parser cannot
# store them (unknown charset, NUL characters), and an ordinary one.
SCOPE_MAILS = {
    "plain": (
        "Content-Type: text/plain; charset=utf-8\n\nPlease call me back.",
        "Call back",
    ),
    "nul": ("Content-Type: text/plain; charset=utf-8\n\nbo\x00dy", "Nul\x00 subject"),
    "unknown charset": (
        "Content-Type: text/plain; charset=x-unknown\n\nCaf\xe9 body",
        "Unknown charset",
    ),
}
SCOPE_MAIL = (
    "From: Dana Sender <dana@example.org>\n"
    "To: {to}\n"
    "Subject: {subject}\n"
    "Message-ID: <{msg_id}@example.org>\n"
    "{extra}"
    "MIME-Version: 1.0\n"
    "{rest}"
)


def standard_message_parse(records):
    """message_parse as without this addon: the implementation our class
    overrides (the standard one, and any other addon's)."""
    return super(ComplaintMailThread, records).message_parse


@tagged("post_install", "-at_install")
class TestMailParseScope(MailCommon):
    """The gateway's hardening applies to complaints only: every other model's
    mail is parsed exactly as without the addon."""

    def _message(self, kind, to="someone@example.org", extra=""):
        rest, subject = SCOPE_MAILS[kind]
        raw = SCOPE_MAIL.format(
            to=to, subject=subject, msg_id=f"scope-{kind}", extra=extra, rest=rest
        )
        return email.message_from_bytes(
            raw.encode("utf-8", "surrogateescape"), policy=email.policy.SMTP
        )

    def _parse(self, parse, kind, **kwargs):
        try:
            return parse(self._message(kind, **kwargs))
        except LookupError as error:
            return ("LookupError", str(error))

    def test_other_models_parse_as_without_the_addon(self):
        for model in ("mail.thread", "res.partner", "helpdesk.ticket"):
            records = self.env[model]
            # the implementation the addon's class overrides, i.e. the
            # standard one (and any other addon's) without ours
            standard = standard_message_parse(records)
            for kind in SCOPE_MAILS:
                with self.subTest(model=model, mail=kind):
                    self.assertEqual(
                        self._parse(records.message_parse, kind),
                        self._parse(standard, kind),
                    )
        # the standard parser keeps the NUL and refuses the unknown charset
        self.assertIn("\x00", self._parse(standard, "nul")["subject"])
        self.assertEqual(self._parse(standard, "unknown charset")[0], "LookupError")

    def test_complaint_mail_is_hardened(self):
        alias = self.env.ref("complaint_management.mail_alias_complaint")
        for label, parse, kwargs in (
            ("complaint model", self.env["complaint.complaint"].message_parse, {}),
            (
                "complaints alias",
                self.env["mail.thread"].message_parse,
                {"to": alias.alias_full_name or alias.alias_name},
            ),
        ):
            with self.subTest(label):
                parsed = self._parse(parse, "nul", **kwargs)
                self.assertEqual(parsed["subject"], "Nul subject")
                self.assertNotIn("\x00", parsed["body"])
                parsed = self._parse(parse, "unknown charset", **kwargs)
                self.assertIsInstance(parsed, dict)
                self.assertIn("Caf", parsed["body"])

    def test_reply_to_complaint_is_hardened(self):
        complaint = self.env["complaint.complaint"].browse(
            self.env["mail.thread"].message_process(
                "complaint.complaint",
                MAIL.format(
                    email_from="carol@example.org",
                    from_header="Carol <carol@example.org>",
                    subject="Broken lamp",
                    msg_id="scope-first@example.org",
                    extra="",
                    body="It flickers.",
                ),
            )
        )
        self.assertTrue(complaint)
        reply = (
            "In-Reply-To: <scope-first@example.org>\n"
            "References: <scope-first@example.org>\n"
        )
        parsed = self._parse(self.env["mail.thread"].message_parse, "nul", extra=reply)
        self.assertEqual(parsed["subject"], "Nul subject")
        # through the whole gateway, without a fallback model: kept
        count = len(complaint.message_ids)
        raw = self._message("unknown charset", extra=reply).as_bytes()
        self.assertEqual(
            self.env["mail.thread"].message_process(False, raw), complaint.id
        )
        self.assertEqual(len(complaint.message_ids), count + 1)
