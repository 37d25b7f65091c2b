"""Field-by-field comparisons for the review pages: old → new, places with their hours, and
images side by side. Works on the JSON form of a listing (directory.listings.state)."""

from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _

from directory import hours as hours_lib
from directory import reference
from directory.listings import state as values_lib
from directory.models import Photo, Place

TEXT_FIELDS = [*values_lib.SCALAR_FIELDS, *values_lib.LIST_FIELDS]


@dataclass
class Row:
    label: str
    old: str
    new: str
    changed: bool


@dataclass
class PlaceDiff:
    number: int
    rows: list = field(default_factory=list)
    old_hours: list = field(default_factory=list)
    new_hours: list = field(default_factory=list)
    hours_changed: bool = False
    status: str = ""  # "added", "removed", "changed", ""


def _place_label(name):
    return str(Place._meta.get_field(name).verbose_name).capitalize()


def _place_value(name, place):
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
        return str(dict(Place._meta.get_field(name).choices).get(value, value))
    return str(value)


def _hours_rows(place):
    if place is None:
        return []
    return [
        (day, hours_lib.format_day(ranges) or "—")
        for day, ranges in hours_lib.weekly(place.get("hours") or {})
    ]


def place_diffs(old_places, new_places):
    diffs = []
    names = [n for n in values_lib.PLACE_FIELDS if n != "hours"]
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


def _url(name):
    return default_storage.url(name) if name else ""


def image_diff(old, new):
    """Logo and photos before and after, with their URLs (one query for the photos)."""
    ids = {item["id"] for item in [*old.get("photos", []), *new.get("photos", [])]}
    photos = {p.pk: p for p in Photo.objects.filter(pk__in=ids)} if ids else {}

    def photo_list(items):
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


def compare(old, new):
    """Everything a review page shows: field rows, places, images, and whether anything moved."""
    rows = []
    for name in TEXT_FIELDS:
        old_text = values_lib.display_value(name, old.get(name))
        new_text = values_lib.display_value(name, new.get(name))
        rows.append(
            Row(str(values_lib.field_label(name)), old_text, new_text, old.get(name) != new.get(name))
        )
    places = place_diffs(old.get("places", []), new.get("places", []))
    return {
        "rows": rows,
        "changed_rows": [row for row in rows if row.changed],
        "places": places,
        "places_changed": any(p.status for p in places),
        "images": image_diff(old, new),
    }


def history_rows(changes):
    """The readable rows of one logged change: (label, old text, new text)."""
    rows = []
    for name, values in (changes or {}).items():
        if not isinstance(values, dict) or "old" not in values:
            continue
        if name == "places":
            old_text = values_lib.display_value("places", values.get("old"))
            new_text = values_lib.display_value("places", values.get("new"))
        elif name in values_lib.ALL_FIELDS:
            old_text = values_lib.display_value(name, values.get("old"))
            new_text = values_lib.display_value(name, values.get("new"))
        else:
            old_text = "—" if values.get("old") in (None, "") else str(values.get("old"))
            new_text = "—" if values.get("new") in (None, "") else str(values.get("new"))
        rows.append(Row(_label(name), old_text, new_text, True))
    return rows


def _label(name):
    try:
        return str(values_lib.field_label(name))
    except FieldDoesNotExist:  # a field logged by another service (managers, rejection_reason…)
        return {"managers": str(_("Gestionnaires")), "rejection_reason": str(_("Motif du refus"))}.get(
            name, name
        )
