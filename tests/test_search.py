"""The results page /associations/: every parameter of the search contract, order, pagination, and
what happens to invalid input (ignored, said on the page, never an error page)."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from directory import search as engine
from directory.models import Association
from directory.text import normalize
from tests import builders

URL = "/associations/"


@pytest.fixture
def listings(db):
    """Six published listings over the Métropole and one archived one, oldest first."""
    now = timezone.now()
    rows = {
        "epicerie": builders.make_association(
            "Épicerie solidaire des Pentes",
            categories=["epicerie-solidaire"],
            area_slug="lyon-1",
            fees=Association.Fees.FREE,
            reception=Association.Reception.WALK_IN,
            wheelchair="yes",
            languages=["ar"],
            audiences=["familles"],
        ),
        "foot": builders.make_association(
            "Club de football de Gerland",
            categories=["football"],
            area_slug="lyon-7",
            fees=Association.Fees.MEMBERSHIP,
            reception=Association.Reception.APPOINTMENT,
            volunteers_sought=True,
            languages=["en"],
            wheelchair="partial",
        ),
        "cartables": builders.make_association(
            "Les Petits Cartables",
            categories=["aide-aux-devoirs"],
            area_slug="lyon-3",
            quartier_slug="montchat",
            short_description="Des bénévoles accompagnent les écoliers après la classe.",
        ),
        "mjc": builders.make_association(
            "Maison des jeunes du Tonkin",
            categories=["centres-sociaux-et-mjc"],
            area_slug="villeurbanne",
            quartier_slug="gratte-ciel-dedieu-charmettes",
            reception=Association.Reception.BOTH,
        ),
        "amicale": builders.make_association(
            "Amicale de Vaulx",
            categories=["distribution-alimentaire"],
            area_slug="vaulx-en-velin",
            short_description="Colis et une petite épicerie ouverte à tous le samedi.",
        ),
        "archived": builders.make_association(
            "Épicerie archivée",
            categories=["epicerie-solidaire"],
            area_slug="lyon-1",
            fees=Association.Fees.FREE,
            status=Association.Status.ARCHIVED,
        ),
    }
    for age, key in enumerate(["amicale", "mjc", "cartables", "foot", "epicerie", "archived"]):
        Association.objects.filter(pk=rows[key].pk).update(created_at=now - timedelta(days=age))
    return {key: Association.objects.get(pk=row.pk) for key, row in rows.items()}


def names(response):
    assert response.status_code == 200
    return builders.result_names(response)


def search(client, **params):
    return client.get(URL, params)


def notices(response):
    """The text of the page's status notices (ignored parameters, page fallback)."""
    found = builders.soup(response).select('[role="status"]')
    return " ".join(" ".join(el.get_text(" ").split()) for el in found)


def shown_count(response):
    """The number of results the page announces ('3 associations', '1 résultat')."""
    match = re.search(r"(\d+)\s+(?:associations?|résultats?|fiches?)\b", builders.visible_text(response))
    assert match, "the page does not say how many results it found"
    return int(match.group(1))


# Without parameters ----------------------------------------------------------------------


def test_all_published_listings_without_parameters(client, listings):
    # Without a query, relevance is the daily fair shuffle (tests/test_relevance.py pins it);
    # the set of listings is what this test checks.
    response = client.get(URL)
    assert sorted(names(response), key=normalize) == [
        "Amicale de Vaulx",
        "Club de football de Gerland",
        "Épicerie solidaire des Pentes",
        "Les Petits Cartables",
        "Maison des jeunes du Tonkin",
    ]
    assert shown_count(response) == 5


def test_each_result_links_to_its_listing(client, listings):
    page = builders.soup(client.get(URL, {"q": "cartables"}))
    [item] = page.select("#results > li")
    assert item.find("a")["href"] == listings["cartables"].get_absolute_url()


# Text search -----------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["EPICERIE", "épicerie", "Épicerie", "epiCERIE"])
def test_text_search_ignores_accents_and_case(client, listings, q):
    assert names(search(client, q=q)) == ["Épicerie solidaire des Pentes", "Amicale de Vaulx"]


def test_text_search_needs_every_word(client, listings):
    assert names(search(client, q="épicerie pentes")) == ["Épicerie solidaire des Pentes"]
    assert names(search(client, q="épicerie gerland")) == []


def test_category_synonyms_find_listings_whose_text_lacks_the_words(client, listings):
    cartables = listings["cartables"]
    own_text = normalize(f"{cartables.name} {cartables.short_description} {cartables.description}")
    assert "devoirs" not in own_text
    assert names(search(client, q="aide aux devoirs")) == ["Les Petits Cartables"]
    # A synonym listed for the sub-category, and one of its parent's.
    assert names(search(client, q="leçons")) == ["Les Petits Cartables"]
    assert names(search(client, q="réussite scolaire")) == ["Les Petits Cartables"]


def test_unknown_words_find_nothing_and_say_so(client, listings):
    response = search(client, q="xylophone")
    assert names(response) == []
    assert builders.soup(response).select("#results > li") == []
    text = builders.visible_text(response)
    assert re.search(r"\b0\s+(?:associations?|résultats?)", text) or "aucun" in text.lower()


# Filters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"categorie": "alimentation"}, ["Amicale de Vaulx", "Épicerie solidaire des Pentes"]),
        ({"categorie": "epicerie-solidaire"}, ["Épicerie solidaire des Pentes"]),
        ({"categorie": "sport"}, ["Club de football de Gerland"]),
        (
            {"territoire": "lyon"},
            ["Club de football de Gerland", "Épicerie solidaire des Pentes", "Les Petits Cartables"],
        ),
        ({"territoire": "lyon-3"}, ["Les Petits Cartables"]),
        ({"territoire": "montchat"}, ["Les Petits Cartables"]),
        ({"territoire": "part-dieu"}, []),
        ({"territoire": "villeurbanne"}, ["Maison des jeunes du Tonkin"]),
        ({"territoire": "gratte-ciel-dedieu-charmettes"}, ["Maison des jeunes du Tonkin"]),
        ({"territoire": "vaulx-en-velin"}, ["Amicale de Vaulx"]),
        ({"public": "familles"}, ["Épicerie solidaire des Pentes"]),
        ({"langue": "ar"}, ["Épicerie solidaire des Pentes"]),
        ({"langue": "en"}, ["Club de football de Gerland"]),
        ({"gratuit": "1"}, ["Épicerie solidaire des Pentes"]),
        ({"sans_rdv": "1"}, ["Épicerie solidaire des Pentes", "Maison des jeunes du Tonkin"]),
        ({"accessible": "1"}, ["Épicerie solidaire des Pentes"]),
        ({"benevoles": "oui"}, ["Club de football de Gerland"]),
        ({"categorie": "alimentation", "territoire": "lyon"}, ["Épicerie solidaire des Pentes"]),
        ({"q": "colis", "territoire": "vaulx-en-velin", "gratuit": "0"}, ["Amicale de Vaulx"]),
    ],
)
def test_each_filter(client, listings, params, expected):
    response = search(client, tri="nom", **params)
    assert names(response) == expected
    assert shown_count(response) == len(expected)


def test_unchecked_flag_does_not_filter(client, listings):
    assert len(names(search(client, gratuit="0", sans_rdv="", accessible="non"))) == 5


# Order -----------------------------------------------------------------------------------


def test_sort_by_name(client, listings):
    assert names(search(client, q="épicerie", tri="nom")) == [
        "Amicale de Vaulx",
        "Épicerie solidaire des Pentes",
    ]


def test_sort_by_most_recent(client, listings):
    assert names(search(client, tri="recent")) == [
        "Amicale de Vaulx",
        "Maison des jeunes du Tonkin",
        "Les Petits Cartables",
        "Club de football de Gerland",
        "Épicerie solidaire des Pentes",
    ]


def test_relevance_ranks_name_matches_first(client, listings):
    # "Amicale de Vaulx" comes first by name but only its description says "épicerie".
    assert names(search(client, q="épicerie", tri="pertinence")) == [
        "Épicerie solidaire des Pentes",
        "Amicale de Vaulx",
    ]


def test_relevance_ranks_an_exact_name_above_a_partial_one(client, listings):
    builders.make_association("Gerland", categories=["football"], area_slug="lyon-7")
    builders.make_association("Amis de Gerland", area_slug="lyon-7")
    assert names(search(client, q="gerland")) == ["Gerland", "Amis de Gerland", "Club de football de Gerland"]


# Pagination ------------------------------------------------------------------------------


@pytest.fixture
def many(db):
    return builders.make_associations(25, prefix="Entraide")


def test_second_page(client, many):
    first = names(search(client, tri="nom"))
    second = names(search(client, tri="nom", page="2"))
    assert first == [f"Entraide {n:03d}" for n in range(1, 21)]
    assert second == [f"Entraide {n:03d}" for n in range(21, 26)]


def test_pages_of_the_fair_order_neither_repeat_nor_skip(client, many):
    first, second = names(search(client)), names(search(client, page="2"))
    assert sorted(first + second) == [f"Entraide {n:03d}" for n in range(1, 26)]
    assert shown_count(search(client, page="2")) == 25


@pytest.mark.parametrize("sort", ["pertinence", "nom", "recent"])
@pytest.mark.parametrize("seed", [0, 1, 987654321, engine.SHUFFLE_M - 1])
def test_every_listing_is_read_in_the_order_of_its_queryset(monkeypatch, settings, many, sort, seed):
    """Every listing (no text, no filter): PostgreSQL reads the ids in order from an index
    (`postgres.every_ids`; the daily shuffle as a rotation of a fixed permutation), in the order
    the queryset itself gives, from any offset, past the cached window too."""
    from django.http import QueryDict

    from directory.filters import search_associations
    from directory.search import results

    settings.SEARCH_CACHE_SECONDS = 0
    monkeypatch.setattr(engine, "daily_seed", lambda day=None: seed)
    monkeypatch.setattr(results, "WINDOW", 10)
    filterset = search_associations(QueryDict(f"tri={sort}"))
    expected = list(filterset.results.values_list("pk", flat=True))
    assert filterset.pages.count() == 25
    assert [a.pk for a in filterset.pages[0:20]] == expected[:20]  # the window, then past it
    assert [a.pk for a in filterset.pages[20:25]] == expected[20:]
    with CaptureQueriesContext(connection) as captured:
        filterset.pages._data = None
        filterset.pages.count()
    assert len(captured) == 1  # the ids with the total


def test_pages_link_to_each_other_keeping_the_filters(client, many):
    page = builders.soup(search(client, q="entraide"))
    links = [parse_qs(urlsplit(a["href"]).query) for a in page.find_all("a", href=True)]
    assert {"q": ["entraide"], "page": ["2"]} in links


@pytest.mark.parametrize(("raw", "expected_page"), [("abc", 1), ("999", 2), ("2x", 1)])
def test_invalid_page_falls_back_with_a_notice(client, many, raw, expected_page):
    response = search(client, page=raw)
    wanted = names(search(client, page=str(expected_page)))
    assert names(response) == wanted
    assert f"La page demandée n'existe pas : voici la page {expected_page}." in notices(response)


def test_valid_page_has_no_notice(client, many):
    assert notices(search(client, page="2")) == ""


# Invalid input: ignored, said, never an error page -----------------------------------------


@pytest.mark.parametrize(
    ("params", "expected", "notice"),
    [
        (
            {"categorie": "nope", "territoire": "lyon-7"},
            ["Club de football de Gerland"],
            "« nope » est inconnu",
        ),
        (
            {"territoire": "<script>alert(1)</script>", "categorie": "football"},
            ["Club de football de Gerland"],
            "« <script>alert(1)</script> » est inconnu",
        ),
        (
            {"gratuit": "maybe", "categorie": "alimentation"},
            ["Amicale de Vaulx", "Épicerie solidaire des Pentes"],
            "Valeur non reconnue",
        ),
        (
            {"tri": "bad", "q": "épicerie"},
            ["Épicerie solidaire des Pentes", "Amicale de Vaulx"],
            "Trier par :",
        ),
        ({"q": "é" * 500, "territoire": "lyon-7"}, ["Club de football de Gerland"], "Quoi ? :"),
        ({"q": "épi\x00cerie", "territoire": "lyon-7"}, ["Club de football de Gerland"], "Quoi ? :"),
        ({"langue": "klingon", "benevoles": "1"}, ["Club de football de Gerland"], "« klingon » est inconnu"),
        (
            {"public": "martiens", "langue": "ar"},
            ["Épicerie solidaire des Pentes"],
            "« martiens » est inconnu",
        ),
    ],
)
def test_invalid_value_is_ignored_with_a_visible_notice(client, listings, params, expected, notice):
    response = search(client, **params)
    assert response.status_code == 200
    # Relevance orders equals by the daily shuffle: compare by name where no query ranks them.
    found = names(response)
    assert (found if "q" in params else sorted(found, key=normalize)) == expected
    assert notice in notices(response)


def test_invalid_value_is_escaped_in_the_notice(client, listings):
    response = search(client, territoire="<script>alert(1)</script>")
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not [s for s in builders.soup(response).find_all("script") if "alert(1)" in (s.string or "")]


def test_unknown_array_style_parameter_is_ignored(client, listings):
    response = client.get(f"{URL}?langue[]=x&territoire=lyon-7")
    assert names(response) == ["Club de football de Gerland"]


def test_repeated_parameter_uses_one_value_without_error(client, listings):
    response = client.get(f"{URL}?territoire=lyon-7&territoire=lyon-3")
    assert response.status_code == 200
    assert len(names(response)) == 1


def test_valid_search_shows_no_notice(client, listings):
    response = search(client, q="épicerie", categorie="alimentation", gratuit="1")
    assert names(response) == ["Épicerie solidaire des Pentes"]
    assert notices(response) == ""


# Active filters --------------------------------------------------------------------------


def test_each_active_filter_has_a_link_removing_it(client, listings):
    params = {"q": "épicerie", "categorie": "alimentation", "territoire": "lyon-1", "gratuit": "1"}
    page = builders.soup(search(client, tri="nom", page="1", **params))
    links = [parse_qs(urlsplit(a["href"]).query) for a in page.find_all("a", href=True)]
    for name in params:
        expected = {key: [value] for key, value in params.items() if key != name} | {"tri": ["nom"]}
        assert expected in links, f"no link removing {name}"


def test_an_ignored_value_has_no_removal_link(client, listings):
    page = builders.soup(search(client, categorie="nope", territoire="lyon-7"))
    links = [parse_qs(urlsplit(a["href"]).query) for a in page.find_all("a", href=True)]
    # Removing the valid filter is offered; the ignored one is not listed as active.
    assert {"categorie": ["nope"]} in links
    assert {"territoire": ["lyon-7"]} not in links


def test_search_form_is_filled_with_the_query(client, listings):
    page = builders.soup(search(client, q="épicerie", territoire="lyon-1"))
    assert page.find("input", attrs={"name": "q"})["value"] == "épicerie"
    selected = page.select_one('select[name="territoire"] option[selected]')
    field = selected or page.find("input", attrs={"name": "territoire"})
    assert field is not None
    assert field["value"] == "lyon-1"


def test_cached_results_follow_a_publish_and_an_archive_at_once(client, db):
    from directory.listings import services

    builders.make_association("Club de boxe de Gerland", categories=["sports-de-combat"], area_slug="lyon-7")
    assert builders.result_names(client.get("/associations/", {"q": "boxe"})) == ["Club de boxe de Gerland"]
    newcomer = builders.make_association(
        "Boxe éducative de Vaise", categories=["sports-de-combat"], area_slug="lyon-9"
    )
    names = builders.result_names(client.get("/associations/", {"q": "boxe"}))
    assert sorted(names) == ["Boxe éducative de Vaise", "Club de boxe de Gerland"]
    services.association_set_status(
        association=newcomer, status=Association.Status.ARCHIVED, actor=None, origin="moderator"
    )
    assert builders.result_names(client.get("/associations/", {"q": "boxe"})) == ["Club de boxe de Gerland"]
