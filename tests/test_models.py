"""Reference data loaded by the migrations, the QuerySets of listings, and the identifier validators."""

import csv

import pytest
from data_inclusion.schema import v1 as schema_v1
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from directory.models import Area, Association, Category, Place
from directory.reference_data import DATA_DIR
from directory.validators import luhn_ok, validate_rna, validate_siret, validate_url_lines
from tests import builders

pytestmark = pytest.mark.django_db


def _csv(name):
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# Areas ----------------------------------------------------------------------------------


def test_metropole_has_58_communes_and_lyon_has_its_9_arrondissements():
    assert Area.objects.communes().count() == 58
    lyon = Area.objects.get(insee="69123")
    children = lyon.children.order_by("insee")
    assert [a.slug for a in children] == [f"lyon-{n}" for n in range(1, 10)]
    assert {a.kind for a in children} == {Area.Kind.ARRONDISSEMENT}
    assert [a.insee for a in children] == [str(69380 + n) for n in range(1, 10)]


def test_arrondissements_carry_their_postcode_and_a_short_name():
    lyon3 = builders.area("lyon-3")
    assert lyon3.postcode_list == ["69003"]
    assert lyon3.short_name == "Lyon 3e"
    assert builders.area("villeurbanne").postcode_list == ["69100"]
    assert builders.area("vaulx-en-velin").postcode_list == ["69120"]
    # Every commune and arrondissement has at least one postcode of the Rhône.
    for area in Area.objects.top_level():
        assert area.postcode_list, area.slug
        assert all(p.startswith("69") and len(p) == 5 for p in area.postcode_list), area.slug


def test_every_quartier_has_one_arrondissement_or_villeurbanne_as_parent():
    quartiers = Area.objects.filter(kind=Area.Kind.QUARTIER).select_related("parent")
    assert quartiers.count() == 113
    parents = {q.parent.slug for q in quartiers}
    assert parents <= {f"lyon-{n}" for n in range(1, 10)} | {"villeurbanne"}
    assert "villeurbanne" in parents
    assert all(q.parent.kind != Area.Kind.QUARTIER for q in quartiers)


def test_a_usual_name_listed_in_two_arrondissements_gets_one_area_each():
    grange_blanche = Area.objects.filter(name="Grange Blanche").select_related("parent")
    assert {(a.slug, a.parent.slug) for a in grange_blanche} == {
        ("grange-blanche-lyon-3", "lyon-3"),
        ("grange-blanche-lyon-8", "lyon-8"),
    }


def test_descendants_of_lyon_reach_the_quartiers_but_not_other_communes():
    lyon = Area.objects.get(insee="69123")
    slugs = set(Area.objects.descendants_of(lyon).values_list("slug", flat=True))
    assert {"lyon", "lyon-3", "montchat", "grange-blanche-lyon-8"} <= slugs
    assert "villeurbanne" not in slugs
    assert "gratte-ciel-dedieu-charmettes" not in slugs


# Categories ------------------------------------------------------------------------------


def test_category_taxonomy_has_a_sane_size_and_depth():
    tops = Category.objects.top_level()
    subs = Category.objects.filter(parent__isnull=False).select_related("parent")
    assert 12 <= tops.count() <= 16
    assert 50 <= subs.count() <= 80
    # Two levels only: a sub-category's parent is a top-level category.
    assert all(sub.parent.parent_id is None for sub in subs)
    # Every top-level category has at least two sub-needs.
    assert all(top.children.count() >= 2 for top in tops)


def test_every_category_has_synonyms_for_search():
    for category in Category.objects.all():
        assert len(category.synonym_list) >= 2, category.slug


def test_datainclusion_thematiques_exist_in_the_v1_schema():
    # v1 thématiques are "family--thématique" codes: the bare family codes of the CSV are v1's
    # categories, which a service cannot carry.
    v1 = {t.value for t in schema_v1.Thematique}
    used = {slug for c in Category.objects.all() for slug in c.datainclusion_thematiques}
    assert used, "no category maps to data·inclusion"
    assert used - v1 == set()


def test_rna_codes_exist_in_the_objet_social_nomenclature():
    codes = {row["code"] for row in _csv("rna_objet_social.csv")}
    used = {code for c in Category.objects.all() for code in c.rna_codes}
    assert used
    assert used - codes == set()


# QuerySets -------------------------------------------------------------------------------


def test_published_excludes_every_other_status():
    for status in Association.Status.values:
        builders.make_association(f"Fiche {status}", status=status)
    published = Association.objects.published()
    assert list(published.values_list("name", flat=True)) == ["Fiche published"]
    assert Association.objects.count() == len(Association.Status.values)


def test_in_area_lyon_includes_arrondissements_and_quartiers():
    in3 = builders.make_association("Dans le 3e", area_slug="lyon-3")
    in_montchat = builders.make_association("À Montchat", area_slug="lyon-3", quartier_slug="montchat")
    builders.make_association("À Villeurbanne", area_slug="villeurbanne")
    lyon = builders.area("lyon")
    assert set(Association.objects.in_area(lyon)) == {in3, in_montchat}


def test_in_area_arrondissement_excludes_other_arrondissements():
    in3 = builders.make_association("Dans le 3e", area_slug="lyon-3")
    builders.make_association("Dans le 7e", area_slug="lyon-7")
    assert list(Association.objects.in_area(builders.area("lyon-3"))) == [in3]


def test_in_area_quartier_only_matches_places_in_that_quartier():
    montchat = builders.make_association("À Montchat", area_slug="lyon-3", quartier_slug="montchat")
    builders.make_association("Au 3e sans quartier", area_slug="lyon-3")
    builders.make_association("À la Part-Dieu", area_slug="lyon-3", quartier_slug="part-dieu")
    assert list(Association.objects.in_area(builders.area("montchat"))) == [montchat]


def test_in_area_commune_outside_lyon():
    villeurbanne = builders.make_association(
        "Gratte-Ciel", area_slug="villeurbanne", quartier_slug="gratte-ciel-dedieu-charmettes"
    )
    builders.make_association("Vaulx", area_slug="vaulx-en-velin")
    assert list(Association.objects.in_area(builders.area("villeurbanne"))) == [villeurbanne]


def test_in_area_has_no_duplicate_for_two_places_in_the_area():
    association = builders.make_association("Deux lieux", area_slug="lyon-3", places=2)
    Place.objects.create(
        association=association, address="1 rue Garibaldi", postcode="69007", area=builders.area("lyon-7")
    )
    rows = Association.objects.in_area(builders.area("lyon"))
    assert rows.count() == 1
    assert list(rows) == [association]


def test_in_category_top_includes_sub_category_members_without_duplicates():
    both = builders.make_association("Aide et épicerie", categories=["epicerie-solidaire", "alimentation"])
    sub = builders.make_association("Épicerie", categories=["epicerie-solidaire"])
    builders.make_association("Foot", categories=["football"])
    top = builders.category("alimentation")
    rows = Association.objects.in_category(top)
    assert rows.count() == 2
    assert set(rows) == {both, sub}


def test_in_category_sub_does_not_include_siblings_or_parent_only_members():
    sub = builders.make_association("Épicerie", categories=["epicerie-solidaire"])
    builders.make_association("Repas", categories=["repas-solidaires"])
    builders.make_association("Alimentation générale", categories=["alimentation"])
    assert list(Association.objects.in_category(builders.category("epicerie-solidaire"))) == [sub]


def test_querysets_chain():
    wanted = builders.make_association("Foot du 7e", categories=["football"], area_slug="lyon-7")
    builders.make_association("Foot du 3e", categories=["football"], area_slug="lyon-3")
    builders.make_association(
        "Foot archivé", categories=["football"], area_slug="lyon-7", status=Association.Status.ARCHIVED
    )
    rows = (
        Association.objects.published()
        .in_area(builders.area("lyon"))
        .in_category(builders.category("sport"))
        .in_area(builders.area("lyon-7"))
    )
    assert list(rows) == [wanted]


def test_wheelchair_speaking_and_audience_filters():
    yes = builders.make_association("Accessible", wheelchair="yes", languages=["ar"], audiences=["femmes"])
    builders.make_association("Partiel", wheelchair="partial", languages=["en"], audiences=["enfants"])
    assert list(Association.objects.wheelchair_accessible()) == [yes]
    assert list(Association.objects.speaking(yes.languages.get())) == [yes]
    assert list(Association.objects.for_audience(yes.audiences.get())) == [yes]


# Constraints and validators --------------------------------------------------------------


def test_rna_is_unique_only_when_set():
    builders.make_association("Sans RNA 1", rna="")
    builders.make_association("Sans RNA 2", rna="")
    builders.make_association("Avec RNA", rna="W691234567")
    with pytest.raises(IntegrityError), transaction.atomic():
        builders.make_association("Doublon RNA", rna="W691234567")
    assert Association.objects.filter(rna="").count() == 2


@pytest.mark.parametrize("value", ["W691234567", "W000000001"])
def test_valid_rna(value):
    validate_rna(value)


@pytest.mark.parametrize("value", ["", "W69123456", "W6912345678", "w691234567", "691234567W", "X691234567"])
def test_invalid_rna(value):
    with pytest.raises(ValidationError) as error:
        validate_rna(value)
    assert error.value.code == "invalid_rna"


def test_siret_luhn():
    # 732 829 320 00074: SIREN and SIRET both pass the Luhn check.
    validate_siret("73282932000074")
    with pytest.raises(ValidationError):
        validate_siret("73282932000075")  # one digit off
    with pytest.raises(ValidationError):
        validate_siret("7328293200007")  # 13 digits
    with pytest.raises(ValidationError):
        validate_siret("7328293200007A")


def test_siret_whose_siren_fails_luhn_is_invalid():
    # The 14 digits pass Luhn, but not the 9-digit SIREN.
    value = "12345678900007"
    assert not luhn_ok(value[:9])
    assert luhn_ok(value)
    with pytest.raises(ValidationError):
        validate_siret(value)


def test_siret_la_poste_follows_its_own_rule():
    # La Poste (SIREN 356 000 000): the digits add up to a multiple of 5; Luhn does not apply.
    assert not luhn_ok("35600000049837")
    validate_siret("35600000049837")
    assert luhn_ok("35600000000048")
    with pytest.raises(ValidationError):
        validate_siret("35600000000048")


def test_model_validation_runs_the_identifier_validators():
    association = builders.make_association("Contrôle", rna="W69123", siret="73282932000075")
    with pytest.raises(ValidationError) as error:
        association.full_clean()
    assert set(error.value.message_dict) >= {"rna", "siret"}


def test_url_lines():
    validate_url_lines("https://example.org\n\n  http://facebook.com/asso  ")
    with pytest.raises(ValidationError) as error:
        validate_url_lines("https://example.org\njavascript:alert(1)")
    assert error.value.code == "invalid_url"


def test_reference_snapshot_holds_one_instance_per_row_in_four_queries(db, django_assert_num_queries):
    """Each parent is the snapshot's own instance of that row, read without a join or a query."""
    from directory import reference

    reference.invalidate()
    with django_assert_num_queries(4):
        snapshot = reference.get()
    with django_assert_num_queries(0):
        croix_rousse = next(a for a in snapshot.areas.values() if a.parent and a.parent.parent)
        assert croix_rousse.parent is snapshot.areas_by_id[croix_rousse.parent_id]
        assert croix_rousse.parent.parent is snapshot.areas_by_id[croix_rousse.parent.parent_id]
        assert snapshot.areas["lyon"].parent is None
        sub_need = next(c for c in snapshot.categories.values() if c.parent_id)
        assert sub_need.parent is snapshot.categories_by_id[sub_need.parent_id]
        assert sub_need.parent.parent is None
    assert list(snapshot.areas_by_id) == list(Area.objects.values_list("pk", flat=True))


def test_reference_snapshot_follows_edits_without_a_query_per_read(django_assert_num_queries):
    from directory import reference

    reference.get()
    with django_assert_num_queries(0):
        assert reference.get().categories["sport"].name == "Sport"
    Category.objects.filter(slug="sport").update(name="Sports")  # a bulk update sends no signal
    sport = Category.objects.get(slug="sport")
    sport.name = "Sport et activités physiques"
    sport.save()  # a save (admin, load_reference_data) moves the shared version
    assert reference.get().categories["sport"].name == "Sport et activités physiques"
