"""The opening slots (directory/models/opening.py) and the open sets of the `ouvert` search.

`write()` rebuilds the slots of some listings from their places; directory.search.index() calls
it with the narrow search rows, so the slots follow every change of a listing. `open_slots()`
selects the slots open on a day in a window of minutes, the day's calendar applied in SQL;
`open_ids()` turns windows into one subquery of listing ids, which the search applies to its
matches: the database answers in one statement over the places that have hours,
whatever the number of matches, never a loop in Python.
"""

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db.models import Model, Q, QuerySet

from directory import bulk
from directory.models import OpeningSlot, Place
from directory.models.associations import LISTING_PLACES
from directory.queries import delete_of_ids, exclude_rows, ids_subquery

from . import calendar
from .rules import Rules, Week

FAR = date(9999, 12, 31)
Kind = OpeningSlot.Kind


def _week_rows(week: Week, **fields: Any) -> list[dict[str, Any]]:
    return [
        {"weekday": weekday, "opens": opens, "closes": closes, **fields}
        for weekday, ranges in week.items()
        for opens, closes in ranges
    ]


def place_slots(place: Place) -> list[OpeningSlot]:
    """The OpeningSlot rows of one place (unsaved); none without weekly hours."""
    rules = Rules.of_place(place)
    if not rules.known:
        return []
    holidays_open = rules.public_holidays == "open"
    common = {"association_id": place.association_id, "place_id": place.pk}
    marker = {"weekday": OpeningSlot.MARKER_WEEKDAY, "opens": 0, "closes": 0}
    rows = _week_rows(
        rules.week, kind=Kind.WEEKLY, holidays_open=holidays_open, school_rule=rules.school_holidays
    )
    if rules.school_holidays == "hours":
        rows += _week_rows(rules.school_week, kind=Kind.SCHOOL, holidays_open=holidays_open)
    for item in rules.exceptions:
        dated = {"kind": Kind.DATED, "start": item.start, "end": item.end}
        rows.append({**marker, **dated})
        rows += _week_rows(item.week, holidays_open=holidays_open or item.single_day, **dated)
    if rules.closed_from is not None:
        rows.append(
            {**marker, "kind": Kind.CLOSURE, "start": rules.closed_from, "end": rules.closed_until or FAR}
        )
    return [OpeningSlot(**common, **row) for row in rows]


SLOT_FIELDS = [field for field in OpeningSlot._meta.concrete_fields if not field.primary_key]


def write(pks: list[int], published: list[int]) -> None:
    """Replace the slots of the listings `pks`; only the `published` ones get any (their places
    read by a query compiled once per process: a listing's save rebuilds its slots)."""
    delete_of_ids(OpeningSlot, "association_id", pks)
    if not published:
        return
    bulk.insert_rows(
        OpeningSlot,
        [field.name for field in SLOT_FIELDS],
        (
            [getattr(slot, field.attname) for field in SLOT_FIELDS]
            for place in LISTING_PLACES.instances(published)
            for slot in place_slots(place)
        ),
    )


def _exclude_places(slots: QuerySet[OpeningSlot], kind: OpeningSlot.Kind, day: date) -> QuerySet[OpeningSlot]:
    """`slots` without those of the places that have a `kind` marker covering `day`."""
    covering = OpeningSlot.objects.filter(kind=kind, start__lte=day, end__gte=day)
    return exclude_rows(slots, covering, outer="place_id", inner="place_id")


def open_slots(day: date, start: int, end: int) -> tuple[QuerySet[OpeningSlot], QuerySet[OpeningSlot]]:
    """The slots open on `day` at some minute of [start, end), with the day's calendar applied:
    two querysets, the usual hours (weekly or school-holiday) of places without a dated
    exception that day, and the dated exceptions' hours. Each is a plain AND of conditions,
    the exclusions NOT EXISTS, so both databases run them as anti-joins (an EXISTS inside an OR
    would be a subquery per slot)."""
    in_hours = Q(weekday=day.weekday(), opens__lt=end, closes__gt=start)
    if calendar.public_holiday(day):
        in_hours &= Q(holidays_open=True)
    if calendar.school_holiday(day):
        regular = Q(kind=Kind.SCHOOL) | Q(kind=Kind.WEEKLY, school_rule="same")
    else:
        regular = Q(kind=Kind.WEEKLY)
    slots = _exclude_places(OpeningSlot.objects.filter(in_hours), Kind.CLOSURE, day)
    usual = _exclude_places(slots.filter(regular), Kind.DATED, day)
    dated = slots.filter(kind=Kind.DATED, start__lte=day, end__gte=day)
    return usual, dated


def open_ids(windows: Iterable[tuple[date, int, int]]) -> QuerySet[OpeningSlot, Mapping[str, object]]:
    """The ids of the listings open in one of the (day, start, end) windows: one subquery, a
    UNION ALL of the slot selections (an OR of IN subqueries could be planned as a subquery
    per row)."""
    selections = [
        slots.values("association_id") for day, start, end in windows for slots in open_slots(day, start, end)
    ]
    return selections[0].union(*selections[1:], all=True)


def without_hours[M: Model](queryset: QuerySet[M]) -> QuerySet[M]:
    """The listings (or search rows) of `queryset` without hours (on PostgreSQL a NOT IN over the
    slots was 10 times slower than the anti-join of NOT EXISTS)."""
    return exclude_rows(
        queryset, OpeningSlot.objects.filter(kind=Kind.WEEKLY), outer="pk", inner="association_id"
    )


def with_hours(ids: Iterable[int]) -> int:
    """How many of the listings `ids` have hours."""
    return (
        OpeningSlot.objects.filter(kind=Kind.WEEKLY, association_id__in=ids_subquery(ids))
        .values("association_id")
        .distinct()
        .count()
    )
