"""A time budget per search, so that no search can hold a worker.

    with budget.limit():          # raises SearchTimeout past settings.SEARCH_TIMEOUT_MS
        ... every query of the search ...

Admission first: a process runs at most SEARCH_CONCURRENCY searches at a time (a semaphore).
With threaded workers (gunicorn.conf.py), the other threads stay free for what is cheap (a
listing page, a cached results page, /healthz, static files): twenty residents searching at once
queue for the search slots, not in front of everyone else. The wait counts in the budget: a
search still waiting when it is spent gets the same 503 as one that ran too long.

PostgreSQL: `statement_timeout` (with `jit` and parallel workers off and `work_mem` at
SEARCH_WORK_MEM_MB, so that a broad search sorts and groups its matches in memory) for the
search's statements, as session settings reset right after in autocommit, or `SET LOCAL` in a
savepoint inside a caller's transaction (the server cancels the statement, so the SQL stops too,
not only the worker). SQLite: a progress handler that aborts the statement past the deadline.
Either way the database error becomes SearchTimeout, which the views answer with a 503 and a
Retry-After (directory/listings/views.py, directory/api/views.py).

The PostgreSQL setting is sent on the driver's own cursor: it reads or writes no row, and the
pinned query counts (tests/test_query_counts.py) count the data queries of a page.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import OperationalError, connection

if TYPE_CHECKING:
    from django.http import QueryDict

    from directory.filters import AssociationFilter

# (name, value) pairs of a search's parameters, as logged.
Pairs = Iterable[tuple[str, str]]

logger = logging.getLogger("directory.search")

# SQLite calls the progress handler every N virtual-machine instructions (a few microseconds).
SQLITE_PROGRESS_STEPS = 1000
RETRY_AFTER_SECONDS = 30


class SearchTimeout(Exception):
    """The search went past its time budget; its queries were cancelled."""


def _timeout_ms() -> int:
    return max(1, int(settings.SEARCH_TIMEOUT_MS))


# SEARCH_CONCURRENCY → its semaphore (one in production; tests change the setting)
_slots: dict[int, threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()


def _search_slots() -> threading.BoundedSemaphore:
    size = max(1, int(settings.SEARCH_CONCURRENCY))
    with _slots_lock:
        if size not in _slots:
            _slots[size] = threading.BoundedSemaphore(size)
        return _slots[size]


def _raw(sql: str) -> None:
    """Run session or transaction control on the driver's cursor (not a data query)."""
    with connection.connection.cursor() as cursor:
        cursor.execute(sql)


# JIT compilation costs hundreds of milliseconds on the first plan of a large search and saves
# nothing on queries that end with a LIMIT: off for the search. The server's default work_mem
# (4 MB) sends a broad search's materialised matches and sorts to temporary files (163 against
# 91 ms for a word found in all of 60 000 listings).
# The search's rows and indexes are read from memory (shared buffers or the OS cache), where
# the server's default random_page_cost (4, for spinning disks) makes the planner scan all
# 60 000 rows for a word in 11 000 of them (39 ms) rather than fetch those through the text
# index (10 ms). 1.1 is the usual value for data in memory or on SSDs.
RANDOM_PAGE_COST = 1.1
# No parallel workers: each request already has a core of the server's few (two gunicorn
# workers on two cores), and starting workers costs 5-8 ms, more than they save on a search's
# statements. The planner chose them for radius searches with text through the points (a scan
# of the points in the radius), where they made the statement slower: 50 such searches on
# 100 000 imported rows, summed medians of 5 alternated runs, 1 002 ms with workers, 792 without.
_LIMITS = (
    "SET {scope} statement_timeout = {ms}; SET {scope} jit = off; SET {scope} work_mem = '{mb}MB';"
    " SET {scope} random_page_cost = {rpc}; SET {scope} max_parallel_workers_per_gather = 0"
)
_SETTINGS = ("statement_timeout", "jit", "work_mem", "random_page_cost", "max_parallel_workers_per_gather")


def _limits(scope: str, ms: float) -> str:
    return _LIMITS.format(
        scope=scope, ms=int(ms), mb=max(1, int(settings.SEARCH_WORK_MEM_MB)), rpc=RANDOM_PAGE_COST
    )


@contextlib.contextmanager
def _postgres(ms: float) -> Iterator[None]:
    connection.ensure_connection()
    if not connection.in_atomic_block:
        # Autocommit (a normal request): session settings, reset right after. The search reads
        # only, so it needs no transaction (no BEGIN/COMMIT round trips); if the reset fails,
        # the connection is closed rather than handed on with a short timeout.
        _raw(_limits("SESSION", ms))
        try:
            yield
        finally:
            try:
                _raw("; ".join(f"RESET {name}" for name in _SETTINGS))
            except Exception:
                connection.close()
                raise
        return
    # Inside a caller's transaction (a test's, an ATOMIC_REQUESTS view's): SET LOCAL within a
    # savepoint of our own, so that a cancelled statement leaves that transaction usable and
    # the limits end with the search.
    _raw("SAVEPOINT search_budget; " + _limits("LOCAL", ms))
    try:
        yield
    except BaseException:
        _raw("ROLLBACK TO SAVEPOINT search_budget; RELEASE SAVEPOINT search_budget")
        raise
    _raw(
        "; ".join(f"SET LOCAL {name} TO DEFAULT" for name in _SETTINGS) + "; RELEASE SAVEPOINT search_budget"
    )


@contextlib.contextmanager
def _sqlite(ms: float) -> Iterator[None]:
    connection.ensure_connection()
    deadline = time.monotonic() + ms / 1000

    def past_deadline() -> int:
        return 1 if time.monotonic() > deadline else 0

    raw = connection.connection
    raw.set_progress_handler(past_deadline, SQLITE_PROGRESS_STEPS)
    try:
        yield
    finally:
        raw.set_progress_handler(None, SQLITE_PROGRESS_STEPS)


def _is_timeout(error: BaseException) -> bool:
    text = str(error).lower()
    return "statement timeout" in text or "canceling statement" in text or "interrupted" in text


@contextlib.contextmanager
def limit(params: Pairs | None = None) -> Iterator[None]:
    """Run the block within SEARCH_TIMEOUT_MS; raise SearchTimeout (and log it) past it.

    `params`: (name, value) pairs logged with the event: the search parameters only
    (`logged_params`), no address, no user, no tracking parameter.
    """
    ms = _timeout_ms()
    guard = _postgres if connection.vendor == "postgresql" else _sqlite
    started = time.monotonic()
    slots = _search_slots()
    if not slots.acquire(timeout=ms / 1000):
        _log_timeout(f"no search slot free within {ms} ms", ms, params)
        raise SearchTimeout
    try:
        waited = (time.monotonic() - started) * 1000
        with guard(max(1, ms - waited)):
            yield
    except OperationalError as error:
        if not _is_timeout(error):
            raise
        elapsed = (time.monotonic() - started) * 1000
        _log_timeout(f"search timeout after {elapsed:.0f} ms (budget {ms} ms)", ms, params)
        raise SearchTimeout from error
    finally:
        slots.release()


def _log_timeout(what: str, ms: int, params: Pairs | None) -> None:
    described = _describe(params)
    logger.warning("%s: %s", what, described, extra={"search_params": described, "budget_ms": ms})


# Where a resident is or goes stays out of the logs: the place typed in "Près de" is masked.
PRIVATE_PARAMS = frozenset({"pres"})


def logged_params(params: QueryDict, filterset: AssociationFilter) -> Pairs:
    """The (name, value) pairs of a search worth logging: the parameters it reads, nothing else,
    the private ones masked."""
    from .results import known_params

    return [
        (name, "[masqué]" if name in PRIVATE_PARAMS else value)
        for name, value in known_params(params, filterset.known_params)
    ]


def _describe(pairs: Pairs | None) -> str:
    return "&".join(f"{name}={value}" for name, value in pairs or ())
