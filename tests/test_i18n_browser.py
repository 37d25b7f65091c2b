"""English pages in Chromium: the JavaScript speaks English.

axe-core on the English home, results and listing: tests/test_accessibility_browser.py (their
`lang` is checked by tests/test_accessibility.py)."""

import pytest

from tests import builders

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_pass]


@pytest.fixture
def listings(reference_data):
    return builders.make_association(
        "Aide aux devoirs du 3e", categories=["aide-aux-devoirs"], area_slug="lyon-3"
    )


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
