"""The moderation queue: everything that waits for a decision, decisions first.

Seven kinds, in the order a moderator should take them: new listings (someone waits to appear),
proposed changes, claims and reports, possible duplicates and published events to reread, then
the listings to re-verify; within a kind, the oldest first. Each kind reads one or two QuerySets
(`SOURCES`) narrowed by the moderator's areas (access.moderated_associations) and the page's
filters. A listing "en attente de validation" always has a place in the queue: through its open
pending change, or, when it has none (demo data, a status set by hand in the admin), as a pending
listing whose review opens one (services.pending_listing_open).

`queue_items` returns one page of the queue; as the kinds come in a fixed order, a page is a slice
of their concatenation, read from the per-kind counts: one COUNT per source, one SELECT per source
the page reaches, one for the main place of the listings shown, one for the review locks.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import DateField, Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from directory.access import moderated_associations
from directory.models import Association, Claim, DuplicateCandidate, Event, PendingChange, Place, Report
from directory.moderation.locks import active_locks

STALE_AFTER = timedelta(days=365)

PAGE_SIZE = 50
# An item older than this is late ("réponse sous 3 jours en général", says the association space).
LATE_AFTER = timedelta(days=3)

# The kinds, in the queue's order.
KINDS = {
    "new_listing": _("Nouvelles fiches"),
    "edit": _("Modifications proposées"),
    "claim": _("Demandes de gestion"),
    "report": _("Signalements"),
    "duplicate": _("Doublons possibles"),
    "event": _("Rendez-vous publiés à relire"),
    "stale": _("Fiches à revérifier"),
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

    @property
    def age(self):
        """How long it has waited, in the largest whole unit ("3 jours", "5 heures")."""
        wait = max(timezone.now() - self.since, timedelta(0))
        if wait.days:
            return ngettext("%(n)d jour", "%(n)d jours", wait.days) % {"n": wait.days}
        hours = wait.seconds // 3600
        if hours:
            return ngettext("%(n)d heure", "%(n)d heures", hours) % {"n": hours}
        minutes = wait.seconds // 60
        if not minutes:
            return gettext("moins d'une minute")
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}

    @property
    def is_late(self):
        """A decision waiting past the promised delay (re-verifications are not promised)."""
        return self.kind != "stale" and timezone.now() - self.since > LATE_AFTER


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


def pending_without_change(queryset):
    """Listings "en attente de validation" without any open pending change: nothing else in the
    queue would reach them. Their wait starts when they became pending."""
    return (
        queryset.filter(status=Association.Status.PENDING)
        .exclude(Exists(PendingChange.objects.open().filter(association=OuterRef("pk"))))
        .annotate(pending_since=Coalesce(F("status_changed_at"), F("created_at")))
    )


# Where each source's listing quality is (directory/offers/quality.py), for `by_quality`.
QUALITY_PATHS = {
    Association: "quality",
    PendingChange: "association__quality",
    Claim: "association__quality",
    Report: "association__quality",
    Event: "association__quality",
    DuplicateCandidate: "first__quality",
}


def _least_complete_first(queryset):
    return queryset.order_by(QUALITY_PATHS[queryset.model], *queryset.query.order_by)


def sources(user, *, area=None, category=None, by_quality=False):
    """[(kind, QuerySet)] of what waits, in the queue's order, restricted to the moderator's
    areas and the filters (a kind may have two sources: new listings). Within a kind, the oldest
    first, or with `by_quality` the least complete listings first (then the oldest)."""
    if by_quality:
        return [(kind, _least_complete_first(qs)) for kind, qs in sources(user, area=area, category=category)]
    listings = moderated_associations(user)
    if area is not None:
        listings = listings.in_area(area)
    if category is not None:
        listings = listings.in_category(category)
    ids = listings.values("pk")
    changes = (
        PendingChange.objects.open().filter(association__in=ids).select_related("association", "submitted_by")
    )
    new_listing = Q(kind=PendingChange.Kind.NEW_LISTING) | Q(association__status=Association.Status.PENDING)
    return [
        # A change of a listing never published (still pending) is a new listing whatever its kind.
        ("new_listing", changes.filter(new_listing).order_by("created_at", "pk")),
        ("new_listing", pending_without_change(listings).order_by("pending_since", "pk")),
        ("edit", changes.exclude(new_listing).order_by("created_at", "pk")),
        (
            "claim",
            Claim.objects.filter(
                association__in=ids,
                method=Claim.Method.REVIEW,
                status=Claim.Status.PENDING,
                to_managers=False,
            )
            .select_related("association", "user")
            .order_by("created_at", "pk"),
        ),
        (
            "report",
            Report.objects.open()
            .filter(association__in=ids)
            .select_related("association")
            .order_by("created_at", "pk"),
        ),
        (
            "duplicate",
            DuplicateCandidate.objects.open()
            .filter(Q(first__in=ids) | Q(second__in=ids))
            .select_related("first", "second")
            .order_by("created_at", "pk"),
        ),
        # Post-moderation: already public, waiting for a look (directory/agenda/admin.py).
        (
            "event",
            Event.objects.to_review()
            .filter(association__in=ids)
            .select_related("association")
            .order_by("updated_at", "pk"),
        ),
        ("stale", stale_listings(listings).order_by("stale_since", "pk")),
    ]


def _source_counts(user, **filters):
    """[(kind, QuerySet, number waiting)] (one COUNT per source)."""
    return [(kind, qs, qs.count()) for kind, qs in sources(user, **filters)]


def _by_kind(source_counts):
    totals = dict.fromkeys(KINDS, 0)
    for kind, _qs, n in source_counts:
        totals[kind] += n
    return totals


def counts(user, **filters):
    """{kind: number waiting}, in the queue's order (one COUNT per source)."""
    return _by_kind(_source_counts(user, **filters))


def _as_datetime(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _item(kind, obj):
    if kind == "new_listing" and isinstance(obj, Association):
        return QueueItem(
            kind, obj.pk, obj, obj.pending_since, obj.name, gettext("sans proposition enregistrée"),
            reverse("admin:moderation_listing_review", args=[obj.pk]),
        )  # fmt: skip
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


@dataclass
class QueuePage:
    items: list
    counts: dict
    total: int
    number: int
    pages: int

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_next(self):
        return self.number < self.pages


def queue_page(user, *, kind=None, area=None, category=None, page=1, per_page=PAGE_SIZE, by_quality=False):
    """One page of the queue (of one kind or all, in the queue's order), with the counts of
    every kind under the same filters. A page number past the end shows the last page."""
    source_counts = _source_counts(user, area=area, category=category, by_quality=by_quality)
    chosen = [(k, qs, n) for k, qs, n in source_counts if kind is None or k == kind]
    total = sum(n for _k, _qs, n in chosen)
    pages = max(1, -(-total // per_page))
    number = min(max(page, 1), pages)
    start, end = (number - 1) * per_page, number * per_page
    items = []
    offset = 0  # where this source starts in the concatenation
    for name, queryset, n in chosen:
        low, high = max(start - offset, 0), min(end - offset, n)
        if low < high:
            items.extend(_item(name, obj) for obj in queryset[low:high])
        offset += n
    _annotate(items)
    return QueuePage(items=items, counts=_by_kind(source_counts), total=total, number=number, pages=pages)


def _annotate(items):
    """Each item's main area and review lock (two queries)."""
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


def queue_items(user, *, kind=None, area=None, category=None, limit=PAGE_SIZE):
    """The first `limit` items of the queue (of one kind or all), with their main area and lock."""
    return queue_page(user, kind=kind, area=area, category=category, per_page=limit).items


def oldest_waits(items):
    """(oldest datetime, median wait as a timedelta) over these queue items, or (None, None)."""
    now = timezone.now()
    if not items:
        return None, None
    waits = sorted(now - item.since for item in items)
    middle = len(waits) // 2
    median = waits[middle] if len(waits) % 2 else (waits[middle - 1] + waits[middle]) / 2
    return now - waits[-1], median
