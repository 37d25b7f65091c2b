"""Links between the public pages and the association space. Who may open which URL is the
permission matrix (tests/test_permission_matrix.py); directory/access.py decides."""

from django.urls import reverse

from tests import builders


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
