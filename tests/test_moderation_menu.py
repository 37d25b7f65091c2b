"""The admin's menu: moderators see their queue, listings, reports and accounts, in that order,
without Django's other entries; superusers keep everything."""

import pytest
from django.urls import reverse

from tests import builders

pytestmark = pytest.mark.django_db


def menu(client, url=None):
    """{group caption: [entry names]} of the index's app list (or of a page's side bar)."""
    page = builders.soup(client.get(url or reverse("admin:index")))
    scope = page.select_one("#nav-sidebar") if url else page.select_one("#content-main")
    return {
        module.caption.get_text(strip=True): [
            th.get_text(strip=True) for th in module.select("th[scope=row]")
        ]
        for module in scope.select("div.module[class*=app-]")
    }


def test_a_moderator_sees_four_groups_their_queue_first(client):
    client.force_login(builders.make_group_moderator("camille"))
    groups = menu(client)
    assert list(groups) == ["Modération", "Fiches", "Signalements", "Comptes"]
    assert groups["Modération"][:2] == ["File de modération", "Tableau de bord"]
    assert "Associations" in groups["Fiches"]
    assert groups["Signalements"] == ["Signalements"]
    assert "Demandes de gestion" in groups["Comptes"]
    every = [name for names in groups.values() for name in names]
    for stock in ("Territoires", "Catégories", "Langues", "Publics", "Groupes", "Verrous de revue"):
        assert stock not in every
    page = builders.soup(client.get(reverse("admin:index")))
    queue = page.select_one("#content-main .app-moderation th a[href='/admin/moderation/']")
    assert queue.get_text(strip=True) == "File de modération"


def test_the_side_bar_has_the_same_groups(client):
    client.force_login(builders.make_group_moderator("camille"))
    groups = menu(client, reverse("admin:directory_association_changelist"))
    assert list(groups) == ["Modération", "Fiches", "Signalements", "Comptes"]


def test_a_moderator_with_fewer_permissions_sees_only_what_they_may_read(client):
    client.force_login(builders.make_moderator("dominique"))  # listings only, no reports
    groups = menu(client)
    assert list(groups) == ["Modération", "Fiches", "Comptes"]  # a group left empty is left out
    assert groups["Fiches"] == ["Associations"]


def test_a_superuser_keeps_every_entry(client):
    client.force_login(builders.make_superuser())
    groups = menu(client)
    every = [name for names in groups.values() for name in names]
    assert "Modération" not in groups  # Django's apps, as they are
    for entry in ("Associations", "Territoires", "Catégories", "Groupes", "Utilisateurs"):
        assert entry in every
    assert len(every) > 20


def test_stock_entries_stay_reachable_by_their_url_where_permitted(client):
    client.force_login(builders.make_group_moderator("camille"))
    assert client.get(reverse("admin:directory_area_changelist")).status_code == 200  # read-only
