"""The golden table of legal dates (``golden/regulatory_dates.csv``): every
row is checked against the product and against a short counter written
here, which reads the `holidays` package directly (never
``resource.calendar``) and the bank rules of each jurisdiction:

- UK (FCA Glossary, business day): the bank holidays of the nation, with
  their substitute days, as the package observes them;
- Ireland (Consumer Protection Regulations 2025: bank holidays): the public
  holidays, Good Friday (banks closed) and, for a holiday on a weekend, the
  next weekday not already off;
- United States (Federal Reserve holiday schedule): a Sunday holiday closes
  the Monday, a Saturday holiday closes nothing;
- New South Wales and Iran: the package's holidays (Iran: a Saturday to
  Wednesday week).

Business days close at 17:00 local time."""

import csv
from datetime import datetime, time, timedelta

import holidays
from dateutil.easter import easter
from pytz import timezone, utc

from odoo.tests import tagged
from odoo.tools.misc import file_path

from .common import ComplaintCase

MON_FRI = frozenset({0, 1, 2, 3, 4})
# calendar: (time zone, country, subdivision, working weekdays, weekend rule,
# banks closed on Good Friday)
CALENDARS = {
    "uk_eng": ("Europe/London", "GB", "ENG", MON_FRI, "package", False),
    "uk_sct": ("Europe/London", "GB", "SCT", MON_FRI, "package", False),
    "uk_nir": ("Europe/London", "GB", "NIR", MON_FRI, "package", False),
    "ie": ("Europe/Dublin", "IE", None, MON_FRI, "next_weekday", True),
    "au_nsw": ("Australia/Sydney", "AU", "NSW", MON_FRI, "package", False),
    "ir": ("Asia/Tehran", "IR", None, frozenset({5, 6, 0, 1, 2}), "package", False),
    "us": ("America/New_York", "US", None, MON_FRI, "no_friday", False),
}
PROFILE_CALENDARS = {
    "fca_disp": "uk_eng",
    "fca_psd": "uk_eng",
    "asic_rg271": "au_nsw",
    "asic_rg271_super": "au_nsw",
    "asic_rg271_trustee": "au_nsw",
    "asic_rg271_death_benefit": "au_nsw",
    "asic_rg271_hardship": "au_nsw",
    "cbi_ie": "ie",
    "cbi_ir": "ir",
    "cfpb": "us",
}
REGION_CALENDARS = {"base.state_uk36": "uk_sct", "base.state_uk18": "uk_nir"}
FIELDS = {
    "ack": "regulatory_ack_deadline",
    "final": "regulatory_deadline",
    "extended": "regulatory_extended_deadline",
    "summary": "regulatory_summary_deadline",
}


def days_off(key, years):
    _tz, country, subdiv, _week, rule, good_friday = CALENDARS[key]
    span = list(range(min(years) - 1, max(years) + 2))
    actual = holidays.country_holidays(
        country, subdiv=subdiv, years=span, observed=False
    )
    if rule == "package":
        off = set(holidays.country_holidays(country, subdiv=subdiv, years=span))
    elif rule == "no_friday":
        off = set(actual) | {d + timedelta(days=1) for d in actual if d.weekday() == 6}
    else:
        off = {d for d in actual if d.weekday() < 5}
        for day in sorted(d for d in actual if d.weekday() >= 5):
            substitute = day
            while substitute.weekday() >= 5 or substitute in off:
                substitute += timedelta(days=1)
            off.add(substitute)
    if good_friday:
        off |= {easter(year) - timedelta(days=2) for year in span}
    return off


def count_deadline(received, value, unit, start, end, key):
    """(deadline in naive UTC, [business days counted])."""
    tzname, _country, _subdiv, week, _rule, _gf = CALENDARS[key]
    tz = timezone(tzname)
    local = utc.localize(received).astimezone(tz)
    off = days_off(key, [local.year, local.year + 1])

    def close(day):
        moment = tz.localize(datetime.combine(day, time(17)))
        return moment.astimezone(utc).replace(tzinfo=None)

    counted = []
    if unit == "business_days":
        day = local.date()
        working = day.weekday() in week and day not in off
        if start == "receipt" and working and received < close(day):
            counted.append(day)
        while len(counted) < value:
            day += timedelta(days=1)
            if day.weekday() in week and day not in off:
                counted.append(day)
        last = counted[-1]
    else:
        last = local.date() + timedelta(
            days=value * (7 if unit == "calendar_weeks" else 1)
        )
    if end == "close_of_business":
        return close(last), counted
    moment = tz.localize(datetime.combine(last, time(23, 59, 59)))
    return moment.astimezone(utc).replace(tzinfo=None), counted


@tagged("post_install", "-at_install")
class TestRegulatoryGoldenDates(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["complaint.sla"].search([]).write({"active": False})
        cls.env["complaint.stage"].search([]).write({"mail_template_id": False})
        with open(
            file_path("complaint_management/tests/golden/regulatory_dates.csv"),
            encoding="utf-8",
        ) as golden:
            cls.rows = list(csv.DictReader(golden))
        cls.profiles = {
            code: cls.env.ref(f"complaint_management.regulatory_profile_{code}")
            for code in PROFILE_CALENDARS
        }
        # the complainant's nation is the profile's option (FCA Glossary)
        (cls.profiles["fca_disp"] | cls.profiles["fca_psd"]).write(
            {"count_complainant_region": True}
        )
        calendars = (
            cls.env["resource.calendar"].browse(
                {p.calendar_id.id for p in cls.profiles.values()}
            )
            | cls.env.ref("complaint_management.calendar_uk_scotland")
            | cls.env.ref("complaint_management.calendar_uk_northern_ireland")
        )
        calendars._complaint_fill_public_holidays([2026, 2027, 2028, 2029])
        cls.partners = {
            region: cls.env["res.partner"].create(
                {"name": f"Complainant in {region}", "state_id": cls.env.ref(region).id}
            )
            for region in REGION_CALENDARS
        }

    def test_table_covers_every_profile_and_enough_cases(self):
        self.assertGreaterEqual(len(self.rows), 60)
        self.assertEqual({row["profile"] for row in self.rows}, set(PROFILE_CALENDARS))
        self.assertEqual(len({row["case"] for row in self.rows}), len(self.rows))
        for row in self.rows:
            self.assertTrue(row["rule"] and row["days_counted"], row["case"])

    def test_the_independent_counter_agrees_with_the_table(self):
        for row in self.rows:
            with self.subTest(case=row["case"]):
                expected, counted = count_deadline(
                    datetime.fromisoformat(row["received_utc"]),
                    int(row["value"]),
                    row["unit"],
                    row["start"],
                    row["end"],
                    REGION_CALENDARS.get(row["region"])
                    or PROFILE_CALENDARS[row["profile"]],
                )
                self.assertEqual(expected.isoformat(sep=" "), row["expected_utc"])
                if row["unit"] == "business_days":
                    self.assertEqual(
                        " ".join(day.strftime("%a %d %b %Y") for day in counted),
                        row["days_counted"],
                    )

    def test_the_product_agrees_with_the_table(self):
        for row in self.rows:
            with self.subTest(case=row["case"]):
                profile = self.profiles[row["profile"]]
                period = row["period"]
                # the rule in the table is the rule the profile encodes
                self.assertEqual(
                    (
                        profile[f"{period}_value"],
                        profile[f"{period}_unit"],
                        profile[f"{period}_start"],
                        profile[f"{period}_end"],
                    ),
                    (int(row["value"]), row["unit"], row["start"], row["end"]),
                )
                partner = self.partners.get(row["region"]) or self.portal_a.partner_id
                complaint = self._create_complaint(
                    regulatory_profile_id=profile.id,
                    date_received=datetime.fromisoformat(row["received_utc"]),
                    partner_id=partner.id,
                )
                self.assertEqual(
                    complaint[FIELDS[period]],
                    datetime.fromisoformat(row["expected_utc"]),
                )
