"""An in-process snapshot of the small reference tables (categories, areas, audiences, languages).

Search reads them on every request (filters by slug, place words in a query, facet labels), so
they are loaded once per process and shared; a version number kept in the cache tells every
process when a moderator has edited one of them. Reading the snapshot costs no SQL query.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache

from directory import request_memo
from directory.models.areas import Area
from directory.models.categories import Audience, Category, Language

VERSION_KEY = "reference-data-version"
_lock = threading.Lock()
_snapshot: Snapshot | None = None


@dataclass
class Snapshot:
    version: int
    categories: dict[str, Category] = field(default_factory=dict)  # slug → Category (with .parent set)
    categories_by_id: dict[int, Category] = field(default_factory=dict)
    areas: dict[str, Area] = field(default_factory=dict)  # slug → Area (with .parent set)
    areas_by_id: dict[int, Area] = field(default_factory=dict)
    audiences: dict[str, Audience] = field(default_factory=dict)  # slug → Audience
    audiences_by_id: dict[int, Audience] = field(default_factory=dict)
    languages: dict[str, Language] = field(default_factory=dict)  # code → Language
    languages_by_id: dict[int, Language] = field(default_factory=dict)

    def rows(self, table: str, ids: Iterable[int]) -> list[Any] | None:
        """The rows of `table` ("categories", "audiences", "languages" or "areas") with these ids,
        in the table's order, as a query would return them; None if one of them is missing (a row
        added without a signal: read them from the database)."""
        by_id = getattr(self, f"{table}_by_id")
        ids = set(ids)
        if not ids <= by_id.keys():
            return None
        return [row for pk, row in by_id.items() if pk in ids]

    def top_categories(self) -> list[Category]:
        return [c for c in self.categories.values() if c.parent_id is None]

    def area_descendant_ids(self, area: Area) -> set[int]:
        """Ids of the area and everything below it (Lyon → arrondissements → quartiers)."""
        ids = {area.pk}
        frontier = {area.pk}
        while frontier:
            frontier = {a.pk for a in self.areas_by_id.values() if a.parent_id in frontier} - ids
            ids |= frontier
        return ids

    def category_descendant_ids(self, category: Category) -> set[int]:
        return {category.pk} | {c.pk for c in self.categories_by_id.values() if c.parent_id == category.pk}


def _load(version: int) -> Snapshot:
    """One instance per row; each `parent` is the snapshot's own instance of the parent row, set
    from the rows read rather than joined (`select_related` built a second and third instance of
    each parent: 620 instances where 300 rows are, most of the load's time)."""
    snap = Snapshot(version=version)
    for category in Category.objects.all():
        snap.categories[category.slug] = category
        snap.categories_by_id[category.pk] = category
    for area in Area.objects.all():
        snap.areas[area.slug] = area
        snap.areas_by_id[area.pk] = area
    for rows in (snap.categories_by_id, snap.areas_by_id):
        for row in rows.values():
            row.parent = rows[row.parent_id] if row.parent_id is not None else None
    # Each table in its model's ordering: Snapshot.rows() keeps it.
    for audience in Audience.objects.all():
        snap.audiences[audience.slug] = audience
        snap.audiences_by_id[audience.pk] = audience
    for language in Language.objects.all():
        snap.languages[language.code] = language
        snap.languages_by_id[language.pk] = language
    return snap


def _read_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, timeout=None)
    return int(version)


def get() -> Snapshot:
    """The current snapshot, reloaded when the shared version number has moved."""
    global _snapshot
    version = request_memo.remembered(VERSION_KEY, _read_version)
    current = _snapshot
    if current is not None and current.version == version:
        return current
    with _lock:
        if _snapshot is None or _snapshot.version != version:
            _snapshot = _load(version)
        return _snapshot


def invalidate() -> None:
    """Call after changing categories, areas, audiences or languages."""
    global _snapshot
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)
    request_memo.forget(VERSION_KEY)
    _snapshot = None
