"""Writes of the agenda: events published, updated, archived, a date cancelled or restored
by the managers; reviewed by moderators (post-moderation); the calendar address of a listing.

Each change is logged in the listing's history (directory.services.association_log_change),
rewrites the event's occurrences (recurrence.expand) and bumps its iCalendar SEQUENCE, so
that subscribed phones replace their copy. Publishing, editing and withdrawing go through the
base of what managers post (directory/posted.py), as news items and volunteer needs do.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from directory.agenda import recurrence
from directory.listings.services import association_log_change
from directory.models import CalendarSource, Event, EventOccurrence
from directory.posted import posted_item_archive, posted_item_publish, posted_item_update

if TYPE_CHECKING:
    from django.contrib.auth.models import User as Account

    from directory.models import Area, Association, Place

# The fields a manager writes; their old and new values go to the listing's history.
EVENT_FIELDS = (
    "kind",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "recurrence",
    "month_week",
    "repeat_until",
    "repeat_count",
    "skip_holidays",
    "place",
    "address",
    "area",
    "is_free",
    "registration_url",
)
M2M_FIELDS = ("audiences", "languages")
DOUBLE_SUBMIT = datetime.timedelta(minutes=10)


class AgendaError(Exception):
    """A refused agenda action, with a message for the person."""


def _where_area(event: Event) -> Area | None:
    """The area the /agenda/ filter reads: the place's, else the chosen one, else the listing's."""
    return _area_for(event.association, event.place, event.area)


def _area_for(association: Association, place: Place | None, area: Area | None) -> Area | None:
    if place is not None:
        return place.area
    if area is not None:
        return area
    first = association.places.select_related("area").order_by("position", "pk").first()
    return first.area if first is not None else None


def occurrences_write(event: Event) -> int:
    """Replace the event's occurrences with what its recurrence expands to."""
    rows = recurrence.expand(event)
    EventOccurrence.objects.filter(event=event).delete()
    EventOccurrence.objects.bulk_create(
        [
            EventOccurrence(event=event, starts_at=start, ends_at=end, cancelled=off)
            for start, end, off in rows
        ]
    )
    return len(rows)


def _review_flag(event: Event) -> None:
    """Post-moderation: a listing the moderators trust publishes without a look."""
    if not event.association.trusted:
        event.needs_review = True
        event.reviewed_at = None
        event.reviewed_by = None


def _revised(event: Event) -> list[str]:
    """A change subscribers should see: the next SEQUENCE, and a look again if untrusted."""
    event.sequence += 1
    _review_flag(event)
    return ["sequence", "needs_review", "reviewed_at", "reviewed_by"]


def _next_sequence(event: Event) -> list[str]:
    """Withdrawn: subscribers' calendars drop the event at its next SEQUENCE."""
    event.sequence += 1
    return ["sequence"]


@transaction.atomic
def event_publish(
    *, association: Association, user: Account | None, values: Mapping[str, Any], origin: str = "manager"
) -> Event:
    """Publish an event at once; untrusted listings' events wait in the moderators' queue.

    A double submit (the same title at the same time on the listing within DOUBLE_SUBMIT) returns
    the event already published instead of a twin."""
    twin = (
        Event.objects.select_for_update(of=("self",))
        .filter(
            association=association,
            source=Event.Source.MANUAL,
            archived=False,
            title=values["title"],
            starts_at=values["starts_at"],
            created_at__gte=timezone.now() - DOUBLE_SUBMIT,
        )
        .first()
    )
    if twin is not None:
        return twin
    event = Event(association=association, **{f: values[f] for f in EVENT_FIELDS})
    event.area = _where_area(event)
    _review_flag(event)
    posted_item_publish(item=event, user=user, origin=origin)
    for name in M2M_FIELDS:
        getattr(event, name).set(values.get(name, []))
    occurrences_write(event)
    return event


@transaction.atomic
def event_update(
    *, event: Event, user: Account | None, values: Mapping[str, Any], origin: str = "manager"
) -> list[str]:
    """Save what changed; returns the names of the changed fields (nothing logged if none)."""
    event = (
        Event.objects.select_for_update(of=("self",))
        .select_related("association", "place__area")
        .get(pk=event.pk)
    )
    values = {
        **{name: values[name] for name in EVENT_FIELDS},
        "area": _area_for(event.association, values["place"], values["area"]),
        **{name: list(values.get(name, [])) for name in M2M_FIELDS},
    }
    changed = posted_item_update(item=event, user=user, values=values, origin=origin, on_change=_revised)
    if changed:
        occurrences_write(event)
    return changed


@transaction.atomic
def event_archive(*, event: Event, user: Account | None, origin: str = "manager") -> bool:
    """Withdraw an event (kept, archived). Returns False if it already was."""
    event = Event.objects.select_for_update(of=("self",)).select_related("association").get(pk=event.pk)
    return posted_item_archive(item=event, user=user, origin=origin, on_change=_next_sequence)


@transaction.atomic
def occurrence_set_cancelled(
    *, event: Event, user: Account | None, day: datetime.date, cancelled: bool, origin: str = "manager"
) -> bool:
    """Cancel (or restore) the event's date `day` (a date). Returns False if nothing changed.

    Raises AgendaError for a day the event does not take place on.
    """
    event = Event.objects.select_for_update(of=("self",)).select_related("association").get(pk=event.pk)
    occurrence = next(
        (row for row in event.occurrences.all() if timezone.localtime(row.starts_at).date() == day), None
    )
    if occurrence is None:
        raise AgendaError("no occurrence on that day")
    key = day.isoformat()
    dates = set(event.cancelled_dates)
    if (key in dates) == cancelled:
        return False
    dates = dates | {key} if cancelled else dates - {key}
    event.cancelled_dates = sorted(dates)
    event.sequence += 1
    event.updated_at = timezone.now()
    event.save(update_fields=["cancelled_dates", "sequence", "updated_at"])
    occurrence.cancelled = cancelled
    occurrence.save(update_fields=["cancelled"])
    association_log_change(
        association=event.association,
        actor=user,
        origin=origin,
        action="event_date_cancelled" if cancelled else "event_date_restored",
        changes={
            "event.cancelled_dates": {
                "old": f"{event.title} {key}" if not cancelled else None,
                "new": f"{event.title} {key}" if cancelled else None,
            }
        },
    )
    return True


@transaction.atomic
def event_review(*, event: Event, moderator: Account) -> bool:
    """A moderator has looked at the event: it leaves the queue. Returns False if it already had."""
    from directory import access

    if not access.can_moderate(moderator, event.association):
        raise AgendaError("outside the moderator's areas")
    updated = Event.objects.filter(pk=event.pk, needs_review=True).update(
        needs_review=False, reviewed_by=moderator, reviewed_at=timezone.now()
    )
    return bool(updated)


@transaction.atomic
def calendar_source_set(
    *, association: Association, user: Account | None, url: str, origin: str = "manager"
) -> CalendarSource | None:
    """Set, change or (with an empty url) remove the listing's calendar address."""
    source = CalendarSource.objects.select_for_update().filter(association=association).first()
    old = source.url if source is not None else None
    if not url:
        if source is None:
            return None
        source.delete()
        source = None
    elif source is None:
        source = CalendarSource.objects.create(association=association, url=url, added_by=user)
    elif source.url != url:
        source.url = url
        source.added_by = user
        source.last_error = ""
        source.last_fetched_at = None  # a new address is read at the next run, whatever the pace
        source.save(update_fields=["url", "added_by", "last_error", "last_fetched_at"])
    else:
        return source
    association_log_change(
        association=association,
        actor=user,
        origin=origin,
        action="calendar_source_changed",
        changes={"calendar_source": {"old": old, "new": url or None}},
    )
    return source
