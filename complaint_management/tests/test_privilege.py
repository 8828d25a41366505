"""Privilege: no button or public method does more than its user may.

The customer's answers (accept, reject, appeal) are recorded by the portal
controller after it checked access to the complaint; the model methods behind
them run with the caller's rights, so a read-only Auditor, a handler of another
team or a portal user calling them over RPC is refused (AccessError, a
UserError) and nothing changes.
"""

from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ComplaintCase

# Every header button of the complaint form is for complaint handlers.
HEADER_BUTTON_GROUP = "complaint_management.group_complaint_user"


@tagged("post_install", "-at_install")
class TestPrivilege(ComplaintCase):
    def setUp(self):
        super().setUp()
        self.complaint = self._advance_to(self._create_complaint(), "decided")

    def _snapshot(self, complaint):
        # post the pending tracking messages first, then read from the database
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.invalidate_all()
        return (
            complaint.customer_reaction,
            complaint.customer_reaction_date,
            complaint.escalation_level,
            complaint.step,
            complaint.user_id,
            complaint.external_referral_body,
            len(complaint.message_ids),
        )

    def test_auditor_cannot_record_customer_reaction(self):
        before = self._snapshot(self.complaint)
        as_auditor = self.complaint.with_user(self.auditor)
        with self.assertRaises(UserError):
            as_auditor.action_customer_accept("Recorded by the auditor")
        with self.assertRaises(UserError):
            as_auditor.action_customer_reject("Recorded by the auditor")
        self.assertEqual(self._snapshot(self.complaint), before)
        self.assertEqual(self.complaint.customer_reaction, "none")

    def test_auditor_cannot_appeal_or_reopen(self):
        before = self._snapshot(self.complaint)
        as_auditor = self.complaint.with_user(self.auditor)
        with self.assertRaises(UserError):
            as_auditor.action_appeal("Appealed by the auditor")
        self.assertEqual(self._snapshot(self.complaint), before)
        self._advance_to(self.complaint, "closed")
        before = self._snapshot(self.complaint)
        with self.assertRaises(UserError):
            self.complaint.with_user(self.auditor).action_reopen()
        self.assertEqual(self._snapshot(self.complaint), before)

    def test_other_team_and_portal_cannot_answer(self):
        before = self._snapshot(self.complaint)
        for user in (self.handler_y, self.portal_b, self.portal_a):
            complaint = self.complaint.with_user(user)
            for method, args in (
                ("action_customer_accept", ()),
                ("action_customer_reject", ()),
                ("action_appeal", ("Not mine",)),
            ):
                with (
                    self.subTest(user=user.login, method=method),
                    self.assertRaises(UserError),
                ):
                    getattr(complaint, method)(*args)
        self.assertEqual(self._snapshot(self.complaint), before)

    def test_auditor_cannot_merge_or_cancel(self):
        other = self._create_complaint(name="Same parcel again")
        messages = len(other.message_ids)
        with self.assertRaises(UserError):
            other.with_user(self.auditor).action_mark_duplicate(self.complaint, "Same")
        with self.assertRaises(UserError):
            other.with_user(self.auditor).action_cancel("Not needed")
        self.env.invalidate_all()
        self.assertFalse(other.duplicate_of_id)
        self.assertTrue(other.active)
        self.assertEqual(len(other.message_ids), messages)

    def test_team_handler_records_the_answer(self):
        """A handler of the team records an answer given by phone."""
        self.complaint.with_user(self.handler_x).action_customer_reject("By phone")
        self.assertEqual(self.complaint.customer_reaction, "rejected")
        self.complaint.with_user(self.handler_x).action_appeal(
            "Reviewed", handler=self.handler_x2
        )
        self.assertEqual(self.complaint.escalation_level, 1)
        self.assertEqual(self.complaint.user_id, self.handler_x2)

    def test_header_buttons_carry_groups(self):
        view = self.env.ref("complaint_management.complaint_view_form")
        arch = etree.fromstring(view.arch_db)
        buttons = arch.xpath("//header/button")
        self.assertTrue(buttons)
        for button in buttons:
            with self.subTest(button=button.get("name")):
                self.assertIn(
                    HEADER_BUTTON_GROUP, (button.get("groups") or "").split(",")
                )
        # and the auditor's form shows none of them
        arch = (
            self.env["complaint.complaint"]
            .with_user(self.auditor)
            .get_view(view.id, "form")["arch"]
        )
        self.assertFalse(etree.fromstring(arch).xpath("//header/button"))
