from odoo import fields, models


class ComplaintDuplicateWizard(models.TransientModel):
    _name = "complaint.duplicate.wizard"
    _description = "Mark Complaints as Duplicate"

    complaint_ids = fields.Many2many("complaint.complaint", required=True)
    original_id = fields.Many2one(
        "complaint.complaint", string="Original complaint", required=True
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        original = self.complaint_ids.action_mark_duplicate(
            self.original_id, self.reason
        )
        return original._get_form_action()
