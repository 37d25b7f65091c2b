"""Figures of the moderation dashboard and its small server-rendered SVG chart."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone

from directory import reference
from directory.access import moderated, moderated_associations
from directory.models import Association, AssociationChange, Place
from directory.moderation import queue

WEEKS = 12


def by_status(user):
    rows = moderated_associations(user).values("status").annotate(n=Count("pk")).order_by("status")
    labels = dict(Association.Status.choices)
    return [(labels.get(row["status"], row["status"]), row["n"]) for row in rows]


def by_category(user):
    """Published listings per need (top-level category), most first."""
    links = Association.categories.through.objects.filter(
        association__in=moderated_associations(user).published().values("pk")
    )
    rows = (
        links.annotate(top=Coalesce("category__parent_id", "category_id"))
        .values("top")
        .annotate(n=Count("association_id", distinct=True))
        .order_by("-n")
    )
    snap = reference.get()
    return [
        (snap.categories_by_id[row["top"]].name, row["n"])
        for row in rows
        if row["top"] in snap.categories_by_id
    ]


def by_area(user, limit=15):
    """Published listings per commune or arrondissement, most first."""
    rows = (
        Place.objects.filter(association__in=moderated_associations(user).published().values("pk"))
        .values("area_id")
        .annotate(n=Count("association_id", distinct=True))
        .order_by("-n")[:limit]
    )
    snap = reference.get()
    return [(snap.areas_by_id[row["area_id"]].short_name, row["n"]) for row in rows]


@dataclass
class Bar:
    label: str
    value: int
    x: int
    y: int
    height: int


def published_per_week(user, *, today=None, weeks=WEEKS):
    """[(monday, count)] of listings published each of the last `weeks` weeks, oldest first.

    A publication is a logged "status:published" change (a moderator's approval or action), or,
    for listings created already published without that log (RNA import, demo data), their
    creation.
    """
    today = today or timezone.localdate()
    first_monday = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    start = timezone.make_aware(datetime.combine(first_monday, time.min))
    published = AssociationChange.objects.filter(action="status:published")
    events = list(
        moderated(user, published.filter(created_at__gte=start)).values_list("created_at", flat=True)
    )
    events += (
        moderated_associations(user)
        .filter(created_at__gte=start, status__in=[Association.Status.PUBLISHED, Association.Status.ARCHIVED])
        .exclude(Exists(published.filter(association=OuterRef("pk"))))
        .values_list("created_at", flat=True)
    )
    counts = [0] * weeks
    for when in events:
        day = timezone.localtime(when).date()
        counts[min((day - first_monday).days // 7, weeks - 1)] += 1
    return [(first_monday + timedelta(weeks=i), counts[i]) for i in range(weeks)]


def chart(series, *, width=600, height=180, margin=24):
    """Bars (in SVG user units) for the weekly series: the template draws them."""
    top = max((value for _, value in series), default=0) or 1
    slot = (width - margin) // max(len(series), 1)
    bars = []
    for index, (monday, value) in enumerate(series):
        bar_height = round((height - 2 * margin) * value / top)
        bars.append(
            Bar(
                label=monday.strftime("%d/%m"),
                value=value,
                x=margin + index * slot,
                y=height - margin - bar_height,
                height=bar_height,
            )
        )
    return {
        "bars": bars,
        "width": width,
        "height": height,
        "bar_width": max(slot - 6, 4),
        "baseline": height - margin,
    }


def least_complete(user, limit=10):
    """The published listings that miss most to be useful (directory/offers/quality.py), to help
    their associations complete them."""
    return list(
        moderated_associations(user)
        .published()
        .order_by("quality", "pk")
        .only("pk", "name", "slug", "quality")[:limit]
    )


def context(user):
    waiting = queue.queue_page(user, per_page=10_000)
    oldest, median = queue.oldest_waits(waiting.items)
    series = published_per_week(user)
    return {
        "counts": waiting.counts,
        "kinds": queue.KINDS,
        "by_status": by_status(user),
        "by_category": by_category(user),
        "by_area": by_area(user),
        "least_complete": least_complete(user),
        "oldest": oldest,
        "median_wait": median,
        "series": series,
        "chart": chart(series),
    }
