"""RGPD: a person downloads their data; a moderator anonymises a person on request."""

import json

from django.contrib.auth import get_user_model

from directory.listings import services
from directory.models import AssociationChange, AssociationManager
from tests import builders


def test_my_data_needs_an_account(client, db):
    response = client.get("/espace-association/mes-donnees/")
    assert response.status_code == 302
    assert "/compte/connexion/" in response["Location"] or "login" in response["Location"]


def test_my_data_is_a_json_download_of_the_account_and_its_listings(client, db):
    listing = builders.make_association("Atelier vélo des Pentes", area_slug="lyon-1")
    manager = builders.make_manager(listing, "camille")
    client.force_login(manager)
    response = client.get("/espace-association/mes-donnees/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "camille@example.org"
    assert data["memberships"] == [{"association": "Atelier vélo des Pentes", "slug": listing.slug}]


def test_the_account_page_links_to_the_download(client, db):
    user = builders.make_user("dominique")
    client.force_login(user)
    page = builders.soup(client.get("/compte/"))
    assert page.select_one('a[href="/espace-association/mes-donnees/"]') is not None


def test_a_moderator_anonymises_a_person_and_the_history_stays(admin_client, db):
    listing = builders.make_association("Cuisine partagée de Vaise", area_slug="lyon-9")
    person = builders.make_manager(listing, "sacha")
    services.association_verify(association=listing, actor=person, origin="manager")
    response = admin_client.post(
        "/admin/auth/user/",
        {"action": "anonymise_users", "_selected_action": [person.pk]},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email == ""
    assert person.username.startswith("anonyme-")
    assert not person.is_active
    assert not person.has_usable_password()
    assert not AssociationManager.objects.filter(user=person).exists()
    # The history still says that this (now anonymous) account verified the listing.
    assert AssociationChange.objects.filter(association=listing, actor=person, action="verified").exists()


def test_superusers_are_not_anonymised_by_the_action(admin_client, db):
    other = get_user_model().objects.create_superuser("chef", "chef@example.org", "pass-word-123")
    admin_client.post("/admin/auth/user/", {"action": "anonymise_users", "_selected_action": [other.pk]})
    other.refresh_from_db()
    assert other.email == "chef@example.org"
