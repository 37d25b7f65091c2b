"""Forms of the agenda: the managers' event form, the calendar address, a date to cancel."""

import datetime
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from directory.agenda.recurrence import PARIS, month_week_of
from directory.agenda.services import EVENT_FIELDS
from directory.models import Area, Association, Audience, Event, Language, Place
from directory.models.agenda import MAX_SPAN_DAYS

if TYPE_CHECKING:
    _EventModelForm = forms.ModelForm[Event]
else:
    _EventModelForm = forms.ModelForm

MAX_REPEAT_COUNT = 60


class EventForm(_EventModelForm):
    """What, when (a date, two times, a recurrence and its end), where, for whom.
    `cleaned_values()` is what directory.agenda.services takes."""

    day = forms.DateField(
        label=_("Date (la première, s'il se répète)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    start_time = forms.TimeField(
        label=_("De"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(label=_("À"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_day = forms.DateField(
        label=_("Date de fin (facultative)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Seulement si le rendez-vous dure plusieurs jours."),
    )
    area = forms.ModelChoiceField(
        label=_("Territoire de cette adresse"),
        queryset=Area.objects.filter(kind__in=["commune", "arrondissement"]).order_by("kind", "name"),
        to_field_name="slug",
        required=False,
    )
    is_free = forms.TypedChoiceField(
        label=_("Gratuit ?"),
        choices=[("", _("Non précisé")), ("oui", _("Gratuit")), ("non", _("Payant"))],
        coerce=lambda value: {"oui": True, "non": False}.get(value),
        empty_value=None,
        required=False,
    )
    audiences = forms.ModelMultipleChoiceField(
        label=_("Pour qui ? (rien : tout le monde)"),
        queryset=Audience.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Langues parlées (facultatif)"),
        queryset=Language.objects.order_by("name"),
        required=False,
    )

    field_order = [
        "kind",
        "title",
        "description",
        "day",
        "start_time",
        "end_time",
        "end_day",
        "recurrence",
        "repeat_until",
        "repeat_count",
        "skip_holidays",
        "place",
        "address",
        "area",
        "is_free",
        "registration_url",
        "audiences",
        "languages",
    ]

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "description",
            "recurrence",
            "repeat_until",
            "repeat_count",
            "skip_holidays",
            "place",
            "address",
            "area",
            "is_free",
            "registration_url",
            "audiences",
            "languages",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 5, "maxlength": 2000}),
            "recurrence": forms.RadioSelect,
            "repeat_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        labels = {
            "kind": _("C'est"),
            "title": _("Titre"),
            "description": _("Description (facultative)"),
            "recurrence": _("Se répète ?"),
            "repeat_until": _("Jusqu'au"),
            "repeat_count": _("Ou un nombre de fois"),
            "skip_holidays": _("Pas les jours fériés"),
            "place": _("Où ? Un de vos lieux"),
            "address": _("Ou une autre adresse"),
            "registration_url": _("Lien d'inscription (facultatif)"),
        }
        help_texts = {
            "repeat_until": _("Au plus tard 12 mois après la première date."),
            "skip_holidays": _("Le rendez-vous n'a pas lieu les jours fériés (14 juillet, 1er mai…)."),
        }

    def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.association = association
        place = cast("forms.ModelChoiceField[Place]", self.fields["place"])
        place.queryset = association.places.select_related("area").order_by("position", "pk")
        place.required = False
        place.empty_label = _("— Une autre adresse —")
        cast(forms.ChoiceField, self.fields["recurrence"]).choices = Event.Recurrence.choices
        self.fields["recurrence"].required = False
        event = self.instance
        if event.pk:
            starts, ends = event.starts_at.astimezone(PARIS), event.ends_at.astimezone(PARIS)
            self.initial.update(
                day=starts.date(),
                start_time=starts.time(),
                end_time=ends.time(),
                end_day=ends.date() if ends.date() != starts.date() else None,
                is_free={True: "oui", False: "non"}.get(event.is_free, ""),  # type: ignore[arg-type]  # None: ""
            )
            if event.area_id and event.place_id is None:
                self.initial["area"] = event.area.slug  # type: ignore[union-attr]  # area_id is set

    def _times(
        self, cleaned: dict[str, Any]
    ) -> tuple[datetime.datetime, datetime.datetime] | tuple[None, None]:
        day, start, end = cleaned.get("day"), cleaned.get("start_time"), cleaned.get("end_time")
        if not (day and start and end):
            return None, None
        starts = datetime.datetime.combine(day, start, tzinfo=PARIS)
        ends = datetime.datetime.combine(cleaned.get("end_day") or day, end, tzinfo=PARIS)
        if ends <= starts:
            self.add_error("end_time", _("La fin doit suivre le début."))
            return None, None
        if ends - starts > datetime.timedelta(days=31):
            self.add_error("end_day", _("Un rendez-vous dure au plus un mois."))
            return None, None
        return starts, ends

    def _check_recurrence(self, cleaned: dict[str, Any], starts: datetime.datetime | None) -> None:
        recurrence, until, count = (
            cleaned.get("recurrence"),
            cleaned.get("repeat_until"),
            cleaned.get("repeat_count"),
        )
        if not recurrence:
            cleaned["repeat_until"] = cleaned["repeat_count"] = None
            cleaned["skip_holidays"] = False
            return
        if not until and not count:
            self.add_error("repeat_until", _("Indiquez jusqu'à quand, ou combien de fois."))
            return
        if until and count:
            self.add_error("repeat_count", _("Une date de fin ou un nombre de fois, pas les deux."))
            return
        if count and count > MAX_REPEAT_COUNT:
            self.add_error("repeat_count", _("Au plus %(n)s fois.") % {"n": MAX_REPEAT_COUNT})
        if until and starts is not None:
            latest = starts.date() + datetime.timedelta(days=MAX_SPAN_DAYS)
            if until < starts.date():
                self.add_error("repeat_until", _("Cette date précède la première."))
            elif until > latest:
                self.add_error(
                    "repeat_until",
                    _("Au plus tard le %(date)s (12 mois) : vous pourrez prolonger ensuite.")
                    % {"date": date_format(latest, "j F Y")},
                )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()  # type: ignore[assignment]  # ModelForm.clean returns cleaned_data
        starts, ends = self._times(cleaned)
        if starts is not None and not self.instance.pk and ends < timezone.now():  # type: ignore[operator]  # set with starts
            self.add_error("day", _("Cette date est passée."))
        self._check_recurrence(cleaned, starts)
        cleaned["address"] = " ".join((cleaned.get("address") or "").split())
        if cleaned.get("place"):
            cleaned["address"], cleaned["area"] = "", None
        elif not cleaned["address"] and "place" not in self.errors:
            self.add_error("place", _("Choisissez un de vos lieux ou indiquez une adresse."))
        cleaned["starts_at"], cleaned["ends_at"] = starts, ends
        if starts is not None and cleaned.get("recurrence") == Event.Recurrence.MONTHLY:
            cleaned["month_week"] = month_week_of(starts.date())
        else:
            cleaned["month_week"] = None
        return cleaned

    def cleaned_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values: dict[str, Any] = {name: data.get(name) for name in EVENT_FIELDS}
        values["recurrence"] = values["recurrence"] or ""
        values["title"] = " ".join(values["title"].split())
        values["description"] = values["description"].strip()
        values["skip_holidays"] = bool(values["skip_holidays"])
        values["audiences"] = list(data["audiences"])
        values["languages"] = list(data["languages"])
        return values


class CalendarSourceForm(forms.Form):
    url = forms.CharField(
        label=_("Adresse de votre calendrier (ICS)"),
        max_length=500,
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://calendar.google.com/calendar/ical/…/basic.ics"}),
        help_text=_(
            "L'adresse publique au format iCal de votre agenda Google, Nextcloud, Outlook ou de votre "
            "site (WordPress…). Laissez vide pour arrêter l'import."
        ),
    )

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"].strip()
        if url.lower().startswith("webcal://"):
            url = "https://" + url[len("webcal://") :]
        if url:
            forms.URLField(assume_scheme="https").clean(url)
            if not url.lower().startswith(("http://", "https://")):
                raise forms.ValidationError(_("Une adresse http:// ou https://."), code="scheme")
        return url


class CancelDateForm(forms.Form):
    day = forms.DateField(widget=forms.HiddenInput)
