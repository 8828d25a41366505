from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from .complaint_stage import STEP_CLOSED
from .cron_batches import run_in_batches

STATUS_UPDATE_BATCH = 500


class ComplaintStatusUpdate(models.AbstractModel):
    """Periodic status updates (ISO 10002 clause 7.3): a complainant who has
    had no customer-visible message for the interval of the complaint's
    regulatory profile, else of its company, gets a letter with the current
    step and the next target date. Mixed into ``complaint.complaint``."""

    _name = "complaint.status.update"
    _description = "Complaint periodic status updates"

    @api.model
    def _cron_send_status_updates(self, batch_size=STATUS_UPDATE_BATCH):
        """Queue a status update for every complaint that waits for one, in
        committed batches (``run_in_batches``): a complaint whose update is
        already in the outbox is not found again."""
        template = self.env.ref(
            "complaint_management.mail_template_complaint_status_update",
            raise_if_not_found=False,
        )
        if not template:
            return 0
        now = fields.Datetime.now()
        not_waiting = Domain.custom(
            to_sql=lambda model, alias, query: SQL(
                "%s NOT IN (SELECT complaint_id FROM complaint_letter "
                "WHERE template_id = %s)",
                SQL.identifier(alias, "id"),
                template.id,
            )
        )
        pending = []
        for scope, calendar, value, unit in self._status_update_rules():
            cutoff = self._status_update_cutoff(now, calendar, value, unit)
            if cutoff:
                pending.append(scope & self._status_update_due_domain(cutoff))
        complaints = self
        # the outbox is read in SQL (not_waiting): its pending rows first
        self.env["complaint.letter"].flush_model()

        def batch(size):
            due = complaints.browse()
            while pending and len(due) < size:
                wanted = size - len(due)
                found = complaints.search(pending[0] & not_waiting, limit=wanted)
                if len(found) < wanted:
                    pending.pop(0)  # this rule is done
                due |= found
            due._queue_letter(template)
            return len(due)

        return run_in_batches(
            self.env,
            batch,
            batch_size,
            cron_xmlid="complaint_management.ir_cron_complaint_status_update",
        )

    @api.model
    def _status_update_due_domain(self, cutoff):
        """Open complaints with a complainant and no customer-visible
        message since ``cutoff``."""
        return (
            Domain("step", "not in", ("new", STEP_CLOSED))
            & Domain("partner_id", "!=", False)
            & (
                Domain("date_last_customer_update", "<", cutoff)
                | (
                    Domain("date_last_customer_update", "=", False)
                    & Domain("date_received", "<", cutoff)
                )
            )
        )

    @api.model
    def _status_update_rules(self):
        """(complaints, calendar, interval, unit): a regulatory profile's
        update interval (e.g. every 20 business days in Ireland) for its
        complaints, else the company's working days."""
        profiles = self.env["complaint.regulatory.profile"].search(
            [("update_interval_value", ">", 0)]
        )
        rules = [
            (
                Domain("regulatory_profile_id", "=", profile.id),
                profile.calendar_id,
                profile.update_interval_value,
                profile.update_interval_unit,
            )
            for profile in profiles
        ]
        others = Domain("regulatory_profile_id", "not in", profiles.ids)
        for company in self.env["res.company"].search(
            [("complaint_status_update_days", ">", 0)]
        ):
            rules.append(
                (
                    others & Domain("company_id", "=", company.id),
                    company.resource_calendar_id,
                    company.complaint_status_update_days,
                    "business_days",
                )
            )
        return rules

    @staticmethod
    def _status_update_cutoff(now, calendar, value, unit):
        """The instant ``value`` units before ``now`` (naive UTC)."""
        if unit == "business_days" and calendar:
            cutoff = calendar.plan_days(-value, now, compute_leaves=True)
            return cutoff and cutoff.replace(tzinfo=None)
        hours = {"hours": 1, "calendar_weeks": 7 * 24}.get(unit, 24)
        return now - timedelta(hours=value * hours)
