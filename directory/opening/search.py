"""The `ouvert` search: `ouvert=maintenant|aujourdhui|soir|weekend|le|sans-horaires` (and
`date=YYYY-MM-DD` with `le`) on /associations/, the API and embeds.

- maintenant: open at this minute; aujourdhui: open at some time today; soir: open after 18 h
  today; weekend: open on Saturday or Sunday (the coming ones, today's when it is the weekend);
  le + date: open at some time that day; sans-horaires: the listings without hours.
- A listing without hours is never presented as closed: it is left out of the open results and
  counted apart (`summary()`: "12 autres sans horaires", with a link to them).
- The answer changes with time, so the cached ids and rendered regions of a search carry a time
  bucket (`OpenSearch.bucket`, `region_bucket()`): the quarter-hour for `maintenant` (and for
  every results region, which shows each card's open status), the day for the others.
"""

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from directory.models import SearchRow
from directory.queries import ids_subquery
from directory.search.results import WINDOW, SearchResults

from . import calendar, index

NOW, TODAY, EVENING, WEEKEND, ON_DATE, NO_HOURS = (
    "maintenant",
    "aujourdhui",
    "soir",
    "weekend",
    "le",
    "sans-horaires",
)
CHOICES = [
    (NOW, _("maintenant")),
    (TODAY, _("aujourd'hui")),
    (EVENING, _("ce soir (après 18 h)")),
    (WEEKEND, _("ce week-end")),
    (ON_DATE, _("à une date précise")),
    (NO_HOURS, _("horaires non précisés")),
]
EVENING_MINUTES = 18 * 60
DAY_END = 24 * 60
MAX_YEARS_AHEAD = 2


class DayField(forms.DateField):
    """`date=YYYY-MM-DD` (read with `ouvert=le` only; SearchForm checks its range then)."""

    input_formats = ("%Y-%m-%d",)


class DayFilter(django_filters.Filter):
    field_class = DayField


class SearchForm(forms.Form):
    """The search form of the FilterSet: `ouvert=le` needs a `date`."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()  # type: ignore[assignment]  # Form.clean returns cleaned_data
        if cleaned.get("ouvert") != ON_DATE or "date" in self.errors:
            return cleaned
        day = cleaned.get("date")
        if not day:
            self.add_error("date", _("indiquez une date (AAAA-MM-JJ) avec « ouvert=le »."))
            return cleaned
        today = calendar.now().date()
        first, last = today - timedelta(days=366), today.replace(year=today.year + MAX_YEARS_AHEAD)
        if not first <= day <= last:
            self.add_error(
                "date",
                _("choisissez une date entre le %(first)s et le %(last)s.")
                % {"first": first.isoformat(), "last": last.isoformat()},
            )
        return cleaned


def quarter_hour(moment: datetime) -> str:
    return f"{moment:%Y-%m-%dT%H}:{moment.minute // 15}"


def region_bucket() -> str:
    """What the cached results regions are keyed by: they show each card's open status."""
    return quarter_hour(calendar.now())


def weekend_days(today: date) -> list[date]:
    """The weekend's remaining days: today and tomorrow on a Saturday, today on a Sunday."""
    if today.weekday() == 6:
        return [today]
    saturday = today + timedelta(days=5 - today.weekday())
    return [saturday, saturday + timedelta(days=1)]


@dataclass(frozen=True)
class OpenSearch:
    value: str
    windows: list[tuple[date, int, int]] = field(default_factory=list)  # [(day, start minute, end minute)]
    bucket: str = ""


def read(value: str | None, day: object, now: datetime) -> OpenSearch | None:
    """The OpenSearch of a valid `ouvert` (and `date`) at `now`, or None when not filtering."""
    today, minute = now.date(), now.hour * 60 + now.minute
    if value == NOW:
        return OpenSearch(value, [(today, minute, minute + 1)], quarter_hour(now))
    if value == TODAY:
        return OpenSearch(value, [(today, 0, DAY_END)], today.isoformat())
    if value == EVENING:
        return OpenSearch(value, [(today, EVENING_MINUTES, DAY_END)], today.isoformat())
    if value == WEEKEND:
        return OpenSearch(value, [(d, 0, DAY_END) for d in weekend_days(today)], today.isoformat())
    if value == ON_DATE and isinstance(day, date):
        return OpenSearch(value, [(day, 0, DAY_END)], "")
    if value == NO_HOURS:
        return OpenSearch(value)
    return None


def open_search(filterset: Any) -> OpenSearch | None:
    """The filterset's OpenSearch (cached on it), or None."""
    if not hasattr(filterset, "_open_search"):
        data = filterset.form.cleaned_data if hasattr(filterset.form, "cleaned_data") else {}
        filterset._open_search = read(data.get("ouvert"), data.get("date"), calendar.now())
    return cast(OpenSearch | None, filterset._open_search)


def apply(filterset: Any, queryset: Any) -> Any:
    """The `ouvert` filter: one subquery over the opening slots."""
    search = open_search(filterset)
    if search is None:
        return queryset
    if search.value == NO_HOURS:
        return index.without_hours(queryset)
    return queryset.filter(pk__in=index.open_ids(search.windows))


@dataclass(frozen=True)
class Summary:
    open_now: int  # matches open now (the "ouvert maintenant" facet)
    open_now_url: str
    open_now_current: bool
    without_hours: int  # with an `ouvert` search: the matches it left out for lack of hours
    without_hours_url: str


def open_now_ids() -> QuerySet[Any, Mapping[str, object]]:
    """The ids of the listings open at this minute (a subquery): built once a minute per process
    (a union of the slots' queries with their exceptions: 0.8 ms, which every cold results page
    paid), a fresh clone each time, so that no evaluated result is ever shared."""
    now = calendar.now()
    return _open_ids_at(now.date(), now.hour * 60 + now.minute).all()


@functools.lru_cache(maxsize=2)
def _open_ids_at(day: date, minute: int) -> QuerySet[Any, Mapping[str, object]]:
    return index.open_ids([(day, minute, minute + 1)])


def count_open_with(filterset: Any) -> None:
    """Before the facets of a search without `ouvert`: ask the statement that finds its matches
    (cold, on PostgreSQL) to count those open now as well, for summary()."""
    if open_search(filterset) is None:
        filterset.pages.count_among = open_now_ids()


def summary(filterset: Any, search_associations: Callable[[QueryDict], Any]) -> Summary:
    """The "ouvert maintenant" facet and, under an `ouvert` search, the count of matches without
    hours, over the matches of the same search without `ouvert`.

    A cold search on PostgreSQL counted those open now in the statement that found its matches
    (count_open_with): no query. Otherwise, when the matches fit in the cached window of ids
    (SearchResults, WINDOW), both counts read the opening slots of these ids only: the text
    match is not run again (one small query each). Past it, a COUNT over the matches joined to
    the slots."""
    params = filterset.params.copy()
    for name in ("ouvert", "date", "page"):
        params.pop(name, None)
    search = open_search(filterset)
    base = search_associations(params) if search is not None else filterset
    pages = base.pages  # without `ouvert`, the filterset's own: count_open_with() set it up
    if pages.counted is None and pages.count_among is not None:
        # Its ids not found yet (the facets came from the cache): the statement that finds them
        # counts those open now too (SearchResults._compute), where a COUNT would read the
        # matches once more.
        pages.count()
    if pages.counted is not None:
        open_now = pages.counted
    else:
        open_now = _count_open(base, pages.count_among if pages.count_among is not None else open_now_ids())
    without_hours, without_url = 0, ""
    if search is not None and search.value != NO_HOURS:
        ids = _window_ids(base.pages)
        if ids is None:
            without_hours = index.without_hours(base.matches).count()
        else:
            with_hours = index.with_hours(ids) if ids else 0
            without_hours = len(ids) - with_hours
        without_url = _url(params, NO_HOURS)
    current = search is not None and search.value == NOW
    return Summary(
        open_now=open_now,
        open_now_url="?" + params.urlencode() if current else _url(params, NOW),
        open_now_current=current,
        without_hours=without_hours,
        without_hours_url=without_url,
    )


def _count_open(base: Any, open_ids: QuerySet[Any, Mapping[str, object]]) -> int:
    """How many matches of `base` are among `open_ids`: among the window's ids when it holds
    them all, else over the matches."""
    ids = _window_ids(base.pages)
    if ids is None:
        count: int = base.matches.filter(pk__in=open_ids).count()
        return count
    if not ids:
        return 0
    return SearchRow.objects.filter(pk__in=ids_subquery(ids)).filter(pk__in=open_ids).count()


def _window_ids(pages: SearchResults) -> list[int] | None:
    """All the ids of the matches when the cached window holds them all, else None."""
    if pages.count() > WINDOW:
        return None
    return [row[0] for row in pages.data["rows"]]


def _url(params: QueryDict, value: str) -> str:
    query = params.copy()
    query["ouvert"] = value
    return "?" + query.urlencode()
