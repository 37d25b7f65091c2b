"""The page-weight budget: what the home, a results page and a rich listing cost to open.

Measured in Chromium on the live server, at a phone and a desktop width: every request of the
page load (until the network is idle, without any click or scroll) is collected, so nothing the
page loads is forgotten. Each body counts the way production sends it:

- the HTML as it arrived: gzip from directory.middleware.PublicGZipMiddleware (Django's gzip,
  level 6, with its up to 100 random bytes against BREACH);
- our static files (CSS, JS) as whitenoise serves them from CompressedManifestStaticFilesStorage
  to a browser that accepts Brotli (every current browser over HTTPS): Brotli at whitenoise's
  quality, or the plain file where Brotli saves less than 5 % (whitenoise then keeps none).

Map tiles and uploaded photos and logos (MEDIA_URL) are not counted; headers are not counted.
The service worker is kept out (browser contexts block workers, tests/conftest.py: pages it
answers report no transfer size); its own one-time cost per phone is in tests/test_phone.py.
The figures are printed (docs/benchmarks.md, "Page weight", records them).
"""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from whitenoise.compress import Compressor

from tests import builders

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_pass]

BUDGET = 50_000  # bytes transferred to open the page (HTML + CSS + JS, compressed)
PAGES = ["home", "results", "listing", "my_list", "offline"]
RESULTS_PATH = "/associations/?territoire=lyon"  # broad: 20 results of many, facets, map


def production_size(path, body, wire_size):
    """Bytes production sends for this body (see the module docstring)."""
    if not path.startswith(settings.STATIC_URL):
        return wire_size  # a Django response: already compressed (or not) by our middleware
    compressor = Compressor(quiet=True)
    if not compressor.should_compress(path):
        return len(body)  # images and fonts are sent as they are
    compressed = Compressor.compress_brotli(body)
    return len(compressed) if len(compressed) / len(body) <= 0.95 else len(body)


def kind_of(request):
    return {"document": "html", "stylesheet": "css", "script": "js"}.get(request.resource_type, "other")


def measure(page, url):
    """Open `url` and return {"rows": [(kind, path, sent, plain)], "html": …, "css": …, "js": …}."""
    tiles = urlsplit(settings.MAP_TILE_URL.split("{", 1)[0])  # where tiles come from
    requests = []

    def collect(request):
        requests.append(request)

    page.on("request", collect)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.remove_listener("request", collect)
    rows = []
    for request in requests:
        parts = urlsplit(request.url)
        is_tile = parts.path.startswith(tiles.path) and (not tiles.netloc or parts.netloc == tiles.netloc)
        if parts.path.startswith(settings.MEDIA_URL) or is_tile:
            continue  # photos, logos and map tiles are outside the budget
        response = request.response()
        assert response is not None, f"no response for {request.url}"
        body = response.body()
        sent = production_size(parts.path, body, request.sizes()["responseBodySize"])
        shown = parts.path + (f"?{parts.query}" if parts.query else "")
        rows.append((kind_of(request), shown, sent, len(body)))
    totals = {kind: sum(row[2] for row in rows if row[0] == kind) for kind in ("html", "css", "js", "other")}
    plain = sum(row[3] for row in rows)
    return {"rows": rows, **totals, "total": sum(totals.values()), "plain": plain, "requests": requests}


@pytest.fixture
def site(reference_data, settings):
    settings.MAP_TILE_URL = "/static/no-tiles/{z}/{x}/{y}.png"  # never fetch real tiles in tests
    samples = builders.make_sample_listings(40)
    return {"listing": builders.make_rich_listing(), "kept": [listing.slug for listing in samples[:30]]}


def page_urls(base, site):
    return {
        "home": base + "/",
        "results": base + RESULTS_PATH,
        "listing": base + site["listing"].get_absolute_url(),
        # "Ma liste" handed over by link, as full as a list gets (30 listings), and the offline page.
        "my_list": base + "/ma-liste/?f=" + ",".join(site["kept"]),
        "offline": base + "/hors-connexion/",
    }


def report(width, measures):
    lines = [f"\nPage weight at {width} (bytes; sent = compressed as production sends it)"]
    lines.append(f"{'page':<8} {'html':>7} {'css':>7} {'js':>7} {'other':>6} {'total':>7} {'plain':>8}")
    for name, m in measures.items():
        lines.append(
            f"{name:<8} {m['html']:>7} {m['css']:>7} {m['js']:>7} {m['other']:>6} {m['total']:>7} {m['plain']:>8}"
        )
        lines.extend(
            f"           {kind:<5} {sent:>7} {plain:>8}  {path}" for kind, path, sent, plain in m["rows"]
        )
    return "\n".join(lines)


def test_home_results_and_listing_stay_within_the_budget(browser_page, site, request, capsys):
    page = browser_page
    page.route("**/media/**", lambda route: route.abort())  # photos are not served in tests
    width = request.node.callspec.params["browser_page"]
    measures = {name: measure(page, url) for name, url in page_urls(page.base_url, site).items()}
    with capsys.disabled():
        print(report(width, measures))

    results = page_urls(page.base_url, site)["results"]
    page.goto(results)
    assert page.locator("#results > li").count() == 20  # a full page…
    assert page.locator("nav.facets a").count() > 3  # …with its facets…
    assert page.locator("#map").count() == 1  # …and its map
    # The HTML arrived compressed, as production sends it.
    for name, m in measures.items():
        document = next(r for r in m["requests"] if r.resource_type == "document")
        assert document.response().header_value("content-encoding") == "gzip", name
        assert not [r.url for r in m["requests"] if r.resource_type == "font"], name  # system fonts
    over = {name: m["total"] for name, m in measures.items() if m["total"] > BUDGET}
    assert not over, f"over the {BUDGET}-byte budget: {over}"


@pytest.mark.parametrize("browser_page", ["phone"], indirect=True)  # the same at every width
def test_only_our_css_blocks_rendering(browser_page, site):
    """Chromium's own account (PerformanceResourceTiming.renderBlockingStatus): of every resource
    the pages load, only site.css blocks the first render; print.css is non-blocking."""
    page = browser_page
    page.route("**/media/**", lambda route: route.abort())
    for name, url in page_urls(page.base_url, site).items():
        page.goto(url, wait_until="networkidle")
        entries = page.evaluate(
            "() => performance.getEntriesByType('resource')"
            ".map(e => [new URL(e.name).pathname, e.renderBlockingStatus])"
        )
        assert entries, name
        assert all(status in ("blocking", "non-blocking") for _, status in entries), entries  # exposed
        blocking = [path for path, status in entries if status == "blocking"]
        assert blocking == [settings.STATIC_URL + "css/site.css"], (name, entries)
        origins = page.evaluate(
            "() => performance.getEntriesByType('resource').map(e => new URL(e.name).origin)"
        )
        assert set(origins) == {page.base_url}, (name, origins)  # no other host
