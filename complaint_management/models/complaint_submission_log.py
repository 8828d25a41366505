from datetime import timedelta

from odoo import api, fields, models


class ComplaintSubmissionLog(models.Model):
    """Attempts to submit the public complaint form, per IP address.

    The rate limit of ``/complaints/new`` counts these rows, so it holds with
    several workers and several servers: nothing is kept in process memory.
    """

    _name = "complaint.submission.log"
    _description = "Public Complaint Form Attempt"
    _order = "date desc, id desc"
    _log_access = False

    ip = fields.Char(string="IP address", required=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now)

    _ip_date_index = models.Index("(ip, date)")

    @api.model
    def _register_attempt(self, ip, limit, window_minutes):
        """Record an attempt from ``ip``; return False when ``ip`` already made
        ``limit`` attempts in the last ``window_minutes``.

        A transaction-scoped advisory lock per IP serialises concurrent
        requests of one address across workers and servers.
        """
        ip = ip or "unknown"
        self.env.cr.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"complaint:{ip}"]
        )
        since = fields.Datetime.now() - timedelta(minutes=window_minutes)
        recent = self.sudo().search_count(
            [("ip", "=", ip), ("date", ">=", since)], limit=limit
        )
        self.sudo().create({"ip": ip})
        return recent < limit

    @api.autovacuum
    def _gc_old_attempts(self):
        """Keep one day of attempts: enough for any sensible window."""
        self.env.cr.execute(
            "DELETE FROM complaint_submission_log WHERE date < %s",
            [fields.Datetime.now() - timedelta(days=1)],
        )
