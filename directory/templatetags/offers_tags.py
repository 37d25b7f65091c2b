"""`{% load offers_tags %}`: the service a result card names, the service blocks of a listing page
(directory/models/offers.py, directory/offers/search.py). No query: they read what the page's
reads kept (the card's services with their codes, the listing page's services with their places)."""

from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from directory import hours as hours_lib
from directory import reference
from directory.models import Service
from directory.offers import search as offers_search

register = template.Library()


@register.simple_tag
def matched_service(association: Any, filterset: Any) -> Service | None:
    """The running service of this card's listing that the search found (None: the card names none)."""
    if filterset is None or not hasattr(filterset, "offer_query"):
        return None
    if "services" not in getattr(association, "_prefetched_objects_cache", {}):
        return None  # a page that did not keep the services with its cards (never a query a card)
    return offers_search.matched_service(
        association.services.all(), filterset.offer_query, filterset.parsed_query
    )


@register.filter
def service_line(service: Service) -> str:
    """ "Cours de français · samedi 9 h–12 h · gratuit · sans rendez-vous"."""
    return " · ".join(str(part) for part in offers_search.summary(service))


@register.simple_tag
def service_details(service: Service) -> dict[str, Any]:
    """What a listing page's service block shows, in words: labels from the reference snapshot,
    the service's hours or else its places' ones."""
    snapshot = reference.get()
    today = timezone.localdate()
    places = list(service.places.all())
    hours = [
        (day, offers_search.hours_text(ranges)) for day, ranges in hours_lib.weekly(service.hours) if ranges
    ]
    place_hours = []
    if not hours:
        for place in places:
            days = [
                (day, offers_search.hours_text(ranges))
                for day, ranges in hours_lib.weekly(place.hours)
                if ranges
            ]
            if days:
                place_hours.append((place, days))
    where = [place.name or place.full_address for place in places]
    if Service.Mode.REMOTE in (service.modes or []):
        where.append(_("à distance (téléphone, internet)"))
    if service.at_home:
        where.append(_("à domicile"))
    return {
        "running": service.is_running(today),
        "categories": [
            snapshot.categories[s].label for s in service.categories or [] if s in snapshot.categories
        ],
        "audiences": [
            snapshot.audiences[s].label for s in service.audiences or [] if s in snapshot.audiences
        ],
        "languages": [
            snapshot.languages[c].label for c in service.languages or [] if c in snapshot.languages
        ],
        "fees": service.get_fees_display() if service.fees else "",
        "reception": service.get_reception_display() if service.reception else "",
        "mobilisation": [
            str(dict(Service.Mobilisation.choices).get(code, "")) for code in service.mobilisation or []
        ],
        "mobilisable_by": [
            str(dict(Service.MobilisableBy.choices).get(code, "")) for code in service.mobilisable_by or []
        ],
        "where": where,
        "hours": hours,
        "place_hours": place_hours,
    }
