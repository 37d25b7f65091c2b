"""The results map in Chromium: on demand with JavaScript, the plain list without it; axe-core."""

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


def leaflet_requests(page):
    requested = []
    page.on("request", lambda request: requested.append(request.url) if "leaflet" in request.url else None)
    return requested


def test_results_map_shows_one_marker_per_located_result(browser_page, listings):
    page = browser_page
    block_tiles(page)
    leaflet = leaflet_requests(page)
    page.goto(page.base_url + "/associations/?q=club", wait_until="load")
    assert page.locator("#results > li").count() == 3
    # Opening the page costs no map: Leaflet waits for the button.
    toggle = page.locator("#map-toggle")
    assert toggle.text_content().strip() == "Afficher la carte (2 lieux)"
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator("#map").is_visible()
    page.wait_for_load_state("networkidle")
    assert not leaflet
    toggle.click()
    page.locator(".leaflet-marker-icon").first.wait_for()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert toggle.text_content().strip() == "Masquer la carte"
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


def test_the_map_choice_is_remembered_until_hidden(browser_page, listings):
    page = browser_page
    block_tiles(page)
    page.goto(page.base_url + "/associations/?q=club")
    page.locator("#map-toggle").click()
    page.locator(".leaflet-marker-icon").first.wait_for()
    # The next page shows its map without a click.
    page.goto(page.base_url + "/associations/?q=club&page=1")
    page.locator(".leaflet-marker-icon").first.wait_for()
    assert page.locator("#map-toggle").get_attribute("aria-expanded") == "true"
    page.locator("#map-toggle").click()
    assert not page.locator("#map").is_visible()
    assert page.locator("#map-toggle").text_content().strip() == "Afficher la carte (2 lieux)"
    page.locator("#map-toggle").click()  # shown again at once: Leaflet is already there
    assert page.locator("#map").is_visible()
    page.locator("#map-toggle").click()
    # Hidden: forgotten, the next page opens without Leaflet.
    leaflet = leaflet_requests(page)
    page.goto(page.base_url + "/associations/?q=club", wait_until="networkidle")
    assert not page.locator("#map").is_visible()
    assert not leaflet


def test_listing_map_on_demand(browser_page, listings):
    from directory.models import Association

    page = browser_page
    block_tiles(page)
    listing = Association.objects.get(name="Club du 7e")
    page.goto(page.base_url + listing.get_absolute_url())
    toggle = page.locator("#map-toggle")
    assert toggle.text_content().strip() == "Afficher la carte (1 lieu)"
    toggle.click()
    page.locator(".leaflet-marker-icon").first.wait_for()
    assert page.locator(".leaflet-marker-icon").count() == 1


def test_results_page_without_javascript(chromium, live_server, listings):
    context = chromium.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    block_tiles(page)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(live_server.url + "/associations/")
        page.locator("#id_q").fill("club")
        page.locator("form.filters button[type=submit]").first.click()
        page.wait_for_url("**/associations/?*")
        assert page.locator("#results > li").count() == 3
        assert page.locator("#map").count() == 1
        assert not page.locator("#map").is_visible()
        assert not page.locator("#map-toggle").is_visible()
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
