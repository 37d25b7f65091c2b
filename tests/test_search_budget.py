"""The time budget of a search (directory/search/budget.py) and the hygiene of its caches."""

import logging

import pytest
from django.db import connection
from django.urls import reverse

from directory import cache as listings_cache
from directory.models import Association
from directory.search import budget
from directory.search.results import SearchResults
from tests import builders

pytestmark = pytest.mark.django_db

# Ten million rows counted one by one: seconds on either database, far past a 1 ms budget.
SLOW_SQL = (
    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 10000000)"
    " SELECT count(*) FROM n"
)


@pytest.fixture
def slow_search(monkeypatch, settings):
    """Every search computes its ids with a query that cannot end within a 1 ms budget."""
    settings.SEARCH_TIMEOUT_MS = 1
    settings.SEARCH_CACHE_SECONDS = 0

    def slow(self):
        with connection.cursor() as cursor:
            cursor.execute(SLOW_SQL)
        raise AssertionError("the budget did not stop the query")

    monkeypatch.setattr(SearchResults, "_compute", slow)
    monkeypatch.setattr(SearchResults, "facet_rows", lambda self, kinds: slow(self))  # ids with facets


def test_a_search_past_its_budget_is_a_503_page_with_retry_after(client, slow_search, caplog):
    builders.make_association("Club de danse")
    with caplog.at_level(logging.WARNING, logger="directory.search"):
        response = client.get("/associations/", {"q": "danse", "utm_source": "lettre", "fbclid": "abc"})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = builders.soup(response)
    assert page.select_one("h1").get_text(strip=True) == "Cette recherche prend trop de temps"
    assert page.select_one("form[role=search]") is not None  # the site's layout, a way on
    [record] = [r for r in caplog.records if r.name == "directory.search"]
    assert record.search_params == "q=danse"  # the search parameters only, no tracking ones
    assert "q=danse" in record.getMessage()
    # The aborted transaction was rolled back: the connection still answers.
    assert Association.objects.filter(name="Club de danse").exists()


def test_a_search_that_finds_no_free_slot_within_its_budget_is_a_503(client, settings, caplog):
    settings.SEARCH_TIMEOUT_MS = 50
    builders.make_association("Club de danse")
    slots = budget._search_slots()
    assert slots.acquire(blocking=False)  # the process's one search slot, held by another thread
    try:
        with caplog.at_level(logging.WARNING, logger="directory.search"):
            response = client.get("/associations/", {"q": "danse"})
    finally:
        slots.release()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    [record] = [r for r in caplog.records if r.name == "directory.search"]
    assert "no search slot free within 50 ms" in record.getMessage()
    assert record.search_params == "q=danse"
    # The slot free again, the same search is answered.
    assert builders.result_names(client.get("/associations/", {"q": "danse"})) == ["Club de danse"]


def test_a_search_past_its_budget_gives_its_slot_back(client, slow_search):
    builders.make_association("Club de danse")
    for _ in range(2):  # the second one runs (and times out) rather than waiting for a slot
        assert client.get("/associations/", {"q": "danse"}).status_code == 503
    assert budget._search_slots().acquire(blocking=False)
    budget._search_slots().release()


def test_the_page_past_its_budget_in_english(client, slow_search):
    builders.make_association("Club de danse")
    response = client.get("/en/associations/", {"q": "danse"})
    assert response.status_code == 503
    assert builders.soup(response).select_one("h1").get_text(strip=True) == "This search is taking too long"


def test_the_api_past_its_budget_is_a_json_503_with_retry_after(client, slow_search, caplog):
    builders.make_association("Club de danse")
    with caplog.at_level(logging.WARNING, logger="directory.search"):
        response = client.get("/api/associations/", {"q": "danse", "x": "123"})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("application/json")
    assert "trop de temps" in response.json()["detail"]
    [record] = [r for r in caplog.records if r.name == "directory.search"]
    assert record.search_params == "q=danse"


def test_a_search_within_its_budget_is_answered_and_leaves_no_timeout_behind(client, settings):
    settings.SEARCH_TIMEOUT_MS = 2000
    builders.make_association("Club de danse")
    response = client.get("/associations/", {"q": "danse"})
    assert response.status_code == 200
    assert builders.result_names(response) == ["Club de danse"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == "0"
            cursor.execute("SHOW work_mem")
            assert cursor.fetchone()[0] != "32MB"  # the server's own again (SEARCH_WORK_MEM_MB is 32)
    else:
        # No progress handler left on the connection: a long statement runs to its end.
        with connection.cursor() as cursor:
            cursor.execute(SLOW_SQL.replace("10000000", "100000"))
            assert cursor.fetchone()[0] == 100000


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's work_mem")
def test_a_search_sorts_in_the_memory_it_is_given(settings):
    settings.SEARCH_WORK_MEM_MB = 24
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        [before] = cursor.fetchone()
    with budget.limit(), connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone()[0] == "24MB"
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone()[0] == before != "24MB"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's parallel workers")
def test_a_search_runs_without_parallel_workers_and_gives_them_back():
    def workers():
        with connection.cursor() as cursor:
            cursor.execute("SHOW max_parallel_workers_per_gather")
            return cursor.fetchone()[0]

    before = workers()
    with budget.limit():
        assert workers() == "0"
    assert workers() == before != "0"


# Cache hygiene -------------------------------------------------------------------------------


def test_unknown_parameters_neither_create_cache_entries_nor_miss_the_cache(
    client, django_assert_num_queries
):
    builders.make_associations(3, prefix="Club", categories=["football"], area_slug="lyon-7")
    first = builders.result_names(client.get("/associations/", {"q": "club", "categorie": "sport"}))
    noisy = {"categorie": "sport", "q": " club ", "x": "123", "utm_source": "lettre", "fbclid": "IwAR0"}
    # From the cache: one query checks that the listings of the cached results are still published.
    with django_assert_num_queries(1):
        response = client.get("/associations/", noisy)
    assert builders.result_names(response) == first
    # The links of its results (facets, criteria) carry the known parameters only.
    links = [a["href"] for a in builders.soup(response).select(".facets a, .chips a")]
    assert links
    assert not [href for href in links if "utm_source" in href or "fbclid" in href or "x=" in href]


def test_a_listing_unpublished_by_another_process_drops_out_of_cached_ids(client):
    clubs = builders.make_associations(3, prefix="Club", categories=["football"], area_slug="lyon-7")
    assert len(builders.result_names(client.get("/associations/", {"q": "club"}))) == 3
    # Another process archives one without moving the listings version (the cache is stale).
    Association.objects.filter(pk=clubs[0].pk).update(status=Association.Status.ARCHIVED)
    names = builders.result_names(client.get("/associations/", {"q": "club"}))
    assert clubs[0].name not in names
    assert len(names) == 2


def test_previewing_an_edit_keeps_the_shared_search_caches(client, listing, manager):
    client.force_login(manager)
    data = builders.editor_post_data(listing, **{"listing-name": "Épicerie des Pentes (nouveau nom)"})
    client.post(reverse("directory:edit_all", args=[listing.slug]), data)
    version = listings_cache.listings_version()
    preview = client.get(reverse("directory:preview", args=[listing.slug]))
    assert builders.soup(preview).select_one("h1").get_text(strip=True) == "Épicerie des Pentes (nouveau nom)"
    assert listings_cache.listings_version() == version
