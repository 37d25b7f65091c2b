"""The caches' version numbers read once per request (directory/request_memo.py)."""

from collections import Counter

import pytest
from django.core.cache import cache

from directory import cache as listings_cache
from directory import reference, request_memo
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def version_reads(monkeypatch):
    reads = Counter()
    get = cache.get

    def counting_get(key, *args, **kwargs):
        if key in (listings_cache.VERSION_KEY, reference.VERSION_KEY):
            reads[key] += 1
        return get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", counting_get)
    return reads


def test_a_results_page_reads_each_version_once(client, settings, version_reads):
    settings.SEARCH_CACHE_SECONDS = settings.FACETS_CACHE_SECONDS = 600
    builders.make_association("Épicerie solidaire", categories=["alimentation"])
    version_reads.clear()
    response = client.get("/associations/", {"q": "épicerie"})
    assert response.status_code == 200
    assert version_reads == {listings_cache.VERSION_KEY: 1, reference.VERSION_KEY: 1}


def test_outside_a_request_every_read_asks_the_cache(version_reads):
    listings_cache.versioned_key("both versions set")
    version_reads.clear()
    listings_cache.versioned_key("a")
    listings_cache.versioned_key("b")
    assert version_reads == {listings_cache.VERSION_KEY: 2, reference.VERSION_KEY: 2}


def test_a_change_made_inside_the_request_is_read_at_once():
    with request_memo.scope():
        before = listings_cache.listings_version()
        listings_cache.bump_listings_version()
        assert listings_cache.listings_version() == before + 1
        snapshot = reference.get()
        reference.invalidate()
        assert reference.get().version == snapshot.version + 1


def test_each_scope_reads_afresh():
    with request_memo.scope():
        first = listings_cache.listings_version()
    cache.incr(listings_cache.VERSION_KEY)  # another process published something
    with request_memo.scope():
        assert listings_cache.listings_version() == first + 1
