"""Volunteer needs at phone width: the answer form sent from a real browser, and
axe-core on the states tests/test_accessibility_browser.py does not reach (no need found, the
form's errors, the thanks page, a need's edit form and its answers)."""

import time
import uuid

import pytest

from directory.models import VolunteerResponse
from tests import builders
from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_pass]


@pytest.mark.parametrize("browser_page", ["phone"], indirect=True)
def test_benevolat_and_a_need_page_are_accessible_at_phone_width(browser_page, settings):
    settings.HUMAN_MIN_SECONDS = 0
    association = builders.make_association(
        "Épicerie solidaire des Pentes", categories=["epicerie-solidaire"], area_slug="lyon-1"
    )
    builders.make_manager(association, "gestionnaire-navigateur")
    need = builders.make_need(
        association, schedule="Le mardi de 14 h à 17 h", skills="Porter des cartons", on_weekends=True
    )
    page = browser_page
    page.goto(page.base_url + "/benevolat/")
    assert page.locator("#needs > li").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.goto(page.base_url + "/benevolat/?moment=soirs")
    assert page.locator("#no-needs").count() == 1
    assert_accessible(page)

    page.goto(page.base_url + association.get_absolute_url())
    assert page.locator("#volunteer-needs > li").count() == 1

    page.goto(page.base_url + need.get_absolute_url())
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # Sent empty: the errors are announced and accessible too.
    page.locator("#answer-form button[type=submit]").click()
    page.wait_for_selector("#form-errors")
    assert_accessible(page)

    page.fill("#id_name", "Camille")
    page.fill("#id_email", "camille@example.org")
    page.fill("#id_message", "Disponible le mardi.")
    page.check("#id_consent")
    time.sleep(0.1)
    page.locator("#answer-form button[type=submit]").click()
    page.wait_for_load_state()
    errors = page.locator("#form-errors, .field-error").all_inner_texts()
    assert "/merci/" in page.url, errors
    assert VolunteerResponse.objects.filter(need=need, name="Camille").exists()
    assert_accessible(page)


@pytest.mark.parametrize("browser_page", ["phone"], indirect=True)
def test_the_managers_pages_are_accessible_at_phone_width(browser_page):
    from tests.test_editor_browser import log_in

    association = builders.make_association("Jardin des Pentes", area_slug="lyon-1")
    builders.make_manager(association, "jardinier")
    need = builders.make_need(association)
    VolunteerResponse.objects.create(
        need=need, name="Camille", email="camille@example.org", message="Oui.", form_token=uuid.uuid4()
    )
    page = browser_page
    log_in(page, "jardinier@example.org")
    base = f"{page.base_url}/espace-association/{association.slug}/benevolat/"
    for url in (base, f"{base}{need.pk}/modifier/", f"{base}{need.pk}/reponses/"):
        page.goto(url)
        assert page.locator("h1").count() == 1, url
        if url != base:  # the needs of the association are in the sample
            assert_accessible(page)
    # The form sent empty: its errors are accessible too.
    page.goto(base)
    page.locator("form.editor-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".errorlist").count() >= 1
    assert_accessible(page)
