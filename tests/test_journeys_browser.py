"""The main journeys in Chromium at a phone (360 px) and a desktop (1280 px) width, with
JavaScript on and off: every one must work without JavaScript, which only enhances.

Search from the home page to a listing's hours and contact; narrow with the facets and the
filters; page through results; report a problem; sign up and log in; "Près de moi" and the
suggestions, which need JavaScript, are absent without it and the form still works.
"""

import pytest
from django.core import mail

from directory.models import Report
from tests import builders
from tests.browser import open_menu

pytestmark = [pytest.mark.browser]

VARIANTS = [("phone", True), ("phone", False), ("desktop", True), ("desktop", False)]


@pytest.fixture(params=VARIANTS, ids=[f"{w}-{'js' if js else 'nojs'}" for w, js in VARIANTS])
def page(request, make_browser_page, settings):
    settings.MAP_TILE_URL = "/static/no-tiles/{z}/{x}/{y}.png"  # never fetch real tiles in tests
    settings.HUMAN_MIN_SECONDS = 0  # the public forms' minimum time: a test types fast
    width, javascript = request.param
    page = make_browser_page(width, javascript=javascript)
    page.route("**/media/**", lambda route: route.abort())  # photos are not served in tests
    return page


def assert_fits_the_screen(page):
    """Nothing wider than the viewport: no sideways scrolling on a 360 px phone."""
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), page.url


def result_names(page):
    return page.locator("#results > li .card__title a").all_text_contents()


def submit(page, form):
    """Send a form with its submit button and wait for the next page."""
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").first.click()


def test_search_from_home_to_a_listing(page):
    listing = builders.make_rich_listing()
    builders.make_sample_listings(3)
    page.goto(page.base_url + "/")
    assert_fits_the_screen(page)
    page.locator("#search-q").fill("solidarités")
    page.locator("#search-territoire").select_option("lyon-7")
    submit(page, "form.search-form")
    assert "q=solidarit" in page.url
    assert "territoire=lyon-7" in page.url
    assert result_names(page) == [listing.name]
    assert_fits_the_screen(page)

    with page.expect_navigation():
        page.get_by_role("link", name=listing.name).click()
    assert page.locator("h1").text_content().strip() == listing.name
    assert_fits_the_screen(page)
    assert page.locator("table.hours").count() == 3
    monday = page.locator("table.hours").first.locator("tbody tr").first
    assert " ".join(monday.text_content().split()).startswith("Lundi")
    assert "09:00 – 12:00" in monday.text_content() or "9 h – 12 h" in monday.text_content()
    assert "10 rue de la République" in page.locator(".place__address").first.text_content()
    assert page.locator("a.contact__link[href^='tel:']").text_content() == "04 78 00 00 00"
    assert page.locator("a.contact__link[href^='mailto:']").is_visible()
    # The map is offered with JavaScript only, and costs nothing until asked for.
    assert page.locator("#map-toggle").is_visible() is page.javascript
    assert not page.locator("#map").is_visible()


def test_narrow_with_facets_and_filters_then_paginate(page):
    builders.make_sample_listings(24)
    page.goto(page.base_url + "/associations/")
    assert page.locator(".result-count").text_content().split()[0] == "24"
    assert len(result_names(page)) == 20

    # Pages: 20 then 4, and back.
    with page.expect_navigation():
        page.locator(".pagination a[rel=next]").click()
    assert "page=2" in page.url
    assert len(result_names(page)) == 4
    assert page.locator("#results").get_attribute("start") == "21"
    with page.expect_navigation():
        page.locator(".pagination a[rel=prev]").click()
    assert len(result_names(page)) == 20

    # A need, from the facets (6 of the 24 are distribution alimentaire).
    with page.expect_navigation():
        page.locator("#facet-needs + ul a", has_text="Alimentation").click()
    assert "categorie=alimentation" in page.url
    assert len(result_names(page)) == 6
    # Then a place, from the facets of what is left.
    place = page.locator("#facet-places + ul a").first
    place_name = place.locator(".facet__label").text_content().strip()
    expected = int(place.locator(".facet__count").text_content().split()[0])
    with page.expect_navigation():
        place.click()
    assert "territoire=" in page.url
    assert "categorie=alimentation" in page.url
    assert len(result_names(page)) == expected, place_name

    # Free and without appointment, from the form's extra criteria.
    page.goto(page.base_url + "/associations/")
    if not page.locator("#more-filters").evaluate("details => details.open"):
        page.locator("#more-filters summary").click()  # opened already on wide screens with JS
    page.locator("#id_gratuit").check()
    page.locator("#id_sans_rdv").check()
    submit(page, "form.filters")
    assert "gratuit=1" in page.url
    assert "sans_rdv=1" in page.url
    cards = page.locator("#results > li")
    assert 0 < cards.count() < 24
    for card in cards.all():
        badges = card.locator(".badge").all_text_contents()
        assert "Gratuit" in badges
        assert "Sans rendez-vous" in badges
    assert page.locator(".chips a.chip").count() >= 2  # each criterion can be removed
    assert_fits_the_screen(page)


def test_report_a_problem_on_a_listing(page):
    listing = builders.make_association(
        "Club de foot des Pentes", categories=["football"], area_slug="lyon-1"
    )
    page.goto(page.base_url + listing.get_absolute_url())
    with page.expect_navigation():
        page.locator("#report-link").click()
    assert page.locator("h1").text_content().strip() == "Signaler un problème"
    assert_fits_the_screen(page)
    page.get_by_label("Les horaires sont faux").check()
    page.locator("textarea[name=message]").fill("Fermé le mercredi depuis septembre.")
    submit(page, "form.form")
    assert page.locator("h1").text_content().strip() == "Merci pour votre signalement"
    report = Report.objects.get()
    assert (report.association, report.reason) == (listing, "hours")


def test_sign_up_and_log_in(page):
    page.goto(page.base_url + "/")
    open_menu(page)
    with page.expect_navigation():
        page.locator(".site-nav a", has_text="Se connecter").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Créer un compte").click()
    assert page.locator("h1").text_content().strip() == "Créer un compte"
    assert_fits_the_screen(page)
    page.locator("input[name=email]").fill("nouvelle@example.org")
    page.locator("input[name=password1]").fill("un-mot-de-passe-solide")
    page.locator("input[name=password2]").fill("un-mot-de-passe-solide")
    submit(page, "form.editor-form")
    assert page.locator("h1").text_content().strip() == "Vérifiez votre boîte e-mail"
    assert [message.to for message in mail.outbox] == [["nouvelle@example.org"]]

    builders.make_user("benevole", email="benevole@example.org")
    page.goto(page.base_url + "/compte/connexion/")
    page.locator("input[name=username]").fill("benevole@example.org")
    page.locator("input[name=password]").fill("pass-word-123")
    submit(page, "form.editor-form")
    assert page.url.endswith("/espace-association/")
    open_menu(page)
    assert page.locator(".site-nav button", has_text="Se déconnecter").is_visible()
    assert_fits_the_screen(page)


def test_near_me_and_suggestions_need_javascript_and_the_form_works_without(page):
    builders.make_sample_listings(8)
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 45.7485, "longitude": 4.8467})  # Lyon 7e
    page.goto(page.base_url + "/associations/")
    box = page.locator("#id_q")
    box.fill("devoirs")
    if page.javascript:
        page.locator("#id_q-listbox [role=option]").first.wait_for()
        assert box.get_attribute("aria-expanded") == "true"
        box.press("Escape")
    else:
        assert page.locator("[role=listbox]").count() == 0
        assert not page.locator("#near-me").is_visible()
    submit(page, "form.filters")
    assert "q=devoirs" in page.url
    assert len(result_names(page)) == 2  # 2 of the 8 sample listings help with homework

    if page.javascript:
        page.goto(page.base_url + "/associations/")
        with page.expect_navigation():
            page.locator("#near-me").click()
        assert "lat=45.7485" in page.url
        assert "lon=4.8467" in page.url
        assert "tri=distance" in page.url
        distances = page.locator(".card__distance").all_text_contents()
        assert distances
        assert all(text.startswith("à ") for text in distances)
    else:
        # Without JavaScript the same sort comes from a place: "Où ?" with "Trier par : Distance".
        page.locator("#more-filters summary").click()
        page.locator("#id_territoire").select_option("lyon-7")
        page.locator("#id_tri").select_option("distance")
        submit(page, "form.filters")
        assert "tri=distance" in page.url
        assert page.locator(".sorted-by").is_visible()
