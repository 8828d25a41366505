import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import SQL

from .insight_statistics import BASELINE_WEEKS, find_rises

_logger = logging.getLogger(__name__)

# Dimension -> (complaint column, signal field). One definition for the job,
# the signal's value and the link to the complaints.
SIGNAL_DIMENSIONS = {
    "category": ("category_id", "category_id"),
    "root_cause": ("root_cause_id", "root_cause_id"),
    "channel": ("channel_id", "channel_id"),
    "team": ("team_id", "team_id"),
}
SIGNAL_WEEKS = 3
SIGNAL_FDR = 0.05
# A company needs this many weeks of history before the latest weeks.
MIN_BASELINE_WEEKS = 8


class ComplaintHarmSignal(models.Model):
    """A significant rise of complaints for one category, root cause,
    channel or team against its own baseline, found by the weekly job
    (``_cron_detect``). A manager turns it into a systemic issue or dismisses
    it with a reason."""

    _name = "complaint.harm.signal"
    _description = "Complaints Emerging-Harm Signal"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_to desc, q_value, id desc"

    company_id = fields.Many2one("res.company", required=True, index=True)
    dimension = fields.Selection(
        [
            ("category", "Category"),
            ("root_cause", "Root cause"),
            ("channel", "Channel"),
            ("team", "Team"),
        ],
        required=True,
        readonly=True,
    )
    category_id = fields.Many2one("complaint.category", readonly=True, index=True)
    root_cause_id = fields.Many2one("complaint.root.cause", readonly=True, index=True)
    channel_id = fields.Many2one("complaint.channel", readonly=True, index=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True, index=True)
    value_name = fields.Char(string="Value", compute="_compute_value_name")
    date_from = fields.Date(string="Weeks from", required=True, readonly=True)
    date_to = fields.Date(string="Weeks to", required=True, readonly=True)
    weeks = fields.Integer(required=True, readonly=True)
    observed = fields.Integer(readonly=True)
    expected = fields.Float(digits=(16, 2), readonly=True)
    p_value = fields.Float(string="p-value (raw)", readonly=True)
    q_value = fields.Float(
        string="q-value (raw)",
        readonly=True,
        help="Benjamini-Hochberg adjusted p-value over every comparison of the run.",
    )
    p_value_text = fields.Char(string="p-value", compute="_compute_value_texts")
    q_value_text = fields.Char(
        string="q-value (FDR)",
        compute="_compute_value_texts",
        help="Benjamini-Hochberg adjusted p-value over every comparison of the run.",
    )
    state = fields.Selection(
        [("new", "New"), ("issue", "Systemic issue"), ("dismissed", "Dismissed")],
        default="new",
        required=True,
        tracking=True,
        index=True,
    )
    dismiss_reason = fields.Text(tracking=True)
    systemic_issue_id = fields.Many2one(
        "complaint.systemic.issue", readonly=True, index="btree_not_null", tracking=True
    )

    @api.depends("dimension", "category_id", "root_cause_id", "channel_id", "team_id")
    def _compute_value_name(self):
        for signal in self:
            field = SIGNAL_DIMENSIONS.get(signal.dimension, (None, None))[1]
            signal.value_name = field and signal[field].display_name

    @api.depends("p_value", "q_value")
    def _compute_value_texts(self):
        for signal in self:
            signal.p_value_text = f"{signal.p_value:.2e}"
            signal.q_value_text = f"{signal.q_value:.2e}"

    @api.depends("value_name", "date_from", "date_to", "observed", "expected")
    def _compute_display_name(self):
        labels = dict(self._fields["dimension"]._description_selection(self.env))
        for signal in self:
            signal.display_name = self.env._(
                "%(dimension)s %(value)s: %(observed)s complaints, %(expected)s "
                "expected (%(date_from)s - %(date_to)s)",
                dimension=labels.get(signal.dimension, ""),
                value=signal.value_name or "",
                observed=signal.observed,
                expected=round(signal.expected, 1),
                date_from=signal.date_from or "",
                date_to=signal.date_to or "",
            )

    # ------------------------------------------------------------------
    # The weekly job
    # ------------------------------------------------------------------
    @api.model
    def _weekly_counts(self, column, now, weeks):
        """{(company id, value id): {week index: count}} for one complaint
        column, week 0 being the 7 days before ``now``: one grouped query
        over the period (the test weeks, the baseline year and the same
        weeks a year before)."""
        horizon = now - timedelta(weeks=BASELINE_WEEKS + weeks)
        self.env.cr.execute(
            SQL(
                """
                SELECT company_id, %(column)s,
                       FLOOR(EXTRACT(EPOCH FROM (%(now)s - date_received))
                             / 604800)::int AS week,
                       COUNT(*)
                FROM complaint_complaint
                WHERE active AND %(column)s IS NOT NULL
                  AND date_received > %(horizon)s AND date_received <= %(now)s
                GROUP BY 1, 2, 3
                """,
                column=SQL.identifier(column),
                now=now,
                horizon=horizon,
            )
        )
        series = {}
        for company_id, value_id, week, count in self.env.cr.fetchall():
            series.setdefault((company_id, value_id), {})[week] = count
        return series

    @api.model
    def _history_weeks(self, now, weeks):
        """{company id: weeks of baseline} for the companies with at least
        ``MIN_BASELINE_WEEKS`` weeks of complaints before the latest
        ``weeks`` weeks (52 at most): a young database is not compared with
        the empty weeks before its first complaint."""
        self.env.cr.execute(
            SQL(
                """
                SELECT company_id,
                       FLOOR(EXTRACT(EPOCH FROM (%s - MIN(date_received)))
                             / 604800)::int
                FROM complaint_complaint
                WHERE active AND date_received <= %s
                GROUP BY company_id
                """,
                now,
                now,
            )
        )
        return {
            company_id: min(history - weeks, BASELINE_WEEKS)
            for company_id, history in self.env.cr.fetchall()
            if history - weeks >= MIN_BASELINE_WEEKS
        }

    @api.model
    def _cron_detect(self, now=None, weeks=SIGNAL_WEEKS):
        """Compare each value's latest ``weeks`` weeks with its own baseline
        for every dimension and company; record the significant rises (after
        the Benjamini-Hochberg correction over every comparison of the run)
        not yet signalled for overlapping weeks; give the complaints managers
        an activity. Returns the new signals."""
        now = now or fields.Datetime.now()
        self.env["complaint.complaint"].flush_model()
        history = self._history_weeks(now, weeks)
        series, baseline_weeks = {}, {}
        for dimension, (column, _field) in SIGNAL_DIMENSIONS.items():
            for (company_id, value_id), weekly in self._weekly_counts(
                column, now, weeks
            ).items():
                if company_id not in history:
                    continue
                key = (dimension, company_id, value_id)
                series[key] = weekly
                baseline_weeks[key] = history[company_id]
        rises = find_rises(series, weeks, SIGNAL_FDR, baseline_weeks)
        date_to = (now - timedelta(days=1)).date()
        date_from = (now - timedelta(weeks=weeks)).date()
        # signals already raised for the same value over overlapping weeks
        existing = {
            (s.dimension, s.company_id.id, s[SIGNAL_DIMENSIONS[s.dimension][1]].id)
            for s in self.sudo().search(
                [("date_to", ">=", date_from), ("date_from", "<=", date_to)]
            )
        }
        values = []
        for rise in rises:
            key = rise["key"]
            if key in existing:
                continue
            dimension, company_id, value_id = key
            values.append(
                {
                    "company_id": company_id,
                    "dimension": dimension,
                    SIGNAL_DIMENSIONS[dimension][1]: value_id,
                    "date_from": date_from,
                    "date_to": date_to,
                    "weeks": weeks,
                    "observed": rise["observed"],
                    "expected": rise["expected"],
                    "p_value": rise["p_value"],
                    "q_value": rise["q_value"],
                }
            )
        signals = self.sudo().create(values)
        signals._notify_managers()
        _logger.info(
            "Emerging-harm signals: %s comparisons, %s new signals",
            len(series),
            len(signals),
        )
        return signals

    def _notify_managers(self):
        """An activity for the complaints managers of each signal's company."""
        if not self:
            return
        managers = (
            self.env.ref("complaint_management.group_complaint_manager")
            .sudo()
            .all_user_ids.filtered(lambda u: not u.share and u.active)
        )
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        activities = []
        for signal in self:
            for user in managers.filtered(
                lambda u, s=signal: s.company_id in u.company_ids
            ):
                activities.append(
                    {
                        "res_model_id": model_id,
                        "res_id": signal.id,
                        "activity_type_id": activity_type.id,
                        "user_id": user.id,
                        "summary": self.env._("Emerging harm: review this rise"),
                        "date_deadline": fields.Date.context_today(self),
                    }
                )
        self.env["mail.activity"].sudo().create(activities)

    # ------------------------------------------------------------------
    # A manager's decision
    # ------------------------------------------------------------------
    def _complaint_domain(self):
        self.ensure_one()
        field = SIGNAL_DIMENSIONS[self.dimension][0]
        return [
            ("company_id", "=", self.company_id.id),
            (field, "=", self[SIGNAL_DIMENSIONS[self.dimension][1]].id),
            ("date_received", ">=", self.date_from),
            ("date_received", "<", self.date_to + timedelta(days=1)),
        ]

    def action_view_complaints(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.display_name,
            "res_model": "complaint.complaint",
            "view_mode": "list,form",
            "domain": self._complaint_domain(),
        }

    def action_create_issue(self):
        """A systemic issue for each new signal, with the signal's complaints
        and (for a root cause signal) its root cause."""
        signals = self.filtered(lambda s: s.state == "new")
        if not signals:
            raise UserError(self.env._("Only new signals can become an issue."))
        Issue = self.env["complaint.systemic.issue"]
        Complaint = self.env["complaint.complaint"]
        for signal in signals:
            issue = Issue.create(
                {
                    "name": signal.display_name,
                    "company_id": signal.company_id.id,
                    "root_cause_ids": [Command.set(signal.root_cause_id.ids)],
                }
            )
            Complaint.search(
                [*signal._complaint_domain(), ("systemic_issue_id", "=", False)]
            ).write({"systemic_issue_id": issue.id})
            signal.write({"state": "issue", "systemic_issue_id": issue.id})
        signals._close_activities(self.env._("Turned into a systemic issue."))
        if len(signals) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "complaint.systemic.issue",
                "res_id": signals.systemic_issue_id.id,
                "view_mode": "form",
            }
        return True

    def action_dismiss(self):
        missing = self.filtered(lambda s: not (s.dismiss_reason or "").strip())
        if missing:
            raise UserError(
                self.env._("Say why the signal is dismissed (the reason is kept).")
            )
        self.write({"state": "dismissed"})
        self._close_activities(self.env._("Dismissed."))

    def _close_activities(self, feedback):
        """Every manager's review activity is done once one has decided (the
        others may not read each other's activities)."""
        self.activity_ids.sudo().action_feedback(feedback=feedback)

    @api.model
    def _demo_improvement_story(self, cast):
        """Build the improvement-loop demo (``demo/complaint_improvement_demo.xml``
        calls this): plain Python under ``demo/``, imported here only."""
        from ..demo import improvement_story  # pylint: disable=import-outside-toplevel

        return improvement_story.build(self.env, cast)
