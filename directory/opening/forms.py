"""The calendar fields of a place in the association space's editor, each choice in plain words."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from directory import hours as hours_lib
from directory.models import Place


def _school_day_field(index: int) -> forms.CharField:
    return forms.CharField(
        label=hours_lib.WEEKDAYS[index].capitalize(),
        required=False,
        max_length=120,
        help_text=_("Pendant les vacances scolaires. Par exemple : 9h-12h. Vide si fermé.")
        if index == 0
        else "",
    )


class CalendarFields(forms.Form):
    """Public holidays, school holidays (zone A) and dated exceptions of a place."""

    public_holidays = forms.ChoiceField(
        label=_("Les jours fériés (1er mai, 14 juillet, Noël…)"),
        choices=Place.PublicHolidays.choices,
        initial=Place.PublicHolidays.CLOSED,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "« Fermé » : l'annuaire affiche le lieu fermé ces jours-là, même si c'est un jour d'ouverture."
        ),
    )
    school_holidays = forms.ChoiceField(
        label=_("Pendant les vacances scolaires de Lyon (zone A)"),
        choices=Place.SchoolHolidays.choices,
        initial=Place.SchoolHolidays.SAME,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "« Autres horaires » : remplissez les jours ci-dessous, ils remplacent les horaires habituels."
        ),
    )
    school_hours_0 = _school_day_field(0)
    school_hours_1 = _school_day_field(1)
    school_hours_2 = _school_day_field(2)
    school_hours_3 = _school_day_field(3)
    school_hours_4 = _school_day_field(4)
    school_hours_5 = _school_day_field(5)
    school_hours_6 = _school_day_field(6)
    exceptions = forms.CharField(
        label=_("Dates particulières (fermetures, ouvertures exceptionnelles, horaires d'été)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Une date ou une période par ligne, par exemple : « 24/12/2026 - 02/01/2027 : fermé », "
            "« 14/07/2027 : 10h-12h » (ouvert exceptionnellement), "
            "« 01/07/2027 - 31/08/2027 : lun-ven 9h-12h » (horaires d'été). "
            "Ces dates l'emportent sur les horaires habituels et les vacances."
        ),
    )

    RADIOS = ("public_holidays", "school_holidays")

    def has_changed(self) -> bool:
        """A blank extra place is unchanged even when its radios were not sent (they then read
        as their defaults)."""
        return any(
            not (name in self.RADIOS and not self.data.get(self.add_prefix(name)))
            for name in self.changed_data
        )

    @property
    def school_day_fields(self) -> list[forms.BoundField]:
        return [self[f"school_hours_{index}"] for index in range(7)]

    def preview_values(self) -> dict[str, Any]:
        """The place values to preview: as typed once the form is cleaned, else as stored."""
        cleaned = getattr(self, "cleaned_data", None)
        if cleaned and "hours" in cleaned and "calendar" in cleaned:
            return {
                "hours": cleaned["hours"],
                **cleaned["calendar"],
                "closed_from": cleaned.get("closed_from"),
                "closed_until": cleaned.get("closed_until"),
            }
        return self.initial.get("place_values") or {}

    def clean_calendar(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        """{public_holidays, school_holidays, school_hours, exceptions}; errors on their fields."""
        school_hours = parse_week(self, cleaned, "school_hours")
        rule = cleaned.get("school_holidays") or Place.SchoolHolidays.SAME
        if rule == Place.SchoolHolidays.HOURS and not school_hours and not self.errors:
            self.add_error(
                "school_hours_0", _("Indiquez les horaires des vacances, ou choisissez une autre option.")
            )
        try:
            exceptions = hours_lib.parse_exceptions(cleaned.get("exceptions", ""))
        except ValidationError as error:
            self.add_error("exceptions", error)
            exceptions = []
        return {
            "public_holidays": cleaned.get("public_holidays") or Place.PublicHolidays.CLOSED,
            "school_holidays": rule,
            # Kept only when read, so that a stale value does not show in the history.
            "school_hours": school_hours if rule == Place.SchoolHolidays.HOURS else {},
            "exceptions": exceptions,
        }


def parse_week(form: forms.Form, cleaned: dict[str, Any], prefix: str) -> dict[str, list[list[str]]]:
    """The weekly hours typed one weekday per field (`<prefix>_0` … `<prefix>_6`), by weekday
    number; a day that does not parse gets its error on its own field and is left out."""
    week: dict[str, list[list[str]]] = {}
    for index in range(7):
        name = f"{prefix}_{index}"
        try:
            ranges = hours_lib.parse_day(cleaned.get(name, ""))
        except ValidationError as error:
            form.add_error(name, error)
            continue
        if ranges:
            week[str(index)] = ranges
    return week


def calendar_initial(place: dict[str, Any]) -> dict[str, Any]:
    """The initial values of the calendar fields from a place's values."""
    school = place.get("school_hours") or {}
    initial: dict[str, Any] = {
        "place_values": place,
        "public_holidays": place.get("public_holidays") or Place.PublicHolidays.CLOSED,
        "school_holidays": place.get("school_holidays") or Place.SchoolHolidays.SAME,
        "exceptions": hours_lib.format_exceptions(place.get("exceptions") or []),
    }
    for index in range(7):
        initial[f"school_hours_{index}"] = hours_lib.format_day(school.get(str(index), []))
    return initial
