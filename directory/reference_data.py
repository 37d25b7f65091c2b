"""Loads the reference data shipped in directory/data/ (areas, categories, audiences, languages).

Called by data migrations and by `manage.py load_reference_data`. Every loader is an idempotent
upsert keyed by slug (or code), so running it again after editing a CSV updates the rows in
place and never deletes anything that listings may point to. Loaders take the model classes
as arguments so that migrations can pass their historical models.
"""

import csv
from pathlib import Path

from django.utils.text import slugify

DATA_DIR = Path(__file__).resolve().parent / "data"
LYON_INSEE = "69123"


def read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _upsert(model, key, values):
    # Columns added by later migrations (the English names) are skipped for the historical
    # models of earlier ones: 0002 loads French names, 0015 the English ones.
    fields = {f.name for f in model._meta.get_fields()}
    values = {name: value for name, value in values.items() if name in fields}
    obj, _created = model.objects.update_or_create(**key, defaults=values)
    return obj


def area_slug(row):
    if row["kind"] == "arrondissement":
        number = int(row["insee"]) - 69380
        return f"lyon-{number}"
    return slugify(row["name"])


def load_areas(Area):
    """58 communes (Lyon parent of its 9 arrondissements), then the quartiers."""
    rows = read_csv("communes.csv")
    by_insee = {}
    for row in sorted(rows, key=lambda r: r["kind"] != "commune"):
        parent = by_insee.get(LYON_INSEE) if row["kind"] == "arrondissement" else None
        by_insee[row["insee"]] = _upsert(
            Area,
            {"slug": area_slug(row)},
            {
                "name": row["name"],
                "name_en": row.get("name_en", ""),
                "kind": row["kind"],
                "insee": row["insee"],
                "postcodes": ",".join(row["postcodes"].split("|")),
                "lat": float(row["lat"]),
                "lon": float(row["lon"]),
                "parent": parent,
                "official": False,
            },
        )
    quartier_rows = read_csv("quartiers.csv")
    names = {}
    for row in quartier_rows:
        names.setdefault(slugify(row["name"]), []).append(row)
    for row in quartier_rows:
        parent = by_insee[row["parent_insee"]]
        slug = slugify(row["name"])
        if len(names[slug]) > 1:
            # The same usual name in two arrondissements: one area per arrondissement.
            slug = f"{slug}-{parent.slug}"
        _upsert(
            Area,
            {"slug": slug},
            {
                "name": row["name"],
                "kind": "quartier",
                "insee": "",
                "postcodes": parent.postcodes if parent.kind == "arrondissement" else "",
                "lat": float(row["lat"]) if row["lat"] else parent.lat,
                "lon": float(row["lon"]) if row["lon"] else parent.lon,
                "parent": parent,
                "official": row["kind"] == "conseil_de_quartier",
                "official_name": row.get("official_name", ""),
            },
        )


def _split(value):
    return [item.strip() for item in (value or "").split("|") if item.strip()]


def load_categories(Category):
    rows = read_csv("categories.csv")
    by_slug = {}
    for position, row in enumerate(sorted(rows, key=lambda r: bool(r["parent"]))):
        by_slug[row["slug"]] = _upsert(
            Category,
            {"slug": row["slug"]},
            {
                "name": row["name"],
                "name_en": row["name_en"],
                "parent": by_slug.get(row["parent"]) if row["parent"] else None,
                "description": row["description"],
                "description_en": row["description_en"],
                "synonyms": "\n".join(_split(row["synonyms"])),
                "synonyms_en": "\n".join(_split(row["synonyms_en"])),
                "datainclusion_thematiques": _split(row["datainclusion"]),
                "rna_codes": _split(row["rna_codes"]),
                "position": position,
            },
        )


def load_audiences(Audience):
    for position, row in enumerate(read_csv("audiences.csv")):
        _upsert(
            Audience,
            {"slug": row["slug"]},
            {"name": row["name"], "name_en": row["name_en"], "position": position},
        )


def load_languages(Language):
    for position, row in enumerate(read_csv("languages.csv")):
        _upsert(
            Language,
            {"code": row["code"]},
            {
                "name": row["name"],
                "name_en": row["name_en"],
                "native_name": row["native_name"],
                "position": position,
            },
        )


def load_english(*, Area, Category, Audience, Language):
    """Fills the English columns only (`*_en`), leaving the French ones as moderators left them.

    For migration 0015, on databases that already hold the reference rows; rows a CSV does
    not list are left alone.
    """
    for row in read_csv("communes.csv"):
        if row["name_en"]:
            Area.objects.filter(slug=area_slug(row)).update(name_en=row["name_en"])
    for row in read_csv("categories.csv"):
        Category.objects.filter(slug=row["slug"]).update(
            name_en=row["name_en"],
            description_en=row["description_en"],
            synonyms_en="\n".join(_split(row["synonyms_en"])),
        )
    for row in read_csv("audiences.csv"):
        Audience.objects.filter(slug=row["slug"]).update(name_en=row["name_en"])
    for row in read_csv("languages.csv"):
        Language.objects.filter(code=row["code"]).update(name_en=row["name_en"])


def load_all(*, Area, Category, Audience, Language):
    load_areas(Area)
    load_categories(Category)
    load_audiences(Audience)
    load_languages(Language)
