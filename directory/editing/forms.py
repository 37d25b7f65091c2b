"""Forms of the association space: the listing editor (every public field, places with hours,
logo and photos), claims and invitations. They produce the JSON values of
directory.listings.state; they never save a model themselves."""

import copy
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from directory import hours as hours_lib
from directory import images, reference
from directory.editing import uploads as temp_uploads
from directory.listings.forms import WeekHoursFields
from directory.listings.state import SCALAR_FIELDS
from directory.models import Area, Association, Place
from directory.opening.forms import CalendarFields, calendar_initial

MAX_PHOTOS = 6
MAX_PLACES = 10
# The place values the calendar fields hold in another form (typed text, per-day fields).
CALENDAR_KEYS = {"hours", "school_hours", "exceptions"}


class ListingForm(forms.ModelForm):
    """Every public scalar field of a listing, its categories, audiences, languages and logo."""

    categories = forms.MultipleChoiceField(
        label=_("Besoins auxquels l'association répond"),
        help_text=_("Cochez tout ce qui correspond : c'est ainsi que les habitants vous trouvent."),
        widget=forms.CheckboxSelectMultiple,
    )
    audiences = forms.MultipleChoiceField(
        label=_("Pour qui ?"), required=False, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Langues parlées à l'accueil"), required=False, widget=forms.CheckboxSelectMultiple
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("JPEG, PNG ou WebP, 5 Mo au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_logo = forms.BooleanField(label=_("Retirer le logo actuel"), required=False)
    # The key of a logo chosen in a submission that was refused (directory/editing/uploads.py).
    logo_upload = forms.CharField(required=False, widget=forms.HiddenInput)
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    pending_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        model = Association
        fields = SCALAR_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "social_links": forms.Textarea(attrs={"rows": 3}),
            "short_description": forms.Textarea(attrs={"rows": 2}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "website": forms.URLInput(attrs={"placeholder": "https://"}),
        }
        help_texts = {
            "rna": _("Facultatif. W suivi de 9 chiffres, sur le récépissé de la préfecture."),
            "siret": _("Facultatif. 14 chiffres."),
            "email": _("Affiché sur la fiche : une adresse de l'association, pas une adresse personnelle."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        snap = reference.get()
        tops = sorted(snap.top_categories(), key=lambda c: (c.position, c.name))
        self.fields["categories"].choices = [
            (
                top.label,
                [
                    (c.slug, c.label)
                    for c in sorted(snap.categories.values(), key=lambda c: (c.position, c.name))
                    if c.parent_id == top.pk
                ]
                or [(top.slug, top.label)],
            )
            for top in tops
        ]
        self.fields["audiences"].choices = [
            (a.slug, a.label) for a in sorted(snap.audiences.values(), key=lambda a: (a.position, a.name))
        ]
        self.fields["languages"].choices = [
            (lang.code, lang.label)
            for lang in sorted(snap.languages.values(), key=lambda x: (x.position, x.name))
        ]
        self.fields["name"].help_text = _("Le nom sous lequel les habitants connaissent l'association.")

    def clean_rna(self):
        rna = self.cleaned_data["rna"].strip().upper()
        if rna and Association.objects.filter(rna=rna).exclude(pk=self.instance.pk).exists():
            raise ValidationError(
                _("Une fiche existe déjà avec ce numéro RNA : revendiquez-la plutôt que d'en créer une."),
                code="duplicate_rna",
            )
        return rna

    def clean_siret(self):
        return self.cleaned_data["siret"].replace(" ", "")

    def clean_logo(self):
        # Checked here, decoded by ListingEditor.is_valid() once everything else is valid.
        upload = self.cleaned_data.get("logo")
        return images.check_image(upload) if upload else None

    def values(self):
        data = self.cleaned_data
        values = {name: data[name] for name in SCALAR_FIELDS}
        values["categories"] = sorted(data["categories"])
        values["audiences"] = sorted(data["audiences"])
        values["languages"] = sorted(data["languages"])
        return values


def _area_choices(snap):
    tops = [a for a in snap.areas.values() if a.kind in (Area.Kind.COMMUNE, Area.Kind.ARRONDISSEMENT)]
    tops = [a for a in tops if a.insee != "69123"]  # Lyon itself: its arrondissements are chosen
    return [("", "—")] + [(a.slug, a.short_label) for a in sorted(tops, key=lambda a: a.short_name)]


def _quartier_choices(snap):
    quartiers = [a for a in snap.areas.values() if a.kind == Area.Kind.QUARTIER]
    return [("", _("Je ne sais pas / aucun"))] + [
        (a.slug, f"{a.name} ({a.parent.short_label})" if a.parent else a.name)
        for a in sorted(quartiers, key=lambda a: a.name)
    ]


class PlaceValuesForm(CalendarFields, WeekHoursFields):
    """One place where the association receives people, with its hours typed day by day."""

    kind = forms.ChoiceField(label=_("Type de lieu"), choices=Place.Kind.choices, initial=Place.Kind.SEAT)
    name = forms.CharField(label=_("Nom du lieu (facultatif)"), max_length=120, required=False)
    address = forms.CharField(
        label=_("Adresse"), max_length=250, widget=forms.TextInput(attrs={"autocomplete": "street-address"})
    )
    postcode = forms.RegexField(
        label=_("Code postal"),
        regex=r"^69\d{3}$",
        error_messages={"invalid": _("Un code postal de la Métropole : 5 chiffres commençant par 69.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    area = forms.ChoiceField(label=_("Commune ou arrondissement"))
    quartier = forms.ChoiceField(label=_("Quartier (facultatif)"), required=False)
    hours_note = forms.CharField(label=_("Précisions sur les horaires"), max_length=240, required=False)
    closed_from = forms.DateField(
        label=_("Fermeture temporaire du"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    closed_until = forms.DateField(
        label=_("au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    closure_message = forms.CharField(label=_("Message de fermeture"), max_length=240, required=False)
    wheelchair = forms.ChoiceField(
        label=_("Accès en fauteuil roulant"), choices=Place.Wheelchair.choices, required=False
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        snap = reference.get()
        self.fields["area"].choices = _area_choices(snap)
        self.fields["quartier"].choices = _quartier_choices(snap)

    def clean(self):
        cleaned = super().clean()
        cleaned["hours"] = self.clean_week_hours(cleaned)
        cleaned["calendar"] = self.clean_calendar(cleaned)
        snap = reference.get()
        area, quartier = snap.areas.get(cleaned.get("area")), snap.areas.get(cleaned.get("quartier") or "")
        if area and quartier and quartier.parent_id != area.pk:
            self.add_error("quartier", _("Ce quartier n'est pas dans la commune ou l'arrondissement choisi."))
        self.check_closure_dates(cleaned)
        return cleaned

    def values(self, previous=None):
        data = self.cleaned_data
        value = {
            "kind": data["kind"],
            "name": data["name"],
            "address": data["address"],
            "postcode": data["postcode"],
            "area": data["area"],
            "quartier": data.get("quartier") or "",
            "lat": data.get("lat"),
            "lon": data.get("lon"),
            "hours": data["hours"],
            "hours_note": data["hours_note"],
            **data["calendar"],
            "closed_from": data["closed_from"].isoformat() if data.get("closed_from") else None,
            "closed_until": data["closed_until"].isoformat() if data.get("closed_until") else None,
            "closure_message": data["closure_message"],
            "wheelchair": data.get("wheelchair") or "",
        }
        # The coordinates follow the address: a moved place loses its map pin until geocoded.
        if previous is None or any(previous.get(k) != value[k] for k in ("address", "postcode", "area")):
            value["lat"] = value["lon"] = None
        return value


class BasePlaceFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if not any(self.errors) and not self._kept_forms():
            raise ValidationError(_("Indiquez au moins un lieu où l'association reçoit le public."))

    def _kept_forms(self):
        """(index, form) of the places to keep: every existing one not deleted, and new ones filled in."""
        return [
            (index, form)
            for index, form in enumerate(self.forms)
            if (index < self.initial_form_count() or form.has_changed())
            and not self._should_delete_form(form)
        ]

    def values(self, previous_places=()):
        return [
            form.values(previous_places[index] if index < len(previous_places) else None)
            for index, form in self._kept_forms()
        ]


PlaceFormSet = forms.formset_factory(
    PlaceValuesForm, formset=BasePlaceFormSet, extra=1, can_delete=True, max_num=MAX_PLACES, validate_max=True
)


def place_initial(place):
    initial = {k: v for k, v in place.items() if k not in CALENDAR_KEYS}
    initial.update(calendar_initial(place))
    for index in range(7):
        initial[f"hours_{index}"] = hours_lib.format_day((place.get("hours") or {}).get(str(index), []))
    return initial


class PhotoFields(forms.Form):
    """A photo's image and its description, as the one-page form (PhotoForm) and the photos step
    (steps.PhotoStepForm) ask them."""

    image = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt = forms.CharField(
        label=_("Ce que montre la photo"),
        max_length=200,
        required=False,
        help_text=_("Lu aux personnes aveugles, par exemple « Bénévoles servant un repas »."),
    )


class PhotoForm(PhotoFields):
    """A photo already sent (`photo_id`) or a new one (`image`), with its description."""

    field_order = ("photo_id", "image", "alt")

    photo_id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_image(self):
        # Checked here, decoded by ListingEditor.is_valid() once everything else is valid.
        upload = self.cleaned_data.get("image")
        return images.check_image(upload) if upload else None

    def clean(self):
        cleaned = super().clean()
        has_photo = cleaned.get("photo_id") or cleaned.get("image")
        if has_photo and not cleaned.get("alt", "").strip() and not self.errors:
            self.add_error("alt", _("Décrivez la photo en quelques mots."))
        return cleaned


class BasePhotoFormSet(forms.BaseFormSet):
    # More forms than MAX_PHOTOS (absolute_max) are refused before any is read, with this message.
    default_error_messages = {"too_many_forms": _("%(num)d photos au plus.")}

    def __init__(self, *args, allowed_ids=(), **kwargs):
        self.allowed_ids = set(allowed_ids)
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        count = 0
        for form in self.forms:
            if self._should_delete_form(form):
                continue
            photo_id = form.cleaned_data.get("photo_id")
            if photo_id and photo_id not in self.allowed_ids:
                raise ValidationError(_("Photo inconnue."))
            count += bool(photo_id or form.cleaned_data.get("image"))
        if count > MAX_PHOTOS:
            raise ValidationError(_("%(n)d photos au plus.") % {"n": MAX_PHOTOS})

    def new_photo_forms(self):
        return [
            form
            for form in self.forms
            if not self._should_delete_form(form)
            and not form.cleaned_data.get("photo_id")
            and form.cleaned_data.get("image")
        ]

    def kept(self):
        """([{"id", "alt"}] of the photos kept, [(ProcessedImage, alt)] of the new ones)."""
        kept, new = [], []
        for form in self.forms:
            if self._should_delete_form(form):
                continue
            data = form.cleaned_data
            if data.get("photo_id"):
                kept.append({"id": data["photo_id"], "alt": data["alt"].strip()})
            elif data.get("image"):
                new.append((data["image"], data["alt"].strip()))
        return kept, new


def photo_formset_class(existing):
    # max_num and absolute_max bound the forms read from a POST: a request with more photo forms
    # than MAX_PHOTOS is refused before any image is looked at (Django's default is 1,000).
    return forms.formset_factory(
        PhotoForm,
        formset=BasePhotoFormSet,
        extra=max(0, min(3, MAX_PHOTOS - existing)),
        can_delete=True,
        max_num=MAX_PHOTOS,
        absolute_max=MAX_PHOTOS,
        validate_max=True,
    )


class ListingEditor:
    """The three parts of the editor as one object: the listing, its places, its photos."""

    def __init__(
        self, *, values, base_version, pending_revision, association=None, data=None, files=None, request=None
    ):
        self.previous = values
        self.association = association
        self.request = request
        self.kept_logo = None  # a TemporaryUpload: the logo chosen, kept across a refusal
        instance = copy.copy(association) if association is not None else Association()
        initial = {
            **{name: values.get(name) for name in values if name not in ("places", "photos", "logo")},
            "base_version": base_version,
            "pending_revision": pending_revision,
            "form_token": uuid.uuid4(),
        }
        self.form = ListingForm(data, files, instance=instance, initial=initial, prefix="listing")
        self.places = PlaceFormSet(
            data, initial=[place_initial(p) for p in values.get("places", [])], prefix="places"
        )
        photos = values.get("photos", [])
        self.photos = photo_formset_class(len(photos))(
            data,
            files,
            initial=[{"photo_id": p["id"], "alt": p.get("alt", "")} for p in photos],
            prefix="photos",
            allowed_ids=[p["id"] for p in photos],
        )
        self.current_logo = values.get("logo") or ""
        self.current_logo_url = default_storage.url(self.current_logo) if self.current_logo else ""

    def is_valid(self):
        """Every field, place and photo form valid, then each new image decoded (once).

        Decoding is the costly part (up to 40 Mpx per image): it waits until nothing else can
        refuse the request. An image that fails to decode becomes the error of its own field.
        """
        valid = all([self.form.is_valid(), self.places.is_valid(), self.photos.is_valid()])
        self._keep_logo()
        if not valid:
            return False
        uploads = [(self.form, "logo")] if self.form.cleaned_data.get("logo") and not self.kept_logo else []
        uploads += [(form, "image") for form in self.photos.new_photo_forms()]
        for form, field in uploads:
            try:
                form.cleaned_data[field] = images.process_image(form.cleaned_data[field])
            except ValidationError as error:
                form.add_error(field, error)
        return all([self.form.is_valid(), self.photos.is_valid()])

    def _keep_logo(self):
        """A logo chosen now is decoded and kept at once (with a request), whatever the other
        fields say, so that a refused submission does not lose it; one kept by an earlier
        refusal is taken back from its key. Either way cleaned_data["logo"] is then decoded."""
        if self.request is None or not hasattr(self.form, "cleaned_data") or "logo" in self.form.errors:
            return
        upload = self.form.cleaned_data.get("logo")
        if upload:
            try:
                processed = images.process_image(upload)
            except ValidationError as error:
                self.form.add_error("logo", error)
                return
            self.kept_logo = temp_uploads.upload_keep(
                request=self.request, processed=processed, name=upload.name
            )
        else:
            key = self.form.cleaned_data.get("logo_upload")
            self.kept_logo = temp_uploads.upload_get(request=self.request, key=key) if key else None
            if self.kept_logo is None:
                return
            processed = temp_uploads.processed(self.kept_logo)
        self.form.cleaned_data["logo"] = processed

    def values(self):
        values = self.form.values()
        values["places"] = self.places.values(self.previous.get("places", []))
        kept, _new = self.photos.kept()
        values["photos"] = kept
        values["logo"] = self.current_logo
        if "services" in self.previous:  # edited on their own pages (directory/offers/)
            values["services"] = self.previous["services"]
        return values

    def uploads(self):
        _kept, new = self.photos.kept()
        return {
            "logo": self.form.cleaned_data.get("logo"),
            "remove_logo": self.form.cleaned_data.get("remove_logo", False),
            "new_photos": new,
        }

    @property
    def base_version(self):
        return self.form.cleaned_data["base_version"]

    @property
    def pending_revision(self):
        return self.form.cleaned_data["pending_revision"]

    @property
    def form_token(self):
        return self.form.cleaned_data["form_token"]


class NotDuplicateForm(forms.Form):
    confirm_not_duplicate = forms.BooleanField(
        label=_("Je confirme qu'il s'agit d'une autre association"), required=False
    )


# Claims and managers ------------------------------------------------------------------------


class ClaimCodeRequestForm(forms.Form):
    rna = forms.CharField(
        label=_("Numéro RNA de l'association"),
        max_length=10,
        help_text=_("W suivi de 9 chiffres, par exemple W691234567."),
    )


class ClaimCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code reçu par e-mail"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Le code compte 6 chiffres.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class ClaimRequestForm(forms.Form):
    role = forms.CharField(
        label=_("Votre rôle dans l'association"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Par exemple : présidente depuis 2021, coordinateur salarié, bénévole chargé de la communication."
        ),
    )
    document = forms.FileField(
        label=_("Justificatif (facultatif)"),
        required=False,
        help_text=_("PDF, JPEG ou PNG, 5 Mo au plus : compte rendu d'AG, statuts, courrier à l'en-tête…"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload:
            self.document_kind = images.check_document(upload)
        return upload


class ClaimDecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Message (facultatif)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail de la personne à inviter"))


# News items ----------------------------------------------------------------------------------


class NewsItemForm(forms.Form):
    """A news item: title, plain text, optional http(s) link, optional image with its description."""

    title = forms.CharField(label=_("Titre"), max_length=120)
    text = forms.CharField(
        label=_("Texte"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Texte simple, 2 000 caractères au plus ; les retours à la ligne sont conservés."),
    )
    link = forms.URLField(
        label=_("Lien (facultatif)"),
        max_length=500,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("Une adresse commençant par https:// ou http://"),
    )
    image = forms.FileField(
        label=_("Image (facultative)"),
        required=False,
        help_text=_("JPEG, PNG ou WebP."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    alt = forms.CharField(
        label=_("Ce que montre l'image"),
        max_length=200,
        required=False,
        help_text=_("Lu aux personnes aveugles, par exemple « Affiche de la fête de quartier »."),
    )

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        return images.check_image(upload) if upload else None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("image") and not cleaned.get("alt", "").strip():
            self.add_error("alt", _("Décrivez l'image en quelques mots."))
        if cleaned.get("image") and not self.errors:
            # Decoded last, once nothing else can refuse the form.
            try:
                cleaned["image"] = images.process_image(cleaned["image"])
            except ValidationError as error:
                self.add_error("image", error)
        return cleaned
