"""Dates as a complainant reads them: in their time zone, with the zone
named and without seconds, in the format of their language; in the Solar
Hijri calendar with Persian digits for Persian (``fa*``) languages."""

from datetime import date, datetime
from functools import lru_cache

import jdatetime
import pytz
from babel.dates import format_date, format_datetime

from odoo.tools.misc import babel_locale_parse, get_lang, posix_to_ldml

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
# strftime directives of the time of day that a complainant does not need
SECONDS = ("%S", "%s")


def is_solar_hijri(lang_code):
    """Persian readers expect the Solar Hijri calendar."""
    return bool(lang_code) and lang_code.split("_")[0] == "fa"


def _without_seconds(time_format):
    """``%H:%M:%S`` -> ``%H:%M``, ``%I:%M:%S %p`` -> ``%I:%M %p``."""
    for directive in SECONDS:
        time_format = time_format.replace(":" + directive, "")
    return time_format


@lru_cache(maxsize=64)
def _ldml(posix_format, lang_code):
    """The Babel pattern and locale of a strftime format in ``lang_code``,
    parsed once per process (a portal list formats 160 dates)."""
    locale = babel_locale_parse(lang_code)
    return posix_to_ldml(posix_format, locale=locale), locale


def customer_zone(tz_name):
    """The time zone ``tz_name``, UTC when unknown."""
    try:
        return pytz.timezone(tz_name or "UTC")
    except pytz.UnknownTimeZoneError:
        return pytz.utc


def localize(value, zone):
    """An aware datetime in ``zone`` for a naive UTC datetime."""
    if value.tzinfo is None:
        value = pytz.utc.localize(value)
    return value.astimezone(zone)


def format_customer_date(env, value, tz_name, lang_code, date_only=False):
    """``value`` (a naive UTC datetime as the ORM stores it, or a date) as
    the complainant reads it: ``2026-12-01 16:12 (Europe/London)`` in the
    date and time formats of ``lang_code``; a date alone has no time zone
    (a datetime is converted first, so the day is the complainant's)."""
    if not value:
        return ""
    lang = get_lang(env, lang_code)
    code = lang_code or lang.code or "en_US"
    zone = customer_zone(tz_name)
    with_time = isinstance(value, datetime) and not date_only
    if isinstance(value, datetime):
        value = localize(value, zone)
    elif not isinstance(value, date):
        return str(value)
    date_format = lang.date_format or "%Y-%m-%d"
    time_format = _without_seconds(lang.time_format or "%H:%M:%S")
    if is_solar_hijri(code):
        if with_time:
            text = jdatetime.datetime.fromgregorian(datetime=value).strftime(
                f"{date_format} {time_format}"
            )
        else:
            day = value.date() if isinstance(value, datetime) else value
            text = jdatetime.date.fromgregorian(date=day).strftime(date_format)
        text = text.translate(PERSIAN_DIGITS)
    else:
        if with_time:
            pattern, locale = _ldml(f"{date_format} {time_format}", code)
            text = format_datetime(value, pattern, tzinfo=zone, locale=locale)
        else:
            day = value.date() if isinstance(value, datetime) else value
            pattern, locale = _ldml(date_format, code)
            text = format_date(day, pattern, locale=locale)
    if with_time:
        text = f"{text} ({zone.zone})"
    return text
