from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    complaint_manager_id = fields.Many2one(
        "res.users",
        string="Complaints Manager",
        help="Responsible for the complaints-handling process (ISO 10002 §5.3).",
    )
    complaint_policy = fields.Html(
        string="Complaints Policy",
        translate=True,
        sanitize=True,
        help="Published on /complaints/policy (ISO 10002 §5.2 transparency).",
    )
    complaint_auto_acknowledge = fields.Boolean(
        string="Acknowledge on receipt", default=True
    )
    complaint_public_form = fields.Boolean(
        string="Public complaint form",
        default=True,
        help="Anyone may file a complaint on /complaints/new without an account.",
    )
    complaint_allow_anonymous = fields.Boolean(string="Allow anonymous complaints")
    complaint_reply_window_days = fields.Integer(
        string="Reply window (days)",
        default=14,
        help="Days the complainant has to accept or reject a decision.",
    )
    complaint_reopen_window_days = fields.Integer(
        string="Reopen window (days)",
        default=30,
        help="Days after closing during which a complaint may be reopened.",
    )
    complaint_status_update_days = fields.Integer(
        string="Status update after (working days)",
        default=5,
        help="Send the complainant a status update when a complaint has had "
        "no customer-visible message for this many working days.",
    )
    complaint_appeal_levels = fields.Integer(
        string="Internal appeal levels",
        default=1,
        help="How many times a decision may be appealed internally before the "
        "complainant is referred to external dispute resolution.",
    )
    complaint_external_body = fields.Char(
        string="External dispute resolution body",
        help="Body the complainant may refer to after the internal appeals "
        "(ISO 10003), e.g. the ombudsman.",
    )
    complaint_regulatory_profile_id = fields.Many2one(
        "complaint.regulatory.profile",
        string="Regulatory profile",
        help="The regulator's rules the company's complaints run under: legal "
        "deadlines counted from receipt, referral body, letter blocks.",
    )
    complaint_retention_years = fields.Integer(
        string="Keep closed complaints (years)",
        help="Closed complaints are anonymised this many years after closure "
        "(a regulatory profile's retention period comes first); 0: kept.",
    )
    complaint_max_upload_mb = fields.Integer(
        string="Max attachment size (MB)", default=10
    )
