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
