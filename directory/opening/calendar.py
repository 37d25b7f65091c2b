"""The French calendar of Lyon: public holidays and school holidays (zone A), and the clock.

Public holidays come from the `holidays` package (France, metropolitan: no Alsace-Moselle days).
School holidays come from `vacances-scolaires-france`, which ships the Ministry of Education's
calendar as a data file inside the package: no network at run time. A year the package does not
know yet (it covers the years the Ministry has published) counts as having no school holidays,
so a place with school-holiday rules falls back to its weekly hours rather than failing.
"""

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

import holidays
from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from vacances_scolaires_france import SchoolHolidayDates, UnsupportedYearException

SCHOOL_ZONE = "A"  # Lyon's academy


def now() -> datetime:
    """The current local time (Europe/Paris). Tests of a live server point the setting
    OPENING_CLOCK at another callable returning an aware datetime; nothing else does."""
    clock = settings.OPENING_CLOCK
    moment = import_string(clock)() if clock else timezone.now()
    return timezone.localtime(moment)


@cache
def _public_holidays(year: int, language: str) -> holidays.HolidayBase:
    return holidays.France(years=year, language=language)  # type: ignore[no-untyped-call]  # not annotated


def public_holiday(day: date) -> str:
    """The name of the public holiday on `day` in the active language ('Fête nationale',
    'National Day'), or ''."""
    language = "en_US" if (translation.get_language() or "fr").startswith("en") else "fr"
    return _public_holidays(day.year, language).get(day) or ""


@cache
def _school_dates() -> SchoolHolidayDates:
    return SchoolHolidayDates()


@cache
def _school_year(year: int) -> dict[date, str]:
    try:
        found = _school_dates().holidays_for_year_and_zone(year, SCHOOL_ZONE)
    except UnsupportedYearException:
        return {}
    return {day: info["nom_vacances"] for day, info in found.items()}


def school_holiday(day: date) -> str:
    """The name of the school holidays of zone A on `day` ('Vacances de la Toussaint'), or ''.

    Weekends inside a holiday are holiday days; the Saturday before it too (the package's data)."""
    return _school_year(day.year).get(day, "")


def school_holiday_end(day: date) -> date:
    """The last day of the school holidays that include `day` (or `day` itself)."""
    while school_holiday(day + timedelta(days=1)):
        day += timedelta(days=1)
    return day


def school_calendar_end() -> date:
    """The last day the shipped school calendar knows."""
    last: date = max(_school_dates().data)
    return last


def check_school_calendar(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """A system check: warn when the shipped school calendar ends within six months (upgrade
    vacances-scolaires-france: the Ministry publishes the years ahead)."""
    from django.core.checks import Warning as CheckWarning

    end = school_calendar_end()
    if end >= timezone.localdate() + timedelta(days=183):
        return []
    return [
        CheckWarning(
            f"The school holidays calendar of vacances-scolaires-france ends on {end.isoformat()}.",
            hint="Upgrade vacances-scolaires-france in requirements.txt; after its last day "
            "places with school-holiday rules follow their usual hours.",
            id="directory.W010",
        )
    ]
