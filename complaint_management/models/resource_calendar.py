from odoo import models


class ResourceCalendar(models.Model):
    """SLA deadlines are planned on cached working timelines
    (``complaint.sla._cached_timeline``): a change of a calendar (time zone,
    working hours) clears that cache in every worker."""

    _inherit = "resource.calendar"

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
