"""Search at service level in Chromium: "cours de français gratuit" among demo listings lands on
the free French classes of the right association (issue #16, "Done when")."""

import io

import pytest
from django.core.management import call_command

from directory.models import Service
from tests import builders
from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser]


@pytest.fixture
def listings(reference_data):
    # Demo listings around them (demo/services.py: varied services), as a first `make run` shows.
    call_command("seed_demo", "--count", "40", stdout=io.StringIO())
    # Free homework help and paid French classes: not "free French classes".
    buers = builders.make_association("Centre social des Buers", area_slug="villeurbanne")
    builders.make_service(
        buers,
        "Aide aux devoirs",
        categories=["aide-aux-devoirs"],
        fees=Service.Fees.FREE,
        reception=Service.Reception.APPOINTMENT,
    )
    builders.make_service(
        buers,
        "Cours de français",
        categories=["cours-de-francais-fle"],
        fees=Service.Fees.PAID,
        reception=Service.Reception.WALK_IN,
        hours={"5": [["09:00", "12:00"]]},
    )
    langues = builders.make_association("Maison des langues de Gerland", area_slug="lyon-7")
    builders.make_service(langues, "Accueil et orientation", categories=["aide-aux-demarches-en-ligne"])
    french = builders.make_service(
        langues,
        "Cours de français",
        description="Pour adultes, tous niveaux, sans inscription.",
        categories=["cours-de-francais-fle"],
        fees=Service.Fees.FREE,
        reception=Service.Reception.WALK_IN,
        hours={"5": [["09:00", "12:00"]]},
        places=list(langues.places.all()),
    )
    return {"langues": langues, "french": french}


def test_free_french_classes_land_on_the_service(browser_page, listings):
    page = browser_page
    page.goto(page.base_url + "/")
    page.locator("input[name=q]").first.fill("cours de français gratuit")
    page.locator("form[role=search] button[type=submit], form[role=search] input[type=submit]").first.click()
    page.wait_for_url("**/associations/?*")
    cards = page.locator("#results > li")
    names = [cards.nth(i).locator(".card__title").inner_text() for i in range(cards.count())]
    assert "Maison des langues de Gerland" in names
    assert "Centre social des Buers" not in names  # its free service is not French classes
    # Every card that names a service names a free one.
    for line in page.locator(".card__service").all_inner_texts():
        assert "gratuit" in line, line
    card = cards.nth(names.index("Maison des langues de Gerland"))
    service_link = card.locator(".card__service a")
    assert service_link.inner_text() == "Cours de français · samedi 9 h–12 h · gratuit · sans rendez-vous"
    assert_accessible(page)
    service_link.click()
    french = listings["french"]
    page.wait_for_url(f"**{listings['langues'].get_absolute_url()}#service-{french.pk}")
    block = page.locator(f"#service-{french.pk}")
    assert block.locator("h3").inner_text() == "Cours de français"
    text = block.inner_text()
    assert "Gratuit" in text
    assert "Sans rendez-vous" in text
    assert "Samedi 9 h–12 h" in text
    assert block.is_visible()
    assert_accessible(page)
