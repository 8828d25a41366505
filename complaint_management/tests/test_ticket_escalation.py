from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestTicketEscalation(ComplaintCase):
    def test_escalate_ticket(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Late delivery again",
                "description": "<p>Third time.</p>",
                "partner_id": self.portal_a.partner_id.id,
                "team_id": self.team_x.id,
            }
        )
        action = ticket.action_escalate_to_complaint()
        complaint = self.env["complaint.complaint"].browse(action["res_id"])
        self.assertEqual(complaint.ticket_id, ticket)
        self.assertEqual(complaint.channel_id.code, "ticket")
        self.assertEqual(complaint.partner_id, self.portal_a.partner_id)
        self.assertEqual(complaint.team_id, self.team_x)
        self.assertEqual(ticket.complaint_count, 1)
        self.assertIn(complaint.reference, ticket.message_ids[0].body)
        view = ticket.action_view_complaints()
        self.assertEqual(view["res_id"], complaint.id)
        with self.assertRaises(UserError):
            ticket.action_escalate_to_complaint()
