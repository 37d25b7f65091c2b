"""iCalendar out: the .ics of an event, a listing and the filtered agenda round-trip through
`icalendar`, and `recurring-ical-events` expands them to the dates the site shows."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from django.urls import reverse

from directory.agenda import services
from tests import builders

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
YEAR = (datetime.datetime(2027, 1, 1, tzinfo=PARIS), datetime.datetime(2028, 1, 1, tzinfo=PARIS))


def at(year, month, day, hour=14):
    return datetime.datetime(year, month, day, hour, tzinfo=PARIS)


@pytest.fixture
def listing():
    return builders.make_association(
        "Maison des solidarités", area_slug="lyon-3", categories=["distribution-alimentaire"]
    )


def read(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def expanded(calendar):
    """(start in Paris, status) of every instance in 2027, as a phone's calendar shows them."""
    return sorted(
        (component["DTSTART"].dt.astimezone(PARIS), str(component.get("STATUS", "CONFIRMED")))
        for component in recurring_ical_events.of(calendar).between(*YEAR)
    )


def test_a_monthly_permanence_round_trips_and_expands_as_on_the_site(client, listing):
    """The 3rd Monday of the month, public holidays skipped (17 May 2027 is Whit Monday), one
    date cancelled: RRULE + EXDATE + an override with STATUS:CANCELLED."""
    event = builders.make_event(
        listing, start=at(2027, 3, 15), recurrence="monthly", repeat_count=4, skip_holidays=True
    )
    services.occurrence_set_cancelled(event=event, user=None, day=datetime.date(2027, 4, 19), cancelled=True)
    event.refresh_from_db()
    calendar = read(client.get(reverse("directory:event_ics", args=[event.pk])))
    [timezone_] = calendar.walk("VTIMEZONE")
    assert str(timezone_["TZID"]) == "Europe/Paris"
    master, override = calendar.walk("VEVENT")
    assert str(master["UID"]) == f"{event.uid}@{e_host()}"
    assert master["RRULE"]["FREQ"] == ["MONTHLY"]
    assert master["RRULE"]["BYDAY"] == ["3MO"]
    assert master["RRULE"]["COUNT"] == [4]
    assert [d.dt for d in master["EXDATE"].dts] == [at(2027, 5, 17)]
    assert master["DTSTART"].params["TZID"] == "Europe/Paris"
    assert master["SEQUENCE"] == 1
    assert override["RECURRENCE-ID"].dt == at(2027, 4, 19)
    assert str(override["STATUS"]) == "CANCELLED"
    assert str(override["UID"]) == str(master["UID"])
    assert expanded(calendar) == [
        (at(2027, 3, 15), "CONFIRMED"),
        (at(2027, 4, 19), "CANCELLED"),
        (at(2027, 6, 21), "CONFIRMED"),
    ]
    site = [
        (row.starts_at.astimezone(PARIS), row.cancelled) for row in event.occurrences.order_by("starts_at")
    ]
    assert [(start, status == "CANCELLED") for start, status in expanded(calendar)] == site


def test_weekly_across_summer_time_keeps_the_hour(client, listing):
    event = builders.make_event(
        listing, start=at(2027, 3, 20, 10), recurrence="weekly", repeat_until=datetime.date(2027, 4, 3)
    )
    calendar = read(client.get(reverse("directory:event_ics", args=[event.pk])))
    starts = [start for start, _status in expanded(calendar)]
    assert starts == [at(2027, 3, 20, 10), at(2027, 3, 27, 10), at(2027, 4, 3, 10)]
    # Summer time starts on Sunday 28 March 2027.
    assert [start.utcoffset() for start in starts] == [
        datetime.timedelta(hours=1),
        datetime.timedelta(hours=1),
        datetime.timedelta(hours=2),
    ]


def test_uid_is_stable_and_sequence_grows_with_changes(client, listing):
    event = builders.make_event(listing, start=at(2027, 5, 1))
    url = reverse("directory:event_ics", args=[event.pk])
    first = read(client.get(url)).walk("VEVENT")[0]
    values = {name: getattr(event, name) for name in services.EVENT_FIELDS}
    services.event_update(event=event, user=None, values={**values, "title": "Nouveau titre"})
    second = read(client.get(url)).walk("VEVENT")[0]
    assert second["UID"] == first["UID"]
    assert (first["SEQUENCE"], second["SEQUENCE"]) == (0, 1)
    assert str(second["SUMMARY"]) == "Nouveau titre"


def test_an_imported_event_goes_out_with_its_dates(client, listing):
    event = builders.make_event(listing, start=at(2027, 1, 5))
    dates = [at(2027, 1, 5).isoformat(), at(2027, 3, 2, 15).isoformat(), at(2027, 4, 6).isoformat()]
    event.imported_dates = dates
    event.cancelled_dates = ["2027-04-06"]
    event.save()
    services.occurrences_write(event)
    calendar = read(client.get(reverse("directory:event_ics", args=[event.pk])))
    assert expanded(calendar) == [
        (at(2027, 1, 5), "CONFIRMED"),
        (at(2027, 3, 2, 15), "CONFIRMED"),
        (at(2027, 4, 6), "CANCELLED"),
    ]


def test_listing_and_site_calendars(client, listing):
    mine = builders.make_event(listing, title="Chez nous", start=at(2027, 5, 1))
    withdrawn = builders.make_event(listing, title="Retiré", start=at(2027, 5, 2))
    services.event_archive(event=withdrawn, user=None)
    other = builders.make_association(
        "Club de Villeurbanne", area_slug="villeurbanne", categories=["football"]
    )
    builders.make_event(other, title="Tournoi", start=at(2027, 5, 3))
    calendar = read(client.get(reverse("directory:association_ics", args=[listing.slug])))
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Chez nous"]
    assert str(calendar["X-WR-CALNAME"]) == "Maison des solidarités : agenda"
    everything = read(client.get("/agenda.ics"))
    assert sorted(str(e["SUMMARY"]) for e in everything.walk("VEVENT")) == ["Chez nous", "Tournoi"]
    sport = read(client.get("/agenda.ics", {"categorie": "sport", "quand": "aujourdhui"}))
    assert [str(e["SUMMARY"]) for e in sport.walk("VEVENT")] == ["Tournoi"]
    in_lyon = read(client.get("/agenda.ics", {"territoire": "lyon"}))
    assert [str(e["UID"]) for e in in_lyon.walk("VEVENT")] == [f"{mine.uid}@{e_host()}"]
    broken = client.get("/agenda.ics", {"territoire": "atlantide"})  # ignored, as on /agenda/
    assert len(read(broken).walk("VEVENT")) == 2


def e_host():
    from urllib.parse import urlsplit

    from django.conf import settings

    return urlsplit(settings.SITE_URL).hostname


def test_subscribe_links_on_the_agenda(client, listing):
    builders.make_event(listing, start=at(2027, 5, 1))
    page = builders.soup(client.get("/agenda/", {"categorie": "alimentation", "quand": "semaine"}))
    webcal = page.select_one("#agenda-webcal")["href"]
    assert webcal.startswith("webcal://")
    assert webcal.endswith("/agenda.ics?categorie=alimentation")
    assert page.select_one("#agenda-ics")["href"].startswith("http")
