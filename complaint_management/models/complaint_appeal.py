"""Appeals and external referral (ISO 10002 7.8, ISO 10003): a rejected
decision reopens the complaint one level up with a handler who did not handle
a previous level (objectivity); after the last internal level the complainant
is pointed to external dispute resolution."""

from odoo import Command, fields, models
from odoo.exceptions import UserError

from .complaint_stage import STEP_CLOSED


class ComplaintAppeal(models.AbstractModel):
    _name = "complaint.appeal"
    _description = "Complaint appeals and external referral"

    escalation_level = fields.Integer(default=0, tracking=True, copy=False)
    appeal_reason = fields.Text(copy=False, tracking=True)
    external_referral_body = fields.Char(tracking=True, copy=False)
    external_referral_date = fields.Date(tracking=True, copy=False)
    external_referral_outcome = fields.Text(tracking=True, copy=False)

    def _record_external_referral(self):
        """After the last internal level, point to external resolution (ISO 10003)."""
        self.ensure_one()
        body = self.company_id.complaint_external_body or self.env._(
            "external dispute resolution"
        )
        self.write(
            {
                "external_referral_body": body,
                "external_referral_date": fields.Date.context_today(self),
            }
        )
        self.message_post(
            body=self.env._(
                "The decision was rejected after the last internal level: the "
                "complainant may refer the complaint to %(body)s.",
                body=body,
            ),
            subtype_xmlid="mail.mt_comment",
        )

    def _can_appeal(self):
        self.ensure_one()
        return (
            self.step in ("decided", STEP_CLOSED)
            and self.customer_reaction != "accepted"
            and self.escalation_level < self.company_id.complaint_appeal_levels
            and not self.duplicate_of_id
        )

    def _appeal_handler_candidates(self):
        self.ensure_one()
        managers = self.env.ref("complaint_management.group_complaint_manager")
        return (
            self.company_id.complaint_manager_id
            | self.team_id.user_id
            | managers.user_ids.filtered(
                lambda u: self.company_id in u.company_ids and not u.share
            )
        ).filtered(lambda u: u.id != self.env.ref("base.user_root").id)

    def action_appeal(self, reason, handler=None):
        """Reopen at investigating, one level up, with a different handler.
        Runs with the caller's rights (the portal elevates after its access
        check)."""
        self.ensure_one()
        self.check_access("write")
        if not self._can_appeal():
            raise UserError(
                self.env._(
                    "%(principle)s: complaint %(ref)s cannot be appealed any more. "
                    "You may refer it to %(body)s.",
                    principle=self._principle_label("objectivity"),
                    ref=self.reference,
                    body=self.company_id.complaint_external_body
                    or self.env._("external dispute resolution"),
                )
            )
        if not (reason or "").strip():
            raise UserError(self.env._("Please give the reason for your appeal."))
        previous = self.previous_handler_ids | self.user_id
        if handler and not isinstance(handler, models.BaseModel):  # an id, over RPC
            handler = self.env["res.users"].browse(handler)
        if not handler:
            handler = (
                self._appeal_handler_candidates() - previous - self.involved_user_ids
            )[:1]
        if not handler or handler in previous:
            raise UserError(
                self.env._(
                    "%(principle)s: an appeal needs a handler who did not handle a "
                    "previous level of complaint %(ref)s.",
                    principle=self._principle_label("objectivity"),
                    ref=self.reference,
                )
            )
        stage = self._stage_for_step("investigating")
        # complaint_sla_restart: the response and decision targets start again.
        self.with_context(complaint_sla_restart=True).write(
            {
                "previous_handler_ids": [Command.set(previous.ids)],
                "user_id": handler.id,
                "escalation_level": self.escalation_level + 1,
                "appeal_reason": reason,
                "decision": False,
                "customer_reaction": "none",
                "customer_reaction_date": False,
                "date_decided": False,
                "stage_id": stage.id,
            }
        )
        self.message_post(
            body=self.env._(
                "Appeal (level %(level)s): %(reason)s",
                level=self.escalation_level,
                reason=reason,
            ),
            subtype_xmlid="mail.mt_comment",
        )
        return True

    def action_open_appeal_wizard(self):
        return self._wizard_action("complaint.appeal.wizard", self.env._("Appeal"))
