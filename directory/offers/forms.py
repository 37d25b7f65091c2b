"""The service form of the association space: one service's values (listings/state.py)."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from directory import hours as hours_lib
from directory import reference
from directory.listings import state
from directory.listings.forms import WeekHoursFields
from directory.models import Service
from directory.opening.forms import parse_week


def category_choices(snap: reference.Snapshot) -> list[tuple[str, Any]]:
    """The needs grouped under their top category, as the listing form shows them."""
    ordered = sorted(snap.categories.values(), key=lambda c: (c.position, c.name))
    return [
        (top.label, [(c.slug, c.label) for c in ordered if c.parent_id == top.pk] or [(top.slug, top.label)])
        for top in sorted(snap.top_categories(), key=lambda c: (c.position, c.name))
    ]


def place_label(place: dict[str, Any], snap: reference.Snapshot) -> str:
    area = snap.areas.get(place.get("area") or "")
    where = f"{place.get('address', '')}, {area.short_name if area else place.get('postcode', '')}"
    return f"{place['name']} ({where})" if place.get("name") else where


class ServiceForm(WeekHoursFields):
    """One service; `places` are the listing's places (their values, in order)."""

    name = forms.CharField(
        label=_("Nom du service"),
        min_length=3,
        max_length=150,
        help_text=_("Par exemple « Cours de français » ou « Colis alimentaire »."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ce qui se passe, pour qui, en phrases simples."),
    )
    kind = forms.ChoiceField(label=_("Type de service"), choices=Service.Kind.choices, required=False)
    categories = forms.MultipleChoiceField(
        label=_("Besoins auxquels ce service répond"), widget=forms.CheckboxSelectMultiple
    )
    audiences = forms.MultipleChoiceField(
        label=_("Pour qui ?"), required=False, widget=forms.CheckboxSelectMultiple
    )
    audiences_details = forms.CharField(
        label=_("Précisions sur les publics"),
        required=False,
        max_length=280,
        help_text=_("Par exemple « de 6 à 11 ans »."),
    )
    fees = forms.ChoiceField(label=_("Tarifs"), choices=Service.Fees.choices, required=False)
    fees_details = forms.CharField(label=_("Détail des tarifs"), required=False, max_length=240)
    reception = forms.ChoiceField(label=_("Accueil"), choices=Service.Reception.choices, required=False)
    modes = forms.MultipleChoiceField(
        label=_("Où ?"), choices=Service.Mode.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    at_home = forms.BooleanField(label=_("À domicile"), required=False)
    places = forms.TypedMultipleChoiceField(
        label=_("Dans quels lieux ?"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    mobilisation = forms.MultipleChoiceField(
        label=_("Comment en bénéficier ?"),
        choices=Service.Mobilisation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mobilisable_by = forms.MultipleChoiceField(
        label=_("Qui peut le demander ?"),
        choices=Service.MobilisableBy.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    booking_url = forms.URLField(
        label=_("Lien d'inscription ou de réservation"),
        required=False,
        max_length=300,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    mobilisation_details = forms.CharField(
        label=_("Précisions pour en bénéficier"), required=False, max_length=400
    )
    access_conditions = forms.CharField(
        label=_("Conditions d'accès"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Par exemple « sur orientation d'un travailleur social »."),
    )
    documents = forms.CharField(
        label=_("Documents à apporter"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    languages = forms.MultipleChoiceField(
        label=_("Langues parlées"), required=False, widget=forms.CheckboxSelectMultiple
    )
    hours_note = forms.CharField(label=_("Précisions sur les horaires"), required=False, max_length=240)
    phone = forms.CharField(
        label=_("Téléphone"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text=_("Seulement s'il diffère de celui de l'association."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    contact_name = forms.CharField(label=_("Personne à contacter"), required=False, max_length=120)
    status = forms.ChoiceField(
        label=_("État"), choices=Service.Status.choices, initial=Service.Status.RUNNING
    )
    paused_until = forms.DateField(
        label=_("En pause jusqu'au"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Vide : en pause jusqu'à nouvel ordre."),
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    pending_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    FIELDSETS = [
        (_("Le service"), ["name", "description", "kind"]),
        (
            _("Pour qui et à quelles conditions"),
            [
                "categories",
                "audiences",
                "audiences_details",
                "fees",
                "fees_details",
                "reception",
                "access_conditions",
                "documents",
                "languages",
            ],
        ),
        (
            _("Où et comment"),
            [
                "modes",
                "at_home",
                "places",
                "mobilisation",
                "mobilisable_by",
                "booking_url",
                "mobilisation_details",
            ],
        ),
        (_("Horaires du service"), [f"hours_{index}" for index in range(7)] + ["hours_note"]),
        (_("Contact, s'il diffère de celui de l'association"), ["phone", "email", "contact_name"]),
        (_("État"), ["status", "paused_until"]),
    ]

    def fieldsets(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.FIELDSETS
        ]

    def __init__(self, *args: Any, places: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        snap = reference.get()
        self._choices("categories", category_choices(snap))
        self._choices(
            "audiences",
            [(a.slug, a.label) for a in sorted(snap.audiences.values(), key=lambda a: (a.position, a.name))],
        )
        self._choices(
            "languages",
            [
                (lang.code, lang.label)
                for lang in sorted(snap.languages.values(), key=lambda x: (x.position, x.name))
            ],
        )
        self._choices("places", [(index, place_label(place, snap)) for index, place in enumerate(places)])
        if not places:
            del self.fields["places"]

    def _choices(self, name: str, choices: list[Any]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["hours"] = parse_week(self, cleaned, "hours")
        if cleaned.get("status") != Service.Status.PAUSED:
            cleaned["paused_until"] = None
        modes = cleaned.get("modes") or []
        if Service.Mode.IN_PERSON in modes and "places" in self.fields and not cleaned.get("places"):
            self.add_error(
                "places",
                ValidationError(
                    _("Choisissez au moins un lieu, ou décochez « Sur place »."), code="no_place"
                ),
            )
        if Service.Mobilisation.LINK in (cleaned.get("mobilisation") or []) and not cleaned.get(
            "booking_url"
        ):
            self.add_error(
                "booking_url",
                ValidationError(_("Indiquez le lien d'inscription ou de réservation."), code="no_link"),
            )
        return cleaned

    def values(self) -> dict[str, Any]:
        """The service's values as the listing's state holds them."""
        data = self.cleaned_data
        values = {name: data[name] for name in state.SERVICE_FIELDS if name in data}
        for name in (
            "categories",
            "audiences",
            "languages",
            "modes",
            "mobilisation",
            "mobilisable_by",
            "places",
        ):
            values[name] = sorted(data.get(name) or [])
        values["paused_until"] = data["paused_until"].isoformat() if data.get("paused_until") else None
        return values


def service_initial(service: dict[str, Any]) -> dict[str, Any]:
    """The form's initial values from a service's values."""
    initial = {name: service.get(name) for name in state.SERVICE_FIELDS if name != "hours"}
    for index in range(7):
        initial[f"hours_{index}"] = hours_lib.format_day((service.get("hours") or {}).get(str(index), []))
    return initial
