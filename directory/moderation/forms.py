from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from directory.models import Association, PendingChange, Place, Report
from directory.moderation.services import CORRECTABLE_FIELDS, CORRECTABLE_PLACE_FIELDS, MERGEABLE_FIELDS
from directory.security import HumanCheckMixin


class ReportForm(HumanCheckMixin, forms.ModelForm):
    """A resident's report; HumanCheckMixin adds the honeypot and the signed start time."""

    class Meta:
        model = Report
        fields = ["reason", "message", "email"]
        widgets = {
            "reason": forms.RadioSelect,
            "message": forms.Textarea(attrs={"rows": 5, "maxlength": 2000}),
        }
        labels = {
            "reason": _("Quel est le problème ?"),
            "message": _("Précisez (ce qui est faux, la bonne information si vous la connaissez)"),
            "email": _("Votre e-mail (facultatif, pour être prévenu de la suite)"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = Report.Reason.choices

    def cleaned_data_for_report(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("reason", "message", "email")}


class RejectChangeForm(forms.Form):
    reason = forms.ChoiceField(label=_("Motif du refus"), choices=PendingChange.RejectionReason.choices)
    note = forms.CharField(
        label=_("Précisions pour la personne (facultatif)"), required=False, widget=forms.Textarea
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note (facultative)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MergeForm(forms.Form):
    survivor = forms.TypedChoiceField(label=_("Fiche conservée"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, candidate, **kwargs):
        super().__init__(*args, **kwargs)
        first, second = candidate.first, candidate.second
        self.fields["survivor"].choices = [(first.pk, first.name), (second.pk, second.name)]
        for name in MERGEABLE_FIELDS:
            self.fields[f"take_{name}"] = forms.BooleanField(required=False)

    def taken_fields(self):
        return [name for name in MERGEABLE_FIELDS if self.cleaned_data.get(f"take_{name}")]


class CorrectionForm(forms.Form):
    """ "Corriger puis publier": the correctable values of a proposal (services.CORRECTABLE_*),
    prefilled with what was proposed; `corrections()` gives them back for the service."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    # Roughly the Métropole and its surroundings: a position outside is a typo (or lat/lon swapped).
    LAT_RANGE = (45.4, 46.1)
    LON_RANGE = (4.5, 5.3)

    def __init__(self, *args, change, **kwargs):
        self.change = change
        proposed = change.proposed
        initial = {"revision": change.revision}
        initial.update({name: proposed.get(name) or "" for name in CORRECTABLE_FIELDS})
        super().__init__(*args, initial=initial, **kwargs)
        for name in CORRECTABLE_FIELDS:
            model_field = Association._meta.get_field(name)
            self.fields[name] = model_field.formfield(required=name == "name")
        self.places = []
        for number, place in enumerate(proposed.get("places", []), start=1):
            names = {}
            for name in CORRECTABLE_PLACE_FIELDS:
                key = f"place{number}_{name}"
                if name in ("lat", "lon"):
                    low, high = self.LAT_RANGE if name == "lat" else self.LON_RANGE
                    self.fields[key] = forms.FloatField(
                        label=_("Latitude") if name == "lat" else _("Longitude"),
                        required=False,
                        min_value=low,
                        max_value=high,
                        widget=forms.NumberInput(attrs={"step": "any"}),
                    )
                else:
                    self.fields[key] = Place._meta.get_field(name).formfield(required=name == "address")
                self.initial[key] = place.get(name) if place.get(name) is not None else ""
                names[name] = key
            self.places.append(
                {"number": number, "fields": [self[key] for key in names.values()], "keys": names}
            )
        self.scalar_fields = [self[name] for name in CORRECTABLE_FIELDS]

    def clean(self):
        data = super().clean()
        for place in self.places:
            lat, lon = (data.get(place["keys"][name]) for name in ("lat", "lon"))
            if (lat is None) != (lon is None):
                self.add_error(
                    place["keys"]["lat"], _("Indiquez la latitude et la longitude, ou aucune des deux.")
                )
        return data

    def corrections(self):
        data = self.cleaned_data
        values = {name: data[name] for name in CORRECTABLE_FIELDS}
        values["places"] = [{name: data[key] for name, key in place["keys"].items()} for place in self.places]
        return values
