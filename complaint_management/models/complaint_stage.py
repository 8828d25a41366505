from odoo import api, fields, models
from odoo.exceptions import UserError

STEP_CLOSED = "closed"
STEPS = [
    ("new", "Received"),
    ("acknowledged", "Acknowledged"),
    ("assessed", "Assessed"),
    ("investigating", "Investigating"),
    ("responded", "Resolution proposed"),
    ("decided", "Decided"),
    (STEP_CLOSED, "Closed"),
]
STEP_ORDER = {step: index for index, (step, _label) in enumerate(STEPS)}
# Step -> the complaint's field holding when it entered that step (clause 7
# dates); "investigating" has none. Durations between steps follow this order.
STEP_DATE_FIELDS = {
    "new": "date_received",
    "acknowledged": "date_acknowledged",
    "assessed": "date_assessed",
    "responded": "date_responded",
    "decided": "date_decided",
    STEP_CLOSED: "date_closed",
}

# Gate flag -> (principle code, what the gate checks). The checks themselves
# live on complaint.complaint (_gate_<flag>), so a stage only says which apply.
GATES = {
    "require_severity": "responsiveness",
    "require_handler": "accountability",
    "require_impartial_handler": "objectivity",
    "require_findings": "objectivity",
    "require_resolution": "customer_focus",
    "require_decision": "transparency",
    "require_root_cause": "improvement",
    "require_customer_reaction": "customer_focus",
    "require_actions_done": "improvement",
}


class ComplaintStage(models.Model):
    """A stage of the ISO 10002 clause 7 process, with its gates."""

    _name = "complaint.stage"
    _description = "Complaint Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    step = fields.Selection(STEPS, required=True, default="new", index=True)
    description = fields.Text(translate=True)
    fold = fields.Boolean(help="Folded in the kanban view.")
    pause_sla = fields.Boolean(
        string="Pause SLA",
        help="Working time spent in this stage does not count against SLA "
        "targets (e.g. waiting for the customer).",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="E-mail on entry",
        domain=[("model", "=", "complaint.complaint")],
        help="Sent to the complainant when a complaint enters this stage.",
    )
    principle_ids = fields.Many2many("complaint.principle", string="Principles served")
    active = fields.Boolean(default=True)
    require_severity = fields.Boolean(help="Entering needs a severity.")
    require_handler = fields.Boolean(help="Entering needs a responsible handler.")
    require_impartial_handler = fields.Boolean(
        help="Entering needs a handler who is not involved in the complaint "
        "and, for an appeal, did not handle a previous level."
    )
    require_findings = fields.Boolean(help="Entering needs the investigation findings.")
    require_resolution = fields.Boolean(help="Entering needs a proposed resolution.")
    require_decision = fields.Boolean(help="Entering needs the decision.")
    require_root_cause = fields.Boolean(help="Entering needs a root cause.")
    require_customer_reaction = fields.Boolean(
        help="Entering needs the customer's reaction to the decision, or the "
        "expiry of the reply window."
    )
    require_actions_done = fields.Boolean(
        help="Entering needs every blocking corrective action done or cancelled."
    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        if (
            self.env["complaint.complaint"]
            .with_context(active_test=False)
            .search_count([("stage_id", "in", self.ids)], limit=1)
        ):
            raise UserError(
                self.env._(
                    "A stage that complaints use cannot be deleted; archive it instead."
                )
            )
