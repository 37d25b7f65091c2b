"""Writes with side effects. Each function is atomic and logs what it changed."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from directory import cache as listings_cache
from directory import search
from directory.models import Association, AssociationChange, PendingChange, SlugRedirect

# The listing's public fields that its managers edit (directory/listings/state.py builds the
# proposed values of a pending change from them).
PUBLIC_FIELDS = [
    "name",
    "short_description",
    "description",
    "phone",
    "email",
    "website",
    "social_links",
    "fees",
    "fees_details",
    "reception",
    "volunteers_sought",
    "volunteers_details",
    "rna",
    "siret",
]
# Fields whose old and new values are recorded in the history: the public ones and the
# listing's address, logo, moderation state and verification.
LOGGED_FIELDS = [*PUBLIC_FIELDS, "slug", "logo", "status", "source", "trusted", "last_verified_at"]


def _jsonable(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or ""
    return str(value)


def snapshot(association, fields=LOGGED_FIELDS):
    """The listing's logged fields as JSON-ready values."""
    return {name: _jsonable(getattr(association, name)) for name in fields}


def diff(before, after):
    return {
        name: {"old": before.get(name), "new": after.get(name)}
        for name in after
        if before.get(name) != after.get(name)
    }


def association_log_change(*, association, actor, origin, action, changes=None):
    """The one entry point for the history of a listing."""
    return AssociationChange.objects.create(
        association=association,
        actor=actor if actor is not None and actor.is_authenticated else None,
        origin=origin,
        action=action,
        changes=changes or {},
    )


def unique_slug(name, *, exclude_pk=None):
    base = slugify(name)[:200].strip("-") or "association"
    taken = set(
        Association.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    ) | set(SlugRedirect.objects.filter(old_slug__startswith=base).values_list("old_slug", flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def refresh_search_text(associations):
    """Rebuild every search structure of the given associations (a queryset, a list or pks).

    Delegates to directory.search.index(): search columns, the full-text index of the database
    in use and the typo vocabulary, in bulk batches. Returns the number of rows indexed.
    What a search finds has changed, so cached result pages and counts are dropped too.
    """
    indexed = search.index(associations)
    listings_cache.bump_listings_version()
    return indexed


@transaction.atomic
def association_set_status(*, association, status, actor, origin):
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
def rna_release(*, association, actor, origin):
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


def rna_release_from_unconfirmed(rnas, *, actor=None, origin):
    """Release these numbers from the listings proposed on the site and never published
    (Association.objects.unconfirmed_submissions()); returns how many were released."""
    squatters = Association.objects.unconfirmed_submissions().filter(rna__in=rnas).select_for_update()
    return sum(rna_release(association=a, actor=actor, origin=origin) for a in squatters)


@transaction.atomic
def association_change_slug(*, association, new_slug, actor, origin):
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
def association_verify(*, association, actor, origin):
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
        changes={"last_verified_at": {"old": _jsonable(old), "new": _jsonable(today)}},
    )
