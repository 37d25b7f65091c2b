"""Near an address or a stop in Chromium: typed in "Près de", suggested as one types, the
nearest associations first; without JavaScript, the choices of an ambiguous name; axe-core."""

import pytest

from tests import builders
from tests.browser import assert_accessible
from tests.test_places import BAN, gtfs_zip, located, run

pytestmark = [pytest.mark.browser]


@pytest.fixture
def near_places(reference_data, tmp_path):
    run("import_addresses", BAN)
    marseille = builders.make_association("Épicerie de la rue de Marseille", categories=["football"])
    located(marseille, 45.7545, 4.8412)  # 20 m from 12 rue de Marseille
    guillotiere = builders.make_association("Club de la Guillotière", categories=["football"])
    located(guillotiere, 45.7570, 4.8440)
    vaise = builders.make_association("Maison de Gorge de Loup", categories=["football"], area_slug="lyon-9")
    located(vaise, 45.7662, 4.8050)  # 40 m from the station
    run("import_transit", gtfs_zip(tmp_path))  # after the places: their stations are computed


def names(page):
    return page.locator("#results .card__title").all_text_contents()


def test_an_address_then_a_stop_give_the_nearest_associations(browser_page, near_places):
    page = browser_page
    page.goto(page.base_url + "/", wait_until="load")
    field = page.locator("#id_pres")
    field.fill("12 r de marseil")
    option = page.locator("#id_pres-listbox [role=option]").first
    option.wait_for()
    assert "12 Rue de Marseille, Lyon 7e" in option.text_content()
    field.press("ArrowDown")
    field.press("Enter")  # fills the field with the suggestion, the form is not sent yet
    assert field.input_value() == "12 Rue de Marseille, Lyon 7e"
    page.locator(".search-form button[type=submit]").click()
    page.wait_for_url("**/associations/?*")
    assert [name.strip() for name in names(page)][:2] == [
        "Épicerie de la rue de Marseille",
        "Club de la Guillotière",
    ]
    first_card = page.locator("#results > li").first
    assert "à 50 m" in first_card.text_content()
    assert "Guillotière - Gabriel Péri" in first_card.locator(".transit").text_content()
    assert_accessible(page)

    # A stop, typed in the results form (no suggestion picked), in its "Filtrer" panel on a phone.
    if not page.locator("#more-filters").evaluate("details => details.open"):
        page.locator("#more-filters summary").click()
    field = page.locator("#id_pres")
    field.fill("Gorge de Loup")
    page.locator("form.filters button[type=submit]").first.click()
    page.wait_for_url(lambda url: "pres=Gorge+de+Loup" in url)
    assert names(page)[0].strip() == "Maison de Gorge de Loup"
    assert "Gorge de Loup" in page.locator(".active-filters").text_content()
    assert_accessible(page)

    # An ambiguous name: the choices (axe-core needs JavaScript: checked here).
    page.goto(page.base_url + "/associations/?pres=Saint-Jean", wait_until="load")
    assert page.locator(".place-choices a").count() == 3
    assert_accessible(page)


def test_without_javascript_an_ambiguous_name_offers_choices(browser_page_nojs, near_places):
    page = browser_page_nojs
    page.goto(page.base_url + "/associations/?pres=Saint-Jean", wait_until="load")
    choices = page.locator(".place-choices a")
    assert choices.first.text_content() == "Rue Saint-Jean, Lyon 5e"
    page.locator(".place-choices a", has_text="Vieux Lyon").click()
    page.wait_for_url(lambda url: "lat=" in url)
    assert not page.locator(".place-choices").count()
    assert "Vieux Lyon - Cathédrale St Jean" in page.locator(".active-filters").text_content()
