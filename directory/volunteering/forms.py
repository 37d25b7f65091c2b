"""Forms of volunteer needs: the managers' need form and the residents' answer form."""

import re
import uuid

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from directory.models import Area, Moment, VolunteerNeed
from directory.models.volunteering import MAX_DURATION_DAYS, MOMENT_FIELDS
from directory.security import HumanCheckMixin
from directory.volunteering.services import NEED_FIELDS

PHONE_RE = re.compile(r"^\+?[0-9 .()\-]{6,30}$")


class VolunteerNeedForm(forms.ModelForm):
    """What, when, where, skills, until when. `cleaned_values()` is what the services take."""

    moments = forms.MultipleChoiceField(
        label=_("Quand ?"),
        choices=Moment.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Cochez tout ce qui convient : les habitants filtrent les besoins ainsi."),
    )
    area = forms.ModelChoiceField(
        label=_("Ou bien un territoire"),
        queryset=Area.objects.order_by("kind", "name"),
        to_field_name="slug",
        required=False,
        help_text=_("Si l'aide n'a pas lieu à l'une de vos adresses (par exemple « tout Lyon »)."),
    )

    class Meta:
        model = VolunteerNeed
        fields = ["title", "description", "schedule", "starts_on", "ends_on", "place", "area", "skills"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5, "maxlength": 2000}),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        labels = {
            "title": _("Mission"),
            "description": _("Ce que feront les bénévoles"),
            "schedule": _("Horaires ou dates, en clair (facultatif)"),
            "starts_on": _("À partir du (facultatif)"),
            "ends_on": _("Annonce visible jusqu'au"),
            "place": _("Où ? Un de vos lieux"),
            "skills": _("Compétences souhaitées (facultatif)"),
        }
        help_texts = {
            "ends_on": _("Au plus tard dans 12 mois ; l'annonce disparaît du site après cette date."),
            "skills": _(
                "Par exemple « permis B », « à l'aise avec les enfants » ; rien si tout le monde peut aider."
            ),
        }

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.association = association
        self.fields["place"].queryset = association.places.select_related("area").order_by("position", "pk")
        self.fields["place"].required = False
        self.fields["place"].empty_label = _("— Aucun de nos lieux —")
        self.fields["description"].max_length = 2000
        if self.instance.pk:
            self.initial.setdefault("moments", [m.value for m in self.instance.moments])

    def clean_ends_on(self):
        ends_on = self.cleaned_data["ends_on"]
        today = timezone.localdate()
        if ends_on < today:
            raise forms.ValidationError(_("Cette date est passée."), code="past")
        latest = VolunteerNeed.latest_end(today)
        if ends_on > latest:
            raise forms.ValidationError(
                _("Au plus tard le %(date)s (12 mois) : vous pourrez prolonger l'annonce ensuite."),
                code="too_far",
                params={"date": date_format(latest, "j F Y")},
            )
        return ends_on

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and starts_on > ends_on:
            self.add_error("starts_on", _("Le début doit précéder la fin de l'annonce."))
        if starts_on and (starts_on - timezone.localdate()).days > MAX_DURATION_DAYS:
            self.add_error("starts_on", _("Au plus tard dans 12 mois."))
        if cleaned.get("place"):
            cleaned["area"] = None
        elif not cleaned.get("area") and "place" not in self.errors and "area" not in self.errors:
            self.add_error("place", _("Choisissez un de vos lieux ou un territoire."))
        return cleaned

    def cleaned_values(self):
        data = self.cleaned_data
        values = {name: data[name] for name in NEED_FIELDS if name not in MOMENT_FIELDS.values()}
        values["schedule"] = values["schedule"].strip()
        values["skills"] = values["skills"].strip()
        for moment, field in MOMENT_FIELDS.items():
            values[field] = moment.value in data["moments"]
        return values


class VolunteerAnswerForm(HumanCheckMixin, forms.Form):
    """A resident offers help. HumanCheckMixin adds the honeypot and the signed start time."""

    name = forms.CharField(
        label=_("Votre nom ou prénom"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("Votre e-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = forms.CharField(
        label=_("Votre téléphone (facultatif)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    message = forms.CharField(
        label=_("Votre message"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 2000}),
        help_text=_("Vos disponibilités, ce que vous aimeriez faire, vos questions."),
    )
    consent = forms.BooleanField(
        label=_("J'accepte que l'association reçoive ces informations pour me répondre."),
        error_messages={"required": _("Cochez cette case pour envoyer votre message.")},
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE_RE.match(phone):
            raise forms.ValidationError(_("Numéro de téléphone non reconnu."), code="invalid")
        return phone

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError(_("Écrivez quelques mots à l'association."), code="required")
        return message
