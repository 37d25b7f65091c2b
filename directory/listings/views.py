"""Public pages: home, results, listing, category and area landing pages, footer pages."""

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory import access, cache, facets, geo, reference, relax
from directory.filters import AssociationFilter, search_associations
from directory.listings import cards, selectors
from directory.models import Association, SlugRedirect
from directory.opening import search as opening_search
from directory.search import budget
from directory.search import pages as results_pages


def paginate(
    request: HttpRequest, queryset: Any, per_page: int | None = None
) -> tuple[Page[Any], str | None]:
    """A page of results; an invalid or out-of-range `page` falls back with a message."""
    paginator = Paginator(queryset, per_page or settings.RESULTS_PER_PAGE)
    raw = request.GET.get("page", "1")
    page = paginator.get_page(raw)
    notice: str | None = None
    if raw and str(page.number) != raw.strip():
        notice = _("La page demandée n'existe pas : voici la page %(n)s.") % {"n": page.number}
    return page, notice


def home(request):
    # Cached until the next publish (directory/cache.py): 2 queries on a miss, none on a hit.
    counts, total = cache.home_counts()
    return render(
        request,
        "directory/home.html",
        {
            "categories": selectors.top_categories_with_counts(counts),
            "populous": selectors.populous_areas(),  # "Près de chez vous"
            "total": total,
            "filter": AssociationFilter(),
        },
    )


def area_index(request):
    """Every commune of the Métropole and Lyon's arrondissements, from the snapshot (no query)."""
    arrondissements, communes = selectors.areas_for_home()
    return render(
        request,
        "directory/area_index.html",
        {"arrondissements": arrondissements, "communes": communes},
    )


def association_list(request):
    filterset = search_associations(request.GET)
    key = results_pages.key(filterset)
    region = results_pages.get(key)
    if region is None:
        try:
            # Every query of the page (ids, cards, facets) within SEARCH_TIMEOUT_MS.
            with budget.limit(budget.logged_params(request.GET, filterset)):
                region = _results_region(request, filterset)
        except budget.SearchTimeout:
            response = render(request, "directory/search_busy.html", {"filter": filterset}, status=503)
            response["Retry-After"] = str(budget.RETRY_AFTER_SECONDS)
            return response
        results_pages.store(key, region)
    return render(request, "directory/association_list.html", {"filter": filterset, "results": region})


def _results_region(request, filterset):
    """The content of a results page, rendered (directory/search/pages.py caches it)."""
    # Facets first: on a cold search they are counted in the statement that finds the ids, and
    # so are the matches open now.
    opening_search.count_open_with(filterset)
    found = facets.build(filterset, filterset.matches, filterset.params)
    opening = opening_search.summary(filterset, search_associations)
    filterset.pages.with_services = True  # the cards name the service that matched
    page, page_notice = paginate(request, filterset.pages)
    # What each card states of the search (the place that matched, its distance, its open
    # status), from the rows already read; the region holds until one of those statuses changes.
    statuses_change = cards.mark(page.object_list, cards.Where.of_search(filterset))
    map_data = map_markers(page.object_list)
    chips = active_filters(filterset)
    # Few results: the wider searches with their counts (a few COUNTs; none on a normal page).
    relaxations = relax.suggest(filterset, count=page.paginator.count, search=search_associations)
    context = {
        "filter": filterset,
        "link_params": filterset.params,  # links keep the known parameters only
        "page": page,
        "ignored": filterset.ignored + ([page_notice] if page_notice else []),
        "active_filters": chips,
        # "Filtrer (n)": the criteria beside the text, which the search box shows already.
        "filters_count": len(chips) - bool(filterset.form.cleaned_data.get("q")) if filterset.is_bound else 0,
        "toggles": quick_toggles(filterset.params, _cleaned(filterset), opening=opening),
        "relaxations": relaxations,
        "facets": found,
        "opening": opening,
        "point": filterset.distance.point,
        "place_choices": place_choices(filterset),
        "map_data": map_data,
    }
    return {
        "html": render_to_string("directory/_results.html", context, request),
        "ids": [association.pk for association in page.object_list],
        "page_number": page.number,
        "has_map": bool(map_data),
        "valid_until": statuses_change.timestamp() if statuses_change else None,
    }


def _cleaned(filterset):
    return getattr(filterset.form, "cleaned_data", {}) if filterset.is_bound else {}


# The one-tap filters above the results: (parameter, value when on, label).
QUICK_TOGGLES = [
    ("ouvert", opening_search.NOW, gettext_lazy("Ouvert maintenant")),
    ("gratuit", "1", gettext_lazy("Gratuit")),
    ("sans_rdv", "1", gettext_lazy("Sans rendez-vous")),
]


def quick_toggles(params, data, *, opening=None):
    """The one-tap filters ("Ouvert maintenant", "Gratuit", "Sans rendez-vous") of a list: each a
    GET form whose hidden fields are the search with that filter switched (on when off, off when
    on), without `page`; `params` are the search's known parameters, `data` its cleaned values.
    Only "Ouvert maintenant" has a count, the facet the results page counts anyway (`opening`).
    "Gratuit" and "Sans rendez-vous" have none: the facet rows the page already counts
    (SearchFacet, PostgreSQL's facet codes) hold needs and places only, so their counts would
    cost a COUNT per page, or new facet kinds in the index and a rebuild of it."""
    toggles = []
    for name, on, label in QUICK_TOGGLES:
        value = data.get(name)
        pressed = value == on if name == "ouvert" else value is True
        dropped = {name, "page"} | ({"date"} if name == "ouvert" else set())
        fields = [
            (key, v) for key, values in params.lists() if key not in dropped for v in values if v.strip()
        ]
        if not pressed:
            fields.append((name, on))
        count = opening.open_now if name == "ouvert" and opening is not None else None
        toggles.append({"name": name, "label": label, "pressed": pressed, "fields": fields, "count": count})
    return toggles


def map_markers(associations):
    """The markers of the map: one per located place of the associations shown (no query).

    Reads only the places prefetched by for_listing(); the page's list stays the text alternative.
    """
    markers = []
    for association in associations:
        url = association.get_absolute_url()
        for place in association.places.all():
            if place.lat is not None and place.lon is not None:
                markers.append(
                    {
                        "lat": place.lat,
                        "lon": place.lon,
                        "name": association.name,
                        "place": place.name or place.city_name,
                        "url": url,
                    }
                )
    return markers


def active_filters(filterset):
    """(label, value, URL without this filter) for each applied filter, to remove it in one click."""
    if not filterset.is_bound:
        return []
    data = filterset.form.cleaned_data
    items = []
    for name, field in filterset.form.fields.items():
        value = data.get(name)
        if name in ("tri", "lat", "lon", "rayon", "pres") or value in (None, "", False):
            continue
        params = filterset.params.copy()
        params.pop(name, None)
        params.pop("page", None)
        shown = _("oui") if value is True else str(getattr(value, "label", value))
        items.append((field.label, shown, "?" + params.urlencode() if params else "?"))
    point = filterset.distance.point
    if point is not None and point.radius_km is not None:
        # One chip for the position and its radius: removing it drops lat, lon, rayon together.
        params = filterset.params.copy()
        named = "pres" in params
        for name in ("lat", "lon", "rayon", "page", "pres"):
            params.pop(name, None)
        if params.get("tri") == "distance":
            params.pop("tri")
        radius = geo.format_length(point.radius_km)
        if named:
            label, shown = (
                _("Près de"),
                _("%(radius)s autour de « %(place)s »")
                % {
                    "radius": radius,
                    "place": point.label,
                },
            )
        else:
            label, shown = _("Près de moi"), _("%(radius)s autour de votre position") % {"radius": radius}
        items.append((label, shown, "?" + params.urlencode() if params else "?"))
    return items


def place_choices(filterset):
    """(label, detail, URL) of each place a `pres` text may designate: the same search near it."""
    choices = []
    for choice in filterset.distance.choices:
        params = filterset.params.copy()
        params.pop("page", None)
        params["pres"] = choice.label
        params["lat"], params["lon"] = f"{choice.lat:.6f}", f"{choice.lon:.6f}"
        choices.append((choice.label, choice.detail, "?" + params.urlencode()))
    return choices


def association_detail(request, slug):
    association = Association.objects.filter(slug=slug).detail()
    if association is None:
        old = SlugRedirect.objects.select_related("association").filter(old_slug=slug).first()
        if old is not None and access.can_view_listing(request.user, old.association):
            return redirect(old.association, permanent=True)
        return render(request, "404.html", status=404)
    preview = not association.is_published
    if preview and not access.can_view_listing(request.user, association):
        return render(request, "404.html", status=404)
    return render(
        request,
        "directory/association_detail.html",
        {
            "association": association,
            "places": list(association.places.all()),
            "preview": preview,
            "map_data": map_markers([association]),
        },
    )


def _landing_page(request, *, table, slug, name, narrow):
    """A category or area landing page: the row, its children and its associations, paginated."""
    row = getattr(reference.get(), table).get(slug)
    if row is None:
        raise Http404
    associations = narrow(Association.objects.published(), row).order_by("search_name", "pk")
    page, notice = paginate(request, associations.for_listing())
    # The quick toggles and the "Filtrer" form lead to the results page with this need or place
    # (the form reads the in-memory reference snapshot: no query).
    param = "categorie" if table == "categories" else "territoire"
    search = QueryDict(mutable=True)
    search[param] = row.slug
    filterset = AssociationFilter(search)
    filterset.form.is_valid()
    # An area's page shows on each card the listing's place in that area.
    cards.mark(page.object_list, cards.Where.of_areas([row]) if table == "areas" else cards.Where())
    return render(
        request,
        f"directory/{name}_detail.html",
        {
            name: row,
            "children": selectors.children_of(row, table),
            "page": page,
            "ignored": [notice] if notice else [],
            "filter": filterset,
            "toggles": quick_toggles(search, {}),
        },
    )


def category_detail(request, slug):
    return _landing_page(
        request, table="categories", slug=slug, name="category", narrow=lambda qs, c: qs.in_category(c)
    )


def area_detail(request, slug):
    return _landing_page(request, table="areas", slug=slug, name="area", narrow=lambda qs, a: qs.in_area(a))


def page(request, template):
    return render(request, f"pages/{template}.html")
