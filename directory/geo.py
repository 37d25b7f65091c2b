"""Distance search: "près de moi" (a point from the browser) or near a commune or quartier.

The distance is the equirectangular approximation, computed in SQL with only + - * so that it
runs the same on SQLite and PostgreSQL, without math functions:

    d² = (K · Δlat)² + (K · cos φ₀ · Δlon)²      K = 111.195 km per degree, φ₀ = the point's latitude

cos φ₀ is computed once in Python. Within 50 km of a point of the Métropole (latitude ≈ 45.75°)
it is within 0.5 % of the haversine distance, far below the precision of an address. The SQL
orders and filters on d² (km²); the square root is taken in Python for the few rows shown.
A bounding box on Place.lat/lon (index `place_lat_lon`) is applied first so that PostgreSQL
only looks at the places near the point. An association's distance is that of its nearest place.

The point comes from the browser's geolocation (lat/lon), from a typed address, station or town
hall (`pres`, resolved on our server by directory/places/resolve.py) or from an area's centre.
(Places themselves are geocoded with the national address API by directory/geocoding.py.)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from django.db.models import F, FilteredRelation, FloatField, Min, Q, QuerySet, Value
from django.db.models.expressions import ExpressionWrapper
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from directory.models import Area

KM_PER_DEGREE = 6371.0088 * math.pi / 180  # mean Earth radius × 1° in radians ≈ 111.195 km
DEFAULT_RADIUS_KM = 5.0
MAX_RADIUS_KM = 50.0


class BoundedFloatField(forms.Field):
    """A finite decimal number within [minimum, maximum]; a comma is accepted as decimal mark."""

    def __init__(self, *, minimum, maximum, exclusive_minimum=False, **kwargs):
        self.minimum, self.maximum, self.exclusive_minimum = minimum, maximum, exclusive_minimum
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        value = (value or "").strip().replace(",", ".")
        if not value:
            return None
        try:
            number = float(value[:40])
        except ValueError:
            raise forms.ValidationError(gettext_lazy("Ce n'est pas un nombre."), code="invalid") from None
        too_low = number <= self.minimum if self.exclusive_minimum else number < self.minimum
        if not math.isfinite(number) or too_low or number > self.maximum:
            raise forms.ValidationError(
                gettext_lazy("La valeur doit être comprise entre %(min)s et %(max)s."),
                code="out_of_range",
                params={"min": self.minimum, "max": self.maximum},
            )
        return number


@dataclass
class Point:
    lat: float
    lon: float
    radius_km: float | None = None  # None: no radius (the area filter already bounds the results)
    label: str = ""  # "votre position" or the area's name, for the page

    @property
    def cos_lat(self) -> float:
        return math.cos(math.radians(self.lat))

    def bounding_box(self) -> tuple[float, float, float, float]:
        """(min lat, max lat, min lon, max lon) of the square around the circle of the radius."""
        if self.radius_km is None:
            raise ValueError("a point without a radius has no bounding box")
        dlat = self.radius_km / KM_PER_DEGREE
        dlon = self.radius_km / (KM_PER_DEGREE * max(self.cos_lat, 0.01))
        return self.lat - dlat, self.lat + dlat, self.lon - dlon, self.lon + dlon

    def squared_km_factors(self) -> tuple[float, float]:
        """(km per degree of latitude, km per degree of longitude at this point's latitude)."""
        return KM_PER_DEGREE, KM_PER_DEGREE * self.cos_lat

    def squared_km(self, lat="lat", lon="lon"):
        """The SQL expression of the squared distance in km² from this point to the row's lat/lon."""
        k_lat, k_lon = self.squared_km_factors()
        dy = (F(lat) - Value(self.lat)) * Value(k_lat)
        dx = (F(lon) - Value(self.lon)) * Value(k_lon)
        return ExpressionWrapper(dy * dy + dx * dx, output_field=FloatField())


@dataclass
class DistanceSearch:
    """What the search parameters ask for: a point (or none) and why parameters were ignored."""

    point: Point | None = None
    notices: list[str] = field(default_factory=list)
    choices: list[Any] = field(default_factory=list)  # `pres` designates several places: pick one


def distance_search(
    data: Mapping[str, Any], *, sort_by_distance: bool, area: Area | None = None, near: Any = None
) -> DistanceSearch:
    """Read the cleaned `lat`, `lon`, `rayon` (and the area for tri=distance) into a DistanceSearch.

    - lat and lon together give the point, with the radius `rayon` (default 5 km, at most 50);
    - tri=distance with a territoire and no lat/lon: the area's centre, no radius;
    - `near`, the resolution of `pres` (without lat/lon): its point with the radius; several
      places or none are said in a notice (with the choices to pick from);
    - one of lat/lon alone, or tri=distance without any point, is ignored with a notice.
    """
    search = DistanceSearch()
    lat, lon, radius = data.get("lat"), data.get("lon"), data.get("rayon")
    named = (data.get("pres") or "").strip()
    if (lat is None) != (lon is None):
        search.notices.append(_("Position : la latitude et la longitude vont ensemble ; ignorée."))
    elif lat is not None:
        search.point = Point(lat, lon, radius or DEFAULT_RADIUS_KM, label=named or _("votre position"))  # type: ignore[arg-type]  # lon with lat
    if near is not None:
        _read_near(search, near, radius)
    if search.point is None and sort_by_distance and area is not None and area.lat is not None:
        search.point = Point(area.lat, area.lon, None, label=area.name)  # type: ignore[arg-type]  # lon with lat
    if search.point is None and sort_by_distance and near is None:
        search.notices.append(
            _("Tri par distance : indiquez un lieu (« Où ? ») ou utilisez « Près de moi » ; tri ignoré.")
        )
    return search


def _read_near(search: DistanceSearch, near: Any, radius: float | None) -> None:
    if near.found:
        search.point = Point(
            near.point.lat, near.point.lon, radius or DEFAULT_RADIUS_KM, label=near.point.label
        )
    elif near.ambiguous:
        search.choices = near.choices
        search.notices.append(
            _("Près de « %(text)s » : plusieurs lieux portent ce nom, choisissez-en un ci-dessous.")
            % {"text": near.text[:80]}
        )
    else:
        search.notices.append(
            _(
                "Près de « %(text)s » : adresse, arrêt ou mairie introuvable dans la Métropole ; "
                "résultats sans distance. Vérifiez l'orthographe ou ajoutez la commune."
            )
            % {"text": near.text[:80]}
        )


def near[Q_: QuerySet[Any]](queryset: Q_, point: Point) -> Q_:
    """Associations with a located place within the point's radius (all of them without a radius).

    `pk IN (points in the bounding box within the radius)`: a list built once from the narrow
    points of the published listings (SearchPoint, index `searchpoint_lat_lon` covering the
    listing id), no join and no grouping; the facets count these matches.
    """
    if point.radius_km is None:
        return queryset
    from directory.models import SearchPoint

    min_lat, max_lat, min_lon, max_lon = point.bounding_box()
    points = (
        SearchPoint.objects.filter(lat__range=(min_lat, max_lat), lon__range=(min_lon, max_lon))
        .alias(d2=point.squared_km())
        .filter(d2__lte=point.radius_km**2)
    )
    return queryset.filter(pk__in=points.values("row_id"))


def within(queryset: QuerySet[Any], point: Point) -> QuerySet[Any]:
    """`near()`, annotated with `distance_km2`, the squared distance to the nearest place.

    One join to the located places (inside the bounding box when there is a radius) and a MIN
    per association: a single pass over those places, instead of a nearest-place subquery run
    once per association (which degenerated when thousands of listings share a commune's
    centre, all inside the box). The nearest place of an association within the radius is in
    the box, so the MIN over the box is its distance. Without a radius (near an area's centre)
    every association is kept; those without any located place get no distance (NULL) and
    sort last.
    """
    # The narrow search rows join their points (SearchPoint); listings join their places.
    relation = "places" if queryset.model._meta.model_name == "association" else "points"
    located = Q(**{f"{relation}__lat__isnull": False, f"{relation}__lon__isnull": False})
    if point.radius_km is not None:
        min_lat, max_lat, min_lon, max_lon = point.bounding_box()
        located &= Q(
            **{f"{relation}__lat__range": (min_lat, max_lat), f"{relation}__lon__range": (min_lon, max_lon)}
        )
    return near(queryset, point).annotate(
        nearby=FilteredRelation(relation, condition=located),
        distance_km2=Min(point.squared_km("nearby__lat", "nearby__lon")),
    )


def nearest_first[Q_: QuerySet[Any]](queryset: Q_) -> Q_:
    return queryset.order_by(F("distance_km2").asc(nulls_last=True), "search_name", "pk")


def distance_km(association):
    """The distance computed by `within()`, in km, or None."""
    squared = getattr(association, "distance_km2", None)
    return None if squared is None else math.sqrt(max(squared, 0.0))


def format_length(km):
    """'350 m' under 1 km (to 10 m), '1,2 km' under 10 km, '12 km' beyond (active language's decimal mark)."""
    metres = round(km * 1000 / 10) * 10
    if metres < 1000:
        return _("%(n)s m") % {"n": max(metres, 10)}
    tenths = round(km, 1)
    if tenths < 10 and tenths != int(tenths):
        return _("%(n)s km") % {"n": number_format(tenths, 1)}
    return _("%(n)s km") % {"n": round(km)}


def format_distance(km):
    """'à 350 m', 'à 1,2 km', 'à 12 km'; '' without a distance."""
    if km is None:
        return ""
    return _("à %(length)s") % {"length": format_length(km)}


class PointFilter(django_filters.Filter):
    """lat, lon, rayon: validated numbers that filter nothing by themselves (see `within`)."""

    field_class = BoundedFloatField

    def filter(self, queryset, value):
        return queryset
