"""Results first at 360 px (issue #19): the first result within the first screen for a search with
filters, quick toggles that work without JavaScript, a zero-result search whose wider searches
lead to results; axe-core finds nothing on these pages."""

import pytest

from tests import builders
from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser]

FIRST_SCREEN_PX = 740


@pytest.fixture
def pantry(reference_data):
    common = {
        "categories": ["alimentation"],
        "short_description": "Aide alimentaire et colis chaque semaine.",
    }
    for n in range(6):
        builders.make_association(
            f"Épicerie solidaire {n}", area_slug="villeurbanne", fees="free", reception="walk_in", **common
        )
    for n in range(3):
        builders.make_association(
            f"Colis sur rendez-vous {n}",
            area_slug="villeurbanne",
            fees="free",
            reception="appointment",
            **common,
        )
    for n in range(3):
        builders.make_association(
            f"Restos Vaulx {n}", area_slug="vaulx-en-velin", fees="free", reception="walk_in", **common
        )


def assert_accessible_with_js(make_browser_page, url):
    """axe-core runs in the page: check the same page in a context with JavaScript on."""
    page = make_browser_page("phone")
    page.goto(url)
    assert_accessible(page)


def first_result_top(page):
    return page.locator("#results > li").first.evaluate("e => e.getBoundingClientRect().top + window.scrollY")


@pytest.mark.parametrize("javascript", [True, False])
def test_the_first_result_is_within_the_first_screen_on_a_phone(make_browser_page, pantry, javascript):
    page = make_browser_page("phone", javascript=javascript)
    page.goto(
        page.base_url + "/associations/?q=aide+alimentaire&territoire=villeurbanne&gratuit=1&sans_rdv=1"
    )
    assert page.locator("#results > li").count() == 6
    assert first_result_top(page) <= FIRST_SCREEN_PX
    assert page.locator("#more-filters > summary").inner_text().startswith("Filtrer (3")
    if javascript:
        assert_accessible(page)


def test_quick_toggles_work_without_javascript(make_browser_page, pantry):
    page = make_browser_page("phone", javascript=False)
    page.goto(page.base_url + "/associations/?q=aide+alimentaire&territoire=villeurbanne")
    assert page.locator("#results > li").count() == 9
    walk_in = page.locator(".quick-toggles button[data-toggle=sans_rdv]")
    assert walk_in.get_attribute("aria-pressed") == "false"
    with page.expect_navigation():
        walk_in.click()
    assert "sans_rdv=1" in page.url
    assert page.locator("#results > li").count() == 6
    walk_in = page.locator(".quick-toggles button[data-toggle=sans_rdv]")
    assert walk_in.get_attribute("aria-pressed") == "true"
    assert_accessible_with_js(make_browser_page, page.url)
    with page.expect_navigation():
        walk_in.click()  # off again
    assert "sans_rdv" not in page.url
    assert page.locator("#results > li").count() == 9

    # From a category page, a toggle leads to the results of that need with the filter on.
    page.goto(page.base_url + "/categories/alimentation/")
    assert_accessible_with_js(make_browser_page, page.url)
    with page.expect_navigation():
        page.locator(".quick-toggles button[data-toggle=gratuit]").click()
    assert "categorie=alimentation" in page.url
    assert page.locator(".quick-toggles button[data-toggle=gratuit]").get_attribute("aria-pressed") == "true"
    assert page.locator("#results > li").count() == 12


def test_a_zero_result_search_offers_links_that_lead_to_results(make_browser_page, pantry):
    page = make_browser_page("phone", javascript=False)
    page.goto(
        page.base_url
        + "/associations/?q=aide+alimentaire&territoire=vaulx-en-velin&sans_rdv=1&gratuit=1&public=seniors"
    )
    assert page.locator("#results > li").count() == 0
    links = page.locator(".relax a")
    assert links.count() >= 1
    assert_accessible_with_js(make_browser_page, page.url)
    text = links.first.inner_text()
    with page.expect_navigation():
        links.first.click()
    assert page.locator("#results > li").count() == int(text.split()[0]) > 0

    # Nothing in Lyon 3e: the whole Métropole has them.
    page.goto(page.base_url + "/associations/?q=aide+alimentaire&territoire=lyon-3")
    assert page.locator("#results > li").count() == 0
    metropole = page.locator(".relax a", has_text="dans toute la Métropole")
    assert metropole.inner_text() == "12 dans toute la Métropole"
    with page.expect_navigation():
        metropole.click()
    assert "territoire" not in page.url
    assert page.locator("#results > li").count() == 12
