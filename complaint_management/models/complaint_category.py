from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

from .complaint_sla_criteria import SLA_TRIGGERS


class ComplaintCategory(models.Model):
    _name = "complaint.category"
    _description = "Complaint Category"
    _order = "complete_name"
    _parent_store = True
    _rec_name = "complete_name"

    name = fields.Char(required=True, translate=True)
    parent_id = fields.Many2one(
        "complaint.category", string="Parent Category", index=True, ondelete="restrict"
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("complaint.category", "parent_id")
    complete_name = fields.Char(
        compute="_compute_complete_name", recursive=True, store=True
    )
    team_id = fields.Many2one(
        "helpdesk.ticket.team",
        help="Team competent for this category; new complaints go to it.",
    )
    regulatory_profile_id = fields.Many2one(
        "complaint.regulatory.profile",
        help="Overrides the company's profile for complaints of this category "
        "(e.g. payment services, superannuation).",
    )
    description = fields.Text(translate=True)
    company_id = fields.Many2one("res.company")
    active = fields.Boolean(default=True)

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for category in self:
            category.complete_name = (
                f"{category.parent_id.complete_name} / {category.name}"
                if category.parent_id
                else category.name
            )

    @api.constrains("parent_id")
    def _check_parent_recursion(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A category cannot be its own ancestor."))

    def write(self, vals):
        result = super().write(vals)
        if SLA_TRIGGERS[self._name] & vals.keys():
            # SLA rules match a category and the categories under it: a
            # category moved under another parent re-matches the complaints
            # of it and of its children
            self.env["complaint.complaint"]._sla_rematch(
                self._name, vals.keys(), Domain("category_id", "child_of", self.ids)
            )
        return result
