"""Made for the phone, in Chromium at 360 px: keep two listings, read them again offline (the
service worker), hand the list over by link to a fresh browser, and the same without JavaScript.
axe-core checks each new page."""

import re

import pytest

from tests import builders
from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_pass]


@pytest.fixture
def two_listings(reference_data, settings):
    settings.MAP_TILE_URL = "/static/no-tiles/{z}/{x}/{y}.png"  # never fetch real tiles in tests
    first = builders.make_association(
        "Épicerie solidaire des Pentes",
        area_slug="lyon-1",
        categories=["epicerie-solidaire"],
        phone="04 72 00 00 01",
    )
    second = builders.make_association(
        "Club de foot de Gerland", area_slug="lyon-7", categories=["football"], phone="04 72 00 00 02"
    )
    builders.make_association("Chorale de Vaise", area_slug="lyon-9")
    return first, second


def wait_for_service_worker(page):
    """Until the service worker controls the page (it claims it when it activates)."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", polling=200)


def list_names(page):
    return [name.strip() for name in page.locator(".my-list__name a").all_inner_texts()]


def test_keep_two_listings_and_read_them_offline(make_browser_page, two_listings):
    page = make_browser_page("phone", service_workers="allow")
    first, second = two_listings
    page.goto(page.base_url + "/associations/?q=solidaire+foot+chorale")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")  # registered by offline.js
    page.goto(page.base_url + "/associations/")
    wait_for_service_worker(page)
    for listing in two_listings:
        card = page.locator("#results > li", has=page.get_by_role("link", name=listing.name, exact=True))
        keep = card.locator("button[data-keep]")
        assert keep.get_attribute("aria-pressed") == "false"
        keep.click()
        assert keep.get_attribute("aria-pressed") == "true"
        assert listing.name in page.locator("#keep-status").inner_text()
    assert_accessible(page, context="results with kept listings")

    # Open both listings (with the connection): the service worker keeps them.
    for listing in two_listings:
        page.goto(page.base_url + listing.get_absolute_url())
        assert page.locator("h1").inner_text() == listing.name
        assert page.locator(".listing__actions button[data-keep]").get_attribute("aria-pressed") == "true"
        assert page.locator("[data-offline-notice]").is_hidden()
    assert_accessible(page, context="listing page")
    page.goto(page.base_url + "/ma-liste/")
    assert list_names(page) == [first.name, second.name]
    assert page.locator("#list-url").input_value().endswith(f"/ma-liste/?f={first.slug},{second.slug}")
    assert_accessible(page, context="my list")
    page.goto(page.base_url + "/hors-connexion/")
    page.wait_for_selector("#offline-kept:not([hidden])")
    assert_accessible(page, context="offline page")

    page.context.set_offline(True)
    for listing in two_listings:
        page.goto(page.base_url + listing.get_absolute_url())
        assert page.locator("h1").inner_text() == listing.name
        notice = page.locator("[data-offline-notice]")
        assert notice.is_visible()
        assert re.match(r"Hors connexion : fiche enregistrée le \d{1,2} \w+ \d{4}", notice.inner_text())
        assert listing.phone in page.locator("#call").inner_text()
    page.goto(page.base_url + "/ma-liste/")
    assert list_names(page) == [first.name, second.name]  # drawn from the phone's storage
    page.goto(page.base_url + "/a-propos/")  # never opened: the offline page answers
    assert page.locator("h1").inner_text() == "Hors connexion"
    kept = page.locator("#offline-kept [data-kept-pages] a").all_inner_texts()
    assert any(first.name in title for title in kept)
    assert any(second.name in title for title in kept)
    page.context.set_offline(False)

    # Removing one from "Ma liste".
    page.goto(page.base_url + "/ma-liste/")
    page.get_by_role("button", name=f"Retirer : {first.name}").click()
    assert list_names(page) == [second.name]


@pytest.mark.parametrize("browser_page", ["phone"], indirect=True)
def test_the_shared_list_link_opens_in_a_fresh_browser(browser_page, make_browser_page, two_listings):
    first, second = two_listings
    link = f"/ma-liste/?f={second.slug},{first.slug}"
    fresh = make_browser_page("phone")
    fresh.goto(fresh.base_url + link)
    assert list_names(fresh) == [second.name, first.name]
    assert_accessible(fresh, context="a list received by link")
    fresh.get_by_role("button", name="Garder toute la liste dans ce téléphone").click()
    fresh.goto(fresh.base_url + "/ma-liste/")
    assert list_names(fresh) == [second.name, first.name]
    # The sender's own list is not touched: nothing goes through the server.
    browser_page.goto(browser_page.base_url + "/ma-liste/")
    assert list_names(browser_page) == []
    assert browser_page.locator("[data-when-empty]").is_visible()


def test_without_javascript_the_list_is_built_as_a_link(make_browser_page, two_listings):
    first, second = two_listings
    page = make_browser_page("phone", javascript=False)
    page.goto(page.base_url + first.get_absolute_url())
    page.locator(".listing__actions a[data-keep]").click()
    page.wait_for_url(f"**/ma-liste/?f={first.slug}")
    page.get_by_label("Adresse de la fiche").fill(page.base_url + second.get_absolute_url())
    page.get_by_role("button", name="Ajouter", exact=True).click()
    page.wait_for_url(f"**/ma-liste/?f={first.slug},{second.slug}")
    assert list_names(page) == [first.name, second.name]
    page.goto(page.base_url + "/ma-liste/")
    assert "Ce navigateur ne peut pas garder la liste" in page.locator("main").inner_text()


def test_the_service_worker_works_under_the_content_security_policy(chromium, live_server, two_listings):
    """The other browser tests bypass the CSP (axe-core is injected); this one keeps it: the
    worker registers, keeps a listing and answers offline, with no CSP violation."""
    from tests.browser import PHONE

    first, _second = two_listings
    context = chromium.new_context(viewport=PHONE, locale="fr-FR", service_workers="allow")
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        violations = []
        page.on(
            "console",
            lambda message: violations.append(message.text) if "Content Security" in message.text else None,
        )
        page.goto(live_server.url + first.get_absolute_url())
        page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
        page.reload()
        wait_for_service_worker(page)
        context.set_offline(True)
        page.goto(live_server.url + first.get_absolute_url())
        assert page.locator("[data-offline-notice]").is_visible()
        assert violations == []
    finally:
        context.close()


@pytest.mark.parametrize("count", [12, 30])
def test_my_list_prints_on_one_page(make_browser_page, reference_data, count):
    """A list handed over to someone fits on one A4 sheet, up to the most a list holds."""
    from directory.models import Association

    listings = builders.make_sample_listings(count)
    Association.objects.update(phone="04 78 00 00 00")  # one more line each
    page = make_browser_page("desktop")
    page.goto(page.base_url + "/ma-liste/?f=" + ",".join(listing.slug for listing in listings))
    assert len(list_names(page)) == count
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
