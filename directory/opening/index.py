"""The opening slots (directory/models/opening.py) and the open sets of the `ouvert` search.

`write()` rebuilds the slots of some listings from their places; directory.search.index() calls
it with the narrow search rows, so the slots follow every change of a listing. `open_q()` is the
condition "open on `day` at some moment of [start, end)" over the slots; `open_ids()` combines
these windows into one subquery of listing ids, which the search filters on: one query over the
places that have hours, whatever the number of matches.
"""

from datetime import date
from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q

from directory.models import OpeningSlot, Place

from . import calendar
from .rules import Rules

FAR = date(9999, 12, 31)
Kind = OpeningSlot.Kind


def _week_rows(week, **fields):
    return [
        {"weekday": weekday, "opens": opens, "closes": closes, **fields}
        for weekday, ranges in week.items()
        for opens, closes in ranges
    ]


def place_slots(place):
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


def write(pks, published):
    """Replace the slots of the listings `pks`; only the `published` ones get any."""
    OpeningSlot.objects.filter(association_id__in=pks).delete()
    if not published:
        return
    slots = [
        slot for place in Place.objects.filter(association_id__in=published) for slot in place_slots(place)
    ]
    OpeningSlot.objects.bulk_create(slots, batch_size=2000)


def open_q(day, start, end):
    """Slots open on `day` at some minute of [start, end), with the day's calendar applied."""
    covering = OpeningSlot.objects.filter(kind=Kind.DATED, start__lte=day, end__gte=day).values("place_id")
    closed = OpeningSlot.objects.filter(kind=Kind.CLOSURE, start__lte=day, end__gte=day).values("place_id")
    if calendar.school_holiday(day):
        regular = Q(kind=Kind.SCHOOL) | Q(kind=Kind.WEEKLY, school_rule="same")
    else:
        regular = Q(kind=Kind.WEEKLY)
    condition = (regular & ~Q(place_id__in=covering)) | Q(kind=Kind.DATED, start__lte=day, end__gte=day)
    condition &= Q(weekday=day.weekday(), opens__lt=end, closes__gt=start) & ~Q(place_id__in=closed)
    if calendar.public_holiday(day):
        condition &= Q(holidays_open=True)
    return condition


def open_ids(windows):
    """The ids of the listings open in any of the (day, start, end) windows: a subquery."""
    condition = reduce(or_, (open_q(day, start, end) for day, start, end in windows))
    return OpeningSlot.objects.filter(condition).values("association_id")


def without_hours(queryset):
    """The listings (or search rows) of `queryset` without hours: a NOT EXISTS, which both
    databases run as an anti-join (a NOT IN over the slots was 10 times slower on PostgreSQL)."""
    return queryset.exclude(
        Exists(OpeningSlot.objects.filter(association_id=OuterRef("pk"), kind=Kind.WEEKLY))
    )
