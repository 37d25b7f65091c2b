"""A place's calendar rules, read the same way by the listing page, the cards, the editor's
preview and the tests; directory/opening/index.py turns the same rules into SQL.

The hours of a day, in order of precedence:
1. a temporary closure (closed_from … closed_until) closes it;
2. a dated exception covering it gives its hours (empty: closed). An exception of a single day
   ("open exceptionally on 14 July") holds even on a public holiday; a longer one (summer hours)
   follows the public-holiday rule;
3. a public holiday closes it unless the place opens on public holidays;
4. during the school holidays of zone A: the same hours, other hours, or closed;
5. else the weekly hours.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol, Self, cast, overload

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from directory import hours as hours_lib

from . import calendar

HORIZON_DAYS = 120  # how far ahead the next opening is looked for (a summer closure fits)
PREVIEW_DAYS = 14

# {weekday: [(opens, closes)]}, in minutes since midnight
Week = dict[int, list[tuple[int, int]]]


class PlaceCalendar(Protocol):
    """The fields of a Place the rules read (the model is not imported: it imports this module)."""

    @property
    def hours(self) -> Any: ...
    @property
    def public_holidays(self) -> str: ...
    @property
    def school_holidays(self) -> str: ...
    @property
    def school_hours(self) -> Any: ...
    @property
    def exceptions(self) -> Any: ...
    @property
    def closed_from(self) -> date | None: ...
    @property
    def closed_until(self) -> date | None: ...


def minutes(text: str) -> int:
    hour, minute = text.split(":")
    return int(hour) * 60 + int(minute)


def clock(value: int) -> time:
    """Minutes since midnight → time (23:59 stays 23:59: 'minuit' in labels)."""
    return time(value // 60, value % 60)


def _week(hours: Mapping[str, Any] | None) -> Week:
    return {
        int(day): [(minutes(a), minutes(b)) for a, b in sorted(ranges)]
        for day, ranges in (hours or {}).items()
    }


@overload
def _day(iso: date | str) -> date: ...
@overload
def _day(iso: None) -> None: ...
def _day(iso: date | str | None) -> date | None:
    if isinstance(iso, date) or iso is None:
        return iso
    return date.fromisoformat(iso)


@dataclass(frozen=True)
class Exception_:
    start: date
    end: date
    week: Week  # empty: closed

    @property
    def single_day(self) -> bool:
        return self.start == self.end


@dataclass(frozen=True)
class Rules:
    week: Week
    public_holidays: str = "closed"
    school_holidays: str = "same"
    school_week: Week = field(default_factory=dict)
    exceptions: tuple[Exception_, ...] = ()
    closed_from: date | None = None
    closed_until: date | None = None

    @classmethod
    def of_place(cls, place: PlaceCalendar) -> Self:
        return cls.of_values(
            {
                "hours": place.hours,
                "public_holidays": place.public_holidays,
                "school_holidays": place.school_holidays,
                "school_hours": place.school_hours,
                "exceptions": place.exceptions,
                "closed_from": place.closed_from,
                "closed_until": place.closed_until,
            }
        )

    @classmethod
    def of_values(cls, values: Mapping[str, Any]) -> Self:
        """From a place's values (directory/listings/state.place_values, or the form's)."""
        return cls(
            week=_week(values.get("hours")),
            public_holidays=values.get("public_holidays") or "closed",
            school_holidays=values.get("school_holidays") or "same",
            school_week=_week(values.get("school_hours")),
            exceptions=tuple(
                Exception_(_day(item["start"]), _day(item["end"]), _week(item["hours"]))
                for item in values.get("exceptions") or ()
            ),
            closed_from=_day(values.get("closed_from")),
            closed_until=_day(values.get("closed_until")),
        )

    @property
    def known(self) -> bool:
        """Whether the place has weekly hours: without them it is never said to be closed."""
        return any(self.week.values())

    def closure_covers(self, day: date) -> bool:
        return (
            self.closed_from is not None
            and self.closed_from <= day
            and (self.closed_until is None or day <= self.closed_until)
        )

    def exception_on(self, day: date) -> Exception_ | None:
        return next((item for item in self.exceptions if item.start <= day <= item.end), None)


class Reason:
    """Why a day has no opening although the week has some that weekday (or at all)."""

    CLOSURE = "closure"
    EXCEPTION = "exception"
    HOLIDAY = "holiday"
    SCHOOL = "school"


@dataclass(frozen=True)
class DayPlan:
    day: date
    ranges: list[tuple[int, int]]  # [(opens, closes)] in minutes
    reason: str = ""  # a Reason when a rule closes the whole day
    name: str = ""  # the public or school holiday's name
    special: bool = False  # hours other than the weekly ones (exception, school holidays)


def day_plan(rules: Rules, day: date) -> DayPlan:
    """The opening ranges of one day, and why it is closed when a rule closes it."""
    weekday = day.weekday()
    if rules.closure_covers(day):
        return DayPlan(day, [], Reason.CLOSURE)
    holiday = calendar.public_holiday(day)
    exception = rules.exception_on(day)
    if exception is not None:
        if not exception.week:
            return DayPlan(day, [], Reason.EXCEPTION)
        if holiday and not exception.single_day and rules.public_holidays != "open":
            return DayPlan(day, [], Reason.HOLIDAY, holiday)
        return DayPlan(day, exception.week.get(weekday, []), special=True, name=holiday)
    if holiday and rules.public_holidays != "open":
        return DayPlan(day, [], Reason.HOLIDAY, holiday)
    school = calendar.school_holiday(day)
    if school and rules.school_holidays == "closed":
        return DayPlan(day, [], Reason.SCHOOL, school)
    if school and rules.school_holidays == "hours":
        return DayPlan(day, rules.school_week.get(weekday, []), special=True, name=school)
    return DayPlan(day, rules.week.get(weekday, []), name=holiday)


def next_days(rules: Rules, start: date, count: int = PREVIEW_DAYS) -> list[DayPlan]:
    """The DayPlans of `count` days from `start` (the editor's preview)."""
    return [day_plan(rules, start + timedelta(days=offset)) for offset in range(count)]


@dataclass(frozen=True)
class Status:
    known: bool
    is_open: bool = False
    closes: time | None = None  # when open: today's closing time
    opens_on: date | None = None  # when closed: the day and time of the next opening
    opens: time | None = None
    today: date | None = None
    reason: str = ""  # when a rule closes today (Reason)

    @property
    def label(self) -> str:
        return status_label(self)


def status(rules: Rules, now: datetime) -> Status:
    """The open status at `now` (an aware local datetime)."""
    if not rules.known:
        return Status(known=False)
    today, minute = now.date(), now.hour * 60 + now.minute
    plan = day_plan(rules, today)
    for opens, closes in plan.ranges:
        if opens <= minute < closes:
            return Status(known=True, is_open=True, closes=clock(closes), today=today)
    for offset in range(HORIZON_DAYS):
        day_ranges = plan.ranges if offset == 0 else day_plan(rules, today + timedelta(days=offset)).ranges
        for opens, _closes in day_ranges:
            if offset == 0 and opens <= minute:
                continue
            return Status(
                known=True,
                opens_on=today + timedelta(days=offset),
                opens=clock(opens),
                today=today,
                reason=plan.reason,
            )
    return Status(known=True, today=today, reason=plan.reason)


def next_change(status: Status, now: datetime) -> datetime | None:
    """When `status` stops being true: an open place's closing time, a closed one's next
    opening (None: unknown hours, or no opening within the horizon). Anything that shows a
    status (a cached results region) holds until then at most."""
    if status.is_open and status.today is not None and status.closes is not None:
        return datetime.combine(status.today, status.closes, tzinfo=now.tzinfo)
    if status.opens_on is not None and status.opens is not None:
        return datetime.combine(status.opens_on, status.opens, tzinfo=now.tzinfo)
    return None


def hour(value: time) -> str:
    """18:00 → '18 h', 18:30 → '18 h 30', 23:59 → 'minuit'."""
    if value == time(23, 59):
        return _("minuit")
    if value.minute == 0:
        return _("%(hour)s h") % {"hour": value.hour}
    return _("%(hour)s h %(minute)02d") % {"hour": value.hour, "minute": value.minute}


def day_label(day: date, today: date) -> str:
    """'demain', 'lundi', 'le 3 novembre' (from today's point of view)."""
    offset = (day - today).days
    if offset == 1:
        return _("demain")
    if 1 < offset < 7:
        return str(hours_lib.WEEKDAYS[day.weekday()])
    return pgettext("date", "le %(date)s") % {"date": formats.date_format(day, "j F")}


_CLOSED_BECAUSE: dict[str, Callable[[], str]] = {
    Reason.CLOSURE: lambda: _("Fermé temporairement"),
    Reason.EXCEPTION: lambda: _("Fermé exceptionnellement"),
    Reason.HOLIDAY: lambda: _("Fermé (jour férié)"),
    Reason.SCHOOL: lambda: _("Fermé pendant les vacances scolaires"),
}


def status_label(status: Status) -> str:
    """'Ouvert · ferme à 18 h', 'Ouvre demain à 9 h', 'Fermé pendant les vacances scolaires,
    réouverture le 3 novembre', 'Horaires non précisés'."""
    if not status.known:
        return _("Horaires non précisés")
    # A known status has its day; an open one its closing time; an opening day its time.
    today, opens = cast(date, status.today), cast(time, status.opens)
    if status.is_open:
        return _("Ouvert · ferme à %(time)s") % {"time": hour(cast(time, status.closes))}
    if status.reason:
        closed = _CLOSED_BECAUSE[status.reason]()
        if status.opens_on is None:
            return closed
        if status.opens_on - today <= timedelta(days=1):
            when = _("%(day)s à %(time)s") % {
                "day": day_label(status.opens_on, today),
                "time": hour(opens),
            }
        else:
            when = pgettext("date", "le %(date)s") % {"date": formats.date_format(status.opens_on, "j F")}
        return _("%(closed)s, réouverture %(when)s") % {"closed": closed, "when": when}
    if status.opens_on is None:
        return _("Fermé")
    if status.opens_on == today:
        return _("Fermé · ouvre à %(time)s") % {"time": hour(opens)}
    return _("Ouvre %(day)s à %(time)s") % {
        "day": day_label(status.opens_on, today),
        "time": hour(opens),
    }


def ranges_text(ranges: Iterable[tuple[int, int]]) -> str:
    """[(540, 720), (840, 1080)] → '9 h – 12 h, 14 h – 18 h'."""
    return ", ".join(f"{hour(clock(a))} – {hour(clock(b))}" for a, b in ranges)


def day_text(plan: DayPlan) -> str:
    """One line of the editor's preview: '9 h – 12 h, 14 h – 18 h', 'Fermé : Noël (jour férié)',
    'Fermé : Vacances de la Toussaint'."""
    if plan.ranges:
        text = ranges_text(plan.ranges)
        return f"{text} ({plan.name})" if plan.name else text
    if plan.reason == Reason.HOLIDAY:
        return _("Fermé : %(name)s (jour férié)") % {"name": plan.name}
    if plan.reason == Reason.SCHOOL:
        return _("Fermé : %(name)s") % {"name": plan.name}
    if plan.reason:
        return _CLOSED_BECAUSE[plan.reason]()
    return _("Fermé")
