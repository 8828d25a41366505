from odoo import models
from odoo.fields import Domain

from .complaint_stage import STEP_CLOSED


class ResPartner(models.Model):
    _inherit = "res.partner"

    def write(self, vals):
        result = super().write(vals)
        if "category_id" in vals:
            self._complaint_sla_reapply()
        return result

    def _complaint_sla_reapply(self):
        """SLA rules may match on customer tags (of the contact or of their
        company): when tags change, the open complaints of these contacts and
        of their companies' contacts get their targets re-matched."""
        Rule = self.env["complaint.sla"].sudo()
        if not Rule.search_count([("partner_category_ids", "!=", False)], limit=1):
            return
        complaints = (
            self.env["complaint.complaint"]
            .sudo()
            .search(
                (
                    Domain("partner_id", "in", self.ids)
                    | Domain("commercial_partner_id", "in", self.ids)
                )
                & Domain("step", "!=", STEP_CLOSED)
            )
        )
        complaints._sla_apply()
