from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestAppeal(ComplaintCase):
    def setUp(self):
        super().setUp()
        self.complaint = self._advance_to(self._create_complaint(), "decided")

    def test_appeal_reopens_one_level_up_with_new_handler(self):
        self.complaint.action_appeal("The replacement is broken too.")
        self.assertEqual(self.complaint.step, "investigating")
        self.assertEqual(self.complaint.escalation_level, 1)
        self.assertIn(self.handler_x, self.complaint.previous_handler_ids)
        self.assertNotEqual(self.complaint.user_id, self.handler_x)
        self.assertFalse(self.complaint.decision)
        self.assertEqual(self.complaint.customer_reaction, "none")

    def test_appeal_refuses_previous_handler(self):
        with self.assertRaises(UserError) as caught:
            self.complaint.action_appeal("Unfair", handler=self.handler_x)
        self.assertIn("Objectivity", str(caught.exception))
        # and the gate refuses putting the previous handler back afterwards
        self.complaint.action_appeal("Unfair", handler=self.handler_x2)
        self.assertEqual(self.complaint.user_id, self.handler_x2)
        self.complaint.write({"stage_id": self.stage["assessed"].id})
        with self.assertRaises(UserError):
            self.complaint.write(
                {
                    "user_id": self.handler_x.id,
                    "stage_id": self.stage["investigating"].id,
                }
            )

    def test_appeal_needs_reason(self):
        with self.assertRaises(UserError):
            self.complaint.action_appeal("  ")

    def test_rejection_after_last_level_refers_externally(self):
        self.complaint.action_customer_reject("Still not fixed")
        self.assertFalse(
            self.complaint.external_referral_body, "an appeal level remains"
        )
        self.complaint.action_appeal("Still not fixed", handler=self.handler_x2)
        self._advance_to(self.complaint, "decided")
        self.complaint.action_customer_reject("No")
        self.assertEqual(self.complaint.external_referral_body, "Consumer Ombudsman")
        self.assertTrue(self.complaint.external_referral_date)
        with self.assertRaises(UserError) as caught:
            self.complaint.action_appeal("Again")
        self.assertIn("Consumer Ombudsman", str(caught.exception))

    def test_appeal_wizard(self):
        wizard = self.env["complaint.appeal.wizard"].create(
            {
                "complaint_ids": [(6, 0, self.complaint.ids)],
                "reason": "Please review",
                "handler_id": self.handler_x2.id,
            }
        )
        wizard.action_confirm()
        self.assertEqual(self.complaint.escalation_level, 1)
        self.assertEqual(self.complaint.user_id, self.handler_x2)
