from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestWorkflowGates(ComplaintCase):
    """One test per gate: the move is refused naming the principle, then allowed."""

    def setUp(self):
        super().setUp()
        self.complaint = self._create_complaint()

    def _assert_refused(self, stage, principle, *fragments):
        with self.assertRaises(UserError) as caught:
            self.complaint.write({"stage_id": stage.id})
        message = str(caught.exception)
        self.assertIn(self.complaint.reference, message)
        self.assertIn(principle, message)
        for fragment in fragments:
            self.assertIn(fragment, message)
        return message

    def test_receipt_acknowledged_automatically(self):
        self.assertEqual(self.complaint.step, "acknowledged")
        self.assertTrue(self.complaint.date_acknowledged)

    def test_gate_assessed_needs_severity_and_handler(self):
        message = self._assert_refused(
            self.stage["assessed"],
            "Responsiveness",
            "severity",
            "Accountability",
            "handler",
        )
        self.assertIn("§4.6", message)
        self.complaint.write(
            {
                "severity": "high",
                "user_id": self.handler_x.id,
                "stage_id": self.stage["assessed"].id,
            }
        )
        self.assertEqual(self.complaint.step, "assessed")
        self.assertEqual(self.complaint.priority, "2", "severity sets the priority")
        self.assertTrue(self.complaint.date_assessed)

    def test_gate_investigating_needs_impartial_handler(self):
        self._advance_to(self.complaint, "assessed")
        self.complaint.involved_user_ids = self.handler_x2
        self.complaint.previous_handler_ids = self.handler_x
        self._assert_refused(
            self.stage["investigating"], "Objectivity", "previous level"
        )
        self.complaint.user_id = self.manager
        self.complaint.stage_id = self.stage["investigating"]
        self.assertEqual(self.complaint.step, "investigating")

    def test_gate_responded_needs_findings_and_resolution(self):
        self._advance_to(self.complaint, "investigating")
        self._assert_refused(
            self.stage["responded"],
            "Objectivity",
            "findings",
            "Customer-focused",
            "resolution",
        )
        self.complaint.write(
            {
                "findings": "<p>Dropped by the carrier.</p>",
                "proposed_resolution": "<p>Replacement.</p>",
                "stage_id": self.stage["responded"].id,
            }
        )
        self.assertEqual(self.complaint.step, "responded")

    def test_gate_decided_needs_decision_and_sends_letter(self):
        self._advance_to(self.complaint, "responded")
        self._assert_refused(self.stage["decided"], "Transparency", "decision")
        before = len(self.complaint.message_ids)
        self.complaint.write(
            {"decision": "upheld", "stage_id": self.stage["decided"].id}
        )
        self.assertEqual(self.complaint.step, "decided")
        self.assertTrue(self.complaint.date_decided)
        self.assertFalse(
            self.complaint.message_ids.filtered(
                lambda m: "our decision" in (m.subject or "")
            ),
            "not rendered in the transaction that decides",
        )
        self._send_letters()
        letters = self.complaint.message_ids[
            : len(self.complaint.message_ids) - before
        ].filtered(lambda m: "our decision" in (m.subject or ""))
        self.assertEqual(
            len(letters), 1, "the decision letter is sent on entering decided"
        )
        self.assertIn(self.portal_a.partner_id, letters.partner_ids)

    def test_gate_closed_needs_root_cause_reaction_and_actions(self):
        self._advance_to(self.complaint, "decided")
        action = self.env["complaint.action"].create(
            {
                "complaint_id": self.complaint.id,
                "name": "Train the carrier",
                "blocking": True,
            }
        )
        message = self._assert_refused(
            self.stage["closed"],
            "Improvement",
            "root cause",
            "reaction",
            "Train the carrier",
        )
        self.assertIn("§4.13", message)
        self.complaint.root_cause_id = self.root_cause
        self.complaint.action_customer_accept()
        self._assert_refused(self.stage["closed"], "Improvement", "Train the carrier")
        action.action_done()
        self.complaint.stage_id = self.stage["closed"]
        self.assertEqual(self.complaint.step, "closed")
        self.assertTrue(self.complaint.date_closed)

    def test_gate_closed_after_reply_window_expired(self):
        self._advance_to(self.complaint, "decided")
        self.complaint.root_cause_id = self.root_cause
        self._assert_refused(self.stage["closed"], "Customer-focused", "reaction")
        self.complaint.company_id.complaint_reply_window_days = 0
        self.complaint.invalidate_recordset(["reply_deadline"])
        self.complaint.stage_id = self.stage["closed"]
        self.assertEqual(self.complaint.step, "closed")

    def test_gates_apply_to_create_and_kanban_drag(self):
        with self.assertRaises(UserError):
            self._create_complaint(stage_id=self.stage["decided"].id)
        with self.assertRaises(UserError):
            # kanban drag and import write only stage_id
            self.complaint.with_user(self.handler_x).write(
                {"stage_id": self.stage["closed"].id}
            )

    def test_gate_flags_configurable(self):
        self.stage["assessed"].write(
            {"require_severity": False, "require_handler": False}
        )
        self.complaint.stage_id = self.stage["assessed"]
        self.assertEqual(self.complaint.step, "assessed")

    def test_next_step_button(self):
        self.complaint.write({"severity": "low", "user_id": self.handler_x.id})
        self.complaint.action_next_step()
        self.assertEqual(self.complaint.step, "assessed")

    def test_objectivity_constraint(self):
        self.complaint.user_id = self.handler_x
        with self.assertRaises(ValidationError) as caught:
            self.complaint.involved_user_ids = self.handler_x
        self.assertIn("Objectivity", str(caught.exception))

    def test_competence_constraint(self):
        with self.assertRaises(ValidationError) as caught:
            self.complaint.user_id = self.handler_y
        self.assertIn("Competence", str(caught.exception))

    def test_critical_severity_alerts_team_manager(self):
        self.complaint.severity = "critical"
        self.assertEqual(self.complaint.priority, "3")
        activity = self.complaint.activity_ids.filtered(
            lambda a: a.user_id == self.manager
        )
        self.assertEqual(len(activity), 1)

    def test_reopen_within_window(self):
        self._advance_to(self.complaint, "closed")
        self.complaint.action_reopen()
        self.assertEqual(self.complaint.step, "investigating")
        self.assertFalse(self.complaint.date_closed)
        self._advance_to(self.complaint, "closed")
        self.complaint.date_closed = "2000-01-01 00:00:00"
        with self.assertRaises(UserError):
            self.complaint.action_reopen()

    def test_every_change_tracked(self):
        # Odoo does not track changes made in the transaction that created the
        # record: end it as a request would.
        self.env.flush_all()
        self.env.cr.flush()
        self.complaint.write(
            {
                "severity": "high",
                "user_id": self.handler_x.id,
                "stage_id": self.stage["assessed"].id,
            }
        )
        self.env.flush_all()
        self.env.cr.flush()  # tracking values are written when the cursor flushes
        self.complaint.invalidate_recordset(["message_ids"])
        tracked = self.complaint.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("severity", tracked)
        self.assertIn("user_id", tracked)
        self.assertIn("stage_id", tracked)
