"""A listing's history in the admin, with diffs, and reverting to any past version."""

import pytest
from django.urls import reverse

from directory.listings import state
from directory.models import AssociationChange
from directory.moderation import services
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited(listing, manager, moderator):
    """The listing edited twice through pending changes (phone, then phone and address)."""
    from directory.editing import services as editing_services

    first = builders.propose_edit(listing, manager, phone="04 00 00 00 01")
    editing_services.pending_change_approve(change=first, moderator=moderator)
    places = [{**state.current_state(listing)["places"][0], "address": "1 place Gabriel Péri"}]
    second = builders.propose_edit(listing, manager, phone="04 00 00 00 02", places=places)
    editing_services.pending_change_approve(change=second, moderator=moderator)
    listing.refresh_from_db()
    return listing


def test_history_page_shows_each_change_with_old_and_new(moderator_client, edited):
    page = builders.soup(moderator_client.get(reverse("admin:moderation_history", args=[edited.pk])))
    entries = page.select("#history > li")
    assert len(entries) == AssociationChange.objects.filter(association=edited).count()
    newest = entries[0]
    assert "change_approved" in newest.h2.get_text()
    cells = {
        tr.th.get_text(): (tr.select_one(".diff-old").get_text(), tr.select_one(".diff-new").get_text())
        for tr in newest.select("tbody tr")
    }
    assert cells["Téléphone"] == ("04 00 00 00 01", "04 00 00 00 02")
    assert "1 place Gabriel Péri" in cells["Lieux d'accueil"][1]
    assert newest.select_one("button.revert") is None  # the current version
    assert entries[1].select_one("button.revert")


def test_revert_to_a_past_version_restores_fields_and_places(moderator_client, moderator, edited):
    first_approval = (
        AssociationChange.objects.filter(association=edited, action="change_approved").order_by("pk").first()
    )
    response = moderator_client.post(
        reverse("admin:moderation_history_revert", args=[edited.pk, first_approval.pk]), follow=True
    )
    assert response.status_code == 200
    edited.refresh_from_db()
    assert edited.phone == "04 00 00 00 01"
    assert edited.places.get().address == "10 rue de la République"
    log = AssociationChange.objects.filter(association=edited).first()
    assert log.action == f"reverted:{first_approval.pk}"
    assert log.actor == moderator
    assert log.changes["phone"] == {"old": "04 00 00 00 02", "new": "04 00 00 00 01"}


def test_revert_bumps_the_version_so_open_editor_forms_conflict(moderator, edited):
    version = edited.version
    first_approval = (
        AssociationChange.objects.filter(association=edited, action="change_approved").order_by("pk").first()
    )
    services.association_revert(association=edited, change=first_approval, moderator=moderator)
    edited.refresh_from_db()
    assert edited.version == version + 1
    assert edited.search_text
    assert edited.phone == "04 00 00 00 01"


def test_reverting_to_the_current_content_is_refused(moderator, edited):
    newest = AssociationChange.objects.filter(association=edited).first()
    with pytest.raises(services.ModerationError):
        services.association_revert(association=edited, change=newest, moderator=moderator)


def test_scoped_moderator_cannot_see_or_revert_history_elsewhere(client, edited):
    client.force_login(builders.make_group_moderator("vera", areas=["villeurbanne"]))
    change = AssociationChange.objects.filter(association=edited).last()
    assert client.get(reverse("admin:moderation_history", args=[edited.pk])).status_code == 404
    assert (
        client.post(reverse("admin:moderation_history_revert", args=[edited.pk, change.pk])).status_code
        == 404
    )


def test_history_query_count(moderator_client, edited, django_assert_num_queries):
    url = reverse("admin:moderation_history", args=[edited.pk])
    moderator_client.get(url)
    # session, user, permissions (user's, group's), areas of the moderator, the listing, its
    # changes with their actors (place and category names come from the reference snapshot).
    with django_assert_num_queries(7):
        moderator_client.get(url)
