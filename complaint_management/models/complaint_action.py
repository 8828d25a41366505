from odoo import fields, models


class ComplaintAction(models.Model):
    """Correction, corrective or preventive action (ISO 10002 §8.7)."""

    _name = "complaint.action"
    _description = "Complaint Corrective Action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_deadline, id"

    complaint_id = fields.Many2one(
        "complaint.complaint", required=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one(related="complaint_id.company_id", store=True)
    action_type = fields.Selection(
        [
            ("correction", "Correction"),
            ("corrective", "Corrective action"),
            ("preventive", "Preventive action"),
        ],
        required=True,
        default="corrective",
        tracking=True,
    )
    name = fields.Char(required=True, tracking=True)
    description = fields.Html()
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
    )
    date_deadline = fields.Date(string="Deadline", tracking=True)
    date_done = fields.Date(readonly=True)
    state = fields.Selection(
        [("open", "Open"), ("done", "Done"), ("cancel", "Cancelled")],
        default="open",
        required=True,
        tracking=True,
    )
    blocking = fields.Boolean(
        default=True,
        tracking=True,
        help="An open blocking action prevents closing the complaint.",
    )
    # The systemic issue this action is meant to remove (ISO 10002 8.4).
    systemic_issue_id = fields.Many2one(
        "complaint.systemic.issue",
        string="Systemic issue",
        index="btree_not_null",
        tracking=True,
    )

    def action_done(self):
        self.write({"state": "done", "date_done": fields.Date.context_today(self)})

    def action_cancel(self):
        self.write({"state": "cancel"})

    def action_reopen(self):
        self.write({"state": "open", "date_done": False})
