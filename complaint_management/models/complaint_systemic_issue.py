import math
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .insight_statistics import rate_ratio_ci

ISSUE_STATES = [("open", "Open"), ("monitoring", "Monitoring"), ("closed", "Closed")]
EFFECT_STATES = [
    ("pending", "Actions not all done"),
    ("too_early", "Too early to tell"),
    ("effective", "Effective"),
    ("not_shown", "Not shown effective"),
]


class ComplaintSystemicIssue(models.Model):
    """One underlying problem behind many complaints (ISO 10002 §8.3-8.7):
    its complaints, root causes, corrective and preventive actions, the
    redress programme, and whether the actions reduced the complaints."""

    _name = "complaint.systemic.issue"
    _description = "Complaints Systemic Issue"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "state_sequence, id desc"

    name = fields.Char(required=True, tracking=True)
    description = fields.Html()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    owner_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        tracking=True,
    )
    state = fields.Selection(
        ISSUE_STATES, default="open", required=True, tracking=True, index=True
    )
    state_sequence = fields.Integer(compute="_compute_state_sequence", store=True)
    complaint_ids = fields.One2many(
        "complaint.complaint", "systemic_issue_id", string="Complaints"
    )
    root_cause_ids = fields.Many2many(
        "complaint.root.cause",
        "complaint_systemic_issue_root_cause_rel",
        "issue_id",
        "root_cause_id",
        string="Root causes",
    )
    action_ids = fields.One2many(
        "complaint.action", "systemic_issue_id", string="Actions"
    )
    signal_ids = fields.One2many("complaint.harm.signal", "systemic_issue_id")
    customers_affected = fields.Integer(
        string="Customers affected (estimate)",
        tracking=True,
        help="The firm's estimate of every customer affected, complainants "
        "or not (for the redress programme).",
    )
    complaint_count = fields.Integer(compute="_compute_redress_programme")
    redress_count = fields.Integer(
        string="Complaints redressed", compute="_compute_redress_programme"
    )
    redress_total = fields.Monetary(
        string="Redress paid",
        currency_field="currency_id",
        compute="_compute_redress_programme",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    # Did the action work?
    effect_weeks = fields.Integer(
        string="Weeks compared",
        default=8,
        help="Complaints in this many weeks before the last action was done "
        "are compared with as many weeks after.",
    )
    effect_date = fields.Date(
        string="Last action done on", compute="_compute_effect", store=False
    )
    effect_before = fields.Integer(
        string="Complaints before", compute="_compute_effect"
    )
    effect_after = fields.Integer(string="Complaints after", compute="_compute_effect")
    effect_ratio = fields.Float(
        string="Rate ratio", digits=(16, 3), compute="_compute_effect"
    )
    effect_ratio_low = fields.Float(
        string="95 % CI from", digits=(16, 3), compute="_compute_effect"
    )
    effect_ratio_high = fields.Float(
        string="95 % CI to", digits=(16, 3), compute="_compute_effect"
    )
    effect_state = fields.Selection(
        EFFECT_STATES, string="Action effectiveness", compute="_compute_effect"
    )

    @api.depends("state")
    def _compute_state_sequence(self):
        order = {code: index for index, (code, _label) in enumerate(ISSUE_STATES)}
        for issue in self:
            issue.state_sequence = order.get(issue.state, 0)

    @api.depends("complaint_ids.redress_amount_company")
    def _compute_redress_programme(self):
        """Count and total redress of the linked complaints, one grouped query
        for all the issues (as superuser: the programme counts every complaint,
        whichever team handles it)."""
        Complaint = self.env["complaint.complaint"].sudo()
        domain = [("systemic_issue_id", "in", self.ids)]
        counts = dict(Complaint._read_group(domain, ["systemic_issue_id"], ["__count"]))
        redressed = {
            issue: (count, total)
            for issue, count, total in Complaint._read_group(
                [*domain, ("redress_amount", ">", 0)],
                ["systemic_issue_id"],
                # in the company's currency, whatever the complaint's
                ["__count", "redress_amount_company:sum"],
            )
        }
        groups = {
            issue.id: (count, *redressed.get(issue, (0, 0.0)))
            for issue, count in counts.items()
        }
        for issue in self:
            count, redressed, total = groups.get(issue._origin.id, (0, 0, 0.0))
            issue.complaint_count = count
            issue.redress_count = redressed
            issue.redress_total = total

    # ------------------------------------------------------------------
    # Did the action work?
    # ------------------------------------------------------------------
    @api.depends(
        "action_ids.state",
        "action_ids.date_done",
        "effect_weeks",
        "root_cause_ids",
        "complaint_ids",
    )
    @api.depends_context("effect_now")
    def _compute_effect(self):
        """Rate of the issue's complaints (linked to it, or of one of its root
        causes) in ``effect_weeks`` weeks before the day the last action was
        done against the weeks after it (up to now): rate ratio with the
        exact conditional 95 % interval (see insight_statistics). One query
        for all the issues."""
        now = self.env.context.get("effect_now") or fields.Datetime.now()
        windows = {}
        for issue in self:
            actions = issue.action_ids.filtered(lambda a: a.state != "cancel")
            if actions and all(a.state == "done" and a.date_done for a in actions):
                pivot = datetime.combine(max(actions.mapped("date_done")), time.min)
                span = timedelta(weeks=issue.effect_weeks or 8)
                windows[issue._origin.id] = (
                    pivot - span,
                    pivot,
                    min(pivot + span, now),
                )
        counts = self._effect_counts(windows)
        for issue in self:
            values = {
                "effect_date": False,
                "effect_before": 0,
                "effect_after": 0,
                "effect_ratio": 0.0,
                "effect_ratio_low": 0.0,
                "effect_ratio_high": 0.0,
                "effect_state": "pending",
            }
            window = windows.get(issue._origin.id)
            if window:
                since, pivot, until = window
                before, after = counts.get(issue._origin.id, (0, 0))
                exposure_before = (pivot - since).total_seconds()
                exposure_after = max((until - pivot).total_seconds(), 0.0)
                values.update(
                    effect_date=pivot.date(),
                    effect_before=before,
                    effect_after=after,
                    effect_state="too_early",
                )
                result = rate_ratio_ci(after, exposure_after, before, exposure_before)
                # half the weeks after at least, and something to compare
                if exposure_after >= exposure_before / 2 and result:
                    ratio, low, high = result
                    values.update(
                        effect_ratio=ratio or 0.0,
                        effect_ratio_low=low,
                        effect_ratio_high=high if math.isfinite(high) else 0.0,
                        effect_state="effective" if high < 1.0 else "not_shown",
                    )
            issue.update(values)

    def _effect_counts(self, windows):
        """{issue id: (complaints before, complaints after)} for
        ``windows`` ({issue id: (since, pivot, until)}), counted as superuser
        (the issue counts every complaint, whichever team handles it)."""
        if not windows:
            return {}
        self.env["complaint.complaint"].flush_model(
            ["systemic_issue_id", "root_cause_id", "date_received", "active"]
        )
        self.flush_model(["company_id", "root_cause_ids"])
        ids = list(windows)
        self.env.cr.execute(
            SQL(
                """
                WITH w AS (
                    SELECT * FROM unnest(%s::int[], %s::timestamp[],
                                         %s::timestamp[], %s::timestamp[])
                        AS w(issue_id, since, pivot, until)
                )
                SELECT w.issue_id,
                       COUNT(*) FILTER (WHERE c.date_received < w.pivot),
                       COUNT(*) FILTER (WHERE c.date_received >= w.pivot)
                FROM w
                JOIN complaint_systemic_issue i ON i.id = w.issue_id
                JOIN complaint_complaint c
                  ON c.company_id = i.company_id AND c.active
                 AND c.date_received >= w.since AND c.date_received < w.until
                 AND (c.systemic_issue_id = w.issue_id OR c.root_cause_id IN (
                        SELECT r.root_cause_id
                        FROM complaint_systemic_issue_root_cause_rel r
                        WHERE r.issue_id = w.issue_id))
                GROUP BY w.issue_id
                """,
                ids,
                [windows[i][0] for i in ids],
                [windows[i][1] for i in ids],
                [windows[i][2] for i in ids],
            )
        )
        return {
            issue_id: (before, after)
            for issue_id, before, after in self.env.cr.fetchall()
        }

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_monitor(self):
        self.write({"state": "monitoring"})

    def action_close(self):
        self.write({"state": "closed"})

    def action_reopen(self):
        self.write({"state": "open"})

    def action_open_merge_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Merge systemic issues"),
            "res_model": "complaint.systemic.issue.merge.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_issue_ids": self.ids},
        }

    def action_view_complaints(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "complaint.complaint",
            "view_mode": "list,form",
            "domain": [("systemic_issue_id", "=", self.id)],
            "context": {"default_systemic_issue_id": self.id},
        }

    def _merge_into(self, target):
        """Move the complaints and actions of ``self`` to ``target`` and
        close ``self`` with a message on each."""
        others = self - target
        if not others:
            raise UserError(self.env._("Choose at least one other issue to merge."))
        if len((self | target).company_id) > 1:
            raise UserError(
                self.env._("Only issues of the same company can be merged.")
            )
        self.check_access("write")
        target.check_access("write")
        others.complaint_ids.write({"systemic_issue_id": target.id})
        others.action_ids.write({"systemic_issue_id": target.id})
        others.signal_ids.write({"systemic_issue_id": target.id})
        target.root_cause_ids |= others.root_cause_ids
        target.customers_affected += sum(others.mapped("customers_affected"))
        others.write({"state": "closed"})
        for issue in others:
            issue.message_post(
                body=self.env._("Merged into %(issue)s.", issue=target.display_name)
            )
        target.message_post(
            body=self.env._(
                "Merged with: %(issues)s.",
                issues=", ".join(others.mapped("display_name")),
            )
        )
        return target
