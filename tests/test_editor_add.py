"""Adding an association: a pending listing managed by its author; duplicates offer a claim."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from directory.editing import services
from directory.models import Association, AssociationManager, PendingChange, Photo
from tests import builders

ADD = "/espace-association/ajouter/"


@pytest.fixture
def volunteer_client(client, plain_user):
    client.force_login(plain_user)
    return client


def test_the_add_url_is_the_contract():
    assert reverse("directory:add") == ADD


def test_anonymous_is_told_why_an_account_is_needed(client, db):
    response = client.get(ADD)
    assert response.status_code == 200
    page = builders.soup(response)
    assert page.select_one("#why-account")
    assert page.select_one("#signup-link")["href"] == reverse("accounts:signup") + "?next=" + ADD
    assert page.select_one("#login-link")["href"] == reverse("accounts:login") + "?next=" + ADD


def test_add_creates_a_pending_listing_managed_by_its_author(
    volunteer_client, plain_user, django_capture_on_commit_callbacks
):
    data = builders.listing_post_data(
        {
            "name": "Les Amis du Jardin",
            "rna": "W691234567",
            "siret": "73282932000074",
            "categories": ["epicerie-solidaire"],
            "languages": ["fr"],
            "places": [
                {
                    "kind": "seat",
                    "address": "12 rue Paul Bert",
                    "postcode": "69003",
                    "area": "lyon-3",
                    "hours": {"0": [["09:00", "12:00"], ["14:00", "18:30"]]},
                }
            ],
        },
        **{"listing-logo": builders.upload("logo.png", builders.image_bytes("PNG", (300, 200)), "image/png")},
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = builders.add_through_steps(volunteer_client, data)
    assert response.status_code == 302
    association = Association.objects.get(name="Les Amis du Jardin")
    assert response["Location"] == reverse("directory:manage", args=[association.slug])
    assert association.status == Association.Status.PENDING
    assert association.source == Association.Source.SUBMITTED
    assert AssociationManager.objects.filter(association=association, user=plain_user).exists()
    change = PendingChange.objects.get(association=association)
    assert change.kind == PendingChange.Kind.NEW_LISTING
    assert change.proposed["places"][0]["hours"] == {"0": [["09:00", "12:00"], ["14:00", "18:30"]]}
    assert change.proposed["logo"].endswith("/400.webp")
    assert Photo.objects.get(association=association, kind="logo").medium.name == change.proposed["logo"]
    assert [m.to for m in mail.outbox] == [[plain_user.email]]
    # Not public until approved.
    from django.test import Client

    assert Client().get(association.get_absolute_url()).status_code == 404


def test_approving_a_new_listing_publishes_it(volunteer_client, plain_user, moderator, client):
    builders.add_through_steps(volunteer_client, builders.listing_post_data({"name": "Les Amis du Jardin"}))
    change = PendingChange.objects.get(association__name="Les Amis du Jardin")
    services.pending_change_approve(change=change, moderator=moderator)
    association = change.association
    association.refresh_from_db()
    assert association.status == Association.Status.PUBLISHED
    assert builders.result_names(client.get("/associations/?q=amis+jardin")) == ["Les Amis du Jardin"]


def test_rejecting_a_new_listing(volunteer_client, moderator):
    builders.add_through_steps(volunteer_client, builders.listing_post_data({"name": "Les Amis du Jardin"}))
    change = PendingChange.objects.get(association__name="Les Amis du Jardin")
    services.pending_change_reject(change=change, moderator=moderator, reason="out_of_area")
    change.association.refresh_from_db()
    assert change.association.status == Association.Status.REJECTED


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("listing-rna", "W12345", "Un numéro RNA s'écrit W suivi de 9 chiffres, par exemple W691234567."),
        ("listing-rna", "691234567", "Un numéro RNA s'écrit W suivi de 9 chiffres, par exemple W691234567."),
        ("listing-siret", "1234567890123", "Un SIRET compte 14 chiffres."),
        ("listing-siret", "73282932000075", "Ce SIRET n'est pas valide (erreur de saisie ?)."),
    ],
)
def test_invalid_identifiers_are_refused(volunteer_client, field, value, message):
    response = builders.add_through_steps(volunteer_client, builders.listing_post_data(**{field: value}))
    assert response.status_code == 200
    errors = [e.get_text(strip=True) for e in builders.soup(response).select(".errorlist li")]
    assert message in errors
    assert not Association.objects.filter(name="Les Amis du Jardin").exists()


def test_a_listing_needs_a_place_and_a_need(volunteer_client):
    data = builders.listing_post_data(
        **{"listing-categories": [], "places-0-address": "", "places-0-postcode": ""}
    )
    response = builders.add_through_steps(volunteer_client, data)
    assert response.status_code == 200
    assert not Association.objects.filter(name="Les Amis du Jardin").exists()


def test_same_rna_blocks_and_offers_to_claim(volunteer_client, listing):
    response = builders.add_through_steps(
        volunteer_client, builders.listing_post_data({"name": "Autre nom", "rna": listing.rna})
    )
    assert response.status_code == 200
    page = builders.soup(response)
    assert [a["href"] for a in page.select("#duplicates-title ~ ul a")] == [
        reverse("directory:claim", args=[listing.slug])
    ]
    errors = [e.get_text(strip=True) for e in page.select(".errorlist li")]
    assert "Une fiche existe déjà avec ce numéro RNA : revendiquez-la plutôt que d'en créer une." in errors
    assert Association.objects.filter(rna=listing.rna).count() == 1


def test_a_similar_name_in_the_same_commune_offers_to_claim_then_may_be_confirmed(volunteer_client, listing):
    values = {
        "name": "Epicerie Solidaire de la Guillotiere",
        "places": [{"kind": "seat", "address": "3 rue Montesquieu", "postcode": "69007", "area": "lyon-7"}],
    }
    response = builders.add_through_steps(volunteer_client, builders.listing_post_data(values))
    assert response.status_code == 200
    page = builders.soup(response)
    links = [a["href"] for a in page.select("#duplicates-title ~ ul a")]
    assert links == [reverse("directory:claim", args=[listing.slug])]
    assert Association.objects.count() == 1
    confirmed = builders.listing_post_data(values, confirm_not_duplicate="on")
    assert builders.add_through_steps(volunteer_client, confirmed).status_code == 302
    assert Association.objects.count() == 2


def test_a_similar_name_elsewhere_is_not_a_duplicate(volunteer_client, listing):
    values = {
        "name": "Épicerie solidaire de la Guillotière",
        "places": [{"kind": "seat", "address": "1 place Bellecour", "postcode": "69002", "area": "lyon-2"}],
    }
    assert builders.add_through_steps(volunteer_client, builders.listing_post_data(values)).status_code == 302


def test_same_siret_is_reported(volunteer_client, db):
    builders.make_association("Association déjà là", siret="73282932000074", area_slug="lyon-1")
    response = builders.add_through_steps(
        volunteer_client, builders.listing_post_data({"siret": "73282932000074"})
    )
    assert response.status_code == 200
    assert "même SIRET" in builders.visible_text(response)


def test_double_submit_of_the_add_form(volunteer_client):
    """The second post finds the first listing as a duplicate and creates nothing."""
    data = builders.listing_post_data({"name": "Les Amis du Jardin"})
    builders.add_through_steps(volunteer_client, data)
    response = builders.add_through_steps(volunteer_client, data)
    assert response.status_code == 200
    assert Association.objects.filter(name="Les Amis du Jardin").count() == 1


# An RNA number is not reserved by a listing nobody published ---------------------------------


def squat(user, rna="W691234567", name="Fausse fiche"):
    """A new listing proposed by `user` with `rna`: pending, with its open change."""
    data = builders.listing_post_data({"name": name, "rna": rna, "categories": ["epicerie-solidaire"]})
    client = Client()
    client.force_login(user)
    assert builders.add_through_steps(client, data).status_code == 302
    return PendingChange.objects.get(association__name=name)


def add_real_association(client, rna="W691234567"):
    data = builders.listing_post_data(
        {"name": "La vraie association", "rna": rna, "categories": ["epicerie-solidaire"]}
    )
    return builders.add_through_steps(client, data)


@pytest.mark.parametrize("decision", ["rejected", "withdrawn"])
def test_a_rejected_or_withdrawn_listing_releases_its_rna_number(client, plain_user, moderator, decision):
    from directory.models import AssociationChange

    change = squat(plain_user)
    # While it is pending, the number is taken.
    real = builders.make_user("vraie", email="vraie@example.org")
    client.force_login(real)
    response = add_real_association(client)
    assert response.status_code == 200
    assert "Une fiche existe déjà avec ce numéro RNA" in builders.visible_text(response)
    if decision == "rejected":
        services.pending_change_reject(change=change, moderator=moderator, reason="not_an_association")
        actor, origin = moderator, "moderator"
    else:
        services.pending_change_withdraw(change=change, user=plain_user)
        actor, origin = plain_user, "manager"
    squatter = Association.objects.get(pk=change.association_id)
    assert squatter.rna == ""
    assert AssociationChange.objects.filter(
        association=squatter,
        action="rna_released",
        actor=actor,
        origin=origin,
        changes={"rna": {"old": "W691234567", "new": ""}},
    ).exists()
    # Now the real association can add its listing with its number.
    assert add_real_association(client).status_code == 302
    assert Association.objects.get(rna="W691234567").name == "La vraie association"


def test_the_migration_releases_numbers_kept_by_earlier_rejections(db):
    import importlib

    from django.apps import apps

    from directory.models import AssociationChange

    migration = importlib.import_module("directory.migrations.0019_release_rna_of_rejected_submissions")
    submitted = Association.Source.SUBMITTED
    rejected = builders.make_association(
        "Refusée", status=Association.Status.REJECTED, source=submitted, rna="W691234568"
    )
    published = builders.make_association("Publiée", source=submitted, rna="W691234569")
    imported = builders.make_association(
        "Brouillon du registre", status=Association.Status.DRAFT, source="rna", rna="W691234570"
    )
    migration.release(apps, None)
    rejected.refresh_from_db()
    assert rejected.rna == ""
    assert AssociationChange.objects.get(association=rejected, action="rna_released").changes == {
        "rna": {"old": "W691234568", "new": ""}
    }
    assert Association.objects.filter(pk__in=[published.pk, imported.pk], rna__startswith="W").count() == 2
