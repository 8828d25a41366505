from odoo import fields, models

RETURN_CODE_KINDS = [
    ("fca_product", "FCA product group"),
    ("fca_cause", "FCA cause"),
    ("asic_product", "ASIC IDR product"),
    ("asic_issue", "ASIC IDR issue"),
]


class ComplaintReturnCode(models.Model):
    """A code of a regulator's return (product group, cause, issue), to
    which categories and root causes are mapped."""

    _name = "complaint.return.code"
    _description = "Regulator return code"
    _order = "kind, sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    kind = fields.Selection(RETURN_CODE_KINDS, required=True, index=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _code_unique = models.Constraint(
        "unique(kind, code)", "A return code must be unique within its list."
    )
