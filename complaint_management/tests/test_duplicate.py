from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestDuplicate(ComplaintCase):
    def test_merge_keeps_everything(self):
        original = self._create_complaint(name="Broken parcel")
        duplicate = self._create_complaint(
            name="Broken parcel (again)", partner_id=self.portal_b.partner_id.id
        )
        duplicate.message_post(body="Photo attached", message_type="comment")
        attachment = self.env["ir.attachment"].create(
            {
                "name": "photo.txt",
                "raw": b"photo",
                "res_model": duplicate._name,
                "res_id": duplicate.id,
            }
        )
        messages = duplicate.message_ids
        wizard = self.env["complaint.duplicate.wizard"].create(
            {
                "complaint_ids": [(6, 0, duplicate.ids)],
                "original_id": original.id,
                "reason": "Same parcel",
            }
        )
        wizard.action_confirm()
        self.assertEqual(duplicate.duplicate_of_id, original)
        self.assertEqual(duplicate.step, "closed")
        self.assertEqual(duplicate.close_reason, "Same parcel")
        self.assertTrue(duplicate.active, "a merged complaint stays visible")
        self.assertLessEqual(messages, original.message_ids, "no message lost")
        self.assertEqual(attachment.res_id, original.id)
        self.assertIn(self.portal_b.partner_id, original.message_partner_ids)
        self.assertTrue(duplicate.message_ids, "the duplicate keeps a pointer note")
        self.assertIn(original.reference, duplicate.message_ids[0].body)

    def test_cannot_merge_into_itself(self):
        complaint = self._create_complaint()
        with self.assertRaises(UserError):
            complaint.action_mark_duplicate(complaint, "self")
