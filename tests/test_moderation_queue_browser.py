"""The moderation queue and a review in Chromium: usable at 360 px (the queue's table reflows
into cards, no horizontal scroll), axe-core clean, and a stuck pending listing decided from the
queue with "Corriger puis publier"."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from directory.models import Association, PendingChange, Place, Report
from tests import builders
from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_pass]


@pytest.fixture
def waiting(reference_data):
    cache.clear()
    now = timezone.now()
    listing = builders.make_association(
        "Association intercommunale d'entraide alimentaire et de solidarité des quartiers Est",
        area_slug="lyon-3",
    )
    report = builders.make_report(listing)
    Report.objects.filter(pk=report.pk).update(created_at=now - timedelta(days=9))
    manager = builders.make_manager(listing, "gestionnaire-est")
    builders.propose_edit(listing, manager, phone="04 78 00 00 00")
    builders.propose_new_listing(builders.make_user("fondatrice"), "Jardin partagé Paul Bert")
    stuck = builders.make_association("Vestiaire solidaire Bellecour", area_slug="lyon-2")
    Association.objects.filter(pk=stuck.pk).update(status=Association.Status.PENDING)
    Place.objects.filter(association=stuck).update(lat=None, lon=None)  # an address never located
    stale = builders.make_association("Amicale laïque Montchat", area_slug="lyon-3")
    Association.objects.filter(pk=stale.pk).update(last_verified_at=(now - timedelta(days=400)).date())
    return {"stuck": stuck}


def log_in(page, next_path):
    moderator = builders.make_moderator(
        "moderatrice-navigateur"
    )  # (the group is flushed with the live server)
    page.goto(page.base_url + next_path)
    page.wait_for_url("**/admin/login/**")
    page.locator("#id_username").fill(moderator.username)
    page.locator("#id_password").fill("pass-word-123")
    page.locator("input[type=submit], button[type=submit]").first.click()
    page.wait_for_url("**" + next_path)


def horizontal_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_the_queue_at_360_px_has_no_horizontal_scroll_and_reads_as_cards(make_browser_page, waiting):
    page = make_browser_page("phone")
    log_in(page, "/admin/moderation/")
    rows = page.locator("#moderation-queue tbody tr")
    assert rows.count() == 5
    assert horizontal_overflow(page) <= 0
    assert rows.first.get_attribute("data-kind") == "new_listing"
    assert rows.first.evaluate("tr => getComputedStyle(tr).display") == "block"  # a card
    box = rows.first.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 360
    age = page.locator("#moderation-queue tr[data-kind=report] .queue-age")
    label = age.evaluate("td => getComputedStyle(td, '::before').content")
    assert "Attend depuis" in label  # the label written before the value
    assert "9 jours" in age.inner_text()
    assert_accessible(page, context="queue at 360 px")


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_a_stuck_listing_corrected_then_published_from_the_queue(make_browser_page, waiting, width):
    page = make_browser_page(width)
    log_in(page, "/admin/moderation/")
    assert_accessible(page, context=f"queue ({width})")
    stuck = waiting["stuck"]
    page.locator(f"#moderation-queue tr[data-kind=new_listing][data-id='{stuck.pk}'] th a").click()
    page.wait_for_url("**/admin/moderation/modifications/*/")
    assert page.locator("#proposal").is_visible()
    assert page.locator("#no-position").is_visible()
    assert horizontal_overflow(page) <= 0
    assert_accessible(page, context=f"new listing review ({width})")
    # The decision bar stays in view at the end of a long proposal.
    page.mouse.wheel(0, 5000)
    page.wait_for_timeout(100)
    bar = page.locator("#decision-bar").bounding_box()
    assert 0 <= bar["y"] < 10
    page.locator("#correct-link").click()
    page.wait_for_url("**/corriger/")
    assert_accessible(page, context=f"correction form ({width})")
    page.locator("#id_name").fill("Vestiaire solidaire de Bellecour")
    page.locator("#id_place1_lat").fill("45.7578")
    page.locator("#id_place1_lon").fill("4.8320")
    page.locator("#correct-publish").click()
    page.wait_for_url("**/admin/moderation/")
    assert "corrigée et publiée" in page.locator(".messagelist").inner_text()
    stuck.refresh_from_db()
    assert (stuck.status, stuck.name) == (Association.Status.PUBLISHED, "Vestiaire solidaire de Bellecour")
    assert PendingChange.objects.get(association=stuck).status == PendingChange.Status.APPROVED
    assert stuck.places.get().lat == 45.7578


def test_the_admin_index_menu_and_dashboard_are_accessible(make_browser_page, waiting):
    page = make_browser_page("phone")
    log_in(page, "/admin/")
    assert page.locator("#content-main .app-moderation").is_visible()
    assert horizontal_overflow(page) <= 0
    assert_accessible(page, context="admin index at 360 px")
    page.goto(page.base_url + "/admin/moderation/tableau-de-bord/")
    assert_accessible(page, context="moderation dashboard at 360 px")
