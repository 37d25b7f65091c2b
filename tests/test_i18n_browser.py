"""English pages in Chromium: axe-core finds nothing, and the JavaScript speaks English."""

import pytest

from tests import builders
from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser]


@pytest.fixture
def listings(reference_data):
    return builders.make_association(
        "Aide aux devoirs du 3e", categories=["aide-aux-devoirs"], area_slug="lyon-3"
    )


@pytest.mark.parametrize("path", ["/en/", "/en/associations/?q=devoirs", "LISTING"])
def test_english_pages_have_no_wcag_violation(browser_page, listings, path):
    page = browser_page
    url = "/en" + listings.get_absolute_url() if path == "LISTING" else path
    page.goto(page.base_url + url)
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)


def test_english_suggestions_are_in_english(browser_page, listings):
    page = browser_page
    page.goto(page.base_url + "/en/associations/")
    box = page.locator("#id_q")
    box.fill("homework")
    option = page.locator("#id_q-listbox [role=option]").first
    option.wait_for()
    assert option.inner_text().startswith("Homework help · Need · School support")
    assert "suggestion" in page.locator(".suggest-wrap .visually-hidden, [aria-live]").first.inner_text()
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**/en/categories/aide-aux-devoirs/")
    assert page.locator("h1").inner_text() == "Homework help"
