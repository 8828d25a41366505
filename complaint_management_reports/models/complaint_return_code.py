from odoo import api, fields, models
from odoo.exceptions import ValidationError

RETURN_CODE_KINDS = [
    ("fca_product", "FCA product group"),
    ("fca_cause", "FCA cause"),
    ("fca_cr_section", "FCA consolidated return: section"),
    ("fca_cr_product", "FCA consolidated return: product or service"),
    ("fca_cr_issue", "FCA consolidated return: complaint issue"),
    ("asic_product_category", "ASIC IDR product or service category"),
    ("asic_product", "ASIC IDR product or service line"),
    ("asic_issue", "ASIC IDR issue"),
    ("asic_outcome", "ASIC IDR outcome"),
    ("asic_channel", "ASIC IDR complaint channel"),
    ("asic_status", "ASIC IDR complaint status"),
    ("asic_complainant_type", "ASIC IDR complainant type"),
]
# The list a code of each kind must sit under (its parent_id).
RETURN_CODE_PARENT_KINDS = {
    "fca_cr_product": "fca_cr_section",
    "asic_product": "asic_product_category",
}


class ComplaintReturnCode(models.Model):
    """A code of a regulator's return (section, product, cause, issue,
    outcome...), to which categories, root causes, channels and decisions
    are mapped. The reference tables are shipped as data naming their source
    and version; when the regulator revises them, import the new table as a
    CSV on this model (Odoo's standard import, the external id as the key:
    labels change in place, new codes are added)."""

    _name = "complaint.return.code"
    _description = "Regulator return code"
    _order = "kind, sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    kind = fields.Selection(RETURN_CODE_KINDS, required=True, index=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(
        default=True,
        help="Archive a code the regulator withdrew: the returns refuse "
        "complaints still mapped to it.",
    )
    parent_id = fields.Many2one(
        "complaint.return.code",
        string="Belongs to",
        index="btree_not_null",
        ondelete="restrict",
        help="The section of a consolidated-return product, the category of "
        "an ASIC product or service line.",
    )
    source = fields.Char(
        help="The regulator's document this code comes from, e.g. FCA PS25/19."
    )
    version = fields.Char(help="Version or date of that document's table.")
    source_value = fields.Char(
        string="Stands for",
        help="Our values this code reports, comma-separated: channel codes "
        "(email, phone...) for a channel, decisions (upheld, "
        "partially_upheld, not_upheld) for an outcome, open or closed for a "
        "status, individual or business for a complainant type.",
    )

    _code_unique = models.Constraint(
        "unique(kind, code)", "A return code must be unique within its list."
    )

    @api.constrains("kind", "parent_id")
    def _check_parent_kind(self):
        for code in self:
            expected = RETURN_CODE_PARENT_KINDS.get(code.kind)
            if code.parent_id and code.parent_id.kind != expected:
                raise ValidationError(
                    self.env._(
                        "%(code)s cannot belong to %(parent)s: a code of this "
                        "list belongs to a code of another list.",
                        code=code.display_name,
                        parent=code.parent_id.display_name,
                    )
                )

    def _source_values(self):
        """{our value: code} of these codes (by their source_value)."""
        return {
            value.strip(): code
            for code in self
            for value in (code.source_value or "").split(",")
            if value.strip()
        }
