"""The concurrency run of the benchmark (`manage.py bench --concurrency N`, directory/dev/bench/concurrency.py).

gunicorn cannot see the rows of a test's transaction, so the clients, probes, tallies and verdict
are driven against a small HTTP server of the test's own that answers as the site would (200s,
the time budget's 503 with Retry-After, other 5xx, slow answers); gunicorn itself is started and
stopped once, on an empty SQLite file, for /healthz.
"""

import contextlib
import http.client
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command

from directory import health
from directory.dev.bench import concurrency, runner
from directory.search.results import SearchResults

HTML, API = "searches (HTML)", "searches (API)"


class FakeSite(BaseHTTPRequestHandler):
    """Answers as the site would: `?lat=` a budget 503, `?q=boom` a 500, `?q=busy` a 503 without
    Retry-After, `?q=slow` after 0.3 s; /healthz after `healthz_ms`; anything else 200."""

    healthz_ms = 0

    def do_GET(self):
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        status, headers = 200, {}
        if url.path == "/healthz":
            time.sleep(self.healthz_ms / 1000)
        elif "lat" in query:
            status, headers = 503, {"Retry-After": "30"}
        elif query.get("q") == ["boom"]:
            status = 500
        elif query.get("q") == ["busy"]:
            status = 503
        elif query.get("q") == ["slow"]:
            time.sleep(0.3)
        self.send_response(status)
        for name, value in {**headers, "Content-Length": "2", "Connection": "close"}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def fake_site(healthz_ms=0):
    handler = type("Handler", (FakeSite,), {"healthz_ms": healthz_ms})
    server = ThreadingHTTPServer((concurrency.HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address
    finally:
        server.shutdown()
        server.server_close()


def drive(searches, *, healthz_ms=0, clients=3, duration=0.5):
    with fake_site(healthz_ms) as (host, port):
        return concurrency.drive(
            host,
            port,
            iter(searches),
            ["club-a", "club-b"],
            clients=clients,
            duration=duration,
            probe_interval=0.05,
        )


def verdicts(tallies):
    return {what: ok for what, ok, _detail in concurrency.checks(tallies)}


def test_the_budget_503_counts_as_deliberate_and_the_run_passes():
    searches = [(HTML, f"/associations/?lat=45.7&lon=4.8&n={n}") for n in range(6)]
    searches += [(API, f"/api/associations/?q=mot{n}") for n in range(5)]
    tallies = drive(searches)

    assert list(tallies) == [API, HTML, concurrency.HEALTHZ, concurrency.LISTING]
    assert (tallies[HTML].deliberate, tallies[HTML].server_errors, len(tallies[HTML].times)) == (6, 0, 6)
    assert (tallies[API].ok, len(tallies[API].times)) == (5, 5)
    for probe in (concurrency.HEALTHZ, concurrency.LISTING):
        # 0.5 s, one probe every 0.05 s: about 10, all answered.
        assert 5 <= len(tallies[probe].times) == tallies[probe].ok <= 11, tallies[probe]
    assert all(verdicts(tallies).values()), concurrency.checks(tallies)

    report = concurrency.ConcurrencyRun(3, 0.5, 2, tallies, 0.5).markdown()
    row = next(line for line in report.splitlines() if line.startswith(f"| {HTML} |"))
    cells = [cell.strip() for cell in row.strip("|").split(" | ")]
    counts = {k: v for k, v in zip(concurrency.COLUMNS, cells, strict=True) if not k.endswith(" ms")}
    assert counts == {
        "class": HTML,
        "requests": "6",
        "200": "0",
        "503 budget": "6",
        "other 5xx": "0",
        "other": "0",
        "timeouts / errors": "0",
    }
    assert "Deliberate 503s of the time budget: 6" in report
    assert "Verdict: **PASS**" in report


def test_another_5xx_or_a_503_without_retry_after_fails_the_verdict():
    searches = [(HTML, "/associations/?q=boom"), (API, "/api/associations/?q=busy")]
    searches += [(HTML, f"/associations/?q=mot{n}") for n in range(4)]
    tallies = drive(searches)

    assert tallies[HTML].server_errors == 1
    assert tallies[HTML].outcomes["500"] == 1
    assert tallies[API].server_errors == 1
    assert tallies[API].deliberate == 0
    checks = verdicts(tallies)
    assert not checks["searches: no 5xx other than the budget's 503, no timeout or connection error"]
    assert all(ok for what, ok in checks.items() if what.startswith("/healthz") or what.startswith("listing"))
    report = concurrency.ConcurrencyRun(3, 0.5, 2, tallies, 0.5).markdown()
    assert "- FAIL: searches: no 5xx other than the budget's 503" in report
    assert "Verdict: **FAIL**" in report


def test_a_slow_healthz_fails_its_p99_target_only():
    tallies = drive([(HTML, "/associations/?q=mot")], healthz_ms=320, clients=1, duration=0.7)

    assert tallies[concurrency.HEALTHZ].pct(99) > concurrency.P99_TARGET_MS
    assert {what for what, ok in verdicts(tallies).items() if not ok} == {"/healthz probe: p99 ≤ 300 ms"}


def test_a_timeout_and_a_refused_connection_are_failures(monkeypatch):
    with fake_site() as (host, port):
        ms, outcome = concurrency.fetch(host, port, "/associations/?q=slow", timeout=0.1)
    assert outcome == concurrency.TIMEOUT
    assert ms >= 100
    # The server is gone: its port refuses connections.
    assert concurrency.fetch(host, port, "/healthz", timeout=1)[1] == concurrency.ERROR

    tally = concurrency.Tally(HTML)
    tally.add(100.0, concurrency.TIMEOUT)
    tally.add(2.0, concurrency.ERROR)
    assert tally.failures == 2
    assert not verdicts({HTML: tally})[
        "searches: no 5xx other than the budget's 503, no timeout or connection error"
    ]


def context():
    return runner.Context(
        words=runner.vocabulary(),
        areas=[("villeurbanne", 45.77, 4.88), ("lyon-3", 45.76, 4.85)],
        categories=["football"],
        slugs=["club-a"],
        published=100,
    )


def test_the_cold_searches_never_repeat_a_url():
    searches = concurrency.cold_searches(context(), seed=3)
    drawn = [next(searches) for _ in range(1200)]
    paths = [path for _name, path in drawn]
    assert len(set(paths)) == len(paths)
    assert {name for name, _path in drawn} == {HTML, API}
    assert all(path.startswith("/api/associations/?") for name, path in drawn if name == API)
    queries = [parse_qs(urlsplit(path).query) for path in paths]
    distance = [q for q in queries if "lat" in q]
    assert len(distance) == 800  # distance, distance + text, text in turn
    assert all(q["tri"] == ["distance"] for q in distance)
    assert sum("q" in q for q in distance) == 400
    assert all(set(q) <= {"q", "page"} for q in queries if "lat" not in q)
    assert drawn[:50] == [next(s) for s in [concurrency.cold_searches(context(), seed=3)] for _ in range(50)]


@pytest.mark.django_db
def test_the_budget_503_of_the_site_is_deliberate_a_database_503_is_not(client, monkeypatch):
    from directory.search import budget

    def past_budget(self):
        raise budget.SearchTimeout

    monkeypatch.setattr(SearchResults, "_compute", past_budget)
    monkeypatch.setattr(SearchResults, "facet_rows", lambda self, kinds: past_budget(self))  # ids with facets
    response = client.get("/associations/", {"lat": "45.76", "lon": "4.84", "tri": "distance"})
    assert concurrency.classify(response.status_code, response.get("Retry-After")) == concurrency.DELIBERATE
    response = client.get("/api/associations/", {"q": "danse"})
    assert concurrency.classify(response.status_code, response.get("Retry-After")) == concurrency.DELIBERATE

    def broken_cursor():
        raise health.DatabaseError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert concurrency.classify(response.status_code, response.get("Retry-After")) == "503"


def test_serve_runs_gunicorn_with_production_settings_and_stops_it(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    with concurrency.serve(workers=1, log_path=tmp_path / "gunicorn.log", env=env) as (host, port):
        assert concurrency.fetch(host, port, "/healthz", timeout=5)[1] == "200"
        # Production settings: only 127.0.0.1 is an allowed host.
        connection = http.client.HTTPConnection(host, port, timeout=5)
        connection.request("GET", "/healthz", headers={"Host": "lyonassos.example"})
        assert connection.getresponse().status == 400
        connection.close()
    assert concurrency.fetch(host, port, "/healthz", timeout=1)[1] == concurrency.ERROR

    # A Ctrl-C during the run stops gunicorn too.
    with (
        pytest.raises(KeyboardInterrupt),
        concurrency.serve(workers=1, log_path=tmp_path / "gunicorn.log", env=env) as (host, port),
    ):
        raise KeyboardInterrupt
    assert concurrency.fetch(host, port, "/healthz", timeout=1)[1] == concurrency.ERROR
    log = (tmp_path / "gunicorn.log").read_text()
    assert "Booting worker" in log
    assert "Control socket" not in log  # gunicorn's per-user socket is left to other servers


@pytest.mark.django_db
def test_bench_reports_the_concurrency_run(monkeypatch, tmp_path):
    """The command's run, on bench listings, against the fake site instead of gunicorn."""
    monkeypatch.setattr(concurrency, "collect_static", lambda env: None)

    @contextlib.contextmanager
    def serve(**kwargs):
        with fake_site() as address:
            yield address

    monkeypatch.setattr(concurrency, "serve", serve)
    report_path = tmp_path / "report.md"
    out = StringIO()
    call_command(
        "bench",
        *("--rows", "60", "--shape", "imported", "--per-family", "0"),
        *("--concurrency", "2", "--duration", "0.5", "--output", str(report_path)),
        stdout=out,
        stderr=StringIO(),
    )
    report = report_path.read_text(encoding="utf-8")
    assert "#### Concurrency: 2 clients, 0.5 s, gunicorn with 2 workers" in report
    assert "| family |" not in report  # --per-family 0: no in-process mix
    classes = {line.split(" | ")[0].strip("| ") for line in report.splitlines() if line.startswith("| ")}
    assert {HTML, API, concurrency.HEALTHZ, concurrency.LISTING} <= classes
    assert "Verdict: **PASS**" in report
    assert "verdict: PASS" in out.getvalue()


def test_collectstatic_is_skipped_while_the_manifest_is_newer_than_every_source(settings, tmp_path):
    source = tmp_path / "static"
    source.mkdir()
    (source / "site.css").write_text("body {}")
    settings.STATICFILES_DIRS = [source]
    settings.STATIC_ROOT = tmp_path / "collected"
    assert not concurrency.static_is_current()  # no manifest yet

    settings.STATIC_ROOT.mkdir()
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    manifest.write_text("{}")
    assert concurrency.static_is_current()

    later = manifest.stat().st_mtime + 10
    os.utime(source / "site.css", (later, later))  # a source changed since
    assert not concurrency.static_is_current()
