"""Listing-wide writes with side effects. Each function is atomic and logs what it changed
(the state and its diff: directory/listings/state.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify

from directory import cache as listings_cache
from directory import search
from directory.listings import state
from directory.models import Association, AssociationChange, PendingChange, SlugRedirect
from directory.offers import quality

if TYPE_CHECKING:
    from directory.access import User
    from directory.listings.state import Changes


def association_log_change(
    *, association: Association, actor: User | None, origin: str, action: str, changes: Changes | None = None
) -> AssociationChange:
    """The one entry point for the history of a listing."""
    return AssociationChange.objects.create(
        association=association,
        actor=actor if actor is not None and actor.is_authenticated else None,
        origin=origin,
        action=action,
        changes=changes or {},
    )


def unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:200].strip("-") or "association"
    taken = set(
        Association.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)  # type: ignore[misc]  # None excludes nothing
        .values_list("slug", flat=True)
    ) | set(SlugRedirect.objects.filter(old_slug__startswith=base).values_list("old_slug", flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def refresh_search_text(associations: QuerySet[Association] | Iterable[Association | int]) -> int:
    """Rebuild every search structure of the given associations (a queryset, a list or pks).

    Delegates to directory.search.index(): search columns, the full-text index of the database
    in use and the typo vocabulary, in bulk batches. Returns the number of rows indexed.
    What a search finds has changed, so cached result pages and counts are dropped too.
    """
    indexed: int = search.index(associations)
    quality.refresh(
        associations.values_list("pk", flat=True) if isinstance(associations, QuerySet) else associations
    )
    listings_cache.bump_listings_version()
    return indexed


@transaction.atomic
def association_create(*, association: Association, actor: User | None, origin: str) -> None:
    """Save a new listing built field by field (the admin's form), at a free address, logged."""
    association.slug = association.slug or unique_slug(association.name)
    association.save()
    association_log_change(
        association=association,
        actor=actor,
        origin=origin,
        action="created",
        changes=state.changes({}, state.snapshot(association)),
    )


@transaction.atomic
def association_update(
    *, association: Association, actor: User | None, origin: str, new_slug: str = ""
) -> Changes:
    """Save a listing edited field by field (the admin's form); returns the logged changes.

    Its address changes only through association_change_slug (the old one keeps redirecting),
    its version moves (a manager's form opened before this edit is now a conflict), and every
    changed field of its row is logged against the stored one.
    """
    stored = Association.objects.get(pk=association.pk)
    before = state.snapshot(stored)
    now = timezone.now()
    association.slug = stored.slug
    association.updated_at = now
    if stored.status != association.status:
        association.status_changed_at = now
    association.version += 1
    association.save()
    if new_slug and new_slug != stored.slug:
        association_change_slug(association=association, new_slug=new_slug, actor=actor, origin=origin)
    changes = state.changes(before, state.snapshot(association))
    changes.pop("slug", None)  # association_change_slug logged it
    if changes:
        association_log_change(
            association=association, actor=actor, origin=origin, action="updated", changes=changes
        )
    return changes


@transaction.atomic
def association_set_status(*, association: Association, status: str, actor: User | None, origin: str) -> bool:
    """Publish, archive, reject… a listing, logging the transition."""
    if association.status == status:
        return False
    old = association.status
    association.status = status
    association.status_changed_at = timezone.now()
    association.updated_at = timezone.now()
    association.save(update_fields=["status", "status_changed_at", "updated_at"])
    search.sync_rows([association.pk])  # only published listings have a narrow search row
    listings_cache.bump_listings_version()  # home counts, sitemaps (directory/cache.py)
    association_log_change(
        association=association,
        actor=actor,
        origin=origin,
        action=f"status:{status}",
        changes={"status": {"old": old, "new": status}},
    )
    return True


@transaction.atomic
def rna_release(*, association: Association, actor: User | None, origin: str) -> bool:
    """Clear the listing's RNA number, logged, and in its open pending change: the number is
    free for the registry import and for the association it really belongs to."""
    old = association.rna
    if not old:
        return False
    association.rna = ""
    association.updated_at = timezone.now()
    association.save(update_fields=["rna", "updated_at"])
    for change in PendingChange.objects.open().filter(association=association, proposed__rna=old):
        change.proposed = {**change.proposed, "rna": ""}
        change.save(update_fields=["proposed"])
    association_log_change(
        association=association,
        actor=actor,
        origin=origin,
        action="rna_released",
        changes={"rna": {"old": old, "new": ""}},
    )
    return True


def rna_release_from_unconfirmed(rnas: Iterable[str], *, actor: User | None = None, origin: str) -> int:
    """Release these numbers from the listings proposed on the site and never published
    (Association.objects.unconfirmed_submissions()); returns how many were released."""
    squatters = Association.objects.unconfirmed_submissions().filter(rna__in=rnas).select_for_update()
    return sum(rna_release(association=a, actor=actor, origin=origin) for a in squatters)


@transaction.atomic
def association_change_slug(
    *, association: Association, new_slug: str, actor: User | None, origin: str
) -> bool:
    """Give a listing a new address; the old one keeps answering with a 301."""
    old_slug = association.slug
    if new_slug == old_slug:
        return False
    SlugRedirect.objects.filter(old_slug=new_slug).delete()
    SlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"association": association})
    association.slug = new_slug
    association.save(update_fields=["slug"])
    association_log_change(
        association=association,
        actor=actor,
        origin=origin,
        action="slug",
        changes={"slug": {"old": old_slug, "new": new_slug}},
    )
    return True


@transaction.atomic
def association_verify(*, association: Association, actor: User | None, origin: str) -> None:
    """Record that someone checked the listing is still correct, without any other change."""
    today = timezone.localdate()
    old = association.last_verified_at
    association.last_verified_at = today
    association.last_verified_by = actor if actor and actor.is_authenticated else None
    association.save(update_fields=["last_verified_at", "last_verified_by"])
    association_log_change(
        association=association,
        actor=actor,
        origin=origin,
        action="verified",
        changes={"last_verified_at": {"old": state.jsonable(old), "new": state.jsonable(today)}},
    )
