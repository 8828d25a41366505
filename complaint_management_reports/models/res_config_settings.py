from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    complaint_fca_frn = fields.Char(
        related="company_id.complaint_fca_frn", readonly=False
    )
    complaint_fca_section_ids = fields.Many2many(
        related="company_id.complaint_fca_section_ids", readonly=False
    )
    complaint_asic_abn = fields.Char(
        related="company_id.complaint_asic_abn", readonly=False
    )
    complaint_asic_licence = fields.Char(
        related="company_id.complaint_asic_licence", readonly=False
    )
    complaint_asic_uhc_name = fields.Char(
        related="company_id.complaint_asic_uhc_name", readonly=False
    )
