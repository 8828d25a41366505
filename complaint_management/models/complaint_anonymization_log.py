from odoo import fields, models


class ComplaintAnonymizationLog(models.Model):
    """Audit line of an anonymisation: which complaint, when, under which
    rule, by whom (the scheduled action runs as the superuser)."""

    _name = "complaint.anonymization.log"
    _description = "Complaint anonymisation audit line"
    _order = "id desc"

    complaint_id = fields.Many2one(
        "complaint.complaint", index=True, ondelete="set null", readonly=True
    )
    reference = fields.Char(readonly=True)
    rule = fields.Char(readonly=True, help="Retention rule or erasure request.")
    create_date = fields.Datetime(string="Anonymised on", readonly=True)
    create_uid = fields.Many2one("res.users", string="By", readonly=True)
