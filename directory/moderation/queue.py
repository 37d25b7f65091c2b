"""The moderation queue: everything that waits for a decision, oldest first.

Seven kinds, each one QuerySet narrowed by the moderator's areas (access.moderated_associations) and
the page's filters. `queue_items` costs a fixed number of queries whatever the queue's length:
one per kind, one for the main place of the listings shown, one for the review locks.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import DateField, F, Q
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.access import moderated_associations
from directory.models import Association, Claim, DuplicateCandidate, Event, PendingChange, Place, Report
from directory.moderation.locks import active_locks

STALE_AFTER = timedelta(days=365)

KINDS = {
    "new_listing": _("Nouvelles fiches"),
    "edit": _("Modifications proposées"),
    "claim": _("Demandes de gestion"),
    "report": _("Signalements"),
    "stale": _("Fiches à revérifier"),
    "duplicate": _("Doublons possibles"),
    "event": _("Rendez-vous publiés à relire"),
}
# The lock kind of each queue kind (a new listing and an edit are both pending changes).
LOCK_KINDS = {
    "new_listing": "change",
    "edit": "change",
    "claim": "claim",
    "report": "report",
    "stale": "stale",
    "duplicate": "duplicate",
    "event": "event",
}


@dataclass
class QueueItem:
    kind: str
    object_id: int
    association: Association
    since: datetime
    title: str
    detail: str = ""
    url: str = ""
    area: str = ""
    lock: object = None

    @property
    def kind_label(self):
        return KINDS[self.kind]

    @property
    def lock_kind(self):
        return LOCK_KINDS[self.kind]


def stale_listings(queryset=None):
    """Published listings not verified for 12 months (never verified: created over 12 months ago)."""
    queryset = queryset if queryset is not None else Association.objects.all()
    limit = timezone.now() - STALE_AFTER
    return (
        queryset.published()
        .filter(Q(last_verified_at__lt=limit.date()) | Q(last_verified_at__isnull=True, created_at__lt=limit))
        .annotate(
            stale_since=Coalesce(F("last_verified_at"), TruncDate("created_at"), output_field=DateField())
        )
    )


def querysets(user, *, area=None, category=None):
    """{kind: QuerySet} of what waits, restricted to the moderator's areas and the filters."""
    listings = moderated_associations(user)
    if area is not None:
        listings = listings.in_area(area)
    if category is not None:
        listings = listings.in_category(category)
    ids = listings.values("pk")
    changes = (
        PendingChange.objects.open().filter(association__in=ids).select_related("association", "submitted_by")
    )
    return {
        "new_listing": changes.filter(kind=PendingChange.Kind.NEW_LISTING).order_by("created_at", "pk"),
        "edit": changes.filter(kind=PendingChange.Kind.EDIT).order_by("created_at", "pk"),
        "claim": Claim.objects.filter(
            association__in=ids, method=Claim.Method.REVIEW, status=Claim.Status.PENDING, to_managers=False
        )
        .select_related("association", "user")
        .order_by("created_at", "pk"),
        "report": Report.objects.open()
        .filter(association__in=ids)
        .select_related("association")
        .order_by("created_at", "pk"),
        "stale": stale_listings(listings).order_by("stale_since", "pk"),
        "duplicate": DuplicateCandidate.objects.open()
        .filter(Q(first__in=ids) | Q(second__in=ids))
        .select_related("first", "second")
        .order_by("created_at", "pk"),
        # Post-moderation: already public, waiting for a look (directory/agenda/admin.py).
        "event": Event.objects.to_review()
        .filter(association__in=ids)
        .select_related("association")
        .order_by("updated_at", "pk"),
    }


def counts(user, **filters):
    """{kind: number waiting} (one COUNT per kind)."""
    return {kind: qs.count() for kind, qs in querysets(user, **filters).items()}


def _as_datetime(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _item(kind, obj):
    if kind in ("new_listing", "edit"):
        who = obj.submitted_by.get_username() if obj.submitted_by_id else ""
        return QueueItem(
            kind, obj.pk, obj.association, obj.created_at, obj.association.name, who,
            reverse("admin:moderation_change", args=[obj.pk]),
        )  # fmt: skip
    if kind == "claim":
        return QueueItem(
            kind, obj.pk, obj.association, obj.created_at, obj.association.name, obj.user.get_username(),
            reverse("admin:moderation_claim", args=[obj.pk]),
        )  # fmt: skip
    if kind == "report":
        return QueueItem(
            kind, obj.pk, obj.association, obj.created_at, obj.association.name, obj.get_reason_display(),
            reverse("admin:moderation_report", args=[obj.pk]),
        )  # fmt: skip
    if kind == "stale":
        return QueueItem(
            kind, obj.pk, obj, _as_datetime(obj.stale_since), obj.name, "",
            reverse("admin:moderation_stale", args=[obj.pk]),
        )  # fmt: skip
    if kind == "event":
        return QueueItem(
            kind, obj.pk, obj.association, obj.updated_at, obj.association.name, obj.title,
            reverse("admin:directory_event_change", args=[obj.pk]),
        )  # fmt: skip
    return QueueItem(
        kind, obj.pk, obj.first, obj.created_at, f"{obj.first.name} ≈ {obj.second.name}", obj.get_reason_display(),
        reverse("admin:moderation_duplicate", args=[obj.pk]),
    )  # fmt: skip


def queue_items(user, *, kind=None, area=None, category=None, limit=100):
    """The `limit` oldest items (of one kind or all), with their main area and lock."""
    items = []
    for name, queryset in querysets(user, area=area, category=category).items():
        if kind and name != kind:
            continue
        items.extend(_item(name, obj) for obj in queryset[:limit])
    items.sort(key=lambda item: (item.since, item.kind, item.object_id))
    items = items[:limit]
    association_ids = {item.association.pk for item in items}
    main_area = {}
    places = (
        Place.objects.filter(association_id__in=association_ids)
        .select_related("area")
        .order_by("-position", "-pk")
    )
    for place in places:  # the last one written is the first place
        main_area[place.association_id] = place.area.short_name
    by_kind = {}
    for item in items:
        item.area = main_area.get(item.association.pk, "—")
        by_kind.setdefault(item.lock_kind, []).append(item.object_id)
    locks = active_locks(by_kind)
    for item in items:
        item.lock = locks.get((item.lock_kind, item.object_id))
    return items


def oldest_waits(user):
    """(oldest datetime, median wait as a timedelta) over everything in the queue, or (None, None)."""
    now = timezone.now()
    items = queue_items(user, limit=10_000)
    if not items:
        return None, None
    waits = sorted(now - item.since for item in items)
    middle = len(waits) // 2
    median = waits[middle] if len(waits) % 2 else (waits[middle - 1] + waits[middle]) / 2
    return items[0].since, median
