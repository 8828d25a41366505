from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    complaint_manager_id = fields.Many2one(
        related="company_id.complaint_manager_id", readonly=False
    )
    complaint_policy = fields.Html(
        related="company_id.complaint_policy", readonly=False
    )
    complaint_auto_acknowledge = fields.Boolean(
        related="company_id.complaint_auto_acknowledge", readonly=False
    )
    complaint_public_form = fields.Boolean(
        related="company_id.complaint_public_form", readonly=False
    )
    complaint_allow_anonymous = fields.Boolean(
        related="company_id.complaint_allow_anonymous", readonly=False
    )
    complaint_reply_window_days = fields.Integer(
        related="company_id.complaint_reply_window_days", readonly=False
    )
    complaint_reopen_window_days = fields.Integer(
        related="company_id.complaint_reopen_window_days", readonly=False
    )
    complaint_status_update_days = fields.Integer(
        related="company_id.complaint_status_update_days", readonly=False
    )
    complaint_appeal_levels = fields.Integer(
        related="company_id.complaint_appeal_levels", readonly=False
    )
    complaint_external_body = fields.Char(
        related="company_id.complaint_external_body", readonly=False
    )
    complaint_max_upload_mb = fields.Integer(
        related="company_id.complaint_max_upload_mb", readonly=False
    )
    complaint_retention_years = fields.Integer(
        related="company_id.complaint_retention_years", readonly=False
    )
    complaint_regulatory_profile_id = fields.Many2one(
        related="company_id.complaint_regulatory_profile_id", readonly=False
    )
    complaint_alias_name = fields.Char(
        string="Complaints e-mail alias",
        compute="_compute_complaint_alias_name",
        inverse="_inverse_complaint_alias_name",
        help="E-mails sent to this alias create complaints.",
    )
    complaint_alias_domain = fields.Char(compute="_compute_complaint_alias_name")

    def _complaint_alias(self):
        return self.env.ref(
            "complaint_management.mail_alias_complaint", raise_if_not_found=False
        )

    @api.depends("company_id")
    def _compute_complaint_alias_name(self):
        alias = self._complaint_alias()
        for settings in self:
            settings.complaint_alias_name = alias.alias_name if alias else False
            settings.complaint_alias_domain = alias.alias_domain if alias else False

    def _inverse_complaint_alias_name(self):
        alias = self._complaint_alias()
        for settings in self:
            if alias and alias.alias_name != settings.complaint_alias_name:
                alias.sudo().alias_name = settings.complaint_alias_name
