"""Facets of the results page: how many of the current results fall in each need and each place.

One SQL query for both facets: a GROUP BY over the narrow SearchFacet rows (maintained by the
search indexer) of the id set of the current search (same filters, same text query, same radius):

- need: the distinct associations having a category whose top level (itself or its parent) is X;
- place: the distinct associations having a place in each commune, Lyon counted as one commune;
  when the current territoire is Lyon or lies inside it (an arrondissement, a quartier of Lyon),
  Lyon's nine arrondissements instead (other communes are then left out: the resident is
  looking inside Lyon).

Labels and links come from the in-memory reference snapshot (no query).

Cost: one row per match and facet value; on a broad search of 100 000 listings that is still
tens of milliseconds (docs/benchmarks.md), so the counts are cached for FACETS_CACHE_SECONDS
per set of search parameters (the page number and the sort order do not change them), keyed
with the reference snapshot and listings versions: any change to a listing's searchable
content drops them at once. Each value is a link that applies that filter to the current
search (and removes it when it is the current one).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count

from directory import cache as listings_cache
from directory import reference, search
from directory.models import Area, SearchFacet, SearchRow
from directory.search.results import params_digest

LYON_INSEE = "69123"


@dataclass
class FacetValue:
    slug: str
    label: str
    count: int
    url: str
    current: bool


def count_words(count):
    """ "associations" after a facet value's count, for screen readers. In Python rather than a
    {% blocktranslate count %} per value: a results page has about 70 values, and the template
    tag cost 1.6 ms of them."""
    from django.utils.translation import npgettext

    return npgettext("number of associations next to a search filter", "association", "associations", count)


def lyon_of(snapshot):
    return next((a for a in snapshot.areas.values() if a.insee == LYON_INSEE), None)


def inside_lyon(area, lyon):
    """Whether the area is Lyon, one of its arrondissements or a quartier of one."""
    while area is not None and lyon is not None:
        if area.pk == lyon.pk:
            return True
        area = area.parent
    return False


def count_rows(ids, *, by_arrondissement, lyon, pages=None):
    """[(kind, id, count)] for both facets in one query: 'c' = top category, 'a' = area.

    Reads the narrow SearchFacet rows of the matches (one per listing and value, so a plain
    COUNT is a count of distinct listings). Inside Lyon, the area facet is per arrondissement.
    `pages`: the search's SearchResults, which counts them in the statement that finds its ids
    when it can (a cold search on PostgreSQL).
    """
    area_kind = SearchFacet.Kind.ARRONDISSEMENT if by_arrondissement else SearchFacet.Kind.COMMUNE
    kinds = [SearchFacet.Kind.NEED, area_kind]
    rows = pages.facet_rows(kinds) if pages is not None else None
    if rows is None:
        rows = _count(ids, kinds)
    return [("c" if kind == SearchFacet.Kind.NEED else "a", value, n) for kind, value, n in rows]


def _count(ids, kinds):
    module = search.backend()
    if ids is not None and ids.model is SearchRow and module.ROWS_HOLD_FACETS:
        # PostgreSQL: the facet codes of the matching search rows, read by the match's own scan.
        return module.count_facets(ids, kinds)
    if ids is None and hasattr(module, "every_facets"):
        # PostgreSQL: every published listing's, from the sets of facet codes (SearchFacetSet).
        return module.every_facets(kinds)
    facets = SearchFacet.objects.filter(kind__in=kinds)
    if ids is not None:  # None: every published listing (only they have facet rows)
        facets = facets.filter(association_id__in=ids)
    # COUNT(*), not COUNT(id): every listing's facets are then read from the (kind, value) index alone.
    return facets.values("kind", "value").annotate(n=Count("*")).order_by().values_list("kind", "value", "n")


IGNORED_IN_KEY = {"page", "tri"}


def cache_key(params, version, *, known):
    """The cache key of the facet counts of a search, or None when caching is off.

    Keyed by the listings version too (directory/cache.py), so a publish shows at once.
    """
    if settings.FACETS_CACHE_SECONDS <= 0:
        return None
    digest = params_digest(params, known=known, ignore=IGNORED_IN_KEY)
    return listings_cache.versioned_key(f"facets:{version}:{digest}")


class _Links:
    """The facet links of one parameter: the query string of the current search with `name` set
    to a value (or removed when it is the current value), without `page`. The rest of the search
    is encoded once for all the links of the parameter (a results page has dozens), from plain
    pairs: a QueryDict copy is a deepcopy."""

    def __init__(self, params, name):
        pairs = [
            (key, value) for key, values in params.lists() if key not in ("page", name) for value in values
        ]
        self.rest = urlencode(pairs)
        self.name = name

    def __call__(self, slug, current):
        if current:
            return "?" + self.rest
        value = urlencode([(self.name, slug)])
        return "?" + (f"{self.rest}&{value}" if self.rest else value)


def build(filterset, results, params):
    """{'needs': [FacetValue], 'places': [FacetValue], 'places_title': str}: one SQL query.

    `results` is the matches of the page (`filterset.matches`: filters, text and radius, without
    the distance annotation and its grouping); its ordering is dropped for the id subquery.
    """
    from django.utils.translation import gettext as _

    snapshot = reference.get()
    data = filterset.form.cleaned_data if hasattr(filterset.form, "cleaned_data") else {}
    current_area = data.get("territoire")
    lyon = lyon_of(snapshot)
    by_arrondissement = inside_lyon(current_area, lyon)
    counts = _counts(filterset, results, params, snapshot, by_arrondissement=by_arrondissement, lyon=lyon)
    needs = _need_facets(snapshot, counts, params, data.get("categorie"))
    places = _place_facets(snapshot, counts, params, current_area, by_arrondissement=by_arrondissement)
    if by_arrondissement:
        places.sort(key=lambda p: snapshot.areas[p.slug].insee)
        title = _("Arrondissements de Lyon")
    else:
        places.sort(key=lambda p: (-p.count, p.label))
        title = _("Communes")
    return {"needs": needs, "places": places, "places_title": title}


def _counts(filterset, results, params, snapshot, *, by_arrondissement, lyon):
    """{(kind, key): count} of the facet rows of `results`, from the cache when it holds them."""
    key = cache_key(params, snapshot.version, known=filterset.known_params)
    rows = cache.get(key) if key else None
    if rows is None:
        # Every published listing (the narrow rows, unfiltered): count all facet rows, no IN.
        everything = results.model is SearchRow and not results.query.where
        ids = None if everything else results.order_by().values("pk")
        rows = count_rows(
            ids, by_arrondissement=by_arrondissement, lyon=lyon, pages=getattr(filterset, "pages", None)
        )
        if key:
            cache.set(key, rows, settings.FACETS_CACHE_SECONDS)
    return {(kind, key): n for kind, key, n in rows}


def _need_facets(snapshot, counts, params, current_category):
    """One FacetValue per top category with matches (or currently chosen), in their order."""
    current_top = None
    if current_category is not None:
        current_top = current_category.parent or current_category
    needs = []
    link = _Links(params, "categorie")
    for category in sorted(snapshot.top_categories(), key=lambda c: (c.position, c.name)):
        n = counts.get(("c", category.pk), 0)
        current = current_top is not None and current_top.pk == category.pk
        if n or current:
            needs.append(
                FacetValue(
                    category.slug,
                    category.label,
                    n,
                    link(category.slug, current),
                    current,
                )
            )
    return needs


def _current_place(current_area, *, by_arrondissement):
    """The facet value the current territoire falls in: itself, or its arrondissement/commune."""
    area = current_area
    while area is not None:
        if (by_arrondissement and area.kind == Area.Kind.ARRONDISSEMENT) or (
            not by_arrondissement and area.parent_id is None
        ):
            return area
        area = area.parent
    return None


def _place_facets(snapshot, counts, params, current_area, *, by_arrondissement):
    """One FacetValue per arrondissement or commune with matches, and the current one; unsorted."""
    current_place = _current_place(current_area, by_arrondissement=by_arrondissement)
    link = _Links(params, "territoire")

    def place_link(area, current):
        # The current value removes the filter; when the filter is a quartier inside it, the
        # link widens the search to the whole arrondissement or commune instead.
        widen = current and current_area.pk != area.pk
        return link(area.slug, current and not widen)

    places = []
    for (kind, key), n in counts.items():
        if kind != "a" or key not in snapshot.areas_by_id:
            continue
        area = snapshot.areas_by_id[key]
        current = current_place is not None and current_place.pk == area.pk
        places.append(FacetValue(area.slug, area.short_label, n, place_link(area, current), current))
    if current_place is not None and not any(p.current for p in places):
        places.append(
            FacetValue(
                current_place.slug, current_place.short_label, 0, place_link(current_place, True), True
            )
        )
    return places
