from odoo import api, models


class ResourceCalendarAttendance(models.Model):
    """Working hours feed the cached SLA timelines: clear them on change."""

    _inherit = "resource.calendar.attendance"

    @api.model_create_multi
    def create(self, vals_list):
        attendances = super().create(vals_list)
        self.env.registry.clear_cache()
        return attendances

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
