"""Read-only JSON API over published listings (the open-data contract).

GET /api/associations/ takes the parameters of /associations/ plus `rna`, answers the same
order, paginated as {"count", "next", "previous", "results"}; invalid parameters answer 400.
Each association carries its services. GET /api/services/ takes the same parameters and answers
the running services the search found (directory/offers/search.found_services), in the order
of their associations, paginated the same way.
"""

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from directory import geo
from directory.filters import search_associations
from directory.models import Area, Association, Category, Service
from directory.offers import search as offers_search
from directory.search import budget
from directory.search import pages as results_pages


def _is_number(raw):
    return raw.isascii() and raw.isdigit()


def _error(message, status=400, **extra):
    return JsonResponse({"detail": message, **extra}, status=status)


def _json(data):
    """A JSON answer with its accents as they are (not \\u escapes)."""
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def _area_json(area):
    return {"slug": area.slug, "name": area.name, "kind": area.kind, "insee": area.insee or None}


def place_json(place):
    return {
        "name": place.name,
        "kind": place.kind,
        "address": place.address,
        "postcode": place.postcode,
        "city": place.city_name,
        "area": place.area.slug,
        "quartier": place.quartier.slug if place.quartier_id else None,
        "lat": place.lat,
        "lon": place.lon,
        "hours": place.hours,
        "hours_note": place.hours_note,
        "public_holidays": place.public_holidays,
        "school_holidays": place.school_holidays,
        "school_hours": place.school_hours,
        "exceptions": place.exceptions,
        "open_now": _open_now(place),
        "wheelchair": place.wheelchair or None,
        "transit": place.transit,  # stations within 600 m: [{"name", "distance" (m), "lines"}]
    }


def _open_now(place):
    """Whether the place is open now (its calendar included), None without hours. The cached
    API pages hold for the quarter-hour (directory/search/pages.py)."""
    status = place.opening_status()
    return status.is_open if status.known else None


def association_areas(places):
    """The distinct areas of an association's places: commune or arrondissement, Lyon, quartier."""
    seen = {}
    for place in places:
        for area in (place.area, place.area.parent, place.quartier):
            if area is not None and area.pk not in seen:
                seen[area.pk] = _area_json(area)
    return list(seen.values())


def service_json(service, places):
    """A service in the API: its terms as codes (data·inclusion v1 vocabularies for its type,
    fees, modes; our reference codes for needs, audiences and languages), `places` the indexes
    of its places in its association's `places`."""
    positions = {place.pk: index for index, place in enumerate(places)}
    return {
        "id": service.pk,
        "name": service.name,
        "description": service.description,
        "kind": service.kind or None,
        "categories": service.categories,
        "audiences": service.audiences,
        "audiences_details": service.audiences_details,
        "fees": service.fees or None,
        "fees_details": service.fees_details,
        "reception": service.reception or None,
        "modes": service.modes,
        "at_home": service.at_home,
        "mobilisation": service.mobilisation,
        "mobilisable_by": service.mobilisable_by,
        "booking_url": service.booking_url or None,
        "mobilisation_details": service.mobilisation_details,
        "access_conditions": service.access_conditions,
        "documents": service.documents,
        "languages": service.languages,
        "places": [positions[p.pk] for p in service.places.all() if p.pk in positions],
        "eligibility": service.eligibility,
        "hours": service.hours,
        "hours_note": service.hours_note,
        "phone": service.phone,
        "email": service.email,
        "contact_name": service.contact_name,
        "status": service.status,
        "paused_until": service.paused_until.isoformat() if service.paused_until else None,
        "running": service.is_running(),
        "source": service.source or None,
        "source_url": service.source_url or None,
    }


def association_json(request, association, *, detail=False):
    places = list(association.places.all())
    data = {
        "id": association.pk,
        "slug": association.slug,
        "name": association.name,
        "url": request.build_absolute_uri(association.get_absolute_url()),
        "short_description": association.short_description,
        "rna": association.rna or None,
        "siret": association.siret or None,
        "categories": [c.slug for c in association.categories.all()],
        "areas": association_areas(places),
        "places": [place_json(p) for p in places],
        "phone": association.phone,
        "email": association.email,
        "website": association.website,
        "fees": association.fees or None,
        "reception": association.reception or None,
        "volunteers_sought": association.volunteers_sought,
        "services": [service_json(service, places) for service in association.services.all()],
        "last_verified_at": association.last_verified_at.isoformat()
        if association.last_verified_at
        else None,
        "updated_at": association.updated_at.isoformat(),
    }
    if detail:
        data.update(
            {
                "description": association.description,
                "social_links": association.social_link_list,
                "fees_details": association.fees_details,
                "volunteers_details": association.volunteers_details,
                "audiences": [a.slug for a in association.audiences.all()],
                "languages": [lang.code for lang in association.languages.all()],
                "logo": request.build_absolute_uri(association.logo.url) if association.logo else None,
                "photos": [
                    {"url": request.build_absolute_uri(photo.large.url), "alt": photo.alt}
                    for photo in association.photos.all()
                ],
                "created_at": association.created_at.isoformat(),
            }
        )
    return data


def _page_url(request, filterset, number):
    """The address of another page of this search: its known parameters only."""
    params = filterset.params.copy()
    params["page"] = number
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def _page_size(request):
    raw = request.GET.get("page_size")
    if not raw:
        return settings.API_PAGE_SIZE
    if not _is_number(raw) or not 1 <= int(raw) <= settings.API_MAX_PAGE_SIZE:
        raise ValueError(
            _("page_size doit être un entier entre 1 et %(max)s.") % {"max": settings.API_MAX_PAGE_SIZE}
        )
    return int(raw)


def _with_distance(data, association):
    """Adds `distance_km` (to the metre) when the search has a point (lat/lon, or tri=distance)."""
    km = geo.distance_km(association)
    if km is not None or hasattr(association, "distance_km2"):
        data["distance_km"] = None if km is None else round(km, 3)
    return data


def _near_json(filterset):
    """What `pres` designated: its point (the distances are from it), or the places it may
    mean (pass one's lat and lon back), or neither (unknown: no distance)."""
    search = filterset.distance
    point = search.point if search.point is not None and search.point.radius_km is not None else None
    return {
        "label": point.label if point else None,
        "lat": round(point.lat, 6) if point else None,
        "lon": round(point.lon, 6) if point else None,
        "choices": [choice.as_dict() for choice in search.choices],
    }


@require_GET
def association_list(request):
    def listings(filterset):
        filterset.pages.with_services = True
        filterset.pages.service_places = True  # each service lists its places (service_json)
        return filterset.pages

    def rows(page):
        results = [_with_distance(association_json(request, a), a) for a in page.object_list]
        return results, [a.pk for a in page.object_list]

    def near(filterset, data):
        if (filterset.form.cleaned_data.get("pres") or "").strip():
            data["pres"] = _near_json(filterset)

    return _search_page(request, "api", listings, rows, extra=near)


def _search_page(request, kind, found, rows, *, extra=None):
    """The JSON page of an API search (/api/associations/, /api/services/): a 400 for invalid
    parameters, a page repeated from the cache (directory/search/pages.py, keyed by `kind` and
    the origin: its addresses are absolute), else within the search's time budget (a 503 past
    it) `found(filterset)` paginated (a 404 past the last page) and `rows(page)`: (results, ids
    of the listings they show); `extra(filterset, data)` may add to the answer."""
    filterset = search_associations(request.GET, api=True)
    checked = _search_request(request, filterset)
    if not isinstance(checked, tuple):
        return checked
    per_page, number = checked
    key = results_pages.key(filterset, kind=f"{kind}:{request.scheme}://{request.get_host()}")
    cached = results_pages.get(key)
    if cached is not None:
        return _json(cached["data"])
    try:
        with budget.limit(budget.logged_params(request.GET, filterset)):
            paginator = Paginator(found(filterset), per_page)
            try:
                page = paginator.page(number)
            except EmptyPage:
                return _error(_("Cette page n'existe pas."), status=404)
            results, ids = rows(page)
    except budget.SearchTimeout:
        return _too_long()
    data = {
        "count": paginator.count,
        "next": _page_url(request, filterset, page.next_page_number()) if page.has_next() else None,
        "previous": _page_url(request, filterset, page.previous_page_number())
        if page.has_previous()
        else None,
        "results": results,
    }
    if extra is not None:
        extra(filterset, data)
    results_pages.store(key, {"data": data, "ids": ids})
    return _json(data)


def _search_request(request, filterset):
    """(per_page, page number) of an API search, or the 400 answer of its invalid parameters."""
    if filterset.is_bound and filterset.form.errors:
        return _error(_("Paramètres invalides."), errors=filterset.form.errors.get_json_data())
    try:
        per_page = _page_size(request)
    except ValueError as error:
        return _error(str(error))
    raw_page = request.GET.get("page", "1")
    if not _is_number(raw_page):
        return _error(_("page doit être un entier positif."))
    return per_page, int(raw_page)


def _too_long():
    response = _error(
        _("La recherche a pris trop de temps. Réessayez dans un instant ou précisez-la."), status=503
    )
    response["Retry-After"] = str(budget.RETRY_AFTER_SECONDS)
    return response


@require_GET
def service_list(request):
    """The running services a search found, with the parameters of /api/associations/."""

    def rows(page):
        services = Service.objects.in_bulk(list(page.object_list))
        listings = (
            Association.objects.published()
            .filter(pk__in={service.association_id for service in services.values()})
            .cards()
        )
        offers_search.attach_places(
            list(services.values()),
            {place.pk: place for a in listings.values() for place in a.places.all()},
        )
        results = []
        for pk in page.object_list:
            service = services.get(pk)
            association = listings.get(service.association_id) if service else None
            if association is None:  # unpublished since
                continue
            places = list(association.places.all())
            data = service_json(service, places)
            data["association"] = {
                "id": association.pk,
                "slug": association.slug,
                "name": association.name,
                "url": request.build_absolute_uri(association.get_absolute_url()),
            }
            data["places"] = [place_json(places[index]) for index in data["places"]]
            results.append(data)
        return results, sorted({r["association"]["id"] for r in results})

    return _search_page(request, "api-services", offers_search.found_services, rows)


@require_GET
def association_detail(request, slug):
    association = Association.objects.published().filter(slug=slug).detail(news=False)
    if association is None:
        return _error(_("Aucune association publiée à cette adresse."), status=404)
    return _json(association_json(request, association, detail=True))


@require_GET
def category_list(request):
    categories = Category.objects.select_related("parent")
    return _json(
        {
            "count": len(categories),
            "results": [
                {
                    "slug": c.slug,
                    "name": c.name,
                    "parent": c.parent.slug if c.parent_id else None,
                    "description": c.description,
                    "datainclusion_thematiques": c.datainclusion_thematiques,
                }
                for c in categories
            ],
        }
    )


@require_GET
def area_list(request):
    areas = Area.objects.select_related("parent").order_by("kind", "name")
    return _json(
        {
            "count": len(areas),
            "results": [
                {
                    "slug": a.slug,
                    "name": a.name,
                    "kind": a.kind,
                    "insee": a.insee or None,
                    "postcodes": a.postcode_list,
                    "parent": a.parent.slug if a.parent_id else None,
                    "lat": a.lat,
                    "lon": a.lon,
                }
                for a in areas
            ],
        }
    )
