import logging
from collections import defaultdict

from psycopg2.errors import LockNotAvailable, SerializationFailure

from odoo import api, fields, models
from odoo.tools import SQL

from .complaint_stage import STEPS
from .complaint_todos import create_todos, notify_digest, references, todo_vals
from .cron_batches import run_in_batches

_logger = logging.getLogger(__name__)
SLA_ONGOING = "ongoing"
SLA_STATUSES = [(SLA_ONGOING, "Ongoing"), ("reached", "Reached"), ("failed", "Failed")]


class ComplaintSlaStatus(models.Model):
    """One SLA target of one complaint: deadline in working time, pauses,
    and whether the warning and the escalation ran (each exactly once)."""

    _name = "complaint.sla.status"
    _description = "Complaint SLA Target"
    _order = "deadline, id"
    _rec_name = "sla_id"

    # Looked up through the UNIQUE(complaint_id, sla_id) index.
    complaint_id = fields.Many2one(
        "complaint.complaint", required=True, ondelete="cascade"
    )
    sla_id = fields.Many2one(
        "complaint.sla",
        string="SLA rule",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="complaint_id.company_id", store=True)
    user_id = fields.Many2one(related="complaint_id.user_id", string="Handler")
    calendar_id = fields.Many2one(related="sla_id.calendar_id")
    time_hours = fields.Float(related="sla_id.time_hours")
    target_step = fields.Selection(STEPS, required=True)
    start_date = fields.Datetime(
        required=True, help="When the time started counting (receipt or reopening)."
    )
    deadline = fields.Datetime()
    warning_date = fields.Datetime(string="Warning at")
    reached_date = fields.Datetime(string="Reached on", readonly=True)
    status = fields.Selection(
        SLA_STATUSES,
        required=True,
        default=SLA_ONGOING,
    )
    paused_hours = fields.Float(
        help="Working hours spent in stages that pause the SLA.", readonly=True
    )
    pause_start = fields.Datetime(
        readonly=True, help="Set while the complaint sits in a pausing stage."
    )
    exceeded_hours = fields.Float(
        help="Working hours past the deadline: at breach, then when reached.",
        readonly=True,
    )
    warned = fields.Boolean(readonly=True, copy=False)
    escalated = fields.Boolean(readonly=True, copy=False)
    replan = fields.Boolean(
        readonly=True,
        copy=False,
        help="Its calendar, working hours or public holidays changed: the "
        "deadline is planned again by a scheduled action.",
    )

    _complaint_sla_unique = models.Constraint(
        "UNIQUE(complaint_id, sla_id)", "A complaint has one line per SLA rule."
    )
    # Partial indexes the cron's claims run on: they stay small (open lines).
    # (An index definition takes no query parameter: the constant is inlined.)
    _warning_due_idx = models.Index(
        f"(warning_date) WHERE status = '{SLA_ONGOING}' AND warned IS NOT TRUE "
        "AND pause_start IS NULL"
    )
    _breach_due_idx = models.Index(
        f"(deadline) WHERE status = '{SLA_ONGOING}' AND pause_start IS NULL"
    )
    _replan_idx = models.Index("(id) WHERE replan IS TRUE")

    # ------------------------------------------------------------------
    # Creation and recomputation (batch)
    # ------------------------------------------------------------------
    @api.model
    def _create_for(self, complaints, rule):
        spec = rule._spec()
        return self._create_lines([(complaint, spec) for complaint in complaints])

    @api.model
    def _create_lines(self, pairs):
        """Create the lines of (complaint, ``RuleSpec``) pairs, with one
        calendar computation per rule calendar for the whole batch."""
        if not pairs:
            return self.browse()
        now = fields.Datetime.now()
        Calendar = self.env["resource.calendar"]
        requests = []
        for complaint, spec in pairs:
            start = complaint.date_received or now
            calendar = Calendar.browse(spec.calendar_id)
            requests.append((calendar, start, spec.time_hours))
            requests.append(
                (calendar, start, spec.time_hours * spec.warning_percent / 100)
                if spec.warning_percent
                else (calendar, False, 0.0)
            )
        planned = self.env["complaint.sla"]._plan_working_hours(requests)
        vals_list = []
        for index, (complaint, spec) in enumerate(pairs):
            vals_list.append(
                {
                    "complaint_id": complaint.id,
                    "sla_id": spec.id,
                    "target_step": spec.target_step,
                    "start_date": complaint.date_received or now,
                    "deadline": planned[2 * index],
                    "warning_date": planned[2 * index + 1],
                    "pause_start": now if complaint.stage_id.pause_sla else False,
                    "company_id": complaint.company_id.id,
                }
            )
        return self._insert_lines(vals_list)

    @api.model
    def _insert_lines(self, vals_list):
        """Insert new lines with ``_create``, the ORM's low-level insert. The
        lines are created with every complaint (hot path): ``create``'s
        per-record machinery (defaults, conversions, precomputes) cost more
        than all the SLA logic. ``_create`` still puts the lines in cache and
        in their complaints' ``sla_status_ids`` and marks what depends on them
        (the complaints' SLA fields) for recomputation, so no query reads
        them back."""
        now = fields.Datetime.now()
        log = {
            "create_uid": self.env.uid,
            "create_date": now,
            "write_uid": self.env.uid,
            "write_date": now,
        }
        defaults = {
            "status": SLA_ONGOING,
            "paused_hours": 0.0,
            "exceeded_hours": 0.0,
            "warned": False,
            "escalated": False,
        }
        # company_id is a stored related: given here, not recomputed.
        protected = [self._fields["company_id"]]
        return self.sudo()._create(
            [
                {
                    "stored": {**defaults, **vals, **log},
                    "inherited": {},
                    "protected": protected,
                }
                for vals in vals_list
            ]
        )

    def _recompute_targets(self):
        """Deadline = start + time + paused working hours (in the rule's
        calendar); the warning likewise, unless it already ran."""
        lines = self.filtered(lambda s: s.status == SLA_ONGOING)
        if not lines:
            return
        requests = []
        for line in lines:
            rule = line.sla_id
            requests.append(
                (rule.calendar_id, line.start_date, rule.time_hours + line.paused_hours)
            )
            requests.append(
                (
                    rule.calendar_id,
                    line.start_date,
                    rule.time_hours * rule.warning_percent / 100 + line.paused_hours,
                )
                if rule.warning_percent
                else (rule.calendar_id, False, 0.0)
            )
        planned = self.env["complaint.sla"]._plan_working_hours(requests)
        for index, line in enumerate(lines):
            values = {"deadline": planned[2 * index]}
            if not line.warned:
                values["warning_date"] = planned[2 * index + 1]
            line.update(values)

    # ------------------------------------------------------------------
    # Stage changes: pause, resume, reached, reopened
    # ------------------------------------------------------------------
    def _close_pause(self, now):
        """Leaving a pausing stage: add the paused working time; the deadline
        moves by as much."""
        paused = self.filtered("pause_start")
        if not paused:
            return
        hours = self.env["complaint.sla"]._working_hours_between(
            [(line.sla_id.calendar_id, line.pause_start, now) for line in paused]
        )
        for line, extra in zip(paused, hours):
            line.update(
                {"paused_hours": line.paused_hours + extra, "pause_start": False}
            )
        paused._recompute_targets()

    def _mark_reached(self, now):
        """First entry at or past the target step: reached, or failed if late.
        A target missed before the cron noticed is escalated now, once."""
        late = self.filtered(
            lambda s: s.status == "failed" or (s.deadline and s.deadline < now)
        )
        missed_now = late.filtered(
            lambda s: s.status == SLA_ONGOING and not s.escalated
        )
        exceeded = self.env["complaint.sla"]._working_hours_between(
            [(line.sla_id.calendar_id, line.deadline, now) for line in late]
        )
        for line, hours in zip(late, exceeded):
            line.update(
                {
                    "status": "failed",
                    "reached_date": now,
                    "exceeded_hours": hours,
                    "pause_start": False,
                }
            )
        (self - late).write(
            {"status": "reached", "reached_date": now, "pause_start": False}
        )
        if missed_now:
            missed_now._escalate()

    def _restart(self, now, paused):
        """Reopening: the targets past the reopening step count again."""
        for line in self:
            line.update(
                {
                    "status": SLA_ONGOING,
                    "start_date": now,
                    "reached_date": False,
                    "paused_hours": 0.0,
                    "pause_start": now if paused else False,
                    "exceeded_hours": 0.0,
                    "warned": False,
                    "escalated": False,
                }
            )
        self._recompute_targets()

    # ------------------------------------------------------------------
    # Calendar changes: deadlines already set are planned again
    # ------------------------------------------------------------------
    @api.model
    def _mark_replan(self, calendar_ids=None):
        """Flag the ongoing targets counted in these calendars (all of them
        for ``None``: a public holiday of every calendar) in one statement,
        and wake the scheduled action that plans them again in batches."""
        if calendar_ids is not None and not calendar_ids:
            return
        self.flush_model()
        calendar_filter = (
            SQL("AND rule.calendar_id IN %s", tuple(calendar_ids))
            if calendar_ids is not None
            else SQL("")
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE complaint_sla_status line SET replan = TRUE
                  FROM complaint_sla rule
                 WHERE line.sla_id = rule.id AND line.status = %s
                   AND line.replan IS NOT TRUE %s
                """,
                SLA_ONGOING,
                calendar_filter,
            )
        )
        if self.env.cr.rowcount:
            self.invalidate_model(["replan"])
            self.env.ref("complaint_management.ir_cron_complaint_sla_replan")._trigger()

    @api.model
    def _cron_replan(self, batch_size=1000):
        """Plan the flagged targets again (new deadline and, unless it was
        sent, warning time), a batch per transaction."""
        self = self.sudo()

        def replan_batch(size):
            lines = self.search([("replan", "=", True)], limit=size)
            lines._recompute_targets()
            lines.write({"replan": False})
            return len(lines)

        return run_in_batches(
            self.env,
            replan_batch,
            batch_size,
            cron_xmlid="complaint_management.ir_cron_complaint_sla_replan",
        )

    # ------------------------------------------------------------------
    # Cron: set-based, batched, safe with several workers
    # ------------------------------------------------------------------
    @api.model
    def _claim_sql(self, kind, now, limit):
        """The claim query. It takes due rows FOR UPDATE SKIP LOCKED and flips
        their flag in the same statement: a row is claimed by one transaction
        only, whatever the number of workers or servers running the cron."""
        table = SQL.identifier(self._table)
        if kind == "warning":
            due = SQL(
                "status = %s AND warned IS NOT TRUE AND pause_start IS NULL"
                " AND warning_date <= %s",
                SLA_ONGOING,
                now,
            )
            order, flip = SQL("warning_date"), SQL("warned = TRUE")
        else:
            due = SQL(
                "status = %s AND pause_start IS NULL AND deadline <= %s",
                SLA_ONGOING,
                now,
            )
            order, flip = SQL("deadline"), SQL("status = 'failed'")
        return SQL(
            """
            WITH due AS (
                SELECT id FROM %(table)s
                 WHERE %(due)s
              ORDER BY %(order)s, id
                 LIMIT %(limit)s
                   FOR UPDATE SKIP LOCKED
            )
            UPDATE %(table)s line SET %(flip)s
              FROM due
             WHERE line.id = due.id
         RETURNING line.id
            """,
            table=table,
            due=due,
            order=order,
            limit=limit,
            flip=flip,
        )

    def _claim(self, kind, now, limit):
        self.env.flush_all()
        self.env.cr.execute(self._claim_sql(kind, now, limit))
        ids = [row[0] for row in self.env.cr.fetchall()]
        lines = self.browse(ids)
        # The flag changed in SQL: forget the cache, recompute what depends on it.
        fname = "warned" if kind == "warning" else "status"
        self.invalidate_model([fname])
        if ids:
            lines.modified([fname])
        return lines

    @api.model
    def _cron_check_sla(self, batch_size=1000):
        """Send due warnings, fail breached targets and escalate them, each
        exactly once. A few queries per batch whatever the number of open
        complaints; commits between batches outside tests."""
        self = self.sudo()
        now = fields.Datetime.now()

        def sweep_batch(kind, size):
            lines = self._claim(kind, now, size)
            if lines and kind == "warning":
                lines._process_warnings()
            elif lines:
                lines._process_breaches(now)
            return len(lines)

        # A lock that could not be had in time counts as a conflict too.
        return sum(
            run_in_batches(
                self.env,
                lambda size, kind=kind: sweep_batch(kind, size),
                batch_size,
                cron_xmlid="complaint_management.ir_cron_complaint_sla_check",
                conflicts=(SerializationFailure, LockNotAvailable),
            )
            for kind in ("warning", "breach")
        )

    def _handler_of(self, complaint):
        return (
            complaint.user_id
            or complaint.team_id.user_id
            or complaint.company_id.complaint_manager_id
        )

    def _process_warnings(self):
        """An activity for each handler, plus one e-mail per handler listing
        their complaints at risk (not one mail per activity)."""
        vals_list = []
        per_user = defaultdict(lambda: self.env["complaint.sla.status"])
        for line in self:
            complaint = line.complaint_id
            user = self._handler_of(complaint)
            if not user:
                continue
            per_user[user] |= line
            vals_list.append(
                todo_vals(
                    complaint,
                    user,
                    fields.Date.context_today(self, line.deadline),
                    self.env._("SLA warning: %(rule)s", rule=line.sla_id.name),
                    self.env._(
                        "Complaint %(ref)s must reach step %(step)s by %(deadline)s "
                        "(%(percent)s%% of the time used).",
                        ref=complaint.reference,
                        step=dict(STEPS)[line.target_step],
                        deadline=fields.Datetime.to_string(line.deadline),
                        percent=round(line.sla_id.warning_percent),
                    ),
                )
            )
        create_todos(self.env, vals_list)
        for user, lines in per_user.items():
            notify_digest(
                lines.complaint_id,
                user,
                self.env._("Complaint SLA warning"),
                self.env._(
                    "SLA deadline close on %(count)s complaint(s): %(refs)s",
                    count=len(lines),
                    refs=references(lines.complaint_id),
                ),
            )

    def _process_breaches(self, now):
        """Failed: the exceeded time, then the rule's escalation, once."""
        exceeded = self.env["complaint.sla"]._working_hours_between(
            [(line.sla_id.calendar_id, line.deadline, now) for line in self]
        )
        for line, hours in zip(self, exceeded):
            line.exceeded_hours = hours
        self._escalate()

    def _escalate(self):
        """The escalation of each line's rule (raise the priority, schedule
        an activity, notify); the ``escalated`` flag makes it run once."""
        escalating = self._claim_escalation()
        if not escalating:
            return
        escalating._escalate_raise_priority()
        escalating._escalate_schedule_activities()
        escalating._escalate_notify()

    def _claim_escalation(self):
        """The lines whose rule escalates and that did not escalate yet,
        flagged as escalated."""
        escalating = self.filtered(
            lambda s: (
                not s.escalated
                and (
                    s.sla_id.escalate_to_id
                    or s.sla_id.escalate_raise_priority
                    or s.sla_id.escalate_activity
                )
            )
        )
        if escalating:
            escalating.write({"escalated": True})
        return escalating

    def _escalate_raise_priority(self):
        """Raise the priority by one level: at most three writes."""
        by_priority = defaultdict(lambda: self.env["complaint.complaint"])
        for line in self.filtered("sla_id.escalate_raise_priority"):
            complaint = line.complaint_id
            if (complaint.priority or "0") < "3":
                by_priority[str(int(complaint.priority or "0") + 1)] |= complaint
        for priority, complaints in sorted(by_priority.items(), reverse=True):
            complaints.filtered(lambda c, p=priority: c.priority < p).write(
                {"priority": priority}
            )

    def _escalate_schedule_activities(self):
        """A to-do for the person escalated to (else the team leader, else
        the handler), for the rules that schedule one."""
        activities = []
        for line in self.filtered("sla_id.escalate_activity"):
            complaint, rule = line.complaint_id, line.sla_id
            user = (
                rule.escalate_to_id
                or complaint.team_id.user_id
                or self._handler_of(complaint)
            )
            if user:
                activities.append(
                    todo_vals(
                        complaint,
                        user,
                        fields.Date.context_today(self),
                        self.env._("SLA missed: %(rule)s", rule=rule.name),
                        self.env._(
                            "Complaint %(ref)s did not reach step %(step)s by "
                            "%(deadline)s.",
                            ref=complaint.reference,
                            step=dict(STEPS)[line.target_step],
                            deadline=fields.Datetime.to_string(line.deadline),
                        ),
                    )
                )
        create_todos(self.env, activities)

    def _escalate_notify(self):
        """One digest per person escalated to, not one mail per complaint."""
        to_notify = self.filtered("sla_id.escalate_to_id")
        for user, lines in to_notify.grouped(lambda s: s.sla_id.escalate_to_id).items():
            notify_digest(
                lines.complaint_id,
                user,
                self.env._("Complaint SLA escalation"),
                self.env._(
                    "SLA targets missed on %(count)s complaint(s): %(refs)s",
                    count=len(lines),
                    refs=references(lines.complaint_id),
                ),
            )
