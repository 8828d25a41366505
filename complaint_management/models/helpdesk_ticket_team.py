from odoo import fields, models

from .complaint_stage import STEP_CLOSED


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    complaint_ids = fields.One2many("complaint.complaint", "team_id")
    complaint_open_count = fields.Integer(
        string="Open complaints", compute="_compute_complaint_open_count"
    )

    def _compute_complaint_open_count(self):
        counts = dict(
            self.env["complaint.complaint"]._read_group(
                [("team_id", "in", self.ids), ("step", "!=", STEP_CLOSED)],
                ["team_id"],
                ["__count"],
            )
        )
        for team in self:
            team.complaint_open_count = counts.get(team, 0)
