from odoo import fields, models


class ComplaintPrinciple(models.Model):
    """A guiding principle of ISO 10002:2018 clause 4.

    Stages, gates and automatic mails name the principle they serve, so a
    refused transition can say which principle is not yet satisfied.
    """

    _name = "complaint.principle"
    _description = "Complaint Handling Principle (ISO 10002)"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True)
    clause = fields.Char(help="Clause of ISO 10002:2018, e.g. 4.6")
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _code_unique = models.Constraint("UNIQUE(code)", "A principle code must be unique.")

    def _compute_display_name(self):
        for principle in self:
            principle.display_name = (
                f"{principle.name} (§{principle.clause})"
                if principle.clause
                else principle.name
            )
