"""Volunteer needs: managers publish, edit and withdraw needs; /benevolat/ lists
the current ones with filters; residents answer through a rate-limited, human-checked form whose
answers are stored and e-mailed to the managers, never showing the association's address."""

import datetime
import time
import uuid

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from directory import security
from directory.models import Association, AssociationChange, VolunteerNeed, VolunteerResponse
from tests import builders

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
ASSOCIATION_EMAIL = "contact@epicerie.example"  # the `listing` fixture's public address


def today():
    return timezone.localdate()


def manage_url(association):
    return reverse("directory:volunteer_manage", args=[association.slug])


def edit_url(need):
    return reverse("directory:volunteer_edit", args=[need.association.slug, need.pk])


def archive_url(need):
    return reverse("directory:volunteer_archive", args=[need.association.slug, need.pk])


def responses_url(need):
    return reverse("directory:volunteer_responses", args=[need.association.slug, need.pk])


def need_form(association, **overrides):
    """The POST data of the managers' form: weekdays and evenings at the listing's first place."""
    data = {
        "title": "Distribution de colis",
        "description": "Préparer les colis <b>le mardi</b>.\nAccueillir les familles.",
        "schedule": "Le mardi de 14 h à 17 h",
        "moments": ["semaine", "soirs"],
        "starts_on": "",
        "ends_on": (today() + datetime.timedelta(days=60)).isoformat(),
        "place": str(association.places.first().pk),
        "area": "",
        "skills": "Porter des cartons",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def answer(**overrides):
    """What a resident sends, a few seconds after opening the form."""
    data = {
        "name": "Camille Martin",
        "email": "camille@example.org",
        "phone": "06 12 34 56 78",
        "message": "Je suis disponible le mardi après-midi.",
        "consent": "on",
        "form_token": str(uuid.uuid4()),
        "website": "",
        "form_started": security.form_stamp(now=time.time() - 5),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def need(listing):
    return builders.make_need(listing)


# Managers: publish, edit, withdraw -------------------------------------------------------------


def test_manage_page_links_to_the_volunteer_needs(manager_client, listing):
    page = builders.soup(manager_client.get(reverse("directory:manage", args=[listing.slug])))
    assert page.select_one("#volunteer-link")["href"] == manage_url(listing)


def test_manager_publishes_a_need_shown_on_the_listing_and_on_benevolat(
    manager_client, client, listing, manager
):
    response = manager_client.post(manage_url(listing), need_form(listing))
    assert response.status_code == 302
    need = VolunteerNeed.objects.get()
    assert (need.association, need.created_by, need.place, need.area) == (
        listing,
        manager,
        listing.places.first(),
        None,
    )
    assert (need.on_weekdays, need.on_evenings, need.on_weekends, need.one_off) == (True, True, False, False)
    entry = AssociationChange.objects.get(association=listing, action="volunteer_need_published")
    assert (entry.actor, entry.origin, entry.changes["volunteer_need"]["new"]) == (
        manager,
        "manager",
        "Distribution de colis",
    )

    client.logout()
    page = builders.soup(client.get(listing.get_absolute_url()))
    cards = page.select("#benevolat #volunteer-needs > li")
    assert len(cards) == 1
    assert cards[0].h3.get_text(strip=True) == "Distribution de colis"
    assert cards[0].select_one("a.button")["href"] == need.get_absolute_url() + "#proposer"
    assert "Proposer mon aide" in cards[0].select_one("a.button").get_text()
    listed = builders.soup(client.get("/benevolat/"))
    assert [li.h3.get_text(strip=True) for li in listed.select("#needs > li")] == ["Distribution de colis"]
    # The description is escaped, its lines kept.
    detail = client.get(need.get_absolute_url())
    assert b"&lt;b&gt;le mardi&lt;/b&gt;" in detail.content
    assert builders.soup(detail).select_one("#need-description b") is None


def test_a_need_for_an_area_instead_of_a_place(manager_client, listing):
    response = manager_client.post(manage_url(listing), need_form(listing, place="", area="lyon"))
    assert response.status_code == 302
    need = VolunteerNeed.objects.get()
    assert (need.place, need.area.slug) == (None, "lyon")
    # A place wins over an area given as well.
    manager_client.post(manage_url(listing), need_form(listing, title="Autre", area="villeurbanne"))
    assert VolunteerNeed.objects.get(title="Autre").area is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"description": ""}, "description"),
        ({"description": "x" * 2001}, "description"),
        ({"moments": None}, "moments"),
        ({"moments": ["la-nuit"]}, "moments"),
        ({"ends_on": ""}, "ends_on"),
        ({"ends_on": "31/02/2026"}, "ends_on"),
        ({"ends_on": "yesterday"}, "ends_on"),
        ({"ends_on": "PAST"}, "ends_on"),
        ({"ends_on": "FAR"}, "ends_on"),
        ({"starts_on": "AFTER_END"}, "starts_on"),
        ({"place": "", "area": ""}, "place"),
        ({"place": "OTHER"}, "place"),
        ({"place": "999999"}, "place"),
        ({"place": "", "area": "nulle-part"}, "area"),
        ({"skills": "x" * 301}, "skills"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(manager_client, listing, other_listing, overrides, field):
    values = dict(overrides)
    if values.get("ends_on") == "PAST":
        values["ends_on"] = (today() - datetime.timedelta(days=1)).isoformat()
    elif values.get("ends_on") == "FAR":
        values["ends_on"] = (today() + datetime.timedelta(days=400)).isoformat()
    if values.get("starts_on") == "AFTER_END":
        values["starts_on"] = (today() + datetime.timedelta(days=90)).isoformat()
    if values.get("place") == "OTHER":
        values["place"] = str(other_listing.places.first().pk)
    response = manager_client.post(manage_url(listing), need_form(listing, **values))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not VolunteerNeed.objects.exists()
    assert not AssociationChange.objects.filter(action="volunteer_need_published").exists()


def test_editing_logs_old_and_new_values_and_nothing_when_unchanged(manager_client, listing, manager, need):
    form = need_form(listing, title=need.title, description=need.description, schedule="", skills="")
    form["moments"] = ["semaine"]
    form["ends_on"] = need.ends_on.isoformat()
    response = manager_client.post(edit_url(need), form)
    assert response.status_code == 302
    assert not AssociationChange.objects.filter(action="volunteer_need_updated").exists()

    before = need.ends_on.isoformat()
    later = (today() + datetime.timedelta(days=90)).isoformat()
    response = manager_client.post(edit_url(need), {**form, "ends_on": later, "moments": ["week-end"]})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.ends_on.isoformat() == later
    assert need.on_weekends
    assert not need.on_weekdays
    entry = AssociationChange.objects.get(association=listing, action="volunteer_need_updated")
    assert entry.actor == manager
    assert entry.changes["volunteer_need.ends_on"] == {"old": before, "new": later}
    assert entry.changes["volunteer_need.on_weekends"] == {"old": False, "new": True}
    assert set(entry.changes) == {
        "volunteer_need.ends_on",
        "volunteer_need.on_weekdays",
        "volunteer_need.on_weekends",
    }


def test_the_edit_form_shows_the_stored_values(manager_client, need):
    page = builders.soup(manager_client.get(edit_url(need)))
    assert page.select_one("input[name=title]")["value"] == need.title
    assert [box["value"] for box in page.select("input[name=moments][checked]")] == ["semaine"]
    assert page.select_one("input[name=ends_on]")["value"] == need.ends_on.isoformat()


def test_an_ended_need_can_be_extended_and_is_public_again(manager_client, client, listing):
    ended = builders.make_need(listing, days_left=-3)
    assert client.get(ended.get_absolute_url()).status_code == 410
    form = need_form(listing, title=ended.title, description=ended.description, moments=["semaine"])
    assert manager_client.post(edit_url(ended), form).status_code == 302
    assert client.get(ended.get_absolute_url()).status_code == 200


def test_archiving_hides_the_need_everywhere_and_is_logged(manager_client, client, listing, manager, need):
    assert manager_client.get(archive_url(need)).status_code == 405
    response = manager_client.post(archive_url(need))
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.archived
    assert need.archived_at is not None
    entry = AssociationChange.objects.get(association=listing, action="volunteer_need_archived")
    assert (entry.actor, entry.changes["volunteer_need"]["old"]) == (manager, need.title)
    # A second POST changes nothing and logs nothing.
    manager_client.post(archive_url(need))
    assert AssociationChange.objects.filter(action="volunteer_need_archived").count() == 1
    # Archived needs cannot be edited any more.
    assert manager_client.get(edit_url(need)).status_code == 302
    client.logout()
    assert client.get(need.get_absolute_url()).status_code == 404
    assert builders.soup(client.get(listing.get_absolute_url())).select_one("#benevolat") is None
    assert builders.soup(client.get("/benevolat/")).select_one("#needs") is None


# Permissions ---------------------------------------------------------------------------------


def _manager_urls(need):
    return [manage_url(need.association), edit_url(need), responses_url(need)]


def test_anonymous_is_sent_to_log_in(client, need):
    for url in [*_manager_urls(need), archive_url(need)]:
        response = client.post(url) if url == archive_url(need) else client.get(url)
        assert response.status_code == 302, url
        assert "next=" in response["Location"], url
    assert client.post(manage_url(need.association), need_form(need.association)).status_code == 302
    assert VolunteerNeed.objects.count() == 1
    assert not VolunteerNeed.objects.get().archived


@pytest.mark.parametrize("persona", ["other_manager", "plain_user"])
def test_other_managers_and_plain_users_get_404(client, need, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for url in _manager_urls(need):
        assert client.get(url).status_code == 404, url
    assert client.post(archive_url(need)).status_code == 404
    assert client.post(manage_url(need.association), need_form(need.association)).status_code == 404
    assert VolunteerNeed.objects.count() == 1
    assert not VolunteerNeed.objects.get().archived


def test_a_need_of_another_listing_through_ones_own_listing_is_404(
    client, need, other_listing, other_manager
):
    client.force_login(other_manager)
    for name in ("volunteer_edit", "volunteer_responses", "volunteer_archive"):
        url = reverse(f"directory:{name}", args=[other_listing.slug, need.pk])
        response = client.post(url) if name == "volunteer_archive" else client.get(url)
        assert response.status_code == 404, name
    need.refresh_from_db()
    assert not need.archived


def test_a_moderator_is_not_a_manager_and_withdraws_from_the_admin(moderator_client, moderator, need):
    for url in _manager_urls(need):
        assert moderator_client.get(url).status_code == 404, url
    assert moderator_client.post(archive_url(need)).status_code == 404
    assert not AssociationChange.objects.filter(action="volunteer_need_archived").exists()
    admin_url = reverse("admin:directory_volunteerneed_changelist")
    moderator.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_volunteerneed", "change_volunteerneed"])
    )
    response = moderator_client.post(admin_url, {"action": "archive", "_selected_action": [need.pk]})
    assert response.status_code == 302
    entry = AssociationChange.objects.get(action="volunteer_need_archived")
    assert (entry.actor, entry.origin) == (moderator, "moderator")


def test_managers_see_the_answers_with_counts(manager_client, need, listing):
    VolunteerResponse.objects.create(
        need=need,
        name="Camille",
        email="camille@example.org",
        message="Dispo <i>mardi</i>",
        form_token=uuid.uuid4(),
    )
    page = builders.soup(manager_client.get(manage_url(listing)))
    assert "1 réponse" in page.select_one("#volunteer-needs").get_text(" ", strip=True)
    response = manager_client.get(responses_url(need))
    page = builders.soup(response)
    [card] = page.select("#responses > li")
    assert card.h2.get_text(strip=True) == "Camille"
    assert card.select_one("a[href='mailto:camille@example.org']")
    assert card.select_one(".prose i") is None  # escaped


# /benevolat/ ----------------------------------------------------------------------------------


def test_only_current_needs_are_listed(client, listing):
    builders.make_need(listing, title="En cours")
    builders.make_need(listing, title="Dernier jour", days_left=0)
    builders.make_need(listing, title="Terminée", days_left=-1)
    builders.make_need(listing, title="Retirée", archived=True)
    hidden = builders.make_association("Association en attente", status=Association.Status.PENDING)
    builders.make_need(hidden, title="Fiche non publiée")
    page = builders.soup(client.get("/benevolat/"))
    titles = sorted(li.h3.get_text(strip=True) for li in page.select("#needs > li"))
    assert titles == ["Dernier jour", "En cours"]
    # The listing page shows the same, and each card names its association on /benevolat/.
    on_listing = builders.soup(client.get(listing.get_absolute_url()))
    assert sorted(h.get_text(strip=True) for h in on_listing.select("#volunteer-needs h3")) == titles
    assert listing.name in page.select_one("#needs").get_text()


def test_a_need_disappears_the_day_after_its_end_date(client, listing, need):
    assert VolunteerNeed.objects.current(today=need.ends_on).filter(pk=need.pk).exists()
    assert not VolunteerNeed.objects.current(today=need.ends_on + datetime.timedelta(days=1)).exists()


def test_empty_state(client):
    page = builders.soup(client.get("/benevolat/"))
    assert page.select_one("#needs") is None
    empty = page.select_one("#no-needs")
    assert "Aucun besoin de bénévoles publié" in empty.get_text()
    assert empty.select_one("a[href='/associations/?benevoles=1']")
    page = builders.soup(client.get("/benevolat/", {"moment": "week-end"}))
    assert "ne correspond à ces critères" in page.select_one("#no-needs").get_text()


@pytest.fixture
def spread(listing, other_listing):
    """Needs in Lyon 7e (food aid, weekdays), Lyon 1er (football, week-end), for all of Lyon
    (food aid, one-off) and in Villeurbanne (football, evenings)."""
    villeurbanne = builders.make_association(
        "Basket Villeurbanne", categories=["football"], area_slug="villeurbanne"
    )
    return {
        "gerland": builders.make_need(listing, title="Colis Gerland"),
        "pentes": builders.make_need(
            other_listing, title="Match Pentes", on_weekdays=False, on_weekends=True
        ),
        "lyon": builders.make_need(
            listing, title="Collecte Lyon", area=builders.area("lyon"), on_weekdays=False, one_off=True
        ),
        "villeurbanne": builders.make_need(
            villeurbanne, title="Entraînement", on_weekdays=False, on_evenings=True
        ),
    }


def listed(client, **params):
    response = client.get("/benevolat/", params)
    assert response.status_code == 200
    return sorted(li.h3.get_text(strip=True) for li in builders.soup(response).select("#needs > li"))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Collecte Lyon", "Colis Gerland", "Entraînement", "Match Pentes"]),
        ({"territoire": "lyon"}, ["Collecte Lyon", "Colis Gerland", "Match Pentes"]),
        # A need for all of Lyon is shown in an arrondissement, with the needs at a place there.
        ({"territoire": "lyon-7"}, ["Collecte Lyon", "Colis Gerland"]),
        ({"territoire": "villeurbanne"}, ["Entraînement"]),
        ({"categorie": "alimentation"}, ["Collecte Lyon", "Colis Gerland"]),  # parent of épicerie
        ({"categorie": "football"}, ["Entraînement", "Match Pentes"]),
        ({"moment": "week-end"}, ["Match Pentes"]),
        ({"moment": "soirs"}, ["Entraînement"]),
        ({"moment": "ponctuel", "territoire": "lyon-7"}, ["Collecte Lyon"]),
        ({"categorie": "football", "territoire": "lyon"}, ["Match Pentes"]),
    ],
)
def test_filters(client, spread, params, expected):
    assert listed(client, **params) == sorted(expected)


@pytest.mark.parametrize(
    "query",
    [
        "territoire=nulle-part",
        "categorie=%00%ff",
        "moment=la-nuit",
        "moment=week-end&moment=",
        "territoire[]=lyon&categorie=x" + "y" * 5000,
        "page=abc",
        "page=-1",
        "page=99999999999999999999",
        "moment=%F0%9F%98%80&territoire=%27%22%3E%3Cscript%3E",
    ],
)
def test_garbage_parameters_never_500(client, spread, query):
    response = client.get(f"/benevolat/?{query}")
    assert response.status_code == 200
    assert len(builders.soup(response).select("#needs > li")) >= 1
    assert b"<script>" not in response.content


def test_an_invalid_filter_is_ignored_and_said(client, spread):
    response = client.get("/benevolat/", {"territoire": "nulle-part", "moment": "week-end"})
    page = builders.soup(response)
    assert "nulle-part" in page.select_one(".notice").get_text()
    assert [li.h3.get_text(strip=True) for li in page.select("#needs > li")] == ["Match Pentes"]


def test_the_filter_form_works_without_javascript_and_keeps_values(client, spread):
    page = builders.soup(client.get("/benevolat/", {"moment": "soirs", "territoire": "villeurbanne"}))
    form = page.select_one("form#volunteer-filters")
    assert form["method"] == "get"
    assert form["action"] == "/benevolat/"
    assert form.select_one("select[name=moment] option[selected]")["value"] == "soirs"
    assert form.select_one("select[name=territoire] option[selected]")["value"] == "villeurbanne"
    assert form.select_one("button[type=submit]")
    for name in ("categorie", "territoire", "moment"):
        assert page.select_one(f"label[for=id_{name}]")


def test_pagination(client, listing, settings):
    settings.RESULTS_PER_PAGE = 2
    for n in range(5):
        builders.make_need(listing, title=f"Mission {n}")
    page = builders.soup(client.get("/benevolat/", {"page": "3"}))
    assert len(page.select("#needs > li")) == 1
    assert page.select_one(".pagination a[rel=prev]")["href"] == "?page=2"


# A need's page ---------------------------------------------------------------------------------


def test_need_page_never_shows_the_association_email(client, listing, need):
    response = client.get(need.get_absolute_url())
    assert response.status_code == 200
    page = builders.soup(response)
    assert page.h1.get_text(strip=True) == need.title
    assert page.select_one("form#answer-form")["method"] == "post"
    assert ASSOCIATION_EMAIL not in response.content.decode()
    assert client.head(need.get_absolute_url()).status_code == 200
    assert client.put(need.get_absolute_url()).status_code == 405


@pytest.mark.parametrize("case", ["archived", "unpublished", "unknown"])
def test_withdrawn_or_hidden_needs_are_404(client, listing, need, case):
    if case == "archived":
        need.archived = True
        need.save()
    elif case == "unpublished":
        Association.objects.filter(pk=listing.pk).update(status=Association.Status.ARCHIVED)
    url = "/benevolat/999999/" if case == "unknown" else need.get_absolute_url()
    assert client.get(url).status_code == 404
    assert client.post(url, answer()).status_code == 404
    assert client.get(url + "merci/").status_code == 404
    assert not VolunteerResponse.objects.exists()


def test_an_ended_need_answers_410_and_takes_no_answer(client, listing):
    ended = builders.make_need(listing, days_left=-1)
    response = client.get(ended.get_absolute_url())
    assert response.status_code == 410
    assert "n'est plus ouverte" in builders.visible_text(response)
    assert builders.soup(response).select_one("form#answer-form") is None
    assert client.post(ended.get_absolute_url(), answer()).status_code == 410
    assert not VolunteerResponse.objects.exists()


# Answering --------------------------------------------------------------------------------


def test_an_answer_is_stored_and_mailed_to_each_manager(
    client, listing, manager, need, django_capture_on_commit_callbacks
):
    second = builders.make_manager(listing, "deuxieme")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(need.get_absolute_url(), answer())
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:volunteer_thanks", args=[need.pk])
    stored = VolunteerResponse.objects.get()
    assert (stored.need, stored.name, stored.email, stored.phone) == (
        need,
        "Camille Martin",
        "camille@example.org",
        "06 12 34 56 78",
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([manager.email, second.email])
    for message in mail.outbox:
        assert len(message.to) == 1
        assert message.reply_to == ["camille@example.org"]
        assert need.title in message.subject
        assert "Je suis disponible le mardi après-midi." in message.body
        assert "06 12 34 56 78" in message.body
        assert responses_url(need) in message.body
        everything = message.message().as_string()
        assert ASSOCIATION_EMAIL not in everything
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert ASSOCIATION_EMAIL not in thanks.content.decode()


def test_without_managers_the_answer_goes_to_the_public_email(client, django_capture_on_commit_callbacks):
    orphan = builders.make_association("Sans gestionnaire", email="asso@orphan.example")
    need = builders.make_need(orphan)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(need.get_absolute_url(), answer()).status_code == 302
    [message] = mail.outbox
    assert message.to == ["asso@orphan.example"]
    assert message.reply_to == ["camille@example.org"]
    assert reverse("directory:claim", args=[orphan.slug]) in message.body
    assert "espace-association" not in message.body


def test_without_managers_nor_email_the_answer_is_kept(client, django_capture_on_commit_callbacks):
    need = builders.make_need(builders.make_association("Injoignable"))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(need.get_absolute_url(), answer()).status_code == 302
    assert VolunteerResponse.objects.count() == 1
    assert mail.outbox == []


def test_a_double_submit_stores_one_answer_and_sends_once(
    client, manager, need, django_capture_on_commit_callbacks
):
    data = answer()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(need.get_absolute_url(), data)
        second = client.post(need.get_absolute_url(), data)
    assert first.status_code == second.status_code == 302
    assert VolunteerResponse.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"email": "pas-un-email"}, "email"),
        ({"email": None}, "email"),
        ({"phone": "appelez-moi"}, "phone"),
        ({"phone": "1" * 31}, "phone"),
        ({"message": "   "}, "message"),
        ({"message": "x" * 2001}, "message"),
        ({"consent": None}, "consent"),
        ({"form_token": "pas-un-uuid"}, "form_token"),
        ({"form_token": None}, "form_token"),
    ],
)
def test_bad_answers_are_refused(client, manager, need, overrides, field, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(need.get_absolute_url(), answer(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert builders.soup(response).select_one("#form-errors[role=alert]")
    assert not VolunteerResponse.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"website": "http://spam.example"},  # the honeypot
        {"form_started": "NOW"},  # sent at once: a robot
        {"form_started": "forged"},
    ],
)
def test_robots_are_refused(client, manager, need, overrides, django_capture_on_commit_callbacks):
    if overrides.get("form_started") == "NOW":
        overrides = {"form_started": security.form_stamp()}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(need.get_absolute_url(), answer(**overrides))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not VolunteerResponse.objects.exists()
    assert mail.outbox == []


def test_the_answer_form_is_rate_limited(client, settings, need):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = [entry for entry in settings.RATE_LIMITS if entry[0] == "directory:volunteer_need"]
    cache.clear()
    limit = next(int(e[3].split("/")[0]) for e in settings.RATE_LIMITS if e[2] == "post:email")
    for n in range(limit):
        assert client.post(need.get_absolute_url(), answer()).status_code == 302, n
    response = client.post(need.get_absolute_url(), answer())
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert VolunteerResponse.objects.count() == limit
    # Another sender from another address still gets through; reading the page is not limited.
    other = client.post(
        need.get_absolute_url(), answer(email="autre@example.org"), REMOTE_ADDR="198.51.100.7"
    )
    assert other.status_code == 302
    assert client.get(need.get_absolute_url()).status_code == 200


def test_the_answer_limit_per_address(client, settings, need):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = [("directory:volunteer_need", "POST", "ip", "2/h")]
    cache.clear()
    for n in range(2):
        assert client.post(need.get_absolute_url(), answer(email=f"p{n}@example.org")).status_code == 302
    assert client.post(need.get_absolute_url(), answer(email="p9@example.org")).status_code == 429
    assert VolunteerResponse.objects.count() == 2


# Feed, sitemap, admin, navigation -----------------------------------------------------------------


def test_atom_feed_of_current_needs_with_filters(client, spread, listing):
    builders.make_need(listing, title="Terminée", days_left=-1)
    url = reverse("directory:feed_volunteer_needs")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    entries = etree.fromstring(response.content).findall(f"{ATOM}entry")
    titles = sorted(e.findtext(f"{ATOM}title").split(" · ")[0] for e in entries)
    assert titles == sorted(["Collecte Lyon", "Colis Gerland", "Entraînement", "Match Pentes"])
    filtered = etree.fromstring(client.get(url, {"moment": "week-end", "territoire": "zzz"}).content)
    assert [e.findtext(f"{ATOM}title") for e in filtered.findall(f"{ATOM}entry")] == [
        f"Match Pentes · {spread['pentes'].association.name}"
    ]
    page = builders.soup(client.get("/benevolat/"))
    assert page.select_one(f'head link[rel=alternate][href="{url}"]')


def test_sitemap_lists_current_needs_only(client, listing, need, settings):
    ended = builders.make_need(listing, days_left=-1)
    body = client.get("/sitemap-benevolat.xml").content.decode()
    assert f"{settings.SITE_URL}{need.get_absolute_url()}" in body
    assert f"{settings.SITE_URL}{ended.get_absolute_url()}" not in body
    assert f"{settings.SITE_URL}/benevolat/<" in client.get("/sitemap-pages.xml").content.decode()
    assert "sitemap-benevolat.xml" in client.get("/sitemap.xml").content.decode()


def test_sitemap_index_leaves_out_the_section_without_needs(client, listing):
    builders.make_need(listing, days_left=-1)
    assert "sitemap-benevolat.xml" not in client.get("/sitemap.xml").content.decode()


def test_site_navigation_links_to_benevolat(client):
    page = builders.soup(client.get("/"))
    assert page.select_one(".site-nav a[href='/benevolat/']")


def test_admin_lists_needs_and_answers_and_archives(client, superuser, need, listing):
    VolunteerResponse.objects.create(
        need=need, name="Camille", email="c@example.org", message="Oui", form_token=uuid.uuid4()
    )
    client.force_login(superuser)
    assert client.get(reverse("admin:directory_volunteerneed_changelist")).status_code == 200
    assert client.get(reverse("admin:directory_volunteerneed_change", args=[need.pk])).status_code == 200
    assert client.get(reverse("admin:directory_volunteerresponse_changelist")).status_code == 200
    response = client.post(
        reverse("admin:directory_volunteerneed_changelist"),
        {"action": "archive", "_selected_action": [need.pk]},
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.archived
    entry = AssociationChange.objects.get(action="volunteer_need_archived")
    assert (entry.actor, entry.origin) == (superuser, "moderator")


# Query counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 30])
def test_list_query_count(client, django_assert_num_queries, listing, n):
    for i in range(n):
        builders.make_need(listing, title=f"Mission {i}", area=builders.area("lyon") if i % 2 else None)
    # Filters and selects read the reference snapshot: no query.
    # 1. COUNT of the matching current needs
    # 2. the page of needs with their association, place (area, quartier) and area
    with django_assert_num_queries(2):
        response = client.get(
            "/benevolat/", {"territoire": "lyon", "categorie": "alimentation", "moment": "semaine"}
        )
    assert len(builders.soup(response).select("#needs > li")) == min(n, 20)


def test_detail_query_count(client, django_assert_num_queries, need):
    # 1. the need with its association, place (area, quartier) and area
    with django_assert_num_queries(1):
        response = client.get(need.get_absolute_url())
    assert response.status_code == 200


def test_the_moderators_group_withdraws_needs_but_does_not_read_answers(client, need):
    moderator = builders.make_group_moderator("moderatrice-groupe")
    client.force_login(moderator)
    assert client.get(reverse("admin:directory_volunteerneed_changelist")).status_code == 200
    assert client.get(reverse("admin:directory_volunteerresponse_changelist")).status_code == 403
    client.post(
        reverse("admin:directory_volunteerneed_changelist"),
        {"action": "archive", "_selected_action": [need.pk]},
    )
    need.refresh_from_db()
    assert need.archived
