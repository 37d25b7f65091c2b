"""Reviewing a pending change, a new listing or a claim in the admin: full context, one click."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.urls import reverse

from directory import access
from directory.models import Association, AssociationChange, Claim, PendingChange
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def change(listing, manager):
    places = [
        {
            "kind": "seat",
            "name": "Local de la rue Marc Bloch",
            "address": "5 rue Marc Bloch",
            "postcode": "69007",
            "area": "lyon-7",
            "hours": {"2": [["14:00", "17:00"]]},
        }
    ]
    return builders.propose_edit(listing, manager, phone="04 72 00 11 22", places=places)


def review_url(change):
    return reverse("admin:moderation_change", args=[change.pk])


def test_review_shows_each_field_old_and_new_with_places_and_hours(moderator_client, change):
    page = builders.soup(moderator_client.get(review_url(change)))
    changed = {
        tr.th.get_text(" ", strip=True): (
            tr.select_one(".diff-old").get_text(),
            tr.select_one(".diff-new").get_text(),
        )
        for tr in page.select("#diff-fields tr.diff-changed")
    }
    assert changed == {"Téléphone modifié": ("—", "04 72 00 11 22")}
    place = page.select_one("#diff-place-1")
    rows = {tr.th.get_text(strip=True): tr for tr in place.select("tbody tr.diff-changed")}
    assert rows["Adresse"].select_one(".diff-new").get_text() == "5 rue Marc Bloch"
    assert "10 rue de la République" in rows["Adresse"].select_one(".diff-old").get_text()
    assert "mercredi : 14:00-17:00" in rows["Horaires"].select_one(".diff-new").get_text(" ")
    assert page.select_one("form[action$='/valider/'] button#approve")
    assert page.select("select[name=reason] option")


def test_review_shows_old_and_new_logo_side_by_side(moderator_client, listing, manager):
    from directory import images

    logo = images.store_image(images.process_image(builders.upload()))["medium"]
    change = builders.propose_edit(listing, manager, logo=logo)
    page = builders.soup(moderator_client.get(review_url(change)))
    figures = page.select(".diff-images figure")
    assert figures[0].find("img") is None  # no logo yet
    assert figures[1].find("img")["src"].endswith(logo)


def test_approve_publishes_logs_and_emails_the_submitter(
    moderator_client, moderator, change, listing, manager, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(reverse("admin:moderation_change_approve", args=[change.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:moderation_queue")
    listing.refresh_from_db()
    assert listing.phone == "04 72 00 11 22"
    assert listing.places.get().address == "5 rue Marc Bloch"
    change.refresh_from_db()
    assert change.status == PendingChange.Status.APPROVED
    assert change.decided_by == moderator
    log = AssociationChange.objects.filter(association=listing, action="change_approved").get()
    assert log.actor == moderator
    assert log.changes["phone"] == {"old": "", "new": "04 72 00 11 22"}
    assert [m.to for m in mail.outbox] == [[manager.email]]


def test_reject_with_a_reason_and_a_note(
    moderator_client, moderator, change, listing, manager, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            reverse("admin:moderation_change_reject", args=[change.pk]),
            {"reason": "inaccurate", "note": "Le numéro ne répond pas."},
        )
    assert response.status_code == 302
    change.refresh_from_db()
    assert (change.status, change.rejection_reason, change.rejection_note) == (
        "rejected",
        "inaccurate",
        "Le numéro ne répond pas.",
    )
    listing.refresh_from_db()
    assert listing.phone == ""
    assert "Le numéro ne répond pas." in mail.outbox[0].body
    assert mail.outbox[0].to == [manager.email]


def test_reject_without_a_known_reason_is_refused(moderator_client, change):
    response = moderator_client.post(
        reverse("admin:moderation_change_reject", args=[change.pk]), {"reason": "bof"}
    )
    assert response["Location"] == review_url(change)
    change.refresh_from_db()
    assert change.is_open


def test_get_never_decides(moderator_client, change):
    assert (
        moderator_client.get(reverse("admin:moderation_change_approve", args=[change.pk])).status_code == 405
    )
    change.refresh_from_db()
    assert change.is_open


def test_deciding_twice_says_it_is_done(moderator_client, change):
    url = reverse("admin:moderation_change_approve", args=[change.pk])
    moderator_client.post(url)
    response = moderator_client.post(url, follow=True)
    assert "n'est plus en attente" in builders.visible_text(response)


def test_new_listing_approval_publishes_it(moderator_client, db):
    change = builders.propose_new_listing(builders.make_user("fondateur"), "Cours de français du 3e")
    moderator_client.post(reverse("admin:moderation_change_approve", args=[change.pk]))
    assert Association.objects.get(pk=change.association_id).status == Association.Status.PUBLISHED


def test_bulk_approval_of_new_listings(client, db):
    moderator = builders.make_group_moderator()
    client.force_login(moderator)
    founder = builders.make_user("fondatrice")
    first = builders.propose_new_listing(founder, "Première")
    second = builders.propose_new_listing(builders.make_user("autre"), "Seconde")
    listing = builders.make_association("Déjà publiée")
    edit = builders.propose_edit(listing, builders.make_manager(listing), phone="04 00 00 00 00")
    response = client.post(
        reverse("admin:directory_pendingchange_changelist"),
        {"action": "approve_new_listings", ACTION_CHECKBOX_NAME: [first.pk, second.pk, edit.pk]},
        follow=True,
    )
    statuses = dict(
        Association.objects.filter(pk__in=[first.association_id, second.association_id]).values_list(
            "pk", "status"
        )
    )
    assert set(statuses.values()) == {"published"}
    edit.refresh_from_db()
    assert edit.is_open  # an edit is not a new listing: left for a full review
    assert "Ce n'est pas une nouvelle fiche." in builders.visible_text(response)


def test_scoped_moderator_cannot_open_or_decide_outside_their_communes(client, db):
    listing = builders.make_association("Épicerie du 3e", area_slug="lyon-3")
    change = builders.propose_edit(listing, builders.make_manager(listing), phone="04 11 11 11 11")
    client.force_login(builders.make_group_moderator("villeurbannaise", areas=["villeurbanne"]))
    assert client.get(review_url(change)).status_code == 404
    assert client.post(reverse("admin:moderation_change_approve", args=[change.pk])).status_code == 404
    change.refresh_from_db()
    assert change.is_open
    # Nor through the changelists, their object pages and their actions.
    assert client.get(reverse("admin:directory_pendingchange_changelist")).context["cl"].result_count == 0
    response = client.get(reverse("admin:directory_association_change", args=[listing.pk]))
    assert response.status_code == 302  # the admin's "does not exist" redirect
    client.post(
        reverse("admin:directory_pendingchange_changelist"),
        {"action": "approve", ACTION_CHECKBOX_NAME: [change.pk]},
    )
    change.refresh_from_db()
    assert change.is_open


def test_scoped_moderator_acts_in_their_commune(client, db):
    listing = builders.make_association("Club de Villeurbanne", area_slug="villeurbanne")
    change = builders.propose_edit(listing, builders.make_manager(listing), phone="04 22 22 22 22")
    client.force_login(builders.make_group_moderator("villeurbannais", areas=["villeurbanne"]))
    assert client.get(review_url(change)).status_code == 200
    client.post(reverse("admin:moderation_change_approve", args=[change.pk]))
    change.refresh_from_db()
    assert change.status == "approved"


# Claims ------------------------------------------------------------------------------------------


@pytest.fixture
def claim(listing):
    return Claim.objects.create(
        association=listing,
        user=builders.make_user("tresoriere"),
        method=Claim.Method.REVIEW,
        role="Trésorière",
    )


def test_claim_review_and_accept(moderator_client, claim, listing, django_capture_on_commit_callbacks):
    page = builders.soup(moderator_client.get(reverse("admin:moderation_claim", args=[claim.pk])))
    assert "Trésorière" in page.select_one(".moderation-facts").get_text()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(
            reverse("admin:moderation_claim_accept", args=[claim.pk]), {"note": "Bienvenue"}
        )
    claim.refresh_from_db()
    assert claim.status == Claim.Status.ACCEPTED
    assert access.is_manager(claim.user, listing)
    assert mail.outbox[0].to == [claim.user.email]


def test_claim_refuse(moderator_client, claim, listing):
    moderator_client.post(reverse("admin:moderation_claim_refuse", args=[claim.pk]), {"note": "Inconnue"})
    claim.refresh_from_db()
    assert (claim.status, claim.note) == (Claim.Status.REFUSED, "Inconnue")
    assert not listing.memberships.filter(user=claim.user).exists()
