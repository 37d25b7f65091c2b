"""Every editor URL against every persona: anonymous → log-in, manager → 200, manager of another
association → 404, moderator → 200. One predicate (Association.can_edit) decides."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from directory.editing import services
from tests import builders

# (URL name, method) of every page that acts on one listing.
EDITOR_URLS = [
    ("directory:manage", "get"),
    ("directory:edit", "get"),
    ("directory:preview", "get"),
    ("directory:pending_change", "get"),
    ("directory:pending_withdraw", "post"),
    ("directory:verify", "post"),
    ("directory:invite", "post"),
]
OK = {"get": 200, "post": 302}


@pytest.fixture
def with_pending_change(listing, manager):
    data = builders.editor_post_data(listing)
    values = {**builders_values(listing), "short_description": "Nouvelle présentation."}
    services.pending_change_submit(
        association=listing,
        user=manager,
        values=values,
        base_version=listing.version,
        form_token=data["listing-form_token"],
    )
    return listing


def builders_values(listing):
    from directory.editing import values as values_lib

    return values_lib.values_from_association(values_lib.for_values().get(pk=listing.pk))


def _call(client, name, method, slug):
    url = reverse(name, args=[slug])
    data = {"email": "nouveau@example.org"} if name == "directory:invite" else {}
    return getattr(client, method)(url, data) if method == "post" else client.get(url)


@pytest.mark.parametrize(("name", "method"), EDITOR_URLS)
def test_anonymous_is_sent_to_log_in(client, with_pending_change, name, method):
    response = _call(client, name, method, with_pending_change.slug)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


@pytest.mark.parametrize(("name", "method"), EDITOR_URLS)
def test_manager_may(client, with_pending_change, manager, name, method):
    client.force_login(manager)
    assert _call(client, name, method, with_pending_change.slug).status_code == OK[method]


@pytest.mark.parametrize(("name", "method"), EDITOR_URLS)
def test_manager_of_another_association_gets_404(client, with_pending_change, other_manager, name, method):
    client.force_login(other_manager)
    assert _call(client, name, method, with_pending_change.slug).status_code == 404


@pytest.mark.parametrize(("name", "method"), EDITOR_URLS)
def test_moderator_may(client, with_pending_change, moderator, name, method):
    client.force_login(moderator)
    assert _call(client, name, method, with_pending_change.slug).status_code == OK[method]


@pytest.mark.parametrize(("name", "method"), EDITOR_URLS)
def test_unknown_listing_is_404_even_for_a_moderator(client, moderator, name, method):
    client.force_login(moderator)
    assert _call(client, name, method, "pas-de-fiche").status_code == 404


def test_can_edit_is_the_one_predicate(listing, manager, other_manager, moderator, superuser, plain_user):
    assert listing.can_edit(manager)
    assert listing.can_edit(moderator)
    assert listing.can_edit(superuser)
    assert not listing.can_edit(other_manager)
    assert not listing.can_edit(plain_user)
    assert not listing.can_edit(AnonymousUser())
    manager.is_active = False
    assert not listing.can_edit(manager)


def test_the_public_page_links_to_manage_or_claim(client, listing, manager, other_manager):
    page = builders.soup(client.get(listing.get_absolute_url()))
    assert page.select_one(".listing__manage a")["href"] == reverse("directory:claim", args=[listing.slug])
    client.force_login(manager)
    page = builders.soup(client.get(listing.get_absolute_url()))
    assert page.select_one(".listing__manage a")["href"] == reverse("directory:manage", args=[listing.slug])
    client.force_login(other_manager)
    page = builders.soup(client.get(listing.get_absolute_url()))
    assert page.select_one(".listing__manage a")["href"] == reverse("directory:claim", args=[listing.slug])


def test_an_unpublished_listing_is_404_to_others_and_visible_to_its_manager(client, manager, other_manager):
    from directory.models import Association

    draft = builders.make_association("Fiche en attente", status=Association.Status.PENDING)
    builders.make_manager(draft, "createur")
    client.force_login(other_manager)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("directory:claim", args=[draft.slug])).status_code == 404
