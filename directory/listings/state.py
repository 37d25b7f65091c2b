"""A listing's state and its diff: the one module the editor, the admin, the moderation review
and the history read.

The values of a listing as JSON: every public field, places with hours, images.

    {"name": "…", "short_description": "…", …, "categories": ["slug", …], "audiences": ["slug"],
     "languages": ["fr"], "logo": "images/2026/…/400.webp", "photos": [{"id": 3, "alt": "…"}],
     "places": [{"kind": "seat", "address": "…", "postcode": "69003", "area": "lyon-3",
                 "quartier": "", "hours": {"0": [["09:00", "12:00"]]}, …}]}

A PendingChange stores this; approving it applies it to the Association, its places, its
many-to-many relations and its photos (`apply_values`). `snapshot()` adds the fields only the
moderation team changes (address, state, trust, verification); `current_state()` is both, what
the history records and a revert starts from. `changes()` is the history's diff
({field: {"old", "new"}}); `comparison()`, `compare()` and `history_rows()` make it readable.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist
from django.core.files.storage import default_storage
from django.db.models import Prefetch, QuerySet
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from directory import hours as hours_lib
from directory import reference
from directory.models import Association, Photo, Place, Service
from directory.places import services as place_services

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# A JSON-ready value of a logged field, a listing's logged fields, and the old and new values of
# each changed field (AssociationChange.changes).
Jsonable = str | int | float | bool | None
Snapshot = dict[str, Jsonable]
Changes = dict[str, dict[str, Any]]
# A listing's values (the JSON a pending change proposes) or its whole state.
Values = dict[str, Any]

# The listing's public fields that its managers edit.
SCALAR_FIELDS = [
    "name",
    "short_description",
    "description",
    "phone",
    "email",
    "website",
    "social_links",
    "fees",
    "fees_details",
    "reception",
    "volunteers_sought",
    "volunteers_details",
    "rna",
    "siret",
]
LIST_FIELDS = ["categories", "audiences", "languages"]
# A place's values that are its hours and calendar (a change of only these is "les horaires").
PLACE_HOURS_FIELDS = [
    "hours",
    "hours_note",
    "public_holidays",
    "school_holidays",
    "school_hours",
    "exceptions",
    "closed_from",
    "closed_until",
    "closure_message",
]
PLACE_FIELDS = [
    "kind",
    "name",
    "address",
    "postcode",
    "area",
    "quartier",
    "lat",
    "lon",
    *PLACE_HOURS_FIELDS,
    "wheelchair",
]
# Values older than a field (a pending change proposed before it existed) read as its default.
PLACE_DEFAULTS = {
    "hours": {},
    "school_hours": {},
    "exceptions": [],
    "public_holidays": Place.PublicHolidays.CLOSED,
    "school_holidays": Place.SchoolHolidays.SAME,
}
# A service's values: its row's fields, its places as their positions in the listing's places.
SERVICE_FIELDS = [
    "name",
    "description",
    "kind",
    "categories",
    "audiences",
    "audiences_details",
    "fees",
    "fees_details",
    "reception",
    "modes",
    "at_home",
    "mobilisation",
    "mobilisable_by",
    "booking_url",
    "mobilisation_details",
    "access_conditions",
    "documents",
    "languages",
    "places",
    "eligibility",
    "hours",
    "hours_note",
    "phone",
    "email",
    "contact_name",
    "status",
    "paused_until",
]
SERVICE_DEFAULTS: Values = {
    "categories": [],
    "audiences": [],
    "languages": [],
    "modes": [],
    "mobilisation": [],
    "mobilisable_by": [],
    "places": [],
    "eligibility": [],
    "hours": {},
    "at_home": False,
    "status": Service.Status.RUNNING,
    "paused_until": None,
}
# Where an imported service came from (directory/offers/importer.py): written when a proposed
# service carries them, as the data·inclusion import proposes them. An imported service's values
# carry its `source_id` (service_values; "" for the listing's own services), so that a change
# that keeps it (the editor's, a revert) writes it to its own row whatever moved around it
# (`_service_rows`).
SERVICE_SOURCE_FIELDS = ["source", "source_id", "source_url", "source_updated_at"]
ALL_FIELDS = [*SCALAR_FIELDS, *LIST_FIELDS, "logo", "photos", "places", "services"]
# The fields of a listing's row whose old and new values the history records: the public ones
# and the listing's address, logo, moderation state and verification.
LOGGED_FIELDS = [*SCALAR_FIELDS, "slug", "logo", "status", "source", "trusted", "last_verified_at"]
# Everything a state holds, in the order the history lists it.
STATE_FIELDS = [*ALL_FIELDS, *(name for name in LOGGED_FIELDS if name not in ALL_FIELDS)]


def for_values(queryset: QuerySet[Association] | None = None) -> QuerySet[Association]:
    """The prefetches `values_from_association` needs (8 queries with the association)."""
    queryset = queryset if queryset is not None else Association.objects.all()
    return queryset.prefetch_related(
        "categories",
        "audiences",
        "languages",
        Prefetch(
            "places", queryset=Place.objects.select_related("area", "quartier").order_by("position", "pk")
        ),
        Prefetch("photos", queryset=Photo.objects.filter(kind=Photo.Kind.PHOTO, is_public=True)),
        Prefetch("services", queryset=Service.objects.prefetch_related("places").order_by("position", "pk")),
    )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if isinstance(value, date) else value


def place_values(place: Place) -> Values:
    return {
        "kind": place.kind,
        "name": place.name,
        "address": place.address,
        "postcode": place.postcode,
        "area": place.area.slug,
        "quartier": place.quartier.slug if place.quartier_id else "",  # type: ignore[union-attr]  # quartier_id is set
        "lat": place.lat,
        "lon": place.lon,
        "hours": place.hours or {},
        "hours_note": place.hours_note,
        "public_holidays": place.public_holidays,
        "school_holidays": place.school_holidays,
        "school_hours": place.school_hours or {},
        "exceptions": place.exceptions or [],
        "closed_from": _iso(place.closed_from),
        "closed_until": _iso(place.closed_until),
        "closure_message": place.closure_message,
        "wheelchair": place.wheelchair,
    }


def service_values(service: Service, place_positions: dict[int, int]) -> Values:
    """A service's values; `place_positions` maps its listing's place ids to their positions."""
    values: Values = {name: getattr(service, name) for name in SERVICE_FIELDS if name != "places"}
    values["paused_until"] = _iso(service.paused_until)
    values["places"] = sorted(place_positions[p.pk] for p in service.places.all() if p.pk in place_positions)
    # Its identity, kept through changes: an imported service's source id, "" for the listing's own
    # (so that removing a service above it never moves a source onto another service).
    values["source_id"] = service.source_id
    return values


def values_from_association(association: Association) -> Values:
    """The listing's current public values (use `for_values()` to fetch it)."""
    values = {name: getattr(association, name) for name in SCALAR_FIELDS}
    values["categories"] = sorted(c.slug for c in association.categories.all())
    values["audiences"] = sorted(a.slug for a in association.audiences.all())
    values["languages"] = sorted(lang.code for lang in association.languages.all())
    values["logo"] = association.logo.name or ""
    values["photos"] = [
        {"id": p.pk, "alt": p.alt}
        for p in association.photos.all()
        if p.kind == Photo.Kind.PHOTO and p.is_public
    ]
    places = list(association.places.all())
    values["places"] = [place_values(place) for place in places]
    positions = {place.pk: position for position, place in enumerate(places)}
    values["services"] = [service_values(service, positions) for service in association.services.all()]
    return values


def jsonable(value: object) -> Jsonable:
    """A field's value as the history stores it in JSON."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or ""
    return str(value)


def snapshot(association: Association, fields: Sequence[str] = LOGGED_FIELDS) -> Snapshot:
    """The listing's row fields the history records, as JSON-ready values (no query)."""
    return {name: jsonable(getattr(association, name)) for name in fields}


def current_state(association: Association) -> Values:
    """The listing as its history records it: its row fields and its values (5 queries)."""
    listing = for_values().get(pk=association.pk)
    return {**snapshot(listing), **values_from_association(listing)}


def apply_values(association: Association, values: Values) -> None:
    """Write the values to the listing, its places, relations and photos (no log, no reindex).

    Callers hold the transaction; services log the change and refresh the search
    (services.refresh_search_text). The preview, whose writes are rolled back, does neither, so
    that it never drops the shared caches.
    """
    snap = reference.get()
    for name in SCALAR_FIELDS:
        setattr(association, name, values.get(name, getattr(association, name)))
    association.logo = values.get("logo") or ""
    association.save()
    association.categories.set(
        [snap.categories[s].pk for s in values.get("categories", []) if s in snap.categories]
    )
    association.audiences.set(
        [snap.audiences[s].pk for s in values.get("audiences", []) if s in snap.audiences]
    )
    association.languages.set(
        [snap.languages[c].pk for c in values.get("languages", []) if c in snap.languages]
    )
    places = _apply_places(association, values.get("places", []), snap)
    if "services" in values:  # a change proposed before services existed leaves them alone
        _apply_services(association, values["services"], places, snap)
    _apply_photos(association, values.get("photos", []))


def _apply_places(association: Association, places: list[Values], snap: reference.Snapshot) -> list[Place]:
    """Write the places in order, reusing the rows by position; the places written, in order."""
    existing = list(Place.objects.filter(association=association).order_by("position", "pk"))
    written = []
    for position, data in enumerate(places):
        place = existing[position] if position < len(existing) else Place(association=association)
        place.position = position
        was_at = (place.lat, place.lon) if place.pk else None
        for name in PLACE_FIELDS:
            if name == "area":
                place.area = snap.areas[data["area"]]
            elif name == "quartier":
                place.quartier = snap.areas.get(data.get("quartier") or "")
            elif name in ("closed_from", "closed_until"):
                raw = data.get(name)
                setattr(place, name, date.fromisoformat(raw) if raw else None)
            elif name in PLACE_DEFAULTS:
                setattr(place, name, data.get(name) or PLACE_DEFAULTS[name])
            else:
                setattr(place, name, data.get(name, "" if name not in ("lat", "lon") else None))
        if (place.lat, place.lon) != was_at:  # moved: the stations near its new position
            place.transit = place_services.transit_for(place)
        place.save()
        written.append(place)
    Place.objects.filter(pk__in=[p.pk for p in existing[len(places) :]]).delete()
    return written


def clean_service_values(data: Values, snap: reference.Snapshot) -> Values:
    """A service's values with the defaults of missing fields and unknown codes dropped."""
    values: Values = {name: data.get(name, SERVICE_DEFAULTS.get(name, "")) for name in SERVICE_FIELDS}
    for name in SERVICE_DEFAULTS:
        if values[name] is None and SERVICE_DEFAULTS[name] is not None:
            values[name] = SERVICE_DEFAULTS[name]
    values["categories"] = [s for s in values["categories"] if s in snap.categories]
    values["audiences"] = [s for s in values["audiences"] if s in snap.audiences]
    values["languages"] = [c for c in values["languages"] if c in snap.languages]
    if "source_id" in data:  # an imported service's identity (service_values)
        values["source_id"] = data["source_id"]
    return values


def _service_rows(existing: list[Service], services: list[Values]) -> list[Service | None]:
    """The row each proposed service is written to (None: a new row). A service naming its source
    id gets that row, or a new one; one with an empty source id the next row of no source; one
    without the key (a form that does not carry it) the next row left, by position, as before
    sources existed."""
    by_source = {s.source_id: s for s in existing if s.source_id}
    claimed = {by_source[d["source_id"]].pk for d in services if d.get("source_id") in by_source}
    spare = [s for s in existing if s.pk not in claimed]
    rows: list[Service | None] = []
    for data in services:
        source_id = data.get("source_id")
        if source_id:
            rows.append(by_source.pop(source_id, None))
            continue
        own = spare if source_id is None else [s for s in spare if not s.source_id]
        row = own[0] if own else None
        if row is not None:
            spare.remove(row)
        rows.append(row)
    return rows


def _apply_services(
    association: Association, services: list[Values], places: list[Place], snap: reference.Snapshot
) -> None:
    """Write the services in order, each to its row (`_service_rows`: its source's, else by position)."""
    existing = list(Service.objects.filter(association=association).order_by("position", "pk"))
    written = []
    for position, (data, row) in enumerate(zip(services, _service_rows(existing, services), strict=True)):
        service = row if row is not None else Service(association=association)
        values = clean_service_values(data, snap)
        service.position = position
        for name in SERVICE_FIELDS:
            if name == "paused_until":
                raw = values[name]
                service.paused_until = date.fromisoformat(raw) if raw else None
            elif name != "places":
                setattr(service, name, values[name])
        for name in SERVICE_SOURCE_FIELDS:
            if name == "source_updated_at" and name in data:
                service.source_updated_at = date.fromisoformat(data[name]) if data[name] else None
            elif name in data:
                setattr(service, name, data[name] or "")
        service.save()
        written.append(service.pk)
        service.places.set(
            [places[i] for i in values["places"] if isinstance(i, int) and 0 <= i < len(places)]
        )
    Service.objects.filter(pk__in=[s.pk for s in existing if s.pk not in written]).delete()


def _apply_photos(association: Association, photos: list[Values]) -> None:
    wanted = {item["id"]: (position, item.get("alt", "")) for position, item in enumerate(photos)}
    for photo in Photo.objects.filter(association=association, kind=Photo.Kind.PHOTO):
        if photo.pk in wanted:
            photo.position, photo.alt = wanted[photo.pk]
            photo.is_public = True
        else:
            photo.is_public = False
        photo.save(update_fields=["position", "alt", "is_public"])


def changes(before: Values, after: Values) -> Changes:
    """{field: {"old": …, "new": …}} for each field of `after` whose value differs from `before`:
    what the history records. Both are states, or parts of one (values, snapshots)."""
    return {
        name: {"old": before.get(name), "new": after.get(name)}
        for name in STATE_FIELDS
        if name in after and before.get(name) != after.get(name)
    }


# Display ----------------------------------------------------------------------------------------


def field_label(name: str) -> str:
    labels = {
        "categories": _("Besoins"),
        "audiences": _("Publics"),
        "languages": _("Langues parlées"),
        "logo": _("Logo"),
        "photos": _("Photos"),
        "places": _("Lieux d'accueil"),
        "services": _("Services"),
    }
    if name in labels:
        return str(labels[name])
    return str(Association._meta.get_field(name).verbose_name).capitalize()  # type: ignore[union-attr]  # a column


def display_value(name: str, value: Any) -> str:
    """A short human-readable text of one field's value, for the side-by-side comparisons."""
    snap = reference.get()
    if value in (None, "", [], {}):
        return "—"
    if name == "categories":
        return ", ".join(snap.categories[s].name for s in value if s in snap.categories)
    if name == "audiences":
        return ", ".join(snap.audiences[s].name for s in value if s in snap.audiences)
    if name == "languages":
        return ", ".join(snap.languages[c].name for c in value if c in snap.languages)
    if name == "photos":
        return "; ".join(item.get("alt") or f"#{item['id']}" for item in value)
    if name == "logo":
        return str(_("Logo envoyé")) if value else "—"
    if name == "places":
        return " | ".join(_place_text(place, snap) for place in value)
    if name == "services":
        return "\n".join(service_text(service, snap) for service in value)
    if isinstance(value, bool):
        return str(_("oui") if value else _("non"))
    if name in ("fees", "reception"):
        choices = Association._meta.get_field(name).choices  # type: ignore[union-attr]  # a column
        return str(dict(choices).get(value, value))  # type: ignore[arg-type]  # fees, reception: flat choices
    return str(value)


def _place_text(place: Values, snap: reference.Snapshot) -> str:
    area = snap.areas.get(place.get("area"))  # type: ignore[arg-type]  # None finds nothing
    where = f"{place.get('address', '')}, {place.get('postcode', '')} {area.short_name if area else ''}"
    days = [
        f"{day} {hours_lib.format_day(ranges)}"
        for day, ranges in hours_lib.weekly(place.get("hours") or {})
        if ranges
    ]
    return " · ".join(
        [p for p in [place.get("name", ""), where, ", ".join(days), *_calendar_text(place)] if p]
    )


def service_text(service: Values, snap: reference.Snapshot | None = None) -> str:
    """One line of a service's values: "Cours de français · Gratuit · Sans rendez-vous · sam. 9:00–12:00"."""
    snap = snap or reference.get()
    parts = [str(service.get("name", ""))]
    parts += [str(snap.categories[s].name) for s in service.get("categories") or [] if s in snap.categories]
    if service.get("fees"):
        parts.append(str(dict(Service.Fees.choices).get(service["fees"], service["fees"])))
    if service.get("reception"):
        parts.append(str(dict(Service.Reception.choices).get(service["reception"], service["reception"])))
    parts += [
        f"{day} {hours_lib.format_day(ranges)}"
        for day, ranges in hours_lib.weekly(service.get("hours") or {})
        if ranges
    ]
    if service.get("status") == Service.Status.PAUSED:
        parts.append(str(_("en pause")))
    return " · ".join(p for p in parts if p)


def _calendar_text(place: Values) -> list[str]:
    """The calendar rules of a place, in words, for the comparisons (the defaults say nothing)."""
    texts: list[str] = []
    if place.get("public_holidays") == Place.PublicHolidays.OPEN:
        texts.append(str(Place.PublicHolidays.OPEN.label))
    rule = place.get("school_holidays")
    if rule == Place.SchoolHolidays.CLOSED:
        texts.append(str(Place.SchoolHolidays.CLOSED.label))
    elif rule == Place.SchoolHolidays.HOURS:
        school = [
            f"{day} {hours_lib.format_day(r)}" for day, r in hours_lib.weekly(place.get("school_hours")) if r
        ]
        texts.append(f"{_('Vacances scolaires')} : {', '.join(school)}")
    if place.get("exceptions"):
        texts.append(hours_lib.format_exceptions(place["exceptions"]).replace("\n", " ; "))
    return texts


@dataclass
class Row:
    label: str
    old: str
    new: str
    changed: bool
    words: list[str] = field(default_factory=list)  # the change in sentences, shown instead (services)


def field_rows(before: Values, after: Values, names: Sequence[str] = ALL_FIELDS) -> list[Row]:
    """A Row (label, old text, new text, changed) for each of these fields."""
    return [
        Row(
            str(field_label(name)),
            display_value(name, before.get(name)),
            display_value(name, after.get(name)),
            before.get(name) != after.get(name),
        )
        for name in names
    ]


def comparison(before: Values, after: Values) -> list[Row]:
    """The Rows of the fields that differ, places and images as text: the association space's
    comparisons (a pending change, an edit conflict) and the pending changes' admin list."""
    return [row for row in field_rows(before, after) if row.changed]


# Review pages: places with their hours, images side by side ----------------------------------


@dataclass
class PlaceDiff:
    number: int
    rows: list[Row] = field(default_factory=list)
    old_hours: "list[tuple[StrOrPromise, str]]" = field(default_factory=list)
    new_hours: "list[tuple[StrOrPromise, str]]" = field(default_factory=list)
    hours_changed: bool = False
    status: str = ""  # "added", "removed", "changed", ""


def _place_label(name: str) -> str:
    return str(Place._meta.get_field(name).verbose_name).capitalize()  # type: ignore[union-attr]  # a column


def _place_value(name: str, place: Values | None) -> str:
    if place is None:
        return "—"
    value = place.get(name)
    if value in (None, ""):
        return "—"
    snap = reference.get()
    if name in ("area", "quartier"):
        area = snap.areas.get(value)
        return area.name if area else value
    if name in ("kind", "wheelchair"):
        choices = Place._meta.get_field(name).choices  # type: ignore[union-attr]  # a column
        return str(dict(choices).get(value, value))  # type: ignore[arg-type]  # kind, wheelchair: flat choices
    return str(value)


def _hours_rows(place: Values | None) -> "list[tuple[StrOrPromise, str]]":
    if place is None:
        return []
    return [
        (day, hours_lib.format_day(ranges) or "—")
        for day, ranges in hours_lib.weekly(place.get("hours") or {})
    ]


def place_diffs(old_places: list[Values], new_places: list[Values]) -> list[PlaceDiff]:
    diffs: list[PlaceDiff] = []
    names = [n for n in PLACE_FIELDS if n != "hours"]
    for index in range(max(len(old_places), len(new_places))):
        old = old_places[index] if index < len(old_places) else None
        new = new_places[index] if index < len(new_places) else None
        diff = PlaceDiff(number=index + 1, old_hours=_hours_rows(old), new_hours=_hours_rows(new))
        for name in names:
            old_text, new_text = _place_value(name, old), _place_value(name, new)
            diff.rows.append(Row(_place_label(name), old_text, new_text, old_text != new_text))
        diff.hours_changed = (old or {}).get("hours") != (new or {}).get("hours")
        if old is None:
            diff.status = "added"
        elif new is None:
            diff.status = "removed"
        elif old != new:
            diff.status = "changed"
        diffs.append(diff)
    return diffs


def _url(name: str | None) -> str:
    return default_storage.url(name) if name else ""


def image_diff(old: Values, new: Values) -> dict[str, Any]:
    """Logo and photos before and after, with their URLs (one query for the photos)."""
    ids = {item["id"] for item in [*old.get("photos", []), *new.get("photos", [])]}
    photos = {p.pk: p for p in Photo.objects.filter(pk__in=ids)} if ids else {}

    def photo_list(items: list[Values]) -> list[dict[str, str]]:
        return [
            {"url": _url(photos[i["id"]].medium.name), "alt": i.get("alt", "")}
            for i in items
            if i["id"] in photos
        ]

    return {
        "old_logo": _url(old.get("logo")),
        "new_logo": _url(new.get("logo")),
        "logo_changed": old.get("logo") != new.get("logo"),
        "old_photos": photo_list(old.get("photos", [])),
        "new_photos": photo_list(new.get("photos", [])),
        "photos_changed": old.get("photos") != new.get("photos"),
    }


def compare(old: Values, new: Values) -> dict[str, Any]:
    """Everything a review page shows: field rows, places, services, images, and whether
    anything moved. A proposal made before services existed leaves them as they are."""
    rows = field_rows(old, new, [*SCALAR_FIELDS, *LIST_FIELDS])
    old_places, new_places = old.get("places", []), new.get("places", [])
    places = place_diffs(old_places, new_places)
    old_services: list[Values] = old.get("services", [])
    new_services: list[Values] = new.get("services", old_services)
    services = service_diffs(old_services, new_services, old_places, new_places)
    return {
        "rows": rows,
        "changed_rows": [row for row in rows if row.changed],
        "places": places,
        "places_changed": any(p.status for p in places),
        "services": services,
        "services_changed": any(s.status for s in services),
        "images": image_diff(old, new),
    }


# Services: one block per service, its changed fields named ---------------------------------------


@dataclass
class ServiceDiff:
    """A service before and after: `status` "added", "removed", "changed" or "" (the same)."""

    number: int  # its rank in the comparison, from 1
    name: str  # its name after (before, when removed)
    old_name: str
    status: str
    rows: list[Row] = field(default_factory=list)  # every field filled before or after
    changed: list[str] = field(default_factory=list)  # the labels of its changed fields
    sentence: str = ""  # what happened, in words: "Service « Cours de français » ajouté"
    after: Values | None = None  # the service's values after (None when removed)
    quality: Any = None  # its completeness, where a page scores it (moderation/review.py)


# Fields said in their own words in a service's sentence (renamed, paused until, resumed).
_SERVICE_OWN_WORDS = ("name", "status", "paused_until")
_SERVICE_CHOICES = {
    "kind": Service.Kind,
    "fees": Service.Fees,
    "reception": Service.Reception,
    "status": Service.Status,
    "modes": Service.Mode,
    "mobilisation": Service.Mobilisation,
    "mobilisable_by": Service.MobilisableBy,
}


def service_label(name: str) -> str:
    return str(Service._meta.get_field(name).verbose_name).capitalize()  # type: ignore[union-attr]  # a column


def _long_date(value: str) -> str:
    try:
        return formats.date_format(date.fromisoformat(value), "j F Y")
    except (TypeError, ValueError):
        return str(value)


def _service_place_text(index: Any, places: list[Values] | None, snap: reference.Snapshot) -> str:
    """A place of a service as its address (its number when the listing's places are unknown)."""
    if places is None or not isinstance(index, int) or not 0 <= index < len(places):
        return str(_("Lieu %(n)s") % {"n": index + 1 if isinstance(index, int) else index})
    place = places[index]
    area = snap.areas.get(place.get("area") or "")
    where = ", ".join(p for p in [place.get("address", ""), area.short_name if area else ""] if p)
    return f"{place['name']} ({where})" if place.get("name") else where


def service_value(
    name: str,
    service: Values | None,
    places: list[Values] | None = None,
    snap: reference.Snapshot | None = None,
) -> str:
    """One field of a service in words ("—" when empty); `places`: its listing's places."""
    if service is None:
        return "—"
    value = service.get(name, SERVICE_DEFAULTS.get(name, ""))
    if value in (None, "", [], {}, False):
        return "—"
    snap = snap or reference.get()
    if name == "categories":
        return ", ".join(snap.categories[s].name for s in value if s in snap.categories) or "—"
    if name == "audiences":
        return ", ".join(snap.audiences[s].name for s in value if s in snap.audiences) or "—"
    if name == "languages":
        return ", ".join(snap.languages[c].name for c in value if c in snap.languages) or "—"
    if name == "places":
        return "\n".join(_service_place_text(i, places, snap) for i in value)
    if name == "eligibility":
        names = {a.insee: a.name for a in snap.areas.values() if a.insee}
        return ", ".join(names.get(code, code) for code in value)
    if name == "hours":
        return "\n".join(
            f"{day} : {hours_lib.format_day(ranges)}" for day, ranges in hours_lib.weekly(value) if ranges
        )
    if name == "paused_until":
        return _long_date(value)
    if value is True:
        return str(_("oui"))
    if name in _SERVICE_CHOICES:
        labels = dict(_SERVICE_CHOICES[name].choices)
        codes = value if isinstance(value, list) else [value]
        return ", ".join(str(labels.get(code, code)) for code in codes)
    return str(value)


def _service_key(service: Values) -> str:
    """What makes two services one: an imported service's source id, else its name."""
    if service.get("source_id"):
        return f"source:{service['source_id']}"
    return "name:" + " ".join(str(service.get("name", "")).casefold().split())


def _alike(old: Values, new: Values) -> bool:
    """Whether two services of different names are one service renamed: half the fields
    filled in either are the same."""
    filled = [n for n in SERVICE_FIELDS if n != "name" and (old.get(n) or new.get(n))]
    same = [n for n in filled if old.get(n) == new.get(n)]
    return bool(filled) and 2 * len(same) >= len(filled)


def pair_services(old: list[Values], new: list[Values]) -> list[tuple[int | None, int | None]]:
    """(old index, new index) of each service, in the new order then the removed ones.

    An imported service is known by its source id; the listing's own have no identity in its
    values, so the same name is the same service (a
    service moved, or a service removed before it, does not turn the others into changes); a
    service renamed is an unmatched one with half its filled fields alike (else a service
    replaced by another would read as one service changed in every field)."""
    unmatched: dict[str, list[int]] = {}
    for index, service in enumerate(old):
        unmatched.setdefault(_service_key(service), []).append(index)
    matched: dict[int, int] = {}
    for index, service in enumerate(new):
        candidates = unmatched.get(_service_key(service))
        if candidates:
            matched[index] = candidates.pop(0)
    free_old = [i for i in range(len(old)) if i not in matched.values()]
    for index in (j for j in range(len(new)) if j not in matched):
        twin = next((i for i in free_old if _alike(old[i], new[index])), None)
        if twin is not None:
            matched[index] = twin
            free_old.remove(twin)
    pairs: list[tuple[int | None, int | None]] = [(matched.get(j), j) for j in range(len(new))]
    return pairs + [(i, None) for i in free_old]


def service_diffs(
    old_services: list[Values],
    new_services: list[Values],
    old_places: list[Values] | None = None,
    new_places: list[Values] | None = None,
) -> list[ServiceDiff]:
    """One ServiceDiff per service, before and after. Without the listing's places (a logged
    change), a service's places are named by their numbers."""
    snap = reference.get()
    diffs: list[ServiceDiff] = []
    for number, (i, j) in enumerate(pair_services(old_services, new_services), start=1):
        old = old_services[i] if i is not None else None
        new = new_services[j] if j is not None else None
        diff = ServiceDiff(
            number=number,
            name=str((new or old or {}).get("name", "")),
            old_name=str((old or new or {}).get("name", "")),
            status="added" if old is None else "removed" if new is None else "",
            after=new,
        )
        for name in SERVICE_FIELDS:
            old_text = service_value(name, old, old_places, snap)
            new_text = service_value(name, new, new_places, snap)
            if old_text == "—" and new_text == "—":
                continue
            changed = old is not None and new is not None and old_text != new_text
            diff.rows.append(Row(service_label(name), old_text, new_text, changed))
            if changed:
                diff.changed.append(name)
        if diff.changed:
            diff.status = "changed"
        diff.sentence = _service_sentence(diff, old, new)
        diffs.append(diff)
    return diffs


def _service_sentence(diff: ServiceDiff, old: Values | None, new: Values | None) -> str:
    if diff.status == "added":
        return str(_("Service « %(name)s » ajouté") % {"name": diff.name})
    if diff.status == "removed":
        return str(_("Service « %(name)s » retiré") % {"name": diff.name})
    if old is None or new is None or not diff.changed:
        return ""
    parts = []
    if "name" in diff.changed:
        parts.append(str(_("renommé « %(name)s »") % {"name": diff.name}))
    paused = new.get("status") == Service.Status.PAUSED
    if paused and ("status" in diff.changed or "paused_until" in diff.changed):
        if new.get("paused_until"):
            parts.append(str(_("mis en pause jusqu'au %(date)s") % {"date": _long_date(new["paused_until"])}))
        else:
            parts.append(str(_("mis en pause")))
    elif "status" in diff.changed:
        parts.append(str(_("repris")))
    others = [service_label(n).lower() for n in diff.changed if n not in _SERVICE_OWN_WORDS]
    if others:
        parts.append(str(_("modifié : %(fields)s") % {"fields": ", ".join(others)}))
    return str(_("Service « %(name)s » %(changes)s") % {"name": diff.old_name, "changes": " ; ".join(parts)})


def services_in_words(old_services: Any, new_services: Any) -> list[str]:
    """What changed in a listing's services, a sentence a service, for the histories."""
    old = [s for s in old_services if isinstance(s, dict)] if isinstance(old_services, list) else []
    new = [s for s in new_services if isinstance(s, dict)] if isinstance(new_services, list) else []
    sentences = [diff.sentence for diff in service_diffs(old, new) if diff.sentence]
    if not sentences and [_service_key(s) for s in old] != [_service_key(s) for s in new]:
        sentences.append(str(_("Ordre des services modifié")))
    return sentences


def history_rows(logged: Changes | None) -> list[Row]:
    """The Rows of one logged change (`changes()`, or what another service logged)."""
    rows: list[Row] = []
    for name, values in (logged or {}).items():
        if not isinstance(values, dict) or "old" not in values:
            continue
        if name == "services":
            words = services_in_words(values.get("old"), values.get("new"))
            rows.append(Row(_label(name), "", "", True, words))
            continue
        if name in ALL_FIELDS:
            old_text = display_value(name, values.get("old"))
            new_text = display_value(name, values.get("new"))
        else:
            old_text = "—" if values.get("old") in (None, "") else str(values.get("old"))
            new_text = "—" if values.get("new") in (None, "") else str(values.get("new"))
        rows.append(Row(_label(name), old_text, new_text, True))
    return rows


def _label(name: str) -> str:
    try:
        return str(field_label(name))
    except (FieldDoesNotExist, AttributeError):  # logged by another service (managers, invitations…)
        return {"managers": str(_("Gestionnaires")), "rejection_reason": str(_("Motif du refus"))}.get(
            name, name
        )
