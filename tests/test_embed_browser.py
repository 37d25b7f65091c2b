"""Embeddable lists in Chromium: the list framed by another site at phone and desktop widths,
with and without JavaScript; the site's other pages refuse to be framed; the builder's copy
button; axe-core on the framed list (the builder is in tests/test_accessibility_browser.py)."""

import http.server
import re
import threading

import pytest

from tests import builders
from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser]

QUERY = "?territoire=lyon-7&nombre=10"
FITS = "() => document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth"


@pytest.fixture
def listings(reference_data):
    builders.make_associations(
        6,
        prefix="Association d'entraide, d'accueil et d'accompagnement des habitants",
        categories=["epicerie-solidaire"],
        area_slug="lyon-7",
        fees="free",
        reception="walk_in",
    )
    # The hardest case for a narrow frame: unbreakable words in the name, text and address.
    builders.make_association(
        "Association" + "Intercommunale" * 4,
        categories=["football"],
        area_slug="lyon-7",
        short_description="https://www.un-site-associatif-au-nom-tres-long.example/inscriptions/2026/formulaire",
    )


@pytest.fixture(scope="module")
def host_site():
    """Another site (another origin, a real server on 127.0.0.1) whose page frames ours.

    A real server rather than a Playwright route: Chromium's local network access checks treat
    a routed page as public and would block its frames to the local live server.
    """
    pages = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def publish(path, html):
        pages[path] = html
        return f"http://127.0.0.1:{server.server_port}{path}"

    yield publish
    server.shutdown()
    server.server_close()


def host_html(src):
    """A host site's page: the embed at its full width, and in a 240 px column."""
    return f"""<!doctype html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Mairie</title></head>
<body><h1>Les associations de votre commune</h1>
<iframe id="wide" src="{src}" title="Associations" width="100%" height="600" style="border:0"></iframe>
<div style="width:240px"><iframe id="narrow" src="{src}" title="Associations (colonne)" width="100%"
 height="600" style="border:0"></iframe></div>
<iframe id="home" src="{src.split("/integrer/")[0]}/" title="Accueil" width="100%" height="200"></iframe>
</body></html>"""


def frame_of(page, selector):
    handle = page.locator(selector).element_handle()
    return handle.content_frame()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("width", [320, 1000])
def test_the_embed_fits_a_host_page_without_horizontal_scroll(
    chromium, live_server, host_site, listings, width, javascript
):
    # A real CSP check: no bypass_csp, and the host is another origin than the live server.
    context = chromium.new_context(
        viewport={"width": width, "height": 900}, java_script_enabled=javascript, locale="fr-FR"
    )
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    src = live_server.url + "/integrer/liste/" + QUERY
    host_url = host_site("/associations-de-la-commune.html", host_html(src))
    try:
        page.goto(host_url)
        for selector in ("#wide", "#narrow"):
            page.frame_locator(selector).locator("ul.items > li").first.wait_for()
            frame = frame_of(page, selector)
            assert frame.locator("ul.items > li").count() == 7
            assert frame.locator("h1").inner_text() == "Les associations à Lyon 7e"
            frame_width = frame.evaluate("() => document.documentElement.clientWidth")
            expected = 240 if selector == "#narrow" else width - 16  # the host's 8 px body margins
            assert abs(frame_width - expected) <= 1, (selector, frame_width)
            assert frame.evaluate(FITS), (
                selector,
                width,
                frame.evaluate("() => document.scrollingElement.scrollWidth"),
            )
            link = frame.locator("ul.items a").first
            assert link.get_attribute("target") == "_blank"
        # Any other page of the site refuses to be framed (X-Frame-Options, frame-ancestors).
        home = frame_of(page, "#home")
        assert home.url.startswith("chrome-error://"), home.url
        # The embed loads its stylesheet and nothing else of ours: no script, font or image.
        ours = [url for url in requested if url.startswith(live_server.url)]
        assert {re.sub(r"\?.*", "", url.removeprefix(live_server.url)) for url in ours} == {
            "/integrer/liste/",
            "/static/css/embed.css",
            "/",
        }
    finally:
        context.close()


def test_builder_preview_and_copy_button(browser_page, listings):
    page = browser_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=page.base_url)
    page.goto(page.base_url + "/integrer/")
    page.locator("#id_territoire").select_option("lyon-7")
    page.locator("#id_gratuit").check()
    page.locator("#id_nombre").fill("3")
    page.get_by_role("button", name="Créer la liste").click()
    page.wait_for_url("**/integrer/?*")
    preview = page.frame_locator("iframe.embed-preview")
    preview.locator("ul.items > li").first.wait_for()
    assert preview.locator("ul.items > li").count() == 3
    button = page.get_by_role("button", name="Copier le code")
    assert button.is_visible()  # shown by share.js
    button.click()
    page.wait_for_function(
        "() => document.querySelector('[data-copy-target=embed-code]').textContent === 'Code copié'"
    )
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == page.locator("#embed-code").input_value()
    assert copied.startswith("<iframe src=")
    assert "gratuit=1" in copied


def test_builder_without_javascript_shows_the_code_to_select(chromium, live_server, listings):
    context = chromium.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/integrer/?territoire=lyon-7&nombre=5")
        assert page.locator("#embed-code").is_visible()
        assert not page.locator("[data-copy-target=embed-code]").is_visible()
        assert page.locator("#embed-code").input_value().startswith("<iframe ")
        page.frame_locator("iframe.embed-preview").locator("ul.items > li").first.wait_for()
    finally:
        context.close()


def test_the_embedded_list_has_no_wcag_violation(browser_page, listings):
    page = browser_page
    page.goto(page.base_url + "/integrer/liste/" + QUERY)
    assert_accessible(page)


def test_embed_with_bad_parameters_is_accessible_and_explains(browser_page, listings):
    page = browser_page
    page.goto(page.base_url + "/integrer/liste/?categorie=inconnue&nombre=abc&x=1")
    assert page.locator(".notice li").count() == 3
    assert_accessible(page)
