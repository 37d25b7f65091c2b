"""Browser journeys of the association space (Chromium); axe-core on its forms is in
tests/test_accessibility_browser.py."""

import re

import pytest
from django.core import mail

from directory.models import Association, PendingChange
from tests import builders

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_pass]


def last_link(to):
    message = [m for m in mail.outbox if to in m.to][-1]
    return re.search(r"https?://\S+", message.body).group(0).split("://", 1)[1].split("/", 1)[1]


def log_in(page, email, password="pass-word-123"):
    page.goto(page.base_url + "/compte/connexion/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def log_out(page):
    """The header's log-out button (a POST form), or the cookies when the menu is folded."""
    button = page.locator(".site-nav form button")
    if button.is_visible():
        button.click()
        page.wait_for_load_state()
    else:
        page.context.clear_cookies()


def approve_in_admin(page, association_name):
    page.goto(page.base_url + "/admin/directory/pendingchange/?status__exact=pending")
    row = page.locator("#result_list tbody tr", has_text=association_name)
    row.locator("input.action-select").check()
    page.select_option("select[name=action]", "approve")
    page.locator("button[name=index], input[name=index]").first.click()
    page.wait_for_load_state()


def test_sign_up_add_an_association_approved_then_found(browser_page, tmp_path, settings):
    """The add flow keeps `next` through sign-up and verification, and the logo across an error."""
    settings.HUMAN_MIN_SECONDS = 0  # the robot-speed check of public forms: Playwright types fast
    page = browser_page
    logo = tmp_path / "logo.png"
    logo.write_bytes(builders.image_bytes("PNG", (320, 200)))
    photo = tmp_path / "salle.jpg"
    photo.write_bytes(builders.image_bytes())
    builders.make_moderator()

    page.goto(page.base_url + "/espace-association/ajouter/")  # the header's "Ajouter une association"
    assert page.locator("#why-account").is_visible()
    page.locator("#signup-link").click()
    page.fill("input[name=email]", "benevole@example.org")
    page.fill("input[name=password1]", "Un-mot-de-passe-solide-42")
    page.fill("input[name=password2]", "Un-mot-de-passe-solide-42")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/compte/inscription/envoyee/")

    page.goto(page.base_url + "/" + last_link("benevole@example.org"))
    page.fill("input[name=password]", "Un-mot-de-passe-solide-42")
    page.get_by_role("button", name="Activer mon compte").click()
    page.wait_for_url("**/espace-association/ajouter/")  # where they were going, not the dashboard

    page.get_by_role("button", name="Commencer").click()
    page.wait_for_url("**/identite/")
    page.fill("input[name=listing-name]", "Les Amis du Jardin partagé")
    page.fill(
        "textarea[name=listing-short_description]", "Un jardin partagé ouvert aux habitants du quartier."
    )
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.wait_for_url("**/offre/")
    if page.locator(".choice-filter").count():  # JavaScript on: the filter opens the group
        page.locator(".choice-filter").first.fill("épicerie")
    else:
        page.locator(".choice-group summary", has_text="Alimentation").click()
    page.check("input[name=listing-categories][value=epicerie-solidaire]")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.wait_for_url("**/lieux/")
    page.fill("input[name=places-0-address]", "12 rue Paul Bert")
    page.fill("input[name=places-0-postcode]", "69003")  # the commune follows
    page.fill("input[name=places-0-hours_2]", "14h-18h")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.wait_for_url("**/contact/")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.wait_for_url("**/photos/")
    page.set_input_files("input[name=listing-logo]", str(logo))
    page.set_input_files("input[name=photos-0-image]", str(photo))  # and no description: refused
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.wait_for_load_state()
    assert "Décrivez la photo en quelques mots." in page.locator(".error-summary").inner_text()
    assert "Logo choisi : logo.png" in page.locator("#kept-logo").inner_text()
    page.fill("input[name=photos-0-alt]", "La salle du jardin")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.wait_for_url("**/relire/")
    assert page.locator("#review-logo").inner_text() == "logo.png"
    page.get_by_role("button", name="Envoyer la fiche aux modérateurs").click()
    page.wait_for_url("**/espace-association/les-amis-du-jardin-partage/")
    assert "En attente de validation" in page.locator("main").inner_text()
    association = Association.objects.get(name="Les Amis du Jardin partagé")
    assert association.places.get().area.slug == "lyon-3"
    log_out(page)

    log_in(page, "moderatrice@example.org")
    approve_in_admin(page, "Les Amis du Jardin partagé")
    association.refresh_from_db()
    assert association.status == Association.Status.PUBLISHED
    log_out(page)

    page.goto(page.base_url + "/associations/?q=jardin+partage")
    page.locator("#results > li").get_by_role("link", name="Les Amis du Jardin partagé").click()
    assert page.locator("h1").inner_text() == "Les Amis du Jardin partagé"
    assert page.locator("img.listing__logo").count() == 1
    assert "Mercredi" in page.locator("main").inner_text()


def test_claim_by_code(browser_page):
    page = browser_page
    listing = builders.make_association(
        "Épicerie solidaire des Pentes", email="contact@pentes.example", rna="W691000002"
    )
    builders.make_user("claire", email="claire@example.org")
    log_in(page, "claire@example.org")
    page.goto(page.base_url + listing.get_absolute_url())
    page.get_by_role("link", name="Revendiquer cette fiche").click()
    page.fill("input[name=rna]", "W691000002")
    page.get_by_role("button", name="Recevoir le code").click()
    page.wait_for_url("**/revendiquer/code/")
    code = re.search(
        r"\b(\d{6})\b", [m for m in mail.outbox if "contact@pentes.example" in m.to][-1].body
    ).group(1)
    page.fill("input[name=code]", code)
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(f"**/espace-association/{listing.slug}/")
    assert "claire@example.org" in page.locator("#managers").inner_text()


def test_edit_pending_then_approved_then_public(browser_page):
    page = browser_page
    listing = builders.make_association(
        "Club de lecture de Vaise", area_slug="lyon-9", categories=["epicerie-solidaire"]
    )
    builders.make_manager(listing, "lectrice")
    builders.make_moderator()
    log_in(page, "lectrice@example.org")
    page.goto(page.base_url + f"/espace-association/{listing.slug}/modifier/tout/")
    page.fill("input[name=listing-phone]", "04 78 12 34 56")
    page.get_by_role("button", name="Envoyer pour validation").click()
    page.wait_for_url(f"**/espace-association/{listing.slug}/")
    assert "En attente de validation" in page.locator("main").inner_text()
    page.goto(page.base_url + listing.get_absolute_url())
    assert "04 78 12 34 56" not in page.locator("main").inner_text()
    log_out(page)
    log_in(page, "moderatrice@example.org")
    approve_in_admin(page, "Club de lecture de Vaise")
    assert PendingChange.objects.get(association=listing).status == PendingChange.Status.APPROVED
    page.goto(page.base_url + listing.get_absolute_url())
    assert "04 78 12 34 56" in page.locator("main").inner_text()
