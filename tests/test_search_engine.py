"""directory.search: query parsing, indexing, the rebuild command and the query budget."""

import dataclasses
import json
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory import search
from directory.listings import services
from directory.models import (
    Association,
    OpeningSlot,
    Place,
    SearchFacet,
    SearchPoint,
    SearchService,
    SearchTerm,
)
from directory.opening import index as opening_index
from directory.search import documents, postgres, sqlite, tiers
from tests import builders

pytestmark = pytest.mark.django_db


def matches(q):
    """Names matching a query through the search interface only (no view)."""
    parsed = search.parse(q)
    rows = search.apply(Association.objects.published(), parsed).order_by("-rank", search.fair_order(), "pk")
    return list(rows.values_list("name", flat=True))


# Parsing (in memory, no SQL) -----------------------------------------------------------------


def slugs(items):
    return sorted(item.slug for item in items)


@pytest.mark.parametrize(
    ("q", "areas", "words"),
    [
        ("sport villeurbanne", ["villeurbanne"], ["sport"]),
        ("aide aux devoirs Vaulx", ["vaulx-en-velin"], ["aide", "devoirs"]),
        ("Vaulx-en-Velin", ["vaulx-en-velin"], []),
        ("foot lyon 7", ["lyon-7"], ["foot"]),
        ("foot lyon 7e", ["lyon-7"], ["foot"]),
        ("cours 69003", ["lyon-3"], ["cours"]),
        ("montchat", ["montchat"], []),
        ("sport", [], ["sport"]),
        ("saint", [], ["saint"]),
    ],
)
def test_place_words_are_read_as_areas(django_assert_num_queries, q, areas, words):
    with django_assert_num_queries(0):
        parsed = search.parse(q)
    assert slugs(parsed.areas) == areas
    assert [term.word for term in parsed.terms] == words


def test_croix_rousse_means_every_croix_rousse_area():
    found = slugs(search.parse("croix rousse").areas)
    assert "croix-rousse" in found
    assert "pentes-de-la-croix-rousse" in found


def test_synonyms_name_the_most_specific_categories():
    # The synonym belongs to the sub-need and to its parent: the sub-need is meant.
    assert slugs(search.parse("aide aux devoirs").categories) == ["aide-aux-devoirs"]
    assert slugs(search.parse("alphabétisation").categories) == ["alphabetisation"]


def test_last_word_is_a_prefix_and_long_words_are_fuzzy():
    terms = search.parse("cours footb").terms
    assert [(t.word, t.prefix, t.fuzzy) for t in terms] == [("cours", False, True), ("footb", True, True)]


def test_derived_words_also_match_their_root():
    assert search.parse("sportive").terms[0].forms == ["sport"]


# Rank tiers ----------------------------------------------------------------------------------


def rank_of(q):
    parsed = search.parse(q)
    return list(search.apply(Association.objects.published(), parsed).values_list("rank", flat=True))


def test_both_backends_rank_with_the_points_of_the_tier_table(monkeypatch):
    builders.make_association("Club Pingouin", short_description="Le club Pingouin accueille les habitants.")
    word_tiers = [tier for tier in tiers.TIERS if tier.reads is tiers.Reads.WORDS]
    # Every word in the name (a short one), so in every wider word tier too; not the exact name.
    expected = sum(tier.points + tier.short_name_bonus for tier in word_tiers)
    assert rank_of("pingouin") == [expected]
    tenfold = tuple(dataclasses.replace(tier, points=10 * tier.points) for tier in tiers.TIERS)
    monkeypatch.setattr(tiers, "TIERS", tenfold)
    assert rank_of("pingouin") == [expected + 9 * sum(tier.points for tier in word_tiers)]
    # The exact name adds its tier's points (as patched) to the same word tiers.
    assert rank_of("club pingouin") == [tiers.TIERS[0].points + rank_of("pingouin")[0]]


@pytest.mark.parametrize("seed", [0, 956960302, search.SHUFFLE_M - 1])
def test_the_ranked_order_is_the_rank_then_the_daily_shuffle_then_the_id(seed):
    # One integer key (search.ranked_order) orders as the three keys it packs, on both databases,
    # for ranks that are whole numbers.
    assert all(isinstance(n, int) for tier in tiers.TIERS for n in (tier.points, tier.short_name_bonus))
    builders.make_association("Jardin", short_description="Un jardin partagé.")
    for n in range(12):
        builders.make_association(f"Jardin partagé {n}", categories=["jardins-partages"] if n % 3 else [])
        builders.make_association(f"Amicale {n}", short_description="Des jardins familiaux." if n % 2 else "")
        builders.make_association(f"Club {n}", description="Un jardin derrière la salle." if n % 4 else "")
    found = search.apply(Association.objects.published(), search.parse("jardin"))
    three_keys = found.order_by("-rank", search.fair_order(seed), "pk").values_list("pk", "rank")
    assert len({rank for _pk, rank in three_keys}) >= 4  # several tiers, many equals in each
    assert list(found.order_by(*search.ranked_order(seed)).values_list("pk", "rank")) == list(three_keys)


# Indexing ------------------------------------------------------------------------------------


def test_refresh_follows_a_rename_and_new_categories():
    association = builders.make_association("Les Ateliers Bleus", categories=["danse"])
    assert matches("danse") == ["Les Ateliers Bleus"]
    Association.objects.filter(pk=association.pk).update(name="Les Ateliers Rouges", short_description="")
    association.categories.set([builders.category("football")])
    assert services.refresh_search_text([association]) == 1
    assert matches("rouges") == ["Les Ateliers Rouges"]
    assert matches("bleus") == []
    assert matches("danse") == []
    assert matches("football") == ["Les Ateliers Rouges"]


def test_indexing_feeds_the_vocabulary():
    builders.make_association("Xénophon Tricoteurs", short_description="Tricotage hebdomadaire.")
    assert {"xenophon", "tricoteurs", "tricotage", "hebdomadaire"} <= set(
        SearchTerm.objects.values_list("term", flat=True)
    )


def test_numbers_stay_out_of_the_vocabulary():
    builders.make_association(
        "Club Rando 2024", rna="W691234567", short_description="Sorties covid19 SIRET 12345678900012."
    )
    terms = set(SearchTerm.objects.values_list("term", flat=True))
    assert "rando" in terms
    assert not {"w691234567", "2024", "covid19", "12345678900012"} & terms


def fts_rowids():
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid FROM directory_search_fts ORDER BY rowid")
        return [row[0] for row in cursor.fetchall()]


def test_a_deleted_listing_leaves_the_index():
    association = builders.make_association("Cercle des Poètes")
    kept = builders.make_association("Autre Cercle")
    association.delete()
    assert matches("cercle") == ["Autre Cercle"]
    if connection.vendor == "sqlite":
        assert fts_rowids() == [kept.pk]  # at once, not at the next write


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS table")
def test_a_listing_saved_does_not_scan_the_whole_text_index_and_rebuild_drops_rows_left_behind():
    kept = builders.make_association("Autre Cercle")
    gone = kept.pk + 1000  # the row of a listing deleted behind the ORM's back (no signal)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO directory_search_fts(rowid, name, cats, short, body, tags) VALUES (%s, 'cercl', '', '', '', '')",
            [gone],
        )
    with CaptureQueriesContext(connection) as captured:
        services.refresh_search_text([kept])
    assert not [q["sql"] for q in captured.captured_queries if "NOT IN" in q["sql"]]
    assert fts_rowids() == [kept.pk, gone]  # left behind, never matched
    assert matches("cercle") == ["Autre Cercle"]
    call_command_output("rebuild_search_index")
    assert fts_rowids() == [kept.pk]


def test_typo_candidates_come_from_the_vocabulary():
    builders.make_association("Club de Pétanque", categories=["sport"])
    assert matches("petanqe") == ["Club de Pétanque"]
    assert matches("zzzzzzzz") == []


def test_rebuild_command_indexes_everything_and_says_so():
    builders.make_association("Atelier Vélo Bricolage")
    Association.objects.update(search_text="")
    SearchTerm.objects.all().delete()
    out = call_command_output("rebuild_search_index", "--batch-size", "1")
    assert "1 listings to index" in out
    assert "Indexed 1 listings" in out
    assert matches("bricolage") == ["Atelier Vélo Bricolage"]
    assert SearchTerm.objects.filter(term="bricolage").exists()


def test_rebuild_command_dry_run_writes_nothing():
    builders.make_association("Atelier Couture")
    SearchTerm.objects.all().delete()
    out = call_command_output("rebuild_search_index", "--dry-run")
    assert "Dry run" in out
    assert not SearchTerm.objects.exists()


def call_command_output(*args):
    import io

    stdout = io.StringIO()
    call_command(*args, stdout=stdout)
    return stdout.getvalue()


# Query budget --------------------------------------------------------------------------------


def test_text_search_adds_at_most_one_query(client, django_assert_max_num_queries):
    builders.make_association("Club de Football", categories=["football"], area_slug="villeurbanne")
    with CaptureQueriesContext(connection) as without_text:
        client.get("/associations/", {"territoire": "villeurbanne"})
    # Both databases look typo candidates up in the vocabulary first, only when a word has 5
    # letters or more; PostgreSQL looks up the indexed words the last word (a prefix) stands for
    # in the same query: one query at most.
    with django_assert_max_num_queries(len(without_text) + 1):
        response = client.get("/associations/", {"q": "footbal villeurbanne"})
    assert builders.result_names(response) == ["Club de Football"]
    with django_assert_max_num_queries(len(without_text) + (connection.vendor == "postgresql")):
        client.get("/associations/", {"q": "club villeurbanne"})


# Narrow search rows (SearchRow, SearchPoint) -----------------------------------------------


def test_narrow_rows_follow_publication_and_places():
    from directory.models import Place, SearchPoint, SearchRow

    published = builders.make_association("Club de boxe", fees="free", volunteers_sought=True)
    draft = builders.make_association("Brouillon", status=Association.Status.DRAFT)
    row = SearchRow.objects.get(pk=published.pk)
    assert (row.search_name, row.fees, row.volunteers_sought) == ("club de boxe", "free", True)
    assert not SearchRow.objects.filter(pk=draft.pk).exists()

    Place.objects.filter(association=published).update(lat=45.75, lon=4.85)
    search.index([published])
    assert list(SearchPoint.objects.filter(row=row).values_list("lat", "lon")) == [(45.75, 4.85)]

    services.association_set_status(
        association=published, status=Association.Status.ARCHIVED, actor=None, origin="moderator"
    )
    assert not SearchRow.objects.filter(pk=published.pk).exists()
    assert not SearchPoint.objects.filter(row_id=published.pk).exists()
    services.association_set_status(
        association=draft, status=Association.Status.PUBLISHED, actor=None, origin="moderator"
    )
    assert SearchRow.objects.filter(pk=draft.pk).exists()


def narrow_row(pk):
    """(search_vector, facet codes) of a listing's narrow row, the vector as text, None on SQLite
    (its rows carry no vector)."""
    vector = "search_vector::text" if connection.vendor == "postgresql" else "NULL"
    with connection.cursor() as cursor:
        sql = f"SELECT {vector}, facet_codes FROM directory_searchrow WHERE association_id = %s"  # noqa: S608
        cursor.execute(sql, [pk])
        vector, codes = cursor.fetchone()
    if connection.vendor == "postgresql":
        return vector, list(postgres.codes_of(codes))
    return vector, json.loads(codes)


def listing_vector(pk):
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM directory_association WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_a_sync_writes_each_narrow_row_once_with_its_vectors_and_facet_codes():
    # One INSERT per batch of rows carries the vectors (PostgreSQL) and the facet codes: an
    # INSERT then an UPDATE wrote every row twice, and left a dead version of each behind.
    from directory.models import SearchFacet

    association = builders.make_association(
        "Épicerie solidaire du plateau", categories=["epicerie-solidaire"], area_slug="villeurbanne"
    )
    with CaptureQueriesContext(connection) as captured:
        search.index([association])
    writes = [re.sub(r"^\d+ times: ", "", q["sql"]).split()[:3] for q in captured.captured_queries]
    row_writes = [
        verb for verb, *target in writes if verb != "SELECT" and "directory_searchrow" in " ".join(target)
    ]
    assert row_writes == ["DELETE", "INSERT"]

    vector, codes = narrow_row(association.pk)
    assert vector == listing_vector(association.pk)
    kinds = {"c": 0, "a": 1, "r": 2}
    facets = SearchFacet.objects.filter(association=association).values_list("kind", "value")
    assert codes == sorted(value * 3 + kinds[kind] for kind, value in facets)
    assert {code % 3 for code in codes} == {0, 1}  # a need, a commune


def row_version(table, key, pk):
    """The physical place (ctid) of a row on PostgreSQL: it moves whenever the row is written."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ctid::text FROM {table} WHERE {key} = %s", [pk])  # noqa: S608
        found = cursor.fetchone()
    return None if found is None else found[0]


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL keeps unchanged rows in place")
def test_a_sync_keeps_unchanged_rows_in_place_and_rewrites_changed_ones():
    # Geocoding moves the points, not the rows: rewriting every row left the table half empty.
    from directory.models import Place, SearchPoint, SearchRow

    kept = builders.make_association("Club de boxe", fees="free")
    changed = builders.make_association("Club de judo", fees="free")

    def version(pk):
        return row_version("directory_searchrow", "association_id", pk)

    before = {pk: version(pk) for pk in (kept.pk, changed.pk)}
    Place.objects.filter(association__in=[kept, changed]).update(lat=45.75, lon=4.85)
    Association.objects.filter(pk=changed.pk).update(fees="paid")
    search.sync_rows([kept, changed])

    assert version(kept.pk) == before[kept.pk]  # the same version of the row
    assert SearchRow.objects.get(pk=changed.pk).fees == "paid"
    assert version(changed.pk) != before[changed.pk]
    assert SearchPoint.objects.filter(row_id__in=[kept.pk, changed.pk]).count() == 2

    services.association_set_status(
        association=kept, status=Association.Status.ARCHIVED, actor=None, origin="moderator"
    )
    assert version(kept.pk) is None


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="PostgreSQL's points carry their row's values"
)
def test_points_carry_their_rows_name_and_facet_codes_through_renames_and_new_needs():
    # A search within a radius orders and counts its matches from the points alone.
    from directory.models import Category, Place

    association = builders.make_association("Club de boxe", categories=["sport"], area_slug="villeurbanne")
    Place.objects.filter(association=association).update(lat=45.75, lon=4.85)

    def points():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT p.row_name = r.search_name, p.row_codes = r.facet_codes, p.row_name"
                " FROM directory_searchpoint p JOIN directory_searchrow r ON r.association_id = p.row_id"
                " WHERE p.row_id = %s",
                [association.pk],
            )
            return cursor.fetchall()

    search.sync_rows([association])
    assert points() == [(True, True, "club de boxe")]
    association.name = "Boxe éducative de Villeurbanne"
    association.save()
    association.categories.add(Category.objects.get(slug="epicerie-solidaire"))
    search.index([association])
    assert points() == [(True, True, "boxe educative de villeurbanne")]


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's search columns")
def test_indexing_again_leaves_an_unchanged_listing_row_in_place():
    association = builders.make_association("Club de boxe")

    def version():
        return row_version("directory_association", "id", association.pk)

    before = version()
    search.index([association])
    assert version() == before
    Association.objects.filter(pk=association.pk).update(short_description="Boxe éducative pour tous")
    search.index([association])
    assert version() != before
    assert matches("educative") == ["Club de boxe"]


def test_filters_without_text_read_only_the_narrow_rows(client):
    builders.make_association("Club de boxe", fees="free")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/associations/", {"gratuit": "1", "tri": "nom"})
    assert builders.result_names(response) == ["Club de boxe"]
    ids_sql = next(q["sql"] for q in queries.captured_queries if "directory_searchrow" in q["sql"])
    assert "directory_association" not in ids_sql


@pytest.mark.parametrize(
    ("encode", "spread"),
    [
        (postgres.codes_bytes, postgres._spread),
        (json.dumps, lambda groups, kinds: documents.spread_facets(groups, kinds, sqlite._codes_of)),
    ],
    ids=["postgresql", "sqlite"],
)
def test_facet_codes_grouped_by_set_are_counted_once_each_for_every_match(encode, spread):
    """documents.spread_facets, with each backend's column of codes (bytes, a JSON array): each
    code of a set counts the set's matches, only for the kinds asked."""
    kinds = documents.FACET_KINDS
    sets = [((3, 4, 7), 1), ((3, 5), 1), ((3, 4), 2), ((6, 4, 8), 5), ((), 4), ((3,), 1)]
    groups = [(encode(list(codes)), n) for codes, n in sets]
    expected = {}
    for codes, n in sets:
        for code in codes:
            expected[code] = expected.get(code, 0) + n
    for asked in ([kinds[0]], [kinds[1], kinds[2]], list(kinds)):
        wanted = {kinds.index(kind) for kind in asked}
        assert sorted(spread(groups, asked)) == sorted(
            (kinds[code % 3], code // 3, n) for code, n in expected.items() if code % 3 in wanted
        )


def test_only_published_listings_have_facet_rows():
    from directory.models import SearchFacet

    published = builders.make_association("Club de boxe", categories=["sports-de-combat"])
    draft = builders.make_association(
        "Brouillon", categories=["sports-de-combat"], status=Association.Status.DRAFT
    )
    assert SearchFacet.objects.filter(association=published).exists()
    assert not SearchFacet.objects.filter(association=draft).exists()
    services.association_set_status(
        association=published, status=Association.Status.ARCHIVED, actor=None, origin="moderator"
    )
    assert not SearchFacet.objects.filter(association=published).exists()


def test_facets_of_an_unfiltered_search_count_every_row_without_in(client):
    builders.make_association("Club de boxe", categories=["sports-de-combat"])
    with CaptureQueriesContext(connection) as queries:
        client.get("/associations/", {"tri": "nom"})
    facets_sql = next(q["sql"] for q in queries.captured_queries if "directory_searchfacet" in q["sql"])
    assert " IN (SELECT" not in facets_sql.upper()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"territoire": "lyon"}, ["Chorale de Gerland"]),  # a quartier of an arrondissement of Lyon
        ({"territoire": "gerland"}, ["Chorale de Gerland"]),
        ({"territoire": "villeurbanne"}, ["Chorale de Villeurbanne"]),
        ({"categorie": "sport"}, ["Chorale de Gerland"]),  # football, a sub-need of sport
        ({"categorie": "danse"}, ["Chorale de Villeurbanne"]),
        ({"categorie": "football", "territoire": "villeurbanne"}, []),
    ],
)
def test_text_with_territoire_or_categorie_finds_what_the_filters_find(client, params, expected):
    """The text match is narrowed with the territoire and categorie (SQLite intersects their
    tags in its FTS5 query): an area includes its arrondissements and quartiers, a need its sub-needs."""
    builders.make_association(
        "Chorale de Gerland", categories=["football"], area_slug="lyon-7", quartier_slug="gerland"
    )
    builders.make_association("Chorale de Villeurbanne", categories=["danse"], area_slug="villeurbanne")
    response = client.get("/associations/", {"q": "chorale", **params})
    assert sorted(builders.result_names(response)) == expected


def test_indexing_one_listing_rewrites_its_rows_in_a_pinned_number_of_queries(django_assert_num_queries):
    """A listing's save indexes it: reads compiled once per process (queries.OfIds), each narrow
    table's rows deleted in one statement the ORM does not write, the slots inserted as rows."""
    association = builders.make_association("Club de boxe", categories=["sport"])
    builders.add_place(association, "bron", "2 rue de la Gare")
    Place.objects.filter(association=association, position=1).update(closed_from=date(2027, 7, 1))
    builders.make_service(association, places=association.places.all())

    def rows():
        return [
            sorted(model.objects.filter(**{column: association.pk}).values_list(*fields))
            for model, column, fields in (
                (SearchFacet, "association_id", ("kind", "value")),
                (SearchService, "association_id", ("service_id", "running_from", "codes")),
                (SearchPoint, "row_id", ("lat", "lon")),
                (OpeningSlot, "association_id", SLOT_VALUES),
            )
        ]

    before = rows()
    expected_slots = sorted(
        tuple(getattr(slot, name) for name in SLOT_VALUES)
        for place in association.places.all()
        for slot in opening_index.place_slots(place)
    )
    assert before[3] == expected_slots
    assert any(slot[0] == OpeningSlot.Kind.CLOSURE for slot in expected_slots)
    search.index([association])  # the queries written once per process
    with django_assert_num_queries(INDEX_QUERIES[connection.vendor]):
        search.index([association])
    assert rows() == before


SLOT_VALUES = (
    "kind",
    "place_id",
    "weekday",
    "opens",
    "closes",
    "start",
    "end",
    "holidays_open",
    "school_rule",
)
# In a savepoint: six reads (links, places, services, the listing, and the languages and
# audiences of a listing with a service), the text (SQLite: its FTS row deleted and inserted, the
# listing's search columns; PostgreSQL: one UPDATE), each narrow table's rows deleted in one
# statement and inserted again (PostgreSQL: the search row kept in place when unchanged), the
# places for the slots, the vocabulary.
INDEX_QUERIES = {"sqlite": 23, "postgresql": 17}
