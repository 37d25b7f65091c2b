"""End to end in Chromium: a resident reports a problem, a moderator resolves it in the admin."""

import pytest
from django.core.cache import cache

from directory.models import Report
from tests import builders

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_pass]


@pytest.fixture
def listing(reference_data):
    cache.clear()
    return builders.make_association(
        "Épicerie solidaire de Gerland", area_slug="lyon-7", categories=["epicerie-solidaire"]
    )


def test_a_public_report_through_to_its_resolution(browser_page, listing, settings):
    settings.HUMAN_MIN_SECONDS = 0  # the robot-speed check of public forms
    page = browser_page
    page.goto(page.base_url + listing.get_absolute_url())
    page.locator("a#report-link").click()
    page.wait_for_url(f"**/associations/{listing.slug}/signaler/")
    page.get_by_label("Les horaires sont faux").check()
    page.get_by_label("Précisez").fill("L'épicerie est fermée le lundi désormais.")
    page.get_by_role("button", name="Envoyer le signalement").click()
    page.wait_for_url("**/signaler/merci/")
    assert page.locator("h1").inner_text() == "Merci pour votre signalement"
    report = Report.objects.get()
    assert report.status == Report.Status.NEW

    moderator = builders.make_moderator("moderatrice-navigateur")
    page.goto(page.base_url + "/admin/moderation/")
    page.wait_for_url("**/admin/login/**")
    page.locator("#id_username").fill(moderator.username)
    page.locator("#id_password").fill("pass-word-123")
    page.locator("input[type=submit], button[type=submit]").first.click()
    page.wait_for_url("**/admin/moderation/")
    row = page.locator(f"#moderation-queue tr[data-kind=report][data-id='{report.pk}']")
    assert "Épicerie solidaire de Gerland" in row.inner_text()
    row.get_by_role("link").click()
    page.wait_for_url(f"**/admin/moderation/signalements/{report.pk}/")
    assert "fermée le lundi" in page.locator("#report-facts").inner_text()
    page.locator("#resolve-note").fill("Horaires corrigés sur la fiche.")
    page.locator("button#resolve").click()
    page.wait_for_url("**/admin/moderation/")
    assert "Signalement résolu." in page.locator(".messagelist").inner_text()
    assert page.locator(f"#moderation-queue tr[data-kind=report][data-id='{report.pk}']").count() == 0
    report.refresh_from_db()
    assert (report.status, report.resolution_note) == ("resolved", "Horaires corrigés sur la fiche.")
