from odoo import fields, models


class ComplaintAppealWizard(models.TransientModel):
    _name = "complaint.appeal.wizard"
    _description = "Appeal a Complaint Decision"

    complaint_ids = fields.Many2many("complaint.complaint", required=True)
    reason = fields.Text(required=True)
    handler_id = fields.Many2one(
        "res.users",
        string="New handler",
        domain=[("share", "=", False)],
        help="Must not have handled a previous level. Empty: the complaints "
        "manager or the team leader.",
    )

    def action_confirm(self):
        for complaint in self.complaint_ids:
            complaint.action_appeal(self.reason, handler=self.handler_id or None)
        return {"type": "ir.actions.act_window_close"}
