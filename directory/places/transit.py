"""The TCL transit feed (GTFS) and the stations near each place.

`read_feed()` streams a GTFS zip: routes.txt (mode from `route_type`, `route_short_name`,
`route_color`, `route_text_color`), trips.txt (trip → route), stops.txt (stations: parent
stations, or stops without a parent) and stop_times.txt, read row by row (the largest file:
millions of rows; only the set of (station, route) pairs is kept). A bad row is reported with
its line and skipped.

`nearby()` gives a place its stations: the metro, tram and funicular stations within 600 m,
nearest first (at most 3); bus stops only when no rail station is that close. Stations of the
same name within that distance (a metro and a tram stop of one interchange) are shown as one.
"""

import csv
import hashlib
import io
import json
import math
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, Protocol

WALK_KM = 0.6
MAX_STATIONS = 3
MAX_BUS_LINES = 4
# GTFS route_type, basic and extended (https://gtfs.org/schedule/reference/#routestxt).
MODES = {
    0: "tram",
    1: "metro",
    3: "bus",
    7: "funicular",
    11: "bus",
    700: "bus",
    900: "tram",
    1400: "funicular",
}
MODES.update(dict.fromkeys(range(400, 405), "metro"))
MODES.update(dict.fromkeys(range(701, 717), "bus"))
MODES.update(dict.fromkeys(range(901, 907), "tram"))
RAIL_MODES = ("metro", "funicular", "tram")
MODE_ORDER = {"metro": 0, "funicular": 1, "tram": 2, "bus": 3}
# The names of the modes in the index and the suggestions (place names stay French); the
# pages translate them (templatetags/places_tags.transit_stops).
MODE_NAMES = {"metro": "Métro", "tram": "Tram", "funicular": "Funiculaire", "bus": "Bus"}
REQUIRED = ("stops.txt", "routes.txt", "trips.txt", "stop_times.txt")
_COLOUR = re.compile(r"^[0-9A-Fa-f]{6}$")


class NotAGtfsFeed(Exception):
    pass


class Members(Protocol):
    """The files of a feed by their plain names."""

    def open(self, name: str) -> IO[bytes]: ...


# A line: {"mode", "name", "color", "text"}
Line = dict[str, str]


def line_label(line: dict[str, Any]) -> str:
    return f"{MODE_NAMES[line['mode']]} {line['name']}"


def _luminance(hex_colour: str) -> float:
    channels: list[float] = []
    for i in (0, 2, 4):
        c = int(hex_colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours given as RRGGBB."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable_colours(colour: str, text: str) -> tuple[str, str]:
    """(background, text) as #RRGGBB: the feed's text colour if it reads at 4.5:1 or more on
    the line's colour, else black or white, whichever reads best."""
    colour = colour if _COLOUR.match(colour or "") else "FFFFFF"
    text = text if _COLOUR.match(text or "") else "000000"
    if contrast(colour, text) < 4.5:
        text = max(("000000", "FFFFFF"), key=lambda candidate: contrast(colour, candidate))
    return f"#{colour.upper()}", f"#{text.upper()}"


def _natural(name: str) -> list[tuple[int, int, str]]:
    return [
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", name) if part
    ]


@dataclass
class FeedSummary:
    stations: dict[str, dict[str, Any]] = field(
        default_factory=dict
    )  # stop_id → {"name", "lat", "lon", "lines"}
    errors: list[tuple[str, int, str]] = field(default_factory=list)  # (file, line, reason)
    routes: int = 0
    trips: int = 0
    stop_times: int = 0


def _rows(archive: Members, name: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row dict) of one file of the feed, streamed."""
    with archive.open(name) as raw:
        stream = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
        reader = csv.DictReader(stream)
        for row in reader:
            yield reader.line_num, row


def _routes(archive: Members, summary: FeedSummary) -> dict[str, Line]:
    routes: dict[str, Line] = {}
    for line, row in _rows(archive, "routes.txt"):
        try:
            route_type = int(row.get("route_type") or "")
        except ValueError:
            summary.errors.append(("routes.txt", line, "route_type is not a number"))
            continue
        mode = MODES.get(route_type)
        name = (row.get("route_short_name") or row.get("route_long_name") or "").strip()
        if mode is None or not row.get("route_id") or not name:
            continue
        colour, text = readable_colours(
            (row.get("route_color") or "").strip(), (row.get("route_text_color") or "").strip()
        )
        routes[row["route_id"]] = {"mode": mode, "name": name[:20], "color": colour, "text": text}
    summary.routes = len(routes)
    return routes


def _stops(archive: Members, summary: FeedSummary) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """{stop_id: station stop_id} and the stations {stop_id: {name, lat, lon}}."""
    parents: dict[str, str] = {}
    stations: dict[str, dict[str, Any]] = {}
    for line, row in _rows(archive, "stops.txt"):
        stop_id = (row.get("stop_id") or "").strip()
        location_type = (row.get("location_type") or "0").strip() or "0"
        if not stop_id or location_type not in ("0", "1"):
            continue  # entrances, generic nodes, boarding areas: not where one waits
        try:
            lat, lon = float(row.get("stop_lat") or ""), float(row.get("stop_lon") or "")
        except ValueError:
            summary.errors.append(("stops.txt", line, f"stop {stop_id[:40]}: no valid position"))
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or not math.isfinite(lat + lon):
            summary.errors.append(("stops.txt", line, f"stop {stop_id[:40]}: position out of range"))
            continue
        parent = (row.get("parent_station") or "").strip()
        if location_type == "1" or not parent:
            stations[stop_id] = {
                "name": (row.get("stop_name") or stop_id).strip()[:150],
                "lat": lat,
                "lon": lon,
            }
        parents[stop_id] = parent if location_type == "0" and parent else stop_id
    return {stop: station for stop, station in parents.items() if station in stations}, stations


def read_feed(
    path: str | os.PathLike[str], *, progress: Callable[[int], object] | None = None
) -> FeedSummary:
    """The stations of a GTFS zip and the lines that serve them (FeedSummary)."""
    if not zipfile.is_zipfile(path):
        raise NotAGtfsFeed("not a zip file")
    summary = FeedSummary()
    with zipfile.ZipFile(path) as archive:
        names = {name.rsplit("/", 1)[-1]: name for name in archive.namelist()}
        missing = [name for name in REQUIRED if name not in names]
        if missing:
            raise NotAGtfsFeed(f"missing {', '.join(missing)}")
        archive_names = {name: names[name] for name in REQUIRED}

        class Feed:  # the archive's members by their plain names (a feed zipped in a folder)
            @staticmethod
            def open(name: str) -> IO[bytes]:
                return archive.open(archive_names[name])

        routes = _routes(Feed, summary)
        trips: dict[str, str] = {}
        for _line, row in _rows(Feed, "trips.txt"):
            if row.get("route_id") in routes and row.get("trip_id"):
                trips[row["trip_id"]] = row["route_id"]
        summary.trips = len(trips)
        station_of, stations = _stops(Feed, summary)
        served: set[tuple[str, str]] = set()
        last_trip: str | None = None
        last_route: str | None = None
        for line, row in _rows(Feed, "stop_times.txt"):
            summary.stop_times += 1
            trip = row.get("trip_id")
            if trip != last_trip:  # stop_times are grouped by trip: one look-up per trip
                last_trip, last_route = trip, trips.get(trip)  # type: ignore[arg-type]  # None finds nothing
            station = station_of.get(row.get("stop_id"))  # type: ignore[arg-type]  # None finds nothing
            if last_route is not None and station is not None:
                served.add((station, last_route))
            if progress and line % 200_000 == 0:
                progress(summary.stop_times)
    lines_of: dict[str, dict[str, Line]] = {}
    for station, route in served:
        lines_of.setdefault(station, {})[route] = routes[route]
    for stop_id, lines in lines_of.items():
        station = stations[stop_id]
        ordered = sorted(lines.values(), key=lambda line: (MODE_ORDER[line["mode"]], _natural(line["name"])))
        unique = list({(line["mode"], line["name"]): line for line in ordered}.values())
        summary.stations[stop_id] = {**station, "lines": unique}
    return summary


def digest(station: dict[str, Any]) -> str:
    return hashlib.md5(json.dumps(station, sort_keys=True).encode(), usedforsecurity=False).hexdigest()


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    dlat = (lat2 - lat1) * 111.195
    dlon = (lon2 - lon1) * 111.195 * math.cos(math.radians(lat1))
    return math.hypot(dlat, dlon)


class StationGrid:
    """The stations in cells of 0.01° (about 1.1 km × 0.8 km): the 9 cells around a place
    hold every station within 600 m of it."""

    CELL = 0.01

    def __init__(self, stations: Iterable[dict[str, Any]]) -> None:
        self.cells: dict[tuple[int, int], list[dict[str, Any]]] = {}
        for station in stations:
            self.cells.setdefault(self._cell(station["lat"], station["lon"]), []).append(station)

    def _cell(self, lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat / self.CELL), math.floor(lon / self.CELL)

    def around(self, lat: float, lon: float) -> Iterator[dict[str, Any]]:
        row, col = self._cell(lat, lon)
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                yield from self.cells.get((row + dr, col + dc), ())


def nearby(lat: float | None, lon: float | None, stations: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stations shown for a place at (lat, lon), from candidate stations (dicts with name,
    lat, lon, lines, rail): [{"name", "distance" (m), "lines": […]}], nearest first."""
    if lat is None or lon is None:
        return []
    close = []
    for station in stations:
        km = distance_km(lat, lon, station["lat"], station["lon"])
        if km <= WALK_KM:
            close.append((km, station))
    close.sort(key=lambda pair: (pair[0], pair[1]["name"]))
    rail = [(km, s) for km, s in close if s["rail"]]
    chosen = rail or close
    shown: dict[str, dict[str, Any]] = {}
    for km, station in chosen:
        modes = RAIL_MODES if rail else ("bus",)
        lines = [line for line in station["lines"] if line["mode"] in modes]
        entry = shown.get(station["name"])
        if entry is None:
            if len(shown) == MAX_STATIONS:
                continue
            entry = shown[station["name"]] = {
                "name": station["name"],
                "distance": round(km * 1000),
                "lines": [],
            }
        for line in lines:
            if line not in entry["lines"]:
                entry["lines"].append(line)
    result = list(shown.values())
    for entry in result:
        entry["lines"].sort(key=lambda line: (MODE_ORDER[line["mode"]], _natural(line["name"])))
        if not rail:
            entry["lines"] = entry["lines"][:MAX_BUS_LINES]
    return result
