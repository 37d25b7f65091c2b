"""Issue 19 in Chromium: the header at 360 px (its height signed out and in, the menu without
JavaScript), the searchable "Où ?" select, and axe-core on the listing page with its action bar."""

import pytest

from directory.models import Association, Place
from tests import builders
from tests.browser import assert_accessible, open_menu

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_pass]

# At 360 px the header was 254 px high on a page with its search field (297 px signed in, its
# menu on three or four lines); one row of name, language and menu, then the search: 117 px.
HEADER_MAX_PX = 125


def header_height(page):
    return page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")


def sign_in(page, user):
    page.goto(page.base_url + "/compte/connexion/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", "pass-word-123")
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_the_phone_header_is_one_row_above_the_search_signed_out_and_in(make_browser_page, javascript):
    page = make_browser_page("phone", javascript=javascript)
    page.goto(page.base_url + "/a-propos/")
    signed_out = header_height(page)
    assert signed_out <= HEADER_MAX_PX
    # The name, the other language and the menu button on one row.
    tops = [
        page.locator(selector).bounding_box()["y"]
        for selector in [".site-name", ".language-switcher a[hreflang='en']", ".site-menu > summary"]
    ]
    assert max(tops) - min(tops) < 20, tops
    assert not page.locator(".language-switcher a[hreflang='fr']").is_visible()  # the current one
    assert not page.locator(".site-nav").is_visible()

    sign_in(page, builders.make_user("habitante"))
    page.goto(page.base_url + "/a-propos/")
    assert header_height(page) == signed_out
    # The menu opens without JavaScript (a <details>), over the page: the header keeps its height.
    open_menu(page)
    logout = page.locator(".site-nav button", has_text="Se déconnecter")
    assert logout.is_visible()
    assert page.locator(".site-nav a", has_text="Mon espace").is_visible()
    assert header_height(page) == signed_out
    # Each link on its own line, none wrapping onto a second one.
    for link in page.locator(".site-nav li > a, .site-nav li button").all():
        assert link.bounding_box()["height"] < 50
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    if javascript:
        assert_accessible(page, context="header, menu open, 360 px")


def test_on_a_desktop_the_links_show_in_a_row(make_browser_page):
    page = make_browser_page("desktop")
    page.goto(page.base_url + "/a-propos/")
    assert not page.locator(".site-menu > summary").is_visible()
    links = page.locator(".site-nav li > a")
    assert links.first.is_visible()
    tops = {round(link.bounding_box()["y"]) for link in links.all()}
    assert len(tops) == 1


def test_the_place_select_narrows_as_one_types(make_browser_page):
    page = make_browser_page("phone")
    page.goto(page.base_url + "/associations/")
    page.locator("#more-filters > summary").click()  # on a phone "Où ?" is in the "Filtrer" panel
    field = page.locator("#id_territoire-filtre")
    field.fill("grange")
    labels = page.locator("#id_territoire option").all_text_contents()
    assert labels == ["Partout dans la Métropole", "Grange Blanche, Lyon 3e", "Grange Blanche, Lyon 8e"]
    assert page.locator("#id_territoire optgroup").count() == 2
    assert "2 lieux" in page.locator(".place-filter__status").text_content()
    field.fill("villeurbane")  # a typo finds nothing, and says so
    assert page.locator("#id_territoire optgroup").count() == 0
    field.fill("vénissieux")
    assert page.locator("#id_territoire").input_value() == "venissieux"  # one left: chosen
    field.fill("")
    assert page.locator("#id_territoire option").count() > 150
    assert page.locator("#id_territoire").input_value() == "venissieux"
    assert_accessible(page, context="results, place filter")


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_the_listing_page_with_its_action_bar_passes_axe(make_browser_page, width, settings):
    settings.MAP_TILE_URL = "/static/no-tiles/{z}/{x}/{y}.png"  # never fetch real tiles in tests
    listing = builders.make_association(
        "Épicerie solidaire des Pentes",
        area_slug="lyon-1",
        phone="04 78 12 34 56",
        email="epicerie@example.org",
        reception=Association.Reception.APPOINTMENT,
        description="Des courses à petit prix.",
    )
    listing.places.update(location_precision=Place.LocationPrecision.ADDRESS)
    page = make_browser_page(width)
    page.goto(page.base_url + listing.get_absolute_url())
    assert_accessible(page, context=f"listing, {width}")
    page.locator(".action-bar .directions > summary").click()
    assert page.locator(".action-bar .directions__transit").is_visible()
    assert_accessible(page, context=f"listing, directions open, {width}")
    aside = page.locator(".listing__aside").bounding_box()
    main = page.locator(".listing__main").bounding_box()
    if width == "desktop":
        assert aside["x"] > main["x"] + main["width"] - 1  # beside it, on the right
        assert abs(aside["y"] - main["y"]) < 2
    else:
        assert aside["y"] + aside["height"] <= main["y"] + 1  # one column, the aside first
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
