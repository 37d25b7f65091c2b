"""Shared caches of what is expensive and the same for everyone: the home page counts and the
sitemap pages.

Entries are keyed by a version number kept in the cache (and by the reference-data version), so
publishing, archiving or approving a change calls `bump_listings_version()` and every worker
reads fresh values at once; LISTINGS_CACHE_SECONDS only bounds how long an entry lives.

What is cached per version alone is language-neutral (ids, counts: the search results and
facets of directory/search/results.py and directory/facets.py, the home counts); their labels
are looked up at render time in the active language. A cached rendered body (`cached_page`)
is also keyed by the active language, so an English rendering is never served to French.
"""

import functools
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import translation

from directory import reference, request_memo

VERSION_KEY = "listings-version"


def listings_version() -> int:
    """The shared version, read once per request (directory/request_memo.py)."""
    return request_memo.remembered(VERSION_KEY, _read_version)


def _read_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def _incr() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, 2, timeout=None)
    request_memo.forget(VERSION_KEY)


def bump_listings_version() -> None:
    """Call after anything that changes what is published (status, categories, places…).

    Bumps now (this request sees its own change) and again after the commit, so that a request
    that read the old rows while the transaction ran cannot keep them cached under the new version.
    """
    _incr()
    transaction.on_commit(_incr)


def versioned_key(name: str) -> str:
    return f"{name}:{reference.get().version}:{listings_version()}"


def cached[T](name: str, compute: Callable[[], T]) -> T:
    """compute() once per listings and reference version (LISTINGS_CACHE_SECONDS at most)."""
    if settings.LISTINGS_CACHE_SECONDS <= 0:
        return compute()
    key = versioned_key(name)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.LISTINGS_CACHE_SECONDS)
    return value


def home_counts():
    """(published listings per top-level category id, published listings): 2 queries, cached."""
    from directory.listings import selectors
    from directory.models import Association

    return cached(
        "home-counts",
        lambda: (selectors.top_category_counts(), Association.objects.published().count()),
    )


def cached_page(view):
    """Caches the body of a public GET view (sitemaps) per path, query and language, per version."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or settings.LISTINGS_CACHE_SECONDS <= 0:
            return view(request, *args, **kwargs)
        key = versioned_key(f"page:{translation.get_language()}:{request.get_full_path()}")
        hit = cache.get(key)
        if hit is not None:
            status, content_type, headers, body = hit
            response = HttpResponse(body, status=status, content_type=content_type)
            for name, value in headers:
                response.headers[name] = value
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        if response.status_code == 200 and not response.streaming:
            kept = [(name, value) for name, value in response.items() if name != "Content-Type"]
            cache.set(
                key,
                (response.status_code, response["Content-Type"], kept, response.content),
                settings.LISTINGS_CACHE_SECONDS,
            )
        return response

    return wrapper
