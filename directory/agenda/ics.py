"""iCalendar out (RFC 5545, through the `icalendar` package): one event, one listing's agenda,
or the filtered agenda of the site, as a calendar a phone subscribes to.

- UID: the event's UUID @ the site's host, stable for the event's life;
- DTSTART/DTEND in Europe/Paris with its VTIMEZONE; RRULE for a manual recurrence, EXDATE for
  the public holidays it skips; RDATE for the dates an imported calendar gave;
- a cancelled date: an override (RECURRENCE-ID) with STATUS:CANCELLED; a withdrawn event is
  left out (subscribers drop it at the next refresh);
- SEQUENCE: bumped by the services on every change (directory/agenda/services.py).
"""

import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings

from directory.agenda import recurrence
from directory.models import Event

CONTENT_TYPE = "text/calendar; charset=utf-8"
PRODID = "-//Lyon Assos//Agenda//FR"


def uid(event: Event) -> str:
    return f"{event.uid}@{urlsplit(settings.SITE_URL).hostname or 'lyon-assos'}"


def _base(event: Event, start: datetime.datetime, end: datetime.datetime) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", uid(event))
    vevent.add("dtstamp", event.updated_at.astimezone(datetime.UTC))
    vevent.add("last-modified", event.updated_at.astimezone(datetime.UTC))
    vevent.add("created", event.created_at.astimezone(datetime.UTC))
    vevent.add("sequence", event.sequence)
    vevent.add("dtstart", start)
    vevent.add("dtend", end)
    vevent.add("summary", event.title)
    description = event.description
    if event.registration_url:
        description = f"{description}\n\nInscription : {event.registration_url}".strip()
    if description:
        vevent.add("description", description)
    if event.where:
        vevent.add("location", event.where)
    vevent.add("url", settings.SITE_URL + event.get_absolute_url())
    vevent.add(
        "organizer",
        f"{settings.SITE_URL}{event.association.get_absolute_url()}",
        parameters={"CN": event.association.name},
    )
    vevent.add("status", "CONFIRMED")
    return vevent


def event_components(event: Event) -> list[icalendar.Event]:
    """The VEVENTs of one event: the master, then one override per cancelled date."""
    first = event.starts_at.astimezone(recurrence.PARIS)
    duration = event.ends_at - event.starts_at
    master = _base(event, first, first + duration)
    if event.imported_dates:
        dates = [
            datetime.datetime.fromisoformat(value).astimezone(recurrence.PARIS)
            for value in event.imported_dates
        ]
        extra = [date for date in dates if date != first]
        if extra:
            master.add("rdate", extra)
    else:
        parts = recurrence.rule_parts(event)
        if parts is not None:
            master.add("rrule", icalendar.vRecur.from_ical(";".join(f"{k}={v}" for k, v in parts.items())))
            skipped = [start.replace(tzinfo=recurrence.PARIS) for start in recurrence.skipped_holidays(event)]
            if skipped:
                master.add("exdate", skipped)
    components = [master]
    cancelled = set(event.cancelled_dates)
    for start, end, off in recurrence.expand(event):
        if off and start.date().isoformat() in cancelled:
            if start == first and not event.is_recurring:
                master["status"] = icalendar.vText("CANCELLED")
                continue
            override = _base(event, start, end)
            override.add("recurrence-id", start)
            override["status"] = icalendar.vText("CANCELLED")
            components.append(override)
    return components


def calendar(events: Iterable[Event], *, name: str, description: str = "") -> bytes:
    """The .ics body (bytes) of `events` (their association loaded)."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("name", name)
    if description:
        cal.add("x-wr-caldesc", description)
    cal.add("x-wr-timezone", "Europe/Paris")
    # Subscribed calendars: a refresh every six hours is plenty (RFC 7986 REFRESH-INTERVAL).
    cal.add("refresh-interval", datetime.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT6H")
    for event in events:
        for component in event_components(event):
            cal.add_component(component)
    cal.add_missing_timezones()
    body: bytes = cal.to_ical()
    return body


def filename(text: str) -> str:
    from django.utils.text import slugify

    return f"{slugify(text)[:60] or 'agenda'}.ics"
