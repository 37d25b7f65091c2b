"""A listing as a contact card: vCard 4.0 (RFC 6350), the `.vcf` file phones import.

Written by hand: the format is a few lines of text, and the libraries at hand write vCard 3.0.
Text values are escaped (RFC 6350 § 3.4), lines folded at 75 octets without splitting a UTF-8
character (§ 3.2), lines end with CRLF.
"""

import re
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC
from typing import Any

from django.utils.translation import gettext as _

from directory.models import Association, Place

FOLD_OCTETS = 75
# A place's hours (the JSON of Place.hours) → one line ('lun.–ven. 9 h–12 h')
HoursSummary = Callable[[Any], str]


def escape(value: object) -> str:
    """A TEXT value: backslash, comma, semicolon and line breaks escaped."""
    value = str(value or "").replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return re.sub(r"\r\n|\r|\n", "\\\\n", value)


def fold(line: str) -> str:
    """One content line folded at 75 octets: CRLF then a space, never inside a character."""
    if len(line.encode()) <= FOLD_OCTETS:
        return line
    parts: list[str] = []
    chunk: list[str] = []
    size, limit = 0, FOLD_OCTETS
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append("".join(chunk))
            chunk, size, limit = [], 0, FOLD_OCTETS - 1  # a continuation line starts with a space
        chunk.append(char)
        size += width
    parts.append("".join(chunk))
    return "\r\n ".join(parts)


def tel_uri(phone: str | None) -> str | None:
    """'04 78 00 00 00' → 'tel:+33478000000' (a French national number); None without digits."""
    digits = re.sub(r"[^\d+]", "", (phone or "").replace("(0)", ""))
    if not re.search(r"\d", digits):
        return None
    if re.fullmatch(r"0\d{9}", digits):
        digits = "+33" + digits[1:]
    elif digits.startswith("00"):
        digits = "+" + digits[2:]
    return f"tel:{digits}"


def has_precise_position(place: Place) -> bool:
    """A position of the address itself, not the centre of its commune."""
    return (
        place.lat is not None
        and place.lon is not None
        and place.location_precision != Place.LocationPrecision.AREA
    )


def place_note(place: Place, hours_summary: HoursSummary) -> str:
    """'Permanence Maison de quartier : lun.–ven. 9 h–12 h (fermé en août)' or ''."""
    hours = hours_summary(place.hours)
    if not hours and not place.hours_note:
        return ""
    where = place.name or place.city_name
    text = hours or _("horaires non précisés")
    if place.hours_note:
        text += f" ({place.hours_note})"
    return _("%(place)s : %(hours)s") % {"place": where, "hours": text}


def build(
    association: Association, places: Sequence[Place], *, listing_url: str, hours_summary: HoursSummary
) -> str:
    """The vCard of a listing and its places (its main place first), as a str with CRLF lines."""
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        "PRODID:-//Lyon Assos//vCard//FR",
        "KIND:org",
        f"UID:urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, listing_url)}",
        f"FN:{escape(association.name)}",
        f"ORG:{escape(association.name)}",
    ]
    tel = tel_uri(association.phone)
    if tel:
        lines.append(f'TEL;VALUE=uri;TYPE="work,voice":{tel}')
    if association.email:
        lines.append(f"EMAIL;TYPE=work:{escape(association.email)}")
    for index, place in enumerate(places):
        components = ["", place.name, place.address, place.city_name, "", place.postcode, "France"]
        pref = ";PREF=1" if index == 0 else ""
        lines.append(f"ADR;TYPE=work{pref}:" + ";".join(escape(c) for c in components))
    main = places[0] if places else None
    if main is not None and has_precise_position(main):
        lines.append(f"GEO:geo:{main.lat:.6f},{main.lon:.6f}")
    website = (association.website or "").strip()
    if website.startswith(("http://", "https://")):
        lines.append(f"URL;TYPE=work;PREF=1:{website}")
    lines.append(f"URL:{listing_url}")
    notes = [note for place in places if (note := place_note(place, hours_summary))]
    if notes:
        lines.append("NOTE:" + escape(_("Horaires") + " — " + " ; ".join(notes)))
    if association.updated_at:
        lines.append("REV:" + association.updated_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ"))
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)
