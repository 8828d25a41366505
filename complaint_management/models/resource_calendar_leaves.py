from odoo import api, models


class ResourceCalendarLeaves(models.Model):
    """Public holidays and company closures (leaves without a resource) feed
    the cached SLA timelines: when one changes, clear them and plan the
    ongoing targets of its calendar (of every calendar for a leave without
    calendar) again. Personal time off (leaves of a resource) does not count
    in SLA time and leaves them be."""

    _inherit = "resource.calendar.leaves"

    def _global_leave_calendars(self):
        """``None`` (all calendars), the calendar ids, or ``[]`` (no global
        leave here)."""
        leaves = self.filtered(lambda leave: not leave.resource_id)
        if any(not leave.calendar_id for leave in leaves):
            return None
        return leaves.calendar_id.ids

    def _holidays_changed(self, calendar_ids):
        if calendar_ids == []:
            return
        self.env.registry.clear_cache()
        self.env["complaint.sla.status"]._mark_replan(calendar_ids)

    @staticmethod
    def _union(first, second):
        if first is None or second is None:
            return None
        return sorted(set(first) | set(second))

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        leaves._holidays_changed(leaves._global_leave_calendars())
        return leaves

    def write(self, vals):
        before = self._global_leave_calendars()
        result = super().write(vals)
        self._holidays_changed(self._union(before, self._global_leave_calendars()))
        return result

    def unlink(self):
        before = self._global_leave_calendars()
        result = super().unlink()
        self._holidays_changed(before)
        return result
