"""The national address base (BAN): its per-department CSV → one `Street` per street of the
Métropole, with its numbered points.

The file (`adresses-69.csv` or `.csv.gz`, `;`-separated, UTF-8, one row per address point; its
fields: https://adresse.data.gouv.fr/outils/telechargements/format-csv, schema "adresses-csv" of
github.com/BaseAdresseNationale/adresse.data.gouv.fr) is streamed: only the streets of the
commune being read are held in memory, the BAN listing its rows commune by commune (Lyon's by
arrondissement, 69381–69389). A file whose communes come back later is still imported right
(the streets met again are merged with what was written), but a re-import then rewrites them. Rows outside the Métropole (its INSEE codes, Lyon's
arrondissements 69381–69389 included, from directory/data/communes.csv and the merged communes
of insee_aliases.csv) are counted and skipped; a broken row is reported with its line and
skipped. A street whose content did not change (its digest) is not written: re-importing the
same file writes nothing. After a whole file (no --limit), the streets it no longer holds are
deleted.
"""

import _csv
import csv
import gzip
import hashlib
import io
import json
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from directory.models import Street
from directory.places import text

DATA = Path(__file__).resolve().parent.parent / "data"
REQUIRED_COLUMNS = ("numero", "nom_voie", "code_postal", "code_insee", "nom_commune", "lon", "lat")
NO_NUMBER = 99999  # the BAN's number of a lieu-dit's point without a house number

# (number, suffix, lat, lon) of an address point
Point = tuple[int, str, float, float]
# Called with (rows read, share of the file read)
Progress = Callable[[int, float], object]
FilePath = str | os.PathLike[str]


class NotABanFile(Exception):
    pass


def metropole_communes() -> dict[str, str]:
    """{INSEE code: the commune's name as in an address ('Lyon 7e', 'Villeurbanne')}, with the
    codes of merged communes pointing to the current commune's name."""
    names: dict[str, str] = {}
    with (DATA / "communes.csv").open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            if row["kind"] == "arrondissement":
                names[row["insee"]] = row["name"].replace(" Arrondissement", "")
            elif row["kind"] == "commune":  # Lyon (69123): the BAN uses its arrondissements' codes
                names[row["insee"]] = row["name"]
    with (DATA / "insee_aliases.csv").open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            old, current = row["old_insee"], row["current_insee"]
            if old.isdigit() and current in names:
                names.setdefault(old, names[current])
    return names


@dataclass
class Summary:
    read: int = 0
    in_scope: int = 0
    out_of_scope: int = 0
    streets: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)


@dataclass
class StreetRows:
    name: str
    insee: str
    city: str
    postcodes: Counter[str] = field(default_factory=Counter)
    points: set[Point] = field(default_factory=set)  # (number, suffix, lat, lon)


def _open(path: FilePath) -> tuple[io.BufferedReader, io.TextIOWrapper]:
    raw = open(path, "rb")  # noqa: SIM115 (closed by the caller through the wrapper)
    binary = gzip.GzipFile(fileobj=raw) if raw.peek(2)[:2] == b"\x1f\x8b" else raw
    return raw, io.TextIOWrapper(binary, encoding="utf-8-sig", errors="replace", newline="")


def parse_row(row: list[str], columns: list[str]) -> tuple[str, str, int, str, str, float, float]:
    """(street id, name, number, suffix, postcode, lat, lon) of a row, or raises ValueError."""
    values = dict(zip(columns, row, strict=False))
    name = (values.get("nom_voie") or values.get("nom_ld") or "").strip()
    if not name:
        raise ValueError("no street name")
    try:
        lat, lon = float(values.get("lat") or ""), float(values.get("lon") or "")
    except ValueError:
        raise ValueError("lat/lon is not a number") from None
    if not (44.0 < lat < 47.0 and 3.0 < lon < 6.5):
        raise ValueError("lat/lon outside the Rhône")
    raw_number = (values.get("numero") or "").strip()
    if not raw_number.isdigit():
        raise ValueError("numero is not a number")
    number = int(raw_number)
    suffix = text.normalize(values.get("rep") or "")[:10]
    insee = values["code_insee"].strip()
    street_id = (values.get("id_fantoir") or "").strip()
    if not street_id:
        street_id = f"{insee}_{text.key(name)[:30]}"
    postcode = (values.get("code_postal") or "").strip()[:5]
    return street_id[:40], name[:150], number, suffix, postcode, round(lat, 6), round(lon, 6)


def digest(street: Street) -> str:
    payload = [street.name, street.city, street.postcode, street.key, street.lat, street.lon, street.numbers]
    return hashlib.md5(json.dumps(payload).encode(), usedforsecurity=False).hexdigest()


def build_street(ban_id: str, rows: StreetRows) -> Street:
    numbered = sorted(point for point in rows.points if point[0] != NO_NUMBER)
    points = numbered or sorted(rows.points)
    middle = points[len(points) // 2]
    street = Street(
        ban_id=ban_id,
        insee=rows.insee,
        name=rows.name,
        city=rows.city,
        postcode=rows.postcodes.most_common(1)[0][0] if rows.postcodes else "",
        key=text.key(rows.name)[:150],
        lat=middle[2],
        lon=middle[3],
        numbers=[list(point) for point in numbered],
    )
    street.digest = digest(street)
    return street


class Importer:
    def __init__(
        self, *, dry_run: bool = False, limit: int | None = None, progress: Progress | None = None
    ) -> None:
        self.dry_run, self.limit, self.progress = dry_run, limit, progress
        self.summary = Summary()
        self.communes = metropole_communes()
        self.existing: dict[str, tuple[int | None, str]] = {}  # ban_id → (pk, digest)
        self.seen: set[str] = set()

    def run(self, path: FilePath) -> Summary:
        self.existing = {
            ban_id: (pk, d) for pk, ban_id, d in Street.objects.values_list("pk", "ban_id", "digest")
        }
        raw, stream = _open(path)
        with raw, stream:
            reader = csv.reader(stream, delimiter=";")
            try:
                columns = [name.strip().lower() for name in next(reader)]
            except (StopIteration, UnicodeDecodeError, gzip.BadGzipFile, EOFError) as error:
                raise NotABanFile("the file is empty or unreadable") from error
            missing = [name for name in REQUIRED_COLUMNS if name not in columns]
            if missing:
                raise NotABanFile(f"not a BAN addresses file, missing columns: {', '.join(missing)}")
            self._read(reader, columns, raw)
        if not self.limit:
            self._delete_gone()
        if self.progress:
            self.progress(self.summary.read, 1.0)
        return self.summary

    def _read(self, reader: _csv.Reader, columns: list[str], raw: io.BufferedReader) -> None:
        """Read the rows, writing each commune's streets once the next commune starts."""
        size = os.fstat(raw.fileno()).st_size or 1
        insee_at = columns.index("code_insee")
        pending: dict[str, StreetRows] = {}
        commune: str | None = None
        for row in reader:
            self.summary.read += 1
            insee = row[insee_at].strip() if len(row) > insee_at else ""
            if insee not in self.communes:
                if len(row) != len(columns) or not insee.isdigit():
                    self.summary.errors.append((reader.line_num, "malformed row"))
                else:
                    self.summary.out_of_scope += 1
            elif self._add(pending, row, columns, insee, reader.line_num):
                if insee != commune and commune is not None:
                    self._flush(pending, keep=insee)
                commune = insee
            if self.progress and self.summary.read % 20_000 == 0:
                self.progress(self.summary.read, raw.tell() / size)
            if self.limit and self.summary.read >= self.limit:
                break
        self._flush(pending, keep=None)

    def _delete_gone(self) -> None:
        """The streets the whole file no longer holds."""
        gone = [pk for ban_id, (pk, _d) in self.existing.items() if ban_id not in self.seen]
        self.summary.deleted = len(gone)
        if self.dry_run:
            return
        for start in range(0, len(gone), 5000):
            batch = gone[start : start + 5000]
            Street.objects.filter(pk__in=batch).delete()  # type: ignore[misc]  # None: created, no pk returned

    def _add(
        self, pending: dict[str, StreetRows], row: list[str], columns: list[str], insee: str, line: int
    ) -> bool:
        if len(row) != len(columns):
            self.summary.errors.append((line, f"{len(row)} fields instead of {len(columns)}"))
            return False
        try:
            street_id, name, number, suffix, postcode, lat, lon = parse_row(row, columns)
        except ValueError as error:
            self.summary.errors.append((line, str(error)))
            return False
        self.summary.in_scope += 1
        street = pending.get(street_id)
        if street is None:
            street = pending[street_id] = StreetRows(name=name, insee=insee, city=self.communes[insee])
        if postcode:
            street.postcodes[postcode] += 1
        street.points.add((number, suffix, lat, lon))
        return True

    def _flush(self, pending: dict[str, StreetRows], *, keep: str | None) -> None:
        """Write the streets read so far but those of the commune `keep` (still being read)."""
        done = {key: rows for key, rows in pending.items() if rows.insee != keep}
        for key in done:
            del pending[key]
        if not done:
            return
        creates: list[Street] = []
        updates: list[Street] = []
        late = [key for key in done if key in self.seen]  # a commune met again (unsorted file)
        if late and not self.dry_run:
            for stored in Street.objects.filter(ban_id__in=late):
                done[stored.ban_id].points.update(tuple(point) for point in stored.numbers)
        for ban_id, rows in done.items():
            street = build_street(ban_id, rows)
            self.seen.add(ban_id)
            self.summary.streets += 1
            previous = self.existing.get(ban_id)
            if previous is None:
                creates.append(street)
                self.existing[ban_id] = (None, street.digest)
            elif previous[1] != street.digest:
                street.pk = previous[0]
                updates.append(street)
                self.existing[ban_id] = (previous[0], street.digest)
            else:
                self.summary.unchanged += 1
        self.summary.created += len(creates)
        self.summary.updated += len(updates)
        if self.dry_run:
            return
        fields = ["insee", "name", "city", "postcode", "key", "lat", "lon", "numbers", "digest"]
        with transaction.atomic():
            created = Street.objects.bulk_create(creates, batch_size=1000)
            Street.objects.bulk_update(updates, fields, batch_size=500)
        for street in created:
            if street.pk is not None:
                self.existing[street.ban_id] = (street.pk, street.digest)


def import_addresses(
    path: FilePath, *, dry_run: bool = False, limit: int | None = None, progress: Progress | None = None
) -> Summary:
    """Import a BAN file (see the module's docstring); returns its Summary."""
    from directory import cache
    from directory.places import resolve

    summary = Importer(dry_run=dry_run, limit=limit, progress=progress).run(path)
    if not dry_run and (summary.created or summary.updated or summary.deleted):
        resolve.invalidate()
        cache.bump_listings_version()  # cached searches with `pres` read the old streets
    return summary
