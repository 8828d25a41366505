from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from ..models.complaint_letter import TRIGGERED_KEY
from .portal_common import ComplaintHttpCase
from .test_mail_gateway import MAIL

SUBJECTS = {
    "acknowledgement": "we received your complaint",
    "decision": "our decision on your complaint",
    "status_update": "news about your complaint",
}


@tagged("post_install", "-at_install")
class TestLetterQueue(ComplaintHttpCase):
    """Every letter, whatever the path, waits in the outbox: nothing is
    rendered in the request or the creating transaction, and the cron sends
    exactly one mail per letter."""

    def setUp(self):
        super().setUp()
        # letters already waiting (other setups) go first
        self._send_letters()
        self.letters_cron = self.env.ref(
            "complaint_management.ir_cron_complaint_letters"
        )
        self._clear_triggers()
        Template = self.registry["mail.template"]
        original = Template._generate_template
        self.renderings = []

        def counting(template, res_ids, *args, **kwargs):
            self.renderings.append((template.id, tuple(res_ids)))
            return original(template, res_ids, *args, **kwargs)

        patcher = patch.object(Template, "_generate_template", counting)
        patcher.start()
        self.addCleanup(patcher.stop)

    def _clear_triggers(self):
        # (one trigger per transaction, and a test is one transaction)
        self.env.cr.precommit.data.pop(TRIGGERED_KEY, None)
        self.env["ir.cron.trigger"].sudo().search(
            [("cron_id", "=", self.letters_cron.id)]
        ).unlink()

    def _letters(self, complaint, kind):
        """Letters of ``kind`` sent for ``complaint``: chatter messages, or the
        outgoing mails of an anonymous complaint (not linked to it)."""
        self.env.invalidate_all()
        if complaint.sudo().is_anonymous:
            return (
                self.env["mail.mail"]
                .sudo()
                .search_count(
                    [("subject", "ilike", f"{SUBJECTS[kind]} {complaint.reference}")]
                )
            )
        return len(
            complaint.sudo().message_ids.filtered(
                lambda m: SUBJECTS[kind] in (m.subject or "")
            )
        )

    def _assert_queued_then_sent(self, complaint, kind, count=1):
        self.assertFalse(self.renderings, "a letter was rendered in the transaction")
        self.assertEqual(self._letters(complaint, kind), count - 1)
        template = self.env.ref(f"complaint_management.mail_template_complaint_{kind}")
        self.assertTrue(
            self.env["complaint.letter"]
            .sudo()
            .search(
                [("complaint_id", "=", complaint.id), ("template_id", "=", template.id)]
            ),
            f"the {kind} letter waits in the outbox",
        )
        self.assertTrue(
            self.env["ir.cron.trigger"]
            .sudo()
            .search([("cron_id", "=", self.letters_cron.id)]),
            "the cron is triggered at once",
        )
        self._clear_triggers()
        self._send_letters()
        self.assertTrue(self.renderings)
        self.assertEqual(self._letters(complaint, kind), count, "exactly one mail")
        self._send_letters()
        self.assertEqual(self._letters(complaint, kind), count, "sent once")
        self.renderings.clear()

    def _last(self):
        self.env.invalidate_all()
        return self.Complaint.sudo().search([], order="id desc", limit=1)

    def _letter_triggers(self):
        return (
            self.env["ir.cron.trigger"]
            .sudo()
            .search_count([("cron_id", "=", self.letters_cron.id)])
        )

    def test_no_second_trigger_while_one_waits(self):
        """A complaint filed while the cron's trigger still waits for a
        worker adds no trigger (that worker sends its letter too); once a
        worker has taken the trigger, the next complaint triggers again."""
        self._create_complaint(name="Waiting trigger 1")
        self.assertEqual(self._letter_triggers(), 1)
        # the next filing is another transaction
        self.env.cr.precommit.data.pop(TRIGGERED_KEY, None)
        second = self._create_complaint(name="Waiting trigger 2")
        self.assertEqual(self._letter_triggers(), 1, "the waiting trigger serves both")
        self.assertTrue(second.acknowledgement_pending)
        # a worker takes the trigger (ir.cron._clear_schedule)
        self.env["ir.cron.trigger"].sudo().search(
            [("cron_id", "=", self.letters_cron.id)]
        ).unlink()
        self.env.cr.precommit.data.pop(TRIGGERED_KEY, None)
        self._create_complaint(name="Waiting trigger 3")
        self.assertEqual(self._letter_triggers(), 1, "triggered again")

    # intake paths -----------------------------------------------------
    def test_backend_create(self):
        complaint = self.Complaint.with_user(self.handler_x).create(
            {"name": "By phone", "partner_id": self.portal_a.partner_id.id}
        )
        self.assertTrue(complaint.date_acknowledged)
        self._assert_queued_then_sent(complaint, "acknowledgement")

    def test_backend_create_anonymous(self):
        complaint = self._create_complaint(is_anonymous=True)
        self._assert_queued_then_sent(complaint, "acknowledgement")

    def test_import(self):
        result = self.Complaint.load(
            ["name", "partner_email"], [["Imported", "imported@example.com"]]
        )
        self.assertFalse(result["messages"])
        complaint = self.Complaint.browse(result["ids"])
        self._assert_queued_then_sent(complaint, "acknowledgement")

    def test_mail_gateway(self):
        complaint_id = self.env["mail.thread"].message_process(
            "complaint.complaint",
            MAIL.format(
                email_from="carol@example.org",
                from_header="Carol <carol@example.org>",
                subject="Wrong invoice",
                msg_id="queue-1@example.org",
                extra="",
                body="Charged twice.",
            ),
        )
        self._assert_queued_then_sent(
            self.Complaint.browse(complaint_id), "acknowledgement"
        )

    def test_public_form(self):
        response = self._post(
            "/complaints/new",
            {
                "subject": "From the public form",
                "category_id": str(self.category_x.id),
                "description": "Broken.",
                "contact_name": "Walter Web",
                "contact_email": "walter@example.com",
                "consent": "1",
            },
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        complaint = self._last()
        self.assertEqual(complaint.name, "From the public form")
        self._assert_queued_then_sent(complaint, "acknowledgement")

    def test_portal(self):
        self.authenticate("cm_portal_b", "cm_portal_b")
        response = self._post(
            "/my/complaints/new",
            {
                "subject": "From the portal",
                "category_id": str(self.category_y.id),
                "description": "Late.",
                "consent": "1",
            },
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        complaint = self._last()
        self.assertEqual(complaint.name, "From the portal")
        self._assert_queued_then_sent(complaint, "acknowledgement")

    # later letters ----------------------------------------------------
    def test_decision_and_appeal(self):
        complaint = self._create_complaint()
        self._send_letters()
        self.renderings.clear()
        self._clear_triggers()
        self._advance_to(complaint, "decided")
        self._assert_queued_then_sent(complaint, "decision")
        complaint.action_appeal("The remedy is not enough.", handler=self.handler_x2)
        self.assertEqual(complaint.step, "investigating")
        self._advance_to(complaint, "decided")
        self._assert_queued_then_sent(complaint, "decision", count=2)

    def test_status_update(self):
        complaint = self._create_complaint()
        self._send_letters()
        self.renderings.clear()
        self._clear_triggers()
        old = fields.Datetime.now() - timedelta(days=40)
        complaint.sudo().write({"date_received": old, "date_last_customer_update": old})
        self.company.complaint_status_update_days = 5
        self.Complaint._cron_send_status_updates()
        self._assert_queued_then_sent(complaint, "status_update")
        # the letter counts as news: not queued again
        self.Complaint._cron_send_status_updates()
        self.assertFalse(self.env["complaint.letter"].sudo().search([]))

    def test_queued_once_while_waiting(self):
        complaint = self._create_complaint()
        self._send_letters()
        template = self.env.ref("complaint_management.mail_template_complaint_decision")
        complaint._queue_letter(template)
        complaint._queue_letter(template)
        self.assertEqual(
            self.env["complaint.letter"]
            .sudo()
            .search_count([("complaint_id", "=", complaint.id)]),
            1,
        )
