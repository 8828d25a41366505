from odoo import fields, models


class ComplaintCategory(models.Model):
    """Mapping of a category to the product groups of the regulator returns."""

    _inherit = "complaint.category"

    fca_product_code_id = fields.Many2one(
        "complaint.return.code",
        string="FCA product group",
        domain=[("kind", "=", "fca_product")],
    )
    asic_product_code_id = fields.Many2one(
        "complaint.return.code",
        string="ASIC IDR product",
        domain=[("kind", "=", "asic_product")],
    )
