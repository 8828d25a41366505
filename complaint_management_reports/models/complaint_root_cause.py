from odoo import fields, models


class ComplaintRootCause(models.Model):
    """Mapping of a root cause to the causes and issues of the regulator
    returns."""

    _inherit = "complaint.root.cause"

    fca_cause_code_id = fields.Many2one(
        "complaint.return.code",
        string="FCA cause",
        domain=[("kind", "=", "fca_cause")],
        help="DISP 1 Annex 1 return, periods up to 31 December 2026.",
    )
    fca_cr_issue_code_id = fields.Many2one(
        "complaint.return.code",
        string="FCA consolidated return issue",
        domain=[("kind", "=", "fca_cr_issue")],
        help="Consolidated complaints return (PS25/19), periods from 1 January 2027.",
    )
    asic_issue_code_id = fields.Many2one(
        "complaint.return.code",
        string="ASIC IDR issue",
        domain=[("kind", "=", "asic_issue")],
    )
