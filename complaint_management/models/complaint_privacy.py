from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command, Domain
from odoo.tools import SQL

from .cron_batches import run_in_batches

# What anonymisation replaces: the complainant's identity and every free text
# (statistical fields, dates, category, channel, severity, decision, redress
# and SLA results stay, so that reports of past periods do not change).
ANONYMIZED_VALUES = {
    "name": "Anonymised complaint",
    "partner_id": False,
    "partner_name": "Anonymised",
    "partner_email": False,
    "partner_phone": False,
    "description": Markup("<p>Removed (retention period over).</p>"),
    "remedy_requested": False,
    "impact": False,
    "findings": False,
    "proposed_resolution": False,
    "decision_note": False,
    "customer_reaction_note": False,
    "appeal_reason": False,
    "external_referral_outcome": False,
}
REMOVED_TEXT = "Removed (retention period over)."
REMOVED_BODY = Markup("<p>%s</p>") % REMOVED_TEXT
ANONYMIZE_BATCH = 500


class ComplaintPrivacy(models.AbstractModel):
    """Retention, legal hold and anonymisation of a complaint (GDPR storage
    limitation and erasure). Mixed into ``complaint.complaint``."""

    _name = "complaint.privacy"
    _description = "Complaint retention and anonymisation"

    retention_date = fields.Date(
        compute="_compute_retention_date",
        store=True,
        index="btree_not_null",
        help="From this day the complaint is anonymised, unless under legal "
        "hold: closure date plus the retention period of its regulatory "
        "profile, else of the company.",
    )
    legal_hold = fields.Boolean(
        tracking=True,
        copy=False,
        groups="complaint_management.group_complaint_manager",
        help="Never anonymised while the hold lasts (litigation, regulator's inquiry).",
    )
    legal_hold_reason = fields.Text(
        copy=False, groups="complaint_management.group_complaint_manager"
    )
    legal_hold_user_id = fields.Many2one(
        "res.users",
        string="Legal hold set by",
        readonly=True,
        copy=False,
        groups="complaint_management.group_complaint_manager",
    )
    legal_hold_date = fields.Datetime(
        readonly=True, copy=False, groups="complaint_management.group_complaint_manager"
    )
    anonymized_date = fields.Datetime(
        string="Anonymised on", readonly=True, copy=False, index="btree_not_null"
    )

    @api.depends(
        "date_closed",
        "regulatory_profile_id.retention_years",
        "company_id.complaint_retention_years",
    )
    def _compute_retention_date(self):
        for complaint in self:
            years = (
                complaint.regulatory_profile_id.retention_years
                or complaint.company_id.complaint_retention_years
            )
            complaint.retention_date = (
                complaint.date_closed
                and years
                and complaint.date_closed.date() + relativedelta(years=years)
            )

    def _privacy_write_vals(self, vals):
        """Write hook (``_write_vals_hooks`` of the complaint): who set or
        lifted a legal hold, and when."""
        if "legal_hold" in vals:
            vals = dict(
                vals,
                legal_hold_user_id=vals["legal_hold"] and self.env.user.id,
                legal_hold_date=vals["legal_hold"] and fields.Datetime.now(),
            )
        return vals

    @api.constrains("legal_hold", "legal_hold_reason")
    def _check_legal_hold_reason(self):
        for complaint in self.sudo():
            if complaint.legal_hold and not (complaint.legal_hold_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "A legal hold on complaint %(ref)s needs a reason.",
                        ref=complaint.reference,
                    )
                )

    # ------------------------------------------------------------------
    # Anonymisation
    # ------------------------------------------------------------------
    @api.model
    def _anonymizable_domain(self, today=None):
        today = today or fields.Date.context_today(self)
        return (
            Domain("retention_date", "<=", today)
            & Domain("anonymized_date", "=", False)
            & Domain("legal_hold", "=", False)
            & Domain("active", "in", (True, False))
        )

    def _anonymize(self, rule):
        """Replace the identity and free texts of these complaints, scrub
        their messages, remove their attachments, followers and
        vulnerability notes, cut the link to the contact (which stays: other
        apps use it), and leave an audit line each. Set-based: a few
        statements whatever the number of complaints."""
        if not self:
            return self
        complaints = self.sudo().with_context(
            tracking_disable=True, mail_notrack=True, active_test=False
        )
        ids = complaints.ids
        now = fields.Datetime.now()
        complaints.write(dict(ANONYMIZED_VALUES, anonymized_date=now))
        complaints.filtered("close_reason").write({"close_reason": REMOVED_TEXT})
        env = complaints.env
        thread = Domain("model", "=", "complaint.complaint") & Domain(
            "res_id", "in", ids
        )
        messages = env["mail.message"].search(thread)
        env["mail.tracking.value"].search(
            [("mail_message_id", "in", messages.ids)]
        ).unlink()
        messages.write(
            {
                "body": REMOVED_BODY,
                "subject": False,
                "author_id": False,
                "email_from": False,
                "reply_to": False,
                "partner_ids": [Command.clear()],
                "attachment_ids": [Command.clear()],
            }
        )
        env["mail.mail"].search([("mail_message_id", "in", messages.ids)]).unlink()
        env["ir.attachment"].search(
            [("res_model", "=", "complaint.complaint"), ("res_id", "in", ids)]
        ).unlink()
        env["mail.followers"].search(
            [("res_model", "=", "complaint.complaint"), ("res_id", "in", ids)]
        ).unlink()
        env["rating.rating"].search(
            [("res_model", "=", "complaint.complaint"), ("res_id", "in", ids)]
        ).write({"partner_id": False, "feedback": False})
        env["complaint.vulnerability"].search([("complaint_id", "in", ids)]).unlink()
        env["complaint.anonymization.log"].create(
            [
                {
                    "complaint_id": complaint.id,
                    "reference": complaint.reference,
                    "rule": rule,
                }
                for complaint in complaints
            ]
        )
        return complaints

    @api.model
    def _cron_anonymize_expired(self):
        """Monthly: anonymise the complaints past their retention date, in
        committed batches (claimed with SKIP LOCKED), never those under
        legal hold."""
        complaints = self.sudo()
        domain = complaints._anonymizable_domain()

        def batch(size):
            # the first ``size`` due complaints that no other transaction
            # holds: rows locked elsewhere are skipped, not found again
            complaints.flush_model()  # raw SQL: the ORM's pending writes first
            due = complaints.with_context(active_test=False)._search(domain)
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM complaint_complaint WHERE id IN %s "
                    "ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
                    due.subselect(),
                    size,
                )
            )
            claimed = complaints.browse([row[0] for row in self.env.cr.fetchall()])
            for profile, group in claimed.grouped("regulatory_profile_id").items():
                group._anonymize(
                    profile.citation
                    and self.env._(
                        "Retention period of %(rule)s", rule=profile.citation
                    )
                    or self.env._("Company retention period")
                )
            return len(claimed)

        return run_in_batches(
            self.env,
            batch,
            ANONYMIZE_BATCH,
            cron_xmlid="complaint_management.ir_cron_complaint_anonymize",
        )

    def action_erase(self):
        """An erasure request (GDPR Art. 17), through the same anonymisation;
        refused while a legal hold or a retention duty applies."""
        if not self.env.user.has_group("complaint_management.group_complaint_manager"):
            raise UserError(self.env._("Only complaint managers may erase complaints."))
        self.check_access("write")
        today = fields.Date.context_today(self)
        for complaint in self.sudo():
            if complaint.anonymized_date:
                continue
            if complaint.legal_hold:
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s is under legal hold (%(reason)s): it "
                        "cannot be erased until the hold is lifted.",
                        ref=complaint.reference,
                        reason=complaint.legal_hold_reason,
                    )
                )
            if not complaint.date_closed:
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s is still being handled: it can be "
                        "erased once closed.",
                        ref=complaint.reference,
                    )
                )
            if complaint.retention_date and complaint.retention_date > today:
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s must be kept until %(date)s (retention "
                        "duty); it will be anonymised then.",
                        ref=complaint.reference,
                        date=complaint.retention_date,
                    )
                )
        self.filtered(lambda c: not c.anonymized_date)._anonymize(
            self.env._("Erasure request")
        )
        return True
