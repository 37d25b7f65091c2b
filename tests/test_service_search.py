"""Search at service level (directory/offers/search.py): the service-level filters hold for the
same running service of a listing that has services, for the listing itself otherwise."""

from datetime import timedelta

import pytest
from django.http import QueryDict
from django.utils import timezone

from directory import facets, search
from directory.filters import search_associations
from directory.models import SearchService, Service
from tests import builders

pytestmark = pytest.mark.django_db

SATURDAY_MORNING = {"5": [["09:00", "12:00"]]}


@pytest.fixture
def listings(settings):
    settings.SEARCH_CACHE_SECONDS = settings.FACETS_CACHE_SECONDS = 0
    buers = builders.make_association("Centre social des Buers", area_slug="villeurbanne")
    builders.make_service(
        buers,
        "Aide aux devoirs",
        description="Du CP à la troisième, avec des bénévoles.",
        categories=["aide-aux-devoirs"],
        fees=Service.Fees.FREE,
        reception=Service.Reception.APPOINTMENT,
        hours={"1": [["17:00", "18:30"]], "3": [["17:00", "18:30"]]},
    )
    builders.make_service(
        buers,
        "Cours de français",
        description="Pour adultes, tous niveaux.",
        categories=["cours-de-francais-fle"],
        fees=Service.Fees.PAID,
        reception=Service.Reception.WALK_IN,
        languages=["fr", "ar"],
        hours=SATURDAY_MORNING,
    )
    langues = builders.make_association("Maison des langues", area_slug="lyon-7")
    builders.make_service(langues, "Accueil et orientation", categories=["aide-aux-devoirs"], fees="payant")
    french = builders.make_service(
        langues,
        "Cours de français",
        description="Le samedi matin, sans inscription.",
        categories=["cours-de-francais-fle"],
        fees=Service.Fees.FREE,
        reception=Service.Reception.WALK_IN,
        audiences=["migrants-refugies"],
        hours=SATURDAY_MORNING,
    )
    # No services: its own terms, as before services existed.
    plain = builders.make_association(
        "Alpha Lyon", categories=["cours-de-francais-fle"], fees="free", reception="walk_in", languages=["ar"]
    )
    # Its only service is paused: the listing's own terms apply (it is not free).
    paused = builders.make_association("Cours du soir", categories=["cours-de-francais-fle"])
    builders.make_service(
        paused,
        "Cours de français du soir",
        categories=["cours-de-francais-fle"],
        fees=Service.Fees.FREE,
        status=Service.Status.PAUSED,
        paused_until=timezone.localdate() + timedelta(days=10),
    )
    return {"buers": buers, "langues": langues, "french": french, "plain": plain, "paused": paused}


def names(client, **params):
    return set(builders.result_names(client.get("/associations/", params)))


def test_free_french_classes_are_one_service(client, listings):
    """A free homework-help service and paid French classes are not free French classes."""
    assert names(client, q="cours de français", gratuit="1") == {"Maison des langues", "Alpha Lyon"}
    assert names(client, q="cours de français gratuit") >= {"Maison des langues"}
    assert "Centre social des Buers" not in names(client, q="cours de français", gratuit="1")
    # Without the filter, the text finds every listing offering French classes.
    assert {"Centre social des Buers", "Maison des langues", "Alpha Lyon"} <= names(
        client, q="cours de français"
    )


def test_filters_hold_for_the_same_service(client, listings):
    assert names(client, categorie="cours-de-francais-fle", gratuit="1", sans_rdv="1") == {
        "Maison des langues",
        "Alpha Lyon",
    }
    # The Buers' walk-in service is the paid one; its free one is on appointment.
    assert "Centre social des Buers" not in names(client, gratuit="1", sans_rdv="1")
    assert "Centre social des Buers" in names(client, gratuit="1")
    assert "Centre social des Buers" in names(client, sans_rdv="1")
    # Languages and audiences: the Buers' French classes speak Arabic (paid), the listing does not.
    assert names(client, langue="ar") == {"Centre social des Buers", "Alpha Lyon"}
    assert names(client, langue="ar", gratuit="1") == {"Alpha Lyon"}
    assert names(client, public="migrants-refugies", gratuit="1") == {"Maison des langues"}
    # A need held by a service only (the listing has no categories).
    assert names(client, categorie="soutien-scolaire") == {"Centre social des Buers", "Maison des langues"}
    assert names(client, categorie="soutien-scolaire", gratuit="1") == {"Centre social des Buers"}


def test_a_paused_service_is_not_matched(client, listings):
    assert "Cours du soir" not in names(client, gratuit="1")
    assert "Cours du soir" in names(client, categorie="cours-de-francais-fle")  # the listing's own need
    row = SearchService.objects.get(association=listings["paused"])
    assert row.running_from == timezone.localdate() + timedelta(days=11)


def test_a_service_with_empty_terms_takes_the_listing_ones(client, listings):
    listing = builders.make_association("Ateliers Jean Macé", fees="free", languages=["ar"])
    builders.make_service(listing, "Atelier d'écriture")  # no fees, no languages: the listing's
    assert "Ateliers Jean Macé" in names(client, gratuit="1", langue="ar")


def test_english_needs_apply_to_the_service(client, listings):
    assert names(client, q="french lessons", gratuit="1") == {"Maison des langues", "Alpha Lyon"}


def test_service_names_are_searched_and_ranked(client, listings):
    found = builders.result_names(client.get("/associations/", {"q": "aide aux devoirs"}))
    assert found[:2] == ["Centre social des Buers", "Maison des langues"] or set(found[:2]) == {
        "Centre social des Buers",
        "Maison des langues",
    }
    assert "Centre social des Buers" in names(client, q="troisième")  # a service's description


def test_need_facets_count_the_services_needs(client, listings):
    """Soutien scolaire is a need of the Buers' and the Maison des langues' services only."""
    filterset = search_associations(QueryDict("q=cours"))
    found = facets.build(filterset, filterset.matches, filterset.params)
    needs = {value.slug: value.count for value in found["needs"]}
    assert needs["soutien-scolaire"] == 2
    assert needs["apprendre-le-francais"] == 4


def test_the_index_follows_the_services(client, listings):
    langues = listings["langues"]
    Service.objects.filter(association=langues).update(fees=Service.Fees.PAID)
    search.index([langues])
    assert "Maison des langues" not in names(client, gratuit="1")
    Service.objects.filter(association=langues).delete()
    search.index([langues])
    assert not SearchService.objects.filter(association=langues).exists()


# The result card names the service that matched ---------------------------------------------


def card_services(response):
    """{listing name: the service line of its card}."""
    page = builders.soup(response)
    return {
        card.select_one(".card__title").get_text(strip=True): (
            card.select_one(".card__service").get_text(" ", strip=True)
            if card.select_one(".card__service")
            else None
        )
        for card in page.select("#results .card")
    }


def test_the_card_names_the_matching_service(client, listings):
    cards = card_services(client.get("/associations/", {"q": "cours de français gratuit"}))
    assert cards["Maison des langues"] == (
        "Service correspondant : Cours de français · samedi 9 h–12 h · gratuit · sans rendez-vous"
    )
    assert cards["Alpha Lyon"] is None  # no services: the card is as before
    cards = card_services(client.get("/associations/", {"q": "aide aux devoirs"}))
    assert cards["Centre social des Buers"].startswith(
        "Service correspondant : Aide aux devoirs · mardi 17 h–18 h 30"
    )
    cards = card_services(client.get("/associations/", {"q": "cours de français"}))
    assert "Cours de français" in cards["Centre social des Buers"]
    # Without a text or a service-level filter, no service is named.
    assert set(card_services(client.get("/associations/")).values()) == {None}


def test_the_results_page_reads_the_services_in_one_query(
    client, listings, django_assert_num_queries, monkeypatch
):
    from django.db import connection

    from directory import relax

    monkeypatch.setattr(relax, "RELAX_BELOW", 0)  # few results here: no wider searches (pinned apart)

    # 1. the ordered ids (PostgreSQL: with the facets and the "ouvert maintenant" count)
    # 2. the facets (SQLite)   3. the page's listings with their categories' ids and numbers of
    # services   4. their places   5. their services with their codes (SearchService joined to
    # Service)   6. the "ouvert maintenant" facet (SQLite)
    with django_assert_num_queries(4 if connection.vendor == "postgresql" else 6):
        response = client.get("/associations/", {"categorie": "apprendre-le-francais", "gratuit": "1"})
    assert response.status_code == 200


# The listing page shows each service --------------------------------------------------------


def test_the_listing_page_shows_each_service(client, listings, django_assert_num_queries):
    langues = listings["langues"]
    place = langues.places.get()
    listings["french"].places.set([place])
    # 1. the association   2. its contents (and whether it has services)   3. its places
    # 4. its services   5. the links of its services to its places
    with django_assert_num_queries(5):
        response = client.get(langues.get_absolute_url())
    page = builders.soup(response)
    blocks = page.select("#services .service")
    assert [b.select_one("h3").get_text(strip=True) for b in blocks] == [
        "Accueil et orientation",
        "Cours de français",
    ]
    french = blocks[1].get_text(" ", strip=True)
    assert "Gratuit" in french
    assert "Sans rendez-vous" in french
    assert "Samedi 9 h–12 h" in french
    assert place.full_address in french or place.name in french


def test_a_paused_service_says_until_when(client, listings):
    page = builders.soup(client.get(listings["paused"].get_absolute_url()))
    [block] = page.select("#services .service--paused")
    assert "En pause jusqu'au" in block.get_text(" ", strip=True)


def test_services_fall_back_on_their_places_hours(client, listings):
    buers = listings["buers"]
    service = builders.make_service(buers, "Permanence écrivain public", places=list(buers.places.all()))
    page = builders.soup(client.get(buers.get_absolute_url()))
    block = page.select("#services .service")[-1]
    assert block.select_one("h3").get_text(strip=True) == service.name
    assert "Lundi" in block.get_text(" ", strip=True)  # the place's weekday hours


def test_a_listing_without_services_has_no_block(client, listings, django_assert_num_queries):
    with django_assert_num_queries(3):
        response = client.get(listings["plain"].get_absolute_url())
    assert not builders.soup(response).select("#services")


# The API ------------------------------------------------------------------------------------


def test_api_associations_carry_their_services(client, listings):
    data = client.get("/api/associations/", {"q": "langues"}).json()
    [langues] = [r for r in data["results"] if r["name"] == "Maison des langues"]
    assert [s["name"] for s in langues["services"]] == ["Accueil et orientation", "Cours de français"]
    french = langues["services"][1]
    assert french["fees"] == "gratuit"
    assert french["reception"] == "walk_in"
    assert french["categories"] == ["cours-de-francais-fle"]
    assert french["hours"] == SATURDAY_MORNING
    assert french["running"] is True
    detail = client.get(f"/api/associations/{listings['langues'].slug}/").json()
    assert [s["name"] for s in detail["services"]] == ["Accueil et orientation", "Cours de français"]


def test_api_services_finds_the_services(client, listings):
    data = client.get("/api/services/", {"q": "cours de français", "gratuit": "1"}).json()
    assert [(r["association"]["name"], r["name"]) for r in data["results"]] == [
        ("Maison des langues", "Cours de français")
    ]
    assert data["count"] == 1
    assert data["next"] is None
    # Every running service of the listings a filter finds, paused ones left out.
    found = client.get("/api/services/", {"categorie": "apprendre-le-francais"}).json()
    assert {(r["association"]["name"], r["name"]) for r in found["results"]} == {
        ("Centre social des Buers", "Cours de français"),
        ("Maison des langues", "Cours de français"),
    }
    # Paginated as /api/associations/.
    first = client.get("/api/services/", {"page_size": "2", "tri": "nom"}).json()
    assert first["count"] == 4
    assert len(first["results"]) == 2
    assert "page=2" in first["next"]
    second = client.get(first["next"]).json()
    assert [r["name"] for r in first["results"] + second["results"]] == [
        "Aide aux devoirs",
        "Cours de français",
        "Accueil et orientation",
        "Cours de français",
    ]


def test_api_services_rejects_bad_parameters(client, listings):
    assert client.get("/api/services/", {"langue": "klingon"}).status_code == 400
    assert client.get("/api/services/", {"page": "x"}).status_code == 400
    assert client.get("/api/services/", {"page": "9"}).status_code == 404
    assert client.get("/api/services/", {"page_size": "0"}).status_code == 400


def test_api_services_query_count(client, listings, django_assert_num_queries):
    # 1. the matching services with their codes and texts   2. the order of their listings
    # 3. the page's services   4. their listings with their categories' ids   5. their places
    # 6. the links of the services to their places
    with django_assert_num_queries(6):
        response = client.get("/api/services/", {"categorie": "apprendre-le-francais"})
    assert response.status_code == 200


# Demo data ----------------------------------------------------------------------------------


def test_demo_listings_have_varied_services():
    from django.core.management import call_command

    from directory.listings import state
    from directory.models import Association

    call_command("seed_demo", "--count", "60", stdout=__import__("io").StringIO())
    demos = Association.objects.filter(is_demo=True)
    services = Service.objects.filter(association__in=demos)
    with_services = services.values("association").distinct().count()
    assert with_services >= 0.6 * demos.count()  # most listings
    assert {Service.Fees.FREE, Service.Fees.PAID} <= set(services.values_list("fees", flat=True))
    assert {Service.Reception.WALK_IN, Service.Reception.APPOINTMENT} <= set(
        services.values_list("reception", flat=True)
    )
    assert services.exclude(hours={}).exists()
    assert services.filter(hours={}).exists()  # the places' hours
    assert services.exclude(languages=[]).exists()
    # Written as the state writes them: what the state reads back is what the demo planned.
    for service in services.prefetch_related("places")[:40]:
        service.full_clean()
        assert service.places.exists()
    association = services.first().association
    values = state.values_from_association(state.for_values().get(pk=association.pk))
    assert [s["name"] for s in values["services"]] == list(
        association.services.order_by("position").values_list("name", flat=True)
    )
    # Indexed: the published ones have their search rows.
    published = services.filter(association__status=Association.Status.PUBLISHED)
    assert SearchService.objects.count() == published.count()


def test_api_answers_match_the_openapi_description(client, listings):
    import jsonschema

    spec = client.get("/api/openapi.json").json()
    assert "/api/services/" in spec["paths"]

    def errors(name, answer):
        schema = {**spec["components"]["schemas"][name], "components": spec["components"]}
        return [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(answer)]

    listings["french"].places.set(listings["langues"].places.all())
    found = client.get("/api/services/", {"q": "cours de français"}).json()
    assert found["results"]
    assert errors("ServicePage", found) == []
    assert found["results"][0]["places"] == [] or "address" in found["results"][0]["places"][0]
    page = client.get("/api/associations/", {"categorie": "apprendre-le-francais"}).json()
    assert any(r["services"] for r in page["results"])
    assert errors("AssociationPage", page) == []
    detail = client.get(f"/api/associations/{listings['langues'].slug}/").json()
    assert detail["services"][1]["places"] == [0]
    assert errors("AssociationDetail", detail) == []


@pytest.mark.parametrize(
    "params",
    [
        {"q": "cours de français", "gratuit": "1"},
        {
            "categorie": "apprendre-le-francais",
            "langue": "ar",
            "sans_rdv": "1",
            "public": "migrants-refugies",
        },
        {"q": "french lessons"},
    ],
)
def test_service_filters_add_no_per_listing_subquery(client, listings, params):
    """The service-level terms are two subqueries run once, as the other related-row filters."""
    from tests.test_search_plans import per_row_offenders, results_page_selects

    selects = results_page_selects(client, params)
    assert any("directory_searchservice" in sql for sql in selects)
    assert per_row_offenders(selects) == {}
