from odoo import fields, models


class ResCompany(models.Model):
    """What identifies the company (one legal entity) in its regulator
    returns."""

    _inherit = "res.company"

    complaint_fca_frn = fields.Char(
        string="FCA firm reference number",
        help="The legal entity's FRN: the consolidated complaints return is "
        "filed per legal entity, never for a group (PS25/19).",
    )
    complaint_fca_section_ids = fields.Many2many(
        "complaint.return.code",
        "res_company_complaint_fca_section_rel",
        "company_id",
        "code_id",
        string="FCA return sections (permissions)",
        domain=[("kind", "=", "fca_cr_section")],
        help="The sections of the consolidated complaints return that the "
        "firm's permissions call for (PS25/19: permission-based reporting).",
    )
    complaint_asic_abn = fields.Char(
        string="ABN",
        help="Australian Business Number of the financial firm lodging the "
        "IDR data (ASIC IDR data dictionary: financial firm identifying "
        "information).",
    )
    complaint_asic_licence = fields.Char(
        string="AFS or credit licence number",
        help="Australian financial services or credit licence under which "
        "the IDR data is reported.",
    )
    complaint_asic_uhc_name = fields.Char(
        string="Ultimate holding company",
        help="Name of the firm's ultimate holding company, where there is one.",
    )
