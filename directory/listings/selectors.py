"""Reads shared by several pages: counts and lists for the home and landing pages."""

from django.db.models import Count
from django.db.models.functions import Coalesce

from directory import reference
from directory.models import Area, Association


def top_category_counts():
    """{top-level category id: number of published associations in it or its children}, 1 query."""
    through = Association.categories.through
    rows = (
        through.objects.filter(association__status=Association.Status.PUBLISHED)
        .annotate(top=Coalesce("category__parent_id", "category_id"))
        .values("top")
        .annotate(n=Count("association_id", distinct=True))
    )
    return {row["top"]: row["n"] for row in rows}


def top_categories_with_counts(counts=None):
    """The top-level needs (from the reference snapshot) with their counts (1 query unless the
    counts are given, e.g. from the cache: directory.cache.home_counts)."""
    if counts is None:
        counts = top_category_counts()
    categories = sorted(reference.get().top_categories(), key=lambda c: (c.position, c.name))
    return [(category, counts.get(category.pk, 0)) for category in categories]


def areas_for_home():
    """Lyon's arrondissements and the other communes, in display order (no query)."""
    areas = sorted(
        (a for a in reference.get().areas.values() if a.kind != Area.Kind.QUARTIER),
        key=lambda a: a.insee,
    )
    arrondissements = [a for a in areas if a.kind == Area.Kind.ARRONDISSEMENT]
    communes = sorted(
        (a for a in areas if a.kind == Area.Kind.COMMUNE and a.insee != "69123"),
        key=lambda a: a.name,
    )
    return arrondissements, communes


# The home page's "Près de chez vous": Lyon and the most populous other communes of the
# Métropole (INSEE legal populations 2021, largest first), by INSEE code; every other commune
# is one link away, on /territoires/.
POPULOUS_INSEE = ("69123", "69266", "69259", "69256", "69290", "69034", "69029", "69149")


def populous_areas():
    """Lyon and the most populous communes, largest first, those present (no query)."""
    by_insee = {a.insee: a for a in reference.get().areas.values() if a.kind == Area.Kind.COMMUNE}
    return [by_insee[code] for code in POPULOUS_INSEE if code in by_insee]


def children_of(parent, table):
    """Sub-categories or sub-areas of a reference row, from the snapshot (no query)."""
    rows = getattr(reference.get(), table).values()
    return sorted((row for row in rows if row.parent_id == parent.pk), key=lambda row: row.name)
