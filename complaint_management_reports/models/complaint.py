from odoo import fields, models

from odoo.addons.complaint_management.models.complaint_stage import STEP_ORDER, STEPS


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

    def _report_sla_lines(self):
        """SLA lines when the SLA engine is installed (empty otherwise)."""
        self.ensure_one()
        if "sla_status_ids" not in self._fields:
            return []
        return self.sla_status_ids

    def _report_step_dates(self):
        """(step label, date entered, reached) for the steps of clause 7."""
        self.ensure_one()
        labels = dict(
            self.env["complaint.stage"]._fields["step"]._description_selection(self.env)
        )
        current = STEP_ORDER.get(self.step, 0)
        dates = {
            "new": self.date_received,
            "acknowledged": self.date_acknowledged,
            "assessed": self.date_assessed,
            "investigating": False,
            "responded": self.date_responded,
            "decided": self.date_decided,
            "closed": self.date_closed,
        }
        return [
            {
                "step": step,
                "label": labels.get(step, step),
                "date": dates.get(step),
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
