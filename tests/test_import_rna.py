"""RNA import: parsing, scope, mapping, upsert with local edits kept, privacy, summary."""

import io
import re
import tracemalloc
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core import serializers
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.listings import services
from directory.models import Association, AssociationChange, Place
from directory.rna import columns, importer, mapping, names, parser, sample
from tests import builders

FIXTURES = Path(__file__).parent / "fixtures" / "rna"
V1 = FIXTURES / "waldec_v1.csv"
V2 = FIXTURES / "waldec_v2.csv"


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_rna", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def stored_text():
    """Everything the import writes (listings, places, history, links), serialised."""
    from directory.models import SlugRedirect

    querysets = [
        Association.objects.all(),
        Place.objects.all(),
        AssociationChange.objects.all(),
        SlugRedirect.objects.all(),
        Association.categories.through.objects.all(),
    ]
    return "".join(serializers.serialize("json", qs) for qs in querysets)


def listing(rna):
    return Association.objects.prefetch_related("categories", "places__area").get(rna=rna)


# Name prettifier ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("EPICERIE SOLIDAIRE DE LA GUILLOTIERE", "Épicerie solidaire de la Guillotière"),
        ("SOCIETE FRANCAISE D'EDUCATION", "Société française d'éducation"),
        ("MJC DE VAULX EN VELIN", "MJC de Vaulx en Velin"),
        ("CCAS DE VENISSIEUX", "CCAS de Vénissieux"),
        ("COMITE DES FETES DE LA CROIX ROUSSE", "Comité des fêtes de la Croix Rousse"),
        ("AMICALE DES LOCATAIRES DE LA DUCHERE", "Amicale des locataires de La Duchère"),
        ("CLUB DES AINES DE SAINTE FOY LES LYON", "Club des aînés de Sainte Foy lès Lyon"),
        ("UNION SPORTIVE DE VENISSIEUX USV", "Union sportive de Vénissieux USV"),
        ("ASSOCIATION DES PARENTS D'ELEVES (APEL)", "Association des parents d'élèves (APEL)"),
        ("S.O.S. AMITIE LYON", "S.O.S. amitié Lyon"),
        ("AMICALE DU 3EME AGE", "Amicale du 3e âge"),
        ("CHAPITRE XIV DE LYON", "Chapitre XIV de Lyon"),
        (
            "L'ASSOCIATION A POUR OBJET L'ENTRAIDE. ELLE AIDE.",
            "L'association a pour objet l'entraide. Elle aide.",
        ),
        ("ASSOCIATION DES AMIS DE L'INDUSTRIE", "Association des amis de l'industrie"),
    ],
)
def test_prettify_upper_case_names(raw, expected):
    assert names.prettify(raw) == expected


def test_prettify_keeps_the_short_title_acronym():
    assert names.prettify("ASSOCIATION SPORTIVE ASUL", short_title="ASUL") == "Association sportive ASUL"
    # Without the short title nothing says ASUL is an acronym: it is not guessed.
    assert names.prettify("ASSOCIATION SPORTIVE ASUL") == "Association sportive asul"


def test_prettify_keeps_initials_of_the_name_upper_case():
    assert (
        names.prettify("ASSOCIATION SPORTIVE UNIVERSITAIRE LYONNAISE ASUL")
        == "Association sportive universitaire lyonnaise ASUL"
    )


@pytest.mark.parametrize("text", ["Les Amis du Vieux Lyon", "ça va", "Association LGBT+ de Lyon", ""])
def test_prettify_keeps_mixed_case_text(text):
    assert names.prettify(text) == text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("DE LA REPUBLIQUE", "de la République"),
        ("JEAN JAURES", "Jean Jaurès"),
        ("DU MONT D'OR", "du Mont d'Or"),
        ("EMILE ZOLA", "Émile Zola"),
        ("DE LA GUILLOTIERE", "de la Guillotière"),
    ],
)
def test_prettify_street_names_in_title_case(raw, expected):
    assert names.prettify(raw, mode="title") == expected


def test_address_is_assembled_and_a_person_in_the_complement_is_dropped():
    data = {
        "adrs_numvoie": "12",
        "adrs_repetition": "B",
        "adrs_typevoie": "MTE",
        "adrs_libvoie": "DE LA GRANDE COTE",
        "adrs_complement": "MAISON DES ASSOCIATIONS",
        "adrs_distrib": "_",
    }
    assert mapping.address(data) == "12 bis montée de la Grande Cote, Maison des associations"
    assert mapping.address({**data, "adrs_complement": "CHEZ M DUPONT"}) == "12 bis montée de la Grande Cote"
    assert mapping.address({**data, "adrs_distrib": "BP 12"}) == (
        "12 bis montée de la Grande Cote, Maison des associations"
    )


def test_short_description_is_the_first_sentence_within_280_characters():
    assert mapping.short_description("Aider. Accueillir.") == "Aider."
    long = "Mot " * 120 + "fin."
    short = mapping.short_description(long)
    assert len(short) <= 280
    assert short.endswith("…")


# First import ------------------------------------------------------------------------------


@pytest.fixture
def imported(db):
    out, err = run(V1)
    return out, err


def test_first_import_summary(imported):
    out, _ = imported
    assert "13 rows read (latin-1, current layout), 11 in the Métropole, 2 outside" in out
    assert "10 created, 0 updated, 0 unchanged, 0 archived" in out
    assert "1 dissolved, not listed" in out
    assert Association.objects.filter(source=Association.Source.RNA).count() == 10


def test_imported_listing_fields(imported):
    epicerie = listing("W691000001")
    assert epicerie.name == "Épicerie solidaire de la Guillotière"
    assert epicerie.status == Association.Status.PUBLISHED
    assert epicerie.source == Association.Source.RNA
    assert epicerie.siret == "73282932000074"
    assert epicerie.website == "http://www.epicerie-guillotiere.example.org"
    assert epicerie.short_description == (
        "Gérer une épicerie solidaire ouverte aux familles du quartier; proposer des ateliers."
    )
    assert epicerie.description.endswith("Organiser des collectes.")
    assert [c.slug for c in epicerie.categories.all()] == ["distribution-alimentaire"]
    assert epicerie.search_text  # indexed
    (place,) = epicerie.places.all()
    assert place.kind == Place.Kind.SEAT
    assert place.address == "12 bis rue de la Guillotière"  # the "chez Mme …" complement is dropped
    assert (place.postcode, place.area.slug) == ("69007", "lyon-7")
    assert (place.lat, place.lon) == (place.area.lat, place.area.lon)
    assert place.location_precision == Place.LocationPrecision.AREA


def test_publiweb_zero_is_imported_as_a_draft_and_invalid_values_are_dropped(imported):
    asul = listing("W691000002")
    assert asul.name == "Association sportive ASUL"
    assert asul.status == Association.Status.DRAFT
    assert asul.siret == ""
    assert asul.website == ""
    assert [c.slug for c in asul.categories.all()] == ["football"]


@pytest.mark.parametrize(
    ("rna", "area_slug"),
    [
        ("W691000004", "lyon-4"),  # 69123 Lyon as a whole, arrondissement from the postcode
        ("W691000005", "oullins-pierre-benite"),  # legacy 69152 Pierre-Bénite
        ("W691000006", "villeurbanne"),  # no INSEE code, postcode of one commune only
        ("W691000007", "meyzieu"),  # no INSEE code, shared postcode and the commune's name
    ],
)
def test_area_resolution(imported, rna, area_slug):
    assert listing(rna).places.get().area.slug == area_slug


def test_outside_the_metropole_is_not_imported(imported):
    # W691000008: shared postcode 69330 but Pusignan; W691000009: Villefranche (69264).
    assert not Association.objects.filter(rna__in=["W691000008", "W691000009"]).exists()
    assert not Association.objects.filter(rna="W691000003").exists()  # dissolved: no new listing


def test_unknown_objet_social_code_falls_back_to_its_parent(imported):
    slugs = {c.slug for c in listing("W691000010").categories.all()}
    assert slugs == {"culture-et-loisirs", "acces-aux-soins"}  # 006035 → 006000; 017005


def test_mixed_case_name_is_kept(imported):
    assert listing("W691000011").name == "Les Amis du Vieux Lyon"


def test_no_personal_data_is_imported(imported):
    text = stored_text().upper()
    for secret in ["ZORGLUBOVITCH", "QUIMPERLEZ", "DUPONTEL", "RUE DU DECLARANT PRIVE", "ESCALIER SECRET"]:
        assert secret not in text
    assert '"PM"' not in text


def test_imported_listing_page_invites_to_claim(imported, client):
    association = listing("W691000001")
    response = client.get(association.get_absolute_url())
    assert response.status_code == 200
    notice = builders.soup(response).select_one(".notice--rna")
    assert "Répertoire national des associations" in notice.get_text()
    link = notice.find("a")
    if link is not None:  # the claim flow may not be installed yet
        assert link["href"].endswith(f"/associations/{association.slug}/revendiquer/")


def test_rna_is_exact_filter_in_the_api(imported, client):
    response = client.get("/api/associations/", {"rna": "w691000001"})
    assert response.status_code == 200
    assert [r["rna"] for r in response.json()["results"]] == ["W691000001"]


# Re-import ---------------------------------------------------------------------------------


def test_reimporting_the_same_file_changes_nothing(imported):
    before = {a.pk: (a.updated_at, a.name) for a in Association.objects.all()}
    changes = AssociationChange.objects.count()
    out, _ = run(V1)
    assert "0 created, 0 updated, 10 unchanged, 0 archived" in out
    assert {a.pk: (a.updated_at, a.name) for a in Association.objects.all()} == before
    assert AssociationChange.objects.count() == changes


def test_newer_file_updates_only_fields_nobody_edited(imported):
    education = Association.objects.get(rna="W691000012")
    education.name = "Éducation populaire du 1er"  # a moderator renamed it
    education.save(update_fields=["name"])
    out, _ = run(V2)
    # W691000012 (description), W691000004 (address), W691000002 (publiweb 0 → 1).
    assert "1 created, 3 updated" in out
    assert "1 archived" in out
    assert "1 field(s) edited on the site kept" in out
    education.refresh_from_db()
    assert education.name == "Éducation populaire du 1er"  # kept
    assert education.description == "Éducation populaire et loisirs."  # updated
    log = AssociationChange.objects.get(association=education, action="rna_update")
    assert log.origin == "import"
    assert log.changes["description"] == {
        "old": "Éducation populaire.",
        "new": "Éducation populaire et loisirs.",
    }
    assert "name" not in log.changes


def test_newer_file_moves_the_place_back_to_the_area_centre(imported):
    place = Place.objects.get(association__rna="W691000004")
    place.lat, place.lon, place.location_precision = 45.7801, 4.8301, Place.LocationPrecision.ADDRESS
    place.transit = [{"name": "Croix-Rousse", "distance": 80, "lines": []}]
    place.save()
    run(V2)
    place.refresh_from_db()
    assert place.address == "9 place de la Croix Rousse"
    assert place.location_precision == Place.LocationPrecision.AREA
    assert (place.lat, place.lon) == (place.area.lat, place.area.lon)
    assert place.transit == []  # the stations of the old position go with it


def test_publiweb_becoming_one_publishes_a_draft_nobody_touched(imported):
    run(V2)
    asul = Association.objects.get(rna="W691000002")
    assert asul.status == Association.Status.PUBLISHED
    assert AssociationChange.objects.filter(association=asul, action="status:published").exists()


def test_deleted_association_is_archived_never_deleted(imported):
    run(V2)
    gone = Association.objects.get(rna="W691000013")
    assert gone.status == Association.Status.ARCHIVED
    assert AssociationChange.objects.filter(
        association=gone, action="status:archived", origin="import"
    ).exists()
    out, _ = run(V2)
    assert "0 created, 0 updated, 11 unchanged, 0 archived" in out


def test_listing_created_by_hand_keeps_its_values(db):
    own = builders.make_association(
        "Épicerie de quartier", rna="W691000001", website="https://ours.example.org"
    )
    run(V1)
    own.refresh_from_db()
    assert own.name == "Épicerie de quartier"
    assert own.website == "https://ours.example.org"
    assert own.siret == "73282932000074"  # a blank is filled
    assert own.source == Association.Source.SUBMITTED
    assert own.places.count() == 1


def test_the_registry_wins_over_a_listing_nobody_published(db, plain_user, moderator):
    from directory.editing import services as editing_services
    from directory.models import PendingChange

    def propose(name, rna):
        change = editing_services.association_submit_new(
            user=plain_user,
            values={
                "name": name,
                "short_description": "Écrit par son auteur.",
                "website": "https://squat.example.org",
                "rna": rna,
                "categories": [],
                "places": [],
            },
        )
        return change

    pending = propose("Fausse MJC", "W691000004")
    rejected = propose("Faux club des aînés", "W691000005")
    # Rejected before this fix: the number was kept (as rows of older data still do).
    editing_services.pending_change_reject(change=rejected, moderator=moderator, reason="other")
    Association.objects.filter(pk=rejected.association_id).update(rna="W691000005")

    out, _ = run(V1)
    assert "10 created" in out
    for change, rna in ((pending, "W691000004"), (rejected, "W691000005")):
        squatter = Association.objects.get(pk=change.association_id)
        # The submitter's row is left as they wrote it, without the number.
        assert (squatter.name, squatter.website, squatter.rna) == (
            change.proposed["name"],
            "https://squat.example.org",
            "",
        )
        assert squatter.source == Association.Source.SUBMITTED
        assert AssociationChange.objects.filter(
            association=squatter, action="rna_released", origin="import", actor=None
        ).exists()
        registry = Association.objects.get(rna=rna)
        assert registry.source == Association.Source.RNA
        assert registry.pk != squatter.pk
    # The open proposal no longer carries the number: approving it cannot take it back.
    assert PendingChange.objects.get(pk=pending.pk).proposed["rna"] == ""
    editing_services.pending_change_approve(
        change=PendingChange.objects.get(pk=pending.pk), moderator=moderator
    )
    assert Association.objects.get(pk=pending.association_id).rna == ""


# Formats, bad rows, options ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "layout"),
    [
        ("waldec_v1.csv", columns.COLUMNS),
        ("waldec_v2.csv", columns.COLUMNS),
        ("waldec_broken.csv", columns.COLUMNS),
        ("waldec_utf8.csv", columns.COLUMNS),
        ("waldec_2018.csv", columns.COLUMNS_2018),
    ],
)
def test_fixture_headers_are_the_column_list(fixture, layout):
    header = (FIXTURES / fixture).read_bytes().decode("latin-1").splitlines()[0]
    assert header.removeprefix("\xef\xbb\xbf").split(";") == list(layout)
    assert set(columns.REQUIRED_COLUMNS) <= set(layout)
    assert set(columns.DATE_COLUMNS) <= set(layout)


def test_utf8_file_with_bom(db):
    out, _ = run(FIXTURES / "waldec_utf8.csv")
    assert "(utf-8-sig, current layout)" in out
    assert Association.objects.get(rna="W691000021").name == "Société française d'entraide — Lyon"


def test_2018_layout_never_imports_phone_or_email(db):
    out, _ = run(FIXTURES / "waldec_2018.csv")
    assert "2018 layout" in out
    club = Association.objects.get(rna="W691000031")
    assert club.phone == ""
    assert club.email == ""
    text = stored_text()
    assert "0478000000" not in text
    assert "secret.declarant" not in text


def test_bad_rows_are_reported_and_the_import_goes_on(db):
    out, err = run(FIXTURES / "waldec_broken.csv")
    assert re.search(r"line 3: 5 columns instead of 39", err)
    assert re.search(r"line 4: invalid id 'X12'", err)
    assert re.search(r"line 5: impossible date in date_creat", err)
    assert re.search(r"line 6: impossible date in maj_time", err)
    assert "4 invalid row" in out
    assert set(Association.objects.values_list("rna", flat=True)) == {"W691000041", "W691000045"}


def test_a_field_over_the_csv_limit_is_a_bad_row_and_the_rest_is_imported(db, tmp_path):
    # Header and first row of V1 (the row spans lines 2-3), then an `objet` of 140 000
    # characters (over csv.field_size_limit(), 131 072) on line 4, then the other rows.
    lines = V1.read_bytes().decode("latin-1").splitlines(keepends=True)
    huge = lines[3].split(";")
    huge[0] = "W691999999"
    huge[columns.COLUMNS.index("objet")] = "X" * 140_000
    path = tmp_path / "huge_field.csv"
    path.write_bytes("".join([*lines[:3], ";".join(huge), *lines[3:]]).encode("latin-1"))
    out, err = run(path, "--batch-size", "1")
    assert re.search(r"line 4: unreadable row: field larger than field limit", err)
    assert "1 invalid row" in out
    assert "10 created" in out
    assert not Association.objects.filter(rna="W691999999").exists()


def test_dry_run_writes_nothing_and_reports_the_same(db):
    out, _ = run(V1, "--dry-run")
    assert "Dry run" in out
    assert "10 created" in out
    assert not Association.objects.exists()


def test_limit_stops_after_n_rows(db):
    out, _ = run(V1, "--limit", "2")
    assert "2 rows read" in out
    assert Association.objects.count() == 2


def test_not_an_rna_file_is_refused(db, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing columns"):
        run(path)


def test_latin1_windows_characters_are_decoded():
    text, encoding = parser.decode("L\x92AMICALE \x9cUVRES".encode("latin-1"))
    assert (text, encoding) == ("L’AMICALE œUVRES", "latin-1")


# At scale ----------------------------------------------------------------------------------


def test_synthetic_sample_imports_then_reimports_without_writes(db, tmp_path):
    path = tmp_path / "sample.csv"
    call_command("make_rna_sample", str(path), "--rows", "600", "--seed", "3", stdout=StringIO())
    assert path.read_bytes().decode("latin-1").startswith(";".join(columns.COLUMNS))
    summary = importer.import_rna(path, batch_size=200)
    assert summary.read == 600
    assert not summary.errors
    assert 0.6 < summary.in_scope / summary.read < 0.8
    assert summary.created == Association.objects.count() > 300
    assert Association.objects.filter(status=Association.Status.DRAFT).exists()
    assert not Association.objects.filter(places__isnull=True).exists()
    text = stored_text().upper()
    assert not any(surname in text for surname in sample.SURNAMES)
    changes = AssociationChange.objects.count()
    again = importer.import_rna(path, batch_size=200)
    assert (again.created, again.updated, again.archived) == (0, 0, 0)
    assert again.unchanged == summary.created
    assert AssociationChange.objects.count() == changes


def test_slug_pool_matches_unique_slug(db):
    builders.make_association("Club de lecture")
    pool = importer.SlugPool()
    assert pool.take("Club de lecture") == services.unique_slug("Club de lecture") == "club-de-lecture-2"
    assert pool.take("Club de lecture") == "club-de-lecture-3"


def test_every_imported_listing_starts_its_history_with_the_import(imported):
    created = Association.objects.filter(source=Association.Source.RNA)
    logged = AssociationChange.objects.filter(origin="import", action="created")
    assert created.count() > 0
    assert sorted(logged.values_list("association_id", flat=True)) == sorted(
        created.values_list("pk", flat=True)
    )


# Streaming ---------------------------------------------------------------------------------


class NoWholeRead(io.BytesIO):
    """A file that refuses to be read whole: the parser must read it by pieces."""

    def read(self, size=-1):
        if size is None or size < 0:
            raise AssertionError("read() of the whole file")
        return super().read(size)

    def readall(self):
        raise AssertionError("readall() of the whole file")


def sample_bytes(tmp_path, rows, seed=5):
    path = tmp_path / f"sample-{rows}.csv"
    sample.write(path, count=rows, seed=seed)
    return path.read_bytes()


def test_parser_reads_the_file_by_pieces(tmp_path):
    raw = sample_bytes(tmp_path, 300)
    with parser.RnaFile(NoWholeRead(raw)) as rna_file:
        rows = list(rna_file)
    assert len(rows) == 300
    assert all(isinstance(row, parser.Row) for row in rows)
    assert rna_file.encoding == "latin-1"
    assert rows[-1].data["id"] == "W690000299"


def _parse_peak(raw):
    tracemalloc.start()
    try:
        with parser.RnaFile(io.BytesIO(raw)) as rna_file:
            count = sum(1 for _ in rna_file)
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_parser_memory_does_not_grow_with_the_file(tmp_path):
    small, large = sample_bytes(tmp_path, 2_000), sample_bytes(tmp_path, 20_000)
    small_count, small_peak = _parse_peak(small)
    large_count, large_peak = _parse_peak(large)
    assert (small_count, large_count) == (2_000, 20_000)
    # The bytes given are not counted (they exist before); what parsing holds is a buffer and a row.
    assert large_peak < 1.5 * small_peak + 256 * 1024, (small_peak, large_peak)


def test_late_windows_1252_byte_in_a_file_read_as_utf8():
    text = V1.read_bytes().decode("latin-1")
    start = text.index("W691000001")
    first_row = text[start : text.index("\nW69", start)].replace("W691000001", "W691000099", 1)
    filler = "\n" * (parser.SNIFF_BYTES + 10)  # blank lines, skipped: they push the byte past the sniff
    late = first_row.encode("utf-8").replace(b"EPICERIE SOLIDAIRE DE", b"L\x92EPICERIE SOLIDAIRE DE", 1)
    raw = text.encode("utf-8") + filler.encode() + late + b"\n"
    with parser.RnaFile(io.BytesIO(raw)) as rna_file:
        rows = [row for row in rna_file if isinstance(row, parser.Row)]
    assert rna_file.encoding == "utf-8"
    assert rows[-1].data["id"] == "W691000099"
    assert rows[-1].data["titre"].startswith("L’EPICERIE SOLIDAIRE DE")


def test_zip_of_the_registry_is_read_without_extracting(db, tmp_path):
    path = tmp_path / "rna_waldec_20261201.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("rna_waldec_20261201_dpt_01.csv", "id;titre\n")
        archive.write(V1, "rna_waldec_20261201_dpt_69.csv")
    out, _ = run(path)
    assert "13 rows read" in out
    assert "10 created" in out
    assert Association.objects.count() == 10


def test_reimport_of_an_unchanged_file_writes_nothing(db, tmp_path):
    path = tmp_path / "sample.csv"
    sample.write(path, count=400, seed=8)
    first = importer.import_rna(path, batch_size=150)
    assert first.created > 200
    with CaptureQueriesContext(connection) as captured:
        again = importer.import_rna(path, batch_size=150)
    assert again.unchanged == first.created
    assert (again.created, again.updated) == (0, 0)
    writes = [q["sql"] for q in captured if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)]
    assert writes == []
    # A few reads per batch, not one per row.
    assert len(captured) < 10 * (first.read // 150 + 2)
