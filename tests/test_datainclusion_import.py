"""`manage.py import_datainclusion`: data·inclusion's v1 dumps into listings and services.

The fixture dumps (tests/data/datainclusion/) are written in the v1 format and valid by the
official schema package (checked below); the *_bad.jsonl ones hold the bad rows, as JSON Lines."""

import functools
import http.server
import json
import shutil
import threading
from io import StringIO
from pathlib import Path

import pytest
from data_inclusion.schema import v1
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.editing import services as editing_services
from directory.listings import state
from directory.models import Association, AssociationChange, PendingChange, Place, Service
from directory.offers import importer
from tests import builders

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "datainclusion"
STRUCTURES = str(DATA / "structures.json")
SERVICES = str(DATA / "services.json")


def run(*args, structures=STRUCTURES, services=SERVICES):
    out, err = StringIO(), StringIO()
    call_command("import_datainclusion", structures, services, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def existing(db):
    """The listings the fixture structures match: by SIRET, RNA, name and commune, and one whose
    phone its managers set (the import must keep it)."""
    return {
        "siret": builders.make_association(
            "Épicerie de la Guillotière",
            area_slug="lyon-7",
            siret="73282932000074",
            phone="",
            email="",
            website="",
            short_description="Épicerie sociale.",
        ),
        "rna": builders.make_association("Cours du soir", area_slug="lyon-7", rna="W691234567"),
        "name": builders.make_association("Les amis du quartier", area_slug="villeurbanne", phone=""),
        "same_name_elsewhere": builders.make_association("Les Amis du Quartier", area_slug="bron"),
        "edited": builders.make_association(
            "Maison des familles",
            area_slug="lyon-3",
            siret="44306184100047",
            phone="04 72 11 11 11",
            website="",
        ),
    }


def proposed(association):
    return PendingChange.objects.get(association=association, status=PendingChange.Status.PENDING).proposed


def test_the_fixture_dumps_are_valid_v1():
    """Every row of the fixtures passes the official schema, warnings included, with v1 fields only."""
    for name, model in [("structures.json", v1.Structure), ("services.json", v1.Service)]:
        rows = json.loads((DATA / name).read_text(encoding="utf-8"))
        assert rows
        for row in rows:
            model.model_validate(row, context={"ignore_warnings": False})
            assert set(row) <= set(model.model_fields) | {"rna"}, row["id"]  # an older dump's rna


def test_import_matches_by_siret_rna_and_name_in_the_same_commune(existing):
    out, _err = run()
    assert "matched: 1 by name, 1 by rna, 2 by siret" in out
    # Matched listings get a change for moderators; nothing of theirs is written yet.
    siret = proposed(existing["siret"])
    assert siret["phone"] == "+33478111111"  # empty: filled
    assert siret["website"] == "https://epicerie-guillotiere.example"
    assert siret["short_description"] == "Épicerie sociale."  # set: kept
    [colis] = siret["services"]
    assert colis["name"] == "Colis alimentaires"
    assert colis["source"] == "dora"
    assert colis["source_id"] == "dora--siret-colis"
    assert colis["categories"] == ["distribution-alimentaire"]
    assert colis["audiences"] == ["familles"]
    assert colis["audiences_details"] == "Résidents en QPV ou FRR; Familles du 7e"
    assert colis["reception"] == Service.Reception.BOTH
    assert colis["hours"] == {"1": [["14:00", "17:00"]], "3": [["14:00", "17:00"]]}
    # Its address is not the listing's place: a new place is proposed for it.
    assert colis["places"] == [1]
    assert siret["places"][1]["address"] == "12 rue de Marseille"
    assert Service.objects.filter(association=existing["siret"]).count() == 0
    assert proposed(existing["rna"])["services"][0]["name"] == "Cours de français du soir"
    assert proposed(existing["name"])["services"][0]["modes"] == ["a-distance", "en-presentiel"]
    assert proposed(existing["name"])["phone"] == "04 72 00 00 00"
    # The same name in another commune is not a match.
    assert not PendingChange.objects.filter(association=existing["same_name_elsewhere"]).exists()
    logged = AssociationChange.objects.filter(association=existing["siret"], action="change_proposed").get()
    assert logged.origin == "import"
    assert logged.actor is None


def test_a_value_set_on_the_site_is_never_overwritten(existing):
    run()
    edited = proposed(existing["edited"])
    assert edited["phone"] == "04 72 11 11 11"  # the managers' phone
    assert edited["website"] == "https://maison-familles.example"  # missing: filled
    out, _err = run("--dry-run")
    assert "unchanged" in out


def test_approving_the_proposal_publishes_the_services_with_their_source(existing):
    run()
    change = PendingChange.objects.get(association=existing["siret"], status="pending")
    editing_services.pending_change_approve(change=change, moderator=builders.make_moderator())
    service = Service.objects.get(association=existing["siret"])
    assert (service.source, service.source_id) == ("dora", "dora--siret-colis")
    assert service.source_url == "https://dora.inclusion.beta.gouv.fr/services/colis"
    assert service.source_updated_at.isoformat() == "2026-11-20"
    assert [p.address for p in service.places.all()] == ["12 rue de Marseille"]
    # Run again: unchanged rows, nothing new proposed.
    out, _err = run()
    assert not PendingChange.objects.filter(association=existing["siret"], status="pending").exists()
    assert "7 unchanged" in out


def test_unmatched_structures_become_pending_listings_marked_with_their_source(existing):
    run()
    created = Association.objects.get(source=Association.Source.DATAINCLUSION, source_id="dora--nouvelle")
    assert created.status == Association.Status.PENDING
    assert created.source_producer == "dora"
    assert created.source_url == "https://dora.inclusion.beta.gouv.fr/structures/solidarite-venissieux-sud"
    assert created.source_updated_at.isoformat() == "2026-11-20"
    assert (
        created.short_description
        == "Aide alimentaire et vestiaire solidaire pour les habitants de Vénissieux."
    )
    assert created.phone == "+33478222222"
    change = PendingChange.objects.get(association=created)
    assert change.kind == PendingChange.Kind.NEW_LISTING
    assert change.submitted_by is None
    places = list(created.places.order_by("position"))
    assert [p.address for p in places] == ["4 avenue de la République", "20 boulevard Ambroise Croizat"]
    assert places[0].name == "Salle Joliot-Curie"
    assert places[0].area.slug == "venissieux"
    assert places[0].hours["5"] == [["10:00", "12:00"]]
    assert (places[0].lat, places[0].lon, places[0].location_precision) == (45.697, 4.886, "address")
    # No coordinates at the source: the commune's centre, for `manage.py geocode` to place.
    assert (places[1].lat, places[1].location_precision) == (places[1].area.lat, "area")
    services = {s.name: s for s in Service.objects.filter(association=created)}
    assert set(services) == {"Épicerie solidaire", "Vestiaire solidaire", "Écoute téléphonique"}  # not Paris
    assert [p.position for p in services["Vestiaire solidaire"].places.all()] == [1]
    assert services["Écoute téléphonique"].places.count() == 0
    assert services["Écoute téléphonique"].categories == ["sante-mentale-et-ecoute"]
    assert services["Écoute téléphonique"].eligibility == ["69259", "69266"]
    assert services["Épicerie solidaire"].audiences_details == "Bénéficiaires des minimas sociaux"
    assert sorted(c.slug for c in created.categories.all()) == [
        "distribution-alimentaire",
        "sante-mentale-et-ecoute",
        "vetements-et-aide-materielle",
    ]
    # Moderators approve it like a submission.
    editing_services.pending_change_approve(change=change, moderator=builders.make_moderator())
    created.refresh_from_db()
    assert created.status == Association.Status.PUBLISHED
    assert Service.objects.filter(association=created, source="dora").count() == 3
    # Without an address: a listing without a place; hours it cannot read kept as words nowhere.
    no_address = Association.objects.get(source_id="france-travail--sans-adresse")
    assert no_address.places.count() == 0
    # An old INSEE code (Pierre-Bénite, merged into Oullins-Pierre-Bénite) is in the Métropole.
    assert Association.objects.get(source_id="dora--oullins").places.get().area.insee == "69149"


def test_the_publish_setting_publishes_new_listings(existing, settings):
    settings.DATAINCLUSION_IMPORT_PUBLISH = True
    run()
    created = Association.objects.get(source_id="dora--nouvelle")
    assert created.status == Association.Status.PUBLISHED
    assert not PendingChange.objects.filter(association=created).exists()
    assert created.search_name  # indexed


def test_out_of_area_other_producers_and_our_own_rows_are_left_out(existing):
    out, _err = run()
    assert "9 structures read: 7 in the Métropole, 1 outside, 1 from other producers" in out
    assert "11 services read, 2 of other structures, 1 outside" in out
    assert not Association.objects.filter(
        name__in=["Association parisienne", "Une fiche de Lyon Assos"]
    ).exists()


def test_bad_rows_are_reported_with_their_line_and_id_and_skipped(db):
    out, err = run(structures=str(DATA / "structures_bad.jsonl"), services=str(DATA / "services_bad.jsonl"))
    assert "structures_bad.jsonl line 1 (dora--sans-nom): nom:" in err
    assert "structures_bad.jsonl line 2 (dora--mauvais-code): code_insee:" in err
    assert "structures_bad.jsonl line 3 (?): not an object" in err
    assert "structures_bad.jsonl line 5 (dora--date-future): date_maj:" in err
    assert "services_bad.jsonl line 1 (dora--bonne-court): description:" in err
    assert "services_bad.jsonl line 2 (dora--bonne-public): publics:" in err
    assert "Bad rows skipped: 6." in out
    # The good rows went in.
    good = Association.objects.get(source_id="dora--bonne")
    assert [s.name for s in good.services.all()] == ["Permanence"]


def test_source_keeps_only_those_producers(existing):
    out, _err = run("--source", "soliguide", "--source", "france-travail")
    assert "2 in the Métropole" in out
    assert Association.objects.filter(source=Association.Source.DATAINCLUSION).get().source_producer == (
        "france-travail"
    )
    assert PendingChange.objects.filter(association=existing["rna"]).exists()
    assert not PendingChange.objects.filter(association=existing["siret"]).exists()


def test_limit_stops_after_n_structures_of_the_metropole(existing):
    out, _err = run("--limit", "2")
    assert "2 in the Métropole" in out
    assert PendingChange.objects.count() == 2
    with pytest.raises(CommandError):
        run("--limit", "0")


def test_dry_run_writes_nothing(existing):
    before = tables()
    with CaptureQueriesContext(connection) as queries:
        out, _err = run("--dry-run")
    assert out.startswith("Dry run, nothing written.")
    assert "3 listings created, 4 changes proposed" in out
    assert writes(queries) == []
    assert tables() == before


def test_importing_the_fixture_dumps_twice_gives_the_same_database(existing):
    run()
    first = tables()
    with CaptureQueriesContext(connection) as queries:
        out, _err = run()
    assert writes(queries) == []
    assert tables() == first
    assert "0 listings created, 0 changes proposed" in out
    assert "7 unchanged" in out


def test_a_value_changed_at_the_source_updates_what_nobody_edited(existing, tmp_path, settings):
    settings.DATAINCLUSION_IMPORT_PUBLISH = True
    run()
    created = Association.objects.get(source_id="dora--nouvelle")
    manager = builders.make_manager(created)
    moderator = builders.make_moderator()
    # Its managers change the phone and the first service's name.
    values = state.values_from_association(state.for_values().get(pk=created.pk))
    values["services"][0]["name"] = "Épicerie solidaire du Sud"
    change = builders.propose_edit(created, manager, phone="04 78 33 33 33", services=values["services"])
    editing_services.pending_change_approve(change=change, moderator=moderator)
    # At the source, the phone, the description and both services change.
    structures = json.loads((DATA / "structures.json").read_text(encoding="utf-8"))
    services = json.loads((DATA / "services.json").read_text(encoding="utf-8"))
    for row in structures:
        if row["id"] == "dora--nouvelle":
            row["telephone"] = "+33478444444"
            row["description"] = (
                "Aide alimentaire pour les habitants de Vénissieux. Avec ou sans rendez-vous."
            )
    for row in services:
        if row["structure_id"] == "dora--nouvelle":
            row["frais_precisions"] = "1 € le panier"
    (tmp_path / "s.json").write_text(json.dumps(structures), encoding="utf-8")
    (tmp_path / "v.json").write_text(json.dumps(services), encoding="utf-8")
    out, _err = run(structures=str(tmp_path / "s.json"), services=str(tmp_path / "v.json"))
    values = proposed(created)
    assert values["phone"] == "04 78 33 33 33"  # edited here: kept
    assert values["description"].startswith("Aide alimentaire pour les habitants")  # as imported: updated
    by_id = {s["name"]: s for s in values["services"]}
    assert by_id["Épicerie solidaire du Sud"]["fees_details"] == ""  # edited here: kept whole
    assert by_id["Vestiaire solidaire"]["fees_details"] == "1 € le panier"  # untouched here: updated
    assert "2 value(s) edited on the site kept" in out


def test_a_service_removed_on_the_site_is_not_proposed_again(existing, settings):
    settings.DATAINCLUSION_IMPORT_PUBLISH = True
    run()
    created = Association.objects.get(source_id="dora--nouvelle")
    values = state.values_from_association(state.for_values().get(pk=created.pk))
    change = builders.propose_edit(created, builders.make_manager(created), services=values["services"][1:])
    editing_services.pending_change_approve(change=change, moderator=builders.make_moderator())
    # Each remaining service kept its own source, not the one of the row at its position.
    assert list(Service.objects.filter(association=created).values_list("name", "source_id")) == [
        ("Vestiaire solidaire", "dora--nouvelle-vestiaire"),
        ("Écoute téléphonique", "dora--nouvelle-ecoute"),
    ]
    record = {"dora--nouvelle": {"digest": "old", "values": {"services": {"dora--nouvelle-epicerie": {}}}}}
    Association.objects.filter(pk=created.pk).update(datainclusion_imported=record)
    run()
    assert not PendingChange.objects.filter(association=created, status="pending").exists()


def test_a_listing_with_an_open_change_is_left_for_the_next_run(existing):
    builders.propose_edit(
        existing["siret"], builders.make_manager(existing["siret"]), name="Épicerie sociale"
    )
    out, _err = run()
    assert "1 waiting for an open change" in out
    assert proposed(existing["siret"])["name"] == "Épicerie sociale"  # the manager's, untouched
    assert "dora--siret" not in Association.objects.get(pk=existing["siret"].pk).datainclusion_imported


def test_files_that_are_not_dumps_fail_clearly(tmp_path, db):
    broken = tmp_path / "broken.json"
    broken.write_text('[{"source": "dora", "id": "x"', encoding="utf-8")
    with pytest.raises(CommandError, match=r"broken\.json line 1: not JSON"):
        run(structures=str(broken))
    with pytest.raises(CommandError, match="No such file"):
        run(structures=str(tmp_path / "missing.json"))
    with pytest.raises(CommandError, match="only files and http"):
        run(structures="ftp://example.org/structures.json")


def test_gzipped_dumps_and_json_lines_are_read(tmp_path, existing):
    import gzip

    with open(DATA / "structures.json", "rb") as source, gzip.open(tmp_path / "s.json.gz", "wb") as target:
        shutil.copyfileobj(source, target)
    lines = tmp_path / "v.jsonl"
    lines.write_text(
        "\n".join(json.dumps(r) for r in json.loads((DATA / "services.json").read_text(encoding="utf-8"))),
        encoding="utf-8",
    )
    out, _err = run(structures=str(tmp_path / "s.json.gz"), services=str(lines))
    assert "7 in the Métropole" in out
    assert "11 services read" in out


@pytest.fixture
def dump_server():
    """The fixture dumps served over HTTP on 127.0.0.1 (a 404 for anything else)."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(DATA))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_dumps_are_read_from_http_urls(existing, dump_server):
    out, _err = run(structures=f"{dump_server}/structures.json", services=f"{dump_server}/services.json")
    assert "7 in the Métropole" in out
    assert Association.objects.filter(source_id="dora--nouvelle").exists()
    with pytest.raises(CommandError, match="404"):
        run(structures=f"{dump_server}/missing.json")


def test_rows_are_read_one_at_a_time_across_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "CHUNK", 7)
    path = tmp_path / "rows.json"
    path.write_text('[\n {"a": "x\\ny"},\n\n {"b": [1, 2]} ,\n{"c": {"d": "]"}}\n]\n', encoding="utf-8")
    assert list(importer.read_rows(path)) == [(2, {"a": "x\ny"}), (4, {"b": [1, 2]}), (5, {"c": {"d": "]"}})]


# Helpers ------------------------------------------------------------------------------------------

WRITE_STATEMENTS = ("INSERT", "UPDATE", "DELETE")


def writes(queries):
    return [
        q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITE_STATEMENTS)
    ]


def tables():
    """The rows the import writes, as plain values (ids included)."""
    return {
        "associations": list(
            Association.objects.order_by("pk").values(
                "pk", "name", "slug", "status", "source", "phone", "version", "updated_at",
                "source_producer", "source_id", "datainclusion_imported", "search_name",
            )
        ),
        "places": list(Place.objects.order_by("pk").values("pk", "association_id", "address", "hours", "area_id")),
        "services": list(Service.objects.order_by("pk").values()),
        "service_places": list(Service.places.through.objects.order_by("pk").values()),
        "changes": list(PendingChange.objects.order_by("pk").values()),
        "history": list(AssociationChange.objects.order_by("pk").values("pk", "association_id", "action", "origin")),
    }  # fmt: skip


# The listing page says where imported data comes from ------------------------------------------------


def test_an_imported_listing_and_its_services_show_their_source(
    existing, settings, client, django_assert_num_queries
):
    settings.DATAINCLUSION_IMPORT_PUBLISH = True
    run()
    created = Association.objects.get(source_id="dora--nouvelle")
    # 1. the association   2. its contents   3. its places   4. its services (their blocks and
    # sources)   5. their places
    with django_assert_num_queries(5):
        response = client.get(created.get_absolute_url())
    page = builders.soup(response)
    note = " ".join(page.select_one("#listing-source").get_text(" ").split())
    assert "Source : DORA , via data·inclusion, mise à jour le 20 novembre 2026" in note
    assert page.select_one("#listing-source a[rel~=external]")["href"] == created.source_url
    assert page.select_one("#listing-source a[rel=license]").get_text() == "Licence Ouverte 2.0"
    services = [" ".join(li.get_text(" ").split()) for li in page.select("#service-sources > li")]
    assert len(services) == 3
    assert services[0].startswith("Épicerie solidaire : Source : DORA")


def test_a_matched_listing_shows_the_source_of_its_imported_services_only(existing, client):
    run()
    change = PendingChange.objects.get(association=existing["siret"], status="pending")
    editing_services.pending_change_approve(change=change, moderator=builders.make_moderator())
    Service.objects.create(association=existing["siret"], name="Un service écrit sur le site", position=5)
    page = builders.soup(client.get(existing["siret"].get_absolute_url()))
    assert not page.select("#listing-source")
    [line] = page.select("#service-sources > li")
    assert line.get_text(" ").split()[:2] == ["Colis", "alimentaires"]


def test_a_listing_the_import_never_touched_shows_no_source(existing, client):
    page = builders.soup(client.get(existing["rna"].get_absolute_url()))
    assert not page.select("#listing-source, #service-sources")


def test_moderators_see_where_an_imported_listing_comes_from_in_the_admin(existing, client):
    run()
    created = Association.objects.get(source_id="dora--nouvelle")
    client.force_login(builders.make_superuser())
    page = builders.soup(client.get(reverse("admin:directory_association_change", args=[created.pk])))
    fieldset = " ".join(page.get_text(" ").split())
    assert "dora--nouvelle" in fieldset
    assert created.source_url in fieldset
    assert not page.select("input[name=source_id]")  # written by the import only


def test_a_structure_that_fails_half_way_leaves_nothing_and_the_others_go_in(existing, monkeypatch):
    apply_values = state.apply_values

    def failing(association, values):
        if values["name"] == "Solidarité Vénissieux Sud":
            raise ValueError("disque plein")
        apply_values(association, values)

    monkeypatch.setattr(state, "apply_values", failing)
    _out, err = run()
    assert "structures.json line 6 (dora--nouvelle): not imported: disque plein" in err
    assert not Association.objects.filter(name="Solidarité Vénissieux Sud").exists()  # its row rolled back
    assert Association.objects.filter(source_id="dora--oullins").exists()
