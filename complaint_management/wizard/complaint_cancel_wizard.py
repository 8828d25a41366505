from odoo import fields, models


class ComplaintCancelWizard(models.TransientModel):
    """Complaints are never deleted: they are cancelled with a reason."""

    _name = "complaint.cancel.wizard"
    _description = "Cancel Complaints"

    complaint_ids = fields.Many2many("complaint.complaint", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.complaint_ids.action_cancel(self.reason)
        return {"type": "ir.actions.act_window_close"}
