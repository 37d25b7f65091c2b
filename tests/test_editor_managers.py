"""Co-managers: invitations (signed, 7 days, once, to the invited address), removal, leaving."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from directory.editing import services
from directory.models import AssociationChange, AssociationManager, Invitation
from tests import builders


@pytest.fixture
def now_on_commit(monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


def invitation_path():
    url = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_invite_then_accept(client, listing, manager, now_on_commit):
    client.force_login(manager)
    response = client.post(
        reverse("directory:invite", args=[listing.slug]), {"email": "Collegue@example.org"}
    )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["Collegue@example.org"]
    path = invitation_path()
    colleague = builders.make_user("collegue", email="collegue@example.org")
    client.force_login(colleague)
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 302
    assert AssociationManager.objects.filter(association=listing, user=colleague, via="invitation").exists()
    # Used once: a removed manager cannot come back with the same link.
    AssociationManager.objects.filter(user=colleague).delete()
    assert client.post(path).status_code == 400
    assert not AssociationManager.objects.filter(user=colleague).exists()


def test_an_invitation_is_for_the_invited_address(client, listing, manager, plain_user, now_on_commit):
    services.invitation_send(association=listing, email="collegue@example.org", actor=manager)
    client.force_login(plain_user)
    response = client.post(invitation_path())
    assert response.status_code == 400
    assert not AssociationManager.objects.filter(user=plain_user).exists()


def test_an_expired_invitation_is_refused(client, listing, manager, settings, now_on_commit):
    services.invitation_send(association=listing, email="collegue@example.org", actor=manager)
    path = invitation_path()
    settings.INVITATION_MAX_AGE = -1
    colleague = builders.make_user("collegue", email="collegue@example.org")
    client.force_login(colleague)
    response = client.post(path)
    assert response.status_code == 400
    assert "Cette invitation ne fonctionne plus" in builders.visible_text(response)
    assert not AssociationManager.objects.filter(user=colleague).exists()


def test_a_forged_invitation_is_refused(client, listing, plain_user):
    invitation = Invitation.objects.create(association=listing, email=plain_user.email)
    client.force_login(plain_user)
    forged = services.invitation_token(invitation)[:-2] + "xx"
    assert client.post(reverse("directory:invitation", args=[forged])).status_code == 400


def test_remove_a_co_manager_and_leave(client, listing, manager):
    colleague = builders.make_manager(listing, "collegue")
    client.force_login(manager)
    client.post(reverse("directory:manager_remove", args=[listing.slug, colleague.pk]))
    assert not AssociationManager.objects.filter(user=colleague).exists()
    assert AssociationChange.objects.filter(association=listing, action="manager_removed").exists()


def test_the_last_manager_cannot_leave_alone(client, listing, manager):
    client.force_login(manager)
    response = client.post(reverse("directory:manager_remove", args=[listing.slug, manager.pk]), follow=True)
    assert "Vous êtes la seule personne à gérer cette fiche" in builders.visible_text(response)
    assert AssociationManager.objects.filter(user=manager).exists()
    # With a successor, leaving works.
    builders.make_manager(listing, "successeur")
    response = client.post(reverse("directory:manager_remove", args=[listing.slug, manager.pk]))
    assert response["Location"] == reverse("directory:dashboard")
    assert not AssociationManager.objects.filter(user=manager).exists()
    assert AssociationChange.objects.filter(association=listing, action="manager_left").exists()


def test_a_moderator_may_remove_the_last_manager(listing, manager, moderator):
    services.manager_remove(association=listing, user=manager, actor=moderator)
    assert not AssociationManager.objects.filter(association=listing).exists()


def test_dashboard_lists_my_associations_only(client, listing, manager, other_listing):
    client.force_login(manager)
    page = builders.soup(client.get(reverse("directory:dashboard")))
    assert [a.get_text(strip=True) for a in page.select("#my-associations h3 a")] == [listing.name]


def test_manage_page_shows_history_and_managers(client, listing, manager):
    services.invitation_send(association=listing, email="x@example.org", actor=manager)
    client.force_login(manager)
    page = builders.soup(client.get(reverse("directory:manage", args=[listing.slug])))
    assert manager.email in page.select_one("#managers").get_text()
    assert "Vous avez invité un gestionnaire." in page.select_one("#history").get_text()


def test_history_shows_roles_never_addresses(client, listing, manager, moderator, plain_user):
    from directory.listings.services import association_log_change

    colleague = builders.make_manager(listing, "collegue")
    for actor, origin, action in [
        (None, "import", "created"),
        (moderator, "moderator", "approved"),
        (plain_user, "manager", "claim_requested"),
        (colleague, "manager", "edited"),
        (manager, "manager", "verified"),
    ]:
        association_log_change(association=listing, actor=actor, origin=origin, action=action)
    client.force_login(manager)
    page = builders.soup(client.get(reverse("directory:manage", args=[listing.slug])))
    sentences = [row.find(string=True, recursive=False).strip() for row in page.select("#history > li")]
    assert sentences == [
        "Vous avez confirmé que la fiche est à jour.",
        "Un autre gestionnaire a modifié la fiche.",
        "Une personne qui revendique la fiche a demandé à gérer la fiche.",
        "Un modérateur a modifié la fiche.",
        "L'import du registre national a créé la fiche.",
    ]
    history = page.select_one("#history").get_text()
    for person in (moderator, plain_user, colleague, manager):
        assert person.email not in history


def revoke_url(invitation):
    return reverse("directory:invitation_revoke", args=[invitation.association.slug, invitation.pk])


def test_removing_a_manager_revokes_the_invitations_they_sent(client, listing, manager, now_on_commit):
    colleague = builders.make_manager(listing, "collegue")
    theirs = services.invitation_send(association=listing, email="ami@example.org", actor=colleague)
    link = invitation_path()
    mine = services.invitation_send(association=listing, email="autre@example.org", actor=manager)
    client.force_login(manager)
    client.post(reverse("directory:manager_remove", args=[listing.slug, colleague.pk]))
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.revoked_at is not None
    assert mine.revoked_at is None
    assert AssociationChange.objects.filter(association=listing, action="invitation_revoked").count() == 1
    # The link of the revoked invitation no longer works.
    friend = builders.make_user("ami", email="ami@example.org")
    client.force_login(friend)
    assert client.get(link).status_code == 400
    assert client.post(link).status_code == 400
    assert not AssociationManager.objects.filter(association=listing, user=friend).exists()


def test_a_manager_revokes_a_pending_invitation(client, listing, manager, now_on_commit):
    invitation = services.invitation_send(association=listing, email="ami@example.org", actor=manager)
    link = invitation_path()
    client.force_login(manager)
    page = builders.soup(client.get(reverse("directory:manage", args=[listing.slug])))
    [form] = page.select("#invitations form")
    assert form["action"] == revoke_url(invitation)
    assert client.get(revoke_url(invitation)).status_code == 405
    response = client.post(revoke_url(invitation))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert AssociationChange.objects.filter(
        association=listing, action="invitation_revoked", actor=manager, origin="manager"
    ).exists()
    page = builders.soup(client.get(reverse("directory:manage", args=[listing.slug])))
    assert not page.select("#invitations li")
    # Revoked once: a second POST finds no pending invitation.
    assert client.post(revoke_url(invitation)).status_code == 404
    client.force_login(builders.make_user("ami", email="ami@example.org"))
    assert client.get(link).status_code == 400


def test_revoking_needs_a_manager_of_the_listing_and_a_csrf_token(
    client, listing, manager, other_listing, other_manager, plain_user
):
    from django.test import Client

    invitation = services.invitation_send(association=listing, email="ami@example.org", actor=manager)
    assert client.post(revoke_url(invitation)).status_code == 302  # anonymous: to the login page
    for user in (other_manager, plain_user):
        client.force_login(user)
        assert client.post(revoke_url(invitation)).status_code == 404
    # Through the listing they do manage: the invitation is not one of its own, still 404.
    client.force_login(other_manager)
    url = reverse("directory:invitation_revoke", args=[other_listing.slug, invitation.pk])
    assert client.post(url).status_code == 404
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(manager)
    assert strict.post(revoke_url(invitation)).status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
