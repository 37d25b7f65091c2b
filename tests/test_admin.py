"""The moderation admin: every page opens, search and filters work, and every write is logged."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from directory.models import Association, AssociationChange, Place, SlugRedirect
from directory.moderation.site import site
from tests import builders

pytestmark = pytest.mark.django_db

REGISTERED = sorted(
    (model for model in site._registry if model._meta.app_label == "directory"),
    key=lambda model: model._meta.model_name,
)


def admin_url(model, view, *args):
    return reverse(f"admin:directory_{model._meta.model_name}_{view}", args=args)


def form_data(response, form_id):
    """The values a browser would submit for the admin form, read from the page."""
    form = builders.soup(response).find("form", id=form_id)
    assert form is not None, f"no form #{form_id}"
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("disabled") is not None:
            continue
        if field.name == "select":
            values = [
                o.get("value", o.get_text()) for o in field.find_all("option") if o.has_attr("selected")
            ]
            if field.has_attr("multiple"):
                data[name] = values
            elif values:
                data[name] = values[0]
            else:
                first = field.find("option")
                data[name] = first.get("value", "") if first else ""
        elif field.name == "textarea":
            data[name] = field.get_text().removeprefix("\n")
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
        elif field.get("type") in ("submit", "button", "file", "image"):
            continue
        else:
            data[name] = field.get("value", "")
    return data


@pytest.fixture
def listing(db):
    return builders.make_association(
        "Épicerie solidaire des Pentes",
        categories=["epicerie-solidaire"],
        area_slug="lyon-1",
        email="contact@pentes.example",
        rna="W691234567",
    )


# Every page ------------------------------------------------------------------------------


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.model_name)
def test_changelist_opens(admin_client, listing, model):
    AssociationChange.objects.create(association=listing, origin="system", action="created")
    builders.make_association_space_rows(listing)  # one row of each association-space model
    builders.make_moderation_rows(listing)  # one row of each moderation model
    response = admin_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert builders.soup(response).select("#result_list tbody tr"), "the changelist shows no row"


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.model_name)
def test_add_page_opens_unless_adding_is_forbidden(admin_client, model):
    response = admin_client.get(admin_url(model, "add"))
    if (
        model is AssociationChange
        or model in builders.SERVICE_WRITTEN_MODELS
        or model in builders.MODERATION_SERVICE_WRITTEN_MODELS
    ):
        # The history, pending changes, claims, managers and invitations are written by the
        # services only.
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        assert builders.soup(response).find("form", id=f"{model._meta.model_name}_form")


def test_change_pages_open(admin_client, listing):
    change = AssociationChange.objects.create(association=listing, origin="system", action="created")
    for model, pk in [
        (Association, listing.pk),
        (AssociationChange, change.pk),
        (type(builders.area("lyon-3")), builders.area("lyon-3").pk),
        (type(builders.category("sport")), builders.category("sport").pk),
    ]:
        assert admin_client.get(admin_url(model, "change", pk)).status_code == 200


def test_index_lists_the_directory_models(admin_client):
    page = builders.soup(admin_client.get("/admin/"))
    hrefs = {a["href"] for a in page.find_all("a", href=True)}
    for model in REGISTERED:
        assert admin_url(model, "changelist") in hrefs


# Search and filters ----------------------------------------------------------------------


def changelist_names(response):
    assert response.status_code == 200
    return [a.get_text(strip=True) for a in builders.soup(response).select("#result_list tbody th a")]


@pytest.fixture
def several(listing):
    builders.make_association("Club de football de Gerland", categories=["football"], area_slug="lyon-7")
    builders.make_association(
        "Maison des jeunes",
        area_slug="villeurbanne",
        status=Association.Status.PENDING,
        siret="73282932000074",
    )
    builders.make_association("Vieux club", area_slug="lyon-3", categories=["football"], status="archived")
    return listing


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("pentes", ["Épicerie solidaire des Pentes"]),
        # Moderators type without accents, as residents do.
        ("epicerie", ["Épicerie solidaire des Pentes"]),
        ("W691234567", ["Épicerie solidaire des Pentes"]),
        ("73282932000074", ["Maison des jeunes"]),
        ("contact@pentes", ["Épicerie solidaire des Pentes"]),
        ("club", ["Club de football de Gerland", "Vieux club"]),
    ],
)
def test_association_search(admin_client, several, q, expected):
    response = admin_client.get(admin_url(Association, "changelist"), {"q": q})
    assert changelist_names(response) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status__exact": "pending"}, ["Maison des jeunes"]),
        ({"status__exact": "archived"}, ["Vieux club"]),
        ({"besoin": "sport"}, ["Club de football de Gerland", "Vieux club"]),
        ({"besoin": "alimentation"}, ["Épicerie solidaire des Pentes"]),
        ({"territoire": "lyon-7"}, ["Club de football de Gerland"]),
        (
            {"territoire": "lyon"},
            ["Club de football de Gerland", "Vieux club", "Épicerie solidaire des Pentes"],
        ),
        ({"territoire": "villeurbanne", "status__exact": "pending"}, ["Maison des jeunes"]),
        ({"besoin": "sport", "status__exact": "published"}, ["Club de football de Gerland"]),
    ],
)
def test_association_filters(admin_client, several, params, expected):
    response = admin_client.get(admin_url(Association, "changelist"), params)
    assert sorted(changelist_names(response)) == sorted(expected)


def test_area_and_category_search(admin_client):
    areas = changelist_names(
        admin_client.get(admin_url(type(builders.area("lyon")), "changelist"), {"q": "69120"})
    )
    assert areas == ["Vaulx-en-Velin"]
    categories = changelist_names(
        admin_client.get(admin_url(type(builders.category("sport")), "changelist"), {"q": "futsal"})
    )
    assert categories == ["Football"]


# Actions ---------------------------------------------------------------------------------


def run_action(client, action, associations):
    return client.post(
        admin_url(Association, "changelist"),
        {
            "action": action,
            ACTION_CHECKBOX_NAME: [a.pk for a in associations],
            "index": "0",
            "select_across": "0",
        },
        follow=True,
    )


def test_publish_action_publishes_and_logs_each(admin_client, superuser):
    drafts = [
        builders.make_association("Brouillon A", status=Association.Status.DRAFT),
        builders.make_association("En attente B", status=Association.Status.PENDING),
    ]
    already = builders.make_association("Déjà publiée")
    response = run_action(admin_client, "publish", [*drafts, already])
    assert response.status_code == 200
    assert "2 fiches modifiées." in builders.visible_text(response)
    for association in drafts:
        association.refresh_from_db()
        assert association.status == Association.Status.PUBLISHED
        [change] = association.changes.all()
        assert change.action == "status:published"
        assert change.origin == "moderator"
        assert change.actor.is_superuser
    assert not already.changes.exists()


def test_archive_action_archives_and_logs(admin_client, listing):
    run_action(admin_client, "archive", [listing])
    listing.refresh_from_db()
    assert listing.status == Association.Status.ARCHIVED
    assert listing.changes.get().changes == {"status": {"old": "published", "new": "archived"}}


# Editing through the change form ---------------------------------------------------------


def test_change_form_logs_old_and_new_values(admin_client, listing):
    url = admin_url(Association, "change", listing.pk)
    data = form_data(admin_client.get(url), "association_form")
    data.update(
        {"phone": "04 72 00 00 00", "short_description": "Courses à petit prix.", "_save": "Enregistrer"}
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, builders.visible_text(response)[:2000]
    listing.refresh_from_db()
    assert listing.phone == "04 72 00 00 00"
    change = listing.changes.get(action="updated")
    assert change.actor.is_superuser
    assert change.origin == "moderator"
    assert change.changes == {
        "phone": {"old": "", "new": "04 72 00 00 00"},
        "short_description": {
            "old": "Épicerie solidaire des Pentes accueille les habitants.",
            "new": "Courses à petit prix.",
        },
    }
    assert "courses a petit prix" in listing.search_text


def test_change_form_without_change_logs_nothing(admin_client, listing):
    url = admin_url(Association, "change", listing.pk)
    data = form_data(admin_client.get(url), "association_form")
    assert admin_client.post(url, data).status_code == 302
    assert not listing.changes.exists()


def test_saving_the_change_form_keeps_the_opening_hours(admin_client, listing):
    url = admin_url(Association, "change", listing.pk)
    data = form_data(admin_client.get(url), "association_form")
    data["phone"] = "04 72 00 00 00"
    assert admin_client.post(url, data).status_code == 302
    assert Place.objects.get(association=listing).hours == builders.WEEKDAY_HOURS


def test_changing_the_slug_creates_a_redirect(admin_client, client, listing):
    url = admin_url(Association, "change", listing.pk)
    data = form_data(admin_client.get(url), "association_form")
    data["slug"] = "epicerie-des-pentes"
    assert admin_client.post(url, data).status_code == 302
    listing.refresh_from_db()
    assert listing.slug == "epicerie-des-pentes"
    assert SlugRedirect.objects.get(old_slug="epicerie-solidaire-des-pentes").association == listing
    assert listing.changes.get(action="slug").changes == {
        "slug": {"old": "epicerie-solidaire-des-pentes", "new": "epicerie-des-pentes"}
    }
    assert not listing.changes.filter(action="updated").exists()


def test_changing_hours_in_the_place_inline(admin_client, listing):
    url = admin_url(Association, "change", listing.pk)
    data = form_data(admin_client.get(url), "association_form")
    assert data["places-0-hours_0"] == "09:00-12:00, 14:00-18:00"
    data["places-0-hours_5"] = "10h-12h"
    assert admin_client.post(url, data).status_code == 302
    assert Place.objects.get(association=listing).hours["5"] == [["10:00", "12:00"]]


def test_invalid_hours_are_refused_with_the_message(admin_client, listing):
    url = admin_url(Association, "change", listing.pk)
    data = form_data(admin_client.get(url), "association_form")
    data["places-0-hours_1"] = "18h-9h"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Une plage doit fermer après son ouverture" in builders.visible_text(response)
    assert Place.objects.get(association=listing).hours == builders.WEEKDAY_HOURS


def add_listing(admin_client, **extra):
    url = admin_url(Association, "add")
    data = form_data(admin_client.get(url), "association_form")
    lyon3 = builders.area("lyon-3")
    data.update(
        {
            "name": "Nouvelle association",
            "slug": "",
            "status": "published",
            "categories": [str(builders.category("danse").pk)],
            "places-TOTAL_FORMS": "1",
            "places-0-position": "0",
            "places-0-kind": "seat",
            "places-0-address": "1 place Guichard",
            "places-0-postcode": "69003",
            "places-0-area": str(lyon3.pk),
            "places-0-hours_0": "9h-12h",
            **extra,
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, builders.visible_text(response)[:2000]
    return Association.objects.get(name="Nouvelle association")


def test_add_form_derives_the_slug_and_logs_the_creation(admin_client):
    association = add_listing(admin_client)
    assert association.slug == "nouvelle-association"
    assert "danse" in association.search_text
    assert association.places.get().hours == {"0": [["09:00", "12:00"]]}
    created = association.changes.get(action="created")
    assert created.changes["name"] == {"old": None, "new": "Nouvelle association"}


def test_a_listing_added_by_a_moderator_is_marked_as_such_by_default(admin_client):
    # The add form is submitted as offered: the origin field keeps its initial value.
    assert add_listing(admin_client).source == Association.Source.MODERATOR


# Access ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/admin/", "/admin/directory/association/"])
def test_non_staff_user_is_sent_to_the_admin_login(client, plain_user, path):
    client.force_login(plain_user)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_anonymous_is_sent_to_the_admin_login(client, db):
    response = client.get("/admin/directory/association/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")


def test_moderator_cannot_delete_listings_but_the_superuser_can(moderator_client, admin_client, listing):
    delete = admin_url(Association, "delete", listing.pk)
    assert moderator_client.get(delete).status_code == 403
    assert admin_client.get(delete).status_code == 200
    assert moderator_client.get(admin_url(Association, "change", listing.pk)).status_code == 200
