"""iCalendar in: the listing's events from the association's own calendar (Google, Nextcloud,
Outlook, a WordPress events plugin…), by `manage.py import_calendars`.

Idempotent by UID: a UID seen for the first time creates an event, a known one is updated
(its SEQUENCE bumped only if something changed), and an upcoming imported event that left the
calendar has its dates cancelled (brought back if it returns). Events typed by hand on Lyon
Assos are never touched. The next 12 months are read (recurring-ical-events expands RRULE,
RDATE, EXDATE and modified instances; x-wr-timezone fixes Google's X-WR-TIMEZONE calendars),
5 000 dates at most; a calendar with an event repeated more than 24 times a day is refused.
Any error is kept on the listing's CalendarSource for its managers; the events stay as they were.
"""

import dataclasses
import datetime
import html
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import icalendar
import recurring_ical_events
import x_wr_timezone
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from directory.agenda import fetch, services
from directory.agenda.recurrence import PARIS
from directory.listings.services import association_log_change
from directory.models import Association, CalendarSource, Event

PACE = datetime.timedelta(hours=1)  # a listing's calendar is read at most once an hour
WINDOW = datetime.timedelta(days=365)
MAX_EVENTS = 500
MAX_DATES = 400
MAX_INSTANCES = 5000  # dates read from one calendar
MAX_PER_DAY = 24  # an event repeated more often a day is refused (see _too_dense)
MAX_SPAN = datetime.timedelta(days=31)  # the longest window _upcoming expands at once
ALL_DAY_HOURS = (datetime.time(0, 0), datetime.time(23, 59))


class CalendarError(Exception):
    """The calendar's content cannot be read; the message is for the managers."""


@dataclasses.dataclass
class Parsed:
    uid: str
    title: str = ""
    description: str = ""
    location: str = ""
    url: str = ""
    duration: datetime.timedelta = datetime.timedelta(hours=1)
    dates: list[datetime.datetime] = dataclasses.field(default_factory=list)
    cancelled: set[str] = dataclasses.field(default_factory=set)  # ISO dates


@dataclasses.dataclass
class Summary:
    created: int = 0
    updated: int = 0
    cancelled: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return _("%(c)s créé(s), %(u)s modifié(s), %(x)s annulé(s), %(s)s inchangé(s)") % {
            "c": self.created,
            "u": self.updated,
            "x": self.cancelled,
            "s": self.unchanged,
        }


def _aware(value: datetime.date, *, end: bool = False) -> datetime.datetime:
    """A DTSTART/DTEND value as an aware Paris datetime (dates: all-day; floating: Paris)."""
    if not isinstance(value, datetime.datetime):
        return datetime.datetime.combine(value, ALL_DAY_HOURS[1 if end else 0], tzinfo=PARIS)
    if value.tzinfo is None:
        return value.replace(tzinfo=PARIS)
    return value.astimezone(PARIS)


def _text(component: icalendar.Component, name: str, limit: int) -> str:
    value = component.get(name)
    return " ".join(str(value).split())[:limit] if value is not None else ""


def _plain(value: object) -> str:
    """A DESCRIPTION as plain text: Google and WordPress send HTML (<br>, <p>, links)."""
    text = re.sub(r"<br\s*/?>|</p>", "\n", str(value or ""), flags=re.IGNORECASE)
    text = html.unescape(strip_tags(text))
    return "\n".join(line.strip() for line in text.strip().splitlines())[:2000]


def _url(component: icalendar.Component) -> str:
    value = str(component.get("url") or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return ""
    return value[:500]


def _too_dense(calendar: icalendar.Calendar) -> bool:
    """Whether an event repeats more than MAX_PER_DAY times a day (FREQ=SECONDLY or MINUTELY, or
    BYHOUR × BYMINUTE × BYSECOND): no association's event does, and expanding one is unbounded
    work for a file of a few kilobytes."""
    for event in calendar.walk("VEVENT"):
        rules = event.get("rrule")
        for rule in rules if isinstance(rules, list) else [rules] if rules is not None else []:
            if any(str(freq).upper() in {"SECONDLY", "MINUTELY"} for freq in rule.get("FREQ", [])):
                return True
            per_day = 1
            for part in ("BYHOUR", "BYMINUTE", "BYSECOND"):
                per_day *= max(len(rule.get(part, [])), 1)
            if per_day > MAX_PER_DAY:
                return True
    return False


def _upcoming(calendar: icalendar.Calendar, now: datetime.datetime) -> Iterator[icalendar.Component]:
    """The instances of the next 12 months in order, MAX_INSTANCES at most, read window after
    window (a day, then twice as long each time, a month at most): each window expands every
    rule once, where recurring-ical-events' `after()` narrows its window to 15 minutes around
    dense rules and re-reads each rule from its start for every one (an hourly rule: 17 s)."""
    query = recurring_ical_events.of(calendar)
    end = now + WINDOW
    start, span, count = now, datetime.timedelta(days=1), 0
    seen: set[tuple[str, str]] = set()
    while start < end:
        stop = min(start + span, end)
        window = sorted(
            (_aware(component["dtstart"].dt), index, component)
            for index, component in enumerate(query.between(start, stop))
            if component.get("dtstart") is not None
        )
        for begins, _index, component in window:
            key = (str(component.get("uid") or ""), begins.isoformat())
            if key in seen or begins >= end:
                continue  # an instance that spans two windows is read once
            if count >= MAX_INSTANCES:
                return
            seen.add(key)
            count += 1
            yield component
        start, span = stop, min(span * 2, MAX_SPAN)


def _components(body: bytes | str, now: datetime.datetime) -> list[icalendar.Component]:
    """The calendar's instances to read (see _upcoming). Raises CalendarError."""
    try:
        calendar = icalendar.Calendar.from_ical(body)
        calendar = x_wr_timezone.to_standard(calendar)
        dense = _too_dense(calendar)
        components = [] if dense else list(_upcoming(calendar, now))
    except Exception as error:  # any malformed input: the managers are told, never a crash
        raise CalendarError(_("Ce fichier n'est pas un calendrier iCalendar lisible.")) from error
    if dense:
        raise CalendarError(
            _(
                "Un événement de ce calendrier se répète plus de %(n)s fois par jour : le calendrier n'est pas importé."
            )
            % {"n": MAX_PER_DAY}
        )
    return components


def parse(body: bytes | str, *, now: datetime.datetime | None = None) -> dict[str, Parsed]:
    """{uid: Parsed} of the calendar's events in the next 12 months. Raises CalendarError."""
    components = _components(body, now or timezone.now())
    events: dict[str, Parsed] = {}
    for component in components:
        uid = str(component.get("uid") or "").strip()[:255]
        start = component.get("dtstart")
        if not uid or start is None:
            continue
        if uid not in events:
            if len(events) >= MAX_EVENTS:
                continue
            events[uid] = Parsed(uid=uid)
        parsed = events[uid]
        begins = _aware(start.dt)
        end = component.get("dtend")
        ends = _aware(end.dt, end=not isinstance(end.dt, datetime.datetime)) if end is not None else None
        if ends is not None and not isinstance(start.dt, datetime.datetime):
            ends = ends - datetime.timedelta(days=1)  # DTEND of an all-day event is exclusive
        if ends is None or ends <= begins:
            ends = begins + (
                component.get("duration").dt if component.get("duration") else datetime.timedelta(hours=1)
            )
        if len(parsed.dates) >= MAX_DATES:
            continue
        if not parsed.dates or begins < parsed.dates[0]:
            parsed.title = _text(component, "summary", 120) or _("Sans titre")
            parsed.description = _plain(component.get("description"))
            parsed.location = _text(component, "location", 250)
            parsed.url = _url(component)
            parsed.duration = ends - begins
        parsed.dates.append(begins)
        if str(component.get("status") or "").upper() == "CANCELLED":
            parsed.cancelled.add(begins.date().isoformat())
    for parsed in events.values():
        parsed.dates.sort()
    return events


def _values(parsed: Parsed) -> dict[str, Any]:
    first = parsed.dates[0]
    return {
        "title": parsed.title,
        "description": parsed.description,
        "address": parsed.location,
        "registration_url": parsed.url,
        "starts_at": first,
        "ends_at": first + parsed.duration,
        "imported_dates": [date.isoformat() for date in parsed.dates],
        "cancelled_dates": sorted(parsed.cancelled),
    }


def _apply(event: Event, values: Mapping[str, Any]) -> list[str]:
    changed = [name for name, value in values.items() if getattr(event, name) != value]
    for name in changed:
        setattr(event, name, values[name])
    return changed


def synchronise(
    association: Association, events: Mapping[str, Parsed], *, now: datetime.datetime | None = None
) -> Summary:
    """Create, update and cancel the listing's imported events from `events` ({uid: Parsed})."""
    now = now or timezone.now()
    summary = Summary()
    existing = {
        event.source_uid: event
        for event in Event.objects.filter(association=association, source=Event.Source.IMPORTED)
    }
    for uid, parsed in events.items():
        if not parsed.dates:
            continue
        values = _values(parsed)
        event = existing.get(uid)
        if event is None:
            event = Event(
                association=association, source=Event.Source.IMPORTED, source_uid=uid, kind=Event.Kind.EVENT
            )
            _apply(event, values)
            event.area = services._where_area(event)
            services._review_flag(event)
            event.save()
            services.occurrences_write(event)
            summary.created += 1
        elif _apply(event, values):
            event.sequence += 1
            event.updated_at = now
            services._review_flag(event)
            event.save()
            services.occurrences_write(event)
            summary.updated += 1
        else:
            summary.unchanged += 1
    for uid, event in existing.items():
        if uid in events or event.archived:
            continue
        upcoming = [
            row.starts_at.astimezone(PARIS).date().isoformat()
            for row in event.occurrences.filter(ends_at__gt=now, cancelled=False)
        ]
        if not upcoming:
            continue  # past, or already cancelled: nothing to do
        event.cancelled_dates = sorted(set(event.cancelled_dates) | set(upcoming))
        event.sequence += 1
        event.updated_at = now
        event.save(update_fields=["cancelled_dates", "sequence", "updated_at"])
        event.occurrences.filter(ends_at__gt=now).update(cancelled=True)
        summary.cancelled += 1
    if summary.created or summary.updated or summary.cancelled:
        association_log_change(
            association=association,
            actor=None,
            origin="import",
            action="calendar_imported",
            changes={"events": {"old": None, "new": str(summary)}},
        )
    return summary


def is_due(source: CalendarSource, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return source.last_fetched_at is None or source.last_fetched_at <= now - PACE


def import_source(
    source: CalendarSource,
    *,
    dry_run: bool = False,
    fetcher: Callable[[str], bytes] = fetch.fetch_calendar,
    now: datetime.datetime | None = None,
) -> tuple[Summary | None, str]:
    """Read one listing's calendar and apply it. Returns (Summary or None, error message or "")."""
    now = now or timezone.now()
    summary: Summary | None = None
    error = ""
    try:
        body = fetcher(source.url)
        events = parse(body, now=now)
    except (fetch.FetchError, CalendarError) as failure:
        error = str(failure)
    else:
        with transaction.atomic():
            summary = synchronise(source.association, events, now=now)
            if dry_run:
                transaction.set_rollback(True)
    if dry_run:
        return summary, error
    source.last_fetched_at = now
    source.last_error = error[:500]
    fields = ["last_fetched_at", "last_error"]
    if summary is not None:
        source.last_success_at = now
        source.last_summary = str(summary)[:200]
        fields += ["last_success_at", "last_summary"]
    source.save(update_fields=fields)
    return summary, error
