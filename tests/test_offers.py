"""Services (directory/models/offers.py) as part of a listing's state: proposed, approved, logged."""

import pytest

from directory.editing import services as editing_services
from directory.listings import state
from directory.models import AssociationChange, Service
from tests import builders

pytestmark = pytest.mark.django_db

FRENCH_CLASSES = {
    "name": "Cours de français",
    "description": "Des cours de français pour adultes, tous niveaux, en petits groupes.",
    "kind": Service.Kind.FORMATION,
    "categories": ["apprendre-le-francais", "not-a-category"],
    "audiences": ["migrants-refugies"],
    "fees": Service.Fees.FREE,
    "reception": Service.Reception.WALK_IN,
    "modes": [Service.Mode.IN_PERSON],
    "mobilisation": [Service.Mobilisation.COME],
    "languages": ["fr", "ar"],
    "places": [1],
    "hours": {"5": [["09:00", "12:00"]]},
    "paused_until": None,
}


def _values(association):
    return state.values_from_association(state.for_values().get(pk=association.pk))


def test_a_listing_without_services_has_an_empty_list():
    association = builders.make_association()
    assert _values(association)["services"] == []


def test_approving_a_change_writes_its_services_and_logs_them():
    association = builders.make_association(places=2)
    change = builders.propose_edit(association, builders.make_user(), services=[FRENCH_CLASSES])
    editing_services.pending_change_approve(change=change, moderator=builders.make_moderator())

    service = Service.objects.get(association=association)
    assert service.name == "Cours de français"
    assert service.categories == ["apprendre-le-francais"]  # unknown codes dropped
    assert service.languages == ["fr", "ar"]
    assert [p.position for p in service.places.all()] == [1]
    assert service.free
    assert service.walk_in
    assert not service.remote
    logged = AssociationChange.objects.filter(association=association).latest("created_at").changes
    assert logged["services"]["old"] == []
    assert logged["services"]["new"][0]["name"] == "Cours de français"

    values = _values(association)["services"]
    assert values[0]["places"] == [1]
    assert values[0]["hours"] == {"5": [["09:00", "12:00"]]}


def test_services_are_reused_by_position_and_removed_when_dropped():
    association = builders.make_association()
    moderator = builders.make_moderator()
    homework = {"name": "Aide aux devoirs", "fees": Service.Fees.FREE}
    change = builders.propose_edit(association, builders.make_user(), services=[FRENCH_CLASSES, homework])
    editing_services.pending_change_approve(change=change, moderator=moderator)
    first = Service.objects.get(association=association, position=0)
    first.source, first.source_id = "dora", "dora--1"
    first.save()

    paused = {**FRENCH_CLASSES, "status": Service.Status.PAUSED, "paused_until": "2027-01-31"}
    change = builders.propose_edit(association, builders.make_user(), services=[paused])
    editing_services.pending_change_approve(change=change, moderator=moderator)

    (service,) = Service.objects.filter(association=association)
    assert service.pk == first.pk
    assert service.source_id == "dora--1"
    assert service.paused_until.isoformat() == "2027-01-31"
    assert service.places.count() == 0  # place 1 no longer exists: the listing has one place
    assert not service.is_running(today=service.paused_until)
    assert Service.objects.running(today=service.paused_until).count() == 0


def test_a_change_proposed_before_services_existed_leaves_them_alone():
    association = builders.make_association()
    moderator = builders.make_moderator()
    change = builders.propose_edit(association, builders.make_user(), services=[FRENCH_CLASSES])
    editing_services.pending_change_approve(change=change, moderator=moderator)
    old = builders.propose_edit(association, builders.make_user(), name="Nouveau nom")
    old.proposed.pop("services")
    old.save()
    editing_services.pending_change_approve(change=old, moderator=moderator)
    assert Service.objects.filter(association=association).count() == 1


def test_history_shows_services_in_words():
    text = state.display_value("services", [FRENCH_CLASSES])
    assert text.startswith("Cours de français · ")
    assert "Gratuit" in text
    assert "Sans rendez-vous" in text
    assert state.field_label("services") == "Services"


# The services pages of the association space ----------------------------------------------------

import uuid  # noqa: E402

from django.urls import reverse  # noqa: E402

from directory.models import PendingChange  # noqa: E402
from directory.offers import quality  # noqa: E402


def _form_data(association, change=None, **overrides):
    data = {
        "name": "Cours de français",
        "description": "Des cours pour adultes.",
        "categories": ["cours-de-francais-fle"],
        "fees": Service.Fees.FREE,
        "reception": Service.Reception.WALK_IN,
        "modes": [Service.Mode.IN_PERSON],
        "places": ["0"],
        "mobilisation": [Service.Mobilisation.COME],
        "languages": ["fr", "ar"],
        "hours_5": "9h-12h",
        "status": Service.Status.RUNNING,
        "base_version": association.version,
        "pending_revision": change.revision if change else 0,
        "form_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


@pytest.fixture
def managed(client):
    association = builders.make_association("Maison des langues", categories=("cours-de-francais-fle",))
    manager = builders.make_manager(association)
    client.force_login(manager)
    return association


def test_a_manager_adds_a_service_as_a_pending_change(client, managed):
    response = client.post(reverse("directory:service_add", args=[managed.slug]), _form_data(managed))
    assert response.status_code == 302
    change = PendingChange.objects.open().get(association=managed)
    (service,) = change.proposed["services"]
    assert service["name"] == "Cours de français"
    assert service["places"] == [0]
    assert service["hours"] == {"5": [["09:00", "12:00"]]}
    assert not Service.objects.filter(association=managed).exists()  # published after moderation

    page = builders.soup(client.get(reverse("directory:services", args=[managed.slug])))
    assert [h.get_text(" ", strip=True) for h in page.select("#services h2")] == ["Cours de français"]
    assert "Complet à" in page.select_one("#services .quality").get_text()


def test_a_trusted_listing_publishes_its_service_at_once(client, managed):
    managed.trusted = True
    managed.save()
    client.post(reverse("directory:service_add", args=[managed.slug]), _form_data(managed))
    assert Service.objects.get(association=managed).name == "Cours de français"


def test_editing_amends_the_open_change_and_pausing_keeps_the_date(client, managed):
    client.post(reverse("directory:service_add", args=[managed.slug]), _form_data(managed))
    change = PendingChange.objects.open().get(association=managed)
    data = _form_data(managed, change, status=Service.Status.PAUSED, paused_until="2027-03-01")
    response = client.post(reverse("directory:service_edit", args=[managed.slug, 0]), data)
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.revision == 2
    assert change.proposed["services"][0]["status"] == "paused"
    assert change.proposed["services"][0]["paused_until"] == "2027-03-01"


def test_a_stale_form_writes_nothing_and_a_double_submit_writes_once(client, managed):
    data = _form_data(managed)
    client.post(reverse("directory:service_add", args=[managed.slug]), data)
    client.post(reverse("directory:service_add", args=[managed.slug]), data)  # the same form twice
    change = PendingChange.objects.open().get(association=managed)
    assert len(change.proposed["services"]) == 1

    stale = _form_data(managed, name="Autre service")  # opened before the change: revision 0
    response = client.post(reverse("directory:service_add", args=[managed.slug]), stale, follow=True)
    assert "Rien n'a été enregistré" in builders.visible_text(response)
    change.refresh_from_db()
    assert [s["name"] for s in change.proposed["services"]] == ["Cours de français"]


def test_removing_a_service(client, managed):
    managed.trusted = True
    managed.save()
    client.post(reverse("directory:service_add", args=[managed.slug]), _form_data(managed))
    managed.refresh_from_db()
    data = {"base_version": managed.version, "pending_revision": 0, "form_token": str(uuid.uuid4())}
    client.post(reverse("directory:service_remove", args=[managed.slug, 0]), data)
    assert not Service.objects.filter(association=managed).exists()
    bad = client.post(reverse("directory:service_remove", args=[managed.slug, 0]), {"base_version": "x"})
    assert bad.status_code == 302  # a malformed form: a message, nothing written


def test_the_form_explains_what_is_missing(client, managed):
    data = _form_data(managed, places=[], mobilisation=[Service.Mobilisation.LINK], booking_url="", name="ab")
    response = client.post(reverse("directory:service_add", args=[managed.slug]), data)
    assert response.status_code == 200
    page = builders.soup(response)
    errors = page.get_text()
    assert "Choisissez au moins un lieu" in errors
    assert "Indiquez le lien" in errors
    assert not PendingChange.objects.filter(association=managed).exists()
    assert client.get(reverse("directory:service_edit", args=[managed.slug, 3])).status_code == 404


def test_services_page_queries(client, managed, django_assert_num_queries):
    # 1. session   2. user   3. the listing, managed by the user   4. its open change
    # 5-11. the listing's values (listing, categories, audiences, languages, places, photos, services)
    with django_assert_num_queries(11):
        client.get(reverse("directory:services", args=[managed.slug]))


# Quality -----------------------------------------------------------------------------------------


def test_quality_of_a_service_names_what_is_missing():
    listing = {"places": [{"hours": {}}], "phone": ""}
    bare = quality.service_score({"name": "Colis", "modes": ["en-presentiel"]}, listing)
    assert bare.score == 0
    assert "Choisissez au moins un besoin auquel le service répond." in bare.missing
    full = quality.service_score(
        {
            "categories": ["distribution-alimentaire"],
            "description": "Un colis par semaine pour les familles du quartier. " * 5,
            "audiences": ["familles"],
            "fees": "gratuit",
            "reception": "walk_in",
            "mobilisation": ["se-presenter"],
            "phone": "04 78 00 00 00",
            "modes": ["en-presentiel"],
            "places": [0],
            "hours": {"2": [["09:00", "12:00"]]},
            "languages": ["fr"],
        },
        listing,
    )
    assert full.score == 100
    assert full.missing == []


def test_listing_quality_is_stored_when_published():
    association = builders.make_association(phone="04 78 00 00 00", languages=("fr",))
    association.refresh_from_db()
    assert 0 < association.quality < 100
    change = builders.propose_edit(association, builders.make_user(), services=[FRENCH_CLASSES])
    editing_services.pending_change_approve(change=change, moderator=builders.make_moderator())
    before = association.quality
    association.refresh_from_db()
    assert association.quality > before


def test_a_refresh_writes_only_the_scores_that_changed():
    # Geocoding refreshes every listing whose places moved: their scores did not change.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from directory.models import Association
    from directory.offers import quality

    same = builders.make_association("Club de lecture", phone="04 78 00 00 00")
    other = builders.make_association("Club de dessin")
    Association.objects.filter(pk=other.pk).update(phone="04 78 00 00 01")  # a raw change
    before = Association.objects.get(pk=other.pk).quality
    with CaptureQueriesContext(connection) as captured:
        assert quality.refresh([same, other]) == 1
    updates = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    assert Association.objects.get(pk=other.pk).quality > before
    with CaptureQueriesContext(connection) as captured:
        assert quality.refresh([same, other]) == 0
    assert not [q for q in captured.captured_queries if q["sql"].startswith("UPDATE")]


def test_a_refresh_stores_the_score_of_the_whole_state_in_one_query(django_assert_num_queries):
    """refresh() reads what the criteria read (columns and flags), in one query for a batch; each
    listing's stored score is the one its whole state gives, as the association space shows it."""
    import datetime

    from django.utils import timezone

    from directory.models import Association
    from directory.offers import quality

    listings = [
        builders.make_association("Sans rien", short_description="", places=0),
        builders.make_association(
            "Tout",
            categories=["apprendre-le-francais"],
            languages=("fr", "ar"),
            hours={"0": [["09:00", "12:00"]]},
            phone="04 78 00 00 00",
            fees="free",
            reception="walk_in",
            description="Des cours de français pour adultes, tous niveaux, en petits groupes. " * 4,
            last_verified_at=timezone.localdate() - datetime.timedelta(days=400),
        ),
        builders.make_association("Des horaires", hours={"2": [["14:00", "18:00"]]}, email="a@example.org"),
        builders.make_association("Deux lieux sans horaires", places=2, fees="paid"),
    ]
    Service.objects.create(association=listings[3], name="Atelier", categories=["football"])
    Association.objects.update(quality=101)  # a score none has: every one is written again
    pks = [listing.pk for listing in listings]
    with django_assert_num_queries(2):  # the values, then the scores that changed
        assert quality.refresh(pks) == 4
    for listing in Association.objects.filter(pk__in=pks):
        assert listing.quality == quality.listing_score(state.current_state(listing)).score, listing.name
    assert len({listing.quality for listing in Association.objects.filter(pk__in=pks)}) == 4


def test_the_listing_form_keeps_the_proposed_services(client, managed):
    client.post(reverse("directory:service_add", args=[managed.slug]), _form_data(managed))
    change = PendingChange.objects.open().get(association=managed)
    data = builders.editor_post_data(managed)
    data["listing-short_description"] = "Des cours de langues pour tous."
    response = client.post(reverse("directory:edit_all", args=[managed.slug]), data)
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.proposed["short_description"] == "Des cours de langues pour tous."
    assert [s["name"] for s in change.proposed["services"]] == ["Cours de français"]


def test_editing_an_imported_service_keeps_its_source(client, managed):
    managed.trusted = True
    managed.save()
    Service.objects.create(association=managed, name="Colis", source="dora", source_id="dora--7")
    Service.objects.create(association=managed, name="Cours du soir")
    managed.refresh_from_db()
    data = {"base_version": managed.version, "pending_revision": 0, "form_token": str(uuid.uuid4())}
    client.post(reverse("directory:service_remove", args=[managed.slug, 0]), data)
    (left,) = Service.objects.filter(association=managed)
    assert left.name == "Cours du soir"
    assert left.source_id == ""

    managed.refresh_from_db()
    Service.objects.create(association=managed, name="Colis", source="dora", source_id="dora--7", position=1)
    managed.refresh_from_db()
    response = client.post(
        reverse("directory:service_edit", args=[managed.slug, 1]), _form_data(managed, name="Colis du mardi")
    )
    assert response.status_code == 302
    edited = Service.objects.get(association=managed, source_id="dora--7")
    assert edited.name == "Colis du mardi"
    assert edited.source == "dora"
