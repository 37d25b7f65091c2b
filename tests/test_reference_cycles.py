"""What a page reads goes when the page is done, without Python's cyclic collector.

A value in a reference cycle waits for the collector, whose full passes took up to 50 ms inside
later requests (docs/benchmarks.md, seventeenth round). Three cycles held a whole page: Django's
template context (directory/templating.py), each filter's reference to its FilterSet
(filters.FilterSet) and each card's listing with the querysets its rows are kept in
(queries.keep_rows).
"""

import gc
import weakref
from collections import Counter
from contextlib import contextmanager

import pytest
from django.http import QueryDict
from django.template.loader import render_to_string

from directory.filters import search_associations
from directory.models import Place
from directory.queries import keep_rows
from tests import builders

pytestmark = pytest.mark.django_db


@contextmanager
def cyclic_garbage():
    """Counter of the types of the objects the block left in reference cycles."""
    gc.collect()
    gc.disable()
    found = Counter()
    try:
        yield found
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        found.update(type(thing).__name__ for thing in gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


@pytest.fixture
def listings(settings):
    settings.SEARCH_CACHE_SECONDS = settings.FACETS_CACHE_SECONDS = 0
    made = builders.make_associations(25, prefix="Club de danse", categories=["danse"])
    for association in made[:5]:
        builders.make_service(association, "Cours du samedi")
    return made


@pytest.mark.parametrize(
    "path", ["/associations/?q=danse", "/associations/?tri=nom", "/api/associations/?q=club"]
)
def test_a_results_page_leaves_its_listings_and_search_to_reference_counting(client, listings, path):
    client.get(path)  # once: what a first request loads for the process
    with cyclic_garbage() as garbage:
        response = client.get(path)
        assert response.status_code == 200
        # The test client's own cycle (its response and the response's `json`), which keeps the
        # rendered contexts it records, is not the page's.
        del response.json, response
    for kept in (
        "Association",
        "Place",
        "Service",
        "FacetValue",
        "AssociationFilter",
        "ApiAssociationFilter",
    ):
        assert garbage[kept] == 0, garbage.most_common(12)
    assert sum(garbage.values()) < 700, garbage.most_common(12)  # a few forms' and filters' own cycles


def test_rendered_context_values_go_with_the_render(rf):
    class Value:
        pass

    value = Value()
    gone = weakref.ref(value)
    with cyclic_garbage():
        context = {"relaxations": [value], "heading": "x"}
        render_to_string("directory/_relaxations.html", context, rf.get("/associations/"))
        del context
        del value
        assert gone() is None  # freed at once, not by the collector


def test_a_filterset_goes_when_dropped_and_its_methods_still_filter(listings):
    filterset = search_associations(QueryDict("q=danse&categorie=danse"))
    assert filterset.pages.count() == 25
    gone = weakref.ref(filterset)
    with cyclic_garbage():
        del filterset
        assert gone() is None


def test_kept_rows_answer_all_and_filter_by_their_listing_without_a_cycle(listings):
    first, second = listings[:2]
    rows = list(Place.objects.filter(association=first))
    keep_rows(first, "places", rows)
    with cyclic_garbage():
        assert list(first.places.all()) == rows
        # filtered further, still the listing's own rows (its primary key in the deferred filter)
        assert list(first.places.filter(pk__gte=0)) == rows
        assert second.places.count() == 1
        gone = weakref.ref(first)
        del first, rows
        listings[0] = None
        assert gone() is None  # freed at once: its kept rows do not refer back to it
