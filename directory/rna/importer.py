"""Upserts the associations of the Métropole from an RNA `rna_waldec` file.

Rows are read, mapped (directory.rna.mapping) and written by batches, each in a transaction:
- a new active association gets a listing (source RNA; published unless `publiweb` is 0, then
  a draft) with one seat place at its area's centre, `location_precision="area"` until the
  `geocode` command finds the address;
- a dissolved (D) or deleted (S) association archives its listing, never deletes it, and
  creates none;
- an association already listed is compared with what the RNA said last time, kept in
  `Association.rna_imported` ({field: value}). A field is updated only when the RNA value
  changed AND the listing still holds the value last imported, that is, nobody (manager or
  moderator) edited it since; otherwise the local edit is kept. Re-importing the same file
  therefore writes nothing. Updates are logged as AssociationChange rows (origin "import",
  action "rna_update"), status changes through services.association_set_status.

On PostgreSQL a batch's new listings are written once each, by COPY and one INSERT that carries
their search vectors and narrow rows (directory/bulk.py, search.insert_new), their ids taken
from the sequence beforehand; elsewhere by bulk_create, then search.index().
"""

from __future__ import annotations

import contextlib
import datetime
import os
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.db.models import Prefetch
from django.db.models.fields.json import KeyTextTransform
from django.utils import timezone
from django.utils.text import slugify

from directory import bulk, search
from directory import cache as listings_cache
from directory.listings import services
from directory.listings.state import Changes
from directory.models import Area, Association, AssociationChange, Category, Place, SlugRedirect
from directory.offers import quality

from .mapping import Context, Record, fingerprint
from .parser import BadRow, RnaFile, Row

# What a caller follows the import with: progress(rows read, rows expected).
Progress = Callable[[int, int], object]
# (row, its area, its fingerprint): a row of the territory (Importer._in_scope).
Scoped = list[tuple[Row, Area, str]]

BATCH_SIZE = 2000
ASSOCIATION_FIELDS = ("name", "short_description", "description", "website", "siret")
PLACE_FIELDS = ("address", "postcode", "area")
FINGERPRINT = "_fingerprint"  # key of rna_imported: digest of the source row last applied


@dataclass
class Summary:
    read: int = 0
    in_scope: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    archived: int = 0
    kept_edits: int = 0  # fields the RNA changed but a person had edited: left as they are
    skipped: Counter[str] = field(default_factory=Counter)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    index_seconds: float = 0.0  # in services.refresh_search_text, and search.insert_new on PostgreSQL
    encoding: str = ""
    layout: str = ""

    @property
    def out_of_scope(self) -> int:
        return self.read - self.in_scope - len(self.errors)


class SlugPool:
    """unique_slug() without a query per listing: the taken slugs are read once."""

    def __init__(self) -> None:
        self.taken = set(Association.objects.values_list("slug", flat=True))
        self.taken |= set(SlugRedirect.objects.values_list("old_slug", flat=True))
        self.next_suffix: dict[str, int] = {}

    def take(self, name: str) -> str:
        base = slugify(name)[:200].strip("-") or "association"
        slug = base
        if slug in self.taken:
            n = self.next_suffix.get(base, 2)
            while f"{base}-{n}" in self.taken:
                n += 1
            self.next_suffix[base] = n + 1
            slug = f"{base}-{n}"
        self.taken.add(slug)
        return slug


def _aware(value: datetime.datetime | None) -> datetime.datetime | None:
    if value is None:
        return None
    if timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


@dataclass
class _Writes:
    """The writes an update batch queues, done in bulk at its end."""

    associations: list[Association] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)  # seats changed or created
    logs: list[AssociationChange] = field(default_factory=list)  # AssociationChange rows
    statuses: list[tuple[Association, str]] = field(default_factory=list)  # (association, new status)
    categories: dict[int, list[int]] = field(default_factory=dict)  # {association pk: [category ids]}


def _current_values(association: Association, seat: Place | None) -> dict[str, Any]:
    """The listing's values as the registry row names them, its seat's included."""
    current = {name: getattr(association, name) for name in ASSOCIATION_FIELDS}
    current["categories"] = sorted(c.slug for c in association.categories.all())
    current["status"] = association.status
    if seat is not None:
        current.update(address=seat.address, postcode=seat.postcode, area=seat.area.insee)
    return current


class Importer:
    def __init__(
        self, *, batch_size: int = BATCH_SIZE, progress: Progress | None = None, is_demo: bool = False
    ) -> None:
        self.batch_size = batch_size
        self.is_demo = is_demo
        self.progress = progress
        self.summary = Summary()
        areas = list(Area.objects.top_level())
        self.areas_by_insee = {a.insee: a for a in areas}
        self.context = Context(areas=areas, categories=list(Category.objects.all()))
        self.slugs = SlugPool()
        self.seen: set[str] = set()

    # Entry point ---------------------------------------------------------------------------

    def run(
        self, path: str | os.PathLike[str] | IO[bytes], *, limit: int | None = None, dry_run: bool = False
    ) -> Summary:
        with RnaFile(path) as rna_file:
            return self._run(rna_file, limit=limit, dry_run=dry_run)

    def _run(self, rna_file: RnaFile, *, limit: int | None, dry_run: bool) -> Summary:
        self.summary.encoding = rna_file.encoding
        self.summary.layout = rna_file.layout
        total = min(rna_file.approx_rows, limit) if limit else rna_file.approx_rows
        # Each batch is its own transaction; a dry run wraps them all in one that is rolled back.
        with transaction.atomic() if dry_run else contextlib.nullcontext():
            batch: list[Row] = []
            for item in rna_file:
                if limit is not None and self.summary.read >= limit:
                    break
                self.summary.read += 1
                if isinstance(item, BadRow):
                    self.summary.errors.append((item.line, item.reason))
                    continue
                batch.append(item)
                if len(batch) >= self.batch_size:
                    self._batch(batch)
                    batch = []
                    if self.progress:
                        self.progress(self.summary.read, total)
            if batch:
                self._batch(batch)
            if self.progress:
                self.progress(self.summary.read, self.summary.read)
            if dry_run:
                transaction.set_rollback(True)
        return self.summary

    # One batch -----------------------------------------------------------------------------

    def _batch(self, rows: list[Row]) -> None:
        scoped = self._in_scope(rows)
        if not scoped:
            return
        with transaction.atomic():
            # A batch lost in a crash is written again by the next import: no wait for the disk.
            bulk.commit_without_waiting()
            # The registry wins over a listing proposed on the site and never published (pending,
            # rejected, withdrawn) that carries one of these numbers: that row is not updated
            # (its submitter's values stay theirs); its number is released, logged, so that the
            # lookup below misses it and the registry listing is created (or updated) as usual.
            services.rna_release_from_unconfirmed(
                [row.data["id"] for row, _, _ in scoped], origin=AssociationChange.Origin.IMPORT
            )
            to_create, to_update, to_archive = self._sort_out(scoped)
            touched = self._create(to_create)
            touched += self._update(to_update)
            self._archive(to_archive)
            if touched:
                started = time.monotonic()
                services.refresh_search_text(touched)
                self.summary.index_seconds += time.monotonic() - started

    def _in_scope(self, rows: list[Row]) -> Scoped:
        """[(row, area, fingerprint)] of the rows in the territory, each RNA number once in the file."""
        scoped: Scoped = []
        for row in rows:
            area = self.context.scope(row)
            if area is None:
                continue
            self.summary.in_scope += 1
            rna = row.data["id"]
            if rna in self.seen:
                self.summary.in_scope -= 1
                self.summary.skipped["duplicate id in the file"] += 1
                self.summary.errors.append((row.line, f"{rna} already read above"))
                continue
            self.seen.add(rna)
            scoped.append((row, area, fingerprint(row)))
        return scoped

    @staticmethod
    def _last_applied(scoped: Scoped) -> dict[str, tuple[str, str | None]]:
        """{rna: (status, digest of the row last applied)} of the listings these rows already have.

        The digest, not the whole rna_imported: a re-import of an unchanged file reads a few bytes
        per listing and stops there."""
        return {
            rna: (status, digest)
            for rna, status, digest in Association.objects.filter(
                rna__in=[row.data["id"] for row, _, _ in scoped]
            ).values_list("rna", "status", KeyTextTransform(FINGERPRINT, "rna_imported"))
        }

    @staticmethod
    def _changed_listings(scoped: Scoped, known: dict[str, tuple[str, str | None]]) -> dict[str, Association]:
        """{rna: Association} of the listings whose row differs from the one last applied."""
        changed = [
            row.data["id"]
            for row, _, digest in scoped
            if row.data["id"] in known and known[row.data["id"]][1] != digest
        ]
        if not changed:
            return {}
        return {
            a.rna: a
            for a in Association.objects.filter(rna__in=changed).only("pk", "rna", "status", "rna_imported")
        }

    def _sort_out(
        self, scoped: Scoped
    ) -> tuple[list[Record], list[tuple[Association, Record]], list[tuple[Association, Row]]]:
        """The rows split into listings to create, (listing, record) to update, (listing, row) to
        archive; the rest is counted as unchanged or skipped."""
        known = self._last_applied(scoped)
        existing = self._changed_listings(scoped, known)
        to_create: list[Record] = []
        to_update: list[tuple[Association, Record]] = []
        to_archive: list[tuple[Association, Row]] = []
        for row, area, digest in scoped:
            rna = row.data["id"]
            active = row.data["position"].strip().upper() not in ("D", "S")
            if rna in known and rna not in existing:  # the same row as last time: nothing to map
                status = known[rna][0]
                if active or status == Association.Status.ARCHIVED:
                    self.summary.unchanged += 1
                    continue
                existing[rna] = Association.objects.only("pk", "rna", "status", "rna_imported").get(rna=rna)
            association = existing.get(rna)
            if not active:
                if association is None:
                    self.summary.skipped["dissolved, not listed"] += 1
                elif association.status == Association.Status.ARCHIVED:
                    self.summary.unchanged += 1
                else:
                    to_archive.append((association, row))
                continue
            record = self.context.map_row(row, area)
            record.values[FINGERPRINT] = digest
            if association is None:
                to_create.append(record)
            elif self._rna_changed(association, record):
                to_update.append((association, record))
            else:
                self.summary.unchanged += 1
        return to_create, to_update, to_archive

    @staticmethod
    def _rna_changed(association: Association, record: Record) -> bool:
        last = association.rna_imported or {}
        return any(last.get(name) != value for name, value in record.values.items())

    # Creation ------------------------------------------------------------------------------

    def _create(self, records: list[Record]) -> list[Association]:
        """Creates the listings of these records, with their seat, categories and first history
        entry; returns those left to index (none on PostgreSQL, where they are indexed as they
        are written)."""
        if not records:
            return []
        now = timezone.now()
        listings = [self._listing_values(record, now) for record in records]
        self.summary.created += len(listings)
        if bulk.uses_copy():
            self._insert_copy(listings, records, now)
            return []
        associations = [Association(**values) for values in listings]
        Association.objects.bulk_create(associations, batch_size=1000)
        Place.objects.bulk_create(
            [self._new_place(a, r) for a, r in zip(associations, records, strict=True)], batch_size=1000
        )
        Link = Association.categories.through
        Link.objects.bulk_create(
            [
                Link(association_id=a.pk, category_id=pk)
                for a, r in zip(associations, records, strict=True)
                for pk in r.category_ids
            ],
            batch_size=2000,
        )
        AssociationChange.objects.bulk_create(
            [AssociationChange(**self._created_log(a.pk, now)) for a in associations], batch_size=2000
        )
        return associations

    def _insert_copy(
        self, listings: list[dict[str, Any]], records: list[Record], now: datetime.datetime
    ) -> None:
        """PostgreSQL: the ids taken from the sequence first, every row then written once, by COPY
        (seats, category links, history) and by search.insert_new (the listings with their
        search rows): no model instance, nothing read back."""
        pks = bulk.allocate_ids(Association, len(listings))
        for values, pk in zip(listings, pks, strict=True):
            values["id"] = pk
        seats = [
            {"association_id": pk, **self._seat_values(record)}
            for pk, record in zip(pks, records, strict=True)
        ]
        bulk.insert_dicts(Place, seats)
        links = [
            (pk, category)
            for pk, record in zip(pks, records, strict=True)
            for category in record.category_ids
        ]
        bulk.insert_rows(Association.categories.through, ["association", "category"], links)
        bulk.insert_dicts(AssociationChange, [self._created_log(pk, now) for pk in pks])
        started = time.monotonic()
        search.insert_new(
            listings,
            category_ids={pk: record.category_ids for pk, record in zip(pks, records, strict=True)},
            places={
                seat["association_id"]: [(seat["area_id"], None, seat["lat"], seat["lon"])] for seat in seats
            },
        )
        listings_cache.bump_listings_version()
        self.summary.index_seconds += time.monotonic() - started

    def _listing_values(self, record: Record, now: datetime.datetime) -> dict[str, Any]:
        """The fields of the listing created for a record (Association keyword arguments)."""
        values = record.values
        return {
            "name": values["name"],
            "slug": self.slugs.take(values["name"]),
            "short_description": values["short_description"],
            "description": values["description"],
            "website": values["website"],
            "siret": values["siret"],
            "rna": record.rna,
            "status": record.status,
            "status_changed_at": now,
            "source": Association.Source.RNA,
            "is_demo": self.is_demo,
            "created_at": now,
            "updated_at": now,
            "rna_imported": values,
            "rna_updated_at": _aware(record.maj_time),
            # Its completeness as refresh_search_text would score it, without reading it back.
            "quality": quality.listing_score(
                {
                    "short_description": values["short_description"],
                    "description": values["description"],
                    "categories": record.category_ids,
                    "places": [{}],
                }
            ).score,
        }

    @staticmethod
    def _created_log(pk: int, now: datetime.datetime) -> dict[str, Any]:
        """The history of each listing starts with its creation by the import."""
        return {
            "association_id": pk,
            "origin": AssociationChange.Origin.IMPORT,
            "action": "created",
            "changes": {},
            "created_at": now,
        }

    @staticmethod
    def _seat_values(record: Record) -> dict[str, Any]:
        """The seat of a new listing (Place fields but its association): at its area's centre."""
        area = record.area
        return {
            "position": 0,
            "kind": Place.Kind.SEAT,
            "address": record.values["address"],
            "postcode": record.values["postcode"],
            "area_id": area.pk,
            "lat": area.lat,
            "lon": area.lon,
            "location_precision": Place.LocationPrecision.AREA,
        }

    @classmethod
    def _new_place(cls, association: Association, record: Record) -> Place:
        place = Place(association=association, **cls._seat_values(record))
        place.area = record.area  # the cached instance: the update path reads seat.area
        return place

    # Update --------------------------------------------------------------------------------

    def _update(self, pairs: list[tuple[Association, Record]]) -> list[Association]:
        if not pairs:
            return []
        by_pk = {
            a.pk: a
            for a in Association.objects.filter(pk__in=[a.pk for a, _ in pairs]).prefetch_related(
                "categories", Prefetch("places", queryset=Place.objects.select_related("area"))
            )
        }
        now = timezone.now()
        writes = _Writes()
        touched: list[Association] = []
        for stub, record in pairs:
            association = by_pk[stub.pk]
            if self._update_one(association, record, now=now, writes=writes):
                self.summary.updated += 1
                touched.append(association)
            else:
                self.summary.unchanged += 1
        self._write(writes)
        return touched

    def _update_one(
        self, association: Association, record: Record, *, now: datetime.datetime, writes: _Writes
    ) -> bool:
        """Applies the registry's changes to one listing in memory and queues its writes in
        `writes`; True when a field changed."""
        last = association.rna_imported or {}
        seat = next((p for p in association.places.all() if p.kind == Place.Kind.SEAT), None)
        changes = self._changes(last, record.values, _current_values(association, seat))
        self._apply(changes, association, seat, record, writes)
        association.rna_imported = {**last, **record.values}
        association.rna_updated_at = _aware(record.maj_time)
        content_changes = {k: v for k, v in changes.items() if k != "status"}
        if content_changes:
            association.updated_at = now
            writes.logs.append(
                AssociationChange(
                    association=association,
                    actor=None,
                    origin=AssociationChange.Origin.IMPORT,
                    action="rna_update",
                    changes=content_changes,
                    created_at=now,
                )
            )
        writes.associations.append(association)
        return bool(changes)

    def _changes(self, last: dict[str, Any], new: dict[str, Any], current: dict[str, Any]) -> Changes:
        """{field: {"old", "new"}} of the registry values to apply: those the registry changed since
        the last import and nobody edited since (a person's edit is kept, and counted)."""
        changes: Changes = {}
        for name, value in new.items():
            if name == FINGERPRINT or last.get(name) == value:
                continue
            before = current.get(name)
            # Never imported (a listing created by hand with this RNA number): only fill blanks.
            previous = last.get(name, [] if name == "categories" else "")
            if name == "status" and name not in last:
                previous = None
            if before != previous:
                self.summary.kept_edits += 1
                continue
            if before == value:
                continue
            changes[name] = {"old": before, "new": value}
        return changes

    def _apply(
        self, changes: Changes, association: Association, seat: Place | None, record: Record, writes: _Writes
    ) -> None:
        """Sets the changed values on the listing and its seat (created when missing); the
        category and status changes are queued, as they are written apart."""
        place_changed = any(name in changes for name in PLACE_FIELDS)
        if place_changed and seat is None:
            seat = self._new_place(association, record)
            seat.address, seat.postcode = "", ""
        for name, change in changes.items():
            if name in ASSOCIATION_FIELDS:
                setattr(association, name, change["new"])
            elif name == "categories":
                writes.categories[association.pk] = record.category_ids
            elif name == "status":
                writes.statuses.append((association, change["new"]))
            elif name == "area":
                seat.area = record.area  # type: ignore[union-attr]  # a place field: the seat exists
            else:
                setattr(seat, name, change["new"])
        if place_changed and seat is not None:  # (a place field changed: the seat exists)
            # The old coordinates belonged to the old address: back to the area's centre.
            seat.lat, seat.lon = seat.area.lat, seat.area.lon
            seat.location_precision = Place.LocationPrecision.AREA
            seat.transit = []  # nor its stations (directory/places): geocoding gives them back
            writes.places.append(seat)

    @staticmethod
    def _write(writes: _Writes) -> None:
        """The queued updates of a batch, in bulk; the status changes through the service."""
        Association.objects.bulk_update(
            writes.associations,
            [*ASSOCIATION_FIELDS, "updated_at", "rna_imported", "rna_updated_at"],
            batch_size=500,
        )
        new_places = [p for p in writes.places if p.pk is None]
        Place.objects.bulk_create(new_places)
        Place.objects.bulk_update(
            [p for p in writes.places if p not in new_places],
            ["address", "postcode", "area", "lat", "lon", "location_precision", "transit"],
            batch_size=500,
        )
        if writes.categories:
            Link = Association.categories.through
            Link.objects.filter(association_id__in=list(writes.categories)).delete()
            Link.objects.bulk_create(
                [Link(association_id=pk, category_id=c) for pk, ids in writes.categories.items() for c in ids]
            )
        AssociationChange.objects.bulk_create(writes.logs, batch_size=1000)
        for association, status in writes.statuses:
            services.association_set_status(
                association=association, status=status, actor=None, origin=AssociationChange.Origin.IMPORT
            )

    # Archive -------------------------------------------------------------------------------

    def _archive(self, pairs: Sequence[tuple[Association, Row]]) -> None:
        for association, row in pairs:
            services.association_set_status(
                association=association,
                status=Association.Status.ARCHIVED,
                actor=None,
                origin=AssociationChange.Origin.IMPORT,
            )
            association.rna_imported = {
                **(association.rna_imported or {}),
                "status": Association.Status.ARCHIVED,
            }
            association.rna_updated_at = _aware(row.maj_time)
            association.save(update_fields=["rna_imported", "rna_updated_at"])
            self.summary.archived += 1


def import_rna(
    path: str | os.PathLike[str] | IO[bytes],
    *,
    dry_run: bool = False,
    limit: int | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    is_demo: bool = False,
) -> Summary:
    """Import an rna_waldec file (a path or a binary file object); returns a Summary.

    `dry_run` rolls everything back; `is_demo` flags the listings created as demo data (the
    benchmark imports a synthetic file)."""
    importer = Importer(batch_size=batch_size, progress=progress, is_demo=is_demo)
    return importer.run(path, limit=limit, dry_run=dry_run)
