from odoo import fields, models


class ComplaintChannel(models.Model):
    """Mapping of an intake channel to the ASIC IDR complaint channel."""

    _inherit = "complaint.channel"

    asic_channel_code_id = fields.Many2one(
        "complaint.return.code",
        string="ASIC IDR channel",
        domain=[("kind", "=", "asic_channel")],
        help="Empty: the channel code whose 'Stands for' names this channel's code.",
    )
