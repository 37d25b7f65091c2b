"""Open-data exports of the published listings: CSV, JSON and data·inclusion "structures".

Each export is a generator of text chunks so that views can stream it: rows are read with
`.iterator(chunk_size=CHUNK_SIZE)`, which (Django ≥ 4.1) runs the `for_listing()` prefetches
once per chunk. The number of queries therefore grows with the number of chunks, never with
the number of rows: 1 query for the rows plus 1 per prefetch, per chunk of CHUNK_SIZE.
"""

import csv
import json
import re

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

from directory import reference
from directory.models import Association

CHUNK_SIZE = 2000

# CSV: comma-separated (RFC 4180, what most tools and data.gouv.fr expect), UTF-8 with a BOM so
# that Excel opens accents correctly; LibreOffice, pandas and csvkit ignore the BOM.
CSV_DELIMITER = ","
CSV_FIELDS = [
    "id",
    "slug",
    "name",
    "url",
    "short_description",
    "rna",
    "siret",
    "categories",
    "address",
    "postcode",
    "commune",
    "insee",
    "quartier",
    "lat",
    "lon",
    "other_places",
    "phone",
    "email",
    "website",
    "fees",
    "fees_details",
    "reception",
    "volunteers_sought",
    "wheelchair",
    "hours",
    "last_verified_at",
    "updated_at",
]
# CSV injection: a spreadsheet runs a cell starting with = + - @ (or a tab or CR before them)
# as a formula. A French spreadsheet may split a cell again on ";" (its usual separator), on
# "," or on a line break, so every segment after such a separator is checked too, spaces
# allowed: "Aide;=cmd|' /C calc'!A0" is written "Aide;'=cmd|' /C calc'!A0".
_FORMULA_SEGMENT = re.compile(r"(^|[;,\t\r\n])( *)(?=[=+\-@\t\r])")

DATAINCLUSION_SOURCE = "lyon-assos"
_OSM_DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]


def published_listings():
    """Every published association with its categories and places, in a stable order."""
    return Association.objects.published().for_listing().order_by("pk")


def site_url(path):
    return settings.SITE_URL + path


def safe_cell(value):
    """A CSV cell that a spreadsheet will not run as a formula: each segment (the start of the text,
    or what follows a ;  , tab, CR or LF) beginning with a formula trigger is prefixed with '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return str(value)  # numbers (a negative longitude) are data, not formulas
    text = str(value)
    return _FORMULA_SEGMENT.sub(r"\1\2'", text)


class _Echo:
    """A file-like object whose write() returns the line, for csv.writer in a generator."""

    def write(self, value):
        return value


def _insee(place):
    """The INSEE code of a place: its arrondissement's (Lyon) or commune's."""
    return place.area.insee or ""


def _top_city(place):
    """The commune name, with Lyon's arrondissements written 'Lyon 3e'."""
    return place.city_name


def day_groups(hours):
    """Runs of consecutive open days with the same ranges: [(first day, last day, ranges)], 0 = Monday."""
    days = [tuple(tuple(r) for r in sorted((hours or {}).get(str(i), []))) for i in range(7)]
    groups = []
    start = 0
    while start < 7:
        end = start
        while end + 1 < 7 and days[end + 1] == days[start]:
            end += 1
        if days[start]:
            groups.append((start, end, days[start]))
        start = end + 1
    return groups


def opening_hours_osm(hours):
    """Structured hours → OpenStreetMap `opening_hours`: 'Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-12:00'.

    Consecutive days with the same ranges are grouped; closed days are left out. Empty hours give ''.
    """
    rules = []
    for start, end, ranges in day_groups(hours):
        if start == end:
            span = _OSM_DAYS[start]
        elif end - start == 1:
            span = f"{_OSM_DAYS[start]},{_OSM_DAYS[end]}"
        else:
            span = f"{_OSM_DAYS[start]}-{_OSM_DAYS[end]}"
        rules.append(span + " " + ",".join(f"{opens}-{closes}" for opens, closes in ranges))
    return "; ".join(rules)


# CSV ------------------------------------------------------------------------------------------


def csv_row(association):
    places = list(association.places.all())
    main = places[0] if places else None
    return [
        association.pk,
        association.slug,
        association.name,
        site_url(association.get_absolute_url()),
        association.short_description,
        association.rna,
        association.siret,
        "|".join(c.slug for c in association.categories.all()),
        main.address if main else "",
        main.postcode if main else "",
        _top_city(main) if main else "",
        _insee(main) if main else "",
        main.quartier.name if main and main.quartier_id else "",
        main.lat if main else "",
        main.lon if main else "",
        len(places) - 1 if places else 0,
        association.phone,
        association.email,
        association.website,
        association.fees,
        association.fees_details,
        association.reception,
        association.volunteers_sought,
        main.wheelchair if main else "",
        opening_hours_osm(main.hours) if main else "",
        association.last_verified_at.isoformat() if association.last_verified_at else "",
        association.updated_at.isoformat(),
    ]


def iter_csv(queryset=None):
    """The CSV export as text chunks: a BOM and the header, then one line per association."""
    queryset = published_listings() if queryset is None else queryset
    # Every cell quoted: a spreadsheet reading the file with another separator keeps it whole.
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    yield "\ufeff" + writer.writerow(CSV_FIELDS)
    for association in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield writer.writerow([safe_cell(value) for value in csv_row(association)])


# JSON -----------------------------------------------------------------------------------------


def place_dict(place):
    return {
        "name": place.name,
        "kind": place.kind,
        "address": place.address,
        "postcode": place.postcode,
        "commune": place.city_name,
        "insee": place.area.insee or None,
        "area": place.area.slug,
        "quartier": place.quartier.slug if place.quartier_id else None,
        "lat": place.lat,
        "lon": place.lon,
        "hours": place.hours,
        "opening_hours": opening_hours_osm(place.hours) or None,
        "hours_note": place.hours_note,
        "wheelchair": place.wheelchair or None,
    }


def association_dict(association):
    return {
        "id": association.pk,
        "slug": association.slug,
        "name": association.name,
        "url": site_url(association.get_absolute_url()),
        "short_description": association.short_description,
        "rna": association.rna or None,
        "siret": association.siret or None,
        "categories": [c.slug for c in association.categories.all()],
        "places": [place_dict(p) for p in association.places.all()],
        "phone": association.phone,
        "email": association.email,
        "website": association.website,
        "fees": association.fees or None,
        "fees_details": association.fees_details,
        "reception": association.reception or None,
        "volunteers_sought": association.volunteers_sought,
        "last_verified_at": association.last_verified_at,
        "updated_at": association.updated_at,
    }


def _dumps(value):
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)


def iter_json_array(items):
    """A JSON array written item by item: '[', items separated by ',\\n', ']'."""
    yield "["
    first = True
    for item in items:
        yield ("\n" if first else ",\n") + _dumps(item)
        first = False
    yield "\n]\n"


def iter_json(queryset=None):
    queryset = published_listings() if queryset is None else queryset
    return iter_json_array(association_dict(a) for a in queryset.iterator(chunk_size=CHUNK_SIZE))


# data·inclusion -------------------------------------------------------------------------------


def e164(phone):
    """A French number in E.164 ('04 78 00 00 00' → '+33478000000'); others as written, or None."""
    digits = re.sub(r"[^\d+]", "", phone or "")
    if re.fullmatch(r"0[1-9]\d{8}", digits):
        return "+33" + digits[1:]
    if re.fullmatch(r"\+\d{8,15}", digits):
        return digits
    if re.fullmatch(r"0033[1-9]\d{8}", digits):
        return "+" + digits[2:]
    return (phone or "").strip() or None


def thematiques_for(categories):
    """data·inclusion thématiques of categories and of their parents, deduplicated, in order."""
    snapshot = reference.get()
    seen = {}
    for category in categories:
        chain = [category]
        parent = snapshot.categories_by_id.get(category.parent_id) if category.parent_id else None
        if parent is not None:
            chain.append(parent)
        for item in chain:
            for thematique in item.datainclusion_thematiques or []:
                seen.setdefault(thematique, None)
    return list(seen)


def datainclusion_structure(association):
    """One structure of the data·inclusion schema (v1 field names; see the /donnees/ page)."""
    places = list(association.places.all())
    main = places[0] if places else None
    return {
        "source": DATAINCLUSION_SOURCE,
        "id": str(association.pk),
        "siret": association.siret or None,
        "rna": association.rna or None,
        "nom": association.name,
        "description": association.description or association.short_description or None,
        "date_maj": association.updated_at.date().isoformat(),
        "commune": main.area.parent.name
        if main and main.area.parent_id
        else (main.area.name if main else None),
        "code_postal": main.postcode if main else None,
        "code_insee": (_insee(main) or None) if main else None,
        "adresse": main.address if main else None,
        "complement_adresse": (main.name or None) if main else None,
        "longitude": main.lon if main else None,
        "latitude": main.lat if main else None,
        "telephone": e164(association.phone),
        "courriel": association.email or None,
        "site_web": association.website or None,
        "lien_source": site_url(association.get_absolute_url()),
        "horaires_accueil": (opening_hours_osm(main.hours) or None) if main else None,
        "accessibilite_lieu": None,
        "reseaux_porteurs": [],
        "labels_nationaux": [],
        "thematiques": thematiques_for(association.categories.all()),
    }


def iter_datainclusion(queryset=None):
    queryset = published_listings() if queryset is None else queryset
    return iter_json_array(datainclusion_structure(a) for a in queryset.iterator(chunk_size=CHUNK_SIZE))
