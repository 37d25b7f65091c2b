"""'Ouvert maintenant' in Chromium: the facet, the ouvert search and the cards at a frozen
moment (the live server reads the OPENING_CLOCK setting), the editor's calendar fields and
preview; axe-core on each page."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests import builders
from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_pass]

FROZEN = datetime(2026, 10, 27, 10, 30, tzinfo=ZoneInfo("Europe/Paris"))  # mid-Toussaint, a Tuesday


def frozen_now():
    return FROZEN


@pytest.fixture
def town(reference_data, settings):
    settings.OPENING_CLOCK = "tests.test_opening_browser.frozen_now"
    office = builders.make_association("Bureau des droits", categories=["football"])
    homework = builders.make_association("Aide aux devoirs", categories=["football"])
    homework.places.update(school_holidays="closed")
    builders.make_association("Club sans horaires", categories=["football"], hours={})
    from directory.listings import services

    services.refresh_search_text([homework])
    return {"office": office, "homework": homework}


def test_open_now_results(browser_page, town):
    page = browser_page
    page.goto(page.base_url + "/associations/?categorie=football")
    facet = page.locator(".facets--open a")
    assert facet.locator(".facet__count").text_content().strip().startswith("1")
    assert_accessible(page)
    facet.click()
    page.wait_for_load_state()
    assert "ouvert=maintenant" in page.url
    cards = page.locator("#results > li")
    assert cards.count() == 1
    assert cards.first.locator(".card__opening").text_content().strip() == "Ouvert · ferme à 12 h"
    others = page.locator(".result-count__others")
    assert "Et 1 autre sans horaires précisés" in others.text_content()
    assert_accessible(page)
    # The listing left out for the school holidays says when it reopens.
    page.goto(page.base_url + town["homework"].get_absolute_url())
    assert page.locator(".opening").first.text_content().strip() == (
        "Fermé pendant les vacances scolaires, réouverture le 2 novembre"
    )
    assert_accessible(page)


def test_editor_calendar_fields_and_preview(browser_page, town):
    page = browser_page
    builders.make_manager(town["office"], "gestion-bureau")
    page.goto(page.base_url + "/compte/connexion/")
    page.fill("input[name=username]", "gestion-bureau@example.org")
    page.fill("input[name=password]", "pass-word-123")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(page.base_url + f"/espace-association/{town['office'].slug}/modifier/tout/")
    preview = page.locator(".opening-preview tr")
    assert preview.count() == 14
    assert "Toussaint" in page.locator(".opening-preview").text_content()
    assert_accessible(page)
