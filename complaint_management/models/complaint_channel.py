from odoo import fields, models


class ComplaintChannel(models.Model):
    """How a complaint reached us (ISO 10002 accessibility)."""

    _name = "complaint.channel"
    _description = "Complaint Intake Channel"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _code_unique = models.Constraint("UNIQUE(code)", "A channel code must be unique.")
