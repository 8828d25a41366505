from odoo import fields, models


class ComplaintRootCause(models.Model):
    """Mapping of a root cause to the causes and issues of the regulator
    returns."""

    _inherit = "complaint.root.cause"

    fca_cause_code_id = fields.Many2one(
        "complaint.return.code",
        string="FCA cause",
        domain=[("kind", "=", "fca_cause")],
    )
    asic_issue_code_id = fields.Many2one(
        "complaint.return.code",
        string="ASIC IDR issue",
        domain=[("kind", "=", "asic_issue")],
    )
