"""Writes of the places feature: the transit stations of a feed, and the stations near each
place (kept on `Place.transit`, so that result cards read them with the place)."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from directory.models import Place, TransitStation
from directory.places import text, transit

BATCH = 2000


@dataclass
class TransitSummary:
    stations: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    places_changed: int = 0


def stations_import(*, feed: transit.FeedSummary, dry_run: bool = False) -> TransitSummary:
    """Store the stations of a read feed (transit.read_feed) and recompute the stations of every
    place; unchanged stations (their digest) and places are not written."""
    from directory import cache
    from directory.places import resolve

    summary = TransitSummary(stations=len(feed.stations))
    existing = {
        stop_id: (pk, d) for pk, stop_id, d in TransitStation.objects.values_list("pk", "stop_id", "digest")
    }
    creates, updates = [], []
    for stop_id, data in feed.stations.items():
        station = TransitStation(
            stop_id=stop_id[:64],
            name=data["name"],
            key=text.key(data["name"]),
            lat=data["lat"],
            lon=data["lon"],
            lines=data["lines"],
            rail=any(line["mode"] in transit.RAIL_MODES for line in data["lines"]),
            digest=transit.digest(data),
        )
        previous = existing.get(station.stop_id)
        if previous is None:
            creates.append(station)
        elif previous[1] != station.digest:
            station.pk = previous[0]
            updates.append(station)
        else:
            summary.unchanged += 1
    gone = [pk for stop_id, (pk, _d) in existing.items() if stop_id not in feed.stations]
    summary.created, summary.updated, summary.deleted = len(creates), len(updates), len(gone)
    if dry_run:
        return summary
    with transaction.atomic():
        TransitStation.objects.bulk_create(creates, batch_size=1000)
        fields = ["name", "key", "lat", "lon", "lines", "rail", "digest"]
        TransitStation.objects.bulk_update(updates, fields, batch_size=500)
        TransitStation.objects.filter(pk__in=gone).delete()
    summary.places_changed = places_transit_refresh()
    if creates or updates or gone:
        resolve.invalidate()
    if creates or updates or gone or summary.places_changed:
        cache.bump_listings_version()  # cached result pages show the stations of the cards
    return summary


def station_rows(**filters: Any) -> list[dict[str, Any]]:
    rows = TransitStation.objects.filter(**filters).values("name", "lat", "lon", "lines", "rail")
    return [dict(row) for row in rows]


def transit_for(place: Place, grid: transit.StationGrid | None = None) -> list[dict[str, Any]]:
    """The stations shown for a place: none for a place without a position of its own (at its
    commune's centre until geocoded, the nearest station would mean nothing)."""
    if place.lat is None or place.lon is None or place.location_precision == Place.LocationPrecision.AREA:
        return []
    if grid is None:
        margin = 0.01
        candidates = station_rows(
            lat__range=(place.lat - margin, place.lat + margin),
            lon__range=(place.lon - margin, place.lon + margin),
        )
    else:
        candidates = grid.around(place.lat, place.lon)
    return transit.nearby(place.lat, place.lon, candidates)


def places_transit_refresh(*, place_ids: Iterable[int] | None = None) -> int:
    """Recompute the stations of the places (all of them by default); returns how many changed.
    One query for the stations, then the places read and written in batches."""
    grid = transit.StationGrid(station_rows())
    places = Place.objects.only("pk", "lat", "lon", "location_precision", "transit").order_by("pk")
    if place_ids is not None:
        places = places.filter(pk__in=place_ids)
    changed_count = 0
    last = 0
    while True:
        batch = list(places.filter(pk__gt=last)[:BATCH])
        if not batch:
            return changed_count
        last = batch[-1].pk
        changed = []
        for place in batch:
            stations = transit_for(place, grid)
            if stations != place.transit:
                place.transit = stations
                changed.append(place)
        if changed:
            with transaction.atomic():
                Place.objects.bulk_update(changed, ["transit"], batch_size=500)
            changed_count += len(changed)
