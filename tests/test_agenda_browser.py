"""The agenda in a real browser: browsing and filtering /agenda/ without JavaScript's help,
subscribing to its calendar (the .ics link is there and downloads a calendar), adding one event
to one's calendar, and axe-core on every new page (public pages, their error states, the print
view, the embed, an event's report form, the managers' pages)."""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.utils import timezone

from tests import builders
from tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.sqlite_pass]

PARIS = ZoneInfo("Europe/Paris")


def soon(days, hour=14):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=PARIS)


@pytest.fixture
def agenda(reference_data):
    food = builders.make_association(
        "Épicerie solidaire des Pentes", categories=["epicerie-solidaire"], area_slug="lyon-1"
    )
    builders.make_manager(food, "gestionnaire-agenda")
    sport = builders.make_association(
        "Club de Villeurbanne", categories=["football"], area_slug="villeurbanne"
    )
    permanence = builders.make_event(
        food, title="Permanence d'accès aux droits", start=soon(2), recurrence="weekly", repeat_count=6
    )
    builders.make_event(sport, title="Tournoi des familles", start=soon(5), is_free=False)
    return {"food": food, "permanence": permanence}


@pytest.mark.parametrize("browser_page", ["phone"], indirect=True)
def test_browse_filter_and_subscribe(browser_page, agenda):
    page = browser_page
    page.goto(page.base_url + "/")
    assert page.locator(".site-nav a[href='/agenda/']").count() == 1
    page.goto(page.base_url + "/agenda/")
    assert page.locator("#agenda > li").count() == 7  # 6 dates of the permanence, the tournament
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)

    page.select_option("#id_territoire", "villeurbanne")
    page.locator("#agenda-filters button[type=submit]").click()
    page.wait_for_load_state()
    assert "territoire=villeurbanne" in page.url
    assert page.locator("#agenda > li h3").all_inner_texts() == ["Tournoi des familles"]

    # Subscribing: a webcal:// link for phones, and the same calendar over https.
    webcal = page.locator("#agenda-webcal").get_attribute("href")
    ics_url = page.locator("#agenda-ics").get_attribute("href")
    assert webcal.startswith("webcal://")
    assert webcal.split("://", 1)[1] == ics_url.split("://", 1)[1]
    assert ics_url.endswith("/agenda.ics?territoire=villeurbanne")
    response = page.request.get(page.base_url + "/agenda.ics?territoire=villeurbanne")
    assert response.ok
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.body())
    assert [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")] == ["Tournoi des familles"]

    page.goto(page.base_url + "/agenda/?quand=demain&du=2027-13-01")  # explained, never a 500
    assert page.locator("#agenda-notices li").count() == 2
    assert_accessible(page)


@pytest.mark.parametrize("browser_page", ["phone"], indirect=True)
def test_an_event_added_to_my_calendar_and_the_other_new_pages(browser_page, agenda):
    page = browser_page
    event = agenda["permanence"]
    page.goto(page.base_url + agenda["food"].get_absolute_url())
    assert page.locator("#next-events > li").count() == 5
    page.locator("#next-events a", has_text="Permanence").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Permanence d'accès aux droits"
    assert page.locator("#event-dates li").count() == 6
    assert_accessible(page)
    with page.expect_download() as download:
        page.locator("#event-ics").click()
    body = Path(download.value.path()).read_bytes()
    [vevent] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert vevent["RRULE"]["COUNT"] == [6]

    for path in ("/agenda/imprimer/", f"/agenda/{event.pk}/signaler/", "/integrer/agenda/?nombre=3"):
        page.goto(page.base_url + path)
        assert page.locator("h1").count() == 1, path
        assert_accessible(page, context=path)


@pytest.mark.parametrize("browser_page", ["phone"], indirect=True)
def test_the_managers_pages_are_accessible(browser_page, agenda):
    from tests.test_editor_browser import log_in

    page = browser_page
    log_in(page, "gestionnaire-agenda@example.org")
    base = f"{page.base_url}/espace-association/{agenda['food'].slug}/agenda/"
    page.goto(base)
    assert page.locator("#agenda-events li").count() == 1
    assert_accessible(page)
    page.goto(f"{base}{agenda['permanence'].pk}/modifier/")
    assert_accessible(page)
    page.locator("#event-dates button").first.click()  # cancel the first date
    page.wait_for_load_state()
    assert page.locator("#event-dates strong", has_text="Annulé").count() == 1
    # The publish form sent empty: its errors are announced and accessible too.
    page.goto(base)
    page.locator("form.editor-form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator(".error-summary, #form-errors").count() >= 1
    assert_accessible(page)
