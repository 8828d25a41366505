from datetime import datetime, time

import holidays
from pytz import timezone, utc

from odoo import api, fields, models
from odoo.exceptions import UserError

# What changes the working time of a calendar besides its attendances and
# leaves (whose own hooks, run for the calendar's x2many commands too, replan).
WORKING_TIME_FIELDS = {"tz", "two_weeks_calendar", "flexible_hours"}


class ResourceCalendar(models.Model):
    """SLA deadlines are planned on cached working timelines
    (``complaint.sla._cached_timeline``): a change of a calendar clears that
    cache in every worker, and a change of its working time has the ongoing
    targets counted in it planned again."""

    _inherit = "resource.calendar"

    holiday_country_code = fields.Char(
        string="Public holidays of",
        help="ISO country code (GB, IE, AU, IR, US...) whose public holidays the "
        "yearly job adds to this calendar, from the `holidays` package.",
    )
    holiday_subdivision = fields.Char(
        help="Subdivision code of the `holidays` package: ENG, SCT, NIR for the "
        "UK nations, NSW or VIC for Australian states, NY for New York...",
    )

    def _complaint_fill_public_holidays(self, years, country=None, subdivision=None):
        """Add the public holidays of ``years`` as global leaves (whole days
        in the calendar's time zone); a day already there is kept as it is.
        Returns the leaves created."""
        leaves = self.env["resource.calendar.leaves"]
        vals_list = []
        for calendar in self:
            code = country or calendar.holiday_country_code
            subdiv = subdivision or calendar.holiday_subdivision or None
            if not code:
                continue
            try:
                days = holidays.country_holidays(code, subdiv=subdiv, years=years)
            except NotImplementedError as error:
                raise UserError(
                    self.env._(
                        "The holidays package knows no country %(code)s "
                        "(subdivision %(subdiv)s).",
                        code=code,
                        subdiv=subdiv or "-",
                    )
                ) from error
            tz = timezone(calendar.tz or "UTC")
            existing = set(
                leaves.search(
                    [("calendar_id", "=", calendar.id), ("resource_id", "=", False)]
                ).mapped(lambda leave: leave.date_from)
            )
            for day, name in sorted(days.items()):
                start = tz.localize(datetime.combine(day, time.min))
                stop = tz.localize(datetime.combine(day, time(23, 59, 59)))
                date_from = start.astimezone(utc).replace(tzinfo=None)
                if date_from in existing:
                    continue
                existing.add(date_from)
                vals_list.append(
                    {
                        "name": name,
                        "calendar_id": calendar.id,
                        "date_from": date_from,
                        "date_to": stop.astimezone(utc).replace(tzinfo=None),
                        "time_type": "leave",
                    }
                )
        return leaves.create(vals_list)

    @api.model
    def _cron_complaint_public_holidays(self):
        """Yearly (and at install): this year's and next year's public
        holidays for every calendar that names its country; days already
        there are kept."""
        year = fields.Date.today().year
        self.search(
            [("holiday_country_code", "!=", False)]
        )._complaint_fill_public_holidays([year, year + 1])

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
