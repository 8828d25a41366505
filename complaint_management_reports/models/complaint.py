from odoo import fields, models

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
