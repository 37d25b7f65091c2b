"""The SQL of each search family has no per-listing subquery over all its matches.

Each page is asked with the caches off; every SELECT it sends is explained again:
- PostgreSQL (EXPLAIN, JSON): no SubPlan re-run per row. InitPlans (run once, the tsquery and
  typo candidates) and hashed SubPlans (an IN list built once) are fine.
- SQLite (EXPLAIN QUERY PLAN): no CORRELATED subquery.
"""

import json
import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory import geo, reference, search
from directory.models import Place
from directory.search.documents import area_tag, category_tag
from tests import builders

pytestmark = pytest.mark.django_db

LAT, LON = 45.7578, 4.8320

FAMILIES = [
    pytest.param({"q": "danse"}, id="text"),
    pytest.param({"q": "danse", "territoire": "lyon-7"}, id="text+area"),
    pytest.param({"q": "danse villeurbanne"}, id="text+place-words"),
    pytest.param({"categorie": "sport", "territoire": "lyon"}, id="filters"),
    pytest.param({"gratuit": "1", "public": "jeunes", "langue": "ar"}, id="flags"),
    pytest.param({"q": "club", "page": "3"}, id="deep-page"),
    pytest.param({"lat": LAT, "lon": LON, "tri": "distance"}, id="distance"),
    pytest.param({"q": "danse", "lat": LAT, "lon": LON, "tri": "distance"}, id="distance+text"),
    pytest.param({"territoire": "lyon-7", "tri": "distance"}, id="distance-area-centre"),
    pytest.param({"lat": LAT, "lon": LON, "rayon": "3"}, id="radius-relevance"),
    pytest.param({"territoire": "lyon-7", "tri": "nom"}, id="tri=nom"),
    pytest.param({"categorie": "sport", "tri": "recent"}, id="tri=recent"),
    pytest.param({"tri": "pertinence"}, id="tri=pertinence"),
    pytest.param({}, id="facets-everything"),
]


@pytest.fixture
def listings():
    """Enough listings for every family: clubs of dance and football in Gerland, on one point."""
    made = builders.make_associations(
        25,
        prefix="Club de danse",
        categories=["football", "danse"],
        area_slug="lyon-7",
        quartier_slug="gerland",
        languages=["ar"],
        audiences=["jeunes"],
        fees="free",
    )
    made += builders.make_associations(10, prefix="Association", area_slug="villeurbanne")
    Place.objects.update(
        lat=LAT + 1 / geo.KM_PER_DEGREE, lon=LON + 1 / (geo.KM_PER_DEGREE * math.cos(math.radians(LAT)))
    )
    search.sync_rows(made)  # a raw update: the narrow search rows (SearchPoint) follow by hand
    return made


def subplans(plan):
    """The SubPlans of a PostgreSQL JSON plan that run per row (not hashed, not InitPlans)."""
    found = []
    if plan.get("Parent Relationship") == "SubPlan" and not plan.get("Subplan Name", "").startswith("hashed"):
        found.append(plan.get("Subplan Name"))
    for child in plan.get("Plans", []):
        found.extend(subplans(child))
    return found


def json_plan(sql):
    """The plan of a statement on PostgreSQL (EXPLAIN, JSON), its root node."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        raw = cursor.fetchone()[0]
    [root] = raw if isinstance(raw, list) else json.loads(raw)
    return root["Plan"]


def per_row_subqueries(sql):
    if connection.vendor == "postgresql":
        return subplans(json_plan(sql))
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return [row[-1] for row in cursor.fetchall() if "CORRELATED" in row[-1]]


def results_page_selects(client, params):
    """The SELECT statements (WITH … included) a results page with these parameters sends."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/associations/", params)
    assert response.status_code == 200
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
    ]


def per_row_offenders(selects):
    """{the start of a statement: its per-row subqueries}, for the statements that have any."""
    offenders = {sql[:120]: per_row_subqueries(sql) for sql in selects}
    return {sql: found for sql, found in offenders.items() if found}


@pytest.mark.parametrize("params", FAMILIES)
def test_no_per_listing_subquery(client, settings, listings, params):
    settings.SEARCH_CACHE_SECONDS = settings.FACETS_CACHE_SECONDS = settings.LISTINGS_CACHE_SECONDS = 0
    selects = results_page_selects(client, params)
    assert selects  # the test reads real plans
    assert per_row_offenders(selects) == {}


def test_the_check_finds_a_per_listing_subquery(listings):
    """The assertion above can fail: the nearest-place subquery that distance used to run."""
    from django.db.models import FloatField, OuterRef, Subquery

    from directory.models import Association

    nearest = Place.objects.filter(association_id=OuterRef("pk")).values("lat")[:1]
    queryset = Association.objects.annotate(d=Subquery(nearest, output_field=FloatField())).order_by("d")
    sql, params = queryset.query.sql_with_params()
    assert params == ()  # no literal to quote: the SQL runs as it is
    assert per_row_subqueries(sql)


def text_statements(captured):
    """The statements that match text: `@@` on PostgreSQL, FTS5's MATCH on SQLite."""
    marker = "@@" if connection.vendor == "postgresql" else " MATCH "
    return [q["sql"] for q in captured.captured_queries if marker in q["sql"]]


TEXT_FAMILIES = [
    pytest.param({"q": "danse"}, id="text"),
    pytest.param({"q": "danse", "territoire": "lyon-7"}, id="text+area"),
    pytest.param({"q": "club", "page": "2", "tri": "recent"}, id="text-recent"),
    pytest.param({"q": "danse", "categorie": "sport"}, id="text+category"),
    pytest.param({"q": "danse", "lat": LAT, "lon": LON, "tri": "distance"}, id="distance+text"),
]


@pytest.mark.parametrize("params", TEXT_FAMILIES)
def test_text_match_reads_only_the_narrow_rows(client, settings, listings, params):
    """Text searches match and rank on the narrow search rows: their vectors on PostgreSQL
    (migration 0022), their ids in the FTS5 table on SQLite. The statements of the ids and of
    the facets never read the wide listing table (only the page does, by pk)."""
    settings.SEARCH_CACHE_SECONDS = settings.FACETS_CACHE_SECONDS = settings.LISTINGS_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/associations/", params)
    assert response.status_code == 200
    matching = text_statements(captured)
    # PostgreSQL: one statement for the ids of the page, the total and the facet counts
    # (results.facet_rows); SQLite: the ids (with the total), then the facet counts.
    assert len(matching) == (1 if connection.vendor == "postgresql" else 2)
    assert [sql[:200] for sql in matching if '"directory_association"' in sql] == []


def conditions(plan):
    """The conditions of every node of a PostgreSQL JSON plan (index, recheck, filter)."""
    found = [plan[key] for key in ("Index Cond", "Recheck Cond", "Filter") if key in plan]
    for child in plan.get("Plans", []):
        found.extend(conditions(child))
    return found


@pytest.mark.parametrize(
    ("params", "table", "slug"),
    [
        pytest.param({"q": "danse", "territoire": "lyon-7"}, "areas", "lyon-7", id="text+area"),
        pytest.param({"q": "danse", "categorie": "sport"}, "categories", "sport", id="text+category"),
    ],
)
def test_text_match_holds_the_area_and_category_tags(client, settings, listings, params, table, slug):
    """A text search with `territoire` or `categorie` asks the text index for their tag as well
    (directory/search/documents.py: each place's areas and their parents, each category and its
    parent), on both databases: a broad word in a small area reads the few rows of both rather
    than every row with the word. On PostgreSQL the tag is one more term of the text's tsquery
    constant, which the text index reads on a table of real size. The filters still decide
    what matches: the page finds the 25 dance clubs of Gerland."""
    settings.SEARCH_CACHE_SECONDS = settings.FACETS_CACHE_SECONDS = settings.LISTINGS_CACHE_SECONDS = 0
    pk = getattr(reference.get(), table)[slug].pk
    tag = area_tag(pk) if table == "areas" else category_tag(pk)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/associations/", params)
    assert response.status_code == 200
    assert "25 associations trouvées" in " ".join(response.content.decode().split())
    matching = text_statements(captured)
    assert matching
    assert all(tag in sql for sql in matching)
    if connection.vendor == "postgresql":
        assert any("@@" in condition and tag in condition for condition in conditions(json_plan(matching[0])))
