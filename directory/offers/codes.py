"""The codes of a service's terms in its narrow search row (SearchService.codes), shared by the
indexer (directory/search/documents.py) and the service-level search (directory/offers/search.py).

" f w c12 c3 l5 p7 ": `f` free, `w` walk-in, `c<id>` a need and each of its parents, `l<id>` a
language, `p<id>` an audience; a term the service leaves empty is its listing's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from directory.models import Association, Service

if TYPE_CHECKING:
    from directory.reference import Snapshot

FAR_PAST = date(1900, 1, 1)
FAR_FUTURE = date(9999, 12, 31)
FREE = "f"
WALK_IN = "w"


def category_code(pk: int) -> str:
    return f"c{pk}"


def language_code(pk: int) -> str:
    return f"l{pk}"


def audience_code(pk: int) -> str:
    return f"p{pk}"


@dataclass
class ListingTerms:
    """The listing's own terms, which a service leaving one empty inherits (ids of the reference rows)."""

    fees: str = ""
    reception: str = ""
    category_ids: Sequence[int] = ()
    language_ids: Sequence[int] = ()
    audience_ids: Sequence[int] = ()


def running_from(status: str, paused_until: date | None) -> date:
    """The first day the service runs: always, the day after its pause, or never for a pause without an end."""
    if status != Service.Status.PAUSED:
        return FAR_PAST
    if paused_until is None:
        return FAR_FUTURE
    return paused_until + timedelta(days=1)


def codes(service: Service, listing: ListingTerms, snapshot: Snapshot) -> str:
    """The space-delimited codes of a service (" f w c12 c3 l5 p7 "), its empty terms the listing's."""
    found: set[str] = set()
    # The listing's fees are its own codes (Association.Fees: "free"), the service's data·inclusion's ("gratuit").
    if service.fees == Service.Fees.FREE or (not service.fees and listing.fees == Association.Fees.FREE):
        found.add(FREE)
    if (service.reception or listing.reception) in (Service.Reception.WALK_IN, Service.Reception.BOTH):
        found.add(WALK_IN)
    category_ids = [snapshot.categories[s].pk for s in service.categories or [] if s in snapshot.categories]
    for pk in category_ids or listing.category_ids:
        category = snapshot.categories_by_id.get(pk)
        while category is not None:
            found.add(category_code(category.pk))
            category = snapshot.categories_by_id.get(category.parent_id) if category.parent_id else None
    language_ids = [snapshot.languages[c].pk for c in service.languages or [] if c in snapshot.languages]
    found.update(language_code(pk) for pk in language_ids or listing.language_ids)
    audience_ids = [snapshot.audiences[s].pk for s in service.audiences or [] if s in snapshot.audiences]
    found.update(audience_code(pk) for pk in audience_ids or listing.audience_ids)
    return " " + " ".join(sorted(found)) + " "
