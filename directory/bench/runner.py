"""Time a fixed mix of requests through the whole Django stack (test Client, in process).

Each query is called `warmup` times untimed, then `runs` times, recording wall time
(`time.perf_counter`) and the SQL queries of each request (`CaptureQueriesContext`). A non-200
answer counts as an error and is shown in the report.
"""

import os
import platform
import random
import secrets
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

import django
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from directory.bench.generator import bench_rows
from directory.models import Association

RESULTS = "/associations/"
API = "/api/associations/"


@dataclass(frozen=True)
class Query:
    kind: str
    label: str
    path: str = RESULTS
    params: dict = field(default_factory=dict)

    @property
    def url(self):
        return f"{self.path}?{urlencode(self.params)}" if self.params else self.path

    @property
    def is_results_page(self):
        return self.path == RESULTS


def _q(kind, text, **params):
    return Query(
        kind, f"q={text}" + "".join(f" {k}={v}" for k, v in params.items()), params={"q": text, **params}
    )


def _f(kind, **params):
    return Query(kind, " ".join(f"{k}={v}" for k, v in params.items()), params=params)


# The fixed mix. Parameters the search does not know yet (tri=distance) are ignored and still 200.
QUERIES = [
    _q("keyword", "sport"),
    _q("keyword", "aide alimentaire"),
    _q("keyword", "cours de français"),
    _q("typo", "alfabetisation"),
    _q("typo", "futball"),
    _q("synonym", "aide aux devoirs"),
    _q("synonym", "soutien scolaire"),
    _q("place words", "sport villeurbanne"),
    _q("place words", "foot croix rousse"),
    _q("place words", "lyon 7"),
    _q("place words", "69003"),
    _f("filters", categorie="alimentation"),
    _f("filters", categorie="football"),
    _f("filters", territoire="lyon-3"),
    _f("filters", territoire="villeurbanne"),
    _f("filters", gratuit="1", sans_rdv="1"),
    _f("filters", public="familles"),
    _f("filters", langue="ar"),
    _q("keyword + filters", "sport", territoire="villeurbanne"),
    _q("keyword + filters", "aide alimentaire", gratuit="1", sans_rdv="1"),
    _q("keyword + filters", "cours de français", langue="ar", territoire="lyon-7"),
    _f("distance", tri="distance", lat="45.76", lon="4.84", rayon="2"),
    _q("distance", "sport", tri="distance", lat="45.76", lon="4.84", rayon="2"),
    _q("page 50", "association", page="50"),
    Query("api", "q=sport", API, {"q": "sport"}),
    Query("listing page", "random bench slug", path="<listing>"),
    Query("home page", "/", path="/"),
]
TRIVIAL = Query("trivial", "/healthz", path="/healthz")
ADMIN = Query(
    "admin search", "/admin/…/association/?q=sport", "/admin/directory/association/", {"q": "sport"}
)


@dataclass
class Measure:
    query: Query
    times: list = field(default_factory=list)  # ms
    sql_times: list = field(default_factory=list)  # ms, as reported by the database driver wrapper
    queries: list = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    slowest_sql: tuple = (0.0, "")  # (ms, sql) of the slowest statement seen
    results: int | None = None

    def pct(self, p):
        ordered = sorted(self.times)
        if not ordered:
            return 0.0
        index = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
        return ordered[index]

    @property
    def p50(self):
        return statistics.median(self.times) if self.times else 0.0

    @property
    def p95(self):
        return self.pct(95)

    @property
    def max(self):
        return max(self.times, default=0.0)

    @property
    def errors(self):
        return sum(n for status, n in self.statuses.items() if status != 200)

    @property
    def status_text(self):
        if not self.errors:
            return "200"
        return ", ".join(f"{status}×{n}" for status, n in sorted(self.statuses.items()))

    @property
    def queries_text(self):
        low, high = min(self.queries, default=0), max(self.queries, default=0)
        return str(low) if low == high else f"{low}–{high}"

    @property
    def sql_p50(self):
        return statistics.median(self.sql_times) if self.sql_times else 0.0


def bench_settings(*, cold=False):
    """What the in-process client needs, whatever the environment says (DEBUG off as in production;
    plain static storage so that no collectstatic manifest is needed; no per-address rate limit,
    since every request comes from one address). `cold` turns off the caches of search result
    ids, facets and counts, to time the database work of every request."""
    caches = (
        {"SEARCH_CACHE_SECONDS": 0, "FACETS_CACHE_SECONDS": 0, "LISTINGS_CACHE_SECONDS": 0} if cold else {}
    )
    return override_settings(
        **caches,
        RATE_LIMITS_ENABLED=False,
        DEBUG=False,
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        SECURE_SSL_REDIRECT=False,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )


def _measure(client, query, urls, *, runs, warmup):
    measure = Measure(query)
    for i in range(warmup):
        client.get(urls[i % len(urls)])
    for i in range(runs):
        url = urls[i % len(urls)]
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
        measure.times.append(elapsed)
        measure.queries.append(len(captured.captured_queries))
        measure.statuses[response.status_code] += 1
        sql = [(float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries]
        measure.sql_times.append(sum(ms for ms, _ in sql))
        slowest = max(sql, default=(0.0, ""))
        if slowest[0] > measure.slowest_sql[0]:
            measure.slowest_sql = slowest
    return measure


def _result_count(client, query):
    """How many listings a search answers, read once from the JSON API (not timed)."""
    if not query.is_results_page and query.path != API:
        return None
    params = {k: v for k, v in query.params.items() if k != "page"}
    response = client.get(f"{API}?{urlencode({**params, 'page_size': 1})}")
    return response.json().get("count") if response.status_code == 200 else None


def run_mix(*, runs=50, warmup=3, only=None, seed=1, progress=None, cold=False):
    """Run the queries of the mix (those of kind `only`, if given), then the trivial view and the
    admin search, which the ratios compare against; returns [Measure]."""
    queries = [q for q in QUERIES if only in (None, q.kind)]
    slugs = list(bench_rows().filter(status=Association.Status.PUBLISHED).values_list("slug", flat=True))
    if not slugs:
        raise ValueError("No bench listings: build them first (manage.py bench --build N).")
    rng = random.Random(seed)
    listing_urls = [f"/associations/{slug}/" for slug in rng.sample(slugs, min(len(slugs), runs + warmup))]
    measures = []
    with bench_settings(cold=cold):
        client = Client(raise_request_exception=False)
        for query in [*queries, TRIVIAL]:
            urls = listing_urls if query.path == "<listing>" else [query.url]
            measure = _measure(client, query, urls, runs=runs, warmup=warmup)
            measure.results = _result_count(client, query)
            measures.append(measure)
            if progress:
                progress(measure)
        measures.append(_run_admin(runs=runs, warmup=warmup, progress=progress))
    return measures


def _run_admin(*, runs, warmup, progress):
    """The admin changelist search, logged in as a superuser that exists only for this run."""
    user = get_user_model().objects.create_superuser(
        username=f"bench-admin-{secrets.token_hex(4)}", email="", password=None
    )
    try:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        measure = _measure(client, ADMIN, [ADMIN.url], runs=runs, warmup=warmup)
        if progress:
            progress(measure)
        return measure
    finally:
        user.delete()


# Report ----------------------------------------------------------------------------------------


def machine():
    """What ran the benchmark: CPU, cores, RAM, Python, Django, database, rows."""
    cpu = "unknown"
    ram = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
        with open("/proc/meminfo") as f:
            kb = next(int(line.split()[1]) for line in f if line.startswith("MemTotal"))
            ram = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    return {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram": ram,
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": database_version(),
        "listings": Association.objects.published().count(),
        "bench listings": bench_rows().count(),
    }


def database_version():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
    return connection.display_name


def pooled_p95(measures):
    times = [t for m in measures for t in m.times]
    return Measure(Query("pool", "pool"), times=times).p95 if times else 0.0


def ratios(measures):
    by_kind = {m.query.kind: m for m in measures}
    results = [m for m in measures if m.query.is_results_page]
    if not results:
        return []
    results_p95 = pooled_p95(results)
    trivial = by_kind["trivial"].p95
    admin = by_kind["admin search"].p95
    sport = next((m for m in results if m.query.params == {"q": "sport"}), None)
    return [
        ("results pages p95 (all /associations/ queries pooled)", f"{results_p95:.1f} ms"),
        ("trivial view p95 (/healthz)", f"{trivial:.1f} ms"),
        ("admin search p95 (?q=sport)", f"{admin:.1f} ms"),
        ("results page p95 / trivial p95", f"{results_p95 / trivial:.1f}×" if trivial else "n/a"),
        (
            "admin search p95 / results pages p95 (target ≥ 10)",
            f"{admin / results_p95:.1f}×" if results_p95 else "n/a",
        ),
        ("admin search p95 / results q=sport p95", f"{admin / sport.p95:.1f}×" if sport else "n/a"),
    ]


COLUMNS = ["kind", "query", "p50 ms", "p95 ms", "max ms", "SQL p50 ms", "queries", "results", "status"]


def rows(measures):
    return [
        [
            m.query.kind,
            m.query.label,
            f"{m.p50:.1f}",
            f"{m.p95:.1f}",
            f"{m.max:.1f}",
            f"{m.sql_p50:.1f}",
            m.queries_text,
            "" if m.results is None else str(m.results),
            m.status_text,
        ]
        for m in measures
    ]


def text_table(header, body):
    widths = [max(len(str(c)) for c in column) for column in zip(header, *body, strict=True)]
    line = "  ".join(f"{{:{w}}}" for w in widths)
    out = [line.format(*header), line.format(*("-" * w for w in widths))]
    out += [line.format(*row) for row in body]
    return "\n".join(out)


def markdown_table(header, body):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    out += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in body]
    return "\n".join(out)


def report(measures, info, *, markdown=False, runs, warmup, build=None):
    table = markdown_table if markdown else text_table
    parts = []
    machine_rows = [[k, str(v)] for k, v in info.items()]
    if build:
        machine_rows.append(["build", build])
    machine_rows.append(["runs", f"{runs} timed after {warmup} warm-up calls, per query"])
    parts.append(table(["machine", ""], machine_rows))
    parts.append(table(COLUMNS, rows(measures)))
    if ratio_rows := ratios(measures):
        parts.append(table(["ratio", ""], [list(r) for r in ratio_rows]))
    errors = sum(m.errors for m in measures)
    parts.append(f"errors (non-200 answers): {errors}")
    return "\n\n".join(parts)


def slowest_statements(measures, limit=5, width=400):
    """The slowest single SQL statements seen, to know which SQL dominates."""
    seen = sorted(
        ((m.slowest_sql[0], m.query.kind, m.query.label, m.slowest_sql[1]) for m in measures), reverse=True
    )
    return [(ms, kind, label, sql[:width]) for ms, kind, label, sql in seen[:limit]]
