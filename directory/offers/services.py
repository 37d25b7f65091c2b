"""Writes of a listing's services.

- The association space's pages propose the listing's values with its services changed, through
  the editing workflow's pending change (directory/editing/services.py), so that services are
  moderated, published at once on trusted listings, logged and reverted like every other field.
- The data·inclusion import (directory/offers/importer.py) creates a listing, proposes services
  and missing fields for a matched one, and records what was imported; logged with origin "import".
Each write is atomic.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from django.db import transaction

from directory import reference
from directory.editing import services as editing
from directory.listings import state
from directory.listings.services import association_log_change, refresh_search_text, unique_slug
from directory.models import Association, PendingChange, Place

if TYPE_CHECKING:
    from django.contrib.auth.models import User as Account

Values = dict[str, Any]


def base_values(association: Association) -> tuple[Values, PendingChange | None]:
    """The values a services page starts from: the open change's, else the listing's."""
    change = PendingChange.objects.open().filter(association=association).first()
    if change is not None:
        values = copy.deepcopy(change.proposed)
        values.setdefault(
            "services", state.values_from_association(state.for_values().get(pk=association.pk))["services"]
        )
        return values, change
    return state.values_from_association(state.for_values().get(pk=association.pk)), None


def services_propose(
    *,
    association: Association,
    user: Account,
    services: list[Values],
    base_version: int,
    pending_revision: int,
    form_token: str,
) -> PendingChange:
    """Propose the listing's values with `services` as its services, from the version (or the
    open change's revision) the form was opened at. Raises editing.EditConflict when either moved,
    and returns the first change of a form posted twice."""
    values, change = base_values(association)
    snap = reference.get()
    values["services"] = [state.clean_service_values(service, snap) for service in services]
    if pending_revision:
        if change is None:
            raise editing.EditConflict(current=values, association=association)
        return editing.pending_change_amend(
            change=change, user=user, values=values, revision=pending_revision, form_token=form_token
        )
    return editing.pending_change_submit(
        association=association, user=user, values=values, base_version=base_version, form_token=form_token
    )


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
    return editing.pending_change_import(association=association, values=values)


@transaction.atomic
def listing_import_record(*, association: Association, key: str, record: dict[str, Any]) -> None:
    """Remember what was imported for this structure (its digest and values): the listing's row
    only, none of its other fields, its version untouched."""
    listing = (
        Association.objects.select_for_update().only("pk", "datainclusion_imported").get(pk=association.pk)
    )
    imported = {**(listing.datainclusion_imported or {}), key: record}
    Association.objects.filter(pk=association.pk).update(datainclusion_imported=imported)
