"""The search contract of /associations/ and /api/associations/, and the filters of /benevolat/.

Parameters: q, categorie, territoire, public, langue, gratuit, sans_rdv, accessible, benevoles,
ouvert and date (directory/opening/search.py), tri (pertinence, nom, recent, distance), lat, lon,
rayon, pres (an address, a station or a town hall, resolved by directory/places/resolve.py into
the point of lat/lon) and, for the API only, rna. /benevolat/: categorie, territoire,
moment. An invalid value is dropped from the filtering and reported through `errors` so the
page can say it was ignored.

`gratuit`, `sans_rdv`, `langue`, `public`, `categorie` (and the needs a query names in English)
apply to the matching service of a listing that has running services, to the listing otherwise,
all of them to the same service (directory/offers/search.py): their filter methods only read
the values, and filter_queryset() applies them together.
"""

import weakref
from datetime import date
from functools import cached_property
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from directory import geo, reference, search
from directory.models import Association, Moment, SearchRow, VolunteerNeed
from directory.offers import search as offers_search
from directory.opening import search as opening_search
from directory.search.results import RECENT_ORDER, SearchResults
from directory.text import search_words

MAX_QUERY_LENGTH = 200
MAX_PLACE_LENGTH = 200

# The rows a filter method narrows: an AssociationQuerySet or a SearchRowQuerySet (both chain the
# ListingFilters of directory/models), a VolunteerNeedQuerySet for /benevolat/.
Rows = Any


class FlagField(forms.Field):
    """A yes-only checkbox parameter: 1, oui, true, on → True; empty → not filtered."""

    TRUE = frozenset({"1", "oui", "true", "on", "yes"})
    FALSE = frozenset({"0", "non", "false", "off", "no", ""})

    def to_python(self, value: str | None) -> bool | None:
        value = (value or "").strip().lower()
        if value in self.TRUE:
            return True
        if value in self.FALSE:
            return None
        raise forms.ValidationError(_("Valeur non reconnue : utilisez 1 ou 0."), code="invalid")


class FlagFilter(django_filters.Filter):
    field_class = FlagField


class ReferenceChoiceField(forms.Field):
    """A slug (or code) checked against the in-process reference snapshot: no SQL query."""

    def __init__(self, *, table: str, **kwargs: Any) -> None:
        self.table = table
        super().__init__(**kwargs)

    def to_python(self, value: str | None) -> Any:
        value = (value or "").strip()
        if not value:
            return None
        found = getattr(reference.get(), self.table).get(value)
        if found is None:
            raise forms.ValidationError(
                _("« %(value)s » est inconnu."), code="invalid_choice", params={"value": value[:60]}
            )
        return found


class ReferenceChoiceFilter(django_filters.Filter):
    field_class = ReferenceChoiceField


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet, whose filters refer to it weakly.

    Each filter keeps its FilterSet as `parent` (to find its `method`): a reference cycle, so a
    search's FilterSet, with everything it holds (the form, the queryset, the 1 000 ids of the
    window), waited for Python's cyclic collector after every request (docs/benchmarks.md,
    seventeenth round). With a weak proxy the FilterSet goes when the view drops it; a filter
    outlives it only inside it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = weakref.proxy(self)
        for filter_ in self.filters.values():
            filter_.parent = parent  # type: ignore[attr-defined]  # django-filter sets it, undeclared


class AssociationFilter(FilterSet):
    # Set by search_associations(): the query string as given, and of the known parameters.
    given: QueryDict
    params: QueryDict
    _parsed_query: search.ParsedQuery | None
    _distance: geo.DistanceSearch

    class Sort:
        RELEVANCE = "pertinence"
        NAME = "nom"
        RECENT = "recent"
        DISTANCE = "distance"
        choices = [
            ("pertinence", _("Pertinence")),
            ("nom", _("Nom (A → Z)")),
            ("recent", _("Ajout récent")),
            ("distance", _("Distance")),
        ]

    q = django_filters.CharFilter(label=_("Quoi ?"), method="filter_text", max_length=MAX_QUERY_LENGTH)
    categorie = ReferenceChoiceFilter(label=_("Besoin"), table="categories", method="filter_category")
    territoire = ReferenceChoiceFilter(label=_("Où ?"), table="areas", method="filter_area")
    public = ReferenceChoiceFilter(label=_("Public"), table="audiences", method="filter_audience")
    langue = ReferenceChoiceFilter(label=_("Langue parlée"), table="languages", method="filter_language")
    gratuit = FlagFilter(label=_("Gratuit"), method="filter_free")
    sans_rdv = FlagFilter(label=_("Sans rendez-vous"), method="filter_walk_in")
    accessible = FlagFilter(label=_("Accessible en fauteuil roulant"), method="filter_accessible")
    benevoles = FlagFilter(label=_("Cherche des bénévoles"), method="filter_volunteers")
    # directory/opening/search.py: open now, today, tonight, this weekend, on a date.
    ouvert = django_filters.ChoiceFilter(
        label=_("Ouvert ?"),
        choices=opening_search.CHOICES,
        method="filter_open",
        empty_label=_("peu importe"),
    )
    date = opening_search.DayFilter(label=_("Date"), method="filter_noop")
    tri = django_filters.ChoiceFilter(
        label=_("Trier par"), choices=Sort.choices, method="filter_noop", empty_label=None
    )
    # Distance (directory/geo.py): a point, a radius in km; applied in ordered(), not here.
    lat = geo.PointFilter(label=_("Latitude"), minimum=-90, maximum=90)
    lon = geo.PointFilter(label=_("Longitude"), minimum=-180, maximum=180)
    rayon = geo.PointFilter(
        label=_("Rayon (km)"), minimum=0, maximum=geo.MAX_RADIUS_KM, exclusive_minimum=True
    )
    # "12 rue de Marseille", "Gorge de Loup", "Mairie du 8e": the point of lat/lon when they are
    # absent (with them, only the name of the point shown on the page).
    pres = django_filters.CharFilter(label=_("Près de"), method="filter_noop", max_length=MAX_PLACE_LENGTH)

    class Meta:
        model = Association
        fields: list[str] = []
        form = opening_search.SearchForm

    def filter_noop(self, queryset: Rows, name: str, value: Any) -> Rows:
        return queryset

    def filter_queryset(self, queryset: Rows) -> Rows:
        """The filters, then the service-level terms together (directory/offers/search.py)."""
        return offers_search.apply(super().filter_queryset(queryset), self.offer_query)

    @property
    def offer_query(self) -> offers_search.OfferQuery:
        """What the search asks of a service: `gratuit`, `sans_rdv`, `langue`, `public`,
        `categorie`, the needs named in English, and the needs the text names."""
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        return offers_search.offer_query(data, self.parsed_query)

    def filter_text(self, queryset: Rows, name: str, value: Any) -> Rows:
        """Full-text match (directory.search), annotating each row with its `rank`; the needs
        named in English are a service-level term (offer_query)."""
        parsed = self.parsed_query
        if parsed is None:
            return queryset
        return search.apply(queryset, parsed)

    # Service-level terms: applied together by filter_queryset().
    filter_category = filter_audience = filter_language = filter_free = filter_walk_in = filter_noop

    def filter_area(self, queryset: Rows, name: str, value: Any) -> Rows:
        return queryset.in_area(value)

    def filter_accessible(self, queryset: Rows, name: str, value: Any) -> Rows:
        return queryset.wheelchair_accessible() if value else queryset

    def filter_volunteers(self, queryset: Rows, name: str, value: Any) -> Rows:
        return queryset.filter(volunteers_sought=True) if value else queryset

    def filter_open(self, queryset: Rows, name: str, value: Any) -> Rows:
        return opening_search.apply(self, queryset)

    # Ordering --------------------------------------------------------------------------

    @property
    def sort(self) -> str:
        data = self.form.cleaned_data if self.is_bound and hasattr(self.form, "cleaned_data") else {}
        return data.get("tri") or self.Sort.RELEVANCE

    @property
    def query_words(self) -> list[str]:
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        return search_words(data.get("q") or "")

    @property
    def parsed_query(self) -> search.ParsedQuery | None:
        """The text query read by directory.search, or None without one.

        Place words ("vaulx", "lyon 7", "69003") become an area filter, unless `territoire` is
        given: then it decides the area and those words are dropped from the text.
        """
        if not hasattr(self, "_parsed_query"):
            data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
            text = data.get("q") or ""
            parsed = search.parse(text) if search_words(text) else None
            if parsed is not None and data.get("territoire") is not None and parsed.areas:
                parsed.areas, parsed.place_words = [], []
            if parsed is not None:
                parsed.within_area, parsed.within_category = data.get("territoire"), data.get("categorie")
            self._parsed_query = parsed
        return self._parsed_query

    @property
    def distance(self) -> geo.DistanceSearch:
        """The DistanceSearch of lat/lon/rayon or of the territoire's centre (geo.distance_search)."""
        if not hasattr(self, "_distance"):
            data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
            near = None
            if (data.get("pres") or "").strip() and data.get("lat") is None and data.get("lon") is None:
                from directory.places import resolve

                near = resolve.resolve(data["pres"])
            self._distance = geo.distance_search(
                data, sort_by_distance=self.sort == self.Sort.DISTANCE, area=data.get("territoire"), near=near
            )
        return self._distance

    @property
    def nearest_first(self) -> bool:
        """tri=distance, or `pres` without text and without another order asked for (relevance
        without text is only a daily shuffle: near a place, the nearest first is what is meant)."""
        if self.sort == self.Sort.DISTANCE:
            return True
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        named = (data.get("pres") or "").strip()
        return bool(named and self.sort == self.Sort.RELEVANCE and not self.query_words)

    def ordered(self, queryset: Rows) -> Rows:
        sort = self.sort
        point = self.distance.point
        if point is not None:
            queryset = geo.within(queryset, point)
            if self.nearest_first:
                return geo.nearest_first(queryset)
        if sort == self.Sort.NAME:
            return queryset.order_by("search_name", "pk")
        if sort == self.Sort.RECENT:
            return queryset.order_by(*RECENT_ORDER)
        # Relevance: the search tiers (directory.search), then a shuffle that changes daily so
        # that no listing is always last among its equals; without text, the shuffle alone.
        if "rank" in queryset.query.annotations:
            return queryset.order_by(*search.ranked_order())
        return queryset.order_by(search.fair_order(), "pk")

    # The search, built at its first use rather than by search_associations(): a page repeated
    # from the cache (directory/search/pages.py) reads none of it, and its filters, text and
    # distance cost 4-6 ms of Python and a query (the typo candidates) to put together.

    @cached_property
    def results(self) -> Rows:
        """The ordered rows."""
        return self.ordered(self.qs)

    @cached_property
    def matches(self) -> Rows:
        """The same matches without the ordering's annotations (the facets count these)."""
        point = self.distance.point
        return self.qs if point is None else geo.near(self.qs, point)

    @cached_property
    def pages(self) -> SearchResults:
        """The cached ordered ids of the search, what a Paginator reads."""
        point = self.distance.point
        near = None
        if (
            point is not None
            and point.radius_km is not None
            and self.nearest_first
            and self.qs.model is SearchRow
        ):
            near = (self.qs, point)  # every match within a radius, nearest first
        open_search = opening_search.open_search(self) if self.form.is_valid() else None
        return SearchResults(
            self.results,
            params=self.given,
            known=self.known_params,
            near=near,
            sort=self.sort,
            bucket=open_search.bucket if open_search else "",
        )

    @property
    def known_params(self) -> set[str]:
        """The query-string names this search reads: cache keys and logs use these only."""
        return {*self.filters, "page", "page_size"}

    @property
    def ignored(self) -> list[str]:
        """Human-readable messages for each parameter that was ignored."""
        messages: list[str] = []
        if not self.is_bound:
            return messages
        for name, errors in self.form.errors.items():
            label = self.form.fields[name].label if name in self.form.fields else name
            for error in errors:
                messages.append(f"{label} : {error}")
        messages.extend(self.distance.notices)
        return messages


class ApiAssociationFilter(AssociationFilter):
    rna = django_filters.CharFilter(label=_("Numéro RNA"), method="filter_rna", max_length=10)

    def filter_rna(self, queryset: Rows, name: str, value: Any) -> Rows:
        listings = Association.objects.filter(rna=value.strip().upper())
        return queryset.filter(pk__in=listings.values("pk"))


def search_associations(
    params: QueryDict, *, api: bool = False, queryset: QuerySet[Association] | None = None
) -> AssociationFilter:
    """Filter and order published associations from request parameters.

    Returns the FilterSet, whose `.results` is the ordered queryset, `.pages` the cached ordered
    ids and `.ignored` the list of messages about invalid parameters (the first two built when
    first read). Views and the API call this one function, so both answer the same rows in the
    same order.
    """
    filterset_class = ApiAssociationFilter if api else AssociationFilter
    base = queryset if queryset is not None else Association.objects.published()
    filterset = filterset_class(params, queryset=base)
    # Filter and order the narrow search rows (one per published listing, same ids), which on
    # PostgreSQL also carry the text vectors (SQLite's FTS5 rows share their ids): nothing reads
    # the wide listing table but the page, which reads its 20 listings by pk.
    valid = filterset.form.is_valid()  # first: parsed_query reads the cleaned data
    if queryset is None and valid and (filterset.parsed_query is None or search.backend().ROWS_HOLD_TEXT):
        filterset.queryset = SearchRow.objects.all()
    filterset.given = params
    filterset.params = known_query(params, filterset.known_params)
    return filterset


def known_query(params: QueryDict, known: set[str]) -> QueryDict:
    """The parameters the search reads, in their order: the links of a results page (facets,
    criteria, pages) are built from these, so `utm_*` or `&x=123` are not carried along and the
    rendered results region depends on the known parameters alone (directory/search/pages.py)."""
    query = QueryDict(mutable=True)
    for name, values in params.lists():
        if name in known:
            query.setlist(name, values)
    return query


class ListFilterSet(FilterSet):
    """A list page's filters (/benevolat/, /agenda/): an invalid value is dropped and said."""

    @property
    def is_filtered(self) -> bool:
        data = self.form.cleaned_data if self.is_bound and hasattr(self.form, "cleaned_data") else {}
        return any(data.get(name) for name in self.filters)

    @property
    def ignored(self) -> list[str]:
        if not self.is_bound:
            return []
        return [
            f"{self.form.fields[name].label if name in self.form.fields else name} : {error}"
            for name, errors in self.form.errors.items()
            for error in errors
        ]


class VolunteerNeedFilter(ListFilterSet):
    """/benevolat/: current needs by need (the association's category), area and moment.

    Like the search, an invalid value is dropped and reported through `ignored`, never a 500.
    """

    categorie = ReferenceChoiceFilter(label=_("Besoin"), table="categories", method="filter_category")
    territoire = ReferenceChoiceFilter(label=_("Où ?"), table="areas", method="filter_area")
    moment = django_filters.ChoiceFilter(
        label=_("Quand ?"), choices=Moment.choices, method="filter_moment", empty_label=None
    )

    class Meta:
        model = VolunteerNeed
        fields: list[str] = []

    def filter_category(self, queryset: Rows, name: str, value: Any) -> Rows:
        return queryset.for_category(value)

    def filter_area(self, queryset: Rows, name: str, value: Any) -> Rows:
        return queryset.in_area(value)

    def filter_moment(self, queryset: Rows, name: str, value: Any) -> Rows:
        return queryset.at_moment(value) if value else queryset


def search_volunteer_needs(params: QueryDict, *, today: date | None = None) -> VolunteerNeedFilter:
    """The FilterSet of /benevolat/; its `.qs` is the current needs, newest first."""
    base = VolunteerNeed.objects.current(today).for_listing().order_by("-created_at", "-pk")
    filterset = VolunteerNeedFilter(params, queryset=base)
    filterset.form.is_valid()  # validate now: `ignored` and `qs` read the cleaned data
    return filterset
