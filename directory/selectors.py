"""Reads shared by several pages: counts and lists for the home and landing pages."""

from django.db.models import Count
from django.db.models.functions import Coalesce

from directory.models import Area, Association, Category


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


def top_categories_with_counts():
    counts = top_category_counts()
    categories = list(Category.objects.top_level())
    for category in categories:
        category.count = counts.get(category.pk, 0)
    return categories


def areas_for_home():
    """Lyon's arrondissements and the other communes, in display order (1 query)."""
    areas = list(Area.objects.top_level().select_related("parent").order_by("insee"))
    arrondissements = [a for a in areas if a.kind == Area.Kind.ARRONDISSEMENT]
    communes = sorted(
        (a for a in areas if a.kind == Area.Kind.COMMUNE and a.insee != "69123"),
        key=lambda a: a.name,
    )
    return arrondissements, communes
