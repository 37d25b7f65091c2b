"""The proposed values of a listing as JSON: every public field, places with hours, images.

    {"name": "…", "short_description": "…", …, "categories": ["slug", …], "audiences": ["slug"],
     "languages": ["fr"], "logo": "images/2026/…/400.webp", "photos": [{"id": 3, "alt": "…"}],
     "places": [{"kind": "seat", "address": "…", "postcode": "69003", "area": "lyon-3",
                 "quartier": "", "hours": {"0": [["09:00", "12:00"]]}, …}]}

A PendingChange stores this; approving it applies it to the Association, its places, its
many-to-many relations and its photos (`apply_values`).
"""

from datetime import date

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from directory import hours as hours_lib
from directory import reference
from directory.models import Association, Photo, Place
from directory.services import PUBLIC_FIELDS

SCALAR_FIELDS = PUBLIC_FIELDS
LIST_FIELDS = ["categories", "audiences", "languages"]
PLACE_FIELDS = [
    "kind",
    "name",
    "address",
    "postcode",
    "area",
    "quartier",
    "lat",
    "lon",
    "hours",
    "hours_note",
    "public_holidays",
    "school_holidays",
    "school_hours",
    "exceptions",
    "closed_from",
    "closed_until",
    "closure_message",
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
ALL_FIELDS = [*SCALAR_FIELDS, *LIST_FIELDS, "logo", "photos", "places"]


def for_values(queryset=None):
    """The prefetches `values_from_association` needs (4 queries with the association)."""
    queryset = queryset if queryset is not None else Association.objects.all()
    return queryset.prefetch_related(
        "categories",
        "audiences",
        "languages",
        Prefetch(
            "places", queryset=Place.objects.select_related("area", "quartier").order_by("position", "pk")
        ),
        Prefetch("photos", queryset=Photo.objects.filter(kind=Photo.Kind.PHOTO, is_public=True)),
    )


def _iso(value):
    return value.isoformat() if isinstance(value, date) else value


def place_values(place):
    return {
        "kind": place.kind,
        "name": place.name,
        "address": place.address,
        "postcode": place.postcode,
        "area": place.area.slug,
        "quartier": place.quartier.slug if place.quartier_id else "",
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


def values_from_association(association):
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
    values["places"] = [place_values(place) for place in association.places.all()]
    return values


def apply_values(association, values, *, reindex=True):
    """Write the values to the listing, its places, relations and photos (no log).

    Callers hold the transaction; services log the change. `reindex` refreshes the search
    structures and moves the listings version (services.refresh_search_text); the preview,
    whose writes are rolled back, passes False so that it never drops the shared caches.
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
    _apply_places(association, values.get("places", []), snap)
    _apply_photos(association, values.get("photos", []))
    if reindex:
        from directory.services import refresh_search_text

        refresh_search_text([association])


def _apply_places(association, places, snap):
    existing = list(Place.objects.filter(association=association).order_by("position", "pk"))
    for position, data in enumerate(places):
        place = existing[position] if position < len(existing) else Place(association=association)
        place.position = position
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
        place.save()
    Place.objects.filter(pk__in=[p.pk for p in existing[len(places) :]]).delete()


def _apply_photos(association, photos):
    wanted = {item["id"]: (position, item.get("alt", "")) for position, item in enumerate(photos)}
    for photo in Photo.objects.filter(association=association, kind=Photo.Kind.PHOTO):
        if photo.pk in wanted:
            photo.position, photo.alt = wanted[photo.pk]
            photo.is_public = True
        else:
            photo.is_public = False
        photo.save(update_fields=["position", "alt", "is_public"])


def changed_fields(before, after):
    """{field: {"old": …, "new": …}} for each field whose value differs (the history format)."""
    return {
        name: {"old": before.get(name), "new": after.get(name)}
        for name in ALL_FIELDS
        if name in after and before.get(name) != after.get(name)
    }


# Display ----------------------------------------------------------------------------------------


def field_label(name):
    labels = {
        "categories": _("Besoins"),
        "audiences": _("Publics"),
        "languages": _("Langues parlées"),
        "logo": _("Logo"),
        "photos": _("Photos"),
        "places": _("Lieux d'accueil"),
    }
    if name in labels:
        return labels[name]
    return str(Association._meta.get_field(name).verbose_name).capitalize()


def display_value(name, value):
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
    if isinstance(value, bool):
        return str(_("oui") if value else _("non"))
    if name in ("fees", "reception"):
        return str(dict(Association._meta.get_field(name).choices).get(value, value))
    return str(value)


def _place_text(place, snap):
    area = snap.areas.get(place.get("area"))
    where = f"{place.get('address', '')}, {place.get('postcode', '')} {area.short_name if area else ''}"
    days = [
        f"{day} {hours_lib.format_day(ranges)}"
        for day, ranges in hours_lib.weekly(place.get("hours") or {})
        if ranges
    ]
    return " · ".join(
        [p for p in [place.get("name", ""), where, ", ".join(days), *_calendar_text(place)] if p]
    )


def _calendar_text(place):
    """The calendar rules of a place, in words, for the comparisons (the defaults say nothing)."""
    texts = []
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


def comparison(before, after, *, only_changed=True):
    """[(label, old text, new text)] for the fields that differ (or all)."""
    rows = []
    for name in ALL_FIELDS:
        old, new = before.get(name), after.get(name)
        if only_changed and old == new:
            continue
        rows.append((field_label(name), display_value(name, old), display_value(name, new)))
    return rows
