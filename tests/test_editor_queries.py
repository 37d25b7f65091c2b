"""Pinned query counts of the association space's pages."""

import pytest
from django.urls import reverse

from directory.editing import services
from directory.listings import state
from tests import builders


@pytest.fixture
def busy_manager(manager, listing):
    """A manager of 3 listings, one with an open change and a claim to decide."""
    for n in range(2):
        other = builders.make_association(f"Autre association {n}")
        builders.make_manager(other, f"co{n}")
        from directory.models import AssociationManager

        AssociationManager.objects.create(association=other, user=manager)
    values = state.values_from_association(state.for_values().get(pk=listing.pk))
    import uuid

    services.pending_change_submit(
        association=listing,
        user=manager,
        values={**values, "phone": "04"},
        base_version=1,
        form_token=uuid.uuid4(),
    )
    from directory.editing import claims

    claims.claim_request(association=listing, user=builders.make_user("demandeur"), role="Bénévole.")
    return manager


def test_dashboard(client, busy_manager, django_assert_num_queries):
    client.force_login(busy_manager)
    # 1. session   2. user   3. my associations   4. their open changes   5. claims to decide (with
    # user and association)
    with django_assert_num_queries(5):
        response = client.get(reverse("directory:dashboard"))
    assert len(builders.soup(response).select("#my-associations > li")) == 3


def test_manage_page(client, busy_manager, listing, django_assert_num_queries):
    client.force_login(busy_manager)
    # 1. session   2. user   3. the listing (with "do I manage it")   4-9. its values for the
    # completeness block (categories, audiences, languages, places, photos, services; their places:
    # none here)   10. history count   11. history page   12. its open change
    # 13. managers (with users)   14. invitations
    with django_assert_num_queries(14):
        client.get(reverse("directory:manage", args=[listing.slug]))


def test_edit_page_on_one_page(client, busy_manager, listing, django_assert_num_queries):
    client.force_login(busy_manager)
    # 1. session   2. user   3. the listing   4. categories   5. audiences   6. languages
    # 7. places (with areas)   8. public photos   9. services (their places: none here)
    # 10. its open change (choices come from the reference snapshot)
    with django_assert_num_queries(10):
        response = client.get(reverse("directory:edit_all", args=[listing.slug]))
    assert response.status_code == 200


def test_edit_step_pages(client, busy_manager, listing, django_assert_num_queries):
    client.force_login(busy_manager)
    client.get(reverse("directory:edit", args=[listing.slug]))  # seeds the draft
    # 1. session   2. user   3. the listing (with "do I manage it")   4. the open edit draft
    # (choices come from the reference snapshot)
    for step in ("identite", "offre", "lieux", "contact", "photos"):
        with django_assert_num_queries(4):
            response = client.get(reverse("directory:edit_step", args=[listing.slug, step]))
        assert response.status_code == 200
    # The review compares with the published values: 1. session 2. user 3. the listing
    # 4. categories 5. audiences 6. languages 7. places 8. public photos 9. services
    # 10. the open edit draft 11. the open change
    with django_assert_num_queries(11):
        response = client.get(reverse("directory:edit_review", args=[listing.slug]))
    assert response.status_code == 200


def test_edit_page_refuses_a_moderator_early(client, moderator, listing, django_assert_num_queries):
    client.force_login(moderator)
    # Moderators are not managers (directory/access.py): 1. session 2. user 3. the listing with
    # whether they manage it, then 404 without reading anything else.
    with django_assert_num_queries(3):
        response = client.get(reverse("directory:edit", args=[listing.slug]))
    assert response.status_code == 404
    with django_assert_num_queries(3):
        response = client.get(reverse("directory:edit_step", args=[listing.slug, "lieux"]))
    assert response.status_code == 404


def test_add_page(client, plain_user, django_assert_num_queries):
    # A visitor: the page that explains the account, no query.
    with django_assert_num_queries(0):
        client.get(reverse("directory:add"))
    client.force_login(plain_user)
    # 1. session   2. user   3. their drafts to resume
    with django_assert_num_queries(3):
        client.get(reverse("directory:add"))


def test_add_steps(client, plain_user, django_assert_num_queries):
    from directory.editing.steps import STEPS
    from directory.models import ListingDraft

    client.force_login(plain_user)
    draft = ListingDraft.objects.create(user=plain_user)
    # 1. session   2. user   3. the draft (the choices come from the reference snapshot)
    for step in STEPS:
        with django_assert_num_queries(3):
            assert client.get(reverse("directory:add_step", args=[draft.key, step.slug])).status_code == 200
    # 1. session   2. user   3. the draft (an empty draft has no RNA, SIRET nor place to compare)
    with django_assert_num_queries(3):
        assert client.get(reverse("directory:add_review", args=[draft.key])).status_code == 200
