"""The pages of a search, served from a cached list of its ordered ids.

Ranking thousands of matches, or shuffling every listing for the default order, is the costly
part of a search; the order itself is the same for everyone who asks the same question on the
same day. So the ids of the first WINDOW results (and the total count) are computed once per
parameter set and kept in Django's cache under the listings version (directory.cache), which
anything that changes what is published moves. A page then costs one query by primary key plus
the prefetches of the cards. Pages past the window are queried directly.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache as shared_cache
from django.db.models import Count, Window

from directory import cache as listings_cache
from directory.models import Association

WINDOW = 1000  # ids kept per search: 50 pages of 20
# Values of the annotations that the cards and the API read, kept with the ids.
CARRIED_ANNOTATIONS = ("distance_km2",)


def known_params(params, known, *, ignore=()):
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


def params_digest(params, *, known, ignore=("page",)):
    """A short stable digest of the known parameters (order, blanks and unknown names do not matter)."""
    items = known_params(params, known, ignore=ignore)
    return hashlib.sha256(repr(items).encode()).hexdigest()[:32]


class SearchResults:
    """What Django's Paginator needs of a search (count() and slicing), cache first."""

    def __init__(self, queryset, *, params, known):
        self.queryset = queryset
        self.carried = [name for name in CARRIED_ANNOTATIONS if name in queryset.query.annotations]
        from directory import search

        # The daily shuffle orders ties, so a cached order is only valid for its seed.
        digest = params_digest(params, known=known, ignore=("page", "page_size"))
        self.name = f"search:{search.daily_seed()}:{digest}"
        self._data = None

    def _compute(self):
        """The first WINDOW ids in order, and the total from a window COUNT in the same query."""
        rows = list(
            self.queryset.annotate(search_total=Window(Count("pk"))).values_list(
                "search_total", "pk", *self.carried
            )[:WINDOW]
        )
        return {"count": rows[0][0] if rows else 0, "rows": [row[1:] for row in rows]}

    @property
    def data(self):
        if self._data is None:
            if settings.SEARCH_CACHE_SECONDS <= 0:
                self._data = self._compute()
            else:
                key = listings_cache.versioned_key(self.name)
                self._data = shared_cache.get(key)
                if self._data is None:
                    self._data = self._compute()
                    shared_cache.set(key, self._data, settings.SEARCH_CACHE_SECONDS)
        return self._data

    def count(self):
        return self.data["count"]

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        rows = self.data["rows"]
        start, stop = index.start or 0, index.stop if index.stop is not None else self.count()
        if stop > len(rows) and self.count() > len(rows):  # past the cached window
            if self.queryset.model is Association:
                return list(self.queryset.for_listing()[start:stop])
            page = list(self.queryset.values_list("pk", *self.carried)[start:stop])  # narrow rows
        else:
            page = rows[start:stop]
        # Re-read through published(): a listing archived or unpublished since the ids were
        # cached (by any process) just drops out of the page.
        by_pk = (
            Association.objects.published().filter(pk__in=[row[0] for row in page]).for_listing().in_bulk()
        )
        associations = []
        for pk, *values in page:
            association = by_pk.get(pk)
            if association is None:  # archived or unpublished since the order was cached
                continue
            for name, value in zip(self.carried, values, strict=True):
                setattr(association, name, value)
            associations.append(association)
        return associations
