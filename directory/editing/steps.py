"""The add form in steps: what each step asks, its form, and how it fills a ListingDraft.

A step is one entry of STEPS: a slug (its URL), a title, and `build(draft, data, files,
request)` returning an object with `is_valid()`, `values()` (the part of the listing's values
it fills, in the shape of directory.listings.state) and `uploads()` (the images it keeps, or
None). Adding a step (the services of a listing, say) is adding an entry here and a template
`editor/steps/<slug>.html`; the review and the progress follow. Every public field of a listing
belongs to exactly one step (tests/test_editor_steps.py checks it).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, cast

from django import forms
from django.core.files.storage import default_storage
from django.forms.boundfield import BoundWidget
from django.utils.translation import gettext_lazy as _

from directory import images, reference
from directory.editing import uploads as temp_uploads
from directory.editing.forms import (
    MAX_PHOTOS,
    MAX_PLACES,
    BasePlaceFormSet,
    ListingForm,
    PhotoFields,
    PlaceValuesForm,
    place_initial,
)
from directory.models import Area, Association, ListingDraft

# Postcodes -----------------------------------------------------------------------------------


def postcode_areas() -> dict[str, list[tuple[str, str]]]:
    """{postcode: [(area slug, label), …]}: the communes and Lyon's arrondissements of each
    postcode of the Métropole (69250 covers six communes, 69003 one arrondissement)."""
    snap = reference.get()
    found: dict[str, list[tuple[str, str]]] = {}
    areas = [
        a
        for a in snap.areas.values()
        if a.kind in (Area.Kind.COMMUNE, Area.Kind.ARRONDISSEMENT) and a.insee != "69123"
    ]
    for area in sorted(areas, key=lambda a: a.short_name):
        for postcode in area.postcode_list:
            found.setdefault(postcode, []).append((area.slug, area.short_label))
    return found


# Forms -----------------------------------------------------------------------------------------


@dataclass
class ChoiceGroup:
    """A group of checkboxes shown as one collapsible block (a need and its sub-needs)."""

    label: str
    widgets: list[BoundWidget]
    checked: int = 0


class ListingStepForm(ListingForm):
    """The fields of ListingForm that one step asks, under the same names ("listing-name")."""

    required_css_class = "required"

    def __init__(self, *args: Any, step_fields: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in step_fields:
                del self.fields[name]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: sorted(data[name]) if name in ("categories", "audiences", "languages") else data[name]
            for name in self.fields
        }

    def uploads(self) -> None:
        return None

    def choice_groups(self, name: str) -> list[ChoiceGroup]:
        """The checkboxes of `name` in their groups (a flat list of choices is one group)."""
        widgets = iter(self[name].subwidgets)
        groups = []
        choices: Any = cast("forms.ChoiceField", self.fields[name]).choices
        for label, options in choices:
            if isinstance(options, (list, tuple)):
                items = [next(widgets) for _option in options]
            else:
                items, label = [next(widgets)], self.fields[name].label
            groups.append(ChoiceGroup(str(label), items, sum(bool(w.data["selected"]) for w in items)))
        if groups and all(len(g.widgets) == 1 for g in groups):
            flat = [w for g in groups for w in g.widgets]
            return [ChoiceGroup(str(self.fields[name].label), flat, sum(g.checked for g in groups))]
        return groups

    @property
    def category_groups(self) -> list[ChoiceGroup]:
        return self.choice_groups("categories")

    @property
    def audience_groups(self) -> list[ChoiceGroup]:
        return self.choice_groups("audiences")

    @property
    def language_groups(self) -> list[ChoiceGroup]:
        return self.choice_groups("languages")


class StepPlaceForm(PlaceValuesForm):
    """A place whose commune may be left to its postcode: derived when the postcode has one,
    offered among its communes when it has several."""

    required_css_class = "required"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].required = False
        self.fields["area"].help_text = _("Laissez vide : nous la déduisons du code postal.")
        # The step says the format of the hours once, above the days, rather than under each.
        for index in range(7):
            for name in (f"hours_{index}", f"school_hours_{index}"):
                if name in self.fields:
                    self.fields[name].help_text = ""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        postcode, area = cleaned.get("postcode"), cleaned.get("area")
        if not postcode:
            return cleaned
        choices = postcode_areas().get(postcode, [])
        slugs = [slug for slug, _label in choices]
        if not area:
            if len(choices) == 1:
                cleaned["area"] = slugs[0]
            elif choices:
                cast("forms.ChoiceField", self.fields["area"]).choices = [("", "—"), *choices]
                self.add_error(
                    "area", _("Ce code postal couvre plusieurs communes : choisissez la vôtre dans la liste.")
                )
            else:
                self.add_error("area", _("Choisissez la commune ou l'arrondissement."))
        elif choices and area not in slugs:
            self.add_error(
                "area",
                _("Le code postal %(postcode)s n'est pas celui de cette commune : vérifiez l'un ou l'autre.")
                % {"postcode": postcode},
            )
        return cleaned


class StepPlaceFormSet(BasePlaceFormSet):
    def uploads(self) -> None:
        return None


PlacesStepFormSet = cast(
    "type[StepPlaceFormSet]",
    forms.formset_factory(
        StepPlaceForm,
        formset=StepPlaceFormSet,
        extra=1,
        can_delete=True,
        max_num=MAX_PLACES,
        validate_max=True,
    ),
)


class PlacesStepForm:
    """The places step: the place formset (one place at least), its values replace the draft's."""

    def __init__(self, formset: StepPlaceFormSet, previous: list[dict[str, Any]]) -> None:
        self.formset = formset
        self.previous = previous

    def is_valid(self) -> bool:
        return bool(self.formset.is_valid())

    def values(self) -> dict[str, Any]:
        return {"places": self.formset.values(self.previous)}

    def uploads(self) -> None:
        return None


class ImageKeepingMixin:
    """A form whose image, once checked and re-encoded, is kept as a temporary upload at once,
    whatever the other fields say: a refused form never asks for it again. The hidden field
    `<name>_upload` carries the key of what was kept."""

    request: Any = None

    def keep_image(self, name: str) -> temp_uploads.TemporaryUpload | None:
        form: Any = self
        upload = form.cleaned_data.get(name)
        if upload:
            # Decoded here rather than once the whole form is valid (the editor's order): only
            # images and their descriptions are on this step, and keeping one is the point.
            images.check_image(upload)
            processed = images.process_image(upload)
            kept = temp_uploads.upload_keep(request=self.request, processed=processed, name=upload.name)
        else:
            kept = temp_uploads.upload_get(request=self.request, key=form.cleaned_data.get(f"{name}_upload"))
        setattr(self, f"kept_{name}", kept)
        return kept


class LogoStepForm(ImageKeepingMixin, forms.Form):
    logo_upload = forms.CharField(required=False, widget=forms.HiddenInput)
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("JPEG, PNG ou WebP, 5 Mo au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_logo = forms.BooleanField(label=_("Ne pas mettre ce logo"), required=False)

    def __init__(self, *args: Any, request: Any, **kwargs: Any) -> None:
        self.request = request
        self.kept_logo: temp_uploads.TemporaryUpload | None = None
        super().__init__(*args, **kwargs)

    def clean_logo(self) -> temp_uploads.TemporaryUpload | None:
        return self.keep_image("logo")

    def key(self) -> str:
        if self.cleaned_data.get("remove_logo") or not self.kept_logo:
            return ""
        return str(self.kept_logo.key)


class PhotoStepForm(ImageKeepingMixin, PhotoFields):
    field_order = ("image_upload", "image", "alt")

    image_upload = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, request: Any, **kwargs: Any) -> None:
        self.request = request
        self.kept_image: temp_uploads.TemporaryUpload | None = None
        super().__init__(*args, **kwargs)

    def clean_image(self) -> temp_uploads.TemporaryUpload | None:
        return self.keep_image("image")

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.kept_image and not cleaned.get("alt", "").strip() and not cleaned.get("DELETE"):
            self.add_error("alt", _("Décrivez la photo en quelques mots."))
        return cleaned


class BasePhotoStepFormSet(forms.BaseFormSet):
    default_error_messages = {"too_many_forms": _("%(num)d photos au plus.")}  # noqa: RUF012 (Django's)

    def __init__(self, *args: Any, request: Any, **kwargs: Any) -> None:
        kwargs["form_kwargs"] = {**(kwargs.get("form_kwargs") or {}), "request": request}
        super().__init__(*args, **kwargs)

    def kept(self) -> list[dict[str, str]]:
        return [
            {"upload": str(form.kept_image.key), "alt": form.cleaned_data["alt"].strip()}
            for form in self.forms
            if form.kept_image and not form.cleaned_data.get("DELETE")
        ]


PhotoStepFormSet = cast(
    "type[BasePhotoStepFormSet]",
    forms.formset_factory(
        PhotoStepForm,
        formset=BasePhotoStepFormSet,
        extra=0,
        min_num=3,
        can_delete=True,
        max_num=MAX_PHOTOS,
        absolute_max=MAX_PHOTOS,
        validate_max=True,
    ),
)


class PhotosStepForm:
    """The logo and the photos: each image kept as soon as it is sent (directory.editing.uploads)."""

    def __init__(self, logo: LogoStepForm, photos: BasePhotoStepFormSet) -> None:
        self.logo = logo
        self.photos = photos

    def is_valid(self) -> bool:
        return all([self.logo.is_valid(), self.photos.is_valid()])

    def values(self) -> dict[str, Any]:
        return {}

    def uploads(self) -> dict[str, Any]:
        return {"logo": self.logo.key(), "photos": self.photos.kept()}


class KeptImagesForm(forms.Form):
    """An edited listing's images already stored: the logo to remove, each photo's description
    and removal (fields `alt_<id>`, `remove_<id>`)."""

    def __init__(self, *args: Any, logo: str, photos: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.logo = logo
        self.photos = photos
        if logo:
            self.fields["remove_logo"] = forms.BooleanField(label=_("Retirer le logo actuel"), required=False)
        for number, photo in enumerate(photos, start=1):
            self.fields[f"alt_{photo['id']}"] = forms.CharField(
                label=_("Ce que montre la photo %(n)s") % {"n": number},
                max_length=200,
                initial=photo.get("alt", ""),
            )
            self.fields[f"remove_{photo['id']}"] = forms.BooleanField(
                label=_("Retirer la photo %(n)s") % {"n": number}, required=False
            )

    @property
    def logo_url(self) -> str:
        return default_storage.url(self.logo) if self.logo else ""

    def photo_rows(self) -> list[tuple[dict[str, Any], Any, Any]]:
        return [(p, self[f"alt_{p['id']}"], self[f"remove_{p['id']}"]) for p in self.photos]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "logo": "" if data.get("remove_logo") else self.logo,
            "photos": [
                {"id": p["id"], "alt": data[f"alt_{p['id']}"].strip()}
                for p in self.photos
                if not data.get(f"remove_{p['id']}")
            ],
        }


class EditPhotosStepForm(PhotosStepForm):
    """The photos step of an edit draft: the images already stored (kept, described, removed)
    and new ones, kept as temporary uploads until the draft is sent."""

    def __init__(self, kept: KeptImagesForm, logo: LogoStepForm, photos: BasePhotoStepFormSet) -> None:
        super().__init__(logo, photos)
        self.kept = kept

    def is_valid(self) -> bool:
        valid = all([self.kept.is_valid(), super().is_valid()])
        if valid and len(self.kept.values()["photos"]) + len(self.photos.kept()) > MAX_PHOTOS:
            self.kept.add_error(None, _("%(num)d photos au plus.") % {"num": MAX_PHOTOS})
            return False
        return valid

    def values(self) -> dict[str, Any]:
        return self.kept.values()


# Steps -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    slug: str
    title: Any  # a lazy translation
    intro: Any
    listing_fields: tuple[str, ...] = field(default=())
    kind: str = "listing"  # "listing", "places" or "photos"

    @property
    def template(self) -> str:
        return f"editor/steps/{self.slug}.html"

    @property
    def fields(self) -> tuple[str, ...]:
        """The names of the values this step fills (for the review)."""
        return {"places": ("places",), "photos": ("logo", "photos")}.get(self.kind, self.listing_fields)

    def build(
        self, draft: ListingDraft, *, request: Any
    ) -> ListingStepForm | PlacesStepForm | PhotosStepForm:
        """The step's form over the draft's values, bound to what the request sent (a POST)."""
        data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
        values = draft.values
        if self.kind == "places":
            places = values.get("places", [])
            formset = PlacesStepFormSet(data, initial=[place_initial(p) for p in places], prefix="places")
            return PlacesStepForm(formset, places)
        if self.kind == "photos":
            kept = draft.uploads or {}
            logo = LogoStepForm(
                data, files, request=request, prefix="listing", initial={"logo_upload": kept.get("logo", "")}
            )
            if not data and kept.get("logo"):
                logo.kept_logo = temp_uploads.upload_get(request=request, key=kept["logo"])
            photos = PhotoStepFormSet(
                data,
                files,
                request=request,
                prefix="photos",
                initial=[
                    {"image_upload": p["upload"], "alt": p.get("alt", "")} for p in kept.get("photos", [])
                ],
            )
            if not data:
                for form, photo in zip(photos.forms, kept.get("photos", []), strict=False):
                    form.kept_image = temp_uploads.upload_get(request=request, key=photo["upload"])
            if draft.base_version is None:
                return PhotosStepForm(logo, photos)
            stored = KeptImagesForm(
                data, logo=values.get("logo") or "", photos=values.get("photos", []), prefix="kept"
            )
            return EditPhotosStepForm(stored, logo, photos)
        initial = {name: values[name] for name in self.listing_fields if name in values}
        # An edit draft's own listing is left out of the RNA uniqueness check.
        instance = copy.copy(draft.association) if draft.association_id else Association()
        return ListingStepForm(
            data,
            files,
            instance=instance,
            initial=initial,
            prefix="listing",
            step_fields=self.listing_fields,
        )


STEPS = [
    Step(
        "identite",
        _("Identité"),
        _("Le nom de l'association et ce qu'elle fait, en quelques mots."),
        ("name", "short_description", "description", "rna", "siret"),
    ),
    Step(
        "offre",
        _("Ce que vous proposez"),
        _("Les besoins auxquels vous répondez : c'est ainsi que les habitants vous trouvent."),
        (
            "categories",
            "audiences",
            "reception",
            "fees",
            "fees_details",
            "languages",
            "volunteers_sought",
            "volunteers_details",
        ),
    ),
    Step(
        "lieux",
        _("Où et quand"),
        _("Les adresses où vous recevez le public, et leurs horaires."),
        kind="places",
    ),
    Step(
        "contact",
        _("Contact"),
        _(
            "Comment vous joindre. Tout est facultatif, mais un téléphone ou une adresse e-mail aide beaucoup."
        ),
        ("phone", "email", "website", "social_links"),
    ),
    Step(
        "photos",
        _("Logo et photos"),
        _("Facultatif. Les informations cachées des photos (lieu GPS, appareil) sont effacées."),
        kind="photos",
    ),
]
STEPS_BY_SLUG = {step.slug: step for step in STEPS}
# The steps a draft must have been through before it is sent (the photos are optional).
REQUIRED_STEPS = [step.slug for step in STEPS if step.kind != "photos"]


def next_step(draft: ListingDraft) -> Step | None:
    """The first step not filled in yet, or None when the draft may be reviewed."""
    return next((step for step in STEPS if step.slug not in draft.steps_done), None)


def step_number(step: Step) -> int:
    return STEPS.index(step) + 1
