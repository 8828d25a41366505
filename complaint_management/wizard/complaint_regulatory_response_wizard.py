from odoo import api, fields, models

from ..models.complaint_regulatory_clock import NO_RESPONSE_REASONS


class ComplaintRegulatoryResponseWizard(models.TransientModel):
    """The handler's decisions on the legal clock: a holding response with
    the reasons for the delay and the date of the final response (FCA DISP
    1.6.2R(2), 1.6.2AR(2)), or the record of a quick resolution (FCA DISP
    1.5, ASIC RG 271 five-day rule)."""

    _name = "complaint.regulatory.response.wizard"
    _description = "Holding response or quick resolution"

    complaint_ids = fields.Many2many("complaint.complaint", required=True)
    kind = fields.Selection(
        [("holding", "Holding response"), ("resolution", "Resolved quickly")],
        required=True,
        default="holding",
    )
    summary_mode = fields.Selection(
        related="complaint_ids.regulatory_profile_id.summary_mode"
    )
    reason = fields.Text(
        string="Reasons for the delay",
        help="Stated in the holding response. Under FCA DISP 1.6.2AR(2) only "
        "exceptional situations beyond the firm's control justify it.",
    )
    expected_date = fields.Datetime(
        string="Final response by",
        help="Stated in the holding response (FCA DISP 1.6.2R(2)(a): when the "
        "firm expects to send it); at most the extended deadline.",
    )
    resolved_date = fields.Datetime(
        string="Resolved on",
        default=fields.Datetime.now,
        help="When the complainant accepted the resolution.",
    )
    no_response_reason = fields.Selection(
        NO_RESPONSE_REASONS,
        string="No IDR response because",
    )
    response_requested = fields.Boolean(string="Written response requested")

    @api.onchange("complaint_ids", "kind")
    def _onchange_expected_date(self):
        if self.kind == "holding" and not self.expected_date:
            deadlines = self.complaint_ids.mapped("regulatory_extended_deadline")
            self.expected_date = min(filter(None, deadlines), default=False)

    def action_confirm(self):
        self.ensure_one()
        if self.kind == "holding":
            self.complaint_ids.action_send_holding_response(
                self.reason, self.expected_date
            )
        else:
            self.complaint_ids.action_record_resolution(
                self.resolved_date, self.no_response_reason, self.response_requested
            )
        return {"type": "ir.actions.act_window_close"}
