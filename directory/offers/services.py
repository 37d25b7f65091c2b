"""Writes of the data·inclusion import (directory/offers/importer.py): a new listing, a proposal for
a matched one, the record of what was imported. Each is atomic and logged with origin "import"."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from directory.editing import services as editing_services
from directory.listings import state
from directory.listings.services import association_log_change, refresh_search_text, unique_slug
from directory.models import Association, PendingChange, Place

if TYPE_CHECKING:
    from directory.listings.state import Values


@transaction.atomic
def listing_import_new(
    *, values: Values, source: dict[str, Any], record: dict[str, Any], publish: bool
) -> Association:
    """A listing for a structure no listing matched: marked with its source, published at once or
    waiting for a moderator like a submission (a new-listing change, submitted by nobody)."""
    association = Association.objects.create(
        name=values["name"],
        slug=unique_slug(values["name"]),
        status=Association.Status.PUBLISHED if publish else Association.Status.PENDING,
        source=Association.Source.DATAINCLUSION,
        source_producer=source["source_producer"],
        source_id=source["source_id"],
        source_url=source["source_url"],
        source_updated_at=source["source_updated_at"],
        datainclusion_imported=record,
    )
    state.apply_values(association, values)
    for place in Place.objects.filter(association=association).select_related("area"):
        # data·inclusion geocodes its addresses; a place it did not is at its commune's centre.
        at_centre = (place.lat, place.lon) == (place.area.lat, place.area.lon)
        place.location_precision = (
            Place.LocationPrecision.AREA if at_centre else Place.LocationPrecision.ADDRESS
        )
        place.save(update_fields=["location_precision"])
    refresh_search_text([association])
    association_log_change(
        association=association,
        actor=None,
        origin="import",
        action="created",
        changes=state.changes({}, {**state.snapshot(association), **values}),
    )
    if not publish:
        PendingChange.objects.create(
            association=association,
            kind=PendingChange.Kind.NEW_LISTING,
            proposed=values,
            base_version=association.version,
            submitted_by=None,
        )
    return association


def listing_import_propose(*, association: Association, values: Values) -> PendingChange | None:
    """The services and missing fields of a matched listing, as a change for moderators."""
    return editing_services.pending_change_import(association=association, values=values)


@transaction.atomic
def listing_import_record(*, association: Association, key: str, record: dict[str, Any]) -> None:
    """Remember what was imported for this structure (its digest and values): the listing's row
    only, none of its other fields, its version untouched."""
    listing = (
        Association.objects.select_for_update().only("pk", "datainclusion_imported").get(pk=association.pk)
    )
    imported = {**(listing.datainclusion_imported or {}), key: record}
    Association.objects.filter(pk=association.pk).update(datainclusion_imported=imported)
