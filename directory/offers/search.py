"""Search at service level: `gratuit`, `sans_rdv`, `langue`, `public` and `categorie` apply to
the matching service when the listing has running services, to the listing otherwise.

Each service of a published listing has one narrow row (`SearchService`) whose `codes` hold its
terms (`codes()`): free, walk-in, its needs with their parents, languages, audiences. A term the
service leaves empty is the listing's (a service without languages speaks the listing's). A
search with any of these filters keeps the listings where

    one running service holds every asked code        (pk IN one subquery of SearchService)
    or, having no running service, the listing holds them as before (its narrow row's flags
    and the related-row filters of ListingFilters)

so that "free AND French classes" must hold for the same service. When the text names needs
("cours de français": parsed.categories) and a service-level filter is asked, the service must
also be in one of them: a free homework-help service and paid French classes do not make a
listing of free French classes.

The result card names the service that matched (`matched_service()`), chosen in Python from
the card's services and their codes, read with the page's cards (one query).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from directory import hours as hours_lib
from directory import reference
from directory.models import Association, SearchRow, SearchService, Service
from directory.models.associations import SERVICE_COUNT
from directory.offers.codes import FREE, WALK_IN, audience_code, category_code, language_code
from directory.queries import exclude_rows, keep_rows
from directory.search.query import stem
from directory.text import normalize, search_words

if TYPE_CHECKING:
    from directory.models import Audience, Category, Language
    from directory.search.query import ParsedQuery


@dataclass
class OfferQuery:
    """The service-level terms a search asks for."""

    free: bool = False
    walk_in: bool = False
    category: Category | None = None
    language: Language | None = None
    audience: Audience | None = None
    # Needs named in English ("french lessons"): a filter, one of them.
    needs: list[Category] = field(default_factory=list)
    # Needs named in French in the text: the matching service must be in one of them when a
    # service-level filter is asked (never a filter on their own: the text decides).
    text_categories: list[Category] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.free or self.walk_in or self.category or self.language or self.audience or self.needs
        )

    def groups(self) -> list[list[str]]:
        """The codes a matching service must hold: one of each group."""
        groups: list[list[str]] = []
        if self.free:
            groups.append([FREE])
        if self.walk_in:
            groups.append([WALK_IN])
        if self.category is not None:
            groups.append([category_code(self.category.pk)])
        if self.language is not None:
            groups.append([language_code(self.language.pk)])
        if self.audience is not None:
            groups.append([audience_code(self.audience.pk)])
        if self.needs:
            groups.append(sorted({category_code(c.pk) for c in self.needs}))
        if self.text_categories and not self.is_empty:
            groups.append(sorted({category_code(c.pk) for c in self.text_categories}))
        return groups

    def holds(self, service_codes: str) -> bool:
        """Whether a service with these codes matches (the Python twin of the SQL)."""
        return all(any(f" {code} " in service_codes for code in group) for group in self.groups())


def offer_query(data: dict[str, Any], parsed: ParsedQuery | None) -> OfferQuery:
    """The OfferQuery of a search's cleaned data and parsed text."""
    return OfferQuery(
        free=bool(data.get("gratuit")) or (parsed is not None and parsed.free),
        walk_in=bool(data.get("sans_rdv")) or (parsed is not None and parsed.walk_in),
        category=data.get("categorie"),
        language=data.get("langue"),
        audience=data.get("public"),
        needs=list(parsed.needs) if parsed is not None else [],
        text_categories=list(parsed.categories) if parsed is not None else [],
    )


def running(today: date | None = None) -> Q:
    return Q(running_from__lte=today or timezone.localdate())


def apply(queryset: Any, query: OfferQuery, *, today: date | None = None) -> Any:
    """Keep the listings (an Association or SearchRow queryset) matching `query` through one of
    their running services, or through their own terms when they have none running today.

    One `pk IN (subquery)`, the UNION ALL of the listings of the matching services and of the
    matching narrow rows without a running service (SearchRow.services_from): ANDed with the
    other filters, as the related-row filters are (an OR of subqueries would make PostgreSQL
    run them once per row on small tables, tests/test_search_plans.py)."""
    if query.is_empty:
        return queryset
    today = today or timezone.localdate()
    matching = SearchService.objects.filter(running(today))
    for group in query.groups():
        alternatives = Q()
        for code in group:
            alternatives |= Q(codes__contains=f" {code} ")
        matching = matching.filter(alternatives)
    return queryset.filter(pk__in=matching.values("association_id").union(_own_terms(query, today), all=True))


def _own_terms(query: OfferQuery, today: date) -> Any:
    """The ids of the listings without a running service today whose own terms match `query`.

    With a flag asked (free, walk-in), the narrow rows, which hold the flags (read from their
    covering index). Without, the link table of the first related term asked (a need, a
    language, an audience), filtered by the others, without the listings whose services run
    (a few rows, from the partial index of SearchRow.services_from): the search rows are not
    read at all. Measured on 100 000 imported rows, `categorie=droits-et-acces-au-droit`: that
    half 15 → 3 ms."""
    links = _related_terms(query)
    if query.free or query.walk_in or not links:
        own = SearchRow.objects.filter(Q(services_from__isnull=True) | Q(services_from__gt=today))
        return own.filter(_listing_terms(query)).values("association_id")
    first, *others = links
    for other in others:
        first = first.filter(association_id__in=other.values("association_id"))
    with_services = SearchRow.objects.filter(services_from__lte=today)
    return exclude_rows(first, with_services, outer="association_id", inner="association_id").values(
        "association_id"
    )


def _listing_terms(query: OfferQuery) -> Q:
    """The filters on a narrow row's own terms (its flags, its related rows)."""
    condition = Q()
    if query.free:
        condition &= Q(fees=Association.Fees.FREE)
    if query.walk_in:
        condition &= Q(reception__in=[Association.Reception.WALK_IN, Association.Reception.BOTH])
    for links in _related_terms(query):
        condition &= Q(pk__in=links.values("association_id"))
    return condition


def _related_terms(query: OfferQuery) -> list[Any]:
    """The link rows (association_id) of each related term asked: needs, language, audience."""
    snapshot = reference.get()
    categories: list[list[Category]] = []
    if query.category is not None:
        categories.append([query.category])
    if query.needs:
        categories.append(query.needs)
    found: list[Any] = []
    for group in categories:
        ids = sorted({pk for category in group for pk in snapshot.category_descendant_ids(category)})
        found.append(Association.categories.through.objects.filter(category_id__in=ids))
    if query.language is not None:
        found.append(Association.languages.through.objects.filter(language_id=query.language.pk))
    if query.audience is not None:
        found.append(Association.audiences.through.objects.filter(audience_id=query.audience.pk))
    return found


def attach_services(by_pk: dict[int, Association], *, places: bool = False) -> None:
    """Keep on each listing its services, in order, as `association.services.all()`, each with its
    `search_codes` (its SearchService row): one query (only published listings' services are
    indexed), none when the listings were read as cards and have no service. `places`: also
    each service's places, from the listing's kept places (one more query, the links; the API)."""
    found: dict[int, list[Service]] = {pk: [] for pk in by_pk}
    # Listings read as cards know how many services they have (SERVICE_COUNT): none, no query.
    having = [pk for pk, association in by_pk.items() if getattr(association, SERVICE_COUNT, 1)]
    if having:
        rows = SearchService.objects.filter(association_id__in=having).select_related("service")
        for row in rows.order_by("association_id", "service__position", "service_id"):
            row.service.search_codes = row.codes  # type: ignore[attr-defined]  # read by matched_service()
            found[row.association_id].append(row.service)
    for pk, association in by_pk.items():
        keep_rows(association, "services", found[pk])
    if places:
        services = [service for listed in found.values() for service in listed]
        attach_places(services, {place.pk: place for a in by_pk.values() for place in a.places.all()})


def attach_places(services: Sequence[Service], places: dict[int, Any]) -> None:
    """Keep on each service its places (`service.places.all()`), taken from `places` {pk: place}: one query."""
    linked: dict[int, list[Any]] = {service.pk: [] for service in services}
    if linked:
        through = Service.places.through.objects.filter(service_id__in=linked)
        for service_id, place_id in through.values_list("service_id", "place_id"):
            if place_id in places:
                linked[service_id].append(places[place_id])
    for service in services:
        keep_rows(service, "places", sorted(linked[service.pk], key=lambda place: (place.position, place.pk)))


def found_services(filterset: Any, *, today: date | None = None) -> list[int]:
    """The ids of the running services a search found (GET /api/services/), in the order of its
    listings, then of each listing's services: the services of the matching listings that hold
    the service-level terms; with a text, those a text word or named need points to, or every
    one of a listing found by its own text (its name). Two queries: the services with their
    codes and texts (few rows: services only), the order of their listings."""
    today = today or timezone.localdate()
    query = filterset.offer_query
    parsed = filterset.parsed_query
    rows = SearchService.objects.filter(running(today), association_id__in=filterset.matches.values("pk"))
    for group in query.groups():
        alternatives = Q()
        for code in group:
            alternatives |= Q(codes__contains=f" {code} ")
        rows = rows.filter(alternatives)
    rows = rows.select_related("service").only(
        "codes", "association_id", "service__name", "service__description", "service__position"
    )
    by_listing: dict[int, list[tuple[int, int, int]]] = {}  # listing → [(position, id, text score)]
    wanted = {stem(term.word) for term in parsed.terms} if parsed is not None else set()
    named = {category_code(c.pk) for c in parsed.categories} if parsed is not None else set()
    for row in rows:
        service = row.service
        score = len(wanted & _stems(f"{service.name} {service.description}")) if wanted else 0
        score += len([code for code in named if f" {code} " in row.codes])
        by_listing.setdefault(row.association_id, []).append((service.position, service.pk, score))
    if not by_listing:
        return []
    order = filterset.results.filter(pk__in=list(by_listing)).values_list("pk", flat=True)
    ids: list[int] = []
    for pk in order:
        services = sorted(by_listing[pk])
        pointed = [s for s in services if s[2] > 0]
        ids.extend(service_id for _position, service_id, _score in (pointed or services))
    return ids


# The card's service ---------------------------------------------------------------------------


def _stems(text: str) -> set[str]:
    return {stem(word) for word in search_words(normalize(text), limit=200)}


def matched_service(
    services: Iterable[Service], query: OfferQuery, parsed: ParsedQuery | None, *, today: date | None = None
) -> Service | None:
    """The running service a search found on a listing, from its card's services (each with its
    `search_codes`): the one holding the asked terms and sharing the most words with the text,
    named categories counting as words. None without a service-level filter or a text that a
    service answers."""
    services = list(services)
    if not services:  # most cards (the registry's listings have none): no clock read
        return None
    today = today or timezone.localdate()
    codes = {s.pk: str(getattr(s, "search_codes", "")) for s in services}
    candidates = [s for s in services if s.is_running(today) and codes[s.pk]]
    if not query.is_empty:
        candidates = [s for s in candidates if query.holds(codes[s.pk])]
    if not candidates:
        return None
    if parsed is None or not parsed.terms:
        return candidates[0] if not query.is_empty else None
    wanted = {stem(term.word) for term in parsed.terms}
    named = {category_code(c.pk) for c in parsed.categories}
    best, best_score = None, 0
    for service in candidates:
        score = len(wanted & _stems(f"{service.name} {service.description}"))
        score += 2 * len([code for code in named if f" {code} " in codes[service.pk]])
        if score > best_score:
            best, best_score = service, score
    if best is None and not query.is_empty:
        return candidates[0]
    return best


def summary(service: Service) -> list[str]:
    """The parts of a service's line on a card: name, hours, free, walk-in
    ("Cours de français · samedi 9 h–12 h · gratuit · sans rendez-vous")."""
    parts = [service.name]
    days = [f"{day} {hours_text(ranges)}" for day, ranges in hours_lib.weekly(service.hours) if ranges]
    parts.extend(days)
    if service.fees == Service.Fees.FREE:
        parts.append(_("gratuit"))
    elif service.fees == Service.Fees.PAID:
        parts.append(_("payant"))
    if service.reception == Service.Reception.WALK_IN:
        parts.append(_("sans rendez-vous"))
    elif service.reception == Service.Reception.APPOINTMENT:
        parts.append(_("sur rendez-vous"))
    elif service.reception == Service.Reception.BOTH:
        parts.append(_("avec ou sans rendez-vous"))
    return parts


def _time(value: str) -> str:
    """ "09:00" → "9 h", "17:30" → "17 h 30"."""
    hour, minute = value.split(":")
    return f"{int(hour)} h" + (f" {minute}" if minute != "00" else "")


def hours_text(ranges: Iterable[Sequence[str]]) -> str:
    """[["09:00", "12:00"]] → "9 h–12 h"."""
    return ", ".join(f"{_time(opens)}–{_time(closes)}" for opens, closes in ranges)
