"""Full-text search of listings: one interface, a backend per database.

    parsed = search.parse("aide aux devoirs vaulx")   # words, place words, category synonyms
    queryset = search.apply(queryset, parsed)         # filtered, annotated with "rank"
    queryset.order_by(*search.ranked_order())         # rank, then the daily shuffle
    search.index(associations)                        # after any change to listings
    search.rebuild(batch_size=2000)                   # everything, from scratch

PostgreSQL (directory/search/postgres.py): a `french_unaccent` configuration, stored tsvectors
with a GIN index, pg_trgm for typo candidates. SQLite (directory/search/sqlite.py): FTS5 over
Snowball stems. Views never know which one runs; both render the one table of rank tiers of
directory/search/tiers.py (exact name, every word in the name, in name or categories, in the
short description, a named category, a named place), and equals come in an order shuffled each day (`fair_order`), so that no listing
is always last among its equals.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, cast

from django.db import connection, transaction
from django.db.models import BigIntegerField, F, IntegerField, OrderBy, Value
from django.db.models.functions import Cast, Mod
from django.utils import timezone

from directory import bulk
from directory.models import Association, SearchFacet, SearchPoint, SearchService, SearchTerm
from directory.opening import index as opening_index
from directory.queries import delete_of_ids

from . import documents
from .query import ParsedQuery, Term, parse

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from .documents import Document

__all__ = [
    "ParsedQuery",
    "Term",
    "apply",
    "backend",
    "daily_seed",
    "fair_order",
    "forget",
    "index",
    "parse",
    "ranked_order",
    "rebuild",
    "sync_rows",
]

DEFAULT_BATCH_SIZE = 2000
# The daily shuffle: (id × K + seed) mod M, with M prime and K coprime with it.
SHUFFLE_K = 2654435761
SHUFFLE_M = 2147483629

# (kind, value, count) of a facet: "c" a need, "a" a commune, "r" an arrondissement.
FacetCount = tuple[str, int, int]


class Backend(Protocol):
    """What each backend module (postgres.py, sqlite.py) provides."""

    ROWS_HOLD_TEXT: bool
    ROWS_HOLD_FACETS: bool

    def prepare(self, parsed: ParsedQuery) -> ParsedQuery: ...
    def apply(self, queryset: QuerySet[Any], parsed: ParsedQuery) -> QuerySet[Any]: ...
    def write(self, documents: Sequence[Document]) -> None: ...
    def replace_rows(self, pks: Sequence[int], documents: Sequence[Document]) -> None: ...
    def count_facets(self, matches: QuerySet[Any], kinds: Iterable[str]) -> list[FacetCount]: ...
    def point_values(self, document: Document) -> tuple[Any, ...]: ...
    def clear_vocabulary(self) -> None: ...
    def forget(self, pks: Sequence[int] | None) -> None: ...

    # The columns a SearchPoint row carries beyond the model's (point_values() gives them).
    POINT_COLUMNS: tuple[str, ...]


class CopyBackend(Backend, Protocol):
    """The backend where bulk.uses_copy() (postgres.py) also inserts new listings with their
    vectors and narrow rows (insert_new)."""

    def insert_listings(self, listings: Sequence[dict[str, Any]], documents: Sequence[Document]) -> None: ...


def backend(vendor: str | None = None) -> Backend:
    """The module implementing search on this database ('postgresql' or 'sqlite')."""
    vendor = vendor or connection.vendor
    name = "postgres" if vendor == "postgresql" else "sqlite"
    return cast("Backend", importlib.import_module(f"{__name__}.{name}"))


def apply(queryset: QuerySet[Any], parsed: ParsedQuery) -> QuerySet[Any]:
    """Keep the listings matching the query, annotated with `rank` (higher first)."""
    if parsed.is_empty:
        return queryset.annotate(rank=Value(0, output_field=IntegerField()))  # type: ignore[no-any-return]
    module = backend()
    return module.apply(queryset, module.prepare(parsed))


def daily_seed(day: date | None = None) -> int:
    """A seed that changes every day (the same for every process and page of that day)."""
    day = day or timezone.localdate()
    digest = hashlib.sha256(day.isoformat().encode()).digest()
    return int.from_bytes(digest[:4], "big") % SHUFFLE_M


def fair_order(seed: int | None = None) -> OrderBy:
    """An expression that orders listings in a pseudo-random order that changes daily."""
    return _fair_key(seed).asc()


def _fair_key(seed: int | None) -> Mod:
    seed = daily_seed() if seed is None else seed
    return Mod(F("pk") * Value(SHUFFLE_K) + Value(seed), Value(SHUFFLE_M))


# The rank of a text search (the tiers' points: whole numbers) times this, less the daily
# shuffle's key (below SHUFFLE_M < 2**31): one integer orders by rank, then by the shuffle.
RANK_SCALE = 2**31


def ranked_order(seed: int | None = None) -> list[OrderBy | str]:
    """The order of a text search by relevance: its rank (higher first), equals in the daily
    shuffle (fair_order), then the id; as one integer and the id rather than three keys, the
    same order (a whole rank times RANK_SCALE less the shuffle's key), which the database
    compares once per pair of matches instead of up to three times: a word in 14 850 of 60 000
    listings, its top 1 000 kept while all are ranked, 23.7 → 22.0 ms (`psql`, medians of 6)."""
    rank = Cast(F("rank"), BigIntegerField()) * Value(RANK_SCALE)
    return [OrderBy(rank - _fair_key(seed), descending=True), "pk"]


# Indexing ----------------------------------------------------------------------------------


def _pks(associations: QuerySet[Association] | Iterable[Association | int]) -> list[int]:
    if hasattr(associations, "values_list"):
        return list(associations.values_list("pk", flat=True))
    return [a if isinstance(a, int) else a.pk for a in associations]


def index(
    associations: QuerySet[Association] | Iterable[Association | int], *, batch_size: int = DEFAULT_BATCH_SIZE
) -> int:
    """Rebuild every search structure of the given listings (a queryset, instances or pks).

    Per batch: three reads (rows, category links, places), one bulk write of the index, the
    facet rows replaced, and one insert of new vocabulary words. Returns the number of listings indexed.
    """
    pks = _pks(associations)
    module = backend()
    count = 0
    for start in range(0, len(pks), batch_size):
        with transaction.atomic():
            docs = documents.build_many(pks[start : start + batch_size])
            if not docs:
                continue
            module.write(docs)
            _write_rows([doc.pk for doc in docs], docs)
            _insert_vocabulary(docs)
            count += len(docs)
    return count


def insert_new(
    listings: list[dict[str, Any]],
    *,
    category_ids: dict[int, list[int]],
    places: dict[int, list[tuple[Any, ...]]],
) -> int:
    """Insert new listings with every search structure, each row written once (PostgreSQL,
    bulk.uses_copy()): the registry import's creations.

    `listings` are dicts of Association field values by attname (`association_id` style), their
    `id` taken with bulk.allocate_ids(), the other fields their defaults; `category_ids` is
    {pk: [category id]} and `places` {pk: [(area id, quartier id, lat, lon)]}, the links and
    places the caller writes itself in the same transaction. The documents are built from memory
    (documents.build_new), the listings inserted with their vectors and the narrow rows of the
    published ones in one statement (postgres.insert_listings), then facets, points and
    vocabulary as index() writes them: index() on these listings afterwards writes the same rows.
    Returns the number of listings inserted.
    """
    if not listings:
        return 0
    names, values = bulk.row_values(Association, listings)
    listings = [dict(zip(names, row, strict=True)) for row in values]
    docs = documents.build_new(listings, category_ids=category_ids, places=places)
    for listing, doc in zip(listings, docs, strict=True):
        listing["search_name"], listing["search_text"] = doc.search_name, doc.search_text
    cast("CopyBackend", backend()).insert_listings(listings, docs)
    _insert_narrow(docs)
    _insert_vocabulary(docs)
    return len(docs)


def _write_rows(pks: list[int], docs: Sequence[Document]) -> None:
    """Replace the narrow rows (SearchRow, SearchPoint, SearchFacet, SearchService, and the
    OpeningSlots of directory/opening) of these listings: only the published ones have any."""
    _write_facets(pks, docs)
    delete_of_ids(SearchService, "association_id", pks)
    bulk.insert_rows(
        SearchService,
        ["service", "association", "running_from", "codes"],
        [
            (service, doc.pk, start, codes)
            for doc in docs
            if doc.row is not None
            for service, start, codes in doc.services
        ],
    )
    delete_of_ids(SearchPoint, "row_id", pks)
    published = [doc for doc in docs if doc.row is not None]
    opening_index.write(pks, [doc.pk for doc in published])
    backend().replace_rows(pks, published)
    _insert_points(published)


def _insert_points(published: Sequence[Document]) -> None:
    """The SearchPoint rows of these published listings' documents, each with what its backend
    has a point carry of its row (PostgreSQL: the name and the facet codes, migration 0039)."""
    module = backend()
    bulk.insert_rows(
        SearchPoint,
        ["row", "lat", "lon"],
        [(doc.pk, lat, lon, *module.point_values(doc)) for doc in published for lat, lon in doc.points],
        columns=module.POINT_COLUMNS,
    )


def sync_rows(associations: QuerySet[Association] | Iterable[Association | int]) -> None:
    """Refresh only the narrow search rows of these listings (after a status change: their
    text has not changed): the reads of index() and the replaced narrow rows (facets included),
    no text work."""
    pks = _pks(associations)
    for start in range(0, len(pks), DEFAULT_BATCH_SIZE):
        batch = pks[start : start + DEFAULT_BATCH_SIZE]
        with transaction.atomic():
            _write_rows(batch, documents.build_many(batch))


def forget(pks: Sequence[int] | None) -> None:
    """Drop what the text index keeps of these deleted listings (None: of every listing gone)
    beyond their rows, which go with them: SQLite's FTS rows."""
    backend().forget(pks)


def _insert_vocabulary(docs: Sequence[Document]) -> None:
    words = set().union(*(doc.words() for doc in docs))
    SearchTerm.objects.bulk_create(
        [SearchTerm(term=word) for word in sorted(words)], ignore_conflicts=True, batch_size=5000
    )


def _insert_narrow(docs: Sequence[Document]) -> None:
    """The facet and point rows of these documents' listings (none written yet)."""
    _insert_facets(docs)
    _insert_points([doc for doc in docs if doc.row is not None])


def _write_facets(pks: list[int], docs: Sequence[Document]) -> None:
    delete_of_ids(SearchFacet, "association_id", pks)
    _insert_facets(docs)


def _insert_facets(docs: Sequence[Document]) -> None:
    """The SearchFacet rows of these documents' published listings."""
    bulk.insert_rows(
        SearchFacet,
        ["association", "kind", "value"],
        [(doc.pk, kind, value) for doc in docs if doc.row is not None for kind, value in sorted(doc.facets)],
    )


def rebuild(
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    limit: int | None = None,
    progress: Callable[[int, int], object] | None = None,
) -> int:
    """Index every listing again and rebuild the vocabulary; `progress(done, total)` is called per batch."""
    pks = list(Association.objects.order_by("pk").values_list("pk", flat=True))
    if limit is not None:
        pks = pks[:limit]
    if limit is None:
        backend().clear_vocabulary()
        forget(None)
    done = 0
    for start in range(0, len(pks), batch_size):
        done += index(pks[start : start + batch_size], batch_size=batch_size)
        if progress:
            progress(done, len(pks))
    return done
