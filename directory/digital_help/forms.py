"""Forms of the digital helpers feature (the logged-in pages; no e-mail field anywhere)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from directory.models import Area, DigitalSkill, HelperProfile, HelpRequest


class AreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.short_name


def top_level_areas():
    """Communes and Lyon's arrondissements, Lyon itself first among the L's by name order."""
    return Area.objects.top_level().order_by("name")


class HelperProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Prénom ou pseudonyme"),
        max_length=60,
        help_text=_("C'est tout ce que les associations voient de votre identité."),
    )
    skills = forms.MultipleChoiceField(
        label=_("Ce que vous savez faire"),
        choices=DigitalSkill.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins une compétence.")},
    )
    areas = AreaChoiceField(
        label=_("Où pouvez-vous vous déplacer ?"),
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choisir « Lyon » couvre ses neuf arrondissements."),
    )
    remote = forms.BooleanField(label=_("Je peux aussi aider à distance (téléphone, visio)"), required=False)
    availability = forms.ChoiceField(
        label=_("Votre disponibilité"), choices=HelperProfile.Availability.choices, widget=forms.RadioSelect
    )
    bio = forms.CharField(
        label=_("Quelques mots sur vous (facultatif)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Votre expérience, ce que vous aimez faire. N'y mettez ni adresse e-mail ni téléphone."),
    )
    consent = forms.BooleanField(
        label=_(
            "J'accepte que les associations voient mon prénom ou pseudonyme, mes compétences, "
            "mes territoires et ma présentation. Mon adresse e-mail ne leur est donnée que si "
            "j'accepte de les aider et qu'elles acceptent ma proposition."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = top_level_areas()

    @classmethod
    def initial_for(cls, profile):
        return {
            "display_name": profile.display_name,
            "skills": profile.skill_codes,
            "areas": list(profile.areas.all()),
            "remote": profile.remote,
            "availability": profile.availability,
            "bio": profile.bio,
            "consent": True,
        }

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if "@" in name:
            raise forms.ValidationError(_("Pas d'adresse e-mail ici : un prénom ou un pseudonyme suffit."))
        return name

    def clean(self):
        cleaned = super().clean()
        if "areas" in cleaned and not cleaned["areas"] and not cleaned.get("remote"):
            self.add_error("areas", _("Choisissez au moins un territoire, ou cochez l'aide à distance."))
        return cleaned


class HelpRequestForm(forms.Form):
    title = forms.CharField(
        label=_("Votre besoin en quelques mots"),
        max_length=120,
        help_text=_("Par exemple « Créer une lettre d'information pour nos adhérents »."),
    )
    skills = forms.MultipleChoiceField(
        label=_("Compétences utiles"),
        choices=DigitalSkill.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins une compétence.")},
    )
    description = forms.CharField(
        label=_("Décrivez la demande"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Ce que vous avez déjà, ce qui bloque, ce que vous aimeriez. Les aidants validés la lisent."
        ),
    )
    urgency = forms.ChoiceField(
        label=_("Urgence"),
        choices=HelpRequest.Urgency.choices,
        initial=HelpRequest.Urgency.NORMAL,
        widget=forms.RadioSelect,
    )


class HelpOfferForm(forms.Form):
    message = forms.CharField(
        label=_("Votre message à l'association"),
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Comment vous pourriez aider, quand vous êtes disponible. Votre e-mail n'est pas transmis avant accord."
        ),
    )


class FeedbackForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("L'aide a-t-elle marché ?"), choices=HelpRequest.Feedback.choices, widget=forms.RadioSelect
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Motif (envoyé à l'aidant)"), max_length=500, required=False)
