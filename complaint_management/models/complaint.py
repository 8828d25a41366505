import uuid
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import is_html_empty

from .complaint_stage import GATES, STEP_CLOSED, STEP_DATE_FIELDS, STEP_ORDER
from .letter_flags import CTX_CREATION_NOTE

PRIORITIES = [("0", "Low"), ("1", "Medium"), ("2", "High"), ("3", "Urgent")]
SEVERITIES = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("critical", "Critical (health or safety)"),
]
SEVERITY_PRIORITY = {"low": "0", "medium": "1", "high": "2", "critical": "3"}


class Complaint(models.Model):
    """A customer complaint handled along ISO 10002:2018 clause 7."""

    _name = "complaint.complaint"
    _description = "Customer Complaint"
    # One capability per mixin, each in its own file (see readme/DESCRIPTION.md,
    # Architecture). Those overriding mail.thread come before it.
    _inherit = [
        "portal.mixin",
        "complaint.anonymity",
        "complaint.mail.gateway",
        "rating.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "complaint.regulatory.clock",
        "complaint.privacy",
        "complaint.sla.mixin",
        "complaint.letters.mixin",
        "complaint.status.update",
        "complaint.customer.date",
        "complaint.appeal",
        "complaint.improvement",
    ]
    _order = "priority desc, date_received desc, id desc"
    _primary_email = "partner_email"
    _mail_post_access = "read"

    # The stage pipeline (readme: Stage pipeline), method names in the order
    # they run. A capability (a mixin above) takes part by naming its method
    # here, never by overriding ``write``, ``create`` or ``_on_stage_entered``
    # (test_pipeline fails if one does).
    # ``write`` first passes its values through these (each returns them).
    _write_vals_hooks = ("_privacy_write_vals",)
    # A complaint entering a stage (created, or moved by ``write``) must pass
    # every gate: each returns the problems of one complaint, each naming its
    # principle or rule; any problem refuses the move (all listed at once).
    _stage_gates = ("_gate_principles", "_regulatory_check_final_response")
    # Then each capability reacts, in this order: the SLA targets first (the
    # acknowledgement shows them), then the dates of clause 7 (the legal
    # clock reads date_decided), then the letters.
    _stage_entered_hooks = (
        "_sla_on_stage_entered",
        "_record_step_dates",
        "_send_stage_letters",
    )
    # Last, after the write and its stage pipeline, given the values written.
    _written_hooks = ("_sla_on_write",)
    # After a creation and its stage pipeline (intake checks of the batch).
    _created_hooks = ("_flag_possible_duplicates",)

    # A customer's complaints by date: the portal list and its counters (read
    # from the index alone, whatever the number of the customer's
    # complaints), the possible-duplicate check at intake and the reports'
    # "complained again within 12 months" (without it each look read the date
    # index over a whole year: the board pack took 45 s at 100,000
    # complaints). "active IS TRUE" is what the ORM's active test writes; SQL
    # of ours writes it too (PostgreSQL does not prove it from "active").
    _customer_date_idx = models.Index(
        "(commercial_partner_id, date_received) "
        "INCLUDE (company_id, partner_id, is_anonymous) WHERE active IS TRUE"
    )

    name = fields.Char(string="Subject", required=True, tracking=True)
    reference = fields.Char(
        required=True, readonly=True, copy=False, index="trigram", default="New"
    )
    description = fields.Html(sanitize=True, sanitize_style=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    active = fields.Boolean(default=True, tracking=True)
    # Complainant
    partner_id = fields.Many2one(
        "res.partner", string="Complainant", index=True, tracking=True
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        store=True,
        index=True,
        precompute=True,
    )
    partner_name = fields.Char(
        compute="_compute_partner_name", store=True, readonly=False, tracking=True
    )
    partner_email = fields.Char(
        compute="_compute_partner_email", store=True, readonly=False, tracking=True
    )
    partner_phone = fields.Char(
        compute="_compute_partner_phone", store=True, readonly=False, tracking=True
    )
    is_anonymous = fields.Boolean(
        tracking=True,
        help="The complainant's identity is visible to complaint managers only.",
    )
    remedy_requested = fields.Text(
        string="Remedy requested", help="What the complainant asks for.", tracking=True
    )
    # Classification
    channel_id = fields.Many2one(
        "complaint.channel",
        required=True,
        tracking=True,
        default=lambda self: self.env.ref(
            "complaint_management.complaint_channel_phone", raise_if_not_found=False
        ),
    )
    category_id = fields.Many2one("complaint.category", tracking=True, index=True)
    team_id = fields.Many2one(
        "helpdesk.ticket.team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        tracking=True,
        index=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Handler",
        tracking=True,
        index=True,
        domain=[("share", "=", False)],
    )
    stage_id = fields.Many2one(
        "complaint.stage",
        tracking=True,
        index=True,
        copy=False,
        group_expand="_read_group_stage_ids",
        default=lambda self: self._default_stage(),
        ondelete="restrict",
    )
    step = fields.Selection(related="stage_id.step", store=True, index=True)
    priority = fields.Selection(
        PRIORITIES,
        default="0",
        tracking=True,
        index=True,
    )
    severity = fields.Selection(SEVERITIES, tracking=True)
    impact = fields.Text(tracking=True)
    color = fields.Integer()
    # Dates of the process
    date_received = fields.Datetime(
        default=fields.Datetime.now, required=True, tracking=True, index=True
    )
    date_acknowledged = fields.Datetime(readonly=True, copy=False, tracking=True)
    date_assessed = fields.Datetime(readonly=True, copy=False)
    date_responded = fields.Datetime(readonly=True, copy=False)
    date_decided = fields.Datetime(readonly=True, copy=False, tracking=True)
    date_closed = fields.Datetime(readonly=True, copy=False, tracking=True)
    date_last_stage_update = fields.Datetime(readonly=True, copy=False)
    date_last_customer_update = fields.Datetime(
        readonly=True,
        copy=False,
        help="Last customer-visible message: periodic status updates count from it.",
    )
    # Objectivity
    vulnerability_ids = fields.One2many(
        "complaint.vulnerability",
        "complaint_id",
        groups="complaint_management.group_complaint_user",
        help="Seen by the handlers of the complaint's team and by managers "
        "only; never on the portal nor in letters.",
    )
    is_vulnerable = fields.Boolean(
        string="Vulnerable customer",
        compute="_compute_is_vulnerable",
        store=True,
        index="btree_not_null",
        groups="complaint_management.group_complaint_user",
    )
    involved_user_ids = fields.Many2many(
        "res.users",
        "complaint_involved_user_rel",
        "complaint_id",
        "user_id",
        string="People concerned",
        help="Staff the complaint is about: they may not handle it.",
    )
    previous_handler_ids = fields.Many2many(
        "res.users",
        "complaint_previous_handler_rel",
        "complaint_id",
        "user_id",
        string="Previous level handlers",
        readonly=True,
        copy=False,
    )
    # Investigation, response and decision
    # Html cannot be tracked by Odoo: changes show in the chatter as the
    # stage moves (responded, decided) that these fields gate.
    findings = fields.Html()
    proposed_resolution = fields.Html()
    remedy_type = fields.Selection(
        [
            ("explanation", "Explanation"),
            ("apology", "Apology"),
            ("repair", "Repair or rework"),
            ("replacement", "Replacement"),
            ("refund", "Refund"),
            ("compensation", "Compensation"),
            ("process_change", "Change of process"),
            ("none", "No remedy"),
        ],
        tracking=True,
    )
    decision = fields.Selection(
        [
            ("upheld", "Upheld"),
            ("partially_upheld", "Partially upheld"),
            ("not_upheld", "Not upheld"),
        ],
        tracking=True,
        copy=False,
    )
    decision_note = fields.Html(string="Decision explanation", copy=False)
    customer_reaction = fields.Selection(
        [("accepted", "Accepted"), ("rejected", "Rejected"), ("none", "No reply")],
        default="none",
        required=True,
        tracking=True,
        copy=False,
    )
    customer_reaction_date = fields.Datetime(readonly=True, copy=False)
    customer_reaction_note = fields.Text(copy=False)
    reply_deadline = fields.Datetime(
        compute="_compute_reply_deadline",
        help="End of the window in which the complainant may accept or reject "
        "the decision.",
    )
    # Improvement
    root_cause_id = fields.Many2one("complaint.root.cause", tracking=True)
    action_ids = fields.One2many("complaint.action", "complaint_id", string="Actions")
    # Links
    ticket_id = fields.Many2one(
        "helpdesk.ticket", tracking=True, index="btree_not_null"
    )
    duplicate_of_id = fields.Many2one(
        "complaint.complaint",
        string="Duplicate of",
        tracking=True,
        index="btree_not_null",
        copy=False,
    )
    duplicate_ids = fields.One2many("complaint.complaint", "duplicate_of_id")
    close_reason = fields.Text(
        tracking=True, copy=False, help="Why the complaint was cancelled or merged."
    )

    _reference_company_unique = models.Constraint(
        "UNIQUE(reference, company_id)",
        "A complaint reference must be unique per company.",
    )

    # ------------------------------------------------------------------
    # Defaults and computes
    # ------------------------------------------------------------------
    @api.model
    def _default_stage(self):
        return self.env["complaint.stage"].search([], limit=1)

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        # a handful of configuration records: show every stage column
        return stages.search([], order=stages._order)  # pylint: disable=no-search-all

    # One compute per field: a value given for one must not block the others.
    @api.depends("partner_id")
    def _compute_partner_name(self):
        for complaint in self.filtered("partner_id"):
            complaint.partner_name = complaint.partner_id.name

    @api.depends("partner_id")
    def _compute_partner_email(self):
        for complaint in self.filtered("partner_id.email"):
            complaint.partner_email = complaint.partner_id.email

    @api.depends("partner_id")
    def _compute_partner_phone(self):
        for complaint in self.filtered("partner_id.phone"):
            complaint.partner_phone = complaint.partner_id.phone

    @api.depends("category_id")
    def _compute_team_id(self):
        for complaint in self.filtered("category_id.team_id"):
            complaint.team_id = complaint.category_id.team_id

    @api.depends("date_decided", "company_id.complaint_reply_window_days")
    def _compute_reply_deadline(self):
        for complaint in self:
            complaint.reply_deadline = complaint.date_decided and (
                complaint.date_decided
                + timedelta(days=complaint.company_id.complaint_reply_window_days)
            )

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for complaint in self:
            complaint.access_url = f"/my/complaints/{complaint.id}"
        return result

    def _compute_display_name(self):
        for complaint in self:
            complaint.display_name = (
                f"{complaint.reference} {complaint.name}"
                if complaint.reference and complaint.reference != "New"
                else complaint.name
            )

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Complaint %(ref)s", ref=self.reference).replace("/", "-")

    # ------------------------------------------------------------------
    # Dates as the complainant reads them (portal, mails, letters)
    # ------------------------------------------------------------------
    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    def _principle(self, code):
        return self.env["complaint.principle"].search([("code", "=", code)], limit=1)

    def _principle_label(self, code):
        principle = self._principle(code)
        if not principle:
            return code
        return self.env._(
            "%(principle)s (ISO 10002:2018 §%(clause)s)",
            principle=principle.name,
            clause=principle.clause,
        )

    @api.depends("vulnerability_ids")
    def _compute_is_vulnerable(self):
        for complaint in self:
            complaint.is_vulnerable = bool(complaint.vulnerability_ids)

    @api.constrains("user_id", "involved_user_ids")
    def _check_objectivity(self):
        for complaint in self:
            if complaint.user_id and complaint.user_id in complaint.involved_user_ids:
                raise ValidationError(
                    self.env._(
                        "%(principle)s: %(user)s is concerned by complaint "
                        "%(ref)s and cannot handle it. Choose another handler.",
                        principle=self._principle_label("objectivity"),
                        user=complaint.user_id.name,
                        ref=complaint.reference,
                    )
                )

    @api.constrains("user_id", "team_id")
    def _check_competence(self):
        managers = self.env.ref("complaint_management.group_complaint_manager")
        for complaint in self.filtered(lambda c: c.user_id and c.team_id):
            team = complaint.team_id
            if complaint.user_id in team.user_ids | team.user_id:
                continue
            if managers in complaint.user_id.all_group_ids:
                continue
            raise ValidationError(
                self.env._(
                    "%(principle)s: %(user)s is not a member of team %(team)s, "
                    "which handles complaint %(ref)s.",
                    principle=self._principle_label("competence"),
                    user=complaint.user_id.name,
                    team=team.display_name,
                    ref=complaint.reference,
                )
            )

    @api.constrains("active", "close_reason")
    def _check_archive_reason(self):
        for complaint in self:
            if not complaint.active and not (complaint.close_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "%(principle)s: complaint %(ref)s can only be archived or "
                        "cancelled with a reason (use Cancel).",
                        principle=self._principle_label("information_integrity"),
                        ref=complaint.reference,
                    )
                )

    @api.constrains("duplicate_of_id")
    def _check_duplicate_of(self):
        for complaint in self.filtered("duplicate_of_id"):
            if complaint._has_cycle("duplicate_of_id"):
                raise ValidationError(
                    self.env._("A complaint cannot be a duplicate of itself.")
                )

    # ------------------------------------------------------------------
    # Gates (ISO 10002 clause 7 with the principles of clause 4)
    # ------------------------------------------------------------------
    def _gate_require_severity(self):
        return not self.severity and self.env._("a severity (initial assessment)")

    def _gate_require_handler(self):
        return not self.user_id and self.env._("a responsible handler")

    def _gate_require_impartial_handler(self):
        if not self.user_id:
            return self.env._("a handler")
        if self.user_id in self.involved_user_ids:
            return self.env._("a handler who is not concerned by the complaint")
        if self.user_id in self.previous_handler_ids:
            return self.env._("a handler who did not handle a previous level")
        return False

    def _gate_require_findings(self):
        return is_html_empty(self.findings) and self.env._("the investigation findings")

    def _gate_require_resolution(self):
        return is_html_empty(self.proposed_resolution) and self.env._(
            "a proposed resolution"
        )

    def _gate_require_decision(self):
        return not self.decision and self.env._(
            "the decision (upheld, partially upheld or not upheld)"
        )

    def _gate_require_root_cause(self):
        if self.duplicate_of_id:
            return False  # the original complaint carries the analysis
        return not self.root_cause_id and self.env._("a root cause")

    def _gate_require_customer_reaction(self):
        if self.duplicate_of_id or self.customer_reaction != "none":
            return False
        if self.reply_deadline and self.reply_deadline <= fields.Datetime.now():
            return False
        return self.env._(
            "the customer's reaction to the decision, or the end of the reply "
            "window (%(deadline)s)",
            deadline=self.reply_deadline or self.env._("no decision yet"),
        )

    def _gate_require_actions_done(self):
        open_actions = self.action_ids.filtered(
            lambda a: a.blocking and a.state == "open"
        )
        return open_actions and self.env._(
            "blocking actions done or cancelled (open: %(actions)s)",
            actions=", ".join(open_actions.mapped("name")),
        )

    @staticmethod
    def _is_html_empty(value):
        """For QWeb templates (the reports' letters): ``o._is_html_empty(...)``."""
        return is_html_empty(value)

    def _gate_principles(self):
        """Stage gate: the gates flagged on the stage (``GATES``), each
        naming the principle it serves."""
        self.ensure_one()
        problems = []
        for flag, principle_code in GATES.items():
            if not self.stage_id[flag]:
                continue
            missing = getattr(self, f"_gate_{flag}")()
            if missing:
                problems.append(
                    self.env._(
                        "%(principle)s requires %(missing)s.",
                        principle=self._principle_label(principle_code),
                        missing=missing,
                    )
                )
        return problems

    def _check_stage_gates(self):
        """Refuse entering a stage while a gate of the pipeline
        (``_stage_gates``) finds a problem: the refusal lists every problem,
        each naming its principle or rule, then the move refused."""
        for complaint in self:
            problems = [
                problem
                for gate in self._stage_gates
                for problem in getattr(complaint, gate)()
            ]
            if problems:
                raise UserError(
                    self.env._(
                        "%(problems)s\n"
                        'Complaint %(ref)s cannot enter stage "%(stage)s".',
                        problems="\n".join(problems),
                        ref=complaint.reference,
                        stage=complaint.stage_id.name,
                    )
                )

    def _run_stage_pipeline(self):
        """These complaints entered their stage (created, or moved by
        ``write``): the gates, then the hooks of each capability."""
        self._check_stage_gates()
        self._on_stage_entered()

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # the tracking link's token from the start: pages that show a
            # complaint (read-only requests) never have to write one
            vals.setdefault("access_token", str(uuid.uuid4()))
            company = self.env["res.company"].browse(
                vals.get("company_id") or self.env.company.id
            )
            if vals.get("reference", "New") == "New":
                vals["reference"] = (
                    self.env["ir.sequence"]
                    .with_company(company)
                    .next_by_code("complaint.complaint")
                    or "New"
                )
            if not vals.get("partner_id") and vals.get("partner_email"):
                vals["partner_id"] = self._find_or_create_partner(
                    vals["partner_email"], vals.get("partner_name")
                ).id
            if vals.get("severity") and "priority" not in vals:
                vals["priority"] = SEVERITY_PRIORITY[vals["severity"]]
            vals.setdefault("date_last_stage_update", fields.Datetime.now())
        complaints = super().create(vals_list)
        for complaint in complaints.filtered(
            lambda c: c.partner_id and not c.is_anonymous
        ):
            complaint.message_subscribe(partner_ids=complaint.partner_id.ids)
        complaints._run_stage_pipeline()
        complaints.filtered(lambda c: c.severity == "critical")._notify_critical()
        to_acknowledge = complaints.filtered(
            lambda c: c.step == "new" and c.company_id.complaint_auto_acknowledge
        )
        if to_acknowledge:
            to_acknowledge._move_to_step("acknowledged")
        for hook in self._created_hooks:
            getattr(complaints, hook)()
        return complaints

    def write(self, vals):
        """The write pipeline: the values pass through ``_write_vals_hooks``;
        complaints that changed stage run the stage pipeline; then
        ``_written_hooks`` (readme: Stage pipeline)."""
        for hook in self._write_vals_hooks:
            vals = getattr(self, hook)(vals)
        if vals.get("severity") and "priority" not in vals:
            vals = dict(vals, priority=SEVERITY_PRIORITY[vals["severity"]])
        previous_stage = {}
        if "stage_id" in vals:
            previous_stage = {c.id: c.stage_id for c in self}
            vals = dict(vals, date_last_stage_update=fields.Datetime.now())
        newly_critical = (
            self.filtered(lambda c: c.severity != "critical")
            if vals.get("severity") == "critical"
            else self.browse()
        )
        result = super().write(vals)
        if vals.get("is_anonymous") or vals.get("partner_id"):
            # an anonymous complainant does not follow (see) the chatter
            for complaint in self.filtered("is_anonymous"):
                complaint.message_unsubscribe(partner_ids=complaint.partner_id.ids)
        if previous_stage:
            self.filtered(
                lambda c: c.stage_id != previous_stage[c.id]
            )._run_stage_pipeline()
        if newly_critical:
            newly_critical._notify_critical()
        for hook in self._written_hooks:
            getattr(self, hook)(vals)
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_by_administrator(self):
        if not self.env.user.has_group("base.group_system"):
            raise UserError(
                self.env._(
                    "%(principle)s: complaints are never deleted. Cancel or "
                    "archive them with a reason instead.",
                    principle=self._principle_label("information_integrity"),
                )
            )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def _stage_for_step(self, step):
        return self.env["complaint.stage"].search([("step", "=", step)], limit=1)

    def _move_to_step(self, step):
        stage = self._stage_for_step(step)
        if not stage:
            raise UserError(
                self.env._(
                    "No active stage is configured for step %(step)s.", step=step
                )
            )
        self.write({"stage_id": stage.id})

    def _step_dates(self):
        """{step: when the complaint entered it}, for the dated steps."""
        self.ensure_one()
        return {step: self[fname] for step, fname in STEP_DATE_FIELDS.items()}

    def _on_stage_entered(self):
        """The hooks of the stage pipeline (``_stage_entered_hooks``), in
        their order, for complaints that entered their stage past its gates."""
        for hook in self._stage_entered_hooks:
            getattr(self, hook)()

    def _record_step_dates(self):
        """Stage hook: record the dates of clause 7 (a reopened complaint
        forgets its closing date)."""
        now = fields.Datetime.now()
        for step, fname in STEP_DATE_FIELDS.items():
            # received: set at creation; acknowledged: by the acknowledgement
            if step in ("new", "acknowledged"):
                continue
            entered = self.filtered(lambda c, s=step: c.step == s)
            if entered:
                entered.write({fname: now})
        reopened = self.filtered(lambda c: c.date_closed and c.step != STEP_CLOSED)
        if reopened:
            reopened.write({"date_closed": False})

    def _send_stage_letters(self):
        """Stage hook: the acknowledgement once a complaint reaches the
        acknowledged step, and the letter of the stage entered."""
        self.filtered(
            lambda c: (
                not c.date_acknowledged
                and STEP_ORDER.get(c.step, 0) >= STEP_ORDER["acknowledged"]
            )
        )._send_acknowledgement()
        stage_letters = self.filtered(
            lambda c: c.stage_id.mail_template_id and c.step != "acknowledged"
        )
        for template, complaints in stage_letters.grouped(
            lambda c: c.stage_id.mail_template_id
        ).items():
            complaints._queue_letter(template)

    def _notify_critical(self):
        """A critical complaint (health, safety) alerts the team manager at once."""
        for complaint in self:
            manager = (
                complaint.team_id.user_id or complaint.company_id.complaint_manager_id
            )
            if not manager:
                continue
            complaint.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=manager.id,
                summary=self.env._("Critical complaint: act now"),
                note=self.env._(
                    "%(principle)s: complaint %(ref)s was assessed as critical.",
                    principle=self._principle_label("responsiveness"),
                    ref=complaint.reference,
                ),
            )

    def action_assign_to_me(self):
        self.check_access("write")
        self.write({"user_id": self.env.user.id})

    def action_next_step(self):
        """Move each complaint to the first stage of the next step."""
        self.check_access("write")
        stages = self.env["complaint.stage"].search([])  # pylint: disable=no-search-all
        for complaint in self:
            order = STEP_ORDER.get(complaint.step, 0)
            following = stages.filtered(
                lambda s, o=order: STEP_ORDER[s.step] > o and not s.pause_sla
            )
            if not following:
                raise UserError(self.env._("The complaint is already closed."))
            complaint.stage_id = following[0]

    def action_customer_accept(self, note=None):
        """Record the customer's acceptance of the decision: by a handler of
        the complaint (an answer given by phone or letter), or by the portal
        controller once it checked the customer's access."""
        self._set_customer_reaction("accepted", note)

    def action_customer_reject(self, note=None):
        """Record the customer's rejection (see action_customer_accept)."""
        self._set_customer_reaction("rejected", note)
        last_level = self.filtered(
            lambda c: c.escalation_level >= c.company_id.complaint_appeal_levels
        )
        for complaint in last_level:
            complaint._record_external_referral()

    def _set_customer_reaction(self, reaction, note):
        # The caller's rights: a read-only user is refused before anything
        # changes (the portal calls this on a record it elevated itself).
        self.check_access("write")
        for complaint in self:
            if complaint.step != "decided" or complaint.customer_reaction != "none":
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s has no decision waiting for your answer.",
                        ref=complaint.reference,
                    )
                )
        self.write(
            {
                "customer_reaction": reaction,
                "customer_reaction_date": fields.Datetime.now(),
                "customer_reaction_note": note or False,
            }
        )

    def action_reopen(self):
        self.check_access("write")
        for complaint in self:
            window = timedelta(days=complaint.company_id.complaint_reopen_window_days)
            if complaint.step != STEP_CLOSED:
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s is not closed.", ref=complaint.reference
                    )
                )
            if (
                not complaint.date_closed
                or complaint.date_closed + window < fields.Datetime.now()
            ):
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s was closed more than %(days)s days ago and "
                        "can no longer be reopened; file a new complaint instead.",
                        ref=complaint.reference,
                        days=complaint.company_id.complaint_reopen_window_days,
                    )
                )
        self._move_to_step("investigating")

    def action_mark_duplicate(self, original, reason):
        """Merge into ``original``: messages, attachments and followers move;
        the duplicate is closed with the reason and points to the original."""
        if not isinstance(original, models.BaseModel):  # an id, over RPC
            original = self.browse(original)
        original.ensure_one()
        if original in self:
            raise UserError(self.env._("A complaint cannot be a duplicate of itself."))
        if original.duplicate_of_id:
            original = original.duplicate_of_id
        if not (reason or "").strip():
            raise UserError(self.env._("Please give the reason for the merge."))
        # Both complaints must be the caller's to change before their
        # messages and attachments move (which needs rights on mail.message).
        (self | original).check_access("write")
        Message = self.env["mail.message"].sudo()
        Message.search([("model", "=", self._name), ("res_id", "in", self.ids)]).write(
            {"res_id": original.id}
        )
        self.env["ir.attachment"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        ).write({"res_id": original.id})
        original.message_subscribe(partner_ids=self.message_partner_ids.ids)
        for complaint in self:
            original.message_post(
                body=Markup(
                    self.env._("Complaint %(ref)s was merged into this one: %(reason)s")
                )
                % {"ref": complaint._get_html_link(), "reason": reason}
            )
        self.write(
            {
                "duplicate_of_id": original.id,
                "close_reason": reason,
                "stage_id": self._stage_for_step(STEP_CLOSED).id,
            }
        )
        for complaint in self:
            complaint.message_post(
                body=Markup(self.env._("Merged into %(ref)s: %(reason)s"))
                % {"ref": original._get_html_link(), "reason": reason}
            )
        return original

    def action_cancel(self, reason):
        self.check_access("write")
        if not (reason or "").strip():
            raise UserError(self.env._("Please give the reason for cancelling."))
        self.write({"close_reason": reason, "active": False})
        for complaint in self:
            complaint.message_post(
                body=self.env._("Cancelled: %(reason)s", reason=reason)
            )

    def action_open_cancel_wizard(self):
        return self._wizard_action("complaint.cancel.wizard", self.env._("Cancel"))

    def action_open_duplicate_wizard(self):
        return self._wizard_action(
            "complaint.duplicate.wizard", self.env._("Mark as duplicate")
        )

    def _wizard_action(self, model, name):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_ids": self.ids},
        }

    def _get_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "stage_id" in init_values:
            return self.env.ref("complaint_management.mt_complaint_stage")
        return super()._track_subtype(init_values)

    def _creation_message(self):
        """The creation's line in the log says how the complaint came in when
        the creating form tells it (``complaint_creation_note``): one message
        instead of a creation line and a note."""
        return self.env.context.get(CTX_CREATION_NOTE) or super()._creation_message()

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------
    @api.model
    def _demo_build_story(self, cast):
        """Build the demo story (``demo/complaint_story_demo.xml`` calls
        this): plain Python under ``demo/``, imported here only, so that
        production databases never load it."""
        from ..demo import story  # pylint: disable=import-outside-toplevel

        return story.build(self.env, cast)
