"""Browser journey of the digital helpers, and axe-core on the states of their
pages that tests/test_accessibility_browser.py does not reach, at phone and desktop widths."""

import pytest

from directory.models import HelperProfile, HelpOffer, HelpRequest
from tests import builders
from tests.browser import assert_accessible
from tests.test_editor_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_pass]

HELPER_EMAIL = "camille@aidants.example"


def test_from_request_to_accepted_offer(browser_page):
    listing = builders.make_association("Épicerie solidaire de la Guillotière", area_slug="lyon-7")
    manager = builders.make_manager(listing, "gestionnaire")
    helper = builders.make_helper(
        "camille", skills=("liste-diffusion", "rgpd"), areas=("lyon",), bio="Je fais des lettres."
    )
    helper.user.email = HELPER_EMAIL
    helper.user.save(update_fields=["email"])
    page = browser_page

    # The manager posts a request from the association space.
    log_in(page, manager.email)
    page.goto(page.base_url + f"/espace-association/{listing.slug}/")
    page.locator("#help-link").click()
    page.fill("input[name=title]", "Lancer une lettre d'information")
    page.check("input[name=skills][value=liste-diffusion]")
    page.fill("textarea[name=description]", "Pour nos 200 adhérents, une fois par mois.")
    page.check("input[name=urgency][value=high]")
    page.get_by_role("button", name="Publier la demande").click()
    page.wait_for_url("**/aide-numerique/*/")
    help_request = HelpRequest.objects.get()
    # Camille is suggested (the right skill, and Lyon covers Lyon 7e), without any address.
    suggestion = page.locator(f"#suggestions li[data-helper='{helper.pk}']")
    assert "Camille" in suggestion.inner_text()
    assert "près de chez vous" in suggestion.inner_text()
    assert HELPER_EMAIL not in page.content()
    assert_accessible(page)
    page.context.clear_cookies()

    # The approved helper sees it in their space and offers help.
    log_in(page, HELPER_EMAIL)
    page.goto(page.base_url + "/aidants-numeriques/mon-espace/")
    assert_accessible(page)
    page.get_by_role("link", name="Lancer une lettre d'information").click()
    assert manager.email not in page.content()
    assert_accessible(page)
    page.fill("textarea[name=message]", "J'utilise Brevo depuis trois ans, je peux venir un mardi.")
    page.get_by_role("button", name="Proposer mon aide").click()
    page.wait_for_load_state()
    assert "Votre proposition est envoyée" in page.locator(".messages").inner_text()
    assert page.locator("#offer-status").inner_text().strip() == "En attente de réponse"
    page.context.clear_cookies()

    # The manager accepts; the helper's address appears only now.
    log_in(page, manager.email)
    page.goto(page.base_url + f"/espace-association/{listing.slug}/aide-numerique/{help_request.pk}/")
    offer_card = page.locator("#offers li[data-offer]")
    assert "Brevo" in offer_card.inner_text()
    assert HELPER_EMAIL not in page.content()
    offer_card.get_by_role("button", name="Accepter").click()
    page.wait_for_load_state()
    assert page.locator("#matched .contact a").get_attribute("href") == f"mailto:{HELPER_EMAIL}"
    assert "Aidant trouvé" in page.locator("#request-status").inner_text()
    assert_accessible(page)
    page.context.clear_cookies()

    # The helper sees the association's contact.
    log_in(page, HELPER_EMAIL)
    page.goto(page.base_url + "/aidants-numeriques/mon-espace/")
    offer = HelpOffer.objects.get()
    card = page.locator(f"#my-offers li[data-offer='{offer.pk}']")
    assert "Acceptée" in card.inner_text()
    assert card.locator(".contact a").get_attribute("href") == f"mailto:{manager.email}"
    assert_accessible(page)


def test_helper_signs_up(browser_page):
    user = builders.make_user("alex")
    page = browser_page
    log_in(page, user.email)
    page.goto(page.base_url + "/aidants-numeriques/")
    page.locator("#signup-link").click()
    page.fill("input[name=display_name]", "Alex")
    page.check("input[name=skills][value=site-web]")
    page.get_by_label("Villeurbanne").check()
    page.check("input[name=availability][value=hours-week]")
    page.check("input[name=consent]")
    page.get_by_role("button", name="Enregistrer mon profil").click()
    page.wait_for_url("**/aidants-numeriques/mon-espace/")
    assert "En attente de validation" in page.locator("#profile-status").inner_text()
    profile = HelperProfile.objects.get(user=user)
    assert [a.slug for a in profile.areas.all()] == ["villeurbanne"]
