"""Hours that know the French calendar (directory/opening/) and the `ouvert` search, at frozen
moments: a weekday evening, 14 July, a Sunday, mid-Toussaint, 24 December and the change to
summer time (last Sunday of March)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from directory.editing import services as editing_services
from directory.listings import services
from directory.listings import state as values_lib
from directory.models import AssociationChange, OpeningSlot, PendingChange
from directory.opening import calendar
from tests import builders

PARIS = ZoneInfo("Europe/Paris")
WEEKDAYS = builders.WEEKDAY_HOURS  # Monday–Friday 09:00–12:00 and 14:00–18:00
EVERY_DAY = {str(day): [["09:00", "18:00"]] for day in range(7)}
EVENINGS = {str(day): [["18:00", "22:00"]] for day in range(7)}


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


def listing(name, hours, **place_fields):
    association = builders.make_association(name, hours=hours)
    if place_fields:
        association.places.update(**place_fields)
        services.refresh_search_text([association])
    return association


@pytest.fixture
def town(db):
    """Seven listings, one per kind of calendar."""
    return {
        "office": listing("Bureau en semaine", WEEKDAYS),  # closed on public holidays (default)
        "evening": listing("Maraude du soir", EVENINGS, public_holidays="open"),
        "school_closed": listing("Soutien scolaire", WEEKDAYS, school_holidays="closed"),
        "school_hours": listing(
            "Centre social",
            {str(d): [["09:00", "18:00"]] for d in range(5)},
            school_holidays="hours",
            school_hours={str(d): [["10:00", "12:00"]] for d in range(5)},
        ),
        "dated": listing(
            "Épicerie tous les jours",
            EVERY_DAY,
            exceptions=[
                {"start": "2026-12-24", "end": "2027-01-02", "hours": {}},
                {"start": "2027-07-14", "end": "2027-07-14", "hours": {"2": [["10:00", "12:00"]]}},
            ],
        ),
        "sunday": listing("Marché solidaire du dimanche", {"6": [["10:00", "13:00"]]}),
        "unknown": listing("Sans horaires", {}),
    }


def status_of(association, moment):
    return association.places.get().opening_status(moment)


def open_names(client, query):
    cache.clear()
    response = client.get(f"/associations/?{query}")
    assert response.status_code == 200
    return set(builders.result_names(response))


def names(town, *keys):
    return {town[key].name for key in keys}


# The calendar -------------------------------------------------------------------------------


def test_calendar_knows_public_and_school_holidays():
    assert calendar.public_holiday(paris(2027, 7, 14).date()) == "Fête nationale"
    assert calendar.public_holiday(paris(2027, 7, 13).date()) == ""
    assert calendar.school_holiday(paris(2026, 10, 27).date()) == "Vacances de la Toussaint"
    assert calendar.school_holiday(paris(2026, 12, 8).date()) == ""
    # A year the shipped calendar does not cover yet: no school holidays, no error.
    assert calendar.school_holiday(paris(2035, 7, 20).date()) == ""


def test_slots_only_for_published_listings_with_hours(town):
    with_slots = set(OpeningSlot.objects.values_list("association_id", flat=True))
    assert town["unknown"].pk not in with_slots
    assert town["office"].pk in with_slots
    town["office"].status = town["office"].Status.ARCHIVED
    town["office"].save()
    services.refresh_search_text([town["office"]])
    assert not OpeningSlot.objects.filter(association_id=town["office"].pk).exists()


# A weekday evening: Tuesday 8 December 2026, 19:00 ------------------------------------------


@time_machine.travel(paris(2026, 12, 8, 19, 0), tick=False)
def test_weekday_evening(client, town):
    assert status_of(town["office"], None).label == "Ouvre demain à 9 h"
    assert status_of(town["evening"], None).label == "Ouvert · ferme à 22 h"
    assert status_of(town["unknown"], None).label == "Horaires non précisés"
    assert open_names(client, "ouvert=maintenant") == names(town, "evening")
    assert open_names(client, "ouvert=soir") == names(town, "evening")
    assert open_names(client, "ouvert=aujourdhui") == names(
        town, "office", "evening", "school_closed", "school_hours", "dated"
    )


# 14 July 2027 (a Wednesday, in the summer holidays), 11:00 -------------------------------------


@time_machine.travel(paris(2027, 7, 14, 11, 0), tick=False)
def test_fourteenth_of_july(client, town):
    assert status_of(town["office"], None).label == "Fermé (jour férié), réouverture demain à 9 h"
    # Open exceptionally on the holiday (a single-day exception holds on a public holiday).
    assert status_of(town["dated"], None).label == "Ouvert · ferme à 12 h"
    assert open_names(client, "ouvert=maintenant") == names(town, "dated")
    # The evening round opens on public holidays.
    assert open_names(client, "ouvert=soir") == names(town, "evening")


# A Sunday: 13 December 2026, 11:00 ------------------------------------------------------------


@time_machine.travel(paris(2026, 12, 13, 11, 0), tick=False)
def test_sunday(client, town):
    assert status_of(town["office"], None).label == "Ouvre demain à 9 h"
    assert status_of(town["sunday"], None).label == "Ouvert · ferme à 13 h"
    assert open_names(client, "ouvert=maintenant") == names(town, "sunday", "dated")
    # On a Sunday, "this weekend" is what is left of today.
    assert open_names(client, "ouvert=weekend") == names(town, "sunday", "dated", "evening")


# Mid-Toussaint: Tuesday 27 October 2026 -------------------------------------------------------


@time_machine.travel(paris(2026, 10, 27, 10, 30), tick=False)
def test_mid_toussaint(client, town):
    assert status_of(town["office"], None).is_open
    assert (
        status_of(town["school_closed"], None).label
        == "Fermé pendant les vacances scolaires, réouverture le 2 novembre"
    )
    assert status_of(town["school_hours"], None).label == "Ouvert · ferme à 12 h"
    assert open_names(client, "ouvert=maintenant") == names(town, "office", "school_hours", "dated")


@time_machine.travel(paris(2026, 10, 27, 12, 30), tick=False)
def test_mid_toussaint_school_hours_replace_the_weekly_ones(client, town):
    # Usually open until 18 h; during the holidays only 10 h–12 h.
    assert status_of(town["school_hours"], None).label == "Ouvre demain à 10 h"
    assert town["school_hours"].name not in open_names(client, "ouvert=maintenant")


# 24 December 2026, 10:00 (a Thursday, Christmas holidays) ---------------------------------------


@time_machine.travel(paris(2026, 12, 24, 10, 0), tick=False)
def test_christmas_eve(client, town):
    assert status_of(town["dated"], None).label == "Fermé exceptionnellement, réouverture le 3 janvier"
    assert status_of(town["office"], None).is_open  # not a public holiday
    # The social centre keeps its school-holiday hours (10 h–12 h).
    assert open_names(client, "ouvert=maintenant") == names(town, "office", "school_hours")
    # Christmas Day is a public holiday: the office is closed then.
    assert town["office"].name not in open_names(client, "ouvert=le&date=2026-12-25")
    assert town["office"].name in open_names(client, "ouvert=le&date=2026-12-28")


# The change to summer time: Sunday 28 March 2027, 02:00 → 03:00 --------------------------------


def test_summer_time(client, town):
    # 08:30 UTC is 10:30 in Lyon after the change (UTC+2): the Sunday market is open.
    with time_machine.travel(datetime(2027, 3, 28, 8, 30, tzinfo=UTC), tick=False):
        assert status_of(town["sunday"], None).label == "Ouvert · ferme à 13 h"
        assert town["sunday"].name in open_names(client, "ouvert=maintenant")
    # 11:15 UTC is 13:15 in Lyon (it would be 12:15 at winter time): closed.
    with time_machine.travel(datetime(2027, 3, 28, 11, 15, tzinfo=UTC), tick=False):
        assert status_of(town["sunday"], None).label == "Ouvre le 4 avril à 10 h"
        assert open_names(client, "ouvert=maintenant") == names(town, "dated")
    # The night of the change: 01:30 UTC is 03:30 local, a moment that exists.
    with time_machine.travel(datetime(2027, 3, 28, 1, 30, tzinfo=UTC), tick=False):
        assert calendar.now().hour == 3
        assert open_names(client, "ouvert=maintenant") == set()


# Listings without hours, the facet, the cache, bad values --------------------------------------


@time_machine.travel(paris(2026, 12, 8, 10, 0), tick=False)
def test_listings_without_hours_are_counted_apart(client, town):
    cache.clear()
    page = builders.soup(client.get("/associations/?ouvert=maintenant"))
    others = page.select_one(".result-count__others")
    assert "Et 1 autre sans horaires précisés" in others.get_text(" ", strip=True)
    link = others.select_one("a")["href"]
    assert "ouvert=sans-horaires" in link
    assert set(builders.result_names(client.get("/associations/" + link))) == names(town, "unknown")
    cards = {
        card.select_one("h3").get_text(strip=True): card.select_one(".card__opening").get_text(strip=True)
        for card in builders.soup(client.get("/associations/")).select("#results article")
    }
    assert cards[town["unknown"].name] == "Horaires non précisés"
    assert cards[town["office"].name] == "Ouvert · ferme à 12 h"


@time_machine.travel(paris(2026, 12, 8, 10, 0), tick=False)
def test_open_now_facet_counts_and_links(client, town):
    cache.clear()
    facet = builders.soup(client.get("/associations/")).select_one(".facets--open a")
    assert facet.select_one(".facet__count").get_text(" ", strip=True).startswith("4")
    assert "ouvert=maintenant" in facet["href"]


@time_machine.travel(paris(2026, 12, 8, 10, 0), tick=False)
@pytest.mark.parametrize("window", [1000, 2])
def test_counts_past_the_cached_window_agree(client, town, monkeypatch, window):
    # Within the window the counts read the slots of the cached ids; past it, the matches.
    monkeypatch.setattr("directory.opening.search.WINDOW", window)
    cache.clear()
    page = builders.soup(client.get("/associations/?ouvert=maintenant"))
    assert page.select_one(".facets--open .facet__count").get_text(" ", strip=True).startswith("4")
    assert "Et 1 autre sans horaires" in page.select_one(".result-count__others").get_text(" ", strip=True)


@time_machine.travel(paris(2026, 12, 8, 10, 0), tick=False)
@pytest.mark.parametrize(
    "query",
    [
        "territoire=lyon-3",
        "q=du",
        "q=du&tri=recent",
        "territoire=lyon-3&tri=distance&rayon=2",
        "territoire=lyon-3&tri=nom",
        "tri=nom",
        "tri=pertinence",
    ],
)
def test_open_count_of_a_cold_search_agrees_with_a_count_apart(client, town, monkeypatch, query):
    # On PostgreSQL a cold search counts its matches open now in the statement that finds them
    # (opening.search.count_open_with); elsewhere, or without it, a COUNT apart: the same figure.
    def open_count():
        cache.clear()
        page = builders.soup(client.get(f"/associations/?{query}"))
        return page.select_one(".facets--open .facet__count").get_text(" ", strip=True)

    in_the_statement = open_count()
    monkeypatch.setattr("directory.opening.search.count_open_with", lambda filterset: None)
    assert open_count() == in_the_statement
    expected = len(open_names(client, f"{query}&ouvert=maintenant"))
    assert expected > 0
    assert in_the_statement.startswith(str(expected))


@time_machine.travel(paris(2026, 12, 8, 10, 0), tick=False)
@pytest.mark.parametrize("query", ["q=semaine", "tri=pertinence", "territoire=lyon-3"])
def test_a_search_whose_facets_are_cached_counts_those_open_with_its_ids(client, town, query):
    # The same search in another order: its facets come from the cache (the order does not
    # change them), its ids do not; those open now are counted by the statement that finds the
    # ids (on PostgreSQL; a COUNT apart elsewhere), once, and agree with the `ouvert` search.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    client.get(f"/associations/?{query}&tri=nom")
    with CaptureQueriesContext(connection) as captured:
        page = builders.soup(client.get(f"/associations/?{query.replace('tri=pertinence', '')}&tri=recent"))
    # Read before the next request, which empties the log of queries.
    slots = [q["sql"] for q in captured.captured_queries if "directory_openingslot" in q["sql"]]
    count = page.select_one(".facets--open .facet__count").get_text(" ", strip=True)
    assert count.startswith(str(len(open_names(client, f"{query}&ouvert=maintenant"))))
    assert len(slots) == 1
    if connection.vendor == "postgresql" and "territoire" not in query:  # a filter alone: a COUNT apart
        assert not slots[0].lstrip().startswith("SELECT COUNT(*)")


def test_results_cache_holds_for_a_quarter_hour(client, town, settings):
    settings.SEARCH_CACHE_SECONDS = 600
    cache.clear()
    with time_machine.travel(paris(2026, 12, 8, 17, 50), tick=False):
        first = set(builders.result_names(client.get("/associations/?ouvert=maintenant")))
    with time_machine.travel(paris(2026, 12, 8, 18, 5), tick=False):
        later = set(builders.result_names(client.get("/associations/?ouvert=maintenant")))
    assert town["office"].name in first
    assert later == names(town, "evening")


@time_machine.travel(paris(2026, 12, 8, 10, 0), tick=False)
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("ouvert=demain", "Ouvert ?"),
        ("ouvert=le", "indiquez une date"),
        ("ouvert=le&date=2026-13-45", "Date"),
        ("ouvert=le&date=1999-01-01", "choisissez une date"),
        ("ouvert=%00", "Ouvert ?"),
    ],
)
def test_bad_values_are_reported_never_a_500(client, town, query, message):
    cache.clear()
    response = client.get(f"/associations/?{query}")
    assert response.status_code == 200
    notice = builders.soup(response).select_one(".notice")
    assert message in notice.get_text(" ", strip=True)
    # The search still answers, unfiltered by time.
    assert len(builders.result_names(response)) == len(town)
    api = client.get(f"/api/associations/?{query}")
    assert api.status_code == 400


@time_machine.travel(paris(2026, 12, 8, 19, 0), tick=False)
def test_api_and_embed_read_ouvert(client, town):
    cache.clear()
    data = client.get("/api/associations/?ouvert=maintenant").json()
    assert [item["name"] for item in data["results"]] == [town["evening"].name]
    assert data["results"][0]["places"][0]["open_now"] is True
    assert data["results"][0]["places"][0]["public_holidays"] == "open"
    others = client.get("/api/associations/?ouvert=sans-horaires").json()["results"]
    assert [item["places"][0]["open_now"] for item in others] == [None]
    embed = client.get("/integrer/liste/?ouvert=maintenant")
    assert embed.status_code == 200
    assert town["evening"].name in embed.content.decode()
    assert town["office"].name not in embed.content.decode()


# The listing page -----------------------------------------------------------------------------


@time_machine.travel(paris(2026, 12, 20, 10, 0), tick=False)
def test_listing_page_says_the_rules_and_the_status(client, town):
    page = builders.soup(client.get(town["dated"].get_absolute_url()))
    notes = [li.get_text(" ", strip=True) for li in page.select(".place__calendar li")]
    assert notes == [
        "Fermé les jours fériés.",
        "Du 24 décembre 2026 au 2 janvier 2027 : fermé.",
        "Le 14 juillet 2027 : 10 h – 12 h.",
    ]
    assert page.select_one(".opening").get_text(strip=True) == "Ouvert · ferme à 18 h"
    page = builders.soup(client.get(town["school_closed"].get_absolute_url()))
    assert page.select_one(".opening").get_text(strip=True) == (
        "Fermé pendant les vacances scolaires, réouverture le 4 janvier"
    )
    assert not builders.soup(client.get(town["unknown"].get_absolute_url())).select(".place__calendar")


# The editor: each choice in words, a preview of 14 days, moderation and history -------------------


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def edit_url(association):
    return reverse("directory:edit_all", args=[association.slug])


@time_machine.travel(paris(2026, 12, 20, 10, 0), tick=False)
def test_editor_previews_the_next_fourteen_days(manager_client, listing):
    page = builders.soup(manager_client.get(edit_url(listing)))
    rows = page.select(".opening-preview tr")
    assert len(rows) == 14
    texts = {row.th.get_text(strip=True): row.td.get_text(strip=True) for row in rows}
    assert texts["Lundi 21 décembre"] == "9 h – 12 h, 14 h – 18 h"
    assert texts["Vendredi 25 décembre"] == "Fermé : Noël (jour férié)"
    assert texts["Samedi 26 décembre"] == "Fermé"
    assert page.select_one("input[name=places-0-public_holidays][value=closed]").has_attr("checked")
    assert "vacances scolaires" in page.select_one("fieldset.calendar-form").get_text()


@time_machine.travel(paris(2026, 12, 20, 10, 0), tick=False)
def test_calendar_changes_go_through_moderation_and_history(manager_client, listing, moderator):
    values = current_values(listing)
    values["places"][0].update(
        public_holidays="open",
        school_holidays="hours",
        school_hours={"2": [["10:00", "12:00"]]},
        exceptions=[{"start": "2026-12-24", "end": "2027-01-02", "hours": {}}],
    )
    data = builders.listing_post_data(values, base_version=listing.version)
    assert manager_client.post(edit_url(listing), data).status_code == 302
    change = PendingChange.objects.get(association=listing)
    assert change.proposed["places"][0]["exceptions"] == values["places"][0]["exceptions"]
    # The public listing stays as it was until a moderator approves.
    assert listing.places.get().exceptions == []
    editing_services.pending_change_approve(change=change, moderator=moderator)
    place = listing.places.get()
    assert (place.public_holidays, place.school_holidays) == ("open", "hours")
    assert place.school_hours == {"2": [["10:00", "12:00"]]}
    assert OpeningSlot.objects.filter(place=place, kind=OpeningSlot.Kind.DATED).exists()
    log = AssociationChange.objects.filter(association=listing).latest("pk")
    assert log.changes["places"]["new"][0]["public_holidays"] == "open"
    assert log.changes["places"]["old"][0]["public_holidays"] == "closed"
    # The moderators' comparison says the rules in words.
    shown = values_lib.display_value("places", log.changes["places"]["new"])
    assert "Ouvert les jours fériés, aux horaires habituels" in shown
    assert "Vacances scolaires : mercredi 10:00-12:00" in shown
    assert "24/12/2026 - 02/01/2027 : fermé" in shown


def test_a_bad_exception_line_is_named_and_nothing_is_lost(manager_client, listing):
    data = builders.editor_post_data(listing)
    data["places-0-exceptions"] = "24/12/2026 - 02/01/2027 : fermé\n31/02/2027 : fermé"
    response = manager_client.post(edit_url(listing), data)
    assert response.status_code == 200
    page = builders.soup(response)
    assert "Ligne 2 : Date invalide : 31/02/2027." in page.get_text()
    assert (
        "24/12/2026 - 02/01/2027 : fermé" in page.select_one("textarea[name=places-0-exceptions]").get_text()
    )
    assert not PendingChange.objects.filter(association=listing).exists()


def test_other_school_hours_need_hours(manager_client, listing):
    data = builders.editor_post_data(listing)
    data["places-0-school_holidays"] = "hours"
    response = manager_client.post(edit_url(listing), data)
    assert response.status_code == 200
    assert "Indiquez les horaires des vacances" in response.content.decode()


def current_values(association):
    return values_lib.values_from_association(values_lib.for_values().get(pk=association.pk))


def test_a_check_warns_before_the_school_calendar_runs_out():
    assert calendar.check_school_calendar() == []
    end = calendar.school_calendar_end()
    with time_machine.travel(datetime(end.year, end.month, 1, 12, tzinfo=PARIS), tick=False):
        (warning,) = calendar.check_school_calendar()
    assert warning.id == "directory.W010"


def test_the_admin_edits_the_calendar_rules_too(admin_client, listing):
    from directory.models import Association
    from tests.test_admin import admin_url, form_data

    url = admin_url(Association, "change", listing.pk)
    page = admin_client.get(url)
    data = form_data(page, "association_form")
    assert data["places-0-exceptions"] == ""
    data.update(
        {
            "places-0-public_holidays": "open",
            "places-0-exceptions": "24/12/2026 - 02/01/2027 : fermé",
            "_save": "Enregistrer",
        }
    )
    assert admin_client.post(url, data).status_code == 302
    place = listing.places.get()
    assert place.public_holidays == "open"
    assert place.exceptions == [{"start": "2026-12-24", "end": "2027-01-02", "hours": {}}]
    assert OpeningSlot.objects.filter(place=place, kind=OpeningSlot.Kind.DATED).count() == 1
    data["places-0-exceptions"] = "31/02/2027 : fermé"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Ligne 1 : Date invalide : 31/02/2027." in response.content.decode()


@time_machine.travel(paris(2026, 12, 24, 19, 0), tick=False)
@pytest.mark.parametrize(
    "query",
    [
        "ouvert=maintenant",
        "ouvert=weekend",
        "ouvert=le&date=2026-12-25",
        "q=marche&ouvert=soir",
        "ouvert=sans-horaires",
    ],
)
def test_no_per_listing_subquery(client, settings, town, query):
    """The open sets are subqueries the database runs once (semi- and anti-joins), with the
    Christmas closure of a place in force (its NOT EXISTS)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.test_search_plans import per_row_subqueries

    settings.SEARCH_CACHE_SECONDS = settings.FACETS_CACHE_SECONDS = settings.LISTINGS_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/associations/?{query}").status_code == 200
    selects = [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert any("directory_openingslot" in sql for sql in selects)
    offenders = {sql[:120]: per_row_subqueries(sql) for sql in selects}
    assert {sql: found for sql, found in offenders.items() if found} == {}


def test_holiday_names_follow_the_language():
    from django.utils import translation

    with translation.override("en"):
        assert calendar.public_holiday(paris(2027, 7, 14).date()) == "National Day"
    assert calendar.public_holiday(paris(2027, 7, 14).date()) == "Fête nationale"


def test_reverting_restores_the_calendar_rules_and_the_open_set(listing, manager, moderator):
    from directory.moderation import services as moderation_services

    first = builders.propose_edit(listing, manager, phone="04 00 00 00 01")
    editing_services.pending_change_approve(change=first, moderator=moderator)
    closed = {"start": "2026-12-24", "end": "2027-01-02", "hours": {}}
    places = [{**values_lib.current_state(listing)["places"][0], "exceptions": [closed]}]
    second = builders.propose_edit(listing, manager, places=places)
    editing_services.pending_change_approve(change=second, moderator=moderator)
    assert listing.places.get().exceptions == [closed]
    approved = AssociationChange.objects.filter(association=listing, action="change_approved").order_by("pk")
    moderation_services.association_revert(association=listing, change=approved.first(), moderator=moderator)
    assert listing.places.get().exceptions == []
    assert not OpeningSlot.objects.filter(association_id=listing.pk, kind=OpeningSlot.Kind.DATED).exists()
