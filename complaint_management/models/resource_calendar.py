from datetime import datetime, time, timedelta

import holidays
from dateutil.easter import easter
from pytz import timezone, utc

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# How days off that fall on a weekend are kept, by the calendar's rule.
HOLIDAY_WEEKEND_RULES = [
    ("package", "As the holidays package observes them"),
    ("no_friday", "Saturday holidays are not moved to the Friday"),
    ("next_weekday", "Weekend holidays move to the next free weekday"),
]

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

    holiday_categories = fields.Char(
        default="public",
        help="Categories of the holidays package this calendar takes, comma "
        "separated (e.g. public, bank); the package names the categories each "
        "country has.",
    )
    holiday_weekend_rule = fields.Selection(
        HOLIDAY_WEEKEND_RULES,
        string="Holidays on a weekend",
        default="package",
        required=True,
        help="As the package observes them: its substitute days. Saturday "
        "holidays not moved to the Friday: the US Federal Reserve Banks are "
        "open on the Friday before a Saturday holiday (and closed on the "
        "Monday after a Sunday one). Next free weekday: banks close on the "
        "next weekday not already a holiday (Ireland).",
    )
    holiday_good_friday = fields.Boolean(
        string="Banks close on Good Friday",
        help="Add Good Friday where it is a bank holiday but not a public "
        "holiday in the package (Ireland).",
    )

    def _complaint_holiday_days(self, years, country=None, subdivision=None):
        """{date: name} of the days off of ``years`` by this calendar's
        choices: package categories, weekend rule, Good Friday."""
        self.ensure_one()
        code = country or self.holiday_country_code
        subdiv = subdivision or self.holiday_subdivision or None
        categories = tuple(
            part.strip().lower()
            for part in (self.holiday_categories or "public").split(",")
            if part.strip()
        ) or ("public",)
        rule = self.holiday_weekend_rule or "package"
        years = sorted(set(years))
        try:
            days = holidays.country_holidays(
                code,
                subdiv=subdiv,
                years=years,
                categories=categories,
                observed=rule == "package",
            )
            if rule == "no_friday":
                # the substitute of a Saturday holiday may fall in the year
                # before (New Year's Day): look one year on
                actual = holidays.country_holidays(
                    code,
                    subdiv=subdiv,
                    years=[*years, years[-1] + 1],
                    categories=categories,
                    observed=False,
                )
                observed = dict(
                    holidays.country_holidays(
                        code, subdiv=subdiv, years=years, categories=categories
                    )
                )
                days = {
                    day: name
                    for day, name in observed.items()
                    if day in actual
                    or not (day.weekday() == 4 and day + timedelta(days=1) in actual)
                }
        except (NotImplementedError, ValueError) as error:
            raise UserError(
                self.env._(
                    "The holidays package knows no country %(code)s "
                    "(subdivision %(subdiv)s, categories %(categories)s).",
                    code=code,
                    subdiv=subdiv or "-",
                    categories=", ".join(categories),
                )
            ) from error
        days = dict(days)
        if rule == "next_weekday":
            moved = {}
            for day, name in sorted(days.items()):
                if day.weekday() < 5:
                    moved.setdefault(day, name)
                    continue
                substitute = day
                while (
                    substitute.weekday() >= 5
                    or substitute in days
                    or (substitute in moved)
                ):
                    substitute += timedelta(days=1)
                moved[substitute] = self.env._("%(name)s (substitute)", name=name)
                moved.setdefault(day, name)
            days = moved
        if self.holiday_good_friday:
            for year in years:
                good_friday = easter(year) - timedelta(days=2)
                days.setdefault(good_friday, self.env._("Good Friday (banks closed)"))
        return {day: name for day, name in days.items() if day.year in years}

    @api.constrains(
        "holiday_country_code",
        "holiday_subdivision",
        "holiday_categories",
        "holiday_weekend_rule",
    )
    def _check_holiday_source(self):
        """What the yearly job will ask the holidays package must exist."""
        year = fields.Date.today().year
        for calendar in self.filtered("holiday_country_code"):
            try:
                calendar._complaint_holiday_days([year])
            except UserError as error:
                raise ValidationError(str(error)) from error

    def _complaint_fill_public_holidays(self, years, country=None, subdivision=None):
        """Add the public holidays of ``years`` as global leaves (whole days
        in the calendar's time zone); a day already there is kept as it is.
        Returns the leaves created."""
        leaves = self.env["resource.calendar.leaves"]
        vals_list = []
        for calendar in self:
            if not (country or calendar.holiday_country_code):
                continue
            days = calendar._complaint_holiday_days(years, country, subdivision)
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
