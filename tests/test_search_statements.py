"""The shapes of a cold search's SQL give the same answers as the plain ones they replace.

- PostgreSQL's one statement (directory/search/postgres.ids_count_and_facets): a text ordered by
  date reads its first ids from the index of dates (`SearchResults._in_order`), and the API's text
  searches use the statement without its facets; both answer what sorting every match answers.
- A radius search with text, nearest first, reads the points of its matches
  (`postgres.near_ids_count_and_facets`): the same answers as the rows' statement.
- Typo candidates are looked up before the search, so its tsquery is a constant.
- The subquery of the listings open now is built once a minute and handed out as clones.
"""

import datetime
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from directory import search
from directory.filters import search_associations
from directory.models import Association
from directory.opening import search as opening_search
from directory.search import results
from tests import builders

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="PostgreSQL's one-statement search"
)


@pytest.fixture
def clubs(settings):
    """Dance clubs created a day apart (some with the same day, so ties are ordered by id), and
    other listings the text does not find."""
    settings.SEARCH_CACHE_SECONDS = settings.FACETS_CACHE_SECONDS = 0
    made = builders.make_associations(12, prefix="Club de danse", categories=["danse"])
    made += builders.make_associations(4, prefix="Atelier couture", area_slug="villeurbanne")
    start = timezone.now() - datetime.timedelta(days=30)
    for n, association in enumerate(made):
        Association.objects.filter(pk=association.pk).update(
            created_at=start + datetime.timedelta(days=n // 2)
        )
    search.sync_rows(made)  # a raw update: the narrow rows follow by hand
    return made


def answers(params, *, api=False, plain=False, monkeypatch=None):
    """(count, ids in order, facets) of a search's first window; `plain`: with the shapes under
    test switched off (every match sorted; the API's window COUNT)."""
    if plain:
        monkeypatch.setattr(results.SearchResults, "_in_order", lambda self: None)
        if api:
            monkeypatch.setattr(results.SearchResults, "_joint_applies", lambda self: False)
    filterset = search_associations(QueryDict(params), api=api)
    facets = None if api else filterset.pages.facet_rows(["c", "a"])
    data = filterset.pages.data
    if plain:
        monkeypatch.undo()
    return data["count"], [row[0] for row in data["rows"]], sorted(facets or [])


@postgres_only
@pytest.mark.parametrize(
    "params",
    ["q=danse&tri=recent", "q=club&tri=recent", "q=club+danse&tri=recent", "q=couture+danse&tri=recent"],
)
def test_a_text_ordered_by_date_answers_as_sorting_every_match(clubs, monkeypatch, params):
    # its first ids read in the order of an index, its count and facets from its matches grouped
    # by their facet codes (postgres._grouped)
    found = answers(params)
    assert found == answers(params, plain=True, monkeypatch=monkeypatch)
    count, ids, facets = found
    assert bool(facets) == (count > 0)
    expected = (
        Association.objects.filter(pk__in=ids).order_by("-created_at", "-pk").values_list("pk", flat=True)
    )
    assert count == len(ids)
    assert ids == list(expected)


@postgres_only
@pytest.mark.parametrize(
    "params",
    [
        "q=danse",
        "q=danse&tri=nom",
        "q=danse&tri=recent",
        "q=club&territoire=lyon-3",
        "q=danes",
        "categorie=danse",
    ],
)
def test_api_text_searches_answer_as_the_window_count(clubs, monkeypatch, params):
    found = answers(params, api=True)
    assert found == answers(params, api=True, plain=True, monkeypatch=monkeypatch)
    assert found[0] > 0


@postgres_only
@pytest.mark.parametrize(
    "params",
    ["q=danse", "q=club&territoire=villeurbanne", "q=zzzz", "lat=45.76&lon=4.84&rayon=2&tri=distance"],
)
def test_a_statement_with_facets_counts_its_matches_from_their_groups(clubs, params):
    # With facets, the total is the sum of the facet codes' groups (postgres._total_or_facets_part):
    # the same total as the statement without facets (the API's), none found included.
    with_facets = search_associations(QueryDict(params))
    assert with_facets.pages.facet_rows(["c", "a"]) is not None
    without = search_associations(QueryDict(params), api=True)
    assert with_facets.pages.count() == without.pages.count() == without.matches.count()


@postgres_only
def test_typo_candidates_are_looked_up_before_the_search(clubs, client, settings):
    settings.SEARCH_CACHE_SECONDS = settings.FACETS_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/associations/", {"q": "danes"})  # "danse", misspelt
    assert len(builders.result_names(response)) == 12
    vocabulary = [q["sql"] for q in captured.captured_queries if "directory_searchterm" in q["sql"]]
    assert len(vocabulary) == 1  # the candidates, in a query of their own
    statement = next(q["sql"] for q in captured.captured_queries if "facet_codes" in q["sql"])
    # a constant: the candidates stemmed, OR'ed with the indexed words the prefix "danes" stands for
    assert "(to_tsquery('french_unaccent', '(danse" in statement
    assert "|| '''dans'''::tsquery)" in statement
    assert "directory_searchterm" not in statement


@postgres_only
def test_only_unknown_words_get_candidates(clubs):
    known, misspelt = search.backend().prepare(search.parse("danse danes")).terms
    assert known.candidates == []
    assert "danse" in misspelt.candidates


def test_the_open_now_subquery_is_shared_as_clones():
    first, second = opening_search.open_now_ids(), opening_search.open_now_ids()
    assert first is not second
    assert str(first.query) == str(second.query)
    assert list(first) == []
    assert second._result_cache is None


@postgres_only
def test_a_radius_without_other_filters_reads_the_points_alone(clubs):
    # The points carry their rows' names and facet codes (migration 0039): "Près de moi" does
    # not join every search row; with another filter, only that filter's rows are read.
    from directory.models import Place

    Place.objects.filter(association__in=clubs).update(lat=45.75, lon=4.85)
    search.sync_rows(clubs)
    for params, reads_rows in [
        ("lat=45.75&lon=4.85&rayon=2&tri=distance", False),
        ("lat=45.75&lon=4.85&rayon=2&tri=distance&territoire=villeurbanne", True),
    ]:
        filterset = search_associations(QueryDict(params))
        with CaptureQueriesContext(connection) as captured:
            facets = filterset.pages.facet_rows(["c", "a"])
        statement = next(q["sql"] for q in captured.captured_queries if "directory_searchpoint" in q["sql"])
        assert ("directory_searchrow" in statement) is reads_rows
        count = filterset.pages.data["count"]
        assert count == (4 if reads_rows else 16)
        assert sum(n for kind, _value, n in facets if kind == "a") == count


@pytest.fixture
def spread_clubs(clubs):
    """The clubs and workshops at increasing distances from (45.75, 4.85), two by two (the
    pairs tie on distance, so their names order them), the last ones beyond 2 km."""
    from directory.models import Place

    for n, association in enumerate(clubs):
        Place.objects.filter(association=association).update(lat=45.75 + 0.002 * (n // 2), lon=4.85)
    search.sync_rows(clubs)
    return clubs


@postgres_only
@pytest.mark.parametrize("api", [False, True], ids=["html", "api"])
@pytest.mark.parametrize(
    ("params", "total"),
    [
        ("q=danse&lat=45.75&lon=4.85&rayon=2&tri=distance", 12),
        ("q=club+danse&lat=45.75&lon=4.85&rayon=1&tri=distance", 10),
        ("q=couture&lat=45.75&lon=4.85&rayon=5&tri=distance", 4),
        ("q=atelier&lat=45.75&lon=4.85&rayon=5&tri=distance&territoire=villeurbanne", 4),
        ("q=zzzz&lat=45.75&lon=4.85&rayon=2&tri=distance", 0),
    ],
)
def test_a_radius_with_text_reads_the_points_of_its_matches(spread_clubs, monkeypatch, params, total, api):
    # Nearest first, the text's rank is not read: the points within the radius whose row matches
    # the text (postgres.near_ids_count_and_facets) answer what the rows' statement answers.
    filterset = search_associations(QueryDict(params), api=api)
    with CaptureQueriesContext(connection) as captured:
        found = (
            filterset.pages.facet_rows(["c", "a"]) if not api else None,
            filterset.pages.data,
        )
    statement = next(q["sql"] for q in captured.captured_queries if "@@" in q["sql"])
    assert "directory_searchpoint" in statement
    assert "row_id IN" in statement
    monkeypatch.setattr(results.SearchResults, "_near", lambda self, kinds: None)
    plain = search_associations(QueryDict(params), api=api)
    expected = (plain.pages.facet_rows(["c", "a"]) if not api else None, plain.pages.data)
    assert sorted(found[0] or []) == sorted(expected[0] or [])
    assert found[1]["count"] == expected[1]["count"] == total
    assert [(pk, pytest.approx(d2)) for pk, d2 in found[1]["rows"]] == expected[1]["rows"]


# The indexed words a prefix stands for (migration 0043, postgres.prepare) ----------------------


@pytest.fixture
def sports(clubs):
    """Listings whose words begin alike ("sport", "sportive", "sportifs", "spectacle") and one
    whose word only the description holds."""
    made = [
        builders.make_association("Union sportive de Vaise"),
        builders.make_association("Amicale des sportifs"),
        builders.make_association("Maison du sport", short_description="Sport pour toutes et tous"),
        builders.make_association("Compagnie du spectacle vivant"),
        builders.make_association("Les Amis de Gerland", description="Sorties sportives le dimanche."),
    ]
    return clubs + made


def lexemes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT lexeme FROM directory_searchlexeme")
        return {row[0] for row in cursor.fetchall()}


@postgres_only
@pytest.mark.parametrize(
    "params",
    [
        "q=sport",
        "q=sporti",
        "q=spo",
        "q=club+spor",
        "q=danes",
        "q=dans&tri=recent",
        "q=sport&tri=nom",
        "q=zz",
    ],
)
def test_a_prefix_asked_as_its_indexed_words_answers_as_the_prefix(sports, monkeypatch, params):
    expanded = answers(params)
    monkeypatch.setattr(search.postgres, "PREFIX_LEXEMES", 0)  # every prefix asked as a prefix
    assert expanded == answers(params)


@postgres_only
def test_the_indexed_words_follow_the_rows(sports):
    held = lexemes()
    assert {"sport", "sportiv", "sportif", "spectacl", "vais", "dans"} <= held
    terms = search.backend().prepare(search.parse("amicale spor")).terms
    assert [term.lexemes for term in terms] == [None, ["sport", "sportif", "sportiv"]]
    assert "ludotheque" not in held
    new = builders.make_association("Ludothèque de la Croix-Rousse")
    assert "ludothequ" in lexemes()  # the trigger on the rows
    assert matches_of("ludo") == ["Ludothèque de la Croix-Rousse"]
    new.delete()
    assert "ludothequ" in lexemes()  # kept: a word no row holds any more only lengthens a lookup
    search.backend().clear_vocabulary()
    held = lexemes()
    assert "ludothequ" not in held
    assert "sportiv" in held


@postgres_only
def test_a_prefix_of_many_words_stays_a_prefix(sports, monkeypatch):
    monkeypatch.setattr(search.postgres, "PREFIX_LEXEMES", 2)
    (sport,) = search.backend().prepare(search.parse("sport")).terms
    assert sport.lexemes is None  # "sport", "sportif", "sportiv": asked as 'sport':*
    with CaptureQueriesContext(connection) as captured:
        names = matches_of("sport")
    assert "to_tsquery('french_unaccent', '(sport:*)')" in next(
        q["sql"] for q in captured.captured_queries if "@@" in q["sql"]
    )
    assert len(names) == 4


def matches_of(q):
    """The names of the listings a text finds, sorted."""
    ids = [row[0] for row in search_associations(QueryDict(urlencode({"q": q}))).pages.data["rows"]]
    return sorted(Association.objects.filter(pk__in=ids).values_list("name", flat=True))
