"""Results first (issue #19): the quick toggles, the "Filtrer (n)" panel, and no dead ends
(directory/relax.py): the wider searches a search with few results offers, with their counts."""

from urllib.parse import parse_qs

import pytest
from django.db import connection
from django.utils import translation

from directory.relax import RELAX_BELOW
from tests import builders

pytestmark = pytest.mark.django_db

JOINT_FACETS = connection.vendor == "postgresql"


@pytest.fixture
def pantry(db):
    """Food help: 3 free walk-in places in Villeurbanne, 2 by appointment in Villeurbanne,
    4 free walk-in ones in Vaulx-en-Velin, 1 sports club in Villeurbanne."""
    common = {"categories": ["alimentation"], "short_description": "Aide alimentaire et colis."}
    for n in range(3):
        builders.make_association(
            f"Épicerie Villeurbanne {n}", area_slug="villeurbanne", fees="free", reception="walk_in", **common
        )
    for n in range(2):
        builders.make_association(
            f"Colis sur rendez-vous {n}",
            area_slug="villeurbanne",
            fees="free",
            reception="appointment",
            **common,
        )
    for n in range(4):
        builders.make_association(
            f"Restos Vaulx {n}", area_slug="vaulx-en-velin", fees="free", reception="walk_in", **common
        )
    builders.make_association(
        "Club de foot", area_slug="villeurbanne", categories=["football"], fees="membership"
    )


def toggles(response):
    page = builders.soup(response)
    found = {}
    for form in page.select(".quick-toggles form"):
        button = form.select_one("button[aria-pressed]")
        fields = [(field["name"], field["value"]) for field in form.select("input[type=hidden]")]
        found[button["data-toggle"]] = (button["aria-pressed"], fields, button.get_text(" ", strip=True))
    return found


def relaxations(response):
    return [(a.get_text(" ", strip=True), a["href"]) for a in builders.soup(response).select(".relax a")]


def test_the_list_comes_right_after_the_count_and_the_toggles(client, pantry):
    response = client.get(
        "/associations/", {"q": "aide alimentaire", "gratuit": "1", "territoire": "villeurbanne"}
    )
    page = builders.soup(response)
    results = page.select_one("section.results")
    # What shows without JavaScript (the map block stays hidden, its data is a script).
    children = [
        child
        for child in results.find_all(recursive=False)
        if child.name not in (None, "script", "span") and not child.has_attr("hidden")
    ]
    names = [child.get("class", [child.name])[0] for child in children]
    assert names[:4] == ["visually-hidden", "result-count", "quick-toggles", "cards"]
    # One form, its criteria in the "Filtrer (n)" panel: the place and the flag (the text is in the box).
    summary = page.select_one("form.filters details#more-filters > summary").get_text(" ", strip=True)
    assert summary.startswith("Filtrer (2")
    assert len(page.select("form.filters")) == 1
    assert page.select_one("form.filters details .active-filters .chips")
    # The facets come after the list in the page's order.
    html = response.content.decode()
    assert html.index('id="results"') < html.index('id="facets-title"')


def test_quick_toggles_switch_their_filter_and_show_their_state(client, pantry):
    response = client.get("/associations/", {"q": "aide", "gratuit": "1", "page": "1", "utm_source": "x"})
    found = toggles(response)
    assert set(found) == {"ouvert", "gratuit", "sans_rdv"}
    pressed, fields, _ = found["gratuit"]
    assert pressed == "true"
    assert fields == [("q", "aide")]  # the toggle removes it; no page, nothing unknown
    pressed, fields, _ = found["sans_rdv"]
    assert pressed == "false"
    assert fields == [("q", "aide"), ("gratuit", "1"), ("sans_rdv", "1")]
    pressed, fields, label = found["ouvert"]
    assert pressed == "false"
    assert ("ouvert", "maintenant") in fields
    assert label.split()[-2].isdigit()  # "Ouvert maintenant 9 associations": the facet's count

    on = client.get("/associations/", dict(fields))
    assert toggles(on)["ouvert"][0] == "true"
    assert ("ouvert", "maintenant") not in toggles(on)["ouvert"][1]


def test_a_zero_result_search_offers_wider_searches_that_find_results(client, pantry):
    params = {
        "q": "aide alimentaire",
        "territoire": "villeurbanne",
        "gratuit": "1",
        "sans_rdv": "1",
        "public": "seniors",
    }
    response = client.get("/associations/", params)
    assert builders.result_names(response) == []
    offered = relaxations(response)
    texts = [text for text, _ in offered]
    assert "3 résultats sans « Public : Seniors »" in texts
    assert not any(text.endswith("dans toute la Métropole") for text in texts)  # no one there either
    for text, href in offered:
        followed = client.get("/associations/" + href)
        count = int(text.split()[0])
        assert len(builders.result_names(followed)) == count, text


def test_a_place_widens_to_the_nearest_communes_and_the_metropole(client, pantry):
    params = {"q": "aide alimentaire", "territoire": "villeurbanne", "sans_rdv": "1", "gratuit": "1"}
    response = client.get("/associations/", params)
    assert len(builders.result_names(response)) == 3  # fewer than RELAX_BELOW
    offered = dict(relaxations(response))
    assert "5 résultats sans « Sans rendez-vous »" in offered
    nearby = [text for text in offered if text.startswith("4 à Vaulx-en-Velin, à ")]
    assert nearby, offered
    assert parse_qs(offered[nearby[0]][1:])["territoire"] == ["vaulx-en-velin"]
    assert "7 dans toute la Métropole" in offered
    assert "territoire" not in parse_qs(offered["7 dans toute la Métropole"][1:])
    for text, href in offered.items():
        assert len(builders.result_names(client.get("/associations/" + href))) == int(text.split()[0])


def test_a_wider_search_past_the_bound_says_more_than(client, pantry, monkeypatch):
    # Its COUNT stops past relax.COUNT_BOUND (results.count_all): "plus de 1 000 résultats sans …".
    from directory import relax

    monkeypatch.setattr(relax, "COUNT_BOUND", 4)
    params = {"q": "aide alimentaire", "territoire": "villeurbanne", "sans_rdv": "1", "gratuit": "1"}
    offered = dict(relaxations(client.get("/associations/", params)))
    assert "Plus de 4 résultats sans « Sans rendez-vous »" in offered
    followed = client.get("/associations/" + offered["Plus de 4 résultats sans « Sans rendez-vous »"])
    assert len(builders.result_names(followed)) == 5
    with translation.override("en"):
        english = dict(relaxations(client.get("/en/associations/", params)))
    assert any(text.startswith("More than 4 results without") for text in english), english


def test_wider_searches_cost_a_bounded_number_of_queries(client, pantry, django_assert_num_queries):
    params = {"q": "aide alimentaire", "territoire": "villeurbanne", "sans_rdv": "1", "gratuit": "1"}
    # The page's own queries (tests/test_query_counts.py; no listing has services): 4 on
    # PostgreSQL; 6 on SQLite. Both first read the typo candidates of the word "alimentaire" in
    # the vocabulary: PostgreSQL once a request, SQLite again for each wider search with the
    # text (+3: the searches without "sans rendez-vous", without "gratuit" and without the
    # place). Then:
    # 1. the counts without "sans rendez-vous", without "gratuit" and without the text (a COUNT
    # subquery of the matches each, unordered, in one statement: results.count_all)   2. the
    # facets of the search without its place   3. its count (PostgreSQL: 2 and 3 are one)
    with django_assert_num_queries(6 if JOINT_FACETS else 12):
        response = client.get("/associations/", params)
    assert relaxations(response)


@pytest.mark.parametrize("asked", [(), (0,), (0, 2), (0, 1, 2, 3)])
def test_the_counts_of_wider_searches_agree_with_their_pages_in_one_statement(
    client, pantry, django_assert_num_queries, asked
):
    from django.core.cache import cache
    from django.http import QueryDict

    from directory.filters import search_associations
    from directory.search import results

    queries = [
        "q=aide+alimentaire&gratuit=1",
        "territoire=villeurbanne&sans_rdv=1",
        "categorie=sport",
        "q=colis",
    ]
    expected = [len(builders.result_names(client.get(f"/associations/?{query}"))) for query in queries]
    cache.clear()
    for i in asked:  # these searches were asked: their totals are in the cache
        client.get(f"/associations/?{queries[i]}")
    searches = [search_associations(QueryDict(query)) for query in queries]
    for search in searches:  # put together first: a text reads its typo candidates then
        assert search.matches is not None
    with django_assert_num_queries(0 if len(asked) == len(queries) else 1):
        counts = results.count_all([(search.pages, search.matches) for search in searches])
    assert counts == expected
    cache.clear()
    searches = [search_associations(QueryDict(query)) for query in queries]  # none asked
    bounded = results.count_all([(search.pages, search.matches) for search in searches], bound=2)
    assert bounded == [min(n, 3) for n in expected]  # past the bound: bound + 1


def test_a_search_with_enough_results_offers_nothing_more(client, pantry, django_assert_num_queries):
    response = client.get("/associations/", {"categorie": "alimentation"})
    assert len(builders.result_names(response)) >= RELAX_BELOW
    assert not relaxations(response)


def test_a_single_criterion_is_not_widened_to_every_listing(client, pantry):
    response = client.get("/associations/", {"q": "zzzzzz introuvable"})
    assert builders.result_names(response) == []
    assert relaxations(response) == []


@pytest.mark.parametrize(
    ("path", "kept"),
    [("/categories/alimentation/", "categorie"), ("/territoires/villeurbanne/", "territoire")],
)
def test_category_and_area_pages_filter_before_the_list(client, pantry, path, kept):
    response = client.get(path)
    html = response.content.decode()
    page = builders.soup(response)
    assert html.index('class="filter-bar"') < html.index('id="results"')
    form = page.select_one(".filter-bar details form.filters")
    assert form["action"] == "/associations/"
    assert form.select_one(f"input[type=hidden][name={kept}]")["value"] == path.strip("/").split("/")[1]
    found = toggles(response)
    assert found["gratuit"][0] == "false"
    assert (kept, path.strip("/").split("/")[1]) in found["gratuit"][1]
    # A toggle leads to the results of this need or place with the filter on.
    results = client.get("/associations/", dict(found["sans_rdv"][1]))
    assert toggles(results)["sans_rdv"][0] == "true"
    assert 0 < len(builders.result_names(results)) < len(builders.result_names(response))
