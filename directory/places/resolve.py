"""What a resident types in "Près de" → a point, a list of choices, or nothing.

Resolved on our own server from three sources: the BAN streets (`Street`), the TCL stations
(`TransitStation`) and the town halls of the communes and arrondissements (the reference
data's areas, at their reference point). Nothing is sent to a third party.

The names are held in memory, one index per process, rebuilt when an import moves the shared
version (`invalidate()`) or the reference data changes: an inverted index word → entries, the
vocabulary sorted for word prefixes (suggestions), and the one-letter deletions of each word for
typos (a word of 4 letters or more may differ by one edit: "marseile", "gambeta"). Resolving is
a few dictionary look-ups; a house number then reads the one street's numbers (one query).

Ranking: every typed word must match a word of the name or of its qualifiers (commune, postcode,
line, "métro", "mairie"…); the fewest words of the name left unmatched wins (a street type such
as "rue" may be left out, or typed wrong at a cost), then exact spelling before a typo, then the
fewest typed words found among the qualifiers only, then a station before a town hall before a
street. Several best entries more than 300 m apart make the text ambiguous: the page
offers them as choices.
"""

import bisect
import math
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any, cast

from django.core.cache import cache

from directory import reference
from directory.models import Area, Street, TransitStation
from directory.places import text
from directory.places.transit import line_label

VERSION_KEY = "places-index-version"
MAX_CHOICES = 8
SAME_PLACE_KM = 0.3
MAX_TEXT = 200
KIND_RANK = {"station": 0, "mairie": 1, "address": 2}


@dataclass(frozen=True)
class Entry:
    kind: str  # "station", "mairie", "address"
    pk: int | None  # Street or TransitStation id
    label: str  # "Rue de Marseille, Lyon 7e", "Gorge de Loup", "Mairie du 8e arrondissement"
    detail: str  # "Métro D", "Lyon 8e"
    name_words: tuple[str, ...]
    extra_words: tuple[str, ...]
    lat: float
    lon: float


# (rank: fewest unmatched name words, typos, words found aside, kind, label length), entry
Scored = tuple[tuple[int, ...], Entry]


@dataclass(frozen=True)
class Choice:
    kind: str
    label: str
    detail: str
    lat: float
    lon: float

    def as_dict(self) -> dict[str, str | float]:
        return {
            "type": self.kind,
            "label": self.label,
            "detail": self.detail,
            "lat": round(self.lat, 6),
            "lon": round(self.lon, 6),
        }


@dataclass
class Resolution:
    text: str
    point: Choice | None = None
    choices: list[Choice] = field(default_factory=list)  # several candidates: the page offers them

    @property
    def found(self) -> bool:
        return self.point is not None

    @property
    def ambiguous(self) -> bool:
        return self.point is None and bool(self.choices)


class Index:
    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self.postings: dict[str, list[int]] = {}
        for position, entry in enumerate(entries):
            for word in {*entry.name_words, *entry.extra_words}:
                self.postings.setdefault(word, []).append(position)
        self.vocabulary = sorted(self.postings)
        self.typos: dict[str, list[str]] = {}
        for word in self.vocabulary:
            if len(word) >= 4 and not word.isdigit():
                for variant in text.deletes(word):
                    self.typos.setdefault(variant, []).append(word)

    def spellings(self, word: str, *, prefix: bool = False) -> tuple[set[str], bool]:
        """(vocabulary words the typed word designates, whether by a typo)."""
        found: set[str] = set()
        if word in self.postings:
            found.add(word)
        if prefix and len(word) >= 2:
            start = bisect.bisect_left(self.vocabulary, word)
            for candidate in self.vocabulary[start : start + 300]:
                if not candidate.startswith(word):
                    break
                found.add(candidate)
        if found or len(word) < 4 or word.isdigit():
            return found, False
        for variant in text.deletes(word):
            for candidate in self.typos.get(variant, ()):
                if text.within_one(word, candidate):
                    found.add(candidate)
        return found, True

    def candidates(self, words: list[str], *, prefix_last: bool = False) -> list[Scored]:
        """[(score, entry)] of the entries every typed word designates, best first; if none, those
        the words designate without their street type ("rue Victor Hugo" for an avenue)."""
        found = self._candidates(words, prefix_last=prefix_last)
        others = [word for word in words if word not in text.STREET_TYPES]
        if found or len(others) in (0, len(words)):
            return found
        return [((score[0], score[1] + 1, *score[2:]), entry) for score, entry in self._candidates(others)]

    def _candidates(self, words: list[str], *, prefix_last: bool = False) -> list[Scored]:
        typed: list[set[str]] = []
        typos = 0
        for position, word in enumerate(words):
            spellings, typo = self.spellings(word, prefix=prefix_last and position == len(words) - 1)
            if not spellings:
                if word in text.STREET_TYPES:  # "avenue X" for "rue X": dropped, ranked lower
                    typos += 1
                    continue
                return []
            typos += typo
            typed.append(spellings)
        if not typed:
            return []
        sets: list[set[int]] = []
        for spellings in typed:
            positions: set[int] = set()
            for spelling in spellings:
                positions.update(self.postings[spelling])
            sets.append(positions)
        sets.sort(key=len)
        common = set.intersection(*sets)
        matched_words: set[str] = set().union(*typed)
        scored: list[Scored] = []
        for position in common:
            entry = self.entries[position]
            names = set(entry.name_words)
            missing = sum(1 for word in names if word not in matched_words and word not in text.STREET_TYPES)
            # Typed words found only among the qualifiers (commune, line…): "mairie du 8e" is the
            # town hall of the 8e before a "rue de la Mairie" in the 8e.
            aside = sum(1 for spellings in typed if not spellings & names)
            scored.append(((missing, typos, aside, KIND_RANK[entry.kind], len(entry.label)), entry))
        scored.sort(key=lambda pair: (pair[0], pair[1].label))
        return scored


_lock = threading.Lock()
_index: tuple[str | None, reference.Snapshot | None, Index | None] = (
    None,
    None,
    None,
)  # (version, reference snapshot, Index)


def invalidate() -> None:
    """Call after an import changed the streets or stations: every process rebuilds its index."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def version() -> str | None:
    """The shared version of the imported streets and stations."""
    current: str | None = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        current = cache.get(VERSION_KEY)
    return current


def index() -> Index:
    global _index
    current = version()
    snapshot = reference.get()
    built_version, built_snapshot, built = _index
    if built is not None and built_version == current and built_snapshot is snapshot:
        return built
    with _lock:
        if _index[2] is None or _index[0] != current or _index[1] is not snapshot:
            fresh = Index(build_entries(snapshot))
            _index = (current, snapshot, fresh)
            return fresh
        return _index[2]


def _city_words(city: str, postcode: str = "") -> tuple[str, ...]:
    return tuple(text.words(city)) + ((postcode,) if postcode else ())


def build_entries(snapshot: reference.Snapshot) -> list[Entry]:
    entries: list[Entry] = []
    for pk, name, lines, lat, lon in TransitStation.objects.values_list("pk", "name", "lines", "lat", "lon"):
        qualifiers = {"station", "arret"}
        for line in lines:
            qualifiers.update(text.words(line_label(line)))
        entries.append(
            Entry(
                "station",
                pk,
                name,
                " · ".join(dict.fromkeys(line_label(line) for line in lines[:6])),
                tuple(text.words(name)),
                tuple(sorted(qualifiers)),
                lat,
                lon,
            )
        )
    for area in snapshot.areas.values():
        if area.kind not in (Area.Kind.COMMUNE, Area.Kind.ARRONDISSEMENT) or area.lat is None:
            continue
        entries.append(_town_hall(area))
    city_words: dict[tuple[str, str], tuple[str, ...]] = {}
    streets = Street.objects.values_list("pk", "name", "city", "postcode", "key", "lat", "lon")
    for pk, name, city, postcode, key, lat, lon in streets.iterator(chunk_size=5000):
        if (city, postcode) not in city_words:
            city_words[city, postcode] = _city_words(city, postcode)
        entries.append(
            Entry(
                "address",
                pk,
                f"{name}, {city}",
                city,
                tuple(key.split()),
                city_words[city, postcode],
                lat,
                lon,
            )
        )
    return entries


def _town_hall(area: Area) -> Entry:
    postcodes = tuple(area.postcodes.split("|")) if area.postcodes else ()
    if area.kind == Area.Kind.ARRONDISSEMENT:
        number = area.short_name.split()[-1]  # "Lyon 8e" → "8e"
        label = f"Mairie du {number} arrondissement"  # a place name: French in every language
        name_words = ("mairie", *text.words(number))
        extra = ("lyon", "arrondissement", "hotel", "ville", *postcodes)
    else:
        label = f"Mairie de {area.name}"
        name_words = ("mairie", *text.words(area.name))
        extra = ("hotel", "ville", *postcodes)
    # build_entries passes the areas that have a position
    lat, lon = cast(float, area.lat), cast(float, area.lon)
    return Entry("mairie", None, label, area.short_label, name_words, extra, lat, lon)


def _distance_km(a: Entry, b: Entry) -> float:
    dlat = (a.lat - b.lat) * 111.195
    dlon = (a.lon - b.lon) * 111.195 * math.cos(math.radians(a.lat))
    return math.hypot(dlat, dlon)


def resolve(raw: str | None) -> Resolution:
    """The Resolution of a typed text: a point, choices, or neither (unknown)."""
    raw = (raw or "").strip()[:MAX_TEXT]
    number, suffix, rest = text.split_number(raw)
    words = list(dict.fromkeys(text.words(rest)))[:12]
    resolution = Resolution(raw)
    if not words:
        return resolution
    scored = index().candidates(words)
    if not scored:
        return resolution
    best_score = scored[0][0][:3]
    best = [entry for score, entry in scored if score[:3] == best_score]
    distinct = [best[0]]
    for entry in best[1:]:
        if all(_distance_km(entry, kept) > SAME_PLACE_KM for kept in distinct):
            distinct.append(entry)
    if len(distinct) == 1:
        resolution.point = _points([distinct[0]], number, suffix)[0]
        return resolution
    shown: list[Entry] = []
    for _score, entry in scored:
        if all(entry.label != kept.label or _distance_km(entry, kept) > SAME_PLACE_KM for kept in shown):
            shown.append(entry)
        if len(shown) == MAX_CHOICES:
            break
    resolution.choices = _points(shown, number, suffix)
    return resolution


def _points(entries: list[Entry], number: str, suffix: str) -> list[Choice]:
    """The Choice of each entry; a street with a house number at that number's point."""
    numbers: dict[int | None, list[list[Any]]] = {}
    if number:
        street_ids = [entry.pk for entry in entries if entry.kind == "address"]
        if street_ids:
            rows = Street.objects.filter(pk__in=street_ids)  # type: ignore[misc]  # an address entry has its street's pk
            numbers = dict(rows.values_list("pk", "numbers"))
    choices: list[Choice] = []
    for entry in entries:
        lat, lon, label = entry.lat, entry.lon, entry.label
        if entry.kind == "address" and number:
            located = locate_number(numbers.get(entry.pk) or [], int(number), suffix)
            if located is not None:
                lat, lon = located
                label = f"{number}{' ' + suffix if suffix else ''} {entry.label}"
        elif entry.kind == "station" and entry.detail:
            label = f"{entry.label} ({entry.detail})"
        choices.append(Choice(entry.kind, label, entry.detail, lat, lon))
    return choices


def locate_number(numbers: list[list[Any]], number: int, suffix: str = "") -> tuple[float, float] | None:
    """(lat, lon) of a house number on a street: its own point (with its suffix if known), else
    interpolated between the nearest numbers on the same side (same parity) around it, else
    the nearest number on that side. None for a street without numbers."""
    if not numbers:
        return None
    exact = [row for row in numbers if row[0] == number]
    if exact:
        row = next((row for row in exact if row[1] == suffix), None) or next(
            (row for row in exact if not row[1]), exact[0]
        )
        return row[2], row[3]
    side = [row for row in numbers if row[0] % 2 == number % 2] or numbers
    below = max((row for row in side if row[0] < number), key=lambda row: row[0], default=None)
    above = min((row for row in side if row[0] > number), key=lambda row: row[0], default=None)
    if below is not None and above is not None:
        share = (number - below[0]) / (above[0] - below[0])
        return below[2] + share * (above[2] - below[2]), below[3] + share * (above[3] - below[3])
    nearest = below or above
    return nearest[2], nearest[3]  # type: ignore[index]  # side is never empty: numbers is not


def suggest(raw: str | None, limit: int = 8) -> list[dict[str, str | float]]:
    """As-you-type: the entries the words designate, the last word as a prefix."""
    raw = (raw or "").strip()[:MAX_TEXT]
    number, suffix, rest = text.split_number(raw)
    words = list(dict.fromkeys(text.words(rest)))[:12]
    if not words or len(rest) < 2:
        return []
    entries: list[Entry] = []
    seen: set[tuple[str, str]] = set()
    for _score, entry in index().candidates(words, prefix_last=True):
        if (entry.label, entry.kind) not in seen:
            seen.add((entry.label, entry.kind))
            entries.append(entry)
        if len(entries) == limit:
            break
    return [choice.as_dict() for choice in _points(entries, number, suffix)]
