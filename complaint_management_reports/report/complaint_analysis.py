from odoo import api, fields, models, tools
from odoo.tools import SQL

from odoo.addons.complaint_management.models.complaint import PRIORITIES, SEVERITIES
from odoo.addons.complaint_management.models.complaint_stage import STEP_CLOSED, STEPS

from ..models.complaint import STEP_DURATIONS


def _hours(end, start):
    return SQL(
        "CASE WHEN c.%(end)s IS NOT NULL AND c.%(start)s IS NOT NULL "
        "THEN EXTRACT(EPOCH FROM (c.%(end)s - c.%(start)s)) / 3600.0 END",
        end=SQL.identifier(end),
        start=SQL.identifier(start),
    )


def _hours_column(name):
    """The column of a duration of ``STEP_DURATIONS``."""
    return "hours_total" if name == "total" else f"hours_to_{name}"


class ComplaintAnalysis(models.Model):
    """Complaints analysis: one row per complaint with the durations of the
    steps of clause 7, for pivot and graph views.

    Durations are calendar hours (wall-clock time between the dates of the
    steps), not working hours: business-calendar time is what the SLA
    engine measures per rule (see complaint.sla.status)."""

    _name = "complaint.analysis"
    _description = "Complaints Analysis"
    _auto = False
    _order = "date_received desc"
    _rec_name = "reference"

    nbr = fields.Integer("# Complaints", readonly=True, aggregator="sum")
    complaint_id = fields.Many2one("complaint.complaint", readonly=True)
    reference = fields.Char(readonly=True)
    name = fields.Char("Subject", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one(
        "res.partner",
        "Complainant",
        readonly=True,
        help="Empty for anonymous complaints.",
    )
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    user_id = fields.Many2one("res.users", "Handler", readonly=True)
    category_id = fields.Many2one("complaint.category", readonly=True)
    channel_id = fields.Many2one("complaint.channel", readonly=True)
    stage_id = fields.Many2one("complaint.stage", readonly=True)
    root_cause_id = fields.Many2one("complaint.root.cause", "Root cause", readonly=True)
    step = fields.Selection(STEPS, readonly=True)
    priority = fields.Selection(PRIORITIES, readonly=True)
    severity = fields.Selection(SEVERITIES, readonly=True)
    decision = fields.Selection(
        [
            ("upheld", "Upheld"),
            ("partially_upheld", "Partially upheld"),
            ("not_upheld", "Not upheld"),
        ],
        readonly=True,
    )
    customer_reaction = fields.Selection(
        [("accepted", "Accepted"), ("rejected", "Rejected"), ("none", "No reply")],
        readonly=True,
    )
    is_anonymous = fields.Boolean("Anonymous", readonly=True)
    is_closed = fields.Boolean("Closed", readonly=True)
    escalation_level = fields.Integer("Appeal level", readonly=True, aggregator="max")
    date_received = fields.Datetime("Received on", readonly=True)
    date_closed = fields.Datetime("Closed on", readonly=True)
    hours_to_acknowledge = fields.Float(
        "Hours to acknowledge",
        readonly=True,
        aggregator="avg",
        digits=(16, 2),
        help="Calendar hours from receipt to acknowledgement.",
    )
    hours_to_assess = fields.Float(
        "Hours to assess",
        readonly=True,
        aggregator="avg",
        digits=(16, 2),
        help="Calendar hours from acknowledgement to initial assessment.",
    )
    hours_to_respond = fields.Float(
        "Hours to propose a resolution",
        readonly=True,
        aggregator="avg",
        digits=(16, 2),
        help="Calendar hours from assessment to proposed resolution.",
    )
    hours_to_decide = fields.Float(
        "Hours to decide",
        readonly=True,
        aggregator="avg",
        digits=(16, 2),
        help="Calendar hours from proposed resolution to decision.",
    )
    hours_to_close = fields.Float(
        "Hours to close",
        readonly=True,
        aggregator="avg",
        digits=(16, 2),
        help="Calendar hours from decision to closure.",
    )
    hours_total = fields.Float(
        "Hours receipt to closure",
        readonly=True,
        aggregator="avg",
        digits=(16, 2),
        help="Calendar hours from receipt to closure.",
    )
    rating_last_value = fields.Float("Rating (1-5)", readonly=True, aggregator="avg")
    sla_failed = fields.Boolean("SLA failed", readonly=True)

    def _select(self):
        return SQL(
            """
                c.id AS id,
                1 AS nbr,
                c.id AS complaint_id,
                c.reference,
                c.name,
                c.company_id,
                CASE WHEN c.is_anonymous THEN NULL ELSE c.partner_id END AS partner_id,
                c.team_id,
                c.user_id,
                c.category_id,
                c.channel_id,
                c.stage_id,
                c.root_cause_id,
                c.step,
                c.priority,
                c.severity,
                c.decision,
                c.customer_reaction,
                COALESCE(c.is_anonymous, FALSE) AS is_anonymous,
                c.step = %s AS is_closed,
                c.escalation_level,
                c.date_received,
                c.date_closed,
                %s,
                NULLIF(c.rating_last_value, 0) AS rating_last_value,
                COALESCE(c.sla_failed, FALSE) AS sla_failed
            """,
            STEP_CLOSED,
            SQL(",\n").join(
                SQL("%s AS %s", _hours(end, start), SQL.identifier(_hours_column(name)))
                for name, start, end in STEP_DURATIONS
            ),
        )

    def _from(self):
        return SQL("complaint_complaint c")

    def _where(self):
        return SQL("c.active")

    def _group_by(self):
        # One row per complaint: nothing to aggregate in the view itself.
        return SQL("")

    def _query(self):
        group_by = self._group_by()
        return SQL(
            "SELECT %s FROM %s WHERE %s%s",
            self._select(),
            self._from(),
            self._where(),
            SQL(" GROUP BY %s", group_by) if group_by.code else SQL(""),
        )

    @api.private
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )
