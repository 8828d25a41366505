from odoo import fields, models


class ComplaintCategory(models.Model):
    """Mapping of a category to the product groups of the regulator returns."""

    _inherit = "complaint.category"

    fca_product_code_id = fields.Many2one(
        "complaint.return.code",
        string="FCA product group",
        domain=[("kind", "=", "fca_product")],
        help="DISP 1 Annex 1 return, periods up to 31 December 2026.",
    )
    fca_cr_product_code_id = fields.Many2one(
        "complaint.return.code",
        string="FCA consolidated return product or service",
        domain=[("kind", "=", "fca_cr_product")],
        help="Consolidated complaints return (PS25/19), periods from 1 January "
        "2027; its section follows from the product.",
    )
    asic_product_code_id = fields.Many2one(
        "complaint.return.code",
        string="ASIC IDR product",
        domain=[("kind", "=", "asic_product")],
        help="Product or service line of the ASIC IDR data dictionary; its "
        "category follows from the line.",
    )
