"""The results map in Chromium: markers with JavaScript, the plain list without it; axe-core."""

import pytest

from tests import builders
from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser]


@pytest.fixture
def listings(reference_data, settings):
    # Tiles are never fetched in tests: a path on our own host (404s are fine for a grey map).
    settings.MAP_TILE_URL = "/static/no-tiles/{z}/{x}/{y}.png"
    builders.make_association("Club du 7e", categories=["football"], area_slug="lyon-7")
    builders.make_association("Club du 3e", categories=["football"], area_slug="lyon-3")
    hidden = builders.make_association("Club sans adresse", categories=["football"], area_slug="lyon-1")
    hidden.places.update(lat=None, lon=None)


def block_tiles(page):
    page.route("**/tile.openstreetmap.org/**", lambda route: route.abort())


def test_results_map_shows_one_marker_per_located_result(browser_page, listings):
    page = browser_page
    block_tiles(page)
    page.goto(page.base_url + "/associations/?q=club")
    assert page.locator("#results > li").count() == 3
    page.locator(".leaflet-marker-icon").first.wait_for()
    markers = page.locator(".leaflet-marker-icon")
    assert markers.count() == 2
    assert page.locator("#map").is_visible()
    # Keyboard-accessible markers named after the association.
    assert sorted(markers.evaluate_all("els => els.map(e => e.getAttribute('alt'))")) == [
        "Club du 3e",
        "Club du 7e",
    ]
    assert markers.first.get_attribute("tabindex") == "0"
    assert_accessible(page)


def test_results_page_without_javascript(chromium, live_server, listings):
    context = chromium.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    block_tiles(page)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(live_server.url + "/associations/")
        page.locator("#id_q").fill("club")
        page.locator("form.filters button[type=submit]").click()
        page.wait_for_url("**/associations/?*")
        assert page.locator("#results > li").count() == 3
        assert page.locator("#map").count() == 1
        assert not page.locator("#map").is_visible()
        assert not page.locator("#near-me").is_visible()
        assert page.locator("nav.facets a").count() > 0
        assert not [url for url in requested if "leaflet" in url]  # Leaflet not even downloaded
    finally:
        context.close()


def test_suggestions_combobox(browser_page, listings):
    page = browser_page
    page.goto(page.base_url + "/associations/")
    box = page.locator("#id_q")
    box.fill("devoirs")
    page.locator("#id_q-listbox [role=option]").first.wait_for()
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "true"
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "id_q-listbox-0"
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**/categories/aide-aux-devoirs/")
