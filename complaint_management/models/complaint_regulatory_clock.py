from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

from .complaint_todos import create_todos, notify_digest, references, todo_vals
from .cron_batches import run_in_batches

REGULATORY_STATES = [
    ("on_time", "On time"),
    ("due_soon", "Due soon"),
    ("holding_sent", "Holding response sent"),
    ("breached", "Breached"),
    ("met", "Met"),
]
# Complaints per transaction of the legal-clock sweep.
REGULATORY_BATCH = 1000
# What Odoo's tracking reads of a tracked field (mail.thread._message_track).
TRACKING_ATTRIBUTES = ("string", "type", "selection", "currency_field")

# Why a complaint resolved quickly got no IDR response (ASIC RG 271).
NO_RESPONSE_REASONS = [
    ("satisfied", "Resolved to the complainant's satisfaction"),
    (
        "explained",
        "Explanation or apology given; no further action reasonably available",
    ),
]


class ComplaintRegulatoryClock(models.AbstractModel):
    """The legal clock of a complaint under its regulatory profile.

    It starts at receipt and nothing pauses it: no stage, no waiting for the
    customer (the operational SLA of ``complaint.sla`` keeps its own pause
    rules). Mixed into ``complaint.complaint``."""

    _name = "complaint.regulatory.clock"
    _description = "Complaint legal clock"

    regulatory_profile_id = fields.Many2one(
        "complaint.regulatory.profile",
        string="Regulatory profile",
        compute="_compute_regulatory_profile_id",
        store=True,
        precompute=True,
        readonly=False,
        tracking=True,
        index="btree_not_null",
        help="Set at receipt from the category (override) or the company; "
        "changing it plans the legal deadlines again.",
    )
    regulatory_ack_deadline = fields.Datetime(
        string="Legal acknowledgement deadline",
        compute="_compute_regulatory_deadlines",
        store=True,
        precompute=True,
    )
    regulatory_deadline = fields.Datetime(
        string="Legal final-response deadline",
        compute="_compute_regulatory_deadlines",
        store=True,
        precompute=True,
        index="btree_not_null",
    )
    regulatory_extended_deadline = fields.Datetime(
        string="Legal extended deadline",
        compute="_compute_regulatory_deadlines",
        store=True,
        precompute=True,
    )
    regulatory_summary_deadline = fields.Datetime(
        string="Summary resolution until",
        compute="_compute_regulatory_deadlines",
        store=True,
        precompute=True,
    )
    regulatory_holding_date = fields.Datetime(
        string="Holding response sent", readonly=True, copy=False
    )
    regulatory_holding_reason = fields.Text(
        string="Reasons for the delay",
        readonly=True,
        copy=False,
        help="Entered by the handler who sent the holding response and stated "
        "in it (FCA DISP 1.6.2R(2)(a), 1.6.2AR(2)).",
    )
    regulatory_holding_expected_date = fields.Datetime(
        string="Final response expected by",
        readonly=True,
        copy=False,
        help="Stated in the holding response; under FCA DISP 1.6.2AR(2) at "
        "most 35 business days after receipt (the extended deadline).",
    )
    regulatory_resolved_date = fields.Datetime(
        string="Resolved on",
        readonly=True,
        copy=False,
        help="When the complainant accepted the resolution (FCA DISP "
        "1.5.2AR); the summary resolution window is about this date, not the "
        "day the letter goes out.",
    )
    regulatory_no_response_reason = fields.Selection(
        NO_RESPONSE_REASONS,
        string="No IDR response because",
        readonly=True,
        copy=False,
        help="ASIC RG 271: no IDR response is needed for a complaint closed "
        "this way by the end of the fifth business day after receipt, unless "
        "the complainant asks for one in writing or it is about hardship or a "
        "default notice.",
    )
    regulatory_response_requested = fields.Boolean(
        string="Written response requested",
        readonly=True,
        copy=False,
        help="The complainant asked for a written response: the quick "
        "resolution does not spare it.",
    )
    # Computed when what it depends on changes; the passing of time moves it
    # through the sweep (_cron_regulatory_clock), which writes it.
    regulatory_state = fields.Selection(
        REGULATORY_STATES,
        string="Legal clock",
        compute="_compute_regulatory_state",
        store=True,
        precompute=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
    )
    regulatory_met_date = fields.Datetime(
        string="Legal deadline met on",
        compute="_compute_regulatory_state",
        store=True,
        precompute=True,
        copy=False,
    )
    regulatory_summary_date = fields.Datetime(
        string="Summary resolution sent", readonly=True, copy=False
    )
    regulatory_waiver_consent = fields.Selection(
        [
            ("consent", "The firm consents to waive the referral time limit"),
            ("no_consent", "The firm does not consent to waive it"),
        ],
        string="Referral time-limit waiver",
        tracking=True,
        help="Stated in the final response where the profile requires it "
        "(FCA DISP 1.6.2R: the Financial Ombudsman Service's time limits).",
    )
    redress_amount = fields.Monetary(
        currency_field="redress_currency_id",
        tracking=True,
        help="Money paid or credited to the complainant (regulator returns).",
    )
    redress_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_redress_currency_id",
        store=True,
        precompute=True,
        readonly=False,
    )
    redress_amount_company = fields.Monetary(
        string="Redress in company currency",
        currency_field="company_currency_id",
        compute="_compute_redress_amount_company",
        store=True,
        precompute=True,
        help="The redress converted to the company's currency at the rate of "
        "the final response's date (of receipt while undecided): what returns, "
        "outcome analyses and redress programmes add up.",
    )
    company_currency_id = fields.Many2one(
        "res.currency", compute="_compute_company_currency_id"
    )
    redress_type = fields.Selection(
        [
            ("none", "None"),
            ("compensation", "Compensation"),
            ("refund", "Refund"),
            ("goodwill", "Goodwill payment"),
            ("fee_waiver", "Fee or charge waived"),
            ("other", "Other"),
        ],
        tracking=True,
    )

    @api.depends("category_id.regulatory_profile_id", "company_id")
    def _compute_regulatory_profile_id(self):
        for complaint in self:
            complaint.regulatory_profile_id = (
                complaint.category_id.regulatory_profile_id
                or complaint.company_id.complaint_regulatory_profile_id
            )

    @api.depends("company_id")
    def _compute_redress_currency_id(self):
        for complaint in self:
            complaint.redress_currency_id = complaint.company_id.currency_id

    @api.depends("company_id")
    def _compute_company_currency_id(self):
        for complaint in self:
            complaint.company_currency_id = complaint.company_id.currency_id

    @api.depends("redress_amount", "redress_currency_id", "company_id", "date_decided")
    def _compute_redress_amount_company(self):
        for complaint in self:
            amount = complaint.redress_amount
            company = complaint.company_id
            currency = complaint.redress_currency_id
            if amount and currency and company and currency != company.currency_id:
                amount = currency._convert(
                    amount,
                    company.currency_id,
                    company,
                    (complaint.date_decided or complaint.date_received).date(),
                )
            complaint.redress_amount_company = amount

    # the complainant's region picks the calendar when the clock is planned
    # (at receipt, or on a change of profile); a later move does not replan
    @api.depends("regulatory_profile_id", "date_received")
    def _compute_regulatory_deadlines(self):
        planned = self.env["complaint.regulatory.profile"]._plan(self)
        for complaint in self:
            deadlines = planned.get(complaint.id, {})
            complaint.regulatory_ack_deadline = deadlines.get("ack", False)
            complaint.regulatory_deadline = deadlines.get("final", False)
            complaint.regulatory_extended_deadline = deadlines.get("extended", False)
            complaint.regulatory_summary_deadline = deadlines.get("summary", False)

    # ------------------------------------------------------------------
    # State of the clock
    # ------------------------------------------------------------------
    def _regulatory_holding_in_time(self):
        """A holding response went out by the final-response deadline: only
        then does it extend the deadline (PSD) or meet it (DISP 1.6.2R(2))."""
        self.ensure_one()
        return bool(
            self.regulatory_holding_date
            and self.regulatory_deadline
            and self.regulatory_holding_date <= self.regulatory_deadline
        )

    def _regulatory_holding_meets_deadline(self):
        """The holding response sent in time is itself the lawful response
        (FCA DISP 1.6.2R(2); Central Bank of Ireland: the update with the
        reasons and the expected date): no extended deadline follows."""
        self.ensure_one()
        return (
            self.regulatory_profile_id.holding_meets_deadline
            and not self.regulatory_extended_deadline
            and self._regulatory_holding_in_time()
        )

    def _regulatory_effective_deadline(self):
        """The final-response deadline in force: the extended one once a
        holding response went out in time (where the profile has one)."""
        self.ensure_one()
        if self.regulatory_extended_deadline and self._regulatory_holding_in_time():
            return self.regulatory_extended_deadline
        return self.regulatory_deadline

    def _regulatory_answer_by(self):
        """When the complainant was told the final response will come: the
        date the holding response gave, else the deadline in force."""
        self.ensure_one()
        return (
            self.regulatory_holding_date and self.regulatory_holding_expected_date
        ) or self._regulatory_effective_deadline()

    def _regulatory_referral_open_from(self):
        """From when the complainant may refer to the referral body without
        a final response: once the deadline in force has passed (FCA DISP
        2.8.1R(2): eight weeks; (2A): 15 business days, or 35 after a
        holding response)."""
        self.ensure_one()
        deadline = self._regulatory_effective_deadline()
        return deadline and deadline + timedelta(seconds=1)

    def _regulatory_resolved_quickly(self):
        """Resolved within the summary resolution window and answered as the
        profile asks: a summary resolution communication (FCA DISP 1.5.4R),
        or the reason no IDR response was needed (ASIC RG 271)."""
        self.ensure_one()
        window = self.regulatory_summary_deadline
        resolved = self.regulatory_resolved_date
        if not (window and resolved and resolved <= window):
            return False
        if self.regulatory_profile_id.summary_mode == "no_response":
            return bool(
                self.regulatory_no_response_reason
                and not self.regulatory_response_requested
            )
        return bool(self.regulatory_summary_date)

    def _regulatory_state_at(self, now):
        self.ensure_one()
        if not self.regulatory_profile_id or not self.regulatory_deadline:
            return False
        if self._regulatory_resolved_quickly():
            return "met"
        deadline = self._regulatory_effective_deadline()
        lawful_holding = self._regulatory_holding_meets_deadline()
        if self.date_decided:
            return (
                "met" if self.date_decided <= deadline or lawful_holding else "breached"
            )
        if lawful_holding:
            return "holding_sent"
        if now > deadline:
            return "breached"
        if self.regulatory_holding_date:
            return "holding_sent"
        soon = timedelta(days=self.regulatory_profile_id.due_soon_days)
        if now >= self.regulatory_deadline - soon:
            return "due_soon"
        return "on_time"

    @api.depends(
        "regulatory_deadline",
        "regulatory_extended_deadline",
        "regulatory_holding_date",
        "regulatory_summary_deadline",
        "regulatory_summary_date",
        "regulatory_resolved_date",
        "regulatory_no_response_reason",
        "regulatory_response_requested",
        "date_decided",
    )
    def _compute_regulatory_state(self):
        now = fields.Datetime.now()
        for complaint in self:
            state = complaint._regulatory_state_at(now)
            complaint.regulatory_state = state
            quick = state == "met" and complaint._regulatory_resolved_quickly()
            complaint.regulatory_met_date = state == "met" and (
                complaint.regulatory_resolved_date if quick else complaint.date_decided
            )

    def _regulatory_update_state(self, now=None):
        """What the passing of time changes: write the state of these clocks,
        one write per state value. Returns the complaints changed, by state."""
        now = now or fields.Datetime.now()
        changed = {}
        for complaint in self:
            state = complaint._regulatory_state_at(now)
            if state != complaint.regulatory_state:
                changed.setdefault(state, self.browse())
                changed[state] |= complaint
        for state, complaints in changed.items():
            complaints.write({"regulatory_state": state})
        return changed

    # ------------------------------------------------------------------
    # Letters the rules require
    # ------------------------------------------------------------------
    def _regulatory_missing_blocks(self):
        """What the final response under the profile would lack."""
        self.ensure_one()
        profile = self.regulatory_profile_id
        missing = []
        if profile.require_referral_block:
            if not profile.referral_partner_id:
                missing.append(self.env._("the referral body (set it on the profile)"))
            elif not profile.referral_partner_id.website:
                missing.append(self.env._("the referral body's website"))
        if profile.require_waiver_choice and not self.regulatory_waiver_consent:
            missing.append(
                self.env._("whether the firm consents to waive the referral time limit")
            )
        return missing

    def _regulatory_check_final_response(self):
        """Stage gate (``_stage_gates`` of the complaint): a decision (the
        final response) cannot go out under a profile while a mandatory
        letter block is missing; the problem names the rule (the profile's
        citation)."""
        self.ensure_one()
        if self.step != "decided" or not self.regulatory_profile_id:
            return []
        missing = self._regulatory_missing_blocks()
        if not missing:
            return []
        return [
            self.env._(
                "%(rule)s: the final response to complaint %(ref)s must "
                "state %(missing)s.",
                rule=self.regulatory_profile_id.citation,
                ref=self.reference,
                missing="; ".join(missing),
            )
        ]

    def _regulatory_check_resolution(self, resolved):
        """A quick resolution counts only within the summary resolution
        window, measured at the resolution (``resolved``, naive UTC)."""
        for complaint in self:
            deadline = complaint.regulatory_summary_deadline
            if not deadline or resolved > deadline:
                raise UserError(
                    self.env._(
                        "%(rule)s: complaint %(ref)s was not resolved within its "
                        "summary resolution window; send a final response.",
                        rule=complaint.regulatory_profile_id.citation
                        or self.env._("No regulatory profile"),
                        ref=complaint.reference,
                    )
                )

    def action_send_summary_resolution(self):
        """Resolved within the summary window (FCA DISP 1.5): a summary
        resolution communication instead of a full final response, sent
        promptly; the window is about the resolution date (recorded, now if
        none), so a complaint resolved in time may be written to later."""
        self.check_access("write")
        template = self.env.ref(
            "complaint_management.mail_template_complaint_summary_resolution"
        )
        now = fields.Datetime.now()
        todo = self.filtered(lambda c: not c.regulatory_summary_date)
        for complaint in todo:
            profile = complaint.regulatory_profile_id
            if profile.summary_mode == "no_response":
                raise UserError(
                    self.env._(
                        "%(rule)s: complaint %(ref)s needs no summary resolution "
                        "communication; record the resolution instead.",
                        rule=profile.citation,
                        ref=complaint.reference,
                    )
                )
            complaint._regulatory_check_resolution(
                complaint.regulatory_resolved_date or now
            )
            if (
                profile.require_waiver_choice
                and not complaint.regulatory_waiver_consent
            ):
                raise UserError(
                    self.env._(
                        "FCA DISP 1.5.4R(3): the summary resolution communication "
                        "for complaint %(ref)s must state whether the firm "
                        "consents to waive the referral time limit.",
                        ref=complaint.reference,
                    )
                )
        # once, for all of them (as the holding response)
        todo.filtered(lambda c: not c.regulatory_resolved_date).write(
            {"regulatory_resolved_date": now}
        )
        todo.write({"regulatory_summary_date": now})
        todo._queue_letter(template)
        return True

    def action_record_resolution(
        self, resolved_date=None, no_response_reason=False, response_requested=False
    ):
        """Record that the complainant accepted the resolution, when. Under a
        profile whose quick resolutions need no written response (ASIC RG
        271), with the reason no IDR response is sent; otherwise the summary
        resolution communication goes out (FCA DISP 1.5.4R)."""
        self.check_access("write")
        resolved = fields.Datetime.to_datetime(resolved_date) or fields.Datetime.now()
        if resolved > fields.Datetime.now():
            raise UserError(self.env._("A resolution date cannot be in the future."))
        self._regulatory_check_resolution(resolved)
        silent = self.filtered(
            lambda c: c.regulatory_profile_id.summary_mode == "no_response"
        )
        if silent and not no_response_reason:
            raise UserError(
                self.env._(
                    "%(rule)s: say why no IDR response is needed.",
                    rule=silent[0].regulatory_profile_id.citation,
                )
            )
        silent.write(
            {
                "regulatory_resolved_date": resolved,
                "regulatory_no_response_reason": no_response_reason,
                "regulatory_response_requested": bool(response_requested),
            }
        )
        written = self - silent
        if written:
            written.write({"regulatory_resolved_date": resolved})
            written.action_send_summary_resolution()
        return True

    # ------------------------------------------------------------------
    # Holding response and the sweep
    # ------------------------------------------------------------------
    def _regulatory_send_holding(self, reason=None, expected=None):
        """The holding response (FCA), delay notification (ASIC IDR) or
        "in progress" response (CFPB): once per complaint. Where the profile
        makes it the handler's decision (FCA DISP 1.6.2R(2)(a), 1.6.2AR(2);
        CBI), it states the reasons for the delay and when the final response
        will come (``expected``; by default the extended deadline, never
        after it)."""
        todo = self.filtered(
            lambda c: not c.regulatory_holding_date and not c.date_decided
        )
        if not todo:
            return todo
        reason = (reason or "").strip()
        expected = fields.Datetime.to_datetime(expected) if expected else False
        for complaint in todo:
            profile = complaint.regulatory_profile_id
            if profile.holding_requires_reason and not reason:
                raise UserError(
                    self.env._(
                        "%(rule)s: the holding response to complaint %(ref)s must "
                        "give the reasons for the delay.",
                        rule=profile.citation,
                        ref=complaint.reference,
                    )
                )
            if profile.holding_requires_reason and not (
                expected or complaint.regulatory_extended_deadline
            ):
                raise UserError(
                    self.env._(
                        "%(rule)s: the holding response to complaint %(ref)s must "
                        "say when the final response will be sent.",
                        rule=profile.citation,
                        ref=complaint.reference,
                    )
                )
            if expected and expected < fields.Datetime.now():
                raise UserError(
                    self.env._(
                        "The final response to complaint %(ref)s cannot be "
                        "promised for a date already past.",
                        ref=complaint.reference,
                    )
                )
            limit = complaint.regulatory_extended_deadline
            if expected and limit and expected > limit:
                raise UserError(
                    self.env._(
                        "%(rule)s: the final response to complaint %(ref)s "
                        "cannot be promised after %(limit)s.",
                        rule=profile.citation,
                        ref=complaint.reference,
                        limit=complaint._customer_datetime(limit),
                    )
                )
        vals = {"regulatory_holding_date": fields.Datetime.now()}
        if reason:
            vals["regulatory_holding_reason"] = reason
        for limit, complaints in todo.grouped(
            lambda c: expected or c.regulatory_extended_deadline
        ).items():
            complaints.write({**vals, "regulatory_holding_expected_date": limit})
        template = self.env.ref(
            "complaint_management.mail_template_complaint_holding",
            raise_if_not_found=False,
        )
        todo._queue_letter(template)
        return todo

    def _regulatory_holding_by_sweep(self):
        """The complaints due soon whose holding response the sweep sends:
        never where it is the handler's decision with the reasons."""
        return self.filtered(
            lambda c: (
                c.regulatory_profile_id.send_holding_response
                and not c.regulatory_profile_id.holding_requires_reason
            )
        )

    def action_send_holding_response(self, reason=None, expected=None):
        self.check_access("write")
        self._regulatory_send_holding(reason, expected)
        return True

    def action_open_holding_wizard(self):
        return self._regulatory_wizard_action(
            "holding", self.env._("Send holding response")
        )

    def action_open_resolution_wizard(self):
        return self._regulatory_wizard_action(
            "resolution", self.env._("Resolved quickly")
        )

    def _regulatory_wizard_action(self, kind, name):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "complaint.regulatory.response.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_ids": self.ids, "default_kind": kind},
        }

    @api.model
    def _cron_regulatory_clock(self, now=None, batch_size=REGULATORY_BATCH):
        """Sweep of the open legal clocks whose state the passing of time
        changes: due soon (holding response sent once, handler warned),
        breached (handler told once). The candidates are claimed in batches
        by increasing id (``FOR UPDATE SKIP LOCKED``: a complaint another
        worker holds is left to it), each batch committed
        (``run_in_batches``). Returns how many complaints changed state, per
        state."""
        now = now or fields.Datetime.now()
        horizon = now + timedelta(days=max(self._max_due_soon_days(), 0))
        candidates = (
            Domain("regulatory_deadline", "!=", False)
            & Domain("date_decided", "=", False)
            & Domain("regulatory_state", "in", ("on_time", "due_soon", "holding_sent"))
            & Domain("regulatory_deadline", "<=", horizon)
        )
        # A candidate whose state does not change stays one: the claims move
        # past the last id of the last committed batch (a batch rolled back
        # on a conflict claims the same complaints again).
        progress = {"done_up_to": 0, "claimed_up_to": 0, "batch": {}}
        changed = defaultdict(int)

        def batch(size):
            self.flush_model()  # raw SQL: the ORM's pending writes first
            query = self._search(candidates & Domain("id", ">", progress["done_up_to"]))
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM complaint_complaint WHERE id IN %s "
                    "ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
                    query.subselect(),
                    size,
                )
            )
            ids = [row[0] for row in self.env.cr.fetchall()]
            progress["claimed_up_to"] = max(ids, default=progress["done_up_to"])
            progress["batch"] = self.browse(ids)._regulatory_sweep(now)
            return len(ids)

        def committed(_count, _seconds):
            progress["done_up_to"] = progress["claimed_up_to"]
            for state, complaints in progress["batch"].items():
                changed[state] += len(complaints)

        run_in_batches(
            self.env,
            batch,
            batch_size,
            cron_xmlid="complaint_management.ir_cron_complaint_regulatory_clock",
            on_batch=committed,
        )
        return dict(changed)

    def _regulatory_sweep(self, now):
        """One batch of the sweep: write the states the passing of time
        changed, send the holding responses due, and tell the handlers (the
        activities in one create, one e-mail per handler and state).
        Returns the complaints changed, by state.

        The states are written without Odoo's tracking (two inserts per
        complaint) and logged in the chatter as tracking logs them, with one
        message create for the batch (``_regulatory_log_states``)."""
        if not self.env.context.get("mail_notrack"):
            return self.with_context(mail_notrack=True)._regulatory_sweep(now)
        before = {complaint.id: complaint.regulatory_state for complaint in self}
        changed = self._regulatory_update_state(now)
        soon = changed.get("due_soon", self.browse())
        soon._regulatory_holding_by_sweep()._regulatory_send_holding()
        today = fields.Date.context_today(self)
        activities = []
        for state, summary in (
            ("due_soon", self.env._("Legal deadline near")),
            ("breached", self.env._("Legal deadline missed")),
        ):
            told = changed.get(state, self.browse()).filtered("user_id")
            activities += [
                dict(
                    todo_vals(complaint, complaint.user_id, today, summary),
                    automated=True,
                )
                for complaint in told
            ]
            for user, complaints in told.grouped("user_id").items():
                notify_digest(
                    complaints,
                    user,
                    summary,
                    self.env._(
                        "%(summary)s: %(refs)s",
                        summary=summary,
                        refs=references(complaints),
                    ),
                )
        create_todos(self.env, activities)
        self._regulatory_log_states(before)
        return changed

    def _regulatory_log_states(self, before):
        """Log in the chatter the legal-clock states that changed since
        ``before`` ({complaint id: state}), as Odoo's tracking would (a note
        with the tracking value, by the current user), for all of these
        complaints in one message create."""
        fname = "regulatory_state"
        moved = self.filtered(lambda c: c[fname] != before[c.id])
        if not moved:
            return
        col_info = self.fields_get([fname], attributes=TRACKING_ATTRIBUTES)[fname]
        author_id, email_from = moved._message_compute_author()
        base = {
            "model": self._name,
            "author_id": author_id,
            "email_from": email_from,
            # computed once, not by each message (as _message_log_batch does)
            "reply_to": self.env["mail.thread"]._notify_get_reply_to(
                default=email_from, author_id=author_id
            )[False],
            "message_type": "notification",
            "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
            "is_internal": True,
            "body": "",
        }
        messages = moved.sudo()._message_create(
            [dict(base, res_id=complaint.id) for complaint in moved]
        )
        Tracking = self.env["mail.tracking.value"].sudo()
        Tracking.create(
            [
                dict(
                    Tracking._create_tracking_values(
                        before[complaint.id],
                        complaint[fname],
                        fname,
                        col_info,
                        complaint,
                    ),
                    mail_message_id=message.id,
                )
                for complaint, message in zip(moved, messages, strict=True)
            ]
        )

    @api.model
    def _max_due_soon_days(self):
        [(days,)] = self.env["complaint.regulatory.profile"]._read_group(
            [("active", "in", (True, False))], aggregates=["due_soon_days:max"]
        )
        return days or 0
