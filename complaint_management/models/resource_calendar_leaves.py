from odoo import api, models


class ResourceCalendarLeaves(models.Model):
    """Public holidays and company closures (leaves without a resource) feed
    the cached SLA timelines: clear them when one changes. Personal time off
    (leaves of a resource) does not count in SLA time and leaves them be."""

    _inherit = "resource.calendar.leaves"

    def _has_global_leave(self):
        return any(not leave.resource_id for leave in self)

    def _clear_sla_timelines(self):
        if self._has_global_leave():
            self.env.registry.clear_cache()

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        leaves._clear_sla_timelines()
        return leaves

    def write(self, vals):
        was_global = self._has_global_leave()
        result = super().write(vals)
        if was_global or self._has_global_leave():
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        was_global = self._has_global_leave()
        result = super().unlink()
        if was_global:
            self.env.registry.clear_cache()
        return result
