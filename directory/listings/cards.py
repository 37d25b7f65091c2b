"""What a result card states beyond the listing itself: the place that matched the search (in the
area searched, or the nearest to the point), its distance, its open status now.

Everything here reads the rows `AssociationQuerySet.cards()` (or `for_cards()`) already loaded
and the in-memory reference snapshot: no query per card, nor per page. The facts depend on the
search's parameters and on the time only, as the cached results region requires
(directory/search/pages.py): `mark()` returns until when its open statuses hold, and the region
is kept no longer than that.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from directory import geo, reference
from directory.opening import calendar, rules

if TYPE_CHECKING:
    from directory.models import Area, Association, Place


@dataclass(frozen=True)
class Where:
    """What a search says of where: the areas it is restricted to (with everything below them)
    and the point it measures from."""

    area_ids: frozenset[int] = field(default_factory=frozenset)
    point: geo.Point | None = None

    @property
    def restricts(self) -> bool:
        return bool(self.area_ids) or self.point is not None

    @classmethod
    def of_areas(cls, areas: list[Area], point: geo.Point | None = None) -> Where:
        snapshot = reference.get()
        ids = frozenset(pk for area in areas for pk in snapshot.area_descendant_ids(area))
        return cls(area_ids=ids, point=point)

    @classmethod
    def of_search(cls, filterset: Any) -> Where:
        """The `territoire` of a search (or the place words its text turned into an area filter)
        and its point (lat/lon, `pres`, or the area's centre for tri=distance)."""
        data = filterset.form.cleaned_data if hasattr(filterset.form, "cleaned_data") else {}
        area = data.get("territoire")
        parsed = filterset.parsed_query
        areas = [area] if area is not None else list(parsed.areas) if parsed is not None else []
        return cls.of_areas(areas, filterset.distance.point)


def _in_areas(place: Place, area_ids: frozenset[int]) -> bool:
    # As AssociationQuerySet.in_area(): the place's commune or arrondissement, or its quartier.
    return place.area_id in area_ids or (place.quartier_id is not None and place.quartier_id in area_ids)


def distance_km(place: Place, point: geo.Point) -> float | None:
    """The place's distance to the point, as geo.within() measures it in SQL (None if unlocated)."""
    if place.lat is None or place.lon is None:
        return None
    k_lat, k_lon = point.squared_km_factors()
    dy, dx = (place.lat - point.lat) * k_lat, (place.lon - point.lon) * k_lon
    return math.sqrt(dy * dy + dx * dx)


def matched_place(association: Association, where: Where) -> tuple[Place | None, float | None]:
    """(the place to show, its distance in km or None): among the places in the searched areas
    (all of them without an area), the nearest to the point if there is one, else the first."""
    places = list(association.places.all())
    candidates = [place for place in places if _in_areas(place, where.area_ids)] if where.area_ids else places
    candidates = candidates or places
    if not candidates:
        return None, None
    if where.point is None:
        return candidates[0], None
    point = where.point
    located = [(km, place) for place in candidates if (km := distance_km(place, point)) is not None]
    if not located:
        return candidates[0], geo.distance_km(association)
    km, place = min(located, key=lambda pair: pair[0])
    return place, km


def listing_status(association: Association, now: datetime) -> rules.Status:
    """The open status of a listing: an open place's, else the place that opens first, else
    'Horaires non précisés'."""
    statuses = [rules.status(rules.Rules.of_place(place), now) for place in association.places.all()]
    return best_status(statuses)


def best_status(statuses: list[rules.Status]) -> rules.Status:
    known = [status for status in statuses if status.known]
    if not known:
        return rules.Status(known=False)
    open_now = [status for status in known if status.is_open]
    if open_now:
        return max(open_now, key=lambda status: status.closes or datetime.min.time())
    upcoming = [status for status in known if status.opens_on is not None]
    if upcoming:
        return min(upcoming, key=lambda status: (status.opens_on, status.opens))
    return known[0]


def mark(associations: list[Association], where: Where, now: datetime | None = None) -> datetime | None:
    """Set on each listing what its card shows: `card_place` (the matched place, when the search
    restricts where), `card_distance_km`, `card_status` (that place's open status, else the
    listing's). Returns the first moment one of these statuses changes (None: none changes)."""
    now = now or calendar.now()
    changes: list[datetime] = []
    for association in associations:
        if where.restricts:
            place, km = matched_place(association, where)
        else:
            place, km = None, geo.distance_km(association)
        association.card_place = place  # type: ignore[attr-defined]  # what the card template reads
        association.card_distance_km = km  # type: ignore[attr-defined]
        if place is not None:
            status = rules.status(rules.Rules.of_place(place), now)
        else:
            status = listing_status(association, now)
        association.card_status = status  # type: ignore[attr-defined]
        change = rules.next_change(status, now)
        if change is not None:
            changes.append(change)
    return min(changes, default=None)
