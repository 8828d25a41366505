from odoo import api, fields, models

from odoo.addons.complaint_management.models.complaint_stage import (
    STEP_CLOSED,
    STEP_DATE_FIELDS,
    STEP_ORDER,
    STEPS,
)

# The duration ending at each dated step of clause 7, named after what is
# done (complaint.analysis has a column hours_to_<name> for each).
DURATION_NAMES = {
    "acknowledged": "acknowledge",
    "assessed": "assess",
    "responded": "respond",
    "decided": "decide",
    STEP_CLOSED: "close",
}
_DATED_STEPS = list(STEP_DATE_FIELDS.items())
# (name, start date field, end date field): from each dated step to the next
# one, in the order of the steps, then from receipt to closure.
STEP_DURATIONS = [
    *(
        (DURATION_NAMES[step], start, end)
        for (_previous, start), (step, end) in zip(
            _DATED_STEPS, _DATED_STEPS[1:], strict=False
        )
    ),
    ("total", STEP_DATE_FIELDS["new"], STEP_DATE_FIELDS[STEP_CLOSED]),
]


class Complaint(models.Model):
    _inherit = "complaint.complaint"

    # complaint.analysis groups and filters on these columns.
    channel_id = fields.Many2one(index=True)
    root_cause_id = fields.Many2one(index="btree_not_null")
    date_closed = fields.Datetime(index="btree_not_null")
    # The board pack counts the referrals to the ombudsman of its period.
    external_referral_date = fields.Date(index="btree_not_null")

    # FCA consolidated complaints return (PS25/19): the second vulnerability
    # data point, set by the handler (the first is is_vulnerable).
    vulnerability_failure = fields.Boolean(
        string="Caused by a failure to consider vulnerability",
        tracking=True,
        groups="complaint_management.group_complaint_user",
        help="The complaint relates to, or was caused by, the firm's failure to "
        "consider or respond to the customer's vulnerability (FCA "
        "consolidated complaints return, PS25/19). Set by the handler.",
    )
    # ASIC IDR data report (RG 271 data dictionary)
    asic_complainant_type = fields.Selection(
        [
            ("individual", "Individual"),
            ("small_business", "Small business"),
            ("other", "Other"),
        ],
        string="Complainant type (ASIC)",
        compute="_compute_asic_complainant_type",
        store=True,
        precompute=True,
        readonly=False,
        help="Proposed from the complainant: a company is a small business.",
    )
    asic_representative = fields.Boolean(
        string="About a representative (ASIC)",
        help="The complaint is about the firm's authorised or credit representative.",
    )
    asic_product_code_ids = fields.Many2many(
        "complaint.return.code",
        "complaint_asic_product_code_rel",
        "complaint_id",
        "code_id",
        string="Other ASIC products or services",
        domain=[("kind", "=", "asic_product")],
        help="Product or service lines besides the category's mapping, where "
        "the complaint is about several.",
    )
    asic_issue_code_ids = fields.Many2many(
        "complaint.return.code",
        "complaint_asic_issue_code_rel",
        "complaint_id",
        "code_id",
        string="Other ASIC issues",
        domain=[("kind", "=", "asic_issue")],
        help="Issues besides the root cause's mapping.",
    )
    asic_outcome_code_ids = fields.Many2many(
        "complaint.return.code",
        "complaint_asic_outcome_code_rel",
        "complaint_id",
        "code_id",
        string="ASIC outcomes",
        domain=[("kind", "=", "asic_outcome")],
        help="Empty: the outcome that stands for the decision.",
    )

    @api.depends("partner_id.commercial_partner_id.is_company")
    def _compute_asic_complainant_type(self):
        for complaint in self:
            partner = complaint.partner_id.commercial_partner_id
            complaint.asic_complainant_type = complaint.asic_complainant_type or (
                "small_business" if partner.is_company else "individual"
            )

    def _report_lang(self):
        """Language of the letters: the complainant's, else the company's."""
        self.ensure_one()
        return (
            self.partner_id.lang
            or self.company_id.partner_id.lang
            or self.env.lang
            or "en_US"
        )

    def _report_identity_visible(self):
        """Printed documents follow the confidentiality of the backend: an
        anonymous complainant's identity is printed for managers only."""
        self.ensure_one()
        return not self.is_anonymous or self._can_see_anonymous_identity()

    def _report_step_dates(self):
        """(step label, date entered, reached) for the steps of clause 7."""
        self.ensure_one()
        labels = dict(
            self.env["complaint.stage"]._fields["step"]._description_selection(self.env)
        )
        current = STEP_ORDER.get(self.step, 0)
        dates = self._step_dates()
        return [
            {
                "step": step,
                "label": labels.get(step, step),
                "date": dates.get(step, False),
                "reached": STEP_ORDER[step] <= current,
                "current": step == self.step,
            }
            for step, _label in STEPS
        ]

    def _report_selection_label(self, fname):
        """Translated label of a selection value, in the record's language."""
        self.ensure_one()
        field = self._fields[fname]
        return dict(field._description_selection(self.env)).get(self[fname], "")

    @api.model
    def _demo_build_bank_story(self, name):
        """Build the demo bank (``demo/complaint_bank_demo.xml`` calls this):
        plain Python under ``demo/``, imported here only, so that production
        databases never load it."""
        from ..demo import bank_story  # pylint: disable=import-outside-toplevel

        return bank_story.build(self.env, name)
