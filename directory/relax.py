"""No dead ends: when a search finds few listings, the nearest searches that find more.

With fewer than RELAX_BELOW results, the results page offers, as links with their counts:

- each criterion dropped in turn ("3 résultats sans « Sans rendez-vous »"), at most MAX_DROPS
  of them, the flags first (the most often too narrow), the text last;
- with a place (`territoire`), the wider place it lies in and the nearest communes (or Lyon's
  arrondissements) with matches ("5 à Villeurbanne, à 2 km"), then the whole Métropole
  ("12 dans toute la Métropole").

Each count is a COUNT of the wider search's matches (`results.count_all()`: from the cache when
that search was asked, else without ordering its matches, stopped past COUNT_BOUND: "plus de
1 000 résultats sans …"; all of them in one statement); the
places come from the facet counts of the search without its place (one GROUP BY, or counted in
the same statement on PostgreSQL). So a search with few results costs at most 3 more queries
(2 on PostgreSQL), and a search with enough results none: nothing here runs.

A suggestion is shown only when it finds more than the search itself, and never when it would
leave no criterion at all (every listing is not an answer).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import QueryDict
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directory import facets, geo, reference
from directory.search import results

if TYPE_CHECKING:
    from directory.filters import AssociationFilter

RELAX_BELOW = 5  # fewer results than this: suggest wider searches
MAX_DROPS = 4  # criteria dropped in turn, one COUNT each
MAX_NEARBY = 3  # nearby communes or arrondissements shown
# A criterion dropped finding more listings than this says "plus de 1 000 résultats sans …":
# its COUNT stops there (results.count_all).
COUNT_BOUND = 1000
# The criteria that may be dropped, in the order they are tried. A group drops together
# (a position is lat, lon, rayon and pres; a date goes with `ouvert`).
DROPS: list[tuple[str, ...]] = [
    ("sans_rdv",),
    ("gratuit",),
    ("ouvert", "date"),
    ("accessible",),
    ("benevoles",),
    ("langue",),
    ("public",),
    ("categorie",),
    ("lat", "lon", "rayon", "pres"),
    ("q",),
]
# Parameters that do not narrow the search: a search left with these only is every listing.
NOT_CRITERIA = {"tri", "page", "page_size", "date", "rayon"}

Search = Callable[[QueryDict], "AssociationFilter"]


@dataclass(frozen=True)
class Relaxation:
    text: str  # "3 résultats sans « Sans rendez-vous »"
    url: str  # the query string of the wider search, from "?"
    count: int


def suggest(filterset: AssociationFilter, *, count: int, search: Search) -> list[Relaxation]:
    """The wider searches worth offering when `filterset` found `count` (< RELAX_BELOW) listings."""
    if count >= RELAX_BELOW or not filterset.is_bound or not hasattr(filterset.form, "cleaned_data"):
        return []
    data = filterset.form.cleaned_data
    params = filterset.params.copy()
    params.pop("page", None)
    found: list[Relaxation] = []
    drops: list[tuple[tuple[str, ...], QueryDict, AssociationFilter]] = []
    for names in DROPS:
        if len(drops) == MAX_DROPS:
            break
        if not _is_active(names, data, filterset):
            continue
        wider = _without(params, names)
        if _narrows(wider):
            drops.append((names, wider, search(wider)))
    counts = results.count_all(
        [(wider_search.pages, wider_search.matches) for *_, wider_search in drops], bound=COUNT_BOUND
    )
    for (names, wider, _wider_search), n in zip(drops, counts, strict=True):
        if n > count:
            found.append(Relaxation(_drop_text(n, names, data, filterset), _query(wider), n))
    area = data.get("territoire")
    if area is not None:
        found.extend(_wider_places(params, area, count=count, search=search))
    return found


def _is_active(names: tuple[str, ...], data: dict[str, Any], filterset: AssociationFilter) -> bool:
    if names[0] == "lat":
        point = filterset.distance.point
        return point is not None and point.radius_km is not None
    return data.get(names[0]) not in (None, "", False)


def _without(params: QueryDict, names: tuple[str, ...]) -> QueryDict:
    wider = params.copy()
    for name in names:
        wider.pop(name, None)
    if names[0] == "lat" and wider.get("tri") == "distance":
        wider.pop("tri")
    return wider


def _narrows(params: QueryDict) -> bool:
    """Whether these parameters still hold a criterion (else the search is every listing)."""
    return any(
        value.strip() for name, values in params.lists() if name not in NOT_CRITERIA for value in values
    )


def _query(params: QueryDict) -> str:
    return "?" + params.urlencode()


def _drop_text(n: int, names: tuple[str, ...], data: dict[str, Any], filterset: AssociationFilter) -> str:
    name = names[0]
    if name == "q":
        what = _("les mots « %(q)s »") % {"q": data["q"]}
    elif name == "lat":
        what = _("limite de distance")
    else:
        field = filterset.form.fields[name]
        value = data[name]
        if value is True:
            what = _("« %(label)s »") % {"label": field.label}
        else:
            if name == "ouvert":
                value = dict(field.choices).get(value, value)  # type: ignore[attr-defined]  # a ChoiceField
            what = _("« %(label)s : %(value)s »") % {
                "label": field.label,
                "value": getattr(value, "label", value),
            }
    if n > COUNT_BOUND:
        return _("Plus de %(n)s résultats sans %(what)s") % {
            "n": number_format(COUNT_BOUND, force_grouping=True),
            "what": what,
        }
    return ngettext("%(n)s résultat sans %(what)s", "%(n)s résultats sans %(what)s", n) % {
        "n": n,
        "what": what,
    }


def _wider_places(params: QueryDict, area: Any, *, count: int, search: Search) -> list[Relaxation]:
    """The place that holds `area`, the nearest places with matches, then the whole Métropole,
    from the facets of the search without its place (one or two queries)."""
    wider = _without(params, ("territoire",))
    if not _narrows(wider):
        return []
    snapshot = reference.get()
    lyon = facets.lyon_of(snapshot)
    by_arrondissement = facets.inside_lyon(area, lyon)
    everywhere = search(wider)
    matches = everywhere.matches
    ids = matches.order_by().values("pk")
    rows = facets.count_rows(ids, by_arrondissement=by_arrondissement, lyon=lyon, pages=everywhere.pages)
    total = everywhere.pages.count()
    counts = {
        snapshot.areas_by_id[value]: n
        for kind, value, n in rows
        if kind == "a" and value in snapshot.areas_by_id
    }
    found: list[Relaxation] = []
    holder = _holder(area, by_arrondissement=by_arrondissement)
    if holder is not None and holder.pk != area.pk and counts.get(holder, 0) > count:
        n = counts[holder]
        found.append(
            Relaxation(_in_place_text(n, holder.short_label, None), _query(_with_area(wider, holder)), n)
        )
    # Beside it: the places with matches that neither hold it nor lie inside it, nearest first.
    others = [
        (place, n)
        for place, n in counts.items()
        if n > 0 and not _inside(area, place) and not _inside(place, area)
    ]
    others.sort(key=lambda item: (_distance(area, item[0]), -item[1], item[0].short_label))
    for place, n in others[:MAX_NEARBY]:
        km = _distance(area, place)
        found.append(
            Relaxation(
                _in_place_text(n, place.short_label, None if math.isinf(km) else km),
                _query(_with_area(wider, place)),
                n,
            )
        )
    if total > count:
        text = _("%(n)s dans toute la Métropole") % {"n": total}
        found.append(Relaxation(text, _query(wider), total))
    return found


def _holder(area: Any, *, by_arrondissement: bool) -> Any:
    """The facet value `area` falls in: its arrondissement inside Lyon, else its commune."""
    while area is not None:
        if (by_arrondissement and area.kind == "arrondissement") or (
            not by_arrondissement and area.parent_id is None
        ):
            return area
        area = area.parent
    return None


def _inside(area: Any, place: Any) -> bool:
    """Whether `area` is `place` or lies inside it."""
    while area is not None:
        if area.pk == place.pk:
            return True
        area = area.parent
    return False


def _with_area(params: QueryDict, area: Any) -> QueryDict:
    query = params.copy()
    query["territoire"] = area.slug
    return query


def _distance(origin: Any, place: Any) -> float:
    """Kilometres between the centres of two areas; infinite when one has no centre."""
    if None in (origin.lat, origin.lon, place.lat, place.lon):
        return math.inf
    point = geo.Point(origin.lat, origin.lon)
    k_lat, k_lon = point.squared_km_factors()
    return math.hypot((place.lat - origin.lat) * k_lat, (place.lon - origin.lon) * k_lon)


def _in_place_text(n: int, place: str, km: float | None) -> str:
    if km is None:
        return _("%(n)s à %(place)s") % {"n": n, "place": place}
    return _("%(n)s à %(place)s, %(distance)s") % {
        "n": n,
        "place": place,
        "distance": geo.format_distance(km),
    }
