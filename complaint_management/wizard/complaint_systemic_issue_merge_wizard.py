from odoo import api, fields, models


class ComplaintSystemicIssueMergeWizard(models.TransientModel):
    _name = "complaint.systemic.issue.merge.wizard"
    _description = "Complaints: merge systemic issues"

    issue_ids = fields.Many2many(
        "complaint.systemic.issue",
        "complaint_systemic_issue_merge_rel",
        "wizard_id",
        "issue_id",
        string="Issues",
    )
    target_id = fields.Many2one(
        "complaint.systemic.issue",
        string="Keep",
        required=True,
        domain="[('id', 'in', issue_ids)]",
        default=lambda self: self._default_target_id(),
    )

    @api.model
    def _default_target_id(self):
        """The oldest of the issues chosen."""
        ids = self.env.context.get("default_issue_ids") or []
        ids = [i for i in ids if isinstance(i, int)]
        return min(ids) if ids else False

    def action_merge(self):
        self.ensure_one()
        self.issue_ids._merge_into(self.target_id)
        return {
            "type": "ir.actions.act_window",
            "res_model": "complaint.systemic.issue",
            "res_id": self.target_id.id,
            "view_mode": "form",
        }
