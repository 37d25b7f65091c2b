"""What a listing and each of its services miss to be useful, as a score from 0 to 100.

In the spirit of data·inclusion's quality score (data_inclusion.schema.v1.score_qualite): a list
of criteria, each scoring 0 to 1 or not applying (None), the score being their mean. Each criterion
carries the sentence that tells a manager what to add. Both read a listing's values
(directory/listings/state.py), so the association space scores a pending change as well as the
published listing; `refresh()` stores the listings' scores for the moderators' sorting, reading
only what the listing's criteria read (SCORED_COLUMNS and whether each relation has a row).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import Association, Place, Service
from directory.queries import OfIds

Values = dict[str, Any]


@dataclass
class Quality:
    score: int  # 0 to 100
    missing: list[str] = field(default_factory=list)  # what to add, most useful first


def _description(text: str) -> float:
    length = len((text or "").strip())
    if length < 50:
        return 0.0
    if length < 200 or length > 2000:
        return 0.5
    return 1.0


def _fees(fees: str, details: str) -> float:
    if not fees:
        return 0.0
    return 0.5 if fees in ("payant", "paid", "membership") and not details else 1.0


def _has_hours(service: Values, listing: Values) -> bool:
    if any(service.get("hours") or {}):
        return True
    places = listing.get("places", [])
    chosen = [places[i] for i in service.get("places", []) if isinstance(i, int) and i < len(places)]
    return any(p.get("hours") for p in chosen or places)


def _freshness(verified: date | str | None, today: date) -> float:
    if not verified:
        return 0.0
    day = date.fromisoformat(verified) if isinstance(verified, str) else verified
    age = (today - day).days
    if age <= 183:
        return 1.0
    if age >= 730:
        return 0.0
    return round((730 - age) / (730 - 183), 2)


# (criterion, what to add when it scores below 1): a service's criteria read the service and its
# listing's values; a listing's read its state and today's date.
ServiceCriterion = tuple[Callable[[Values, Values], float | None], Any]
ListingCriterion = tuple[Callable[[Values, date], float | None], Any]

SERVICE_CRITERIA: list[ServiceCriterion] = [
    (
        lambda s, _l: 1.0 if s.get("categories") else 0.0,
        _("Choisissez au moins un besoin auquel le service répond."),
    ),
    (
        lambda s, _l: _description(s.get("description", "")),
        _("Décrivez le service en quelques phrases simples."),
    ),
    (lambda s, _l: 1.0 if s.get("audiences") else 0.0, _("Dites pour qui est le service.")),
    (
        lambda s, _l: _fees(s.get("fees", ""), s.get("fees_details", "")),
        _("Précisez si le service est gratuit ou payant, et combien."),
    ),
    (
        lambda s, _l: (0.5 if s.get("reception") else 0.0) + (0.5 if s.get("mobilisation") else 0.0),
        _("Dites comment en bénéficier : sans ou sur rendez-vous, en venant, en appelant…"),
    ),
    (
        lambda s, listing: (
            1.0
            if any(
                (
                    s.get("phone"),
                    s.get("email"),
                    s.get("booking_url"),
                    listing.get("phone"),
                    listing.get("email"),
                )
            )
            else 0.0
        ),
        _("Donnez un moyen de contact : téléphone, e-mail ou lien d'inscription."),
    ),
    (
        lambda s, listing: (
            None
            if "en-presentiel" not in (s.get("modes") or []) or not listing.get("places")
            else (1.0 if s.get("places") else 0.0)
        ),
        _("Choisissez le lieu où le service a lieu."),
    ),
    (
        lambda s, listing: 1.0 if _has_hours(s, listing) else 0.0,
        _("Indiquez les horaires du service ou de son lieu."),
    ),
    (lambda s, _l: 1.0 if s.get("languages") else 0.0, _("Indiquez les langues parlées.")),
]

LISTING_CRITERIA: list[ListingCriterion] = [
    (
        lambda v, _t: 1.0 if v.get("short_description") else 0.0,
        _("Présentez l'association en une ou deux phrases."),
    ),
    (
        lambda v, _t: 1.0 if v.get("categories") else 0.0,
        _("Choisissez les besoins auxquels l'association répond."),
    ),
    (lambda v, _t: 1.0 if v.get("phone") or v.get("email") else 0.0, _("Donnez un téléphone ou un e-mail.")),
    (
        lambda v, _t: 1.0 if any(p.get("hours") for p in v.get("places", [])) else 0.0,
        _("Indiquez vos horaires d'accueil."),
    ),
    (
        lambda v, _t: 1.0 if v.get("services") or (v.get("fees") and v.get("reception")) else 0.0,
        _("Précisez vos tarifs et si l'on vient avec ou sans rendez-vous, ou décrivez vos services."),
    ),
    (
        lambda v, _t: 1.0 if v.get("services") else 0.0,
        _("Décrivez ce que vous proposez, service par service."),
    ),
    (lambda v, _t: 1.0 if v.get("languages") else 0.0, _("Indiquez les langues parlées à l'accueil.")),
    (lambda v, _t: _description(v.get("description", "")), _("Décrivez l'association plus en détail.")),
    (
        lambda v, today: _freshness(v.get("last_verified_at"), today),
        _("Confirmez que vos informations sont toujours justes."),
    ),
]


def _mean(values: list[float]) -> int:
    """The score of the criteria that apply: their mean, out of 100 (100 when none applies)."""
    return round(100 * sum(values) / len(values)) if values else 100


def _score(results: Iterable[tuple[float | None, Any]]) -> Quality:
    relevant = [(value, message) for value, message in results if value is not None]
    missing = [str(message) for value, message in sorted(relevant, key=lambda r: r[0]) if value < 1]
    return Quality(_mean([value for value, _message in relevant]), missing)


def service_score(service: Values, listing: Values) -> Quality:
    return _score((criterion(service, listing), message) for criterion, message in SERVICE_CRITERIA)


def listing_score(values: Values, today: date | None = None) -> Quality:
    """`values`: a listing's state (values and its row's fields, state.current_state())."""
    today = today or timezone.localdate()
    return _score((criterion(values, today), message) for criterion, message in LISTING_CRITERIA)


def listing_points(values: Values, today: date) -> int:
    """listing_score(values, today).score, without writing out what is missing: refresh() stores
    the score of thousands of listings, where translating their messages took half the time."""
    results = (criterion(values, today) for criterion, _message in LISTING_CRITERIA)
    return _mean([value for value in results if value is not None])


# What LISTING_CRITERIA read of a listing: these columns, and whether it has categories, languages,
# services and a place with hours (refresh() reads them in one query).
SCORED_COLUMNS = (
    "short_description",
    "description",
    "phone",
    "email",
    "fees",
    "reception",
    "last_verified_at",
)


def _scored(ids: RawSQL) -> QuerySet[Association, tuple[Any, ...]]:
    through = Association.categories.through.objects, Association.languages.through.objects
    return (
        Association.objects.filter(pk__in=ids)
        .annotate(
            has_categories=Exists(through[0].filter(association_id=OuterRef("pk"))),
            has_languages=Exists(through[1].filter(association_id=OuterRef("pk"))),
            has_services=Exists(Service.objects.filter(association_id=OuterRef("pk"))),
            has_hours=Exists(Place.objects.filter(association_id=OuterRef("pk")).exclude(hours={})),
        )
        .values_list(
            "pk", "quality", *SCORED_COLUMNS, "has_categories", "has_languages", "has_services", "has_hours"
        )
    )


# Compiled once per process (a listing's save refreshes its score: the ORM took longer to write
# this query than the database to answer it).
SCORED = OfIds(_scored)


def _scored_values(pks: list[int]) -> Iterable[tuple[int, int, Values]]:
    """(pk, stored score, the values LISTING_CRITERIA read) of these listings, in one query: the
    relations as flags (a criterion asks only whether there is any), the places as one place with
    or without hours, as the registry import scores a new listing. Read through the driver: the
    flags are 0/1 and the date an ISO string on SQLite, which the criteria read alike."""
    for pk, stored, *columns, categories, languages, services, hours in SCORED.rows(pks):
        values = dict(zip(SCORED_COLUMNS, columns, strict=True))
        values.update(
            categories=categories, languages=languages, services=services, places=[{"hours": hours}]
        )
        yield pk, stored, values


def refresh(associations: Iterable[Any], batch_size: int = 500) -> int:
    """Store the score of the given listings (instances or pks); returns how many changed.

    One query a batch (_scored_values), compiled once: reading each listing's whole state took
    seven, 17 ms for one listing on SQLite (half the time of creating it), where this takes 0.2.
    Only the listings whose score changed are written: a refresh of every listing after their
    places moved (geocoding) rewrote each row of the listing table for nothing."""
    pks = [getattr(a, "pk", a) for a in associations]
    changed = 0
    today = timezone.localdate()
    for start in range(0, len(pks), batch_size):
        rescored = [
            Association(pk=pk, quality=score)
            for pk, stored, values in _scored_values(pks[start : start + batch_size])
            if (score := listing_points(values, today)) != stored
        ]
        if rescored:
            changed += Association.objects.bulk_update(rescored, ["quality"])
    return changed
