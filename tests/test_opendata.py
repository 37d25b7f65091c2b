"""Open data: the /donnees/ page, streamed CSV / JSON / data·inclusion exports, the OpenAPI document."""

import csv
import io
import json

import jsonschema
import pytest
from django.test import override_settings
from django.utils import timezone

from directory.models import Association
from directory.opendata import exports, openapi
from tests import builders

pytestmark = pytest.mark.django_db

SITE = "https://lyonassos.example"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def listing(db):
    return builders.make_association(
        "Épicerie solidaire des Pentes",
        categories=["epicerie-solidaire", "cours-de-francais-fle"],
        area_slug="lyon-1",
        quartier_slug="terreaux",
        rna="W691234567",
        siret="73282932000074",
        phone="04 78 00 00 00",
        email="contact@epicerie.example",
        website="https://epicerie.example",
        fees="free",
        reception="walk_in",
        description="Une épicerie solidaire ouverte à tous les habitants du quartier, sur orientation.",
    )


def read_stream(response):
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def read_csv(response):
    text = read_stream(response)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


# The page -----------------------------------------------------------------------------------


def test_opendata_page_gives_licence_formats_fields_and_api(client, listing):
    response = client.get("/donnees/")
    assert response.status_code == 200
    page = builders.soup(response)
    licence = page.find("a", rel="license")
    assert licence is not None
    assert "etalab" in licence["href"]
    assert "Licence Ouverte" in licence.get_text()
    hrefs = {a["href"] for a in page.select("main a[href]")}
    assert {
        "/donnees/associations.csv",
        "/donnees/associations.json",
        "/donnees/data-inclusion/structures.json",
        "/api/openapi.json",
        "/flux/associations.atom",
    } <= hrefs
    codes = {code.get_text() for code in page.select("main dt code")}
    assert set(exports.CSV_FIELDS) <= codes, set(exports.CSV_FIELDS) - codes
    text = builders.visible_text(response)
    assert "Comment citer" in text
    assert "En continu" in text


def test_footer_links_to_the_opendata_page(client, db):
    page = builders.soup(client.get("/"))
    assert "/donnees/" in {a["href"] for a in page.select("footer a[href]")}


# CSV ----------------------------------------------------------------------------------------


def test_csv_is_streamed_with_one_row_per_published_listing(client, listing):
    builders.make_association("Brouillon caché", status=Association.Status.DRAFT)
    builders.make_association("Archivée cachée", status=Association.Status.ARCHIVED)
    other = builders.make_association("Club de foot", categories=["football"], area_slug="villeurbanne")

    response = client.get("/donnees/associations.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="lyonassos-associations-')
    assert response["Content-Disposition"].endswith('.csv"')
    rows = read_csv(response)
    assert len(rows) == Association.objects.published().count() == 2
    assert {row["name"] for row in rows} == {listing.name, other.name}
    assert list(rows[0]) == exports.CSV_FIELDS

    row = next(r for r in rows if r["id"] == str(listing.pk))
    assert row["url"] == f"{SITE}/associations/epicerie-solidaire-des-pentes/"
    assert row["categories"].split("|") == ["epicerie-solidaire", "cours-de-francais-fle"] or sorted(
        row["categories"].split("|")
    ) == ["cours-de-francais-fle", "epicerie-solidaire"]
    assert row["address"] == "10 rue de la République"
    assert row["postcode"] == "69001"
    assert row["commune"] == "Lyon 1er"
    assert row["insee"] == "69381"
    assert row["quartier"] == "Terreaux"
    assert float(row["lat"]) == listing.places.get().lat
    assert row["phone"] == "04 78 00 00 00"
    assert row["fees"] == "free"
    assert row["reception"] == "walk_in"
    assert row["hours"] == "Mo-Fr 09:00-12:00,14:00-18:00"
    assert row["updated_at"] == listing.updated_at.isoformat()


def test_csv_escapes_separators_quotes_newlines_and_formulas(client, db):
    builders.make_association(
        '=HYPERLINK("http://evil.example"; "clic")',
        short_description='Aide, devoirs; "goûter"\nle mercredi',
        phone="+33 4 78 00 00 00",
        fees_details="-10 % pour les étudiants",
        email="@contact@example.org",
    )
    rows = read_csv(client.get("/donnees/associations.csv"))
    [row] = rows
    assert row["name"] == "'" + '=HYPERLINK("http://evil.example"; "clic")'
    assert row["short_description"] == 'Aide, devoirs; "goûter"\nle mercredi'
    assert row["phone"] == "'+33 4 78 00 00 00"
    assert row["fees_details"] == "'-10 % pour les étudiants"
    assert row["email"] == "'@contact@example.org"
    # Numbers stay numbers, even negative ones.
    assert exports.safe_cell(-4.5) == "-4.5"
    assert exports.safe_cell(False) == "0"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Aide;=cmd|' /C calc'!A0", "Aide;'=cmd|' /C calc'!A0"),
        ("Aide, +33 4 78", "Aide, '+33 4 78"),
        ("Aide; @SUM(A1)", "Aide; '@SUM(A1)"),
        ("Aide\n-1+1", "Aide\n'-1+1"),
        ("Aide\r\n=1", "Aide\r\n'=1"),
        ("Aide\t=1", "Aide\t'=1"),
        ("\t=1", "'\t'=1"),
        ("Sport - loisirs, 9h-12h", "Sport - loisirs, 9h-12h"),
    ],
)
def test_every_segment_of_a_cell_is_neutralised(raw, expected):
    assert exports.safe_cell(raw) == expected


def test_csv_quotes_every_cell_so_a_semicolon_spreadsheet_keeps_it_whole(client, db):
    builders.make_association("Aide aux devoirs", short_description="Aide;=cmd|' /C calc'!A0")
    body = b"".join(client.get("/donnees/associations.csv").streaming_content).decode("utf-8-sig")
    header, line = body.splitlines()[:2]
    assert header.startswith('"id","slug","name",')
    assert ",\"Aide;'=cmd|' /C calc'!A0\"," in line
    # Read with ";" as a French spreadsheet would, no cell starts a formula.
    for cell in next(csv.reader(io.StringIO(line), delimiter=";")):
        assert not cell.lstrip(' "').startswith(("=", "+", "-", "@")), cell


@pytest.mark.parametrize(
    "url",
    ["/donnees/associations.csv", "/donnees/associations.json", "/donnees/data-inclusion/structures.json"],
)
def test_export_queries_do_not_grow_with_rows(client, django_assert_num_queries, url):
    builders.make_associations(3, categories=["football"], area_slug="lyon-7", quartier_slug="gerland")
    # One chunk: 1. the associations   2. their categories (with parents)   3. their places (with areas)
    with django_assert_num_queries(3):
        small = read_stream(client.get(url))
    builders.make_associations(40, prefix="Autre", categories=["football", "basket-et-sports-collectifs"])
    with django_assert_num_queries(3):
        large = read_stream(client.get(url))
    assert len(large) > len(small)


def test_export_reads_rows_in_chunks(client, db, monkeypatch, django_assert_num_queries):
    """With a chunk of 2 rows, 5 rows take 3 chunks: 2 prefetch queries per chunk, not per row."""
    builders.make_associations(5, categories=["football"])
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)
    # 1. the associations (one cursor, read 2 rows at a time)
    # 2.–7. for each of the 3 chunks: its categories, its places
    with django_assert_num_queries(7):
        rows = read_csv(client.get("/donnees/associations.csv"))
    assert len(rows) == 5


# JSON ---------------------------------------------------------------------------------------


def test_json_export_lists_published_listings_with_their_places(client, listing):
    builders.make_association("Brouillon caché", status=Association.Status.PENDING)
    response = client.get("/donnees/associations.json")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].endswith('.json"')
    data = json.loads(read_stream(response))
    assert [item["name"] for item in data] == [listing.name]
    [item] = data
    assert item["url"] == f"{SITE}/associations/epicerie-solidaire-des-pentes/"
    assert item["rna"] == "W691234567"
    [place] = item["places"]
    assert place["insee"] == "69381"
    assert place["quartier"] == "terreaux"
    assert place["opening_hours"] == "Mo-Fr 09:00-12:00,14:00-18:00"


def test_json_export_of_an_empty_directory_is_an_empty_array(client, db):
    assert json.loads(read_stream(client.get("/donnees/associations.json"))) == []


# data·inclusion -----------------------------------------------------------------------------

DATAINCLUSION_FIELDS = {
    # data·inclusion v1 "structure" fields, and only those (tests/test_datainclusion_export.py
    # validates every row with the official schema package).
    "source",
    "id",
    "nom",
    "description",
    "date_maj",
    "lien_source",
    "siret",
    "commune",
    "code_postal",
    "code_insee",
    "adresse",
    "complement_adresse",
    "longitude",
    "latitude",
    "telephone",
    "courriel",
    "site_web",
    "horaires_accueil",
    "accessibilite_lieu",
    "reseaux_porteurs",
}


def test_datainclusion_structures(client, listing):
    builders.make_association("Brouillon caché", status=Association.Status.DRAFT)
    data = json.loads(read_stream(client.get("/donnees/data-inclusion/structures.json")))
    [structure] = data
    assert set(structure) == DATAINCLUSION_FIELDS
    assert structure["source"] == "lyon-assos"
    assert structure["id"] == f"lyon-assos--{listing.pk}"
    assert structure["nom"] == "Épicerie solidaire des Pentes"
    assert structure["siret"] == "73282932000074"
    assert structure["commune"] == "Lyon"
    assert structure["code_postal"] == "69001"
    assert structure["code_insee"] == "69381"
    assert structure["adresse"] == "10 rue de la République"
    assert structure["telephone"] == "+33478000000"
    assert structure["courriel"] == "contact@epicerie.example"
    assert structure["site_web"] == "https://epicerie.example"
    assert structure["lien_source"] == f"{SITE}/associations/epicerie-solidaire-des-pentes/"
    assert structure["date_maj"] == listing.updated_at.date().isoformat()
    assert structure["horaires_accueil"] == "Mo-Fr 09:00-12:00,14:00-18:00; PH off"
    assert structure["description"].startswith("Une épicerie solidaire")


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        ({}, ""),
        ({"0": [["09:00", "12:00"]]}, "Mo 09:00-12:00"),
        ({"0": [["09:00", "12:00"]], "1": [["09:00", "12:00"]]}, "Mo,Tu 09:00-12:00"),
        (
            {"2": [["14:00", "18:00"], ["09:00", "12:00"]], "3": [["09:00", "12:00"], ["14:00", "18:00"]]},
            "We,Th 09:00-12:00,14:00-18:00",
        ),
        (
            {**{str(d): [["09:00", "17:00"]] for d in range(5)}, "5": [["10:00", "12:00"]]},
            "Mo-Fr 09:00-17:00; Sa 10:00-12:00",
        ),
        ({"0": [["09:00", "12:00"]], "2": [["09:00", "12:00"]]}, "Mo 09:00-12:00; We 09:00-12:00"),
    ],
)
def test_opening_hours_in_osm_format(hours, expected):
    assert exports.opening_hours_osm(hours) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("04 78 00 00 00", "+33478000000"), ("+33 4 78 00 00 00", "+33478000000"), ("", None), ("3949", "3949")],
)
def test_phone_in_e164(raw, expected):
    assert exports.e164(raw) == expected


# OpenAPI ------------------------------------------------------------------------------------


@pytest.fixture
def spec(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_openapi_document_describes_the_api(spec):
    assert spec["openapi"] == "3.1.0"
    assert spec["servers"] == [{"url": SITE}]
    assert set(spec["paths"]) == {
        "/api/associations/",
        "/api/associations/{slug}/",
        "/api/services/",
        "/api/categories/",
        "/api/territoires/",
        "/donnees/data-inclusion/structures.json",
        "/donnees/data-inclusion/services.json",
    }
    names = {p["name"] for p in spec["paths"]["/api/associations/"]["get"]["parameters"]}
    assert names == {
        "q", "categorie", "territoire", "public", "langue", "gratuit", "sans_rdv", "accessible",
        "benevoles", "tri", "page", "page_size", "rna", "lat", "lon", "rayon", "pres", "ouvert", "date",
    }  # fmt: skip
    # The document is itself valid JSON Schema where it holds schemas.
    for schema in spec["components"]["schemas"].values():
        jsonschema.Draft202012Validator.check_schema(schema)


def _validator(spec, name):
    """A validator for components/schemas/<name>, resolving the document's local $refs."""
    schema = {**spec["components"]["schemas"][name], "components": spec["components"]}
    return jsonschema.Draft202012Validator(schema)


def _filter_accepts(name, value):
    """Whether the search contract has the parameter (lat/lon/rayon/tri=distance land separately)."""
    from directory.filters import ApiAssociationFilter

    if name == "tri":
        return value in dict(ApiAssociationFilter.Sort.choices)
    return name in ApiAssociationFilter.base_filters or name in {"page", "page_size"}


def _examples(spec):
    for parameter in spec["paths"]["/api/associations/"]["get"]["parameters"]:
        values = parameter["schema"].get("enum") or [parameter["example"]]
        for value in values:
            yield parameter["name"], value


def test_every_documented_parameter_is_accepted(client, listing, spec):
    validator = _validator(spec, "AssociationPage")
    skipped = []
    for name, value in _examples(spec):
        if not _filter_accepts(name, value):
            skipped.append(f"{name}={value}")  # the distance search is merged separately
            continue
        params = {name: value}
        if name == "tri" and value == "distance":
            params.update({"lat": 45.767, "lon": 4.834})
        if name == "ouvert" and value == "le":
            params["date"] = timezone.localdate().isoformat()
        response = client.get("/api/associations/", params)
        assert response.status_code == 200, (name, value, response.content[:300])
        errors = sorted(validator.iter_errors(response.json()), key=str)
        assert not errors, (name, value, [e.message for e in errors[:3]])
    assert set(skipped) <= {"lat=45.76", "lon=4.84", "rayon=2", "tri=distance"}


def test_list_detail_categories_and_areas_match_the_documented_schemas(client, listing, spec):
    builders.make_association("Autre association", social_links="https://social.example/x")
    answers = {
        "AssociationPage": client.get("/api/associations/").json(),
        "AssociationDetail": client.get(f"/api/associations/{listing.slug}/").json(),
        "CategoryList": client.get("/api/categories/").json(),
        "AreaList": client.get("/api/territoires/").json(),
        "Error": client.get("/api/associations/", {"page_size": "0"}).json(),
    }
    for name, answer in answers.items():
        errors = list(_validator(spec, name).iter_errors(answer))
        assert not errors, (name, [e.message for e in errors[:3]])


def test_schema_check_catches_an_undocumented_key(spec, client, listing):
    """The schemas are closed: a key added to the API without documenting it fails the tests."""
    answer = client.get("/api/associations/").json()
    answer["results"][0]["surprise"] = 1
    assert list(_validator(spec, "AssociationPage").iter_errors(answer))


@override_settings(SITE_URL="https://autre.example")
def test_openapi_server_follows_site_url(db):
    assert openapi.spec()["servers"] == [{"url": "https://autre.example"}]
