"""Our vocabularies ↔ data·inclusion schema v1: audiences ↔ publics, needs ↔ thématiques, weekly
hours ↔ OpenStreetMap `opening_hours`.

The service's own enumerations (type, fees, reception modes, mobilisation) are already the v1 codes
(`directory/models/offers.py`); only our taxonomy (needs, audiences) and our structured hours need
a mapping. Both directions live here so that an export read back by the import gives the same
values.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError

from directory import hours as hours_lib
from directory import reference
from directory.models import Association, Category, Service

# Audiences (directory/data/audiences.csv) → v1 publics. "tout-public" exports "tous-publics",
# which the schema allows alone only.
AUDIENCE_TO_PUBLIC = {
    "tout-public": "tous-publics",
    "enfants": "familles",
    "jeunes": "jeunes",
    "etudiants": "etudiants",
    "familles": "familles",
    "parents": "familles",
    "femmes": "femmes",
    "seniors": "seniors",
    "personnes-handicapees": "personnes-en-situation-de-handicap",
    "migrants-refugies": "personnes-exilees",
    "demandeurs-emploi": "demandeurs-emploi",
    "sans-abri": "personnes-en-situation-durgence",
}
TOUS_PUBLICS = "tous-publics"

# v1 publics → our audiences, for the import. Publics without a counterpart are kept in words
# in the service's `audiences_details` (PUBLIC_LABELS).
PUBLIC_TO_AUDIENCE = {
    "tous-publics": "tout-public",
    "jeunes": "jeunes",
    "etudiants": "etudiants",
    "familles": "familles",
    "femmes": "femmes",
    "seniors": "seniors",
    "personnes-en-situation-de-handicap": "personnes-handicapees",
    "personnes-exilees": "migrants-refugies",
    "demandeurs-emploi": "demandeurs-emploi",
    "personnes-en-situation-durgence": "sans-abri",
}
PUBLIC_LABELS = {
    "actifs": "Actifs",
    "beneficiaires-des-minimas-sociaux": "Bénéficiaires des minimas sociaux",
    "personnes-en-situation-juridique-specifique": "Personnes en situation juridique spécifique",
    "residents-qpv-frr": "Résidents en QPV ou FRR",
}


def publics_for(audiences: Iterable[str]) -> list[str] | None:
    """v1 publics of our audience slugs: sorted, deduplicated; "tous-publics" alone; None if none."""
    publics = {AUDIENCE_TO_PUBLIC[slug] for slug in audiences if slug in AUDIENCE_TO_PUBLIC}
    if TOUS_PUBLICS in publics:
        return [TOUS_PUBLICS]
    return sorted(publics) or None


def audiences_for(publics: Iterable[str]) -> tuple[list[str], list[str]]:
    """Our audience slugs of v1 publics, and the labels of the publics we have no audience for."""
    audiences: list[str] = []
    others: list[str] = []
    for public in publics:
        if public in PUBLIC_TO_AUDIENCE:
            if PUBLIC_TO_AUDIENCE[public] not in audiences:
                audiences.append(PUBLIC_TO_AUDIENCE[public])
        elif public in PUBLIC_LABELS:
            others.append(PUBLIC_LABELS[public])
    return audiences, others


# Needs ↔ thématiques ---------------------------------------------------------------------------


def thematiques_for(categories: Iterable[Category]) -> list[str]:
    """v1 thématiques of our needs, in order, deduplicated. A sub-need says what it does; a
    top-level need (tagged alone) says it broadly, through the thématiques of its own row."""
    seen: dict[str, None] = {}
    for category in categories:
        for thematique in category.datainclusion_thematiques or []:
            seen.setdefault(thematique, None)
    return list(seen)


def thematiques_of_slugs(slugs: Iterable[str]) -> list[str]:
    snap = reference.get()
    return thematiques_for(snap.categories[s] for s in slugs if s in snap.categories)


def _specificity(category: Category) -> tuple[int, int]:
    # Sub-needs first (they say more), then the reference order.
    return (0 if category.parent_id else 1, category.position)


def categories_for(thematiques: Iterable[str]) -> list[str]:
    """Our need slugs for v1 thématiques, for the import: for each thématique the most specific
    need that maps it exactly, else the top-level need of its family ("sante--…" → the need
    mapping a thématique of "sante"); deduplicated, in the order of the thématiques."""
    snap = reference.get()
    ordered = sorted(snap.categories.values(), key=_specificity)
    found: list[str] = []
    for thematique in thematiques:
        match = next((c for c in ordered if thematique in (c.datainclusion_thematiques or [])), None)
        if match is None:
            family = thematique.split("--", 1)[0] + "--"
            match = next(
                (
                    c
                    for c in ordered
                    if c.parent_id is None
                    and any(t.startswith(family) for t in c.datainclusion_thematiques or [])
                ),
                None,
            )
        if match is not None and match.slug not in found:
            found.append(match.slug)
    return found


# Hours ↔ OpenStreetMap opening_hours --------------------------------------------------------------

OSM_DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]


def day_groups(
    hours: dict[str, list[list[str]]] | None,
) -> list[tuple[int, int, tuple[tuple[str, ...], ...]]]:
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


def opening_hours_osm(hours: dict[str, list[list[str]]] | None) -> str:
    """Structured hours → OpenStreetMap `opening_hours`: 'Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-12:00'.

    Consecutive days with the same ranges are grouped; closed days are left out. Empty hours give ''.
    """
    rules = []
    for start, end, ranges in day_groups(hours):
        if start == end:
            span = OSM_DAYS[start]
        elif end - start == 1:
            span = f"{OSM_DAYS[start]},{OSM_DAYS[end]}"
        else:
            span = f"{OSM_DAYS[start]}-{OSM_DAYS[end]}"
        rules.append(span + " " + ",".join(f"{opens}-{closes}" for opens, closes in ranges))
    return "; ".join(rules)


_DAY_SPEC = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?"
_RULE_RE = re.compile(
    rf"^(?P<days>{_DAY_SPEC}(?:,{_DAY_SPEC})*)\s+(?P<times>\d\d:\d\d-\d\d:\d\d(?:,\d\d:\d\d-\d\d:\d\d)*|off)$"
)
# Our places close on public holidays by default; school holidays are the place's rule, not the
# week's: the weekly hours are read without them.
_IGNORED_RULES = {"PH off", "PH closed", "SH off", "SH closed"}


def parse_opening_hours(text: str | None) -> dict[str, list[list[str]]] | None:
    """The weekly subset of OpenStreetMap `opening_hours` → our hours; None when the text says more
    than a week (months, weeks, "PH" hours, comments): the import keeps such text as a note."""
    hours: dict[str, list[list[str]]] = {}
    for rule in (r.strip() for r in (text or "").split(";")):
        if not rule or rule in _IGNORED_RULES:
            continue
        match = _RULE_RE.match(rule)
        if match is None:
            return None
        days: list[int] = []
        for spec in match["days"].split(","):
            first, _, last = spec.partition("-")
            start, end = OSM_DAYS.index(first), OSM_DAYS.index(last or first)
            if end < start:  # "Sa-Mo" wraps round the week
                days += [*range(start, 7), *range(0, end + 1)]
            else:
                days += list(range(start, end + 1))
        ranges = [] if match["times"] == "off" else [t.split("-") for t in match["times"].split(",")]
        for day in days:
            if ranges:
                hours[str(day)] = sorted([*hours.get(str(day), []), *ranges])
            else:
                hours.pop(str(day), None)
    try:
        hours_lib.validate_hours(hours)  # "25:00", a range closing before it opens, overlaps
    except ValidationError:
        return None
    return hours


def known(values: Sequence[str] | None, allowed: Iterable[str]) -> list[str]:
    """The values of a v1 enumeration we know, in order, deduplicated."""
    allowed = set(allowed)
    out: list[str] = []
    for value in values or []:
        if value in allowed and value not in out:
            out.append(value)
    return out


# Where an imported listing or service came from ---------------------------------------------------

# The producers data·inclusion gathers, as their users know them; another code shows as written.
PRODUCERS = {
    "dora": "DORA",
    "soliguide": "Soliguide",
    "france-travail": "France Travail",
    "emplois-de-linclusion": "les emplois de l'inclusion",
    "mediation-numerique": "la Médiation numérique",
    "action-logement": "Action Logement",
    "agefiph": "Agefiph",
    "mission-locale": "les Missions locales",
    "monenfant": "monenfant.fr",
    "reseau-alpha": "Réseau Alpha",
    "fredo": "FREDO",
    "1jeune1solution": "1jeune1solution",
    "mes-aides": "Mes Aides",
    "carif-oref": "Carif-Oref",
    "ma-boussole-aidants": "Ma Boussole Aidants",
    "cd35": "le Département d'Ille-et-Vilaine",
}
# data·inclusion publishes its data under the Licence Ouverte 2.0 (Etalab).
LICENCE_NAME = "Licence Ouverte 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


@dataclass(frozen=True)
class SourceNote:
    producer: str  # as people know it: "DORA"
    url: str  # the row's page at the producer's, or ""
    updated_on: date | None
    licence: str = LICENCE_NAME
    licence_url: str = LICENCE_URL


def source_note(item: object) -> SourceNote | None:
    """Where an imported listing (source "datainclusion") or service (a source of its own) comes
    from; None for what was written on the site."""
    if isinstance(item, Association):
        if item.source != Association.Source.DATAINCLUSION:
            return None
        producer, url, updated_on = item.source_producer, item.source_url, item.source_updated_at
    elif isinstance(item, Service):
        if not item.source:
            return None
        producer, url, updated_on = item.source, item.source_url, item.source_updated_at
    else:
        return None
    return SourceNote(PRODUCERS.get(producer, producer), url, updated_on)
