"""The rendered results region of /associations/ (and the JSON page of /api/associations/),
kept in the shared cache per search.

Everything inside the page's content block (count, criteria, form, facets, map markers, cards,
pagination) is a function of the search's known parameters, the language, the day (the shuffle
of equals), the quarter-hour (open statuses, the `ouvert` search) and what is published: no user, no CSRF token, no CSP nonce, and every link is built
from the known parameters only (`filters.known_query`). So a repeated search renders only the
page around it: no card query, no facet, no template loop.

The key carries the listings version (directory/cache.py), which anything that changes what is
published moves. As for the cached ids of SearchResults, a listing archived or unpublished by a
path that did not move it is not shown: a hit first checks, in one query by primary key, that
every listing of the region is still published, and renders again otherwise.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.safestring import mark_safe

from directory import cache as listings_cache
from directory.models import Association

from .results import params_digest

if TYPE_CHECKING:
    from directory.filters import AssociationFilter

# A cached region: {'html', 'ids', 'page_number', 'has_map', 'valid_until'} for a page, {'data',
# 'ids'} for the API. 'valid_until' (a timestamp, or None): when an open status its cards show
# changes (a place closes at 18 h 10 inside the quarter-hour of its key): it is kept until then.
Region = dict[str, Any]


def key(filterset: AssociationFilter, kind: str = "html") -> str | None:
    """The cache key of this search's results region (`kind`: "html", or what else tells the
    rendering apart, such as the API's origin), or None when search caching is off."""
    if settings.SEARCH_CACHE_SECONDS <= 0:
        return None
    from directory import search
    from directory.opening.search import region_bucket

    digest = params_digest(filterset.params, known=filterset.known_params, ignore=())
    # The region shows open statuses and open counts: it holds for the current quarter-hour.
    return listings_cache.versioned_key(
        f"results:{kind}:{translation.get_language()}:{search.daily_seed()}:{region_bucket()}:{digest}"
    )


def get(key: str | None) -> Region | None:
    """The cached region ({'html', 'ids', 'page_number', 'has_map'} for a page, {'data', 'ids'}
    for the API), if every listing it shows is still published; else None."""
    if key is None:
        return None
    region = cache.get(key)
    if region is None:
        return None
    ids = region["ids"]
    if ids and Association.objects.published().filter(pk__in=ids).count() != len(ids):
        return None
    if "html" in region:
        region = {**region, "html": mark_safe(region["html"])}  # noqa: S308 (rendered by our templates)
    return region


def store(key: str | None, region: Region) -> None:
    if key is None:
        return
    timeout = settings.SEARCH_CACHE_SECONDS
    valid_until = region.get("valid_until")
    if valid_until is not None:
        from directory.opening import calendar

        # On the clock the statuses were computed with (OPENING_CLOCK in live-server tests).
        seconds_left = math.floor(valid_until - calendar.now().timestamp())
        if seconds_left < 1:
            return
        timeout = min(timeout, seconds_left)
    if "html" in region:
        region = {**region, "html": str(region["html"])}
    cache.set(key, region, timeout)
