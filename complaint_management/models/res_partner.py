from odoo import models
from odoo.fields import Domain

from .complaint_sla_criteria import SLA_TRIGGERS


class ResPartner(models.Model):
    _inherit = "res.partner"

    def write(self, vals):
        result = super().write(vals)
        if SLA_TRIGGERS[self._name] & vals.keys():
            # SLA rules may match on customer tags (of the contact or of their
            # company): when tags change, or a contact moves to another
            # company, the complaints of these contacts and of their
            # companies' contacts are matched again
            self.env["complaint.complaint"]._sla_rematch(
                self._name,
                vals.keys(),
                Domain("partner_id", "in", self.ids)
                | Domain("commercial_partner_id", "in", self.ids),
            )
        return result
