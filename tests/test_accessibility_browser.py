"""Accessibility in Chromium: axe-core, keyboard, focus, reflow and the map, on every page.

The sample (tests/a11y_site.py, listed on /accessibilite/): 43 public pages (English ones included), 20 pages of the
association area, the 429 page, and the 14 forms of the site each sent back with errors: 78
pages. Each is checked with axe-core (WCAG 2.1 A and AA rules) at a phone (360 px) and a desktop
(1280 px) width, and for reflow with no horizontal scroll at 320 px (the phone sweeps narrow each
page they visit) and 640 px (1280 px at 200 % zoom). Keyboard: the skip link, a visible focus
indicator (with a 3:1 contrast) on every focusable element, tabbing through the home, results
(map and facets) and listing pages without a trap, and two journeys by keyboard alone (the search
filters, the report form).

The site is built once for the module and served by the module's own live server; one browser
context per persona (anonymous, logged-in manager) visits the pages in turn.
"""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests import a11y_site
from tests.browser import DESKTOP, PHONE, assert_accessible, restore_reference_data

# Transactional, as live-server tests are: the database is set up for them, and they run with
# the other live-server tests, after the tests that roll back (see `served_site`).
pytestmark = [pytest.mark.browser, pytest.mark.sqlite_pass, pytest.mark.django_db(transaction=True)]

FOCUSABLE = (
    "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), "
    "textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])"
)


@pytest.fixture(scope="module")
def served_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The sample site, built and committed once for the module, and a live server of its own.

    A transactional test flushes the database after it, so each test would rebuild the site.
    These tests only read the site (a log-in, a report sent, forms sent back with errors:
    nothing another test here looks at), so the module, rather than each test, opens the
    database (to its tests and its server thread) and flushes it at the end, as a
    transactional test would. pytest-django's `live_server` is not used: it makes every test
    that takes it transactional again.
    """
    from pytest_django.live_server_helper import LiveServer

    changed = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("a11y-media"),
        MAP_TILE_URL="/static/no-tiles/{z}/{x}/{y}.png",  # never fetch tiles in tests
        HUMAN_MIN_SECONDS=0,  # Playwright types faster than a person
    )
    with django_db_blocker.unblock(), changed:
        restore_reference_data()  # when a live-server test has flushed the tables before
        site = a11y_site.build_site()
        server = LiveServer("localhost")
        try:
            yield site, server.url
        finally:
            server.stop()
            call_command("flush", verbosity=0, interactive=False, reset_sequences=False)


@pytest.fixture
def _django_db_helper():
    """pytest-django's per-test database setup and flush: `served_site` does it for the module.

    (If pytest-django renamed this fixture, its flush after the first test would empty the
    site and the next tests would fail: the override cannot silently stop working.)"""


@pytest.fixture
def site(served_site):
    return served_site[0]


@pytest.fixture(autouse=True)
def _media_root():
    """Keep the module's media folder, where the site's photos are (conftest's `_media_root`
    gives each test its own)."""


class Visitor:
    """An anonymous and a logged-in browser context at one viewport size."""

    def __init__(self, chromium, base_url, viewport):
        self.base_url = base_url
        self.contexts = []
        self.anonymous = self._page(chromium, viewport)
        self.manager = self._page(chromium, viewport)
        self.manager.goto(base_url + "/compte/connexion/")
        self.manager.fill("input[name=username]", a11y_site.MANAGER_EMAIL)
        self.manager.fill("input[name=password]", a11y_site.PASSWORD)
        self.manager.locator("main button[type=submit]").click()
        self.manager.wait_for_url("**/espace-association/")

    def _page(self, chromium, viewport):
        context = chromium.new_context(viewport=viewport, locale="fr-FR", bypass_csp=True)
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.route("**/tile.openstreetmap.org/**", lambda route: route.abort())
        return page

    def open(self, entry):
        page = self.manager if entry.manager else self.anonymous
        response = page.goto(self.base_url + entry.path)
        assert response.status == entry.status, f"{entry.path}: {response.status}"
        page.wait_for_load_state("load")
        return page

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def visitor_factory(chromium, served_site):
    made = []

    def make(viewport):
        visitor = Visitor(chromium, served_site[1], viewport)
        made.append(visitor)
        return visitor

    yield make
    for visitor in made:
        visitor.close()


def too_many_requests_page(visitor):
    """The 429 page as the rate-limit middleware renders it, served at an address of the live
    server (the middleware reads its rules once, at start-up)."""
    from django.test import RequestFactory

    from directory import security

    response = security.too_many_requests(RequestFactory().get("/mentions-legales/"), 120)
    page = visitor.anonymous
    page.route(
        "**/trop-de-demandes/",
        lambda route: route.fulfill(
            status=429, body=response.content, content_type="text/html; charset=utf-8"
        ),
    )
    answer = page.goto(visitor.base_url + "/trop-de-demandes/")
    assert answer.status == 429
    assert "trop de demandes" in page.locator("main").inner_text().lower()
    return page


def post_with_errors(visitor, post):
    """Submit `post.data` from the form's own page, as the browser would (a real navigation)."""
    page = visitor.manager if post.manager else visitor.anonymous
    form_page = re.sub(r"gestionnaires/inviter/$", "", post.path)
    page.goto(visitor.base_url + form_page)
    page.evaluate(
        """([action, data]) => {
            const form = document.createElement("form");
            form.method = "post";
            form.action = action;
            const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
            data.push(["csrfmiddlewaretoken", token]);
            for (const [name, value] of data) {
                const input = document.createElement("input");
                input.type = "hidden"; input.name = name; input.value = value;
                form.appendChild(input);
            }
            document.body.appendChild(form);
            form.submit();
        }""",
        [
            post.path,
            [
                [key, str(one)]
                for key, value in post.data.items()
                for one in (value if isinstance(value, list) else [value])
            ],
        ],
    )
    # The error summary is in the new document's HTML; its stylesheets may still be loading
    # then (a textarea measured before site.css applies is 351 px wide): wait for both.
    page.locator(".error-summary").wait_for()
    page.wait_for_load_state("load")
    return page


# axe-core --------------------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_axe_finds_no_violation_on_any_page(visitor_factory, site, viewport):
    """axe-core on every page; at the phone width, each page is also narrowed to 320 px in place
    to check its reflow (one visit of each page for both)."""
    visitor = visitor_factory(viewport)
    failures, wide = [], []
    for entry in site.pages:
        page = visitor.open(entry)
        try:
            assert_accessible(page, context=f"{entry.name} ({entry.path})")
        except AssertionError as error:
            failures.append(str(error))
        if viewport is PHONE:
            wide += reflow_at(page, NARROWEST, f"{entry.name} ({entry.path})")
    page = too_many_requests_page(visitor)
    try:
        assert_accessible(page, context="429")
    except AssertionError as error:
        failures.append(str(error))
    assert not failures, "\n\n".join(failures)
    assert not wide, "\n".join(wide)
    assert len(site.pages) + 1 == 65


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_forms_sent_back_with_errors(visitor_factory, site, viewport):
    """axe on each form with errors; the summary has the focus; its links move it to the field;
    at the phone width, the page narrowed to 320 px does not scroll sideways."""
    visitor = visitor_factory(viewport)
    failures, wide = [], []
    for post in site.errors:
        page = post_with_errors(visitor, post)
        # autofocus runs once the page is rendered: wait for it rather than race it.
        page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'")
        try:
            assert_accessible(page, context=f"{post.name} with errors ({post.path})")
        except AssertionError as error:
            failures.append(str(error))
        links = page.locator(".error-summary a[href^='#']")
        if links.count():
            target = links.first.get_attribute("href")[1:]
            links.first.focus()
            page.keyboard.press("Enter")
            assert page.evaluate("document.activeElement.id") == target, post.path
        if viewport is PHONE:
            wide += reflow_at(page, NARROWEST, f"{post.name} with errors")
    assert not failures, "\n\n".join(failures)
    assert not wide, "\n".join(wide)


# Reflow: 320 px, and 1280 px at 200 % -----------------------------------------------------------

NARROWEST = 320  # WCAG 1.4.10: content reflows at 320 CSS px without a horizontal scroll


def horizontal_scroll(page, what):
    """["what: scroll width > width: the first elements past the edge"] if the page scrolls
    sideways, else []."""
    sizes = page.evaluate(
        "() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
    )
    if sizes[0] <= sizes[1] + 1:
        return []
    culprits = page.evaluate(
        """(width) => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > width + 1)
            .slice(0, 5).map(e => e.tagName + '.' + e.className)""",
        sizes[1],
    )
    return [f"{what}: {sizes[0]} > {sizes[1]}: {culprits}"]


def reflow_at(page, width, what):
    """horizontal_scroll() of the page narrowed to `width` in place (media queries apply again
    as on a phone that narrow; the page's scripts ran at the phone width, as they would at 320
    px), then back to its own width."""
    own = page.viewport_size
    page.set_viewport_size({"width": width, "height": own["height"]})
    try:
        return horizontal_scroll(page, f"{what} at {width} px")
    finally:
        page.set_viewport_size(own)


def test_no_horizontal_scroll_at_1280_px_zoomed_to_200_percent(visitor_factory, site):
    """Every page and form with errors loaded at 640 px (a 1280 px window at 200 %): the pages
    load at that width, since their scripts open the filters on wide screens only. 320 px is
    checked by the phone sweeps, which narrow each page they visit."""
    visitor = visitor_factory({"width": 640, "height": 800})
    wide = []
    for entry in site.pages:
        wide += horizontal_scroll(visitor.open(entry), f"{entry.name} ({entry.path})")
    for post in site.errors:
        wide += horizontal_scroll(post_with_errors(visitor, post), f"{post.name} with errors")
    assert not wide, "\n".join(wide)


# Keyboard ----------------------------------------------------------------------------------------

MARK_FOCUSABLES = """(selector) => {
    const visible = e => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length)
        && getComputedStyle(e).visibility !== 'hidden' && !e.closest('[hidden], [inert]');
    // A radio group is one Tab stop (arrows move within it): count its checked or first radio.
    const stop = e => e.type !== 'radio' || (() => {
        const group = [...document.querySelectorAll(`input[type=radio][name="${e.name}"]`)];
        return e === (group.find(r => r.checked) || group[0]);
    })();
    // Folded away: inside a closed <details> other than in its own summary (a summary nested in
    // a closed block, such as a place's details inside the folded "another place", is too).
    const folded = e => {
        for (let n = e.parentElement; n; n = n.parentElement) {
            if (n.tagName === 'DETAILS' && !n.open) {
                const own = n.querySelector(':scope > summary');
                if (!(own && own.contains(e))) return true;
            }
        }
        return false;
    };
    const all = [...document.querySelectorAll(selector)].filter(visible).filter(stop)
        .filter(e => !folded(e));
    all.forEach((e, i) => {
        e.dataset.a11yIndex = i;
        const s = getComputedStyle(e);
        e.dataset.a11yRest = [s.outlineStyle, s.outlineWidth, s.boxShadow].join('|');
    });
    return all.length;
}"""

FOCUS_STATE = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const s = getComputedStyle(e);
    let bg = null;  // the ring is drawn outside the element: against its container's background
    for (let n = e.parentElement; n; n = n.parentElement) {
        const c = getComputedStyle(n).backgroundColor;
        if (c && c !== 'transparent' && !c.startsWith('rgba(0, 0, 0, 0)')) { bg = c; break; }
    }
    return {index: e.dataset.a11yIndex ?? null, tag: e.tagName, id: e.id, cls: String(e.className),
            focused: [s.outlineStyle, s.outlineWidth, s.boxShadow].join('|'),
            rest: e.dataset.a11yRest ?? '', outline: s.outlineColor, background: bg || 'rgb(255, 255, 255)',
            width: parseFloat(s.outlineWidth)};
}"""


def rgb(value):
    return [int(part) for part in re.findall(r"\d+", value)[:3]]


def contrast(one, two):
    def luminance(colour):
        channels = []
        for channel in colour:
            channel /= 255
            channels.append(channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4)
        red, green, blue = channels
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    light, dark = sorted([luminance(rgb(one)), luminance(rgb(two))], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def tab_through(page):
    """Tab from the top until focus comes back to the start; every stop's focus style."""
    count = page.evaluate(MARK_FOCUSABLES, FOCUSABLE)
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    stops = []
    limit = 2 * count + 20
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state is None or (stops and state["index"] == stops[0]["index"]):
            break  # back at the document, then the start: no trap
        stops.append(state)
    else:
        unmarked = {f"{stop['tag']}#{stop['id']}" for stop in stops if stop["index"] is None}
        pytest.fail(f"{page.url}: focus never came back to the start after {limit} tabs: {unmarked}")
    return count, stops


def keyboard_pages(site):
    listing = site.listing.get_absolute_url()
    return [
        a11y_site.Page("accueil", "/"),
        a11y_site.Page("résultats avec carte et facettes", "/associations/?q=maison"),
        a11y_site.Page("résultats filtrés", "/associations/?categorie=sport&gratuit=1"),
        a11y_site.Page("fiche", listing),
        a11y_site.Page("signaler", f"{listing}signaler/"),
        a11y_site.Page("mon espace", "/espace-association/", manager=True),
        a11y_site.Page(
            "modifier la fiche", f"/espace-association/{site.listing.slug}/modifier/lieux/", manager=True
        ),
    ]


def open_map(page):
    """The map loads on demand (docs/benchmarks.md, "Page weight"): press its button unless this
    browser already remembers it open, then wait for the markers."""
    toggle = page.locator("#map-toggle")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    page.locator(".leaflet-marker-icon").first.wait_for()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_tabbing_visits_everything_with_a_visible_focus_and_no_trap(visitor_factory, site, viewport):
    visitor = visitor_factory(viewport)
    for entry in keyboard_pages(site):
        page = visitor.open(entry)
        if "carte" in entry.name:
            # Opened once, then remembered: reloaded, the page shows the map by itself and Tab
            # starts from the top rather than from the button that was clicked.
            open_map(page)
            page.reload()
            page.locator(".leaflet-marker-icon").first.wait_for()
        count, stops = tab_through(page)
        visited = {stop["index"] for stop in stops if stop["index"] is not None}
        assert visited == {str(i) for i in range(count)}, (
            f"{entry.path}: {count - len(visited)} focusable element(s) never reached by Tab"
        )
        assert stops[0]["cls"] == "skip-link"
        for stop in stops:
            what = f"{entry.path}: {stop['tag']}#{stop['id']}.{stop['cls']}"
            assert stop["focused"] != stop["rest"], f"{what}: no visible change on focus"
            style, _width, _shadow = stop["focused"].split("|", 2)
            if style != "none" and stop["width"] >= 2:
                ratio = contrast(stop["outline"], stop["background"])
                assert ratio >= 3, f"{what}: focus ring contrast {ratio:.2f}"


def test_the_skip_link_is_first_visible_and_moves_focus_to_main(visitor_factory, site):
    visitor = visitor_factory(PHONE)
    for path in ["/", "/associations/?q=maison", site.listing.get_absolute_url()]:
        page = visitor.anonymous
        page.goto(visitor.base_url + path)
        page.keyboard.press("Tab")
        link = page.locator(".skip-link")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        box = link.bounding_box()
        assert box
        assert box["y"] >= 0
        assert box["height"] > 10
        assert link.is_visible()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "contenu"
        page.keyboard.press("Tab")  # the next stop is inside <main>
        assert page.evaluate("!!document.activeElement.closest('main')")


def test_the_map_is_labelled_says_the_list_is_its_alternative_and_can_be_skipped(visitor_factory, site):
    visitor = visitor_factory(DESKTOP)
    page = visitor.anonymous
    page.goto(visitor.base_url + "/associations/?q=maison")
    open_map(page)
    region = page.locator("#map")
    assert region.get_attribute("role") == "region"
    assert region.get_attribute("aria-label")
    note = page.locator("#" + region.get_attribute("aria-describedby"))
    assert "version texte" in note.inner_text()
    # Every marker has its entry in the list, with the same name.
    names = page.locator(".leaflet-marker-icon").evaluate_all("els => els.map(e => e.alt)")
    listed = page.locator("#results > li h3, #results > li h2").all_inner_texts()
    assert set(names) <= {name.strip() for name in listed}
    skip = page.locator(".map-skip")
    skip.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "after-map"
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('#results')")
    # A marker does not hold the focus: Tab goes on to the next one, then out of the map.
    page.locator(".leaflet-marker-icon").first.focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if not page.evaluate("!!document.activeElement.closest('#map')"):
            break
    else:
        pytest.fail("the focus stays in the map")


def test_link_hover_colour_keeps_its_contrast(visitor_factory, site):
    visitor = visitor_factory(DESKTOP)
    page = visitor.open(a11y_site.Page("fiche", site.listing.get_absolute_url()))
    link = page.locator("main a[href]").first
    rest = link.evaluate("e => getComputedStyle(e).color")
    link.hover()
    hover = link.evaluate("e => getComputedStyle(e).color")
    assert contrast(rest, "rgb(255, 255, 255)") >= 4.5
    assert contrast(hover, "rgb(255, 255, 255)") >= 4.5
    # Visited links keep the link colour (no :visited rule; browsers hide it from scripts).
    assert ":visited" not in (Path(__file__).resolve().parent.parent / "static/css/site.css").read_text()


def tab_to(page, selector, limit=150):
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {selector}")


def test_search_filters_by_keyboard_alone(visitor_factory, site):
    visitor = visitor_factory(PHONE)
    page = visitor.anonymous
    page.goto(visitor.base_url + "/associations/")
    tab_to(page, "#id_q")
    page.keyboard.type("maison")
    if not page.locator("#id_gratuit").is_visible():
        tab_to(page, "form.filters details summary")
        page.keyboard.press("Enter")
    tab_to(page, "#id_gratuit")
    page.keyboard.press("Space")
    tab_to(page, "form.filters button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/associations/?*")
    assert "gratuit=1" in page.url
    assert "q=maison" in page.url
    assert page.locator("#results > li").count() == 1


def test_report_form_by_keyboard_alone_with_an_error_then_sent(visitor_factory, site):
    visitor = visitor_factory(PHONE)
    page = visitor.anonymous
    page.goto(visitor.base_url + site.listing.get_absolute_url() + "signaler/")
    tab_to(page, "#id_message")
    page.keyboard.type("Les horaires du mercredi ont changé.")
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")  # no reason chosen: sent back with an error
    # The summary takes the focus when its script runs, which may come just after it appears.
    page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the summary's link to the reason
    assert page.evaluate("document.activeElement.name") == "reason"
    page.keyboard.press("Space")
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/signaler/merci/")
