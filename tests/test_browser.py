"""End-to-end journeys in Chromium (axe-core on the pages: tests/test_accessibility_browser.py)."""

import pytest

from tests import builders

pytestmark = [pytest.mark.browser]


@pytest.fixture
def listings(reference_data):
    club = builders.make_association(
        "Club sportif de la Guillotière",
        categories=["football"],
        area_slug="lyon-7",
        short_description="Football et futsal pour les enfants et les jeunes du quartier.",
        fees="membership",
        reception="walk_in",
    )
    builders.make_association(
        "Épicerie solidaire des Pentes",
        categories=["epicerie-solidaire"],
        area_slug="lyon-1",
    )
    return club


def test_search_sport_then_open_the_listing(browser_page, listings):
    page = browser_page
    page.goto(page.base_url + "/")
    page.get_by_role("searchbox", name="Quoi ?").or_(page.locator("input[name=q]").first).first.fill("sport")
    page.locator("form[role=search] button[type=submit], form[role=search] input[type=submit]").first.click()
    page.wait_for_url("**/associations/?*")
    results = page.locator("#results > li")
    assert results.count() == 1
    results.first.get_by_role("link", name="Club sportif de la Guillotière").click()
    page.wait_for_url(f"**{listings.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Club sportif de la Guillotière"
    assert "Football et futsal" in page.locator("main").inner_text()


def test_the_accessibility_check_names_each_violation(chromium):
    """assert_accessible asks axe-core for the violations only: a page with two still fails,
    naming each rule and the element."""
    from tests.browser import assert_accessible

    context = chromium.new_context()
    try:
        page = context.new_page()
        page.set_content(
            '<!doctype html><html lang="fr"><head><title>Essai</title></head><body><main>'
            '<h1>Essai</h1><img src="logo.png" id="sans-alt"><button id="vide"></button></main></body></html>'
        )
        with pytest.raises(AssertionError) as failed:
            assert_accessible(page, context="essai")
    finally:
        context.close()
    message = str(failed.value)
    assert "axe-core violations on essai" in message
    assert "image-alt (critical): Images must have alternative text → #sans-alt" in message
    assert "button-name (critical): Buttons must have discernible text → #vide" in message
