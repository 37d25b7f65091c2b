"""Values read once per request: the shared version numbers of the caches (and the typo
candidates and prefixes of a search's words, directory/search/postgres.py `prepare`).

Every cache key of the search (directory/cache.py `versioned_key`) and every read of the
reference snapshot (directory/reference.py) first asks the shared cache for a version number.
A cold results page asked Redis for them 16 times (12 for the reference data, 4 for the
listings): 16 of its 22 round trips, about 4 ms. Inside a request they are now read once each
and kept until the response (`RequestMemoMiddleware`, first in settings.MIDDLEWARE): one
request sees one version of each throughout, and a change made by the request itself
(`bump_listings_version`, `reference.invalidate`) forgets the kept value, so the request reads
the new one. Outside a request (commands, tasks, tests calling functions directly) nothing is
kept: every read asks the cache, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_memo: ContextVar[dict[str, Any] | None] = ContextVar("request_memo", default=None)


@contextmanager
def scope() -> Iterator[None]:
    """Keep the values read inside this block (a request) until it ends."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def remembered[T](key: str, read: Callable[[], T]) -> T:
    """read(), once per scope for `key` (every time outside a scope)."""
    memo = _memo.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    value: T = memo[key]
    return value


def forget(key: str) -> None:
    """The next read of `key` in this scope asks again (its value changed)."""
    memo = _memo.get()
    if memo is not None:
        memo.pop(key, None)


class RequestMemoMiddleware:
    """Each request is one scope of request_memo."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        with scope():
            return self.get_response(request)
