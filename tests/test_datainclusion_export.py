"""The data·inclusion exports, valid to the letter: every row of /donnees/data-inclusion/structures.json
and services.json validated by the official data-inclusion-schema package (v1), warnings included,
on the demo data and on edge cases; and only the schema's own field names."""

import json
from datetime import timedelta
from io import StringIO

import jsonschema
import pydantic
import pytest
from data_inclusion.schema import v1
from django.core.management import call_command
from django.utils import timezone

from directory.models import Association, Place, Service
from directory.offers import datainclusion
from directory.opendata import exports
from tests import builders

pytestmark = pytest.mark.django_db

SITE = "https://lyonassos.example"
STRUCTURES = "/donnees/data-inclusion/structures.json"
SERVICES = "/donnees/data-inclusion/services.json"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(b"".join(response.streaming_content).decode("utf-8"))


def errors_of(model, rows):
    """Every schema error of every row (warnings are errors here), and any field not in v1."""
    errors = []
    for row in rows:
        extra = set(row) - set(model.model_fields)
        if extra:
            errors.append((row.get("id"), f"not v1 fields: {sorted(extra)}"))
        missing = set(model.model_fields) - set(row)
        if missing:
            errors.append((row.get("id"), f"v1 fields left out: {sorted(missing)}"))
        try:
            model.model_validate(row, context={"ignore_warnings": False})
        except pydantic.ValidationError as error:
            errors.append((row.get("id"), error.errors()))
    return errors


def service(association, name="Cours de français", **fields):
    values = {
        "name": name,
        "description": "Des cours de français pour adultes, tous niveaux, en petits groupes.",
        "kind": Service.Kind.FORMATION,
        "categories": ["cours-de-francais-fle"],
        "audiences": ["migrants-refugies"],
        "fees": Service.Fees.FREE,
        "reception": Service.Reception.WALK_IN,
        "modes": [Service.Mode.IN_PERSON],
        "mobilisation": [Service.Mobilisation.COME],
        "mobilisable_by": [Service.MobilisableBy.RESIDENTS],
        "languages": ["fr", "ar"],
        "hours": {"5": [["09:00", "12:00"]]},
        **fields,
    }
    places = values.pop("places", None)
    created = Service.objects.create(association=association, **values)
    if places is not None:
        created.places.set(places)
    return created


@pytest.fixture
def edge_cases(db):
    """Listings and services at the edges of the schema's rules."""
    bare = builders.make_association(
        "Épicerie solidaire sans téléphone",
        categories=["epicerie-solidaire"],
        hours={},
        phone="",
        email="",
        website="www.epicerie.example",  # written before the forms checked addresses: left out
        siret="1234",  # the same
        short_description="",
        description="",
    )
    dotted = builders.make_association(
        "Association des habitants du quartier, etc. et autres.",
        categories=["aide-aux-devoirs"],
        audiences=["tout-public", "enfants", "familles"],
        phone="+33 4 78 00 00 00",
        email="contact@asso.test",  # a reserved domain the schema refuses: left out
        fees=Association.Fees.MEMBERSHIP,
        reception=Association.Reception.BOTH,
    )
    long_name = builders.make_association(
        "Association " + "très " * 36 + "longue", categories=["football"], places=0
    )
    rich = builders.make_association(
        "Maison des solidarités.",
        categories=["cours-de-francais-fle", "acces-aux-soins"],
        area_slug="villeurbanne",
        places=2,
        siret="73282932000074",
        phone="04 78 00 00 00",
        email="contact@maison.example",
    )
    first, second = rich.places.order_by("position")
    service(rich, places=[second])
    service(rich, "Permanence santé.", categories=["acces-aux-soins"], hours={}, description="")
    service(
        rich,
        "Aide à distance",
        modes=[Service.Mode.REMOTE],
        mobilisation=[Service.Mobilisation.PHONE, Service.Mobilisation.LINK],
        booking_url="https://maison.example/rdv",
        eligibility=["69266", "69"],
        audiences=[a for a in datainclusion.AUDIENCE_TO_PUBLIC if a != "tout-public"],
        audiences_details="Résidents en QPV ou FRR",
    )
    service(
        rich, "Visites à domicile", modes=[], at_home=True, eligibility=["69266"], audiences=["tout-public"]
    )
    service(
        rich, "Paused", status=Service.Status.PAUSED, paused_until=timezone.localdate() + timedelta(days=9)
    )
    service(
        rich, "Resumed", status=Service.Status.PAUSED, paused_until=timezone.localdate() - timedelta(days=1)
    )
    service(
        rich,
        "S" * 150,
        kind="",
        categories=[],
        audiences=[],
        fees="",
        modes=[],
        mobilisation=[],
        mobilisable_by=[],
        reception="",
        phone="06 12 34 56 78",
        email="autre@maison.example",
        contact_name="Mme Martin",
        access_conditions="Sur orientation d'un travailleur social.",
        documents="Une pièce d'identité.",
    )
    Place.objects.filter(pk=first.pk).update(public_holidays=Place.PublicHolidays.OPEN)
    Place.objects.filter(pk=second.pk).update(school_holidays=Place.SchoolHolidays.CLOSED)
    builders.make_association("Brouillon caché", categories=["epicerie-solidaire"], status="pending")
    return {"bare": bare, "dotted": dotted, "long": long_name, "rich": rich}


def test_every_exported_row_is_valid_v1_on_edge_cases(client, edge_cases):
    structures = read(client, STRUCTURES)
    services = read(client, SERVICES)
    assert errors_of(v1.Structure, structures) == []
    assert errors_of(v1.Service, services) == []
    # Published listings only; every service belongs to an exported structure.
    assert len(structures) == 4
    assert {s["structure_id"] for s in services} <= {s["id"] for s in structures}
    names = [s["nom"] for s in services]
    assert "Paused" not in names  # paused today: left out until it resumes
    assert "Resumed" in names  # paused until yesterday: running again


def test_exported_rows_match_the_openapi_description(client, edge_cases):
    """/api/openapi.json describes both files with the package's own JSON Schemas."""
    spec = client.get("/api/openapi.json").json()
    for url, name in [(STRUCTURES, "DataInclusionStructure"), (SERVICES, "DataInclusionService")]:
        validator = jsonschema.Draft202012Validator(
            {**spec["components"]["schemas"][name], "components": spec["components"]}
        )
        rows = read(client, url)
        assert rows
        for row in rows:
            assert not list(validator.iter_errors(row)), row["id"]
        assert spec["paths"][url]["get"]["responses"]["200"]["content"]


def test_every_exported_row_of_the_demo_data_is_valid_v1(client):
    call_command("seed_demo", "--count", "60", stdout=StringIO(), stderr=StringIO())
    demo = Association.objects.published().first()
    service(demo, places=list(demo.places.all()))
    structures = read(client, STRUCTURES)
    services = read(client, SERVICES)
    assert len(structures) == Association.objects.published().count()
    assert len(services) > 20
    assert errors_of(v1.Structure, structures) == []
    assert errors_of(v1.Service, services) == []


def test_a_wrong_row_fails_the_validation():
    """The check above can fail: a v0 field, a bad code, a name ending with a dot are errors."""
    row = {"source": "lyon-assos", "id": "lyon-assos--1", "nom": "Nom.", "date_maj": "2026-01-02"}
    assert errors_of(v1.Structure, [row])  # the trailing dot is a warning, an error here
    assert errors_of(v1.Structure, [{**row, "nom": "Nom", "thematiques": []}])  # a v0 field
    assert errors_of(v1.Service, [{**row, "nom": "Nom", "structure_id": "x", "description": "Assez"}])


def test_structure_fields(client, edge_cases):
    by_name = {s["nom"]: s for s in read(client, STRUCTURES)}
    rich = by_name["Maison des solidarités"]  # the trailing dot dropped
    assert rich["id"] == f"lyon-assos--{edge_cases['rich'].pk}"
    assert rich["siret"] == "73282932000074"
    assert rich["code_insee"] == "69266"
    assert rich["commune"] == "Villeurbanne"
    assert rich["telephone"] == "+33478000000"
    assert rich["horaires_accueil"] == "Mo-Fr 09:00-12:00,14:00-18:00"  # this place opens on public holidays
    assert rich["lien_source"] == f"{SITE}/associations/{edge_cases['rich'].slug}/"
    bare = by_name["Épicerie solidaire sans téléphone"]
    assert bare["telephone"] is None
    assert bare["horaires_accueil"] is None
    assert bare["description"] is None
    assert bare["site_web"] is None
    assert bare["siret"] is None
    dotted = next(s for s in by_name.values() if s["id"].endswith(str(edge_cases["dotted"].pk)))
    assert dotted["nom"] == "Association des habitants du quartier, etc. et autres"
    assert dotted["courriel"] is None
    assert dotted["horaires_accueil"] == "Mo-Fr 09:00-12:00,14:00-18:00; PH off"
    long = next(s for s in by_name.values() if s["id"].endswith(str(edge_cases["long"].pk)))
    assert len(long["nom"]) <= 150
    assert long["nom"].endswith("…")
    assert long["code_insee"] is None  # no place


def test_service_fields(client, edge_cases):
    rich = edge_cases["rich"]
    services = {s["nom"]: s for s in read(client, SERVICES) if s["structure_id"] == f"lyon-assos--{rich.pk}"}
    french = services["Cours de français"]
    assert french["type"] == "formation"
    assert french["thematiques"] == ["lecture-ecriture-calcul--maitriser-le-francais"]
    assert french["publics"] == ["personnes-exilees"]
    assert french["frais"] == "gratuit"
    assert french["modes_accueil"] == ["en-presentiel"]
    assert french["modes_mobilisation"] == ["se-presenter"]
    assert french["horaires_accueil"] == "Sa 09:00-12:00; SH off; PH off"  # its place closes in the holidays
    second = rich.places.order_by("position")[1]
    assert french["adresse"] == second.address  # its own place, not the seat
    health = services["Permanence santé"]
    assert health["horaires_accueil"] == "Mo-Fr 09:00-12:00,14:00-18:00"  # the seat's hours
    assert len(health["description"]) >= 5
    remote = services["Aide à distance"]
    assert remote["adresse"] is None
    assert remote["code_insee"] is None
    assert remote["zone_eligibilite"] == ["69266", "69"]
    assert remote["lien_mobilisation"] == "https://maison.example/rdv"
    assert "tous-publics" not in remote["publics"]
    assert remote["publics_precisions"] == "Résidents en QPV ou FRR"
    home = services["Visites à domicile"]
    assert home["publics"] == ["tous-publics"]
    assert home["adresse"] is None
    assert "domicile" in home["description"]
    bare = next(s for name, s in services.items() if name.startswith("SSS"))
    assert len(bare["nom"]) <= 150
    assert bare["telephone"] == "+33612345678"
    assert bare["contact_nom_prenom"] == "Mme Martin"
    assert "Documents à apporter : Une pièce d'identité." in bare["conditions_acces"]


def test_a_listing_without_services_exports_one_derived_from_its_fields(client, edge_cases):
    services = read(client, SERVICES)
    dotted = edge_cases["dotted"]
    [derived] = [s for s in services if s["structure_id"] == f"lyon-assos--{dotted.pk}"]
    assert derived["id"] == f"lyon-assos--fiche-{dotted.pk}"
    assert derived["nom"] == "Aide aux devoirs"
    assert derived["publics"] == ["tous-publics"]
    assert derived["frais"] == "payant"
    assert derived["frais_precisions"] == "Adhésion à l'association"
    assert derived["modes_mobilisation"] == ["se-presenter", "telephoner"]
    # A football club maps to no thématique of its own sub-need: a structure without services.
    assert not [s for s in services if s["structure_id"] == f"lyon-assos--{edge_cases['long'].pk}"]


def test_services_export_queries_do_not_grow_with_rows(client, django_assert_num_queries, edge_cases):
    # One chunk: 1. the listings  2. categories  3. places  4. audiences  5. services  6. their places
    with django_assert_num_queries(6):
        small = read(client, SERVICES)
    for association in builders.make_associations(5, categories=["epicerie-solidaire"]):
        service(association, places=list(association.places.all()))
    with django_assert_num_queries(6):
        large = read(client, SERVICES)
    assert len(large) == len(small) + 5


def test_every_category_maps_to_valid_v1_thematiques():
    valid = {t.value for t in v1.Thematique}
    used = {
        t
        for c in builders.category("alimentation").__class__.objects.all()
        for t in c.datainclusion_thematiques
    }
    assert used
    assert used - valid == set()


def test_audiences_and_publics_map_both_ways():
    valid = {p.value for p in v1.Public}
    assert set(datainclusion.AUDIENCE_TO_PUBLIC.values()) <= valid
    assert set(datainclusion.PUBLIC_TO_AUDIENCE) | set(datainclusion.PUBLIC_LABELS) == valid
    assert datainclusion.publics_for(["tout-public", "femmes"]) == ["tous-publics"]
    assert datainclusion.publics_for([]) is None
    assert datainclusion.audiences_for(["personnes-exilees", "residents-qpv-frr"]) == (
        ["migrants-refugies"],
        ["Résidents en QPV ou FRR"],
    )
    for audience, public in datainclusion.AUDIENCE_TO_PUBLIC.items():
        if audience not in ("enfants", "parents"):  # both are "familles" there
            assert datainclusion.PUBLIC_TO_AUDIENCE[public] == audience


def test_thematiques_map_back_to_the_most_specific_need():
    assert datainclusion.categories_for(["lecture-ecriture-calcul--maitriser-le-francais"]) == [
        "cours-de-francais-fle"
    ]
    assert datainclusion.categories_for(["sante--sante-mentale", "sante--sante-mentale"]) == [
        "sante-mentale-et-ecoute"
    ]
    # A thématique no need maps exactly: the top-level need of its family.
    assert datainclusion.categories_for(["logement-hebergement--acheter-un-logement"]) == [
        "acces-au-logement"
    ]
    assert (
        datainclusion.categories_for(["souvrir-a-linternational--sorganiser-suite-a-son-retour-en-france"])
        == []
    )


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("Mo-Fr 08:30-12:30", {str(d): [["08:30", "12:30"]] for d in range(5)}),
        (
            "Mo,We 09:00-12:00,14:00-17:00; PH off",
            {d: [["09:00", "12:00"], ["14:00", "17:00"]] for d in "02"},
        ),
        ("Tu 09:00-12:00; SH off; PH off", {"1": [["09:00", "12:00"]]}),
        (
            "Sa-Mo 10:00-11:00",
            {"5": [["10:00", "11:00"]], "6": [["10:00", "11:00"]], "0": [["10:00", "11:00"]]},
        ),
        ("Mo-Fr 09:00-12:00; We off", {d: [["09:00", "12:00"]] for d in "0134"}),
        ("", {}),
        ("24/7", None),
        ("Jan-Jun Mo 09:00-12:00", None),
        ("Mo 12:00-09:00", None),
    ],
)
def test_opening_hours_read_back(text, hours):
    assert datainclusion.parse_opening_hours(text) == hours


def test_opening_hours_round_trip():
    hours = {
        **{str(d): [["09:00", "12:00"], ["14:00", "18:00"]] for d in range(5)},
        "5": [["10:00", "12:00"]],
    }
    assert datainclusion.parse_opening_hours(exports.opening_hours_osm(hours)) == hours


def test_the_donnees_page_links_both_files(client, db):
    page = builders.soup(client.get("/donnees/"))
    links = {a["href"] for a in page.select("a[download]")}
    assert {STRUCTURES, SERVICES} <= links


def test_an_exported_service_reads_back_the_same_through_the_import(client, db, tmp_path, settings):
    """The mapping is exact both ways: our export, read by import_datainclusion as if another
    producer had published it, gives back the same service."""
    settings.DATAINCLUSION_IMPORT_PUBLISH = True
    listing = builders.make_association(
        "Maison des langues", categories=["cours-de-francais-fle"], area_slug="lyon-7", siret="73282932000074"
    )
    original = service(
        listing,
        places=list(listing.places.all()),
        audiences=["migrants-refugies", "femmes"],
        mobilisation=[Service.Mobilisation.COME, Service.Mobilisation.PHONE],
        phone="04 78 00 00 01",
        hours={"0": [["09:00", "12:00"]], "5": [["09:00", "12:00"]]},
    )
    rows = {}
    for name, url in [("s.json", STRUCTURES), ("v.json", SERVICES)]:
        data = read(client, url)
        for row in data:
            row["source"] = "autre-producteur"
        (tmp_path / name).write_text(json.dumps(data), encoding="utf-8")
        rows[name] = data
    Association.objects.all().delete()
    call_command(
        "import_datainclusion", str(tmp_path / "s.json"), str(tmp_path / "v.json"), stdout=StringIO()
    )
    back = Service.objects.get()
    fields = [
        "name",
        "description",
        "kind",
        "categories",
        "audiences",
        "fees",
        "modes",
        "mobilisation",
        "hours",
    ]
    assert {f: getattr(back, f) for f in fields} == {
        **{f: getattr(original, f) for f in fields},
        "audiences": ["femmes", "migrants-refugies"],
        "mobilisation": ["se-presenter", "telephoner"],
    }
    assert back.phone == "+33478000001"
    assert back.source == "autre-producteur"
    assert back.source_id == rows["v.json"][0]["id"]
    assert back.association.siret == "73282932000074"
    assert back.association.source_producer == "autre-producteur"
