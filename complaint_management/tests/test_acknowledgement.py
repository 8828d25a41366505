from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestAcknowledgement(ComplaintCase):
    def _acknowledgements(self, complaint):
        return complaint.message_ids.filtered(
            lambda m: "we received your complaint" in (m.subject or "")
        )

    def test_sent_exactly_once(self):
        complaint = self._create_complaint()
        self.assertFalse(self._acknowledgements(complaint), "not sent in create")
        self._send_letters()
        self.assertEqual(len(self._acknowledgements(complaint)), 1)
        ack = self._acknowledgements(complaint)
        self.assertIn(complaint.reference, ack.subject)
        self.assertIn(complaint.reference, ack.body)
        self.assertIn(self.portal_a.partner_id, ack.partner_ids)
        self.assertTrue(
            complaint.date_last_customer_update, "the letter counts as news"
        )
        # Moving back and forth through acknowledged does not send it again.
        complaint.stage_id = self.stage["new"]
        complaint.stage_id = self.stage["acknowledged"]
        self._advance_to(complaint, "assessed")
        self._send_letters()
        self.assertEqual(len(self._acknowledgements(complaint)), 1)

    def test_sent_on_entering_acknowledged_when_not_automatic(self):
        self.company.complaint_auto_acknowledge = False
        complaint = self._create_complaint()
        self.assertEqual(complaint.step, "new")
        self._send_letters()
        self.assertFalse(self._acknowledgements(complaint))
        complaint.stage_id = self.stage["acknowledged"]
        self.assertTrue(complaint.date_acknowledged)
        self.assertTrue(complaint.acknowledgement_pending)
        self._send_letters()
        self.assertEqual(len(self._acknowledgements(complaint)), 1)

    def test_anonymous_acknowledgement_leaves_no_recipient_in_chatter(self):
        complaint = self._create_complaint(is_anonymous=True)
        self._send_letters()
        self.assertFalse(self._acknowledgements(complaint))
        mail = self.env["mail.mail"].search([("subject", "ilike", complaint.reference)])
        self.assertEqual(len(mail), 1)
        self.assertIn(self.portal_a.partner_id, mail.recipient_ids)
        self.assertNotIn(self.portal_a.partner_id, complaint.message_partner_ids)
        self.assertTrue(complaint.date_last_customer_update)

    def test_acknowledged_by_cron_with_receipt_date(self):
        complaint = self.env["complaint.complaint"].create(
            {"name": "From the web", "partner_id": self.portal_a.partner_id.id}
        )
        self.assertEqual(complaint.step, "acknowledged")
        self.assertTrue(complaint.date_acknowledged)
        self.assertTrue(complaint.acknowledgement_pending)
        self.assertFalse(
            self._acknowledgements(complaint), "not rendered in the transaction"
        )
        acknowledged = complaint.date_acknowledged
        self.assertEqual(self._send_letters(), 1)
        self.assertFalse(complaint.acknowledgement_pending)
        self.assertEqual(complaint.date_acknowledged, acknowledged)
        self.assertEqual(len(self._acknowledgements(complaint)), 1)
        self._send_letters()
        self.assertEqual(len(self._acknowledgements(complaint)), 1, "sent once")
