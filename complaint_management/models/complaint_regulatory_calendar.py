from odoo import fields, models


class ComplaintRegulatoryCalendar(models.Model):
    """A regional business calendar of a regulatory profile: complainants
    whose address is in one of these regions count business days on it
    (e.g. the bank holidays of Scotland or Northern Ireland under FCA DISP)."""

    _name = "complaint.regulatory.calendar"
    _description = "Regulatory profile: regional calendar"
    _order = "profile_id, sequence, id"

    profile_id = fields.Many2one(
        "complaint.regulatory.profile", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    state_ids = fields.Many2many("res.country.state", string="Regions", required=True)
    calendar_id = fields.Many2one("resource.calendar", required=True)
