"""Hostile input on the agenda: any query string on its pages, files and embed answers without a
500, and what managers or imported calendars write arrives escaped in every format."""

import json

import icalendar
import pytest
from django.core.cache import cache
from hypothesis import given
from hypothesis import strategies as st

from directory.agenda import importer
from tests import builders
from tests.test_agenda import soon
from tests.test_hostile_input import ATTR, XSS, assert_escaped, values

PATHS = ["/agenda/", "/agenda.ics", "/agenda/imprimer/", "/integrer/agenda/", "/flux/agenda.atom"]
PARAMS = ["categorie", "territoire", "public", "quand", "du", "au", "page", "nombre"]


@pytest.fixture
def site(db, settings):
    settings.RATE_LIMITS_ENABLED = False
    cache.clear()
    listing = builders.make_association("Épicerie solidaire", categories=["epicerie-solidaire"])
    return builders.make_event(listing, start=soon(2), recurrence="weekly", repeat_count=3)


@given(path=st.sampled_from(PATHS), params=st.dictionaries(st.sampled_from(PARAMS), values, max_size=5))
def test_query_parameters_never_cause_a_500(client, site, path, params):
    response = client.get(path, params)
    assert response.status_code == 200, (path, params, response.status_code)


@pytest.fixture
def payload_event(db, settings):
    settings.RATE_LIMITS_ENABLED = False
    cache.clear()
    listing = builders.make_association(f"Asso {XSS}", categories=["epicerie-solidaire"])
    return builders.make_event(
        listing,
        title=f"Atelier {XSS}",
        description=f"Description {ATTR} {XSS}",
        address=f"Rue {XSS}",
        place=None,
        start=soon(2),
    )


def test_pages_escape_what_managers_write(client, payload_event):
    for url in (
        "/agenda/",
        payload_event.get_absolute_url(),
        payload_event.association.get_absolute_url(),
        "/agenda/imprimer/",
        "/integrer/agenda/",
        f"/agenda/{payload_event.pk}/signaler/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_escaped(response.content.decode())
    page = builders.soup(client.get(payload_event.get_absolute_url()))
    [block] = page.find_all("script", type="application/ld+json")
    assert json.loads(block.string)["name"] == f"Atelier {XSS}"
    feed = client.get("/flux/agenda.atom").content.decode()
    assert XSS not in feed


def test_the_ics_keeps_the_payload_as_text(client, payload_event):
    body = client.get(f"/agenda/{payload_event.pk}/agenda.ics").content
    [event] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(event["SUMMARY"]) == f"Atelier {XSS}"
    assert str(event["LOCATION"]) == f"Rue {XSS}"


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"BEGIN:VCALENDAR",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:nonsense\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20270101T100000Z\r\nRRULE:FREQ=SECONDLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        "é".encode("latin-1") * 100,
        b"\x00\xff" * 1000,
    ],
)
def test_a_broken_calendar_is_an_error_for_the_managers_never_a_crash(body):
    try:
        events = importer.parse(body)
    except importer.CalendarError:
        return
    assert all(len(parsed.dates) <= importer.MAX_DATES for parsed in events.values())
