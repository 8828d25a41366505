from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ComplaintRootCause(models.Model):
    """Root causes feed the improvement loop (ISO 10002 §8.4, §8.6)."""

    _name = "complaint.root.cause"
    _description = "Complaint Root Cause"
    _order = "complete_name"
    _parent_store = True
    _rec_name = "complete_name"

    name = fields.Char(required=True, translate=True)
    parent_id = fields.Many2one("complaint.root.cause", index=True, ondelete="restrict")
    parent_path = fields.Char(index=True)
    complete_name = fields.Char(
        compute="_compute_complete_name", recursive=True, store=True
    )
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for cause in self:
            cause.complete_name = (
                f"{cause.parent_id.complete_name} / {cause.name}"
                if cause.parent_id
                else cause.name
            )

    @api.constrains("parent_id")
    def _check_parent_recursion(self):
        if self._has_cycle():
            raise ValidationError(
                self.env._("A root cause cannot be its own ancestor.")
            )
