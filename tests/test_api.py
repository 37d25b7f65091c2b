"""The read-only JSON API: shape, same order as the HTML results, pagination and errors."""

from urllib.parse import parse_qs, urlsplit

import pytest

from directory.models import Area, Association, Category
from tests import builders

LIST = "/api/associations/"


@pytest.fixture
def listing(db):
    return builders.make_association(
        "Épicerie solidaire des Pentes",
        categories=["epicerie-solidaire", "repas-solidaires"],
        area_slug="lyon-1",
        quartier_slug="terreaux",
        rna="W691234567",
        siret="73282932000074",
        phone="04 78 00 00 00",
        email="contact@epicerie.example",
        website="https://epicerie.example",
        description="Ouverte à tous sur orientation.",
        languages=["ar", "fr"],
        audiences=["familles"],
    )


def get_json(client, url, params=None, status=200):
    response = client.get(url, params or {})
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_list_shape(client, listing):
    data = get_json(client, LIST)
    assert set(data) == {"count", "next", "previous", "results"}
    assert data["count"] == 1
    assert data["next"] is None
    assert data["previous"] is None
    [result] = data["results"]
    assert {
        "id",
        "slug",
        "name",
        "url",
        "rna",
        "siret",
        "categories",
        "areas",
        "places",
        "phone",
        "email",
        "website",
        "updated_at",
    } <= set(result)
    assert result["id"] == listing.pk
    assert result["slug"] == "epicerie-solidaire-des-pentes"
    assert result["name"] == "Épicerie solidaire des Pentes"
    assert result["url"] == "http://testserver/associations/epicerie-solidaire-des-pentes/"
    assert result["rna"] == "W691234567"
    assert result["siret"] == "73282932000074"
    assert sorted(result["categories"]) == ["epicerie-solidaire", "repas-solidaires"]
    assert result["phone"] == "04 78 00 00 00"
    assert result["email"] == "contact@epicerie.example"
    assert result["website"] == "https://epicerie.example"
    assert result["updated_at"] == listing.updated_at.isoformat()


def test_areas_list_arrondissement_lyon_and_quartier(client, listing):
    [result] = get_json(client, LIST)["results"]
    assert result["areas"] == [
        {"slug": "lyon-1", "name": "Lyon 1er Arrondissement", "kind": "arrondissement", "insee": "69381"},
        {"slug": "lyon", "name": "Lyon", "kind": "commune", "insee": "69123"},
        {"slug": "terreaux", "name": "Terreaux", "kind": "quartier", "insee": None},
    ]


def test_places(client, listing):
    [result] = get_json(client, LIST)["results"]
    [place] = result["places"]
    lyon1 = builders.area("lyon-1")
    assert place["address"] == "10 rue de la République"
    assert place["postcode"] == "69001"
    assert place["city"] == "Lyon 1er"
    assert place["area"] == "lyon-1"
    assert place["quartier"] == "terreaux"
    assert (place["lat"], place["lon"]) == (lyon1.lat, lyon1.lon)
    assert place["hours"] == builders.WEEKDAY_HOURS


def test_empty_identifiers_are_null(client, db):
    builders.make_association("Sans identifiants")
    [result] = get_json(client, LIST)["results"]
    assert result["rna"] is None
    assert result["siret"] is None


def test_unpublished_never_appear(client, listing):
    for n, status in enumerate(Association.Status.values):
        if status != Association.Status.PUBLISHED:
            builders.make_association(f"Fiche {status}", status=status, rna=f"W69000000{n}")
    data = get_json(client, LIST)
    assert [r["slug"] for r in data["results"]] == [listing.slug]
    assert get_json(client, LIST, {"q": "fiche"})["count"] == 0
    assert get_json(client, LIST, {"rna": "W690000000"})["count"] == 0


def test_rna_filter_is_exact(client, listing):
    builders.make_association("Autre", rna="W691234568")
    assert [r["slug"] for r in get_json(client, LIST, {"rna": "W691234567"})["results"]] == [listing.slug]
    assert [r["slug"] for r in get_json(client, LIST, {"rna": " w691234567 "})["results"]] == [listing.slug]
    assert get_json(client, LIST, {"rna": "W69123456"})["count"] == 0


def test_rna_filter_is_not_part_of_the_html_page(client, listing):
    builders.make_association("Autre", rna="W691234568")
    assert len(builders.result_names(client.get("/associations/", {"rna": "W691234567"}))) == 2


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "solidaire"},
        {"tri": "recent"},
        {"tri": "nom", "categorie": "alimentation"},
        {"q": "aide", "territoire": "lyon"},
        {"gratuit": "1", "sans_rdv": "1"},
    ],
)
def test_same_order_as_the_html_results(client, db, params):
    for n, (name, category, area) in enumerate(
        [
            ("Solidaire Croix-Rousse", "epicerie-solidaire", "lyon-4"),
            ("Aide solidaire", "distribution-alimentaire", "lyon-8"),
            ("Repas solidaires du 7e", "repas-solidaires", "lyon-7"),
            ("Club de foot solidaire", "football", "villeurbanne"),
            ("Aide aux devoirs Bron", "aide-aux-devoirs", "bron"),
        ]
    ):
        builders.make_association(
            name, categories=[category], area_slug=area, fees="free" if n % 2 else "", reception="walk_in"
        )
    html = builders.soup(client.get("/associations/", params))
    html_slugs = [
        a["href"].rstrip("/").rsplit("/", 1)[-1]
        for a in (li.find("a") for li in html.select("#results > li"))
    ]
    api_slugs = [r["slug"] for r in get_json(client, LIST, params)["results"]]
    assert html_slugs == api_slugs
    assert api_slugs, "the parameters should match at least one listing"


# Pagination ------------------------------------------------------------------------------


@pytest.fixture
def five(db):
    return builders.make_associations(5, prefix="Entraide")


def test_next_and_previous_links(client, five):
    # Sorted by name: equals under relevance come in the daily shuffle.
    first = get_json(client, LIST, {"page_size": "2", "q": "entraide", "tri": "nom"})
    assert first["count"] == 5
    assert [r["name"] for r in first["results"]] == ["Entraide 001", "Entraide 002"]
    assert first["previous"] is None
    assert first["next"].startswith("http://testserver/api/associations/?")
    assert parse_qs(urlsplit(first["next"]).query) == {
        "page_size": ["2"],
        "q": ["entraide"],
        "tri": ["nom"],
        "page": ["2"],
    }

    second = get_json(client, first["next"])
    assert [r["name"] for r in second["results"]] == ["Entraide 003", "Entraide 004"]
    assert parse_qs(urlsplit(second["previous"]).query)["page"] == ["1"]

    last = get_json(client, second["next"])
    assert [r["name"] for r in last["results"]] == ["Entraide 005"]
    assert last["next"] is None


@pytest.mark.parametrize("size", ["1", "200"])
def test_page_size_bounds_accepted(client, five, size):
    assert len(get_json(client, LIST, {"page_size": size})["results"]) == min(int(size), 5)


def test_default_page_size_is_50(client, db):
    builders.make_associations(51, prefix="Lot")
    data = get_json(client, LIST)
    assert len(data["results"]) == 50
    assert data["next"] is not None


@pytest.mark.parametrize("size", ["0", "201", "-1", "abc", "1.5", "²"])
def test_page_size_out_of_bounds_is_400(client, five, size):
    data = get_json(client, LIST, {"page_size": size}, status=400)
    assert "page_size" in data["detail"]


@pytest.mark.parametrize("page", ["abc", "-1", "", "²"])
def test_page_not_a_positive_integer_is_400(client, five, page):
    data = get_json(client, LIST, {"page": page}, status=400)
    assert data["detail"]


def test_page_beyond_the_last_is_404_json(client, five):
    data = get_json(client, LIST, {"page": "4", "page_size": "2"}, status=404)
    assert data["detail"]


# Errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"categorie": "nope"}, "categorie"),
        ({"territoire": "<script>"}, "territoire"),
        ({"gratuit": "maybe"}, "gratuit"),
        ({"tri": "bad"}, "tri"),
        ({"langue": "xx"}, "langue"),
        ({"public": "martiens"}, "public"),
        ({"q": "a" * 201}, "q"),
        ({"q": "épi\x00cerie"}, "q"),
        ({"rna": "W6912345678"}, "rna"),
    ],
)
def test_invalid_parameters_are_400_with_errors(client, listing, params, field):
    data = get_json(client, LIST, params, status=400)
    assert data["detail"]
    assert list(data["errors"]) == [field]
    assert data["errors"][field][0]["message"]


def test_post_is_not_allowed(client, listing):
    assert client.post(LIST).status_code == 405


# Detail ----------------------------------------------------------------------------------


def test_detail(client, listing):
    data = get_json(client, f"/api/associations/{listing.slug}/")
    assert data["slug"] == listing.slug
    assert data["description"] == "Ouverte à tous sur orientation."
    assert data["audiences"] == ["familles"]
    assert sorted(data["languages"]) == ["ar", "fr"]
    assert data["logo"] is None
    assert data["created_at"] == listing.created_at.isoformat()


@pytest.mark.parametrize("status", [s for s in Association.Status.values if s != "published"])
def test_detail_of_an_unpublished_listing_is_404(client, db, status):
    hidden = builders.make_association("Cachée", status=status)
    response = client.get(f"/api/associations/{hidden.slug}/")
    assert response.status_code == 404
    assert b"Cach" not in response.content


def test_detail_404_answers_json_like_the_rest_of_the_api(client, db):
    hidden = builders.make_association("Cachée", status=Association.Status.DRAFT)
    for url in ["/api/associations/inconnue/", f"/api/associations/{hidden.slug}/"]:
        data = get_json(client, url, status=404)
        assert data["detail"]


# Reference lists ------------------------------------------------------------------------


def test_categories(client, db):
    data = get_json(client, "/api/categories/")
    assert data["count"] == Category.objects.count() == len(data["results"])
    by_slug = {c["slug"]: c for c in data["results"]}
    assert by_slug["aide-aux-devoirs"]["parent"] == "soutien-scolaire"
    assert by_slug["aide-aux-devoirs"]["name"] == "Aide aux devoirs"
    assert by_slug["soutien-scolaire"]["parent"] is None
    assert by_slug["alimentation"]["datainclusion_thematiques"] == [
        "equipement-et-alimentation--alimentation"
    ]


def test_territoires(client, db):
    data = get_json(client, "/api/territoires/")
    assert data["count"] == Area.objects.count() == len(data["results"])
    by_slug = {a["slug"]: a for a in data["results"]}
    assert {"slug", "name", "kind", "insee", "parent"} <= set(by_slug["lyon-3"])
    assert by_slug["lyon-3"]["kind"] == "arrondissement"
    assert by_slug["lyon-3"]["insee"] == "69383"
    assert by_slug["lyon-3"]["parent"] == "lyon"
    assert by_slug["lyon"]["parent"] is None
    assert by_slug["montchat"]["parent"] == "lyon-3"
    assert by_slug["montchat"]["insee"] is None
    assert by_slug["montchat"]["kind"] == "quartier"
    assert by_slug["villeurbanne"]["insee"] == "69266"
