"""The filters of /agenda/, its .ics, feed, print view and embed: categorie, territoire, public,
quand (aujourdhui, semaine, weekend), du and au (YYYY-MM-DD). Like the search, an invalid value
is dropped and reported through `ignored`, never a 500."""

import datetime
from typing import Any

import django_filters
from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.agenda.recurrence import PARIS
from directory.filters import ListFilterSet, ReferenceChoiceFilter, Rows
from directory.models import EventOccurrence

MAX_RANGE_DAYS = 366


class When:
    TODAY = "aujourdhui"
    WEEK = "semaine"
    WEEKEND = "weekend"
    choices = (
        (TODAY, _("Aujourd'hui")),
        (WEEK, _("Cette semaine")),
        (WEEKEND, _("Ce week-end")),
    )


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=PARIS)


def when_range(when: str, today: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of « aujourd'hui », « cette semaine » (to Sunday), « ce week-end »."""
    if when == When.TODAY:
        return _midnight(today), _midnight(today + datetime.timedelta(days=1))
    sunday = today + datetime.timedelta(days=6 - today.weekday())
    if when == When.WEEK:
        return _midnight(today), _midnight(sunday + datetime.timedelta(days=1))
    saturday = max(today, sunday - datetime.timedelta(days=1))
    return _midnight(saturday), _midnight(sunday + datetime.timedelta(days=1))


class AgendaFilter(ListFilterSet):
    categorie = ReferenceChoiceFilter(label=_("Besoin"), table="categories", method="filter_category")
    territoire = ReferenceChoiceFilter(label=_("Où ?"), table="areas", method="filter_area")
    public = ReferenceChoiceFilter(label=_("Public"), table="audiences", method="filter_audience")
    quand = django_filters.ChoiceFilter(
        label=_("Quand ?"), choices=When.choices, method="filter_nothing", empty_label=_("Prochainement")
    )
    du = django_filters.DateFilter(
        label=_("Du"), method="filter_nothing", widget=forms.DateInput(attrs={"type": "date"})
    )
    au = django_filters.DateFilter(
        label=_("Au"), method="filter_nothing", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = EventOccurrence
        fields: tuple[str, ...] = ()

    def filter_category(self, queryset: Rows, name: str, value: Any) -> Rows:
        return queryset.for_category(value)

    def filter_area(self, queryset: Rows, name: str, value: Any) -> Rows:
        return queryset.in_area(value)

    def filter_audience(self, queryset: Rows, name: str, value: Any) -> Rows:
        return queryset.for_audience(value)

    def filter_nothing(self, queryset: Rows, name: str, value: Any) -> Rows:
        return queryset  # dates are applied once, in `date_range()`

    def date_range(
        self, now: datetime.datetime | None = None
    ) -> tuple[datetime.datetime, datetime.datetime | None]:
        """(start, end or None) of the dates asked, checked; the default is from now on."""
        now = now or timezone.now()
        today = now.astimezone(PARIS).date()
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        start_day, end_day = data.get("du"), data.get("au")
        if data.get("quand") and not (start_day or end_day):
            return when_range(data["quand"], today)
        start = max(now, _midnight(start_day)) if start_day else now  # what has ended is not shown
        end = _midnight(end_day + datetime.timedelta(days=1)) if end_day else None
        return start, end

    def clean_dates(self) -> None:
        """Reject an inverted or too long range (reported through `ignored`)."""
        if not hasattr(self.form, "cleaned_data"):
            return
        data = self.form.cleaned_data
        start_day, end_day = data.get("du"), data.get("au")
        if start_day and end_day:
            if end_day < start_day:
                self.form.add_error("au", _("Cette date précède la date de début."))
            elif (end_day - start_day).days > MAX_RANGE_DAYS:
                self.form.add_error("au", _("Une période d'un an au plus."))

    @property
    def qs(self) -> Rows:
        if not hasattr(self, "_qs"):
            queryset: Rows = super().qs
            start, end = self.date_range()
            self.start, self.end = start, end
            queryset = queryset.filter(ends_at__gt=start)
            if end is not None:
                queryset = queryset.filter(starts_at__lt=end)
            self._qs = queryset.for_listing().order_by("starts_at", "pk")
        return self._qs

    @property
    def query_items(self) -> list[tuple[str, str]]:
        """The valid, non-empty parameters as (name, value): links (.ics, feed, embed) carry these."""
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        return [
            (name, self.form.data.get(name, "").strip())
            for name in self.filters
            if data.get(name) not in (None, "") and name not in self.form.errors
        ]


def search_agenda(params: QueryDict, *, base: Rows | None = None) -> AgendaFilter:
    """The FilterSet of /agenda/; its `.qs` is the public occurrences asked, soonest first."""
    queryset = base if base is not None else EventOccurrence.objects.public()
    filterset = AgendaFilter(params, queryset=queryset)
    filterset.form.is_valid()  # validate now: `ignored` and `qs` read the cleaned data
    filterset.clean_dates()
    return filterset
