"""iCalendar in: real-world-shaped calendars (Google, Nextcloud, Outlook, a WordPress events
plugin) read through a local fake HTTP server, the idempotent synchronisation by UID, the errors
kept for the managers, `manage.py import_calendars`, and the fetch's refusals (SSRF, size, time)."""

import datetime
import http.server
import socket
import threading
import time
from functools import partial
from io import StringIO
from pathlib import Path
from typing import ClassVar
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from directory.agenda import fetch, importer
from directory.models import AssociationChange, CalendarSource, Event
from tests import builders

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
SAMPLES = Path(__file__).parent / "fixtures" / "ics"
NOW = datetime.datetime(2027, 1, 1, 9, 0, tzinfo=datetime.UTC)  # the samples' dates are in 2027
LOCAL = ("127.0.0.1",)  # the fake server's address: the one exception to the address check


class FakeCalendarServer(http.server.ThreadingHTTPServer):
    daemon_threads = True


class Handler(http.server.BaseHTTPRequestHandler):
    bodies: ClassVar[dict] = {}  # path → bytes, set by the fixture and each test
    redirects: ClassVar[dict] = {}  # path → Location

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path in self.redirects:
            self.send_response(302)
            self.send_header("Location", self.redirects[self.path])
            self.end_headers()
            return
        if self.path == "/slow.ics":
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            self.end_headers()
            for _ in range(20):  # a byte every 0.2 s: never finishes within the deadline
                try:
                    self.wfile.write(b"B")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.2)
            return
        if self.path == "/huge.ics":
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            self.end_headers()  # no Content-Length: the limit must hold while reading
            chunk = b"X" * 65536
            try:
                for _ in range(40):  # 2.5 MB
                    self.wfile.write(chunk)
            except OSError:
                pass
            return
        if self.path == "/announced-huge.ics":
            self.send_response(200)
            self.send_header("Content-Length", str(3 * 1024 * 1024))
            self.end_headers()
            return
        body = self.bodies.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server():
    httpd = FakeCalendarServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Handler.bodies = {f"/{path.name}": path.read_bytes() for path in SAMPLES.glob("*.ics")}
    Handler.redirects = {}
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def local_fetch(url):
    return fetch.fetch_calendar(url, allowed_addresses=LOCAL)


def run_import(source, **kwargs):
    return importer.import_source(source, fetcher=local_fetch, now=NOW, **kwargs)


@pytest.fixture
def listing():
    return builders.make_association("Épicerie solidaire Paul Bert", area_slug="lyon-3")


def paris(event_or_row):
    return [row.starts_at.astimezone(PARIS) for row in event_or_row.occurrences.order_by("starts_at")]


# The four calendars --------------------------------------------------------------------------


def test_google_calendar_keeps_local_time_across_summer_time(server, listing):
    """Google writes times in UTC and gives the calendar's zone in X-WR-TIMEZONE: a Tuesday
    18 h permanence stays at 18 h (Paris) after the change to summer time on 28 March 2027."""
    source = CalendarSource.objects.create(association=listing, url=f"{server}/google.ics")
    summary, error = run_import(source)
    assert error == ""
    assert (summary.created, summary.updated, summary.cancelled) == (2, 0, 0)
    weekly = Event.objects.get(association=listing, title="Distribution du mardi soir")
    starts = paris(weekly)
    assert len(starts) == 15
    assert {start.time() for start in starts} == {datetime.time(18, 0)}
    assert starts[-1].date() == datetime.date(2027, 4, 13)
    assert starts[-1].utcoffset() == datetime.timedelta(hours=2)  # summer time
    assert weekly.address == "12 Rue Paul Bert, 69003 Lyon, France"
    assert weekly.description == "Distribution de colis, sur inscription.\nApportez un sac."
    assert weekly.area.slug == "lyon-3"  # the listing's place: filterable by area
    all_day = Event.objects.get(association=listing, title="Grande collecte au supermarché")
    assert paris(all_day) == [datetime.datetime(2027, 3, 20, 0, 0, tzinfo=PARIS)]


def test_nextcloud_recurrence_with_exdate_moved_and_cancelled_dates(server, listing):
    source = CalendarSource.objects.create(association=listing, url=f"{server}/nextcloud.ics")
    run_import(source)
    event = Event.objects.get(association=listing)
    rows = list(event.occurrences.order_by("starts_at"))
    assert [(row.starts_at.astimezone(PARIS), row.cancelled) for row in rows] == [
        (datetime.datetime(2027, 1, 5, 14, 0, tzinfo=PARIS), False),
        # 2 February: EXDATE, not there; 2 March: moved to 15 h
        (datetime.datetime(2027, 3, 2, 15, 0, tzinfo=PARIS), False),
        (datetime.datetime(2027, 4, 6, 14, 0, tzinfo=PARIS), True),  # STATUS:CANCELLED
        (datetime.datetime(2027, 5, 4, 14, 0, tzinfo=PARIS), False),
        (datetime.datetime(2027, 6, 1, 14, 0, tzinfo=PARIS), False),
    ]
    assert event.source == Event.Source.IMPORTED
    assert event.source_uid == "9d1e8f2a-3b4c-4d5e-8f90-a1b2c3d4e5f6"


def test_outlook_windows_time_zone_name(server, listing):
    source = CalendarSource.objects.create(association=listing, url=f"{server}/outlook.ics")
    run_import(source)
    event = Event.objects.get(association=listing)
    assert event.title == "Réunion des nouveaux bénévoles"
    assert paris(event) == [datetime.datetime(2027, 4, 10, 10, 0, tzinfo=PARIS)]


def test_wordpress_plugin_calendar(server, listing):
    source = CalendarSource.objects.create(association=listing, url=f"{server}/wordpress.ics")
    run_import(source)
    party = Event.objects.get(association=listing, title="Fête de quartier")
    assert party.registration_url == "https://maison-de-quartier.example.org/evenement/fete-de-quartier/"
    assert party.address == "Place Guichard, Place Guichard, Lyon, 69003, France"
    assert party.ends_at - party.starts_at == datetime.timedelta(hours=8)
    stay = Event.objects.get(association=listing, title="Séjour familles à la montagne")
    assert stay.registration_url == ""  # javascript: is not a link
    assert stay.starts_at.astimezone(PARIS).date() == datetime.date(2027, 7, 4)
    assert stay.ends_at.astimezone(PARIS).date() == datetime.date(2027, 7, 5)


# Idempotence, updates, cancellations, hand-typed events ---------------------------------------


def test_a_second_run_changes_nothing_and_an_update_bumps_the_sequence(server, listing):
    source = CalendarSource.objects.create(association=listing, url=f"{server}/nextcloud.ics")
    run_import(source)
    event = Event.objects.get(association=listing)
    logged = AssociationChange.objects.filter(association=listing, action="calendar_imported").count()
    summary, _error = run_import(source)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 1)
    assert Event.objects.get(pk=event.pk).sequence == event.sequence
    assert AssociationChange.objects.filter(association=listing, action="calendar_imported").count() == logged
    Handler.bodies["/nextcloud.ics"] = Handler.bodies["/nextcloud.ics"].replace(
        b"SUMMARY:Permanence d'acc\xc3\xa8s aux droits", b"SUMMARY:Permanence juridique"
    )
    summary, _error = run_import(source)
    assert summary.updated == 1
    event.refresh_from_db()
    assert event.title == "Permanence juridique"
    assert event.sequence == 1
    assert Event.objects.filter(association=listing).count() == 1


def test_an_event_gone_from_the_calendar_is_cancelled_and_comes_back(server, listing):
    source = CalendarSource.objects.create(association=listing, url=f"{server}/google.ics")
    run_import(source)
    Handler.bodies["/google.ics"] = Handler.bodies["/nextcloud.ics"]
    summary, _error = run_import(source)
    assert (summary.created, summary.cancelled) == (1, 2)
    weekly = Event.objects.get(title="Distribution du mardi soir")
    assert not weekly.archived
    assert weekly.occurrences.filter(cancelled=False).count() == 0
    Handler.bodies["/google.ics"] = (SAMPLES / "google.ics").read_bytes()
    run_import(source)
    assert weekly.occurrences.filter(cancelled=False).count() == 15


def test_events_typed_by_hand_are_never_touched(server, listing):
    mine = builders.make_event(listing, title="Notre atelier")
    source = CalendarSource.objects.create(association=listing, url=f"{server}/google.ics")
    run_import(source)
    Handler.bodies["/google.ics"] = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    run_import(source)
    mine.refresh_from_db()
    assert (mine.title, mine.sequence, mine.cancelled_dates) == ("Notre atelier", 0, [])
    assert mine.occurrences.filter(cancelled=False).count() == 1


def test_an_untrusted_listing_imports_into_the_review_queue(server, listing):
    trusted = builders.make_association("Centre social de confiance", trusted=True)
    for association in (listing, trusted):
        source = CalendarSource.objects.create(association=association, url=f"{server}/outlook.ics")
        run_import(source)
    assert Event.objects.get(association=listing).needs_review
    assert not Event.objects.get(association=trusted).needs_review


# Errors, kept for the managers -----------------------------------------------------------------


def test_errors_are_kept_on_the_listing_and_events_stay(server, listing):
    source = CalendarSource.objects.create(association=listing, url=f"{server}/google.ics")
    run_import(source)
    source.url = f"{server}/missing.ics"
    summary, error = run_import(source)
    assert summary is None
    assert "404" in error
    source.refresh_from_db()
    assert "404" in source.last_error
    assert source.last_success_at == NOW
    assert Event.objects.filter(association=listing).count() == 2  # nothing cancelled on an error
    Handler.bodies["/garbage.ics"] = b"<html>Not a calendar</html>"
    source.url = f"{server}/garbage.ics"
    _summary, error = run_import(source)
    assert error == "Ce fichier n'est pas un calendrier iCalendar lisible."


def vevent(uid, dtstart, *lines):
    body = "".join(f"{line}\r\n" for line in (f"UID:{uid}", f"DTSTART:{dtstart}", *lines))
    return f"BEGIN:VEVENT\r\n{body}END:VEVENT\r\n"


def vcalendar(*events):
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{''.join(events)}END:VCALENDAR\r\n".encode()


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=SECONDLY",
        "FREQ=minutely;INTERVAL=5",
        "FREQ=DAILY;BYHOUR=9,10,11,12,13;BYMINUTE=0,10,20,30,40,50",
    ],
)
def test_an_event_repeated_more_than_24_times_a_day_is_refused_and_events_stay(server, listing, rule):
    source = CalendarSource.objects.create(association=listing, url=f"{server}/google.ics")
    run_import(source)
    Handler.bodies["/dense.ics"] = vcalendar(
        vevent("weekly", "20270105T100000Z", "RRULE:FREQ=WEEKLY", "SUMMARY:Permanence"),
        vevent("dense", "20270101T100000Z", f"RRULE:{rule}", "SUMMARY:Tout le temps"),
    )
    source.url = f"{server}/dense.ics"
    summary, error = run_import(source)
    assert summary is None
    assert error == (
        "Un événement de ce calendrier se répète plus de 24 fois par jour : le calendrier n'est pas importé."
    )
    assert Event.objects.filter(association=listing).count() == 2  # the earlier import, untouched


def test_an_hourly_event_is_read_up_to_the_dates_kept_in_order_and_once():
    events = importer.parse(
        vcalendar(
            vevent("hourly", "20270101T100000Z", "RRULE:FREQ=HOURLY", "SUMMARY:Accueil"),
            vevent("daily", "20270101T103000Z", "RRULE:FREQ=DAILY;BYHOUR=10,14", "DURATION:PT30H"),
        ),
        now=NOW,
    )
    hourly, daily = events["hourly"].dates, events["daily"].dates
    assert len(hourly) == importer.MAX_DATES
    assert hourly == sorted(set(hourly))
    assert hourly[:2] == [
        datetime.datetime(2027, 1, 1, 11, 0, tzinfo=PARIS),
        datetime.datetime(2027, 1, 1, 12, 0, tzinfo=PARIS),
    ]
    # events of 30 hours overlap two of the reader's windows: each date is read once
    assert daily == sorted(set(daily))
    assert daily[:3] == [
        datetime.datetime(2027, 1, 1, 11, 30, tzinfo=PARIS),
        datetime.datetime(2027, 1, 1, 15, 30, tzinfo=PARIS),
        datetime.datetime(2027, 1, 2, 11, 30, tzinfo=PARIS),
    ]
    # the calendar's MAX_INSTANCES dates, read in order (26 a day), end in its 193rd day
    assert len(daily) == 386
    assert daily[-1].date() == datetime.date(2027, 7, 12)


def test_the_error_is_shown_in_the_association_space(client, server, listing):
    manager = builders.make_manager(listing)
    source = CalendarSource.objects.create(association=listing, url=f"{server}/missing.ics")
    run_import(source)
    client.force_login(manager)
    page = builders.soup(client.get(f"/espace-association/{listing.slug}/agenda/"))
    assert "404" in page.select_one("#calendar-status").get_text()


# The command ------------------------------------------------------------------------------------


def test_command_dry_run_listing_and_pace(server, listing, monkeypatch):
    monkeypatch.setattr(importer, "import_source", partial(importer.import_source, fetcher=local_fetch))
    other = builders.make_association("Autre association")
    CalendarSource.objects.create(association=listing, url=f"{server}/google.ics")
    CalendarSource.objects.create(association=other, url=f"{server}/outlook.ics")
    out = StringIO()
    call_command("import_calendars", "--dry-run", "--listing", listing.slug, stdout=out)
    assert "2 créé(s)" in out.getvalue()
    assert "(dry run)" in out.getvalue()
    assert not Event.objects.exists()
    assert CalendarSource.objects.get(association=listing).last_fetched_at is None
    call_command("import_calendars", stdout=out)
    assert Event.objects.filter(association=listing).count() == 2
    assert Event.objects.filter(association=other).count() == 1
    out = StringIO()
    call_command("import_calendars", stdout=out)  # read less than an hour ago: skipped
    assert "0 calendar(s) read, 0 in error, 2 read less than an hour ago" in out.getvalue()


def test_command_unknown_listing_is_a_clear_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No published listing"):
        call_command("import_calendars", "--listing", "inconnue")


# The fetch: refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/agenda.ics",
        "http://10.1.2.3/agenda.ics",
        "http://192.168.1.1/agenda.ics",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/agenda.ics",
        "http://[::ffff:127.0.0.1]/agenda.ics",
        "http://0.0.0.0/agenda.ics",
        "http://224.0.0.1/agenda.ics",
        "http://localhost/agenda.ics",
    ],
)
def test_private_addresses_are_refused(url):
    with pytest.raises(fetch.FetchError, match="réseau privé"):
        fetch.fetch_calendar(url)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/a.ics", "gopher://x/", "http:///x"])
def test_other_schemes_and_broken_addresses_are_refused(url):
    with pytest.raises(fetch.FetchError):
        fetch.fetch_calendar(url)


def test_every_resolved_address_is_checked(monkeypatch):
    """A name resolving to a public and a private address is refused (no rebinding by round-robin)."""

    def resolver(host, port, *args, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port)),
        ]

    monkeypatch.setattr(fetch.socket, "getaddrinfo", resolver)
    with pytest.raises(fetch.FetchError, match="réseau privé"):
        fetch.fetch_calendar("https://agenda.example.org/cal.ics")


def test_the_connection_goes_to_the_checked_address(server, monkeypatch):
    """The name is resolved once; the connection uses that address and sends the name as Host,
    so a second DNS answer (rebinding) is never asked for."""
    port = int(server.rsplit(":", 1)[1])
    answers = []

    def resolver(host, port, *args, **kwargs):
        answers.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(fetch.socket, "getaddrinfo", resolver)
    body = fetch.fetch_calendar(f"http://agenda.example.org:{port}/outlook.ics", allowed_addresses=LOCAL)
    assert body.startswith(b"BEGIN:VCALENDAR")
    assert answers == ["agenda.example.org"]  # and no other lookup, even of the address


def test_a_redirect_to_a_private_address_is_refused(server):
    Handler.redirects = {"/moved.ics": "http://169.254.169.254/latest/meta-data/"}
    with pytest.raises(fetch.FetchError, match="réseau privé"):
        local_fetch(f"{server}/moved.ics")


def test_redirects_are_followed_three_times_at_most(server):
    Handler.redirects = {
        "/a.ics": "/b.ics",
        "/b.ics": f"{server}/c.ics",
        "/c.ics": "/google.ics",
        "/loop.ics": "/loop.ics",
    }
    assert local_fetch(f"{server}/a.ics").startswith(b"BEGIN:VCALENDAR")
    with pytest.raises(fetch.FetchError, match="redirections"):
        local_fetch(f"{server}/loop.ics")


def test_a_body_over_2_mb_is_refused(server):
    with pytest.raises(fetch.FetchError, match="2 Mo"):
        local_fetch(f"{server}/huge.ics")
    with pytest.raises(fetch.FetchError, match="2 Mo"):
        local_fetch(f"{server}/announced-huge.ics")


def test_a_slow_server_is_cut_at_the_deadline(server):
    started = time.monotonic()
    with pytest.raises(fetch.FetchError, match="assez vite"):
        fetch.fetch_calendar(f"{server}/slow.ics", allowed_addresses=LOCAL, timeout=1.0)
    assert time.monotonic() - started < 2.5
