"""Search structures that are not columns of Association (see directory/search/)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .associations import ListingFilters


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
    Only published listings have rows. Maintained by directory.search.index() and sync_rows().
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


class SearchRowQuerySet(ListingFilters, models.QuerySet):
    def published(self):
        return self  # only published listings have a row


class SearchRow(models.Model):
    """One narrow row per published listing: what a search without text filters and orders on.

    The listing table is wide (texts, vectors, ≈2 KB a row): reading it for tens of thousands
    of matches dominated filter, sort and distance searches. These rows hold only the sort keys
    and the flags the filters read; the pk is the listing's id, so the related-row filters
    (`pk IN (subquery)`, ListingFilters) and `fair_order` work unchanged on both tables. A page
    then reads its 20 listings by pk. Maintained by directory.search.index() and sync_rows().
    """

    association = models.OneToOneField(
        "directory.Association", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    search_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    fees = models.CharField(max_length=20, blank=True)
    reception = models.CharField(max_length=20, blank=True)
    volunteers_sought = models.BooleanField(default=False)
    # The first day one of its services runs (the earliest SearchService.running_from), None
    # without services: a listing with a running service today is matched through its services
    # by the service-level filters (directory/offers/search.py), through its own terms otherwise.
    services_from = models.DateField(null=True, blank=True)

    objects = SearchRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("ligne de recherche")
        verbose_name_plural = _("lignes de recherche")
        indexes = [
            models.Index(fields=["search_name", "association"], name="searchrow_name"),
            models.Index(fields=["-created_at", "-association"], name="searchrow_created"),
            # The few listings with services: the service-level filters leave them out of the
            # listings matched on their own terms (directory/offers/search.py).
            models.Index(
                fields=["services_from"], name="searchrow_services", condition=Q(services_from__isnull=False)
            ),
        ]

    def __str__(self):
        return str(self.association_id)


class SearchFacetSet(models.Model):
    """PostgreSQL: how many search rows hold each set of facet codes (SearchRow's `facet_codes`,
    migration 0038), kept by triggers on the rows (migration 0042), in the transaction that
    writes them: the facets and the total of every published listing (the results page without
    criteria) read these few thousand rows instead of every listing's. Unused on SQLite."""

    codes = models.BinaryField(unique=True)
    listings = models.IntegerField()

    class Meta:
        verbose_name = _("ensemble de facettes indexé")
        verbose_name_plural = _("ensembles de facettes indexés")

    def __str__(self):
        return f"{bytes(self.codes).hex()}:{self.listings}"


class SearchPoint(models.Model):
    """A located place of a published listing (lat, lon): distance searches read these. On
    PostgreSQL each also carries its row's `search_name` and `facet_codes` as `row_name` and
    `row_codes` (migration 0039, outside the model, in the covering index `searchpoint_lat_lon`),
    written by directory.search."""

    row = models.ForeignKey(SearchRow, on_delete=models.CASCADE, related_name="points")
    lat = models.FloatField()
    lon = models.FloatField()

    class Meta:
        verbose_name = _("point de recherche")
        verbose_name_plural = _("points de recherche")
        indexes = [models.Index(fields=["lat", "lon", "row"], name="searchpoint_lat_lon")]

    def __str__(self):
        return f"{self.row_id}:{self.lat},{self.lon}"


class SearchService(models.Model):
    """One narrow row per service of a published listing: what the service-level filters read.

    `codes` holds the service's terms as space-delimited codes (" f w c12 c3 l5 p7 "): `f` free,
    `w` walk-in, `c<id>` a need and each of its parents, `l<id>` a language, `p<id>` an audience
    (directory/offers/search.py). A filter that asks for several of them finds the listings
    with one service holding them all: `pk IN (SELECT association_id FROM this table WHERE
    codes LIKE … AND codes LIKE …)`, run once per search like the other related-row filters.
    `running_from` is the first day the service runs (a far past day when it runs, the day after
    its pause, a far future day for a pause without an end). Maintained by
    directory.search.index() and sync_rows().
    """

    service = models.OneToOneField(
        "directory.Service", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    association = models.ForeignKey("directory.Association", on_delete=models.CASCADE, related_name="+")
    running_from = models.DateField()
    codes = models.CharField(max_length=1000)

    class Meta:
        verbose_name = _("service indexé")
        verbose_name_plural = _("services indexés")
        indexes = [models.Index(fields=["association", "running_from"], name="searchservice_association")]

    def __str__(self):
        return f"{self.association_id}:{self.service_id}"
