"""The pages of a search, served from a cached list of its ordered ids.

Ranking thousands of matches, or shuffling every listing for the default order, is the costly
part of a search; the order itself is the same for everyone who asks the same question on the
same day. So the ids of the first WINDOW results (and the total count) are computed once per
parameter set and kept in Django's cache under the listings version (directory.cache), which
anything that changes what is published moves. A page then costs one query by primary key plus
the prefetches of the cards. Pages past the window are queried directly.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypedDict, overload

from django.conf import settings
from django.core.cache import cache as shared_cache
from django.db import connection
from django.db.models import Count, F, OrderBy, Window

from directory import cache as listings_cache
from directory.models import Association
from directory.models.associations import published_cards
from directory.offers import search as offers_search

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import QueryDict

    from directory.geo import Point

WINDOW = 1000  # ids kept per search: 50 pages of 20
RECENT_ORDER = ("-created_at", "-pk")  # tri=recent (AssociationFilter.ordered)
# Values of the annotations that the cards and the API read, kept with the ids.
CARRIED_ANNOTATIONS = ("distance_km2",)


class Data(TypedDict):
    """What is cached of a search: the total, and (id, *carried values) of the first WINDOW."""

    count: int
    rows: list[tuple[Any, ...]]


def known_params(
    params: QueryDict, known: Collection[str], *, ignore: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """The sorted (name, value) pairs of the parameters the search reads, values stripped.

    Anything else in the query string (`utm_*`, `fbclid`, `&x=123`) is left out: it neither
    creates a cache entry nor misses the cache, and it is never logged."""
    return sorted(
        (name, value.strip())
        for name in params
        if name in known and name not in ignore
        for value in params.getlist(name)
        if value.strip()
    )


def params_digest(params: QueryDict, *, known: Collection[str], ignore: Iterable[str] = ("page",)) -> str:
    """A short stable digest of the known parameters (order, blanks and unknown names do not matter)."""
    items = known_params(params, known, ignore=ignore)
    return hashlib.sha256(repr(items).encode()).hexdigest()[:32]


class SearchResults:
    """What Django's Paginator needs of a search (count() and slicing), cache first."""

    def __init__(
        self,
        queryset: QuerySet[Any],
        *,
        params: QueryDict,
        known: Collection[str],
        near: tuple[QuerySet[Any], Point] | None = None,
        sort: str | None = None,
        bucket: str = "",
    ) -> None:
        self.queryset = queryset
        self.sort = sort  # the `tri` of the search: every listing is read in order from an index
        # (rows, point): a search within a radius ordered by distance: `rows` are the search
        # rows matching its text and other filters (the backend finds the points itself).
        self.near = near
        self.carried = [name for name in CARRIED_ANNOTATIONS if name in queryset.query.annotations]
        from directory import search

        # The daily shuffle orders ties, so a cached order is only valid for its seed.
        digest = params_digest(params, known=known, ignore=("page", "page_size"))
        # `bucket`: the time an answer holds for, when it changes with time (`ouvert`).
        self.name = f"search:{search.daily_seed()}:{bucket}:{digest}"
        self._data: Data | None = None
        # The pages that name a listing's services (the results page, the API) set this: a
        # page's listings then also get their services, in one more query when one has any
        # (offers.search.attach_services); with `service_places` (the API, which lists each
        # service's places), the links of the services to their places too, in one more.
        self.with_services = False
        self.service_places = False
        # Ids to count among the matches in the statement that finds them (the listings open now,
        # opening/search.py), set before the facets are asked; `counted` holds the count when
        # that statement ran in this request (None otherwise: the caller counts on its own).
        self.count_among: QuerySet[Any] | None = None
        self.counted: int | None = None

    def _compute(self) -> Data:
        """The first WINDOW ids in order, and the total from a window COUNT in the same query."""
        near = self._near(kinds=None)
        if near is not None:
            count, rows, _facets, self.counted = near
            return {"count": count, "rows": rows}
        every = self._every_ids(0, WINDOW, counted=self.count_among)
        if every is not None:
            count, ids, self.counted = every
            return {"count": count, "rows": [(pk,) for pk in ids]}
        if "rank" in self.queryset.query.annotations and self._joint_applies():
            # A text search without facets (the API) as the results page finds it: with a
            # window COUNT over ORDER BY … LIMIT, PostgreSQL walked an index through every
            # match or ranked them all twice (100 000 imported rows: `q=enseigner&tri=nom`
            # 68 → 37 ms, `q=club` 87 → 36). The filters alone keep the window COUNT
            # (`categorie=sport` 19 ms, 30 in one statement).
            data, _facets = self._joint(None)
            return data
        rows = list(
            self.queryset.annotate(search_total=Window(Count("pk"))).values_list(
                "search_total", "pk", *self.carried
            )[:WINDOW]
        )
        return {"count": rows[0][0] if rows else 0, "rows": [row[1:] for row in rows]}

    @property
    def data(self) -> Data:
        if self._data is None:
            self._data = self._cached()
            if self._data is None:
                self._store(self._compute())
        return self._data  # type: ignore[return-value]  # set by _cached() or _store()

    def _key(self) -> str | None:
        return None if settings.SEARCH_CACHE_SECONDS <= 0 else listings_cache.versioned_key(self.name)

    def _cached(self) -> Data | None:
        key = self._key()
        return None if key is None else shared_cache.get(key)

    def _store(self, data: Data) -> None:
        self._data = data
        key = self._key()
        if key is not None:
            shared_cache.set(key, data, settings.SEARCH_CACHE_SECONDS)

    def _every_ids(
        self, offset: int, limit: int, *, counted: QuerySet[Any] | None = None
    ) -> tuple[int, list[int], int | None] | None:
        """(total, ids, how many are among the ids of `counted`) of every published listing in
        order, read from an index by the backend, when the search is every listing (no text, no
        filter, no distance); else None."""
        from directory import search

        query = self.queryset.query
        if self.queryset.model is Association or query.where or self.carried or "rank" in query.annotations:
            return None
        module = search.backend()
        if not hasattr(module, "every_ids"):
            return None
        every: tuple[int, list[int], int | None] | None
        every = module.every_ids(
            self.sort, seed=search.daily_seed(), offset=offset, limit=limit, counted=counted
        )
        return every

    def _near(
        self, *, kinds: Iterable[str] | None
    ) -> tuple[int, list[tuple[Any, ...]], list[tuple[str, int, int]] | None, int | None] | None:
        """(total, first rows, facets, count among `count_among`) of a radius search in one
        statement, when the backend answers one (PostgreSQL) and the search is one (`near`); else None."""
        from directory import search

        module = search.backend()
        if self.near is None or not hasattr(module, "near_ids_count_and_facets"):
            return None
        rows, point = self.near
        found: tuple[int, list[tuple[Any, ...]], list[tuple[str, int, int]] | None, int | None]
        found = module.near_ids_count_and_facets(
            rows, point, window=WINDOW, kinds=kinds, counted=self.count_among
        )
        return found

    def facet_rows(self, kinds: Iterable[str]) -> list[tuple[str, int, int]] | None:
        """[(kind, value, count)] of the matches' facet codes, computed in the same statement as
        the ordered ids and the total (which are then kept as by `data`) and the count among
        `count_among` (kept in `counted`), when the backend holds the facet codes on the narrow
        rows and the ids are not known yet; else None (the caller counts the facets on its own).
        A cold search then reads its matches once, not two or three times."""
        if not self._backend_counts_facets() or self._data is not None:
            return None
        if self.near is not None:
            cached = self._cached()
            if cached is not None:
                self._data = cached
                return None
            near = self._near(kinds=kinds)
            if near is not None:
                count, near_rows, near_facets, self.counted = near
                self._store({"count": count, "rows": near_rows})
                return near_facets
        if not self._joint_applies():
            return None
        cached = self._cached()
        if cached is not None:
            self._data = cached
            return None
        data, facets = self._joint(kinds)
        self._store(data)
        return facets

    def _backend_counts_facets(self) -> bool:
        """Whether the backend counts facets in the statement that finds the ids (PostgreSQL, whose
        narrow rows hold the facet codes) and this is a search of those rows (not of listings)."""
        from directory import search

        return self.queryset.model is not Association and hasattr(search.backend(), "ids_count_and_facets")

    def _joint_applies(self) -> bool:
        """Whether the backend's one statement (ids, total, facets, open count) suits this search.

        Measured on 100 000 imported rows: one statement is faster when a text query or a
        filter finds the matches (22 against 39 ms, 64 against 102 ms), slower over every
        listing or every point of a radius without text, which two statements read through
        their indexes (85 against 157 ms, 169 against 273 ms)."""
        if not self._backend_counts_facets():
            return False
        query = self.queryset.query
        return bool(query.where) and not (self.carried and "rank" not in query.annotations)

    def _joint(self, kinds: Iterable[str] | None) -> tuple[Data, list[tuple[str, int, int]]]:
        """(data, facets of `kinds`) from the backend's one statement (see facet_rows); no facets
        counted without `kinds`."""
        from directory import search

        query = self.queryset.query
        keys: dict[str, Any] = {}
        order: list[tuple[str, bool, bool | None, bool | None]] = []
        in_order = self._in_order()
        for position, item in enumerate(query.order_by if in_order is None else ()):
            if isinstance(item, str):
                item = OrderBy(F(item.lstrip("-")), descending=item.startswith("-"))
            name = f"order_{position}"
            keys[name] = item.expression  # type: ignore[attr-defined]  # an OrderBy (.asc(), .desc())
            order.append((name, item.descending, item.nulls_first, item.nulls_last))  # type: ignore[attr-defined]
        matches = self.queryset.order_by().annotate(**keys)
        facets: list[tuple[str, int, int]]
        count, rows, facets, self.counted = search.backend().ids_count_and_facets(  # type: ignore[attr-defined]  # PostgreSQL's (_joint_applies)
            matches,
            ["pk", *self.carried, *keys],
            order,
            carried=len(self.carried),
            window=WINDOW,
            kinds=kinds,
            counted=self.count_among,
            in_order=in_order,
        )
        return {"count": count, "rows": rows}, facets

    def _in_order(self) -> QuerySet[Any] | None:
        """The first WINDOW ids of a text search ordered by date (tri=recent) as a query of their
        own, so that the database may read the index of dates in order (`searchrow_created`)
        and stop there instead of sorting every match; else None.

        Measured on 100 000 imported rows (the benchmark's 10 tri=recent searches, each the best
        of 3 cold runs, SQL p50 / max): 26 / 98 → 23 / 58 ms, a word in all 60 000 listings 97 → 60 ms. The planner takes that
        index only for a word in many listings (the text's tsquery is a constant it estimates).
        Not for tri=nom: names do not follow the rows' order on disk, and reading them in name
        order fetched rows all over the table (SQL p50 17 → 27 ms). Not for the filters alone: their
        matches (a category's 10 000 listings) would be found twice (31 ms more for `categorie=sport`).
        """
        query = self.queryset.query
        if self.carried or "rank" not in query.annotations or tuple(query.order_by) != RECENT_ORDER:
            return None
        return self.queryset.values_list("pk")[:WINDOW]

    def count(self) -> int:
        return self.data["count"]

    def cached_count(self) -> int | None:
        """The total when this search was asked (its ids are cached or read), else None."""
        if self._data is None:
            self._data = self._cached()
        return None if self._data is None else self._data["count"]

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int) -> Association: ...
    @overload
    def __getitem__(self, index: slice) -> list[Association]: ...
    def __getitem__(self, index: int | slice) -> Association | list[Association]:
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        rows = self.data["rows"]
        start, stop = index.start or 0, index.stop if index.stop is not None else self.count()
        if stop > len(rows) and self.count() > len(rows):  # past the cached window
            if self.queryset.model is Association:
                listings = list(self.queryset.for_cards()[start:stop])  # type: ignore[attr-defined]  # an AssociationQuerySet
                if self.with_services:
                    offers_search.attach_services({a.pk: a for a in listings}, places=self.service_places)
                return listings
            every = self._every_ids(start, stop - start)
            if every is not None:
                page = [(pk,) for pk in every[1]]
            else:
                page = list(self.queryset.values_list("pk", *self.carried)[start:stop])  # narrow rows
        else:
            page = rows[start:stop]
        # Re-read through published(): a listing archived or unpublished since the ids were
        # cached (by any process) just drops out of the page.
        by_pk = published_cards([row[0] for row in page])
        if self.with_services:
            offers_search.attach_services(by_pk, places=self.service_places)
        associations: list[Association] = []
        for pk, *values in page:
            association = by_pk.get(pk)
            if association is None:  # archived or unpublished since the order was cached
                continue
            for name, value in zip(self.carried, values, strict=True):
                setattr(association, name, value)
            associations.append(association)
        return associations


def count_all(
    searches: Sequence[tuple[SearchResults, QuerySet[Any]]], *, bound: int | None = None
) -> list[int]:
    """The totals of searches whose pages nobody asked yet (the wider searches of
    directory/relax.py), given as (their SearchResults, their matches without ordering): each
    from the cache when that search was asked, the others in one statement, a COUNT subquery
    each, which neither orders the matches nor measures their distance. Ordering every match to
    cache a window nobody may read cost 129 ms for a word in every one of 60 000 listings near a
    point; its COUNT, 25. One statement rather than a COUNT each: a search with few results
    offers up to MAX_DROPS of them, each a round trip.

    `bound`: a count past it is only known to be past it (a COUNT of its first `bound` + 1
    matches, which the index finds first): "plus de 1 000 résultats sans la limite de distance"
    (relax.py). The COUNT of a word in all of 60 000 listings took 30 ms; of its first 1 001, 3."""
    counts = [pages.cached_count() for pages, _matches in searches]
    missing = [i for i, n in enumerate(counts) if n is None]
    if not missing:
        return [int(n) for n in counts]  # type: ignore[arg-type]  # none is None
    parts: list[str] = []
    params: list[Any] = []
    limit = "" if bound is None else f" LIMIT {int(bound) + 1}"
    for i in missing:
        sql, sql_params = searches[i][1].order_by().values("pk").query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}{limit}) AS wider)")  # noqa: S608
        params.extend(sql_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    for i, n in zip(missing, row, strict=True):
        counts[i] = n
    return [int(n) for n in counts]  # type: ignore[arg-type]  # every one counted
