"""Time distinct searches through the whole Django stack (test Client, in process).

The mix is made of families of DISTINCT searches drawn deterministically (a seed) from the
vocabulary of the generated registry file and of the database: words of names and purposes,
communes and arrondissements, the categories the import gave. Each search is asked once
"cold" (the normal caches on, but emptied before the pass by a new listings version, so
nothing is cached yet for it), then once again ("repeated"), for the HTML page
(/associations/, facets and map included) and for the API. /healthz is timed in the same run,
between the families, and each family is reported against it.
"""

import os
import platform
import random
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

import django
from django.conf import settings
from django.db import connection, reset_queries
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from directory import cache as listings_cache
from directory import warmup
from directory.dev.bench.generator import bench_rows
from directory.filters import AssociationFilter
from directory.models import Area, Association, Category
from directory.rna import sample
from directory.text import STOP_WORDS

HTML = "HTML"
API = "API"
CHANNELS = (HTML, API)
PASSES = ("cold", "repeated")
PATHS = {HTML: "/associations/", API: "/api/associations/"}
API_PAGE_SIZE = 50  # the API's default page size: deep pages are drawn so that both answer
MAX_DEEP_PAGE = 50
SORTS = [
    value for value, _label in AssociationFilter.Sort.choices if value != AssociationFilter.Sort.DISTANCE
]
# Words left out of the bench vocabulary: the search's stop words, plus two that the search keeps
# but that make poor bench queries ("association" is in nearly every generated name, "entre" is a
# linking word of the generated purposes).
VOCABULARY_SKIP = STOP_WORDS | {"association", "entre"}

FAMILIES = [
    "text",
    "text + area",
    "filters only",
    "deep pages",
    "distance",
    "distance + text",
    *(f"tri={sort}" for sort in SORTS),
    "facets (broad)",
    "listing page",
]


@dataclass(frozen=True)
class Search:
    family: str
    params: tuple  # ((name, value), …), or (("slug", slug),) for the listing page

    def url(self, channel):
        params = dict(self.params)
        if self.family == "listing page":
            return f"{PATHS[channel]}{params['slug']}/"
        return f"{PATHS[channel]}?{urlencode(params)}"

    @property
    def label(self):
        return " ".join(f"{k}={v}" for k, v in self.params)


# The mix ---------------------------------------------------------------------------------------


def vocabulary():
    """Words present in the generated names and purposes (directory/rna/sample.py), lower case."""
    words = set()
    for phrase in [*sample.KINDS, *sample.TOPICS, *sample.PURPOSES]:
        for word in phrase.replace("'", " ").replace(".", " ").lower().split():
            if len(word) >= 4 and word not in VOCABULARY_SKIP:
                words.add(word)
    return sorted(words)


@dataclass
class Context:
    words: list
    areas: list  # (slug, lat, lon) of the communes and arrondissements with bench listings
    categories: list  # slugs of the categories of bench listings, most used first
    slugs: list  # published bench listings
    published: int


def context():
    """What the mix is drawn from, read from the database (not timed)."""
    published = bench_rows().filter(status=Association.Status.PUBLISHED)
    area_ids = set(published.values_list("places__area_id", flat=True).distinct())
    areas = [
        (a.slug, a.lat, a.lon)
        for a in Area.objects.filter(pk__in=area_ids, lat__isnull=False).order_by("slug")
    ]
    through = Association.categories.through.objects.filter(association__in=published)
    used = Counter(through.values_list("category_id", flat=True))
    names = dict(Category.objects.values_list("pk", "slug"))
    categories = [names[pk] for pk, _n in sorted(used.items(), key=lambda item: (-item[1], item[0]))]
    slugs = list(published.order_by("pk").values_list("slug", flat=True))
    return Context(vocabulary(), areas, categories, slugs, len(slugs))


class Draw:
    """Random parts of a search drawn from a Context: the mix and the concurrency run share them."""

    def __init__(self, ctx, rng):
        if not ctx.slugs or not ctx.areas or not ctx.categories:
            raise ValueError("No published bench listings to search: build them first.")
        self.ctx, self.rng = ctx, rng

    def text(self):
        return " ".join(self.rng.sample(self.ctx.words, self.rng.choice([1, 1, 2])))

    def point(self):
        _slug, lat, lon = self.rng.choice(self.ctx.areas)
        return f"{lat + self.rng.uniform(-0.01, 0.01):.5f}", f"{lon + self.rng.uniform(-0.014, 0.014):.5f}"

    def area(self):
        return self.rng.choice(self.ctx.areas)[0]

    def category(self):
        return self.rng.choice(self.ctx.categories[: max(3, len(self.ctx.categories) // 2)])

    def filters(self):
        roll = self.rng.random()
        if roll < 0.35:
            return [("categorie", self.category())]
        if roll < 0.7:
            return [("territoire", self.area())]
        return [("categorie", self.category()), ("territoire", self.area())]

    def distance(self, with_text):
        lat, lon = self.point()
        params = [("q", self.text())] if with_text else []
        params += [("lat", lat), ("lon", lon), ("tri", "distance")]
        if self.rng.random() < 0.5:
            params.append(("rayon", str(self.rng.choice([1, 2, 5]))))
        return params


def make_mix(ctx, *, per_family=10, seed=1):
    """{family: [Search]}: `per_family` distinct searches per family, the same for a seed and data."""
    rng = random.Random(seed)
    draw_ = Draw(ctx, rng)
    mix = {}

    def draw(family, make):
        seen, searches = set(), []
        for _attempt in range(per_family * 50):
            params = tuple(make())
            if params not in seen:
                seen.add(params)
                searches.append(Search(family, params))
            if len(searches) == per_family:
                break
        mix[family] = searches

    last_page = max(2, min(MAX_DEEP_PAGE, ctx.published // API_PAGE_SIZE))
    draw("text", lambda: [("q", draw_.text())])
    draw("text + area", lambda: [("q", draw_.text()), ("territoire", draw_.area())])
    draw("filters only", draw_.filters)
    draw("deep pages", lambda: [("tri", rng.choice(SORTS)), ("page", str(rng.randint(2, last_page)))])
    draw("distance", lambda: draw_.distance(False))
    draw("distance + text", lambda: draw_.distance(True))
    for sort in SORTS:
        draw(f"tri={sort}", lambda sort=sort: [("q", draw_.text()), ("tri", sort)])
    draw("facets (broad)", lambda: [("q", rng.choice(ctx.words)), *draw_.filters()[:1]])
    draw("listing page", lambda: [("slug", rng.choice(ctx.slugs))])
    return mix


# Measures --------------------------------------------------------------------------------------


def percentile(values, p):
    """The nearest-rank p-th percentile of `values` (0.0 when there are none)."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


@dataclass
class Measure:
    family: str
    channel: str
    pass_: str
    times: list = field(default_factory=list)  # ms
    sql_times: list = field(default_factory=list)  # ms, summed per request
    queries: list = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    slowest_sql: tuple = (0.0, "", "")  # (ms, url, sql) of the slowest statement seen

    def pct(self, values, p):
        return percentile(values, p)

    @property
    def p50(self):
        return statistics.median(self.times) if self.times else 0.0

    @property
    def p95(self):
        return self.pct(self.times, 95)

    @property
    def max(self):
        return max(self.times, default=0.0)

    @property
    def sql_p50(self):
        return statistics.median(self.sql_times) if self.sql_times else 0.0

    @property
    def sql_p95(self):
        return self.pct(self.sql_times, 95)

    @property
    def queries_text(self):
        low, high = min(self.queries, default=0), max(self.queries, default=0)
        return str(low) if low == high else f"{low}–{high}"

    @property
    def errors(self):
        return sum(n for status, n in self.statuses.items() if status != 200)

    @property
    def status_text(self):
        if not self.errors:
            return "200"
        return ", ".join(f"{status}×{n}" for status, n in sorted(self.statuses.items()))


def bench_settings():
    """What the in-process client needs, whatever the environment says (DEBUG off as in production;
    plain static storage so that no collectstatic manifest is needed; no per-address rate limit,
    since every request comes from one address). The caches stay as configured."""
    return override_settings(
        RATE_LIMITS_ENABLED=False,
        DEBUG=False,
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        SECURE_SSL_REDIRECT=False,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )


def _time(client, url, measure):
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
        measure.slowest_sql = (slowest[0], url, slowest[1])
    reset_queries()


@dataclass
class ShapeRun:
    measures: list  # [Measure], one per family, channel and pass
    healthz: Measure
    concurrency: object = None  # concurrency.ConcurrencyRun, with --concurrency


# A word of most registry names, never drawn for the mix (VOCABULARY_SKIP): its search reads the
# search table and its text index once, as a serving server's searches keep them in PostgreSQL's
# buffers. Without it, reading the mix's context (the listings, their places and categories) left
# them out of the server's 128 MB, and the mix's first broad search read them from the operating
# system's cache: 129 ms of SQL for `q=arts` against 34 once they are in.
WARM_UP_WORD = "association"


def warm_up_paths(mix):
    """Pages that load what the mix renders without asking any search or listing of the mix, and
    a broad search outside the mix (WARM_UP_WORD)."""
    asked = {
        search_.url(channel) for searches in mix.values() for search_ in searches for channel in CHANNELS
    }
    listed = {dict(search_.params).get("slug") for search_ in mix.get("listing page", [])}
    paths = []
    for channel in CHANNELS:
        paths += [
            f"{PATHS[channel]}?q=echauffement",
            f"{PATHS[channel]}?tri=nom&page=3",
            f"{PATHS[channel]}?q={WARM_UP_WORD}",
        ]
    slug = (
        Association.objects.published()
        .exclude(slug__in=listed)
        .order_by("pk")
        .values_list("slug", flat=True)
        .first()
    )
    if slug:
        paths += [f"{PATHS[channel]}{slug}/" for channel in CHANNELS]
    return [path for path in paths if path not in asked]


def run_mix(mix, *, healthz_calls=3, progress=None):
    """Ask every search of the mix cold then repeated, HTML then API; /healthz `healthz_calls`
    times after each family. Returns a ShapeRun."""
    healthz = Measure("trivial (/healthz)", "-", "-")
    measures = []
    with bench_settings():
        client = Client(raise_request_exception=False)
        # Untimed: the first request of a process loads templates, URLs and reference data. So
        # every template the mix renders is loaded here, by pages outside the mix: an empty
        # search, a page of cards with facets and pagination, a listing page (else the first
        # search of a family with cards, or the first listing page, paid for parsing them).
        for path in warm_up_paths(mix):
            client.get(path)
        client.get("/healthz")
        warmup.prepare_process()  # as each gunicorn worker does before serving (gunicorn.conf.py)
        for channel in CHANNELS:
            listings_cache.bump_listings_version()  # nothing cached for any search of the mix
            for pass_ in PASSES:
                for family, searches in mix.items():
                    measure = Measure(family, channel, pass_)
                    for search_ in searches:
                        _time(client, search_.url(channel), measure)
                    for _ in range(healthz_calls):
                        _time(client, "/healthz", healthz)
                    measures.append(measure)
                    if progress:
                        progress(measure)
    return ShapeRun(measures, healthz)


# Report ----------------------------------------------------------------------------------------


def machine():
    """What ran the benchmark: CPU, cores, RAM, Python, Django, database."""
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
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram": ram,
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": database_version(),
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


def markdown_table(header, body):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    out += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in body]
    return "\n".join(out)


FAMILY_COLUMNS = [
    "family",
    "channel",
    "pass",
    "searches",
    "p50 ms",
    "p95 ms",
    "max ms",
    "SQL p50 ms",
    "SQL p95 ms",
    "queries",
    "p95 / healthz p95",
    "status",
]


def family_rows(run):
    trivial = run.healthz.p95
    rows = []
    for m in run.measures:
        ratio = f"{m.p95 / trivial:.0f}×" if trivial else "n/a"
        rows.append(
            [
                m.family,
                m.channel,
                m.pass_,
                len(m.times),
                f"{m.p50:.1f}",
                f"{m.p95:.1f}",
                f"{m.max:.1f}",
                f"{m.sql_p50:.1f}",
                f"{m.sql_p95:.1f}",
                m.queries_text,
                ratio,
                m.status_text,
            ]
        )
    h = run.healthz
    rows.append(
        [
            h.family,
            "-",
            "-",
            len(h.times),
            f"{h.p50:.1f}",
            f"{h.p95:.1f}",
            f"{h.max:.1f}",
            f"{h.sql_p50:.1f}",
            f"{h.sql_p95:.1f}",
            h.queries_text,
            "1×",
            h.status_text,
        ]
    )
    return rows


def build_rows(build, geocoded):
    if build is None:
        rows = [["listings", "the bench listings present, reused (--reuse)"]]
        if geocoded:
            rows.append(["geocoding step", f"{geocoded[0]} places moved in {geocoded[1]:.1f} s"])
        return rows
    rows = [
        ["registry file", f"{build.rows} rows, {build.file_mb:.1f} MB"],
        ["listings created", f"{build.created} ({build.published} published)"],
        [
            "import_rna",
            f"{build.seconds:.1f} s ({build.index_seconds:.1f} s in search.index), "
            f"peak RSS of the process {build.peak_rss_mb:.0f} MB",
        ],
        [
            "re-import of the unchanged file",
            f"{build.reimport_seconds:.1f} s, {build.reimport_writes} writes",
        ],
    ]
    if geocoded:
        rows.append(["geocoding step", f"{geocoded[0]} places moved in {geocoded[1]:.1f} s"])
    return rows


def growth_rows(runs_by_size):
    """[shape, family, channel, pass, p95 at each size…, growth]: smallest to largest size."""
    sizes = sorted(runs_by_size)
    first, last = sizes[0], sizes[-1]
    rows = []
    for shape, run in runs_by_size[first].items():
        if shape not in runs_by_size[last]:
            continue
        for m in run.measures:
            p95s = []
            for size in sizes:
                other = runs_by_size[size].get(shape)
                match = other and next(
                    (
                        o
                        for o in other.measures
                        if (o.family, o.channel, o.pass_) == (m.family, m.channel, m.pass_)
                    ),
                    None,
                )
                p95s.append(match.p95 if match else None)
            start, end = p95s[0], p95s[-1]
            growth = f"{end / start:.1f}×" if start and end is not None else "n/a"
            cells = ["" if p is None else f"{p:.1f}" for p in p95s]
            rows.append([shape, m.family, m.channel, m.pass_, *cells, growth])
    return sizes, rows


def report(info, results, *, per_family):
    """Markdown: the machine, then per size the build and per shape the family table; then growth."""
    parts = ["# Search benchmark: real shape (issue 13)"]
    parts.append(markdown_table(["machine", ""], [[k, str(v)] for k, v in info.items()]))
    if per_family:
        parts.append(
            f"Each family: {per_family} distinct searches, each asked once cold (normal caches, emptied "
            "before the pass) then once repeated, on /associations/ (HTML, facets included) and on "
            "/api/associations/. Times in ms through the whole Django stack; SQL time summed per request."
        )
    runs_by_size = {}
    for size, (build, geocoded, runs) in results.items():
        parts.append(f"## {size} rows")
        parts.append(markdown_table(["build", ""], build_rows(build, geocoded)))
        for shape, run in runs.items():
            parts.append(f"### Shape: {shape}")
            if run.measures:
                parts.append(markdown_table(FAMILY_COLUMNS, family_rows(run)))
            slowest = sorted((m.slowest_sql for m in run.measures), reverse=True)[:3]
            lines = [f"- {ms:.1f} ms, {url}: `{sql[:300]}`" for ms, url, sql in slowest if sql]
            if lines:
                parts.append("Slowest SQL statements:\n\n" + "\n".join(lines))
            if run.concurrency:
                parts.append(run.concurrency.markdown())
        runs_by_size[size] = runs
    if len(runs_by_size) > 1:
        sizes, rows = growth_rows(runs_by_size)
        header = ["shape", "family", "channel", "pass", *(f"p95 at {s}" for s in sizes), "growth"]
        parts.append(f"## Growth of p95 from {sizes[0]} to {sizes[-1]} rows")
        parts.append(markdown_table(header, rows))
    errors = sum(m.errors for _b, _g, runs in results.values() for run in runs.values() for m in run.measures)
    parts.append(f"errors (non-200 answers): {errors}")
    return "\n\n".join(parts)
