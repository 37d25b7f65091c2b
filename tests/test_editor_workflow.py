"""Editing a listing: pending change, amend, withdraw, approve, reject, trusted listings,
conflicts between two managers, double submit, CSRF."""

import uuid

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from directory.editing import services
from directory.listings import state
from directory.models import Association, AssociationChange, PendingChange
from tests import builders


def edit_url(association):
    return reverse("directory:edit_all", args=[association.slug])


def current_values(association):
    return state.values_from_association(state.for_values().get(pk=association.pk))


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def test_the_edit_form_shows_the_current_values(manager_client, listing):
    page = builders.soup(manager_client.get(edit_url(listing)))
    assert page.select_one("input[name=listing-name]")["value"] == listing.name
    assert page.select_one("input[name=places-0-address]")["value"] == listing.places.first().address
    assert page.select_one("input[name=listing-base_version]")["value"] == str(listing.version)
    checked = [i["value"] for i in page.select("input[name=listing-categories][checked]")]
    assert checked == ["epicerie-solidaire"]


def test_saving_creates_a_pending_change_and_the_public_listing_stays(
    manager_client, listing, manager, client
):
    data = builders.editor_post_data(listing, **{"listing-short_description": "Ouvert le samedi aussi."})
    response = manager_client.post(edit_url(listing), data)
    assert response.status_code == 302
    change = PendingChange.objects.get(association=listing)
    assert change.status == PendingChange.Status.PENDING
    assert change.proposed["short_description"] == "Ouvert le samedi aussi."
    assert change.submitted_by == manager
    listing.refresh_from_db()
    assert listing.short_description != "Ouvert le samedi aussi."
    page = manager_client.get(reverse("directory:manage", args=[listing.slug]))
    assert "En attente de validation" in builders.visible_text(page)
    anonymous = Client()
    assert "Ouvert le samedi aussi." not in builders.visible_text(anonymous.get(listing.get_absolute_url()))


def test_preview_shows_the_proposed_values_without_publishing_them(manager_client, listing):
    data = builders.editor_post_data(listing, **{"listing-name": "Épicerie des Pentes (nouveau nom)"})
    manager_client.post(edit_url(listing), data)
    preview = manager_client.get(reverse("directory:preview", args=[listing.slug]))
    assert builders.soup(preview).select_one("h1").get_text(strip=True) == "Épicerie des Pentes (nouveau nom)"
    listing.refresh_from_db()
    assert listing.name == "Épicerie solidaire de la Guillotière"
    assert not AssociationChange.objects.filter(association=listing, action="change_approved").exists()


def test_amending_the_open_change_keeps_one_change(manager_client, listing):
    manager_client.post(
        edit_url(listing), builders.editor_post_data(listing, **{"listing-phone": "04 78 00 00 01"})
    )
    data = builders.editor_post_data(listing, **{"listing-phone": "04 78 00 00 02"})
    assert data["listing-pending_revision"] == 1
    assert manager_client.post(edit_url(listing), data).status_code == 302
    change = PendingChange.objects.get(association=listing)
    assert change.revision == 2
    assert change.proposed["phone"] == "04 78 00 00 02"


def test_withdrawing(manager_client, listing):
    manager_client.post(
        edit_url(listing), builders.editor_post_data(listing, **{"listing-phone": "0478000001"})
    )
    response = manager_client.post(reverse("directory:pending_withdraw", args=[listing.slug]))
    assert response.status_code == 302
    assert PendingChange.objects.get(association=listing).status == PendingChange.Status.WITHDRAWN
    assert manager_client.get(reverse("directory:pending_change", args=[listing.slug])).status_code == 404


def test_approving_applies_everything_and_logs_each_field(manager_client, listing, manager, moderator):
    values = current_values(listing)
    values.update(
        {
            "name": "Épicerie solidaire Guillotière",
            "categories": ["epicerie-solidaire", "repas-solidaires"],
            "languages": ["ar", "fr"],
            "places": [
                {**values["places"][0], "hours": {"5": [["10:00", "12:00"]]}},
                {
                    "kind": "permanence",
                    "name": "Maison des projets",
                    "address": "5 place Voltaire",
                    "postcode": "69003",
                    "area": "lyon-3",
                    "quartier": "",
                    "lat": None,
                    "lon": None,
                    "hours": {"2": [["14:00", "17:00"]]},
                    "hours_note": "",
                    "closed_from": None,
                    "closed_until": None,
                    "closure_message": "",
                    "wheelchair": "yes",
                },
            ],
        }
    )
    manager_client.post(edit_url(listing), builders.listing_post_data(values, base_version=listing.version))
    change = PendingChange.objects.get(association=listing)
    mail.outbox.clear()
    with_commit = services.pending_change_approve(change=change, moderator=moderator)
    assert with_commit.status == PendingChange.Status.APPROVED
    listing = Association.objects.get(pk=listing.pk)
    assert listing.name == "Épicerie solidaire Guillotière"
    assert listing.slug == "epicerie-solidaire-de-la-guillotiere"  # the address does not move
    assert listing.version == 2
    assert sorted(c.slug for c in listing.categories.all()) == ["epicerie-solidaire", "repas-solidaires"]
    places = list(listing.places.order_by("position"))
    assert [p.address for p in places] == [values["places"][0]["address"], "5 place Voltaire"]
    assert places[0].hours == {"5": [["10:00", "12:00"]]}
    assert places[1].area.slug == "lyon-3"
    log = AssociationChange.objects.get(association=listing, action="change_approved")
    assert log.actor == moderator
    assert log.changes["name"] == {
        "old": "Épicerie solidaire de la Guillotière",
        "new": "Épicerie solidaire Guillotière",
    }
    # The moderator read every field: the listing is verified today, in the same entry.
    assert set(log.changes) == {"name", "categories", "languages", "places", "last_verified_at"}
    assert listing.last_verified_at == timezone.localdate()
    assert listing.last_verified_by == moderator
    assert "guillotiere" in listing.search_name


def test_approval_emails_the_submitter_after_commit(
    listing, manager, moderator, django_capture_on_commit_callbacks
):
    values = {**current_values(listing), "phone": "04 72 00 00 00"}
    change = services.pending_change_submit(
        association=listing,
        user=manager,
        values=values,
        base_version=listing.version,
        form_token=uuid.uuid4(),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.pending_change_approve(change=change, moderator=moderator)
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert message.to == [manager.email]
    assert "est à jour" in message.subject
    assert message.alternatives[0].mimetype == "text/html"


def test_rejecting_emails_the_reason(listing, manager, moderator, django_capture_on_commit_callbacks):
    values = {**current_values(listing), "phone": "04 72 00 00 00"}
    change = services.pending_change_submit(
        association=listing,
        user=manager,
        values=values,
        base_version=listing.version,
        form_token=uuid.uuid4(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.pending_change_reject(
            change=change, moderator=moderator, reason="inaccurate", note="Le numéro sonne occupé."
        )
    change.refresh_from_db()
    assert change.status == PendingChange.Status.REJECTED
    assert change.rejection_reason == "inaccurate"
    assert "Informations inexactes" in mail.outbox[-1].body
    assert "Le numéro sonne occupé." in mail.outbox[-1].body
    with pytest.raises(services.EditingError):
        services.pending_change_approve(change=change, moderator=moderator)


def test_a_trusted_listing_publishes_at_once(manager_client, listing):
    Association.objects.filter(pk=listing.pk).update(trusted=True)
    data = builders.editor_post_data(listing, **{"listing-phone": "04 78 11 22 33"})
    assert manager_client.post(edit_url(listing), data).status_code == 302
    listing.refresh_from_db()
    assert listing.phone == "04 78 11 22 33"
    assert listing.version == 2
    change = PendingChange.objects.get(association=listing)
    assert change.status == PendingChange.Status.PUBLISHED_DIRECTLY
    log = AssociationChange.objects.get(association=listing, action="published_directly")
    assert log.changes == {"phone": {"old": "", "new": "04 78 11 22 33"}}


def test_double_submit_creates_one_pending_change(manager_client, listing):
    data = builders.editor_post_data(listing, **{"listing-phone": "04 78 00 00 09"})
    first = manager_client.post(edit_url(listing), data)
    second = manager_client.post(edit_url(listing), data)
    assert first.status_code == second.status_code == 302
    assert PendingChange.objects.filter(association=listing).count() == 1
    assert PendingChange.objects.get(association=listing).revision == 1


def test_double_submit_on_a_trusted_listing_publishes_once(manager_client, listing):
    Association.objects.filter(pk=listing.pk).update(trusted=True)
    data = builders.editor_post_data(listing, **{"listing-phone": "04 78 00 00 09"})
    manager_client.post(edit_url(listing), data)
    manager_client.post(edit_url(listing), data)
    listing.refresh_from_db()
    assert listing.version == 2
    assert AssociationChange.objects.filter(association=listing, action="published_directly").count() == 1


def test_two_managers_never_overwrite_each_other(client, listing, manager):
    second = builders.make_manager(listing, "second")
    first_form = builders.editor_post_data(listing, **{"listing-phone": "04 00 00 00 01"})
    second_form = builders.editor_post_data(listing, **{"listing-phone": "04 00 00 00 02"})
    client.force_login(manager)
    client.post(edit_url(listing), first_form)
    client.force_login(second)
    response = client.post(edit_url(listing), second_form)
    assert response.status_code == 200
    page = builders.soup(response)
    # Both values side by side, the second manager's input kept, nothing written.
    rows = {
        row.th.get_text(strip=True): [td.get_text(strip=True) for td in row.select("td")]
        for row in page.select("#conflict-title ~ .table-scroll table tbody tr")
    }
    assert rows["Téléphone"] == ["04 00 00 00 01", "04 00 00 00 02"]
    assert page.select_one("input[name=listing-phone]")["value"] == "04 00 00 00 02"
    assert page.select_one("input[name=listing-pending_revision]")["value"] == "1"
    assert PendingChange.objects.get(association=listing).proposed["phone"] == "04 00 00 00 01"
    # Sending again is a deliberate choice: it amends the open change.
    data = dict(second_form)
    data["listing-pending_revision"] = 1
    assert client.post(edit_url(listing), data).status_code == 302
    assert PendingChange.objects.get(association=listing).proposed["phone"] == "04 00 00 00 02"


def test_a_stale_form_is_refused_with_its_input_kept(manager_client, listing, moderator):
    stale = builders.editor_post_data(listing, **{"listing-short_description": "Mon texte à garder."})
    values = {**current_values(listing), "phone": "04 11 11 11 11"}
    change = services.pending_change_submit(
        association=listing,
        user=moderator,
        values=values,
        base_version=listing.version,
        form_token=uuid.uuid4(),
    )
    services.pending_change_approve(change=change, moderator=moderator)
    response = manager_client.post(edit_url(listing), stale)
    assert response.status_code == 200
    page = builders.soup(response)
    assert "Mon texte à garder." in page.select_one("textarea[name=listing-short_description]").get_text()
    assert page.select_one("input[name=listing-base_version]")["value"] == "2"
    assert "Quelqu'un a modifié cette fiche" in builders.visible_text(response)
    assert not PendingChange.objects.filter(association=listing, status="pending").exists()


def test_the_database_allows_one_open_change_per_listing(listing, manager):
    from django.db import IntegrityError, transaction

    PendingChange.objects.create(association=listing, proposed={}, base_version=1, submitted_by=manager)
    with pytest.raises(IntegrityError), transaction.atomic():
        PendingChange.objects.create(association=listing, proposed={}, base_version=1, submitted_by=manager)


def test_invalid_input_is_refused_and_kept(manager_client, listing):
    data = builders.editor_post_data(
        listing,
        **{
            "listing-rna": "W12",
            "listing-siret": "12345678901234",
            "listing-short_description": "Gardez-moi.",
            "places-0-hours_0": "9h-midi",
            "places-0-postcode": "75001",
        },
    )
    response = manager_client.post(edit_url(listing), data)
    assert response.status_code == 200
    page = builders.soup(response)
    errors = {e.get_text(strip=True) for e in page.select(".errorlist li")}
    assert "Un numéro RNA s'écrit W suivi de 9 chiffres, par exemple W691234567." in errors
    assert "Ce SIRET n'est pas valide (erreur de saisie ?)." in errors
    assert any("9h-midi" in e for e in errors)
    assert any("69" in e for e in errors)
    assert "Gardez-moi." in page.select_one("textarea[name=listing-short_description]").get_text()
    assert not PendingChange.objects.exists()


def test_a_missing_csrf_token_is_refused(listing, manager):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    response = client.post(edit_url(listing), builders.editor_post_data(listing))
    assert response.status_code == 403
    assert not PendingChange.objects.exists()


def test_verify_records_a_verification_without_change(manager_client, listing, manager):
    response = manager_client.post(reverse("directory:verify", args=[listing.slug]))
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.last_verified_by == manager
    assert listing.last_verified_at is not None
    assert listing.version == 1
    assert AssociationChange.objects.filter(association=listing, action="verified", actor=manager).exists()


def test_verify_refuses_get(manager_client, listing):
    assert manager_client.get(reverse("directory:verify", args=[listing.slug])).status_code == 405


def test_an_admin_edit_moves_the_version(listing, superuser, client):
    client.force_login(superuser)
    url = reverse("admin:directory_association_change", args=[listing.pk])
    from bs4 import BeautifulSoup

    form = BeautifulSoup(client.get(url).content, "html.parser").select_one("form#association_form")
    data = {}
    for field in form.select("input, select, textarea"):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "file"):
            continue
        if field.get("type") == "checkbox":
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
            continue
        if field.name == "select":
            chosen = [o.get("value") for o in field.select("option[selected]")]
            if chosen:
                data[name] = chosen if field.has_attr("multiple") else chosen[0]
            continue
        data[name] = field.get_text() if field.name == "textarea" else field.get("value", "")
    data["phone"] = "04 99 99 99 99"
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    listing.refresh_from_db()
    assert listing.version == 2
