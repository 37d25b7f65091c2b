"""From an RNA row to the values of a listing: scope (Métropole), area, address, categories, texts.

Only the siège (`adrs_*`) columns and the public description are read. `adrg_declarant`,
`dir_civilite`, every `adrg_*` column and the 2018 `telephone` and `email` are never read.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, overload

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from directory.reference_data import read_csv
from directory.text import normalize
from directory.validators import validate_siret

from .columns import REQUIRED_COLUMNS
from .names import has_lowercase, prettify

if TYPE_CHECKING:
    from directory.models import Area, Category

    from .parser import Row

# Bump when the mapping changes: every listing is then compared field by field again.
MAPPING_VERSION = "1"

LYON_INSEE = "69123"
# Postcodes shared by a commune of the Métropole and a commune outside it: never enough alone.
SHARED_POSTCODES = frozenset(["69280", "69290", "69330", "69360", "69380", "69390", "69700", "69780"])
NO_CODE = "000000"

STREET_TYPES = {
    "ALL": "allée",
    "AV": "avenue",
    "BD": "boulevard",
    "CAR": "carrefour",
    "CHE": "chemin",
    "CHEM": "chemin",
    "CHS": "chaussée",
    "CITE": "cité",
    "CLOS": "clos",
    "COR": "corniche",
    "CRS": "cours",
    "DOM": "domaine",
    "ESP": "esplanade",
    "FBG": "faubourg",
    "GR": "grande rue",
    "HAM": "hameau",
    "IMP": "impasse",
    "LD": "lieu-dit",
    "LOT": "lotissement",
    "MAIL": "mail",
    "MTE": "montée",
    "PARC": "parc",
    "PAS": "passage",
    "PASS": "passage",
    "PL": "place",
    "PLN": "plaine",
    "PONT": "pont",
    "PRO": "promenade",
    "PROM": "promenade",
    "PRV": "parvis",
    "QUA": "quartier",
    "QUAI": "quai",
    "RES": "résidence",
    "RLE": "ruelle",
    "ROC": "rocade",
    "RPT": "rond-point",
    "RTE": "route",
    "RUE": "rue",
    "SEN": "sente",
    "SQ": "square",
    "TPL": "terre-plein",
    "TRA": "traverse",
    "VLA": "villa",
    "VLGE": "village",
    "VOIE": "voie",
}
REPETITIONS = {"B": "bis", "T": "ter", "Q": "quater", "C": "quinquies"}
# A siège "complement" naming a person (c/o) is personal data: dropped.
PERSON_COMPLEMENT_RE = re.compile(r"^\s*(CHEZ|C/O|CO |M\.|MR|MME|MLLE|MONSIEUR|MADAME)\b", re.IGNORECASE)
POSTAL_ONLY_RE = re.compile(r"^\s*(BP|CS|TSA|CEDEX)\b", re.IGNORECASE)
SENTENCE_RE = re.compile(r"^(.+?[.!?])(?:\s|$)", re.DOTALL)
_url_validator = URLValidator(schemes=["http", "https"])


@dataclass
class Record:
    """What the RNA says about one association, in our fields."""

    line: int
    rna: str
    active: bool
    status: str  # published or draft for an active association
    area: Area  # commune or arrondissement
    values: dict[str, Any] = field(default_factory=dict)  # tracked field → value (JSON-ready)
    category_ids: list[int] = field(default_factory=list)
    maj_time: datetime.datetime | None = None


class Context:
    """The reference rows the mapping needs, loaded once per import."""

    def __init__(self, *, areas: Iterable[Area], categories: Iterable[Category]) -> None:
        self.areas_by_insee = {a.insee: a for a in areas if a.insee}
        self.aliases: dict[str, str] = {}
        for row in read_csv("insee_aliases.csv"):
            if row["current_insee"].isdigit() and row["old_insee"] != row["current_insee"]:
                self.aliases[row["old_insee"]] = row["current_insee"]
        # Postcode → the areas that carry it; Lyon's postcodes point at the arrondissement.
        self.areas_by_postcode: dict[str, list[Area]] = {}
        for area in areas:
            if area.insee == LYON_INSEE:
                continue
            for postcode in area.postcode_list:
                self.areas_by_postcode.setdefault(postcode, []).append(area)
        self.categories_by_code: dict[str, list[int]] = {}
        self.category_slugs: dict[int, str] = {}
        for category in categories:
            self.category_slugs[category.pk] = category.slug
            for code in category.rna_codes or []:
                self.categories_by_code.setdefault(code, []).append(category.pk)

    # Scope ---------------------------------------------------------------------------------

    def resolve_area(self, insee: str | None, postcode: str | None, commune: str | None) -> Area | None:
        """The commune or arrondissement of the siège, or None when outside the Métropole."""
        insee = (insee or "").strip().upper()
        postcode = (postcode or "").strip()
        insee = self.aliases.get(insee, insee)
        if re.fullmatch(r"\d[\dAB]\d{3}", insee):
            area = self.areas_by_insee.get(insee)
            if area is not None and insee == LYON_INSEE:
                # Lyon as a whole: the postcode names the arrondissement when it is a Lyon one.
                candidates = self.areas_by_postcode.get(postcode, [])
                if len(candidates) == 1 and candidates[0].parent_id == area.pk:
                    return candidates[0]
            return area
        candidates = self.areas_by_postcode.get(postcode, [])
        if not candidates:
            return None
        if len(candidates) == 1 and postcode not in SHARED_POSTCODES:
            return candidates[0]
        wanted = _commune_key(commune)
        for area in candidates:
            if _commune_key(area.name) == wanted:
                return area
        return None

    def category_ids(self, *codes: str | None) -> list[int]:
        ids: list[int] = []
        for code in codes:
            code = (code or "").strip()
            if not code or code == NO_CODE or not code.isdigit():
                continue
            found = self.categories_by_code.get(code)
            if found is None:
                found = self.categories_by_code.get(code[:3] + "000", [])
            for pk in found:
                if pk not in ids:
                    ids.append(pk)
        return ids

    # Mapping -------------------------------------------------------------------------------

    def scope(self, row: Row) -> Area | None:
        """The area of the row's siège, or None when outside the Métropole (cheap: no mapping)."""
        data = row.data
        return self.resolve_area(data["adrs_codeinsee"], data["adrs_codepostal"], data["adrs_libcommune"])

    @overload
    def map_row(self, row: Row, area: Area) -> Record: ...
    @overload
    def map_row(self, row: Row, area: None = None) -> Record | None: ...
    def map_row(self, row: Row, area: Area | None = None) -> Record | None:
        """A Record, or None when the association is outside the Métropole."""
        data = row.data
        area = area or self.scope(row)
        if area is None:
            return None
        position = data["position"].strip().upper()
        active = position not in ("D", "S")
        status = "published" if data["publiweb"].strip() != "0" else "draft"
        short_title = data["titre_court"].strip()
        name = prettify(data["titre"] or short_title, short_title=short_title)[:200].strip()
        objet = _clean_text(data["objet"])
        description = prettify(objet) if objet and not has_lowercase(objet) else objet
        postcode = data["adrs_codepostal"].strip()
        if not re.fullmatch(r"\d{5}", postcode):
            postcode = (area.postcode_list or [""])[0]
        category_ids = self.category_ids(data["objet_social1"], data["objet_social2"])
        values = {
            "name": name,
            "short_description": short_description(description),
            "description": description,
            "website": website(data["siteweb"]),
            "siret": siret(data["siret"]),
            "categories": sorted(self.category_slugs[pk] for pk in category_ids),
            "address": address(data),
            "postcode": postcode,
            "area": area.insee,
            "status": status,
        }
        return Record(
            line=row.line,
            rna=data["id"],
            active=active,
            status=status,
            area=area,
            values=values,
            category_ids=category_ids,
            maj_time=row.maj_time,
        )


def fingerprint(row: Row) -> str:
    """A digest of the columns the mapping reads: equal digests map to equal values."""
    raw = "\x1f".join([MAPPING_VERSION, *(row.data[name] for name in REQUIRED_COLUMNS)])
    return hashlib.blake2b(raw.encode(), digest_size=12).hexdigest()


def _commune_key(name: str | None) -> str:
    words = normalize(name).split()
    words = ["saint" if w == "st" else "sainte" if w == "ste" else w for w in words]
    return " ".join(words)


def _clean_text(value: str) -> str:
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    return re.sub(r"[ \t]+", " ", value)


def short_description(description: str, limit: int = 280) -> str:
    """The first sentence of the purpose, at most `limit` characters (cut at a word)."""
    text = " ".join(description.split())
    if not text:
        return ""
    match = SENTENCE_RE.match(text)
    sentence = match.group(1) if match else text
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-")
    return cut + "…"


def website(value: str) -> str:
    value = (value or "").strip()
    if not value or " " in value:
        return ""
    if value.lower().startswith("www."):
        value = "http://" + value
    if len(value) > 300:
        return ""
    try:
        _url_validator(value)
    except ValidationError:
        return ""
    return value


def siret(value: str) -> str:
    value = re.sub(r"\s", "", value or "")
    try:
        validate_siret(value)
    except ValidationError:
        return ""
    return value


def address(data: dict[str, str]) -> str:
    """'12 bis rue de la République, Maison des associations' from the adrs_* columns."""
    number = data["adrs_numvoie"].strip()
    repetition = REPETITIONS.get(data["adrs_repetition"].strip().upper(), "")
    code = data["adrs_typevoie"].strip().upper().rstrip(".")
    street_type = STREET_TYPES.get(code, code.lower())
    street = prettify(data["adrs_libvoie"], mode="title")
    parts = []
    if street:
        parts.append(" ".join(part for part in (number, repetition, street_type, street) if part))
    complement = data["adrs_complement"].strip()
    if complement and not PERSON_COMPLEMENT_RE.match(complement) and complement != "_":
        parts.append(prettify(complement))
    distrib = data["adrs_distrib"].strip()
    if distrib and distrib != "_" and not POSTAL_ONLY_RE.match(distrib):
        parts.append(prettify(distrib, mode="title"))
    return ", ".join(parts)[:250]
