from django import forms
from django.utils.translation import gettext_lazy as _

from directory import hours as hours_lib
from directory.models import Place
from directory.opening.forms import CalendarFields, calendar_initial, parse_week


def day_field(index):
    return forms.CharField(
        label=hours_lib.WEEKDAYS[index].capitalize(),
        required=False,
        max_length=120,
        help_text=_("Par exemple : 9h-12h, 14h-18h30. Vide si fermé.") if index == 0 else "",
    )


class WeekHoursFields(forms.Form):
    """The opening hours of a place typed one weekday per field ("9h-12h, 14h-18h30"), and the
    checks shared by the admin's and the association space's place forms."""

    hours_0 = day_field(0)
    hours_1 = day_field(1)
    hours_2 = day_field(2)
    hours_3 = day_field(3)
    hours_4 = day_field(4)
    hours_5 = day_field(5)
    hours_6 = day_field(6)

    @property
    def day_fields(self):
        return [self[f"hours_{index}"] for index in range(7)]

    def clean_week_hours(self, cleaned):
        """The structured hours of the day fields; a day that does not parse gets its error on
        its own field and is left out."""
        return parse_week(self, cleaned, "hours")

    def check_closure_dates(self, cleaned):
        closed_from, closed_until = cleaned.get("closed_from"), cleaned.get("closed_until")
        if closed_from and closed_until and closed_until < closed_from:
            self.add_error("closed_until", _("La fin de la fermeture précède son début."))


class PlaceForm(CalendarFields, WeekHoursFields, forms.ModelForm):
    """A place of the admin, with its opening hours typed one weekday per field and its
    calendar rules as in the association space (directory/opening/forms.py)."""

    class Meta:
        model = Place
        fields = [
            "position",
            "kind",
            "name",
            "address",
            "postcode",
            "area",
            "quartier",
            "lat",
            "lon",
            "hours_note",
            "closed_from",
            "closed_until",
            "closure_message",
            "wheelchair",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.hours if self.instance.pk else {}
        for index in range(7):
            self.initial.setdefault(f"hours_{index}", hours_lib.format_day(current.get(str(index), [])))
        place = self.instance
        for name, value in calendar_initial(
            {
                "public_holidays": place.public_holidays,
                "school_holidays": place.school_holidays,
                "school_hours": place.school_hours,
                "exceptions": place.exceptions,
            }
        ).items():
            # Replaces the model's JSON (the admin adds declared fields named like model fields).
            self.initial[name] = value

    def clean(self):
        cleaned = super().clean()
        self.instance.hours = self.clean_week_hours(cleaned)
        for name, value in self.clean_calendar(cleaned).items():
            # Both: the admin builds the form with these names as model fields, written from
            # cleaned_data after clean().
            setattr(self.instance, name, value)
            cleaned[name] = value
        self.check_closure_dates(cleaned)
        return cleaned
