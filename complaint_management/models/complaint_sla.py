from bisect import bisect_left, bisect_right
from collections import defaultdict, namedtuple
from datetime import datetime, time, timedelta
from math import ceil

from pytz import utc

from odoo import api, fields, models, tools
from odoo.fields import Domain

from .complaint import PRIORITIES, SEVERITIES
from .complaint_sla_criteria import CRITERIA, CRITERIA_BY_NAME, SLA_TRIGGERS
from .complaint_sla_status import SLA_ONGOING
from .complaint_stage import STEP_CLOSED, STEP_ORDER, STEPS

# Changing these recomputes the ongoing targets of the rule.
TIME_FIELDS = {"time_hours", "calendar_id", "warning_percent"}


# What matching and planning need of a rule, as plain values: rules are read
# once per worker (registry cache), not on every complaint created.
# ``criteria``: ((criterion name, value), ...) of the criteria the rule sets
# (complaint_sla_criteria.CRITERIA, in that order).
RuleSpec = namedtuple(
    "RuleSpec", "id criteria target_step time_hours calendar_id warning_percent"
)


class WorkingTimeline:
    """Working intervals of one ``resource.calendar`` between two instants,
    as produced by ``resource.calendar._work_intervals_batch`` (attendances in
    the calendar's time zone minus public holidays and closures), with the
    cumulated working hours so that many deadlines are planned with one
    calendar computation. Datetimes in and out are naive UTC, as stored."""

    def __init__(self, starts, stops, cumul):
        self.starts, self.stops, self.cumul = starts, stops, cumul

    @classmethod
    def compute(cls, calendar, lo, hi):
        intervals = calendar._work_intervals_batch(
            lo.replace(tzinfo=utc), hi.replace(tzinfo=utc), compute_leaves=True
        )[False]
        starts, stops, cumul = [], [], [0.0]
        for start, stop, _meta in intervals:
            start = start.astimezone(utc).replace(tzinfo=None)
            stop = stop.astimezone(utc).replace(tzinfo=None)
            if stop <= start:
                continue
            starts.append(start)
            stops.append(stop)
            cumul.append(cumul[-1] + (stop - start).total_seconds() / 3600)
        return cls(tuple(starts), tuple(stops), tuple(cumul))

    def position(self, when):
        """Working hours between the start of the timeline and ``when``."""
        index = bisect_right(self.starts, when) - 1
        if index < 0:
            return 0.0
        inside = min(when, self.stops[index]) - self.starts[index]
        return self.cumul[index] + inside.total_seconds() / 3600

    def instant(self, position):
        """The instant at which ``position`` working hours are done, or None
        when it lies beyond the timeline (same rule as ``plan_hours``: an
        amount ending exactly with an interval ends at that interval's end)."""
        index = bisect_left(self.cumul, position - 1e-9, lo=1)
        if index >= len(self.cumul):
            return None
        start = self.starts[index - 1]
        moment = start + timedelta(hours=max(position - self.cumul[index - 1], 0.0))
        # Stored datetimes have second precision: round, don't truncate.
        return (moment + timedelta(microseconds=500000)).replace(microsecond=0)


class ComplaintSla(models.Model):
    """A service-level target: reach ``target_step`` within ``time_hours``
    working hours of the rule's calendar, for the complaints it matches."""

    _name = "complaint.sla"
    _description = "Complaint SLA Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        help="Empty: the rule applies in every company.",
    )
    description = fields.Text(translate=True)
    # Criteria: a rule applies when every criterion it sets matches.
    team_ids = fields.Many2many("helpdesk.ticket.team", string="Teams")
    category_ids = fields.Many2many("complaint.category", string="Categories")
    channel_ids = fields.Many2many("complaint.channel", string="Channels")
    partner_category_ids = fields.Many2many(
        "res.partner.category",
        string="Customer tags",
        help="The complainant (or their company) carries one of these tags.",
    )
    min_priority = fields.Selection(PRIORITIES, string="Minimum priority")
    severity = fields.Selection(SEVERITIES)
    vulnerable_only = fields.Boolean(
        string="Vulnerable customers only",
        help="Applies to complaints whose complainant has a vulnerability "
        "recorded (a shorter internal target, for instance).",
    )
    # Target
    target_step = fields.Selection(
        STEPS,
        required=True,
        default="acknowledged",
        help="The target is reached when the complaint first enters a stage "
        "at or past this step.",
    )
    time_hours = fields.Float(string="Time (working hours)", required=True, default=8.0)
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working hours",
        required=True,
        default=lambda self: self.env.company.resource_calendar_id,
        help="Working hours, time zone and public holidays the time counts in.",
    )
    warning_percent = fields.Float(
        string="Warning at (%)",
        default=80.0,
        help="Warn the handler when this share of the time is used; 0 disables.",
    )
    # Escalation at breach
    escalate_to_id = fields.Many2one(
        "res.users",
        string="Escalate to",
        domain=[("share", "=", False)],
        help="Notified when the target is missed.",
    )
    escalate_raise_priority = fields.Boolean(
        string="Raise priority", help="Raise the complaint's priority by one level."
    )
    escalate_activity = fields.Boolean(
        string="Schedule activity",
        default=True,
        help="Schedule a to-do for the person escalated to (or the team leader).",
    )
    status_ids = fields.One2many("complaint.sla.status", "sla_id", string="Targets")
    ongoing_count = fields.Integer(compute="_compute_counts")
    failed_count = fields.Integer(compute="_compute_counts")

    _time_hours_positive = models.Constraint(
        "CHECK(time_hours > 0)", "The time of an SLA rule must be positive."
    )
    _warning_percent_range = models.Constraint(
        "CHECK(warning_percent >= 0 AND warning_percent < 100)",
        "The warning must come before the deadline (0 to 99 %).",
    )

    def _compute_counts(self):
        counts = defaultdict(int)
        for sla, status, count in self.env["complaint.sla.status"]._read_group(
            [("sla_id", "in", self.ids)], ["sla_id", "status"], ["__count"]
        ):
            counts[sla.id, status] = count
        for sla in self:
            sla.ongoing_count = counts[sla.id, SLA_ONGOING]
            sla.failed_count = counts[sla.id, "failed"]

    # ------------------------------------------------------------------
    # Matching
    # ------------------------------------------------------------------
    def _complaint_domain(self):
        """Complaints this rule applies to (empty criterion = any): the
        domain of each criterion it sets (complaint_sla_criteria)."""
        self.ensure_one()
        return Domain.AND(
            CRITERIA_BY_NAME[name].domain(value)
            for name, value in self._spec().criteria
        )

    def _spec(self):
        self.ensure_one()
        rule = self.with_context(active_test=False)
        return RuleSpec(
            id=rule.id,
            criteria=tuple(
                (criterion.name, value)
                for criterion in CRITERIA
                if (value := criterion.rule_value(rule)) is not None
            ),
            target_step=rule.target_step,
            time_hours=rule.time_hours,
            calendar_id=rule.calendar_id.id,
            warning_percent=rule.warning_percent,
        )

    @api.model
    @tools.ormcache("company_ids")
    def _active_specs(self, company_ids):
        """The active rules of these companies (and of none), as ``RuleSpec``
        in ``_order``. Cached for the registry: any change to a rule clears
        the cache in every worker (Odoo's cache signaling)."""
        rules = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                Domain("active", "=", True)
                & Domain("company_id", "in", [False, *company_ids])
            )
        )
        return tuple(rule._spec() for rule in rules)

    @staticmethod
    def _spec_matches(spec, facts):
        """Whether the facts of a complaint (``_match_facts``) satisfy every
        criterion the rule sets (empty criterion = any)."""
        return all(
            CRITERIA_BY_NAME[name].matches(value, facts[name])
            for name, value in spec.criteria
        )

    @api.model
    def _match_facts(self, complaint, names=None):
        """What rules match on, as plain values: the facts of the criteria
        ``names`` (default: all; those no rule uses cost reads for nothing)."""
        return {
            criterion.name: criterion.fact(complaint)
            for criterion in CRITERIA
            if names is None or criterion.name in names
        }

    @api.model
    def _rematch_needed(self, model, fnames):
        """Whether a change of ``fnames`` on records of ``model`` can change
        what the rules match: a criterion reads one of these fields
        (``SLA_TRIGGERS``) and an active rule sets that criterion."""
        criteria = [
            criterion
            for criterion in CRITERIA
            if not set(criterion.triggers.get(model, ())).isdisjoint(fnames)
        ]
        return bool(criteria) and bool(
            self.sudo().search_count(
                Domain.OR(Domain(c.rule_field, "!=", False) for c in criteria),
                limit=1,
            )
        )

    # ------------------------------------------------------------------
    # Working time (batch): one calendar computation per calendar
    # ------------------------------------------------------------------
    @api.model
    def _plan_working_hours(self, requests):
        """``requests``: list of (calendar, start, hours). Returns, in the same
        order, the instant at which ``hours`` working hours of the calendar
        have passed since ``start`` (naive UTC), or False when the calendar
        has no working time within ten years."""
        result = [False] * len(requests)
        per_calendar = defaultdict(list)
        for index, (calendar, start, hours) in enumerate(requests):
            if start:
                per_calendar[calendar].append((index, start, hours))
        for calendar, items in per_calendar.items():
            lo = min(start for _i, start, _h in items)
            most = max(hours for _i, _s, hours in items)
            # A first guess of the calendar days needed (8 working hours a
            # day); grown if too short (weekends, holidays, short days).
            span = timedelta(days=max(3, ceil(2 * most / 8.0)) + 3)
            hi = max(start for _i, start, _h in items) + span
            todo = items
            for _attempt in range(8):
                timeline = self._timeline(calendar, lo, hi)
                missing = []
                for index, start, hours in todo:
                    moment = timeline.instant(timeline.position(start) + hours)
                    if moment is None:
                        missing.append((index, start, hours))
                    else:
                        result[index] = moment
                if not missing or hi - lo > timedelta(days=3660):
                    break
                todo, hi = missing, hi + (hi - lo)
        return result

    @api.model
    def _working_hours_between(self, requests):
        """``requests``: list of (calendar, start, stop). Returns the working
        hours of each calendar between start and stop (0 when stop <= start)."""
        result = [0.0] * len(requests)
        per_calendar = defaultdict(list)
        for index, (calendar, start, stop) in enumerate(requests):
            if start and stop and stop > start:
                per_calendar[calendar].append((index, start, stop))
        for calendar, items in per_calendar.items():
            timeline = self._timeline(
                calendar,
                min(start for _i, start, _s in items),
                max(stop for _i, _s, stop in items),
            )
            for index, start, stop in items:
                result[index] = timeline.position(stop) - timeline.position(start)
        return result

    @api.model
    def _timeline(self, calendar, lo, hi):
        """The working timeline of ``calendar`` covering [lo, hi], widened to
        whole UTC days so that the planning of a whole day shares one cached
        computation."""
        day_lo = datetime.combine(lo.date(), time.min)
        day_hi = datetime.combine(hi.date() + timedelta(days=1), time.min)
        return self._cached_timeline(calendar.id, day_lo, day_hi)

    @api.model
    @tools.ormcache("calendar_id", "lo", "hi")
    def _cached_timeline(self, calendar_id, lo, hi):
        """Cached for the registry; changes to calendars, their attendances
        and their leaves clear it (see resource_calendar*.py)."""
        calendar = self.env["resource.calendar"].sudo().browse(calendar_id)
        return WorkingTimeline.compute(calendar, lo, hi)

    # ------------------------------------------------------------------
    # CRUD: re-apply to open complaints in batch
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        self.env.registry.clear_cache()
        rules.filtered("active")._apply_to_open_complaints()
        return rules

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        if SLA_TRIGGERS["complaint.sla"] & vals.keys():
            self._apply_to_open_complaints()
        elif TIME_FIELDS & vals.keys():
            ongoing = (
                self.env["complaint.sla.status"]
                .sudo()
                .search([("sla_id", "in", self.ids), ("status", "=", SLA_ONGOING)])
            )
            ongoing._recompute_targets()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

    def _open_complaints_domain(self):
        return Domain("step", "!=", STEP_CLOSED) & Domain("active", "=", True)

    def _apply_to_open_complaints(self):
        """Bring the open complaints' targets in line with these rules: add
        lines where a rule now matches, drop ongoing lines where it no longer
        does, recompute the others. One search per rule, then batches."""
        Status = self.env["complaint.sla.status"].sudo()
        Complaint = (
            self.env["complaint.complaint"].sudo().with_context(active_test=False)
        )
        open_domain = self._open_complaints_domain()
        for rule in self.with_context(active_test=False):
            lines = Status.search([("sla_id", "=", rule.id)])
            open_lines = lines.filtered(
                lambda s: s.complaint_id.active and s.complaint_id.step != STEP_CLOSED
            )
            if not rule.active:
                open_lines.filtered(lambda s: s.status == SLA_ONGOING).unlink()
                continue
            matching = Complaint.search(open_domain & rule._complaint_domain())
            covered = open_lines.complaint_id
            open_lines.filtered(
                lambda s, m=matching: (
                    s.status == SLA_ONGOING and s.complaint_id not in m
                )
            ).unlink()
            kept = open_lines.exists().filtered(lambda s: s.status == SLA_ONGOING)
            if kept:
                kept.write({"target_step": rule.target_step})
                kept._recompute_targets()
            Status._create_for(
                (matching - covered).filtered(
                    lambda c, r=rule: (
                        STEP_ORDER[c.step or "new"] < STEP_ORDER[r.target_step]
                    )
                ),
                rule,
            )

    def action_view_status(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Targets of %(rule)s", rule=self.name),
            "res_model": "complaint.sla.status",
            "view_mode": "list,form",
            "domain": [("sla_id", "=", self.id)],
            "context": {"search_default_ongoing": 1},
        }
