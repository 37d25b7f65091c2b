from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from directory.models import PendingChange, Report
from directory.moderation.services import MERGEABLE_FIELDS
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
