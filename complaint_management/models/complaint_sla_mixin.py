from collections import defaultdict

from odoo import api, fields, models
from odoo.fields import Domain

from .complaint_sla_criteria import SLA_TRIGGERS
from .complaint_sla_status import SLA_ONGOING
from .complaint_stage import STEP_CLOSED, STEP_ORDER


class ComplaintSlaMixin(models.AbstractModel):
    """SLA targets of a complaint (SLA semantics: readme/CONFIGURE.md, SLA rules).

    Mixed into ``complaint.complaint``. Its hooks run in the stage pipeline
    of the complaint (``_written_hooks``, ``_stage_entered_hooks``; readme:
    Stage pipeline); this mixin overrides neither ``write`` nor
    ``_on_stage_entered``."""

    _name = "complaint.sla.mixin"
    _description = "Complaint SLA targets"

    sla_status_ids = fields.One2many(
        "complaint.sla.status", "complaint_id", string="SLA targets", copy=False
    )
    sla_deadline = fields.Datetime(
        string="SLA deadline",
        compute="_compute_sla",
        store=True,
        index=True,
        help="Earliest deadline of the ongoing SLA targets.",
    )
    sla_failed = fields.Boolean(
        string="SLA failed",
        compute="_compute_sla",
        store=True,
        help="At least one SLA target was missed.",
    )
    sla_state = fields.Selection(
        [
            ("none", "No target"),
            ("ok", "On time"),
            ("warning", "At risk"),
            ("failed", "Failed"),
        ],
        string="SLA",
        compute="_compute_sla_state",
        search="_search_sla_state",
    )

    @api.depends("sla_status_ids.status", "sla_status_ids.deadline")
    def _compute_sla(self):
        for complaint in self:
            lines = complaint.sla_status_ids
            deadlines = [
                s.deadline for s in lines if s.status == SLA_ONGOING and s.deadline
            ]
            complaint.sla_deadline = min(deadlines, default=False)
            complaint.sla_failed = any(s.status == "failed" for s in lines)

    @api.depends(
        "sla_deadline",
        "sla_failed",
        "sla_status_ids.status",
        "sla_status_ids.warning_date",
    )
    def _compute_sla_state(self):
        now = fields.Datetime.now()
        for complaint in self:
            lines = complaint.sla_status_ids
            if complaint.sla_failed or (
                complaint.sla_deadline and complaint.sla_deadline < now
            ):
                complaint.sla_state = "failed"
            elif any(
                s.status == SLA_ONGOING and s.warning_date and s.warning_date <= now
                for s in lines
            ):
                complaint.sla_state = "warning"
            elif complaint.sla_deadline:
                complaint.sla_state = "ok"
            else:
                complaint.sla_state = "none"

    def _search_sla_state(self, operator, value):
        if operator != "in":
            return NotImplemented
        now = fields.Datetime.now()
        domains = {
            "failed": Domain("sla_failed", "=", True)
            | Domain("sla_deadline", "<", now),
            "warning": Domain("sla_failed", "=", False)
            & Domain("sla_deadline", ">=", now)
            & Domain(
                "sla_status_ids",
                "any",
                Domain("status", "=", SLA_ONGOING) & Domain("warning_date", "<=", now),
            ),
            "ok": Domain("sla_failed", "=", False) & Domain("sla_deadline", ">=", now),
            "none": Domain("sla_failed", "=", False)
            & Domain("sla_deadline", "=", False),
        }
        return Domain.OR(domains[v] for v in value if v in domains)

    # ------------------------------------------------------------------
    # Hooks
    # ------------------------------------------------------------------
    def _sla_on_write(self, vals):
        """After ``write``: apply the rules again when a matched fact changed,
        move the targets with the receipt date, stop or resume them with the
        archiving."""
        if SLA_TRIGGERS["complaint.complaint"] & vals.keys():
            self._sla_apply()
        if not {"date_received", "active"} & vals.keys():
            return
        lines = self.sudo().sla_status_ids
        if "date_received" in vals:
            ongoing = lines.filtered(lambda s: s.status == SLA_ONGOING)
            for line in ongoing:
                line.start_date = line.complaint_id.date_received
            ongoing._recompute_targets()
        if "active" in vals:
            # Cancelled (archived) complaints: their targets stand still; the
            # time archived counts as paused if they are restored.
            now = fields.Datetime.now()
            ongoing = lines.filtered(lambda s: s.status == SLA_ONGOING)
            if vals["active"]:
                ongoing.filtered(
                    lambda s: s.pause_start and not s.complaint_id.stage_id.pause_sla
                )._close_pause(now)
            else:
                ongoing.filtered(lambda s: not s.pause_start).write(
                    {"pause_start": now}
                )

    def _sla_on_stage_entered(self):
        """Create the targets of new complaints, then pause, resume, reach
        and restart them for the stage just entered."""
        now = fields.Datetime.now()
        Status = self.env["complaint.sla.status"].sudo()
        complaints = self.sudo()
        # New complaints (create calls this hook): no line yet. Their lines
        # need nothing more: created only for targets still ahead, paused if
        # the stage pauses.
        fresh = complaints.filtered(lambda c: not c.sla_status_ids)
        fresh._sla_apply()
        complaints -= fresh
        lines = complaints.sla_status_ids
        if not lines:
            return
        # Reopened (left closed) or appealed: the targets past the new step
        # count again.
        appealed = self.env.context.get("complaint_sla_restart")
        reopened = complaints.filtered(
            lambda c: (c.date_closed or appealed) and c.step != STEP_CLOSED
        )
        restart = lines.filtered(
            lambda s: (
                s.complaint_id in reopened
                and STEP_ORDER[s.target_step] > STEP_ORDER.get(s.complaint_id.step, 0)
            )
        )
        for paused, group in restart.grouped(
            lambda s: bool(s.complaint_id.stage_id.pause_sla)
        ).items():
            group._restart(now, paused)
        ongoing = (lines - restart).filtered(lambda s: s.status == SLA_ONGOING)
        # Resume: leaving a pausing stage moves the deadline by the paused time.
        ongoing.filtered(
            lambda s: s.pause_start and not s.complaint_id.stage_id.pause_sla
        )._close_pause(now)
        # Reached: first entry at or past the target step.
        Status.browse(
            [
                s.id
                for s in lines - restart
                if not s.reached_date
                and s.status in (SLA_ONGOING, "failed")
                and STEP_ORDER.get(s.complaint_id.step, 0) >= STEP_ORDER[s.target_step]
            ]
        )._mark_reached(now)
        # Pause: entering a pausing stage.
        ongoing.filtered(
            lambda s: (
                s.status == SLA_ONGOING
                and not s.pause_start
                and s.complaint_id.stage_id.pause_sla
            )
        ).write({"pause_start": now})

    @api.model
    def _sla_rematch(self, model, fnames, domain):
        """Match the rules again on the open complaints of ``domain`` after
        a change of ``fnames`` on records of ``model`` (a category, a
        contact), when that change can alter what a rule in use matches."""
        if not self.env["complaint.sla"]._rematch_needed(model, fnames):
            return
        self.sudo().with_context(active_test=False).search(
            domain & Domain("step", "!=", STEP_CLOSED) & Domain("active", "=", True)
        )._sla_apply()

    def _sla_apply(self):
        """Match the active rules: add the lines of rules that now apply
        (unless the complaint is already past their target step), drop the
        ongoing lines of rules that no longer apply. Batch: the rules come
        from the registry cache, matching is in memory, one insert."""
        complaints = self.sudo().filtered(lambda c: c.active and c.step != STEP_CLOSED)
        if not complaints:
            return
        Rule = self.env["complaint.sla"]
        specs = Rule._active_specs(tuple(sorted(complaints.company_id.ids)))
        existing = defaultdict(dict)
        for line in complaints.sla_status_ids:
            existing[line.complaint_id.id][line.sla_id.id] = line
        pairs, obsolete_ids = [], []
        # only the facts the rules ask for (tags and categories cost reads)
        used = {name for spec in specs for name, _value in spec.criteria}
        for complaint in complaints:
            have = existing[complaint.id]
            step = STEP_ORDER.get(complaint.step, 0)
            facts = Rule._match_facts(complaint, used)
            matching = set()
            for spec in specs:
                if not Rule._spec_matches(spec, facts):
                    continue
                matching.add(spec.id)
                if spec.id not in have and step < STEP_ORDER[spec.target_step]:
                    pairs.append((complaint, spec))
            for rule_id, line in have.items():
                if rule_id not in matching and line.status == SLA_ONGOING:
                    obsolete_ids.append(line.id)
        self.env["complaint.sla.status"].sudo().browse(obsolete_ids).unlink()
        self.env["complaint.sla.status"]._create_lines(pairs)

    def action_view_sla_status(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("SLA targets"),
            "res_model": "complaint.sla.status",
            "view_mode": "list,form",
            "domain": [("complaint_id", "=", self.id)],
        }
