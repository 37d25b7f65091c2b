"""The import of data·inclusion's v1 dumps: the structures and services of the Métropole that the
national platforms (DORA, Soliguide, France Travail…) already know.

`manage.py import_datainclusion STRUCTURES SERVICES` reads both files (JSON arrays or JSON Lines,
gzipped or not, local or http(s)), one object at a time, and:

1. keeps the structures of the Métropole (their code_insee, arrondissements included, or their
   postcode and commune: the registry import's `resolve_area`), from the producers asked
   (`--source`), never our own rows (source "lyon-assos"); every row is validated by the official
   schema package, and a bad row is reported with its line and id and skipped;
2. keeps the services of those structures (a service whose own address is outside is left out);
3. matches each structure to a listing: the listing it was matched to before, else by SIRET,
   then RNA number (v1 has none; an older dump's "rna" is read), then its normalised name in the
   same commune;
4. one transaction per structure:
   - unmatched: a new listing, source "datainclusion" with the producer, id, page and date,
     its place and services, published or pending (`DATAINCLUSION_IMPORT_PUBLISH`);
   - matched: a pending change for moderators (`editing.services.pending_change_import`) with
     the fields the listing lacks and the services it does not have yet; a field or a service
     someone edited since the last import is never overwritten, a service someone removed is
     not proposed again;
   - a structure whose rows did not change since the last import (a digest per structure on the
     listing) writes nothing.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import tempfile
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pydantic
from data_inclusion.schema import v1
from django.conf import settings
from django.db import transaction

from directory import reference
from directory.listings import state
from directory.models import Area, Association, PendingChange, Place, Service
from directory.offers import datainclusion, services
from directory.rna.mapping import Context
from directory.text import normalize

if TYPE_CHECKING:
    from directory.listings.state import Values

OUR_SOURCE = "lyon-assos"
CHUNK = 1 << 16
USER_AGENT = "LyonAssos-Import/1.0 (+https://lyon-assos.fr/donnees/)"
DOWNLOAD_TIMEOUT = 120
# The listing's fields the import fills when they are empty (never its name).
FILLED_FIELDS = ["short_description", "description", "phone", "email", "website", "siret"]
_RNA = re.compile(r"W\d{9}")
_SENTENCE = re.compile(r"^(.+?[.!?])(?:\s|$)", re.DOTALL)


class DumpError(Exception):
    """A file that cannot be read as a data·inclusion dump: nothing was written."""


@dataclass
class Problem:
    where: str  # "structures.json line 12"
    ident: str  # the row's id, or "?"
    reason: str


@dataclass
class Incoming:
    """One structure of the Métropole and its services, validated."""

    line: int
    row: v1.Structure
    raw: dict[str, Any]  # as written: URLs as given (the schema's HttpUrl adds a final slash)
    area: Area
    rna: str
    services: list[tuple[int, v1.Service, dict[str, Any]]] = field(default_factory=list)


@dataclass
class Summary:
    structures_read: int = 0
    services_read: int = 0
    left_out_source: int = 0  # another producer than --source asked, or our own rows
    out_of_area: int = 0
    services_elsewhere: int = 0  # services of structures not kept (outside, left out, bad)
    services_out_of_area: int = 0
    kept: int = 0
    created: int = 0
    proposed: int = 0
    unchanged: int = 0
    nothing_new: int = 0
    waiting: int = 0  # an open change on the listing already: proposed again next run
    kept_edits: int = 0
    services_new: int = 0
    matched_by: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)


# Reading --------------------------------------------------------------------------------------


def local_copy(location: str, stack: ExitStack) -> Path:
    """The file at `location`, downloaded first when it is an http(s) URL."""
    if location.startswith(("http://", "https://")):
        handle = stack.enter_context(tempfile.NamedTemporaryFile(suffix=".json"))  # noqa: SIM115
        request = urllib.request.Request(location, headers={"User-Agent": USER_AGENT})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT) as response:  # noqa: S310
                shutil.copyfileobj(response, handle)
        except OSError as error:
            raise DumpError(f"{location}: {error}") from error
        handle.flush()
        return Path(handle.name)
    if location.startswith(("file:", "ftp:")) or "://" in location:
        raise DumpError(f"{location}: only files and http(s) addresses are read.")
    path = Path(location)
    if not path.is_file():
        raise DumpError(f"No such file: {location}")
    return path


def _open_text(path: Path) -> IO[str]:
    with open(path, "rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    if gzipped:
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")  # closed by the caller's with


class _Rows:
    """The objects of a JSON array or of JSON Lines, read a chunk at a time."""

    def __init__(self, path: Path, handle: IO[str]) -> None:
        self.path, self.handle = path, handle
        self.buffer, self.pos, self.line, self.eof, self.started = "", 0, 1, False, False

    def _more(self) -> None:
        try:
            chunk = self.handle.read(CHUNK)
        except (UnicodeDecodeError, OSError, EOFError) as error:
            raise DumpError(f"{self.path.name}: {error}") from error
        self.buffer, self.pos, self.eof = self.buffer[self.pos :] + chunk, 0, not chunk

    def _skip(self) -> None:
        """Past what separates objects: blanks, commas, the array's opening bracket."""
        while True:
            while self.pos < len(self.buffer) and self.buffer[self.pos] in " \t\r\n,[":
                if self.buffer[self.pos] == "[":
                    if self.started:
                        raise DumpError(f"{self.path.name} line {self.line}: an array inside the array.")
                    self.started = True
                self.line += self.buffer[self.pos] == "\n"
                self.pos += 1
            if self.pos < len(self.buffer) or self.eof:
                return
            self._more()

    def __iter__(self) -> Iterator[tuple[int, Any]]:
        decoder = json.JSONDecoder()
        while True:
            self._skip()
            if self.pos >= len(self.buffer) or self.buffer[self.pos] == "]":
                return
            while True:
                try:
                    item, end = decoder.raw_decode(self.buffer, self.pos)
                    break
                except json.JSONDecodeError as error:
                    if self.eof:
                        raise DumpError(
                            f"{self.path.name} line {self.line}: not JSON ({error.msg})."
                        ) from error
                    self._more()
            yield self.line, item
            self.line += self.buffer.count("\n", self.pos, end)
            self.pos = end


def read_rows(path: Path) -> Iterator[tuple[int, Any]]:
    """The objects of a JSON array or of JSON Lines, one at a time, with the line each starts on:
    memory holds one object, never the file."""
    with _open_text(path) as handle:
        yield from _Rows(path, handle)


def _errors(error: pydantic.ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in e['loc']) or 'row'}: {e['msg']}" for e in error.errors()[:3]
    )


def _canonical(value: Any) -> Any:
    """A JSON value with its sets (dumped as lists in no fixed order) sorted, for the digest."""
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [_canonical(item) for item in value]
        return sorted(items) if all(isinstance(item, str) for item in items) else items
    return value


def digest(incoming: Incoming) -> str:
    rows = [
        incoming.row.model_dump(mode="json"),
        sorted(
            (service.model_dump(mode="json") for _line, service, _raw in incoming.services),
            key=lambda r: r["id"],
        ),
    ]
    text = json.dumps(_canonical(rows), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


# Mapping: a v1 row → our values ----------------------------------------------------------------


def _cut(value: object, limit: int) -> str:
    text = " ".join(str(value or "").split()) if limit < 1000 else str(value or "").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _fits(value: object, limit: int) -> str:
    """A value that only makes sense whole (a phone, an address): kept when it fits, else ''."""
    text = str(value or "").strip()
    return text if len(text) <= limit else ""


def short_description(description: str | None) -> str:
    text = " ".join((description or "").split())
    match = _SENTENCE.match(text)
    return _cut(match.group(1) if match else text, 280)


def _url(raw: dict[str, Any], name: str, limit: int) -> str:
    return _fits(raw.get(name), limit)


def listing_values(row: v1.Structure, raw: dict[str, Any]) -> dict[str, str]:
    """The listing fields a structure gives."""
    return {
        "name": _cut(row.nom, 200),
        "short_description": short_description(row.description),
        "description": (row.description or "").strip(),
        "phone": _fits(row.telephone, 30),
        "email": _fits(row.courriel, 254),
        "website": _url(raw, "site_web", 300),
        "siret": row.siret or "",
    }


def _area_slug(area: Area) -> str:
    return area.slug


def place_values(
    *,
    name: str | None,
    address: str | None,
    postcode: str | None,
    area: Area,
    hours: str | None,
    lat: float | None,
    lon: float | None,
) -> Values:
    weekly = datainclusion.parse_opening_hours(hours)
    return {
        "kind": Place.Kind.SEAT,
        "name": _cut(name, 120),
        "address": _cut(address, 250),
        "postcode": postcode or (area.postcode_list[0] if area.postcode_list else ""),
        "area": _area_slug(area),
        "quartier": "",
        # Without coordinates, the centre of the commune, as the registry import does: the place
        # is then on the map and in distance searches, and `manage.py geocode` places it.
        "lat": lat if lat is not None and lon is not None else area.lat,
        "lon": lon if lat is not None and lon is not None else area.lon,
        "hours": weekly or {},
        "hours_note": "" if weekly is not None else _cut(hours, 240),
    }


def _address_key(address: object, postcode: object) -> str:
    return f"{normalize(str(address or ''))}|{postcode or ''}"


def _place_index(places: list[Values], place: Values) -> int:
    """The position of this place among `places`, appended (as a branch) when new."""
    key = _address_key(place["address"], place["postcode"])
    for index, existing in enumerate(places):
        if _address_key(existing.get("address"), existing.get("postcode")) == key:
            return index
    places.append({**place, "kind": Place.Kind.BRANCH if places else Place.Kind.SEAT})
    return len(places) - 1


def _reception(modes: Sequence[str]) -> str:
    walk_in = "se-presenter" in modes
    other = any(mode != "se-presenter" for mode in modes)
    if walk_in and other:
        return Service.Reception.BOTH
    if walk_in:
        return Service.Reception.WALK_IN
    return Service.Reception.APPOINTMENT if other else ""


def _codes(values: Any) -> list[str]:
    return sorted(str(getattr(v, "value", v)) for v in values or [])


def service_values(row: v1.Service, raw: dict[str, Any]) -> Values:
    """Our service values of a v1 service, without its places (`Importer._services` adds them)."""
    audiences, others = datainclusion.audiences_for(_codes(row.publics))
    details = "; ".join([*others, *([row.publics_precisions] if row.publics_precisions else [])])
    weekly = datainclusion.parse_opening_hours(row.horaires_accueil)
    mobilisation = _codes(row.modes_mobilisation)
    return {
        "name": _cut(row.nom, 150),
        "description": (row.description or "").strip(),
        "kind": str(row.type.value) if row.type else "",
        "categories": datainclusion.categories_for(_codes(row.thematiques)),
        "audiences": audiences,
        "audiences_details": _cut(details, 280),
        "fees": str(row.frais.value) if row.frais else "",
        "fees_details": _cut(row.frais_precisions, 240),
        "reception": _reception(mobilisation),
        "modes": _codes(row.modes_accueil),
        "at_home": False,
        "mobilisation": mobilisation,
        "mobilisable_by": _codes(row.mobilisable_par),
        "booking_url": _url(raw, "lien_mobilisation", 300),
        "mobilisation_details": _cut(row.mobilisation_precisions, 400),
        "access_conditions": (row.conditions_acces or "").strip(),
        "documents": "",
        "languages": [],
        "eligibility": [str(code) for code in row.zone_eligibilite or []],
        "hours": weekly or {},
        "hours_note": "" if weekly is not None else _cut(row.horaires_accueil, 240),
        "phone": _fits(row.telephone, 30),
        "email": _fits(row.courriel, 254),
        "contact_name": _cut(row.contact_nom_prenom, 120),
        "status": Service.Status.RUNNING,
        "paused_until": None,
    }


def source_values(row: v1.Service, raw: dict[str, Any]) -> Values:
    return {
        "source": _cut(row.source, 60),
        "source_id": _fits(row.id, 200),
        "source_url": _url(raw, "lien_source", 500),
        "source_updated_at": row.date_maj.isoformat(),
    }


def _comparable(values: Values) -> Values:
    """A service's values as the listing's state compares them (no places, no source)."""
    cleaned = state.clean_service_values(values, reference.get())
    cleaned.pop("places", None)
    return cleaned


# The import ------------------------------------------------------------------------------------


@dataclass
class Plan:
    """What one structure does: "create", "propose", "record" (nothing new to propose: the
    digest only), "unchanged" or "waiting"; the values to write; the match."""

    action: str
    values: Values | None = None
    association: Association | None = None
    record: dict[str, Any] = field(default_factory=dict)


class Importer:
    def __init__(
        self,
        *,
        sources: Sequence[str] = (),
        limit: int | None = None,
        dry_run: bool = False,
        publish: bool | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.sources = set(sources)
        self.limit = limit
        self.dry_run = dry_run
        self.publish = settings.DATAINCLUSION_IMPORT_PUBLISH if publish is None else publish
        self.progress = progress
        self.summary = Summary()
        self.context = Context(areas=list(Area.objects.all()), categories=[])
        self.digests: dict[str, str] = {}  # structure id → digest last imported (read by _matches)

    # Reading both files

    def read(self, structures: Path, services_path: Path) -> dict[str, Incoming]:
        kept = self._read_structures(structures)
        self._read_services(services_path, kept)
        self.summary.kept = len(kept)
        return kept

    def _read_structures(self, path: Path) -> dict[str, Incoming]:
        kept: dict[str, Incoming] = {}
        s = self.summary
        for line, row in read_rows(path):
            if self.limit is not None and len(kept) >= self.limit:
                break
            s.structures_read += 1
            where = f"{path.name} line {line}"
            if not isinstance(row, dict):
                s.problems.append(Problem(where, "?", "not an object"))
                continue
            source = str(row.get("source") or "")
            if source == OUR_SOURCE or (self.sources and source not in self.sources):
                s.left_out_source += 1
                continue
            try:
                structure = v1.Structure.model_validate(row)
            except pydantic.ValidationError as error:
                s.problems.append(Problem(where, str(row.get("id") or "?"), _errors(error)))
                continue
            area = self.context.resolve_area(structure.code_insee, structure.code_postal, structure.commune)
            if area is None:
                s.out_of_area += 1
            elif structure.id in kept:
                s.problems.append(Problem(where, structure.id, "the same id twice"))
            else:
                rna = str(row.get("rna") or "").strip().upper()
                kept[structure.id] = Incoming(line, structure, row, area, rna if _RNA.fullmatch(rna) else "")
        return kept

    def _read_services(self, path: Path, kept: dict[str, Incoming]) -> None:
        s = self.summary
        seen: set[str] = set()
        for line, row in read_rows(path):
            s.services_read += 1
            if not isinstance(row, dict) or row.get("structure_id") not in kept:
                s.services_elsewhere += 1
                continue
            try:
                service = v1.Service.model_validate(row)
            except pydantic.ValidationError as error:
                s.problems.append(
                    Problem(f"{path.name} line {line}", str(row.get("id") or "?"), _errors(error))
                )
                continue
            if service.id in seen:
                s.problems.append(Problem(f"{path.name} line {line}", service.id, "the same id twice"))
            elif (
                service.code_insee
                and self.context.resolve_area(service.code_insee, service.code_postal, None) is None
            ):
                s.services_out_of_area += 1
            else:
                seen.add(service.id)
                kept[service.structure_id].services.append((line, service, row))

    # Matching

    def _matches(self, kept: dict[str, Incoming]) -> dict[str, tuple[int, str]]:
        """{structure id: (listing pk, how)} for the structures that match a listing."""
        linked: dict[str, int] = {}
        for pk, imported in Association.objects.exclude(datainclusion_imported={}).values_list(
            "pk", "datainclusion_imported"
        ):
            for key, record in (imported or {}).items():
                linked[key] = pk
                self.digests[key] = str((record or {}).get("digest") or "")
        candidates = Association.objects.exclude(status=Association.Status.REJECTED).order_by("pk")
        sirets = {i.row.siret for i in kept.values() if i.row.siret}
        by_siret: dict[str, int] = {}
        for siret, pk in candidates.filter(siret__in=sirets).values_list("siret", "pk"):
            by_siret.setdefault(siret, pk)
        rnas = {i.rna for i in kept.values() if i.rna}
        by_rna = dict(candidates.filter(rna__in=rnas).values_list("rna", "pk"))
        names = {normalize(i.row.nom) for i in kept.values()}
        named = dict(candidates.filter(search_name__in=names).values_list("pk", "search_name"))
        communes: dict[tuple[str, int], int] = {}
        for pk, area_id in Place.objects.filter(association_id__in=named).values_list(
            "association_id", "area_id"
        ):
            communes.setdefault((named[pk], self._commune_id(area_id)), pk)
        matches: dict[str, tuple[int, str]] = {}
        for key, incoming in kept.items():
            commune = self._commune_id(incoming.area.pk)
            if key in linked:
                matches[key] = (linked[key], "id")
            elif incoming.row.siret and incoming.row.siret in by_siret:
                matches[key] = (by_siret[incoming.row.siret], "siret")
            elif incoming.rna and incoming.rna in by_rna:
                matches[key] = (by_rna[incoming.rna], "rna")
            elif (normalize(incoming.row.nom), commune) in communes:
                matches[key] = (communes[(normalize(incoming.row.nom), commune)], "name")
        return matches

    def _commune_id(self, area_id: int) -> int:
        area = reference.get().areas_by_id.get(area_id)
        return area.parent_id if area is not None and area.parent_id else area_id

    # Planning one structure

    def _services(self, incoming: Incoming, places: list[Values]) -> list[tuple[str, Values]]:
        """(service id, values with places and source) of the structure's services, in file order."""
        found = []
        for _line, row, raw in incoming.services:
            values = {**service_values(row, raw), **source_values(row, raw), "places": []}
            in_person = not row.modes_accueil or v1.ModeAccueil.EN_PRESENTIEL in row.modes_accueil
            if in_person and row.adresse:
                area = (
                    self.context.resolve_area(row.code_insee, row.code_postal, row.commune) or incoming.area
                )
                where = place_values(
                    name=row.complement_adresse,
                    address=row.adresse,
                    postcode=row.code_postal,
                    area=area,
                    hours=None,
                    lat=row.latitude,
                    lon=row.longitude,
                )
                values["places"] = [_place_index(places, where)]
            elif in_person and places:
                values["places"] = [0]
            found.append((row.id, values))
        return found

    def _record(
        self, incoming: Incoming, listing: dict[str, str], found: list[tuple[str, Values]]
    ) -> dict[str, Any]:
        return {
            "digest": digest(incoming),
            "values": {**listing, "services": {sid: _comparable(values) for sid, values in found}},
        }

    def _seat(self, incoming: Incoming) -> Values | None:
        structure = incoming.row
        if not structure.adresse:
            return None
        return place_values(
            name=structure.complement_adresse,
            address=structure.adresse,
            postcode=structure.code_postal,
            area=incoming.area,
            hours=structure.horaires_accueil,
            lat=structure.latitude,
            lon=structure.longitude,
        )

    def plan(self, incoming: Incoming, match: tuple[int, str] | None) -> Plan:
        if match is None:
            return self._plan_new(incoming)
        if self.digests.get(incoming.row.id) == digest(incoming):  # unchanged: not even read
            return Plan("unchanged")
        association = state.for_values().get(pk=match[0])
        previous = (association.datainclusion_imported or {}).get(incoming.row.id) or {}
        if previous.get("digest") == digest(incoming):
            return Plan("unchanged", association=association)
        if association.pending_changes.filter(status=PendingChange.Status.PENDING).exists():
            return Plan("waiting", association=association)
        return self._plan_matched(incoming, association, previous.get("values") or {})

    def _plan_new(self, incoming: Incoming) -> Plan:
        listing = listing_values(incoming.row, incoming.raw)
        seat = self._seat(incoming)
        places = [seat] if seat else []
        found = self._services(incoming, places)
        categories: list[str] = []
        audiences: list[str] = []
        for _sid, values in found:
            categories += [c for c in values["categories"] if c not in categories]
            audiences += [a for a in values["audiences"] if a not in audiences]
        values = {
            **dict.fromkeys(state.SCALAR_FIELDS, ""),
            **listing,
            "volunteers_sought": False,
            "categories": categories,
            "audiences": audiences,
            "languages": [],
            "logo": "",
            "photos": [],
            "places": places,
            "services": [v for _sid, v in found],
        }
        return Plan("create", values, record=self._record(incoming, listing, found))

    def _plan_matched(self, incoming: Incoming, association: Association, before: dict[str, Any]) -> Plan:
        """The fields the listing lacks (or that still hold what was imported) and the services it
        has not got, over its current values; what someone edited since is kept and counted."""
        listing = listing_values(incoming.row, incoming.raw)
        current = state.values_from_association(association)
        proposed: Values = json.loads(json.dumps(current))  # a deep copy
        for name in FILLED_FIELDS:
            new, now = listing[name], current.get(name) or ""
            if not new or new == now:
                continue
            if not now or now == before.get(name):
                proposed[name] = new
            else:
                self.summary.kept_edits += 1
        seat = self._seat(incoming)
        if not proposed["places"] and seat:
            proposed["places"] = [seat]
        found = self._services(incoming, proposed["places"])
        self._merge_services(proposed["services"], found, before.get("services") or {})
        record = self._record(incoming, listing, found)
        if proposed == current:
            return Plan("record", association=association, record=record)
        return Plan("propose", proposed, association=association, record=record)

    def _merge_services(
        self,
        services_now: list[Values],
        found: list[tuple[str, Values]],
        before: dict[str, Any],
    ) -> None:
        """Add the new services to `services_now`; replace one changed at the source and not here."""
        position = {s.get("source_id"): index for index, s in enumerate(services_now) if s.get("source_id")}
        for sid, values in found:
            if sid not in position:
                if sid not in before:  # imported before and since removed: not proposed again
                    services_now.append(values)
                    self.summary.services_new += 1
                continue
            index = position[sid]
            now_values = _comparable(services_now[index])
            if now_values == _comparable(values):
                continue
            if sid in before and now_values == before[sid]:
                services_now[index] = values  # changed at the source, untouched here
            else:
                self.summary.kept_edits += 1

    # Running

    def run(self, structures: Path, services_path: Path) -> Summary:
        kept = self.read(structures, services_path)
        matches = self._matches(kept)
        s = self.summary
        for done, (key, incoming) in enumerate(kept.items(), start=1):
            match = matches.get(key)
            if match is not None:
                s.matched_by[match[1]] += 1
            try:
                with transaction.atomic():
                    self._one(incoming, match)
            except Exception as error:  # one structure's failure skips it, reported
                s.problems.append(
                    Problem(
                        f"{structures.name} line {incoming.line}", incoming.row.id, f"not imported: {error}"
                    )
                )
            if self.progress is not None:
                self.progress(done, len(kept))
        return s

    def _one(self, incoming: Incoming, match: tuple[int, str] | None) -> None:
        s = self.summary
        plan = self.plan(incoming, match)
        if plan.action == "unchanged":
            s.unchanged += 1
            return
        if plan.action == "waiting":
            s.waiting += 1
            return
        if plan.action == "create":
            s.created += 1
            s.services_new += len(incoming.services)
            if not self.dry_run:
                assert plan.values is not None
                services.listing_import_new(
                    values=plan.values,
                    source={
                        "source_producer": _cut(incoming.row.source, 60),
                        "source_id": _fits(incoming.row.id, 200),
                        "source_url": _url(incoming.raw, "lien_source", 500),
                        "source_updated_at": incoming.row.date_maj,
                    },
                    record={incoming.row.id: plan.record},
                    publish=self.publish,
                )
            return
        assert plan.association is not None
        if plan.action == "record":
            s.nothing_new += 1
        else:
            s.proposed += 1
        if self.dry_run:
            return
        if plan.action == "propose":
            assert plan.values is not None
            if services.listing_import_propose(association=plan.association, values=plan.values) is None:
                s.proposed -= 1
                s.waiting += 1
                return
        services.listing_import_record(association=plan.association, key=incoming.row.id, record=plan.record)


def import_datainclusion(
    structures: str,
    services_location: str,
    *,
    sources: Sequence[str] = (),
    limit: int | None = None,
    dry_run: bool = False,
    publish: bool | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Summary:
    """Import these dumps (paths or http(s) URLs); see the module's docstring."""
    importer = Importer(sources=sources, limit=limit, dry_run=dry_run, publish=publish, progress=progress)
    with ExitStack() as stack:
        return importer.run(local_copy(structures, stack), local_copy(services_location, stack))
