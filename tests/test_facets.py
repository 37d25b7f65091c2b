"""Facets beside the results: counts per need and per place for the current search, as links."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection

from directory.facets import FacetValue
from directory.templatetags.facet_tags import facet_values
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def listings():
    return [
        builders.make_association("Repas du 3e", categories=["epicerie-solidaire"], area_slug="lyon-3"),
        builders.make_association(
            "Foot et repas", categories=["football", "epicerie-solidaire"], area_slug="lyon-7"
        ),
        builders.make_association("Club de Villeurbanne", categories=["football"], area_slug="villeurbanne"),
        builders.make_association("Brouillon", categories=["football"], status="draft"),
    ]


def facet(response, title):
    """{label: (count, href, current)} of the facet list headed `title`."""
    page = builders.soup(response)
    heading = next(h for h in page.select(".facets h3") if h.get_text(strip=True) == title)
    values = {}
    for link in page.select(f"ul[aria-labelledby='{heading['id']}'] a"):
        label = link.select_one(".facet__label").get_text(strip=True)
        count = int(link.select_one(".facet__count").contents[0])
        values[label] = (count, link["href"], link.get("aria-current") == "true")
    return values


def params(href):
    return {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}


def test_counts_per_top_category_and_commune(client, listings):
    response = client.get("/associations/")
    needs = facet(response, "Besoins")
    food = builders.category("epicerie-solidaire").parent.name
    sport = builders.category("football").parent.name
    assert needs[food][0] == 2
    assert needs[sport][0] == 2  # the draft is not counted
    places = facet(response, "Communes")
    assert places["Lyon"][0] == 2  # Lyon is one entry for its arrondissements
    assert places["Villeurbanne"][0] == 1
    assert params(places["Villeurbanne"][1]) == {"territoire": "villeurbanne"}


def test_counts_follow_the_query_and_filters_and_links_keep_them(client, listings):
    sport = builders.category("football").parent
    response = client.get("/associations/", {"q": "foot", "categorie": sport.slug})
    needs = facet(response, "Besoins")
    assert needs[sport.name][0] == 2
    assert needs[sport.name][2] is True
    food = builders.category("epicerie-solidaire").parent.name
    assert needs[food][0] == 1  # only "Foot et repas" matches both
    # The current value removes its filter and keeps the others; the others switch to themselves.
    assert params(needs[sport.name][1]) == {"q": "foot"}
    assert params(needs[food][1])["q"] == "foot"


def test_inside_lyon_the_places_are_arrondissements(client, listings):
    response = client.get("/associations/", {"territoire": "lyon", "page": "1"})
    places = facet(response, "Arrondissements de Lyon")
    assert {label: value[0] for label, value in places.items()} == {"Lyon 3e": 1, "Lyon 7e": 1}
    assert params(places["Lyon 3e"][1]) == {"territoire": "lyon-3"}  # the page is dropped

    response = client.get("/associations/", {"territoire": "lyon-3"})
    places = facet(response, "Arrondissements de Lyon")
    assert places["Lyon 3e"][2] is True
    assert params(places["Lyon 3e"][1]) == {}


def test_facets_are_one_query_and_cached_per_search(client, listings, django_assert_num_queries):
    from django.http import QueryDict

    from directory import facets, reference
    from directory.filters import search_associations

    query = QueryDict("q=foot")
    filterset = search_associations(query)
    results = filterset.results  # the text prepared (PostgreSQL looks the prefix's words up)
    with django_assert_num_queries(1):
        first = facets.build(filterset, results, query)
    other_page = QueryDict("q=foot&page=2&tri=nom")
    filterset = search_associations(other_page)
    results = filterset.results
    with django_assert_num_queries(0):
        again = facets.build(filterset, results, other_page)
    assert [(v.label, v.count) for v in first["needs"]] == [(v.label, v.count) for v in again["needs"]]
    assert reference.get()  # labels come from the snapshot, already loaded


def test_facets_markup_is_a_labelled_navigation(client, listings):
    page = builders.soup(client.get("/associations/"))
    nav = page.select_one("nav.facets")
    assert nav["aria-labelledby"] == "facets-title"
    assert page.select_one("#facets-title").get_text(strip=True) == "Affiner les résultats"


def facet_row_counts(*, by_arrondissement, ids=None):
    """{("c" or "a", value, count)} from the SearchFacet rows of the listings `ids` (a subquery;
    None: every published listing), the needs and the communes or arrondissements: what
    facets.count_rows() must answer."""
    from django.db.models import Count

    from directory.models import SearchFacet

    area = SearchFacet.Kind.ARRONDISSEMENT if by_arrondissement else SearchFacet.Kind.COMMUNE
    rows = SearchFacet.objects.filter(kind__in=[SearchFacet.Kind.NEED, area])
    if ids is not None:
        rows = rows.filter(association_id__in=ids)
    counted = rows.values_list("kind", "value").annotate(n=Count("pk"))
    return {("c" if kind == SearchFacet.Kind.NEED else "a", value, n) for kind, value, n in counted}


@pytest.mark.parametrize("by_arrondissement", [False, True])
def test_counts_of_a_text_search_equal_those_of_the_facet_rows(listings, by_arrondissement):
    """PostgreSQL counts a text search's facets from the rows' facet codes (migration 0022),
    SQLite from SearchFacet: both give what the SearchFacet rows of the matches give."""
    from django.http import QueryDict

    from directory import facets
    from directory.filters import search_associations

    filterset = search_associations(QueryDict("q=repas"))
    ids = filterset.matches.order_by().values("pk")
    expected = facet_row_counts(by_arrondissement=by_arrondissement, ids=ids)
    rows = facets.count_rows(ids, by_arrondissement=by_arrondissement, lyon=None)
    assert len(expected) >= 2
    assert set(rows) == expected


@pytest.mark.parametrize(
    ("query", "joint"),
    [
        ("q=repas", True),
        ("q=foot&tri=nom", True),
        ("categorie=sport&tri=recent", True),
        ("territoire=lyon&page=2", True),
        ("q=repas&lat=45.76&lon=4.85&tri=distance", True),
        ("q=repas&lat=45.76&lon=4.85&rayon=20", True),
        # Within a radius without text, nearest first: the points grouped, then joined to the rows.
        ("lat=45.76&lon=4.85&tri=distance", True),
        ("lat=45.76&lon=4.85&rayon=2&tri=distance&categorie=sport", True),
        # Every listing, or a radius in relevance order: two statements through their indexes.
        ("lat=45.76&lon=4.85", False),
        ("tri=nom", False),
        ("", False),
    ],
)
def test_ids_total_and_facets_in_one_statement_equal_those_of_two(settings, listings, query, joint):
    """SearchResults.facet_rows (PostgreSQL: one statement for the ordered ids, the total and
    the facets, when a text or a filter finds the matches) answers what the separate ids query
    and facet count answer."""
    from django.db import connection
    from django.http import QueryDict

    from directory import facets, search
    from directory.filters import search_associations
    from directory.models import Place, SearchFacet
    from directory.search.results import SearchResults

    settings.SEARCH_CACHE_SECONDS = 0
    for position, place in enumerate(Place.objects.order_by("pk")):
        place.lat, place.lon = 45.75 + position / 1000, 4.84
        place.save()
    search.sync_rows([a.pk for a in listings])
    kinds = [SearchFacet.Kind.NEED, SearchFacet.Kind.COMMUNE]
    apart = search_associations(QueryDict(query))
    expected_facets = set(facets._count(apart.matches.order_by().values("pk"), kinds))
    together = search_associations(QueryDict(query))
    rows = together.pages.facet_rows(kinds)
    if not (joint and connection.vendor == "postgresql"):  # the facets are counted apart
        assert rows is None
        assert together.pages._data is None
        return
    # The ids in order (distances included) and the total of the queryset's own statement.
    orm = SearchResults(apart.results, params=QueryDict(query), known=apart.known_params)
    assert together.pages.data == orm._compute()
    assert together.pages.count() > 0
    assert set(rows) == expected_facets


def test_each_value_is_written_escaped_and_the_current_one_removes_its_filter():
    html = facet_values(
        [
            FacetValue("a", "Aide <b>& co</b>", 1, "?q=x&categorie=a", False),
            FacetValue("b", "Sport", 1200, "?q=x", True),
        ]
    )
    assert "<b>" not in html
    assert "Aide &lt;b&gt;&amp; co&lt;/b&gt;" in html
    assert 'href="?q=x&amp;categorie=a"' in html
    first, current = html.split("</li>")[:2]
    assert "aria-current" not in first
    assert "facet__link--current" not in first
    assert '<span class="facet__count">1<span class="visually-hidden"> association</span>' in first
    assert 'aria-current="true"' in current
    assert "facet__link--current" in current
    assert "Filtre actif, le retirer" in current
    assert '<span class="facet__count">1200<span class="visually-hidden"> associations</span>' in current


postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="PostgreSQL's sets of facet codes"
)


def facet_sets():
    """{codes: listings} of SearchFacetSet (the sets with rows) and of the search rows themselves."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT codes, listings FROM directory_searchfacetset WHERE listings <> 0")
        kept = {bytes(codes): n for codes, n in cursor.fetchall()}
        cursor.execute("SELECT facet_codes, count(*) FROM directory_searchrow GROUP BY facet_codes")
        counted = {bytes(codes): n for codes, n in cursor.fetchall()}
    return kept, counted


@postgres_only
def test_the_sets_of_facet_codes_follow_every_write_of_the_search_rows(listings):
    # Kept by triggers on the rows (migration 0042): an insert, a delete, an update, a re-index
    # (delete and insert of the changed rows), an unpublished listing, a truncate.
    from directory import search
    from directory.models import Association, Category

    kept, counted = facet_sets()
    assert kept == counted
    assert sum(kept.values()) == 3  # the three published listings
    foot, club = listings[1], listings[2]
    foot.categories.add(Category.objects.get(slug="danse"))
    search.index([foot.pk])
    club.status = Association.Status.ARCHIVED
    club.save()
    search.sync_rows([club.pk])
    added = builders.make_association("Nouveau", categories=["danse"], area_slug="bron")
    kept, counted = facet_sets()
    assert kept == counted
    assert sum(kept.values()) == 3
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE directory_searchrow SET facet_codes = '\\x'::bytea WHERE association_id = %s", [added.pk]
        )
    kept, counted = facet_sets()
    assert kept == counted
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign key checks
        cursor.execute("TRUNCATE directory_searchrow CASCADE")
    assert facet_sets() == ({}, {})


@postgres_only
@pytest.mark.parametrize("by_arrondissement", [False, True])
def test_every_listing_facets_and_total_come_from_the_sets_as_from_the_rows(
    client, settings, listings, by_arrondissement, django_assert_num_queries
):
    from directory import facets

    expected = facet_row_counts(by_arrondissement=by_arrondissement)
    with django_assert_num_queries(1):
        rows = facets.count_rows(None, by_arrondissement=by_arrondissement, lyon=None)
    assert len(expected) >= 3
    assert set(rows) == expected
    settings.SEARCH_CACHE_SECONDS = settings.FACETS_CACHE_SECONDS = 0
    response = client.get("/associations/", {"tri": "nom"})
    assert "3 associations trouvées" in builders.visible_text(response)
