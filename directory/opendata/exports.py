"""Open-data exports of the published listings: CSV, JSON, and data·inclusion v1 structures and services.

Each export is a generator of text chunks so that views can stream it: rows are read with
`.iterator(chunk_size=CHUNK_SIZE)`, which (Django ≥ 4.1) runs the `for_listing()` prefetches
once per chunk. The number of queries therefore grows with the number of chunks, never with
the number of rows: 1 query for the rows plus 1 per prefetch, per chunk of CHUNK_SIZE.
"""

import csv
import json
import re

import email_validator
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.utils import timezone

from directory.models import Association, Place, Service
from directory.offers import datainclusion
from directory.offers.datainclusion import day_groups as day_groups  # read by listings/printing.py
from directory.offers.datainclusion import opening_hours_osm

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
#
# Both files follow the data·inclusion schema v1 to the letter: its field names only, every field
# present (null when unknown), each value within the schema's rules, warnings included (a name
# ending with a dot). tests/test_datainclusion_export.py validates every row with the official
# package. The decisions the schema leaves to the producer:
# - ids are "lyon-assos--<id>", the producer and its own id, as the schema describes them;
# - a service paused today is left out until it resumes (v1 has no status: listed, it would send
#   people to a closed door);
# - a published listing without services has one service derived from the listing's own fields
#   (needs, audiences, fees, reception, its main place and hours), id "lyon-assos--fiche-<id>",
#   when its needs map to at least one thématique: that is what data·inclusion's users search;
#   a listing whose needs map to none (a football club) is a structure without services.

DATAINCLUSION_SOURCE = "lyon-assos"
DERIVED_SERVICE_PREFIX = "fiche-"
_CODE_POSTAL = re.compile(r"\d{5}")
_CODE_ZONE = re.compile(r"\w{2,3}|\w{5}|\d{9}|99[0-5]\d{2}|france")
_TOO_LONG = 150


def datainclusion_id(pk, prefix=""):
    return f"{DATAINCLUSION_SOURCE}--{prefix}{pk}"


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


def datainclusion_name(name):
    """A name as v1 wants it: 3 to 150 characters, not ending with a dot (but "etc.")."""
    name = " ".join((name or "").split())
    if len(name) > _TOO_LONG:
        name = name[: _TOO_LONG - 1].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"
    while name.endswith(".") and not name.endswith("etc."):
        name = name[:-1].rstrip()
    return name if len(name) >= 3 else f"Association {name}".strip()


def _email(value):
    """An address v1 accepts (RFC 5322, no reserved domain), else None."""
    if not value:
        return None
    try:
        email_validator.validate_email(value, check_deliverability=False)
    except email_validator.EmailNotValidError:
        return None
    return value


def _text(value, minimum=5):
    value = (value or "").strip()[:10000]
    return value if len(value) >= minimum else None


def _web(value):
    """An http(s) address, else None (a value written before the forms checked it)."""
    value = (value or "").strip()
    return value if re.fullmatch(r"https?://[^\s/$.?#][^\s]*", value) else None


def _siret(value):
    return value if re.fullmatch(r"\d{14}", value or "") else None


def _place_fields(place):
    """The address fields of a structure or a service, from one of our places (or None)."""
    if place is None:
        return {
            "commune": None,
            "code_postal": None,
            "code_insee": None,
            "adresse": None,
            "complement_adresse": None,
            "longitude": None,
            "latitude": None,
        }
    area = place.area
    return {
        "commune": area.parent.name if area.parent_id else area.name,
        "code_postal": place.postcode if _CODE_POSTAL.fullmatch(place.postcode or "") else None,
        "code_insee": area.insee or None,
        "adresse": place.address or None,
        "complement_adresse": place.name or None,
        "longitude": place.lon,
        "latitude": place.lat,
    }


def _horaires(hours, place):
    """OSM opening_hours of these weekly hours, closed on public holidays and in the school
    holidays when the place is ("SH off"; other school-holiday hours are not said)."""
    text = opening_hours_osm(hours)
    if text and place is not None and place.school_holidays == place.SchoolHolidays.CLOSED:
        text += "; SH off"
    if text and place is not None and place.public_holidays == place.PublicHolidays.CLOSED:
        text += "; PH off"
    return text or None


def datainclusion_structure(association):
    """One structure of the data·inclusion schema v1."""
    places = list(association.places.all())
    main = places[0] if places else None
    return {
        "source": DATAINCLUSION_SOURCE,
        "id": datainclusion_id(association.pk),
        "nom": datainclusion_name(association.name),
        "date_maj": association.updated_at.date().isoformat(),
        "description": _text(association.description) or _text(association.short_description),
        "lien_source": site_url(association.get_absolute_url()),
        "siret": _siret(association.siret),
        **_place_fields(main),
        "telephone": e164(association.phone),
        "courriel": _email(association.email),
        "site_web": _web(association.website),
        "horaires_accueil": _horaires(main.hours, main) if main else None,
        "accessibilite_lieu": None,
        "reseaux_porteurs": None,
    }


def iter_datainclusion(queryset=None):
    queryset = published_listings() if queryset is None else queryset
    return iter_json_array(datainclusion_structure(a) for a in queryset.iterator(chunk_size=CHUNK_SIZE))


# Services --------------------------------------------------------------------------------------

_FEES = {
    Association.Fees.FREE: Service.Fees.FREE,
    Association.Fees.MEMBERSHIP: Service.Fees.PAID,
    Association.Fees.PAID: Service.Fees.PAID,
}


def listings_with_services():
    """Published listings with what their services' rows read: categories, places, audiences,
    and the services with their places (5 prefetches a chunk)."""
    return published_listings().prefetch_related(
        "audiences",
        Prefetch(
            "services",
            queryset=Service.objects.order_by("position", "pk").prefetch_related(
                Prefetch("places", queryset=Place.objects.only("pk"))
            ),
        ),
    )


def _mobilisation(reception, phone, email):
    """How to get a service with no mobilisation of its own, from the reception and the contact."""
    modes = []
    if reception in (Association.Reception.WALK_IN, Association.Reception.BOTH):
        modes.append(Service.Mobilisation.COME.value)
    if reception in (Association.Reception.APPOINTMENT, Association.Reception.BOTH):
        if phone:
            modes.append(Service.Mobilisation.PHONE.value)
        if email:
            modes.append(Service.Mobilisation.EMAIL.value)
    return sorted(modes) or None


def _zone(codes):
    return [c for c in codes or [] if isinstance(c, str) and _CODE_ZONE.fullmatch(c)] or None


def datainclusion_service(association, service, places_by_pk):
    """One service of the data·inclusion schema v1 (`places_by_pk`: the listing's places)."""
    own = [places_by_pk[p.pk] for p in service.places.all() if p.pk in places_by_pk]
    modes = sorted(set(service.modes or []))
    in_person = Service.Mode.IN_PERSON in modes or (not modes and not service.at_home)
    place = (own[0] if own else next(iter(places_by_pk.values()), None)) if in_person else None
    description = _text(service.description) or (
        f"{service.name} : un service de {association.name}."
        if not association.short_description
        else f"{service.name} : {association.short_description}"
    )
    if service.at_home:
        description += "\n\nCe service se rend au domicile des personnes."
    conditions = [service.access_conditions.strip()]
    if service.documents.strip():
        conditions.append(f"Documents à apporter : {service.documents.strip()}")
    phone = e164(service.phone or association.phone)
    email = _email(service.email or association.email)
    return {
        "source": DATAINCLUSION_SOURCE,
        "structure_id": datainclusion_id(association.pk),
        "id": datainclusion_id(service.pk),
        "nom": datainclusion_name(service.name),
        "description": description[:10000],
        "lien_source": site_url(association.get_absolute_url()) + f"#service-{service.pk}",
        "date_maj": max(service.updated_at, association.updated_at).date().isoformat(),
        "type": service.kind or None,
        "thematiques": datainclusion.thematiques_of_slugs(service.categories) or None,
        "frais": service.fees or None,
        "frais_precisions": service.fees_details or None,
        "publics": datainclusion.publics_for(service.audiences),
        "publics_precisions": service.audiences_details or None,
        "conditions_acces": "\n\n".join(c for c in conditions if c) or None,
        **_place_fields(place),
        "telephone": phone,
        "courriel": email,
        "modes_accueil": modes or None,
        "zone_eligibilite": _zone(service.eligibility),
        "contact_nom_prenom": service.contact_name or None,
        "lien_mobilisation": _web(service.booking_url),
        "modes_mobilisation": sorted(set(service.mobilisation or []))
        or _mobilisation(service.reception, phone, email),
        "mobilisable_par": sorted(set(service.mobilisable_by or [])) or None,
        "mobilisation_precisions": service.mobilisation_details or None,
        "volume_horaire_hebdomadaire": None,
        "nombre_semaines": None,
        "horaires_accueil": _horaires(service.hours or (place.hours if place else {}), place),
    }


def derived_service(association, places):
    """The one service a listing without services offers, from its own fields; None when its needs
    map to no thématique."""
    categories = sorted(association.categories.all(), key=lambda c: (c.parent_id is None, c.position))
    mapped = [c for c in categories if c.datainclusion_thematiques]
    if not mapped:
        return None
    main = places[0] if places else None
    name = ", ".join(c.name for c in mapped[:3])
    description = (
        _text(association.description)
        or _text(association.short_description)
        or f"{name} : un service de {association.name}."
    )
    fees_details = association.fees_details or (
        "Adhésion à l'association" if association.fees == Association.Fees.MEMBERSHIP else ""
    )
    return {
        "source": DATAINCLUSION_SOURCE,
        "structure_id": datainclusion_id(association.pk),
        "id": datainclusion_id(association.pk, DERIVED_SERVICE_PREFIX),
        "nom": datainclusion_name(name),
        "description": description[:10000],
        "lien_source": site_url(association.get_absolute_url()),
        "date_maj": association.updated_at.date().isoformat(),
        "type": None,
        "thematiques": datainclusion.thematiques_for(mapped),
        "frais": _FEES.get(association.fees),
        "frais_precisions": fees_details or None,
        "publics": datainclusion.publics_for(a.slug for a in association.audiences.all()),
        "publics_precisions": None,
        "conditions_acces": None,
        **_place_fields(main),
        "telephone": e164(association.phone),
        "courriel": _email(association.email),
        "modes_accueil": [Service.Mode.IN_PERSON.value] if main else None,
        "zone_eligibilite": None,
        "contact_nom_prenom": None,
        "lien_mobilisation": None,
        "modes_mobilisation": _mobilisation(
            association.reception, e164(association.phone), _email(association.email)
        ),
        "mobilisable_par": None,
        "mobilisation_precisions": None,
        "volume_horaire_hebdomadaire": None,
        "nombre_semaines": None,
        "horaires_accueil": _horaires(main.hours, main) if main else None,
    }


def datainclusion_services(association, today):
    """The v1 services of one published listing: its services running today, or the one derived
    from the listing when it has none."""
    places = list(association.places.all())
    services = list(association.services.all())
    if not services:
        derived = derived_service(association, places)
        return [derived] if derived else []
    places_by_pk = {p.pk: p for p in places}
    return [datainclusion_service(association, s, places_by_pk) for s in services if s.is_running(today)]


def iter_datainclusion_services(queryset=None):
    queryset = listings_with_services() if queryset is None else queryset
    today = timezone.localdate()
    return iter_json_array(
        row
        for association in queryset.iterator(chunk_size=CHUNK_SIZE)
        for row in datainclusion_services(association, today)
    )
