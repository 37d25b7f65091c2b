"""From an event's recurrence to its dated occurrences, in Europe/Paris wall-clock time.

The rule is expanded on naive local times (python-dateutil's rrule), then each date gets its
Paris offset: a permanence at 14 h stays at 14 h across the change to summer time. Public
holidays come from the `holidays` package (France, metropolitan).
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo

import holidays
from dateutil import rrule
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from directory import hours as hours_lib

if TYPE_CHECKING:
    from directory.models import Event

PARIS = ZoneInfo("Europe/Paris")
MAX_OCCURRENCES = 400  # a weekly event over a year is 53; this bounds any rule
WEEKDAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@lru_cache(maxsize=16)
def _french_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("FR", years=year)


def is_holiday(day: datetime.date) -> bool:
    return day in _french_holidays(day.year)


def holiday_name(day: datetime.date) -> str | None:
    return _french_holidays(day.year).get(day)


def month_week_of(day: datetime.date) -> int:
    """Which weekday of its month `day` is: 1 to 4, or -1 when it is the last one (the 5th)."""
    week = (day.day - 1) // 7 + 1
    return -1 if week == 5 else week


def rule_parts(event: Event) -> dict[str, str] | None:
    """The RRULE of a manual event as an ordered dict of iCalendar parts, or None."""
    from directory.models import Event

    if not event.recurrence:
        return None
    start = event.starts_at.astimezone(PARIS)
    parts: dict[str, str] = {}
    if event.recurrence == Event.Recurrence.MONTHLY:
        week = event.month_week or month_week_of(start.date())
        parts = {"FREQ": "MONTHLY", "BYDAY": f"{week}{ICAL_DAYS[start.weekday()]}"}
    else:
        parts = {"FREQ": "WEEKLY"}
        if event.recurrence == Event.Recurrence.BIWEEKLY:
            parts["INTERVAL"] = "2"
    if event.repeat_count:
        parts["COUNT"] = str(event.repeat_count)
    elif event.repeat_until:
        # UNTIL in UTC (RFC 5545 3.3.10, DTSTART has a TZID): the end of that day in Paris.
        end = datetime.datetime.combine(event.repeat_until, datetime.time(23, 59, 59), tzinfo=PARIS)
        parts["UNTIL"] = end.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    return parts


def _local_starts(event: Event) -> list[datetime.datetime]:
    start = event.starts_at.astimezone(PARIS).replace(tzinfo=None)
    parts = rule_parts(event)
    if parts is None:
        return [start]
    kwargs: dict[str, Any] = {"dtstart": start, "interval": int(parts.get("INTERVAL", "1"))}
    if parts["FREQ"] == "MONTHLY":
        kwargs["byweekday"] = WEEKDAYS[start.weekday()](event.month_week or month_week_of(start.date()))
    if event.repeat_count:
        kwargs["count"] = min(event.repeat_count, MAX_OCCURRENCES)
    elif event.repeat_until:
        kwargs["until"] = datetime.datetime.combine(event.repeat_until, datetime.time(23, 59, 59))
    else:
        kwargs["count"] = 1
    freq: Literal[1, 2] = rrule.MONTHLY if parts["FREQ"] == "MONTHLY" else rrule.WEEKLY
    return list(rrule.rrule(freq, **kwargs)[:MAX_OCCURRENCES])  # type: ignore[call-overload,no-any-return]  # a slice: a list (stubs: a datetime)


def skipped_holidays(event: Event) -> list[datetime.datetime]:
    """The local starts a manual event skips because they fall on a public holiday (EXDATE)."""
    if not event.skip_holidays:
        return []
    return [start for start in _local_starts(event) if is_holiday(start.date())]


def expand(event: Event) -> list[tuple[datetime.datetime, datetime.datetime, bool]]:
    """[(starts_at, ends_at, cancelled)] of the event, aware datetimes, in order."""
    duration = event.ends_at - event.starts_at
    cancelled = set(event.cancelled_dates)
    if event.imported_dates:
        starts = [datetime.datetime.fromisoformat(value) for value in event.imported_dates]
        starts = [start.astimezone(PARIS).replace(tzinfo=None) for start in starts]
    else:
        starts = [
            start for start in _local_starts(event) if not (event.skip_holidays and is_holiday(start.date()))
        ]
    rows: list[tuple[datetime.datetime, datetime.datetime, bool]] = []
    for local in sorted(set(starts)):
        aware = local.replace(tzinfo=PARIS)
        rows.append((aware, aware + duration, local.date().isoformat() in cancelled))
    return rows


def describe(event: Event) -> str:
    """The recurrence in words: « Chaque mardi », « Le 1er mardi du mois »…"""
    from directory.models import Event

    start = event.starts_at.astimezone(PARIS)
    day = str(hours_lib.WEEKDAYS[start.weekday()])
    if event.recurrence == Event.Recurrence.WEEKLY:
        text = _("Chaque %(day)s") % {"day": day}
    elif event.recurrence == Event.Recurrence.BIWEEKLY:
        text = _("Un %(day)s sur deux") % {"day": day}
    elif event.recurrence == Event.Recurrence.MONTHLY:
        week = event.month_week or month_week_of(start.date())
        text = _("Le %(nth)s %(day)s du mois") % {"nth": _ordinal(week), "day": day}
    else:
        return ""
    if event.repeat_until:
        from django.utils.formats import date_format

        text += " " + _("jusqu'au %(date)s") % {"date": date_format(event.repeat_until, "j F Y")}
    elif event.repeat_count:
        text += " " + _("(%(n)s fois)") % {"n": event.repeat_count}
    if event.skip_holidays:
        text += ", " + _("sauf les jours fériés")
    return text


def _ordinal(week: int) -> str:
    return {
        1: pgettext("weekday of the month", "1er"),
        2: pgettext("weekday of the month", "2e"),
        3: pgettext("weekday of the month", "3e"),
        4: pgettext("weekday of the month", "4e"),
        -1: pgettext("weekday of the month", "dernier"),
    }[week]
