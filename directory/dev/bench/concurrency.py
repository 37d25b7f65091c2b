"""The concurrency run of the benchmark (`manage.py bench --concurrency N --duration S`).

gunicorn serves the site with the production settings (gunicorn.conf.py, DEBUG off, a throwaway
secret key, 127.0.0.1 only, rate limits off since every client has the same address) on the
database of DATABASE_URL. N client threads send distinct cold searches (distance with and
without text, text; HTML and API; never the same URL twice) for S seconds, while one thread
probes /healthz and another a listing page every PROBE_INTERVAL seconds. The target:
both probes answer 200 with p99 ≤ 300 ms, and no search gets a 5xx other than the deliberate 503
of the time budget (directory/search/budget.py, told apart by its Retry-After), nor a timeout.

The clients use http.client, one connection per request as gunicorn's sync workers close it.
"""

import contextlib
import http.client
import itertools
import os
import random
import runpy
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from directory import cache as listings_cache
from directory.dev.bench.runner import PATHS, WARM_UP_WORD, Draw, Search, markdown_table, percentile

HOST = "127.0.0.1"
PROBE_INTERVAL = 0.2  # s between the starts of two probes of one kind
P99_TARGET_MS = 300
SEARCH_TIMEOUT = 40  # s: past gunicorn's 30 s worker timeout, so that its 500 shows
PROBE_TIMEOUT = 10
READY_TIMEOUT = 60
HEADERS = {"X-Forwarded-Proto": "https"}  # as nginx forwards it (production redirects plain HTTP)

SEARCH_FAMILIES = ("distance", "distance + text", "text")
HEALTHZ = "/healthz probe"
LISTING = "listing probe"
DELIBERATE = "503 budget"  # a 503 with Retry-After: the time budget's answer
TIMEOUT = "timeout"
ERROR = "error"  # connection refused or reset, malformed answer


def classify(status, retry_after):
    """The outcome of an answer: "200", "404"…, DELIBERATE for the budget's 503 (it alone carries
    Retry-After), "503" for any other (a database that does not answer /healthz)."""
    if status == 503 and retry_after:
        return DELIBERATE
    return str(status)


def fetch(host, port, path, *, timeout):
    """GET `path`; returns (milliseconds, outcome)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("GET", path, headers=HEADERS)
        response = connection.getresponse()
        response.read()
        outcome = classify(response.status, response.getheader("Retry-After"))
    except TimeoutError:
        outcome = TIMEOUT
    except (OSError, http.client.HTTPException):
        outcome = ERROR
    finally:
        connection.close()
    return (time.perf_counter() - started) * 1000, outcome


@dataclass
class Tally:
    """Every answer of one class of requests: its time (ms) and its outcome."""

    name: str
    times: list = field(default_factory=list)
    outcomes: Counter = field(default_factory=Counter)

    def add(self, ms, outcome):
        self.times.append(ms)
        self.outcomes[outcome] += 1

    def pct(self, p):
        return percentile(self.times, p)

    @property
    def ok(self):
        return self.outcomes["200"]

    @property
    def deliberate(self):
        return self.outcomes[DELIBERATE]

    @property
    def server_errors(self):
        """5xx answers other than the budget's 503."""
        return sum(n for k, n in self.outcomes.items() if k.startswith("5") and k != DELIBERATE)

    @property
    def failures(self):
        return self.outcomes[TIMEOUT] + self.outcomes[ERROR]

    @property
    def other(self):
        return len(self.times) - self.ok - self.deliberate - self.server_errors - self.failures


def cold_searches(ctx, *, seed=1):
    """(class, path) of distinct searches, endlessly: distance, distance + text and text in turn,
    HTML then API, drawn from the bench's vocabulary and areas (runner.Draw); never one path
    twice. Text searches on the HTML page also ask pages 2 to 4 (the API answers 404 past the
    last page, the HTML page falls back to it)."""
    rng = random.Random(seed)
    draw = Draw(ctx, rng)
    makers = {
        "distance": lambda: draw.distance(False),
        "distance + text": lambda: draw.distance(True),
        "text": lambda: [("q", draw.text())],
    }
    seen = set()
    for family, channel in itertools.cycle(itertools.product(SEARCH_FAMILIES, PATHS)):
        while True:
            params = makers[family]()
            if family == "text" and channel == "HTML" and rng.random() < 0.5:
                params.append(("page", str(rng.randint(2, 4))))
            path = Search(family, tuple(params)).url(channel)
            if path not in seen:
                seen.add(path)
                break
        yield f"searches ({channel})", path


def drive(host, port, searches, slugs, *, clients, duration, probe_interval=PROBE_INTERVAL):
    """`clients` threads send the `searches` ((class, path) pairs, each taken once) for `duration`
    seconds, next to a /healthz probe and a listing probe (the `slugs` in turn) every
    `probe_interval` seconds; returns {class: Tally}, searches first, then the probes."""
    tallies = {}
    lock = threading.Lock()
    stop = threading.Event()
    deadline = time.monotonic() + duration

    def record(name, ms, outcome):
        with lock:
            tallies.setdefault(name, Tally(name)).add(ms, outcome)

    def client():
        while not stop.is_set() and time.monotonic() < deadline:
            with lock:
                name, path = next(searches, (None, None))
            if path is None:
                return
            record(name, *fetch(host, port, path, timeout=SEARCH_TIMEOUT))

    def probe(name, paths):
        while not stop.is_set() and time.monotonic() < deadline:
            started = time.monotonic()
            record(name, *fetch(host, port, next(paths), timeout=PROBE_TIMEOUT))
            stop.wait(max(0.0, probe_interval - (time.monotonic() - started)))

    listing_paths = (Search("listing page", (("slug", slug),)).url("HTML") for slug in itertools.cycle(slugs))
    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    threads += [
        threading.Thread(target=probe, args=(HEALTHZ, itertools.repeat("/healthz")), daemon=True),
        threading.Thread(target=probe, args=(LISTING, listing_paths), daemon=True),
    ]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            thread.join()
    finally:
        stop.set()  # Ctrl-C: the threads end after their request in flight
    order = sorted(tallies, key=lambda name: (name in (HEALTHZ, LISTING), name))
    return {name: tallies[name] for name in order}


# gunicorn -------------------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def gunicorn_threads():
    """The threads per worker that gunicorn.conf.py gives (GUNICORN_THREADS, else its default)."""
    conf = runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))
    return conf["threads"]


def production_env(*, port=None, workers=2):
    """The environment of a production process on 127.0.0.1, for this run only."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-" + secrets.token_urlsafe(32),  # throwaway, never stored
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_RATE_LIMITS": "0",  # every client has the same address; production limits per address
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_ACCESS_LOG": os.devnull,
    }
    if port:
        env["GUNICORN_BIND"] = f"{HOST}:{port}"
    return env


def static_is_current():
    """Whether STATIC_ROOT holds a manifest newer than every static source (collectstatic would
    change nothing, but whitenoise compresses every file again: about 30 s here)."""
    from django.contrib.staticfiles import finders

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return False
    built = manifest.stat().st_mtime
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            if Path(storage.path(path)).stat().st_mtime > built:
                return False
    return True


def collect_static(env):
    """The production static storage needs its manifest (as `make serve` runs it)."""
    if static_is_current():
        return
    manage = Path(settings.BASE_DIR) / "manage.py"
    done = subprocess.run(  # noqa: S603 (our own manage.py, no shell)
        [sys.executable, str(manage), "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"collectstatic failed ({done.returncode}): see above.")


@contextlib.contextmanager
def serve(*, workers=2, log_path, env=None):
    """gunicorn (gunicorn.conf.py, production settings) on a free port of 127.0.0.1 until the block
    ends, however it ends (a Ctrl-C included); yields (host, port) once /healthz answers 200.
    `env`: variables to set or override (e.g. DATABASE_URL)."""
    port = free_port()
    environ = {**production_env(port=port, workers=workers), **(env or {})}
    with open(log_path, "ab") as log:
        process = subprocess.Popen(  # noqa: S603 (gunicorn of this interpreter, no shell)
            [
                *(sys.executable, "-m", "gunicorn", "-c", str(Path(settings.BASE_DIR) / "gunicorn.conf.py")),
                # gunicorn's control socket has one path per user ($HOME/.gunicorn/gunicorn.ctl):
                # a throwaway server must not take it from another one running.
                "--no-control-socket",
            ],
            cwd=settings.BASE_DIR,
            env=environ,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a Ctrl-C reaches us only; we stop gunicorn ourselves
        )
    try:
        wait_ready(process, port, log_path)
        yield HOST, port
    finally:
        stop_server(process)


def wait_ready(process, port, log_path):
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({process.returncode}); see its log {log_path}")
        if fetch(HOST, port, "/healthz", timeout=2)[1] == "200":
            return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer /healthz within {READY_TIMEOUT} s; see its log {log_path}")


def stop_server(process, *, grace=15):
    """SIGTERM (gunicorn's graceful stop), then SIGKILL to its whole process group past `grace` s."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # its own group (start_new_session)
            process.wait()


# The run and its report -----------------------------------------------------------------------


@dataclass
class ConcurrencyRun:
    clients: int
    duration: float
    workers: int
    tallies: dict  # {class: Tally}
    seconds: float = 0.0  # measured, from the first request to the last answer

    @property
    def passed(self):
        return passed(self.tallies)

    def markdown(self):
        return report(self)


def warm_up(host, port, slug, *, workers):
    """Untimed: every worker loads its templates, URLs and reference data, opens its connection;
    a broad search outside the searches sent brings the search table into PostgreSQL's buffers
    (runner.WARM_UP_WORD)."""
    paths = [
        "/healthz",
        f"/associations/{slug}/",
        "/associations/?q=echauffement",
        f"/associations/?q={WARM_UP_WORD}",
    ]
    threads = [
        threading.Thread(target=fetch, args=(host, port, path), kwargs={"timeout": SEARCH_TIMEOUT})
        for path in paths * workers * 2
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def run(ctx, *, clients, duration, workers=2, seed=1, log_path, progress=None):
    """Start gunicorn, send the cold searches and the probes, stop gunicorn; a ConcurrencyRun."""
    env = production_env(workers=workers)
    collect_static(env)
    with serve(workers=workers, log_path=log_path) as (host, port):
        if progress:
            progress(f"gunicorn ({workers} workers) answers on {host}:{port}; warming up…")
        warm_up(host, port, ctx.slugs[0], workers=workers)
        listings_cache.bump_listings_version()  # nothing cached yet for any search (shared caches)
        if progress:
            progress(f"{clients} clients sending distinct cold searches for {duration:g} s…")
        started = time.monotonic()
        slugs = random.Random(seed).sample(ctx.slugs, min(len(ctx.slugs), 2000))
        tallies = drive(host, port, cold_searches(ctx, seed=seed), slugs, clients=clients, duration=duration)
        seconds = time.monotonic() - started
    return ConcurrencyRun(clients, duration, workers, tallies, seconds)


def checks(tallies):
    """[(what, passed, detail)]: the target above, one check per line (each probe's p99 and
    all-200 answers, then no unexpected 5xx, timeout or connection error among the searches)."""
    results = []
    for name in (HEALTHZ, LISTING):
        tally = tallies.get(name) or Tally(name)
        p99 = tally.pct(99)
        results.append(
            (f"{name}: p99 ≤ {P99_TARGET_MS} ms", bool(tally.times) and p99 <= P99_TARGET_MS, f"{p99:.0f} ms")
        )
        bad = len(tally.times) - tally.ok
        results.append((f"{name}: every answer 200", bool(tally.times) and not bad, f"{bad} not 200"))
    searches = [t for name, t in tallies.items() if name not in (HEALTHZ, LISTING)]
    server_errors = sum(t.server_errors for t in searches)
    failures = sum(t.failures for t in searches)
    results.append(
        (
            "searches: no 5xx other than the budget's 503, no timeout or connection error",
            bool(searches) and not server_errors and not failures,
            f"{server_errors} other 5xx, {failures} timeouts or errors",
        )
    )
    return results


def passed(tallies):
    return all(ok for _what, ok, _detail in checks(tallies))


COLUMNS = ["class", "requests", "p50 ms", "p95 ms", "p99 ms", "max ms", "200", "503 budget"]
COLUMNS += ["other 5xx", "other", "timeouts / errors"]


def rows(tallies):
    return [
        [
            t.name,
            len(t.times),
            f"{t.pct(50):.1f}",
            f"{t.pct(95):.1f}",
            f"{t.pct(99):.1f}",
            f"{max(t.times, default=0.0):.1f}",
            t.ok,
            t.deliberate,
            t.server_errors,
            t.other,
            t.failures,
        ]
        for t in tallies.values()
    ]


def report(run_):
    """The Markdown section of a ConcurrencyRun: its table, the checks and the verdict."""
    tallies = run_.tallies
    searches = sum(len(t.times) for name, t in tallies.items() if name not in (HEALTHZ, LISTING))
    deliberate = sum(t.deliberate for name, t in tallies.items() if name not in (HEALTHZ, LISTING))
    parts = [
        f"#### Concurrency: {run_.clients} clients, {run_.duration:g} s, gunicorn with {run_.workers} workers"
        f" × {gunicorn_threads()} threads, {settings.SEARCH_CONCURRENCY} search slot(s) a worker",
        f"{searches} distinct cold searches ({', '.join(SEARCH_FAMILIES)}; HTML and API) in "
        f"{run_.seconds:.1f} s, next to a /healthz probe and a listing-page probe every "
        f"{PROBE_INTERVAL} s. Times in ms at the client (http.client), connection included.",
        markdown_table(COLUMNS, rows(tallies)),
        "\n".join(f"- {'PASS' if ok else 'FAIL'}: {what} ({detail})" for what, ok, detail in checks(tallies)),
        f"Deliberate 503s of the time budget: {deliberate} (none expected once the search targets hold).",
        f"Verdict: **{'PASS' if passed(tallies) else 'FAIL'}**",
    ]
    return "\n\n".join(parts)
