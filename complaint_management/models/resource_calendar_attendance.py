from odoo import api, models


class ResourceCalendarAttendance(models.Model):
    """Working hours feed the cached SLA timelines: clear them on change and
    plan the ongoing targets of the calendar again."""

    _inherit = "resource.calendar.attendance"

    def _working_hours_changed(self, calendars):
        self.env.registry.clear_cache()
        self.env["complaint.sla.status"]._mark_replan(calendars.ids)

    @api.model_create_multi
    def create(self, vals_list):
        attendances = super().create(vals_list)
        self._working_hours_changed(attendances.calendar_id)
        return attendances

    def write(self, vals):
        calendars = self.calendar_id
        result = super().write(vals)
        self._working_hours_changed(calendars | self.calendar_id)
        return result

    def unlink(self):
        calendars = self.calendar_id
        result = super().unlink()
        self._working_hours_changed(calendars)
        return result
