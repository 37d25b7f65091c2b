"""Search structures that are not columns of Association (see directory/search/)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchTerm(models.Model):
    """A word of the indexed listings (normalised, accent-free): the candidates for typo tolerance.

    Maintained by directory.search.index(); rebuilt whole by `rebuild_search_index`.
    """

    term = models.CharField(max_length=40, unique=True)

    class Meta:
        verbose_name = _("mot indexé")
        verbose_name_plural = _("mots indexés")

    def __str__(self):
        return self.term


class SearchFacet(models.Model):
    """One facet value of a listing, for the counts beside the results (directory/facets.py).

    A narrow row per (listing, top-level need) and per (listing, commune), plus per (listing,
    arrondissement) inside Lyon, so that counting the facets of a search reads a few small rows
    per match instead of joining the wide listing table to its categories and places.
    Maintained by directory.search.index().
    """

    class Kind(models.TextChoices):
        NEED = "c", "need"
        COMMUNE = "a", "commune"
        ARRONDISSEMENT = "r", "arrondissement"

    association = models.ForeignKey("directory.Association", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=1, choices=Kind.choices)
    value = models.IntegerField()

    class Meta:
        verbose_name = _("facette indexée")
        verbose_name_plural = _("facettes indexées")
        constraints = [
            models.UniqueConstraint(fields=["association", "kind", "value"], name="unique_search_facet"),
        ]

    def __str__(self):
        return f"{self.association_id}:{self.kind}{self.value}"
