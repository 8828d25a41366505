from collections import defaultdict
from datetime import datetime, time, timedelta

from pytz import timezone, utc

from odoo import api, fields, models, tools

# Units and anchors of a legal period (a number of units counted from the
# receipt of the complaint).
PERIOD_UNITS = [
    ("hours", "Hours"),
    ("business_days", "Business days"),
    ("calendar_days", "Calendar days"),
    ("calendar_weeks", "Calendar weeks"),
]
PERIOD_STARTS = [
    ("receipt", "From receipt"),
    ("next_day", "From the day after receipt"),
]
PERIOD_ENDS = [
    ("exact", "Same time of day"),
    ("end_of_day", "End of day"),
    ("close_of_business", "Close of business"),
]
# The periods a profile sets: field prefix -> label.
PERIODS = {
    "ack": "Acknowledgement",
    "final": "Final response",
    "extended": "Extended final response",
    "summary": "Summary resolution",
}


def _period_fields(label):
    """The four fields of one legal period: value, unit, start and end."""
    return (
        fields.Integer(
            string=f"{label} deadline", help="0: no such deadline under this profile."
        ),
        fields.Selection(PERIOD_UNITS, string=f"{label} unit", default="business_days"),
        fields.Selection(PERIOD_STARTS, string=f"{label} counted", default="next_day"),
        fields.Selection(PERIOD_ENDS, string=f"{label} ends at", default="end_of_day"),
    )


class ComplaintRegulatoryProfile(models.Model):
    """The rules of a regulator for complaints: the legal deadlines, counted
    from receipt on the jurisdiction's calendar whatever the complaint's
    stage (no pause), the referral body and the letters' mandatory blocks.

    The operational SLA (``complaint.sla``) keeps its own pause rules; this
    clock is the one the regulator checks."""

    _name = "complaint.regulatory.profile"
    _description = "Complaints Regulatory Profile"
    _order = "jurisdiction, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Technical code, e.g. fca_disp.")
    active = fields.Boolean(default=True)
    jurisdiction = fields.Char(required=True)
    citation = fields.Char(
        required=True, help="The rule these deadlines come from, e.g. FCA DISP 1.6."
    )
    citation_url = fields.Char(string="Citation URL")
    effective_from = fields.Date()
    effective_to = fields.Date()
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Business calendar",
        required=True,
        help="Working week, time zone and public holidays of the jurisdiction: "
        "business days and close of business are counted on it.",
    )
    ack_value, ack_unit, ack_start, ack_end = _period_fields("Acknowledgement")
    final_value, final_unit, final_start, final_end = _period_fields("Final response")
    extended_value, extended_unit, extended_start, extended_end = _period_fields(
        "Extended final response"
    )
    summary_value, summary_unit, summary_start, summary_end = _period_fields(
        "Summary resolution"
    )
    regional_calendar_ids = fields.One2many(
        "complaint.regulatory.calendar",
        "profile_id",
        string="Regional calendars",
        help="With 'Count on the complainant's region': complainants whose "
        "address is in these regions count business days on another calendar "
        "(their nation's bank holidays).",
    )
    count_complainant_region = fields.Boolean(
        string="Count on the complainant's region",
        help="Off (the default): business days are counted on the business "
        "calendar, the firm's. The FCA Glossary's business day excludes the "
        "bank holidays of the part of the United Kingdom where the thing is "
        "done; the firm handles the complaint and sends the response from its "
        "own nation. On: a complainant whose address is in a regional "
        "calendar's regions counts on it (e.g. Saint Andrew's Day in "
        "Scotland), for firms that handle complaints where their customers "
        "live or choose the longer of the two.",
    )
    due_soon_days = fields.Integer(
        string="Due soon (days before)",
        default=5,
        help="Calendar days before the final-response deadline at which the "
        "complaint is flagged as due soon.",
    )
    send_holding_response = fields.Boolean(
        string="Holding response when the deadline is near",
        help="When the final-response deadline is near and no decision was "
        "sent, the complainant gets a holding response (FCA), delay "
        "notification (ASIC IDR) or in-progress response (CFPB), once. Where "
        "the profile has an extended deadline, it then applies.",
    )
    holding_meets_deadline = fields.Boolean(
        string="A holding response in time meets the deadline",
        help="A written response sent by the final-response deadline that "
        "explains the delay and gives the referral rights is lawful (FCA DISP "
        "1.6.2R(2); Central Bank of Ireland: the update after 40 business "
        "days): the clock stays 'holding response sent' and is breached only "
        "when neither it nor a final response went out in time.",
    )
    holding_requires_reason = fields.Boolean(
        string="The handler decides the holding response, with the reasons",
        help="The holding response is the handler's decision, never sent by "
        "the sweep, and states the reasons for the delay entered by the "
        "handler (FCA DISP 1.6.2AR(2): exceptional situations beyond the "
        "firm's control; Central Bank of Ireland: the reasons and the "
        "expected date).",
    )
    summary_mode = fields.Selection(
        [
            ("communication", "Summary resolution communication"),
            ("no_response", "No written response needed"),
        ],
        string="Resolved quickly",
        default="communication",
        required=True,
        help="What a complaint resolved within the summary resolution window "
        "gets. Communication: a summary resolution communication (FCA DISP "
        "1.5.4R), sent promptly, with the referral rights and the waiver "
        "choice. No written response: the resolution and the reason no IDR "
        "response was sent are recorded (ASIC RG 271: resolved to the "
        "complainant's satisfaction by the end of the fifth business day, "
        "unless they ask in writing for a response).",
    )
    update_interval_value = fields.Integer(
        string="Updates every", help="Periodic updates to the complainant; 0: none."
    )
    update_interval_unit = fields.Selection(
        PERIOD_UNITS, string="Update unit", default="business_days"
    )
    referral_partner_id = fields.Many2one(
        "res.partner",
        string="Referral body",
        help="The ombudsman or dispute body the complainant may refer to.",
    )
    referral_time_limit = fields.Char(
        translate=True, help='Stated in the final response, e.g. "6 months".'
    )
    require_referral_block = fields.Boolean(
        string="Final response names the referral body",
        help="The decision letter must name the referral body, its website "
        "and the time limit.",
    )
    require_waiver_choice = fields.Boolean(
        string="Final response states the time-limit waiver",
        help="The firm states whether it consents to the referral body "
        "considering the complaint outside its time limits.",
    )
    retention_years = fields.Integer(
        help="Years the complaint record is kept after closure; 0: company default."
    )
    notes = fields.Html(
        string="Scope and limits", help="What this profile does not cover."
    )

    _code_unique = models.Constraint(
        "unique(code)", "The code of a regulatory profile must be unique."
    )

    def _period_descriptions(self):
        """[(period label, "8 Calendar weeks")] of the periods set, for the
        policy page."""
        self.ensure_one()
        units = dict(self._fields["ack_unit"]._description_selection(self.env))
        labels = {
            "ack": self.env._("Acknowledgement"),
            "final": self.env._("Final response"),
            "extended": self.env._("Final response after a holding response"),
            "summary": self.env._("Resolved quickly (summary resolution)"),
        }
        return [
            (
                labels[prefix],
                f"{self[f'{prefix}_value']} {units[self[f'{prefix}_unit']]}",
            )
            for prefix in PERIODS
            if self[f"{prefix}_value"]
        ]

    # ------------------------------------------------------------------
    # Deadlines
    # ------------------------------------------------------------------
    def _calendar_for(self, partner):
        """The business calendar of a complainant when the profile counts on
        the complainant's region: the regional calendar of their address's
        region, else the profile's."""
        self.ensure_one()
        state = partner.sudo().state_id
        if state:
            for regional in self.regional_calendar_ids:
                if state in regional.state_ids:
                    return regional.calendar_id
        return self.calendar_id

    def _deadlines(self, received_list, prefix, business_days, calendar=None):
        """The deadline of period ``prefix`` (see PERIODS) for each receipt
        instant of ``received_list`` (naive UTC), in the same order; False
        where the profile sets no such period."""
        self.ensure_one()
        value = self[f"{prefix}_value"]
        if not value:
            return [False] * len(received_list)
        unit, start, end = (
            self[f"{prefix}_{part}"] for part in ("unit", "start", "end")
        )
        tz = timezone((calendar or self.calendar_id).tz or "UTC")
        return [
            received
            and self._deadline(received, value, unit, start, end, tz, business_days)
            for received in received_list
        ]

    @staticmethod
    def _span_days(value, unit):
        """Calendar days that surely hold ``value`` units (weekends, long
        holidays like Nowruz included)."""
        if unit == "business_days":
            return value * 2 + 20
        if unit == "calendar_weeks":
            return value * 7 + 2
        return value + 2

    def _business_days(self, lo, hi, calendar=None):
        """{local date: close of business (naive UTC)} of the working days of
        the calendar (the profile's by default) between the days of lo and
        hi."""
        return self._cached_business_days(
            (calendar or self.calendar_id).id, lo.date(), hi.date() + timedelta(days=1)
        )

    @api.model
    @tools.ormcache("calendar_id", "day_lo", "day_hi")
    def _cached_business_days(self, calendar_id, day_lo, day_hi):
        """From the SLA engine's working timeline (attendances, time zone,
        public holidays); cleared with it on any calendar or holiday change
        (see resource_calendar*.py)."""
        calendar = self.env["resource.calendar"].sudo().browse(calendar_id)
        timeline = self.env["complaint.sla"]._timeline(
            calendar,
            datetime.combine(day_lo, time.min),
            datetime.combine(day_hi, time.min),
        )
        tz = timezone(calendar.tz or "UTC")
        closes = {}
        for stop in timeline.stops:
            day = utc.localize(stop).astimezone(tz).date()
            closes[day] = max(closes.get(day, stop), stop)
        return closes

    def _deadline(self, received, value, unit, start, end, tz, business_days):
        local = utc.localize(received).astimezone(tz)
        if unit == "hours":
            moment = local + timedelta(hours=value)
        elif unit in ("calendar_days", "calendar_weeks"):
            moment = local + timedelta(
                days=value * (7 if unit == "calendar_weeks" else 1)
            )
        else:
            # The receipt day counts only when counted from receipt and the
            # complaint came in before that day's close of business.
            day = local.date()
            close = business_days.get(day)
            counted = 0
            if start == "receipt" and close and received < close:
                counted = 1
            last = max(business_days, default=day)
            while counted < value:
                day += timedelta(days=1)
                if day > last:
                    return False  # no working time left in the calendar
                if day in business_days:
                    counted += 1
            moment = tz.localize(datetime.combine(day, local.time()))
        if start == "next_day" and end == "exact" and unit != "hours":
            end = "end_of_day"
        if end == "end_of_day":
            moment = tz.localize(datetime.combine(moment.date(), time(23, 59, 59)))
        elif end == "close_of_business":
            close = business_days.get(moment.date())
            if close:
                return close
            moment = tz.localize(datetime.combine(moment.date(), time(17, 0)))
        return moment.astimezone(utc).replace(tzinfo=None, microsecond=0)

    @api.model
    def _plan(self, complaints):
        """{complaint id: {prefix: deadline}} for complaints with a profile:
        one business-day computation per profile (cached per day window)."""
        result = defaultdict(dict)
        by_profile = defaultdict(list)
        for complaint in complaints:
            profile = complaint.regulatory_profile_id
            if profile and complaint.date_received:
                calendar = (
                    profile._calendar_for(complaint.partner_id)
                    if profile.count_complainant_region
                    and profile.regional_calendar_ids
                    else profile.calendar_id
                )
                by_profile[profile, calendar].append(complaint)
        for (profile, calendar), items in by_profile.items():
            received = [c.date_received for c in items]
            span = max(
                profile._span_days(
                    profile[f"{prefix}_value"], profile[f"{prefix}_unit"]
                )
                for prefix in PERIODS
            )
            business_days = profile._business_days(
                min(received) - timedelta(days=1),
                max(received) + timedelta(days=span),
                calendar,
            )
            for prefix in PERIODS:
                deadlines = profile._deadlines(
                    received, prefix, business_days, calendar
                )
                for complaint, deadline in zip(items, deadlines, strict=True):
                    result[complaint.id][prefix] = deadline
        return result
