"""The agenda: recurrences (public holidays, summer time), the managers' pages, post-moderation,
reports, /agenda/ and its filters, the event page (JSON-LD), the listing's "Prochains
rendez-vous", feed, print view, embed and sitemap, with their query counts."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.agenda import recurrence, services
from directory.agenda.filters import When, when_range
from directory.models import AssociationChange, CalendarSource, Event, EventOccurrence, Report
from tests import builders

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def at(year, month, day, hour=14, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS)


def starts(event):
    return [row.starts_at.astimezone(PARIS) for row in event.occurrences.order_by("starts_at")]


def soon(days=3, hour=14):
    return datetime.datetime.combine(
        timezone.localdate() + datetime.timedelta(days=days), datetime.time(hour), tzinfo=PARIS
    )


@pytest.fixture
def listing():
    return builders.make_association(
        "Maison des solidarités", area_slug="lyon-3", categories=["distribution-alimentaire"]
    )


# Recurrences ------------------------------------------------------------------------------------


def test_first_tuesday_of_the_month(listing):
    event = builders.make_event(
        listing, start=at(2027, 1, 5), recurrence="monthly", repeat_until=datetime.date(2027, 6, 30)
    )
    assert [d.date() for d in starts(event)] == [
        datetime.date(2027, 1, 5),
        datetime.date(2027, 2, 2),
        datetime.date(2027, 3, 2),
        datetime.date(2027, 4, 6),
        datetime.date(2027, 5, 4),
        datetime.date(2027, 6, 1),
    ]
    assert recurrence.describe(event) == "Le 1er mardi du mois jusqu'au 30 juin 2027"


def test_the_last_weekday_of_the_month(listing):
    """30 March 2027 is the 5th Tuesday: the rule becomes "the last Tuesday"."""
    event = builders.make_event(
        listing, start=at(2027, 3, 30), recurrence="monthly", month_week=-1, repeat_count=3
    )
    assert [d.date() for d in starts(event)] == [
        datetime.date(2027, 3, 30),
        datetime.date(2027, 4, 27),
        datetime.date(2027, 5, 25),
    ]


def test_weekly_skips_public_holidays_when_asked(listing):
    """Wednesdays in July 2027: 14 July is skipped (COUNT counts it, as RRULE + EXDATE does)."""
    skipping = builders.make_event(
        listing, start=at(2027, 7, 7), recurrence="weekly", repeat_count=3, skip_holidays=True
    )
    assert [d.date() for d in starts(skipping)] == [datetime.date(2027, 7, 7), datetime.date(2027, 7, 21)]
    keeping = builders.make_event(
        listing, title="Même les jours fériés", start=at(2027, 7, 7), recurrence="weekly", repeat_count=3
    )
    assert datetime.date(2027, 7, 14) in [d.date() for d in starts(keeping)]
    assert recurrence.is_holiday(datetime.date(2027, 12, 25))
    assert not recurrence.is_holiday(datetime.date(2027, 12, 24))


def test_every_other_week_keeps_its_time_across_summer_time(listing):
    """Summer time starts on 28 March 2027: 10 h stays 10 h (UTC+1, then UTC+2)."""
    event = builders.make_event(
        listing, start=at(2027, 3, 14, 10), recurrence="biweekly", repeat_until=datetime.date(2027, 4, 30)
    )
    dates = starts(event)
    assert [d.date() for d in dates] == [
        datetime.date(2027, 3, 14),
        datetime.date(2027, 3, 28),
        datetime.date(2027, 4, 11),
        datetime.date(2027, 4, 25),
    ]
    assert {d.time() for d in dates} == {datetime.time(10)}
    assert [d.utcoffset().seconds // 3600 for d in dates] == [1, 2, 2, 2]
    assert recurrence.describe(event) == "Un dimanche sur deux jusqu'au 30 avril 2027"


@pytest.mark.parametrize(
    ("today", "when", "first", "last"),
    [
        (datetime.date(2027, 7, 14), When.TODAY, datetime.date(2027, 7, 14), datetime.date(2027, 7, 14)),
        (datetime.date(2027, 7, 14), When.WEEK, datetime.date(2027, 7, 14), datetime.date(2027, 7, 18)),
        (datetime.date(2027, 7, 14), When.WEEKEND, datetime.date(2027, 7, 17), datetime.date(2027, 7, 18)),
        (datetime.date(2027, 7, 18), When.WEEKEND, datetime.date(2027, 7, 18), datetime.date(2027, 7, 18)),
    ],
)
def test_date_words(today, when, first, last):
    start, end = when_range(when, today)
    assert start == datetime.datetime.combine(first, datetime.time(), tzinfo=PARIS)
    assert end == datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time(), tzinfo=PARIS)


# The managers' pages ----------------------------------------------------------------------------


def event_post(**overrides):
    day = timezone.localdate() + datetime.timedelta(days=7)
    data = {
        "kind": "permanence",
        "title": "Permanence d'accès aux droits",
        "description": "Un juriste répond à vos questions.",
        "day": day.isoformat(),
        "start_time": "14:00",
        "end_time": "17:00",
        "end_day": "",
        "recurrence": "monthly",
        "repeat_until": (day + datetime.timedelta(days=120)).isoformat(),
        "repeat_count": "",
        "skip_holidays": "on",
        "place": "",
        "address": "Maison des associations, 28 rue Denfert-Rochereau",
        "area": "lyon-4",
        "is_free": "oui",
        "registration_url": "https://example.org/inscription",
        "audiences": [],
        "languages": [],
    }
    data.update(overrides)
    return data


@pytest.fixture
def manager_client(client, listing):
    client.force_login(builders.make_manager(listing, "gestionnaire"))
    return client


def test_a_manager_publishes_a_recurring_permanence(manager_client, listing):
    url = reverse("directory:agenda_manage", args=[listing.slug])
    response = manager_client.post(url, event_post())
    assert response.status_code == 302
    event = Event.objects.get(association=listing)
    assert event.kind == "permanence"
    assert event.area.slug == "lyon-4"  # the other address's area
    assert event.is_free is True
    assert event.month_week == recurrence.month_week_of(event.starts_at.astimezone(PARIS).date())
    assert 4 <= event.occurrences.count() <= 5
    assert event.needs_review  # an untrusted listing: in the moderators' queue, public at once
    assert AssociationChange.objects.filter(association=listing, action="event_published").exists()
    page = builders.soup(manager_client.get(url))
    assert "Permanence d'accès aux droits" in page.select_one("#agenda-events").get_text()


def test_a_double_submit_publishes_one_event(manager_client, listing):
    url = reverse("directory:agenda_manage", args=[listing.slug])
    manager_client.post(url, event_post())
    manager_client.post(url, event_post())
    assert Event.objects.filter(association=listing).count() == 1
    manager_client.post(url, event_post(title="Une autre permanence"))
    assert Event.objects.filter(association=listing).count() == 2


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"day": "2020-01-07", "recurrence": ""}, "day", "Cette date est passée."),
        ({"end_time": "13:00"}, "end_time", "La fin doit suivre le début."),
        ({"repeat_until": ""}, "repeat_until", "Indiquez jusqu'à quand, ou combien de fois."),
        ({"repeat_count": "4"}, "repeat_count", "Une date de fin ou un nombre de fois, pas les deux."),
        ({"repeat_until": "2099-01-01"}, "repeat_until", "Au plus tard le"),
        ({"address": "", "area": ""}, "place", "Choisissez un de vos lieux ou indiquez une adresse."),
        ({"registration_url": "javascript:alert(1)"}, "registration_url", "Saisissez une URL valide."),
        ({"day": "2027-02-30"}, "day", "Saisissez une date valide."),
    ],
)
def test_bad_input_is_explained_and_nothing_is_written(manager_client, listing, overrides, field, message):
    response = manager_client.post(
        reverse("directory:agenda_manage", args=[listing.slug]), event_post(**overrides)
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Event.objects.exists()


def test_editing_bumps_the_sequence_and_logs_each_field(manager_client, listing):
    event = builders.make_event(listing, start=soon(), recurrence="weekly", repeat_count=4)
    url = reverse("directory:event_edit", args=[listing.slug, event.pk])
    assert manager_client.get(url).status_code == 200
    data = event_post(
        kind="event",
        title="Atelier vélo",
        recurrence="weekly",
        repeat_until="",
        repeat_count="4",
        skip_holidays="",
        day=soon().date().isoformat(),
        start_time="14:00",
        end_time="16:00",
        address="",
        area="",
        place=str(listing.places.get().pk),
        description="Venez avec votre vélo.",
        registration_url="",
    )
    manager_client.post(url, data)
    event.refresh_from_db()
    assert event.title == "Atelier vélo"
    assert event.sequence == 1
    log = AssociationChange.objects.filter(association=listing, action="event_updated").get()
    assert log.changes["event.title"] == {"old": "Atelier de réparation de vélos", "new": "Atelier vélo"}
    response = manager_client.post(url, data)  # the same values again: nothing changes
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.sequence == 1


def test_cancelling_and_restoring_one_date(manager_client, listing):
    event = builders.make_event(listing, start=soon(), recurrence="weekly", repeat_count=3)
    second = starts(event)[1].date()
    cancel = reverse("directory:event_cancel_date", args=[listing.slug, event.pk])
    manager_client.post(cancel, {"day": second.isoformat()})
    event.refresh_from_db()
    assert event.cancelled_dates == [second.isoformat()]
    assert [row.cancelled for row in event.occurrences.order_by("starts_at")] == [False, True, False]
    assert event.sequence == 1
    response = manager_client.post(cancel, {"day": "2030-01-01"})  # not a date of the event
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.sequence == 1
    manager_client.post(
        reverse("directory:event_restore_date", args=[listing.slug, event.pk]), {"day": second.isoformat()}
    )
    event.refresh_from_db()
    assert event.cancelled_dates == []
    assert not event.occurrences.filter(cancelled=True).exists()


def test_archiving_hides_the_event(manager_client, client, listing):
    event = builders.make_event(listing, start=soon())
    manager_client.post(reverse("directory:event_archive", args=[listing.slug, event.pk]))
    event.refresh_from_db()
    assert event.archived
    assert client.get(event.get_absolute_url()).status_code == 404
    assert event.title not in builders.visible_text(client.get("/agenda/"))


def test_an_imported_event_is_not_edited_here(manager_client, listing):
    event = builders.make_event(listing, start=soon())
    Event.objects.filter(pk=event.pk).update(source=Event.Source.IMPORTED, source_uid="abc@google.com")
    response = manager_client.get(reverse("directory:event_edit", args=[listing.slug, event.pk]))
    assert response.status_code == 302


def test_calendar_address(manager_client, listing):
    url = reverse("directory:calendar_source", args=[listing.slug])
    manager_client.post(url, {"url": "webcal://calendar.example.org/agenda.ics"})
    assert CalendarSource.objects.get(association=listing).url == "https://calendar.example.org/agenda.ics"
    response = manager_client.post(url, {"url": "ftp://calendar.example.org/agenda.ics"}, follow=True)
    assert "Une adresse http:// ou https://." in builders.visible_text(response)
    assert CalendarSource.objects.get(association=listing).url == "https://calendar.example.org/agenda.ics"
    manager_client.post(url, {"url": ""})
    assert not CalendarSource.objects.exists()
    assert (
        AssociationChange.objects.filter(association=listing, action="calendar_source_changed").count() == 2
    )


# Post-moderation and reports --------------------------------------------------------------------


def test_trusted_listings_publish_without_review(listing):
    trusted = builders.make_association("Centre social", trusted=True)
    assert builders.make_event(listing).needs_review
    assert not builders.make_event(trusted).needs_review


def test_a_moderator_marks_an_event_as_seen_within_their_areas(client, listing):
    event = builders.make_event(listing)
    villeurbanne = builders.make_group_moderator("vera", areas=["villeurbanne"])
    with pytest.raises(services.AgendaError):
        services.event_review(event=event, moderator=villeurbanne)
    moderator = builders.make_group_moderator("lea", areas=["lyon"])
    client.force_login(moderator)
    client.post(
        reverse("admin:directory_event_changelist"),
        {"action": "mark_reviewed", "_selected_action": [event.pk]},
    )
    event.refresh_from_db()
    assert not event.needs_review
    assert event.reviewed_by == moderator


def test_a_moderator_withdraws_events_of_their_areas_from_the_admin(client, listing):
    event = builders.make_event(listing)
    elsewhere = builders.make_event(
        builders.make_association("Villeurbanne solidaire", area_slug="villeurbanne"), title="Hors zone"
    )
    client.force_login(builders.make_group_moderator("lea", areas=["lyon"]))
    client.post(
        reverse("admin:directory_event_changelist"),
        {"action": "archive", "_selected_action": [event.pk, elsewhere.pk]},
    )
    event.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (event.archived, event.sequence, event.needs_review) == (True, 1, False)
    assert not elsewhere.archived
    log = AssociationChange.objects.get(association=listing, action="event_archived")
    assert (log.origin, log.changes) == ("moderator", {"event": {"old": event.title, "new": None}})


def test_a_resident_reports_an_event(client, listing):
    event = builders.make_event(listing)
    url = reverse("directory:event_report", args=[event.pk])
    page = builders.soup(client.get(url))
    assert page.select_one("#report-event a")["href"] == event.get_absolute_url()
    response = client.post(
        url, {"reason": "other", "message": "Annulé depuis longtemps.", **builders.human_fields()}
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.association, report.event) == (listing, event)
    moderator = builders.make_group_moderator("lea")
    client.force_login(moderator)
    review = builders.soup(client.get(reverse("admin:moderation_report", args=[report.pk])))
    assert review.select_one("#report-event a")["href"] == event.get_absolute_url()


# Public pages -----------------------------------------------------------------------------------


@pytest.fixture
def agenda(listing):
    """Events in Lyon 3e (food aid, for families), Villeurbanne (sport) and an archived one."""
    families = builders.make_association(
        "Club de Villeurbanne", area_slug="villeurbanne", categories=["football"]
    )
    return {
        "today": builders.make_event(listing, title="Distribution du jour", start=soon(days=0, hour=23)),
        "soon": builders.make_event(listing, title="Épicerie mobile", start=soon(days=2)),
        "later": builders.make_event(families, title="Tournoi des familles", start=soon(days=20)),
        "gone": services.event_archive(
            event=builders.make_event(listing, title="Retiré", start=soon(days=1)), user=None
        ),
    }


def titles(response):
    return [a.get_text(strip=True) for a in builders.soup(response).select("#agenda > li h3 a")]


def test_the_agenda_lists_what_comes_soonest_first(client, agenda):
    response = client.get("/agenda/")
    assert response.status_code == 200
    assert titles(response) == ["Distribution du jour", "Épicerie mobile", "Tournoi des familles"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"territoire": "villeurbanne"}, ["Tournoi des familles"]),
        ({"territoire": "lyon"}, ["Distribution du jour", "Épicerie mobile"]),
        ({"categorie": "sport"}, ["Tournoi des familles"]),
        ({"quand": "aujourdhui"}, ["Distribution du jour"]),
        ({"du": "2000-01-01", "au": "2000-01-02"}, []),
    ],
)
def test_filters(client, agenda, params, expected):
    assert titles(client.get("/agenda/", params)) == expected


def test_the_audience_filter_keeps_events_open_to_everyone(client, listing):
    youth = builders.make_event(listing, title="Pour les jeunes", start=soon(days=1))
    youth.audiences.set(builders.Audience.objects.filter(slug="jeunes"))
    seniors = builders.make_event(listing, title="Pour les seniors", start=soon(days=2))
    seniors.audiences.set(builders.Audience.objects.exclude(slug="jeunes")[:1])
    builders.make_event(listing, title="Pour tous", start=soon(days=3))
    assert titles(client.get("/agenda/", {"public": "jeunes"})) == ["Pour les jeunes", "Pour tous"]


@pytest.mark.parametrize(
    "params",
    [
        {"quand": "demain"},
        {"du": "2027-13-45"},
        {"du": "2027-05-10", "au": "2027-05-01"},
        {"du": "2027-01-01", "au": "2029-01-01"},
        {"territoire": "atlantide"},
        {"page": "999"},
    ],
)
def test_bad_parameters_are_explained_never_a_500(client, agenda, params):
    response = client.get("/agenda/", params)
    assert response.status_code == 200
    assert builders.soup(response).select_one("#agenda-notices li")


def test_agenda_query_count(client, listing, django_assert_num_queries):
    for day in range(25):
        builders.make_event(listing, title=f"Rendez-vous {day}", start=soon(days=day + 1))
    # 1. the count of the page   2. the 20 occurrences with their events, listings, places and
    # areas (one join); categories and areas of the filters come from the reference snapshot.
    with django_assert_num_queries(2):
        response = client.get("/agenda/", {"categorie": "alimentation", "territoire": "lyon-3"})
    assert len(titles(response)) == 20


def test_the_event_page_and_its_json_ld(client, listing):
    event = builders.make_event(
        listing,
        start=at(2027, 1, 5),
        recurrence="monthly",
        repeat_count=6,
        registration_url="https://example.org/i",
    )
    services.occurrence_set_cancelled(event=event, user=None, day=datetime.date(2027, 1, 5), cancelled=True)
    response = client.get(event.get_absolute_url())
    page = builders.soup(response)
    data = json.loads(page.select_one("script[type='application/ld+json']").string)
    assert data["@type"] == "Event"
    assert data["startDate"] == "2027-01-05T14:00:00+01:00"
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert data["isAccessibleForFree"] is True
    assert data["organizer"]["name"] == listing.name
    assert page.select_one("#event-rule").get_text(strip=True) == "Le 1er mardi du mois (6 fois)"
    assert len(page.select("#event-dates li")) == 6
    assert page.select_one("#event-ics")["href"].endswith(reverse("directory:event_ics", args=[event.pk]))


def test_unpublished_listings_show_no_agenda(client):
    draft = builders.make_association("Brouillon", status="pending")
    event = builders.make_event(draft, start=soon())
    assert client.get(event.get_absolute_url()).status_code == 404
    assert client.get(reverse("directory:event_ics", args=[event.pk])).status_code == 404
    assert client.get(reverse("directory:association_ics", args=[draft.slug])).status_code == 404
    assert not titles(client.get("/agenda/"))


def test_the_listing_page_shows_the_next_dates(client, listing):
    builders.make_event(listing, title="Permanence", start=soon(), recurrence="weekly", repeat_count=8)
    page = builders.soup(client.get(listing.get_absolute_url()))
    assert page.select_one("#events-title").get_text() == "Prochains rendez-vous"
    assert len(page.select("#next-events > li")) == 5
    assert page.select_one("#association-ics")["href"] == reverse(
        "directory:association_ics", args=[listing.slug]
    )
    assert (
        page.select_one("link[type='text/calendar']")["href"] == page.select_one("#association-ics")["href"]
    )


def test_feed_print_embed_and_sitemap(client, agenda):
    feed = client.get("/flux/agenda.atom", {"territoire": "villeurbanne"})
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert feed.content.count(b"<entry>") == 1
    assert "Tournoi des familles" in feed.content.decode()
    printed = builders.soup(client.get("/agenda/imprimer/"))
    assert len(printed.select("#agenda-print tbody tr")) == 3
    framed = client.get("/integrer/agenda/", {"nombre": "2", "x": "1"})
    assert framed.status_code == 200
    assert "X-Frame-Options" not in framed
    assert "frame-ancestors *" in framed["Content-Security-Policy"]
    assert len(builders.soup(framed).select(".items > li")) == 2
    assert "Paramètre « x » inconnu." in builders.visible_text(framed)
    sitemap = client.get("/sitemap-agenda.xml").content.decode()
    assert agenda["later"].get_absolute_url() in sitemap
    assert "/agenda/" in client.get("/sitemap-pages.xml").content.decode()


def test_english_pages(client, agenda):
    response = client.get("/en/agenda/")
    assert response.status_code == 200
    assert builders.soup(response).select_one("h1").get_text() == "Associations' events"


def test_an_edit_of_dates_and_audiences_is_one_history_entry(listing):
    event = builders.make_event(listing, start=soon())
    youth = builders.Audience.objects.get(slug="jeunes")
    values = {name: getattr(event, name) for name in services.EVENT_FIELDS}
    later = event.starts_at + datetime.timedelta(hours=1)
    values.update(starts_at=later, ends_at=later + datetime.timedelta(hours=2), audiences=[youth])
    changed = services.event_update(event=event, user=None, values=values)
    assert changed == ["starts_at", "ends_at", "audiences"]
    log = AssociationChange.objects.get(association=listing, action="event_updated")
    assert log.changes["event.starts_at"]["new"] == later.isoformat()
    assert log.changes["event.audiences"] == {"old": [], "new": [str(youth)]}
    event.refresh_from_db()
    assert (event.sequence, list(event.audiences.all())) == (1, [youth])
    assert timezone.localtime(event.occurrences.get().starts_at) == later


def test_occurrences_follow_changes_of_the_rule(listing):
    event = builders.make_event(listing, start=soon(), recurrence="weekly", repeat_count=2)
    values = {name: getattr(event, name) for name in services.EVENT_FIELDS}
    values.update(repeat_count=5, audiences=[], languages=[])
    assert services.event_update(event=event, user=None, values=values) == ["repeat_count"]
    assert EventOccurrence.objects.filter(event=event).count() == 5


def test_query_counts_of_the_other_pages(client, listing, django_assert_num_queries):
    """None grows with the number of events or dates."""
    for day in range(6):
        builders.make_event(
            listing, title=f"Rendez-vous {day}", start=soon(days=day + 1), recurrence="weekly", repeat_count=5
        )
    event = Event.objects.latest("pk")
    # 1. the event with its listing, place and area   2. its next dates   3. its languages
    # 4. its audiences
    with django_assert_num_queries(4):
        client.get(event.get_absolute_url())
    # 1. the event with its listing, place and area (its dates are expanded in memory)
    with django_assert_num_queries(1):
        client.get(reverse("directory:event_ics", args=[event.pk]))
    # 1. the listing   2. its events with their places and areas
    with django_assert_num_queries(2):
        client.get(reverse("directory:association_ics", args=[listing.slug]))
    # 1. the events with a date to come matching the filters, their places and areas
    with django_assert_num_queries(1):
        client.get("/agenda.ics", {"territoire": "lyon-3"})
    # 1. the dates with their events, listings, places and areas (feed, print view and embed)
    for path in ("/flux/agenda.atom", "/agenda/imprimer/", "/integrer/agenda/"):
        with django_assert_num_queries(1):
            assert client.get(path).status_code == 200
