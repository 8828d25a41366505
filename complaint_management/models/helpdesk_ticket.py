from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    complaint_ids = fields.One2many("complaint.complaint", "ticket_id")
    complaint_count = fields.Integer(compute="_compute_complaint_count")

    def _compute_complaint_count(self):
        counts = dict(
            self.env["complaint.complaint"]
            .with_context(active_test=False)
            ._read_group([("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"])
        )
        for ticket in self:
            ticket.complaint_count = counts.get(ticket, 0)

    def _prepare_complaint_vals(self):
        self.ensure_one()
        channel = self.env.ref("complaint_management.complaint_channel_ticket")
        return {
            "name": self.name,
            "description": self.description,
            "partner_id": self.partner_id.id,
            "partner_name": self.partner_name or self.partner_id.name,
            "partner_email": self.partner_email or self.partner_id.email,
            "team_id": self.team_id.id,
            "channel_id": channel.id,
            "ticket_id": self.id,
            "company_id": self.company_id.id,
        }

    def action_escalate_to_complaint(self):
        """Escalate a ticket into a formal complaint (ISO 10002 accessibility)."""
        self.ensure_one()
        if self.complaint_ids:
            raise UserError(
                self.env._(
                    "Ticket %(ticket)s is already a complaint.",
                    ticket=self.display_name,
                )
            )
        complaint = self.env["complaint.complaint"].create(
            self._prepare_complaint_vals()
        )
        self.message_post(
            body=Markup(self.env._("Escalated to complaint %(ref)s."))
            % {"ref": complaint._get_html_link()}
        )
        return complaint._get_form_action()

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "complaint_management.complaint_action_all"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        if len(self.complaint_ids) == 1:
            action.update(
                res_id=self.complaint_ids.id, view_mode="form", views=[(False, "form")]
            )
        return action
