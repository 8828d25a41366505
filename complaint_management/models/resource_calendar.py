from odoo import models

# What changes the working time of a calendar besides its attendances and
# leaves (whose own hooks, run for the calendar's x2many commands too, replan).
WORKING_TIME_FIELDS = {"tz", "two_weeks_calendar", "flexible_hours"}


class ResourceCalendar(models.Model):
    """SLA deadlines are planned on cached working timelines
    (``complaint.sla._cached_timeline``): a change of a calendar clears that
    cache in every worker, and a change of its working time has the ongoing
    targets counted in it planned again."""

    _inherit = "resource.calendar"

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        if WORKING_TIME_FIELDS & vals.keys():
            self.env["complaint.sla.status"]._mark_replan(self.ids)
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
