"""Volunteer needs: what volunteers an association looks for, and residents' answers.

A need is public while it is `current()`: not archived, its end date not passed, its association
published. Residents answer through a form; the answer is stored and e-mailed to the managers.
"""

import datetime

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory import reference

from .associations import Association
from .posted import PostedItem, PostedItemQuerySet

MAX_DURATION_DAYS = 366  # a need ends within about 12 months of its publication


class Moment(models.TextChoices):
    """When the help is wanted: the time filter of /benevolat/. Each maps to a boolean field."""

    WEEKDAYS = "semaine", _("En semaine, en journée")
    EVENINGS = "soirs", _("En soirée")
    WEEKENDS = "week-end", _("Le week-end")
    ONE_OFF = "ponctuel", _("Ponctuellement (événement)")


MOMENT_FIELDS = {
    Moment.WEEKDAYS: "on_weekdays",
    Moment.EVENINGS: "on_evenings",
    Moment.WEEKENDS: "on_weekends",
    Moment.ONE_OFF: "one_off",
}


class VolunteerNeedQuerySet(PostedItemQuerySet):
    def current(self, today=None):
        """What the public sees: not archived, not ended, on a published listing."""
        today = today or timezone.localdate()
        return self.unarchived().filter(ends_on__gte=today, association__status=Association.Status.PUBLISHED)

    def in_area(self, area):
        """Needs at a place in the area or below it, or posted for the area, a parent or a child.

        A need "anywhere in Lyon" is shown to someone looking in Lyon 3e, and a need at a place in
        Lyon 3e to someone looking in Lyon. Ids come from the in-memory reference snapshot.
        """

        snapshot = reference.get()
        below = snapshot.area_descendant_ids(area)
        above = set()
        parent_id = area.parent_id
        while parent_id is not None and parent_id not in above:
            above.add(parent_id)
            parent = snapshot.areas_by_id.get(parent_id)
            parent_id = parent.parent_id if parent is not None else None
        below = sorted(below)
        return self.filter(
            Q(area_id__in=sorted(set(below) | above))
            | Q(place__area_id__in=below)
            | Q(place__quartier_id__in=below)
        )

    def for_category(self, category):
        """Needs of associations in the category or one of its sub-categories."""
        category_ids = sorted(reference.get().category_descendant_ids(category))
        links = Association.categories.through.objects.filter(
            association_id=OuterRef("association_id"), category_id__in=category_ids
        )
        return self.filter(Exists(links))

    def at_moment(self, moment):
        return self.filter(**{MOMENT_FIELDS[Moment(moment)]: True})

    def for_listing(self):
        """The joins of a list of needs: association, place (with its areas) and area."""
        return self.select_related("association", "place__area", "place__quartier", "area")


class VolunteerNeed(PostedItem):
    log_name = "volunteer_need"

    association = models.ForeignKey(
        "directory.Association",
        verbose_name=_("association"),
        on_delete=models.CASCADE,
        related_name="volunteer_needs",
    )
    title = models.CharField(
        _("mission"), max_length=120, help_text=_("Par exemple « Distribution de colis alimentaires ».")
    )
    description = models.TextField(_("description"), max_length=2000)
    schedule = models.CharField(
        _("quand ?"),
        max_length=200,
        blank=True,
        help_text=_("En clair, par exemple « le mardi de 14 h à 17 h » ou « le 12 juin pour la fête »."),
    )
    on_weekdays = models.BooleanField(Moment.WEEKDAYS.label, default=False)
    on_evenings = models.BooleanField(Moment.EVENINGS.label, default=False)
    on_weekends = models.BooleanField(Moment.WEEKENDS.label, default=False)
    one_off = models.BooleanField(Moment.ONE_OFF.label, default=False)
    starts_on = models.DateField(_("à partir du"), null=True, blank=True)
    ends_on = models.DateField(_("jusqu'au"), db_index=True)
    place = models.ForeignKey(
        "directory.Place",
        verbose_name=_("lieu de l'association"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer_needs",
    )
    area = models.ForeignKey(
        "directory.Area",
        verbose_name=_("territoire"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="volunteer_needs",
    )
    skills = models.CharField(_("compétences souhaitées"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("publiée le"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("modifiée le"), default=timezone.now)

    objects = VolunteerNeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("besoin de bénévoles")
        verbose_name_plural = _("besoins de bénévoles")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["archived", "ends_on"], name="volunteer_need_current_idx")]

    def get_absolute_url(self):
        return reverse("directory:volunteer_need", args=[self.pk])

    @property
    def moments(self):
        """The Moment choices ticked, in their order."""
        return [moment for moment, field in MOMENT_FIELDS.items() if getattr(self, field)]

    def has_ended(self, today=None):
        return self.ends_on < (today or timezone.localdate())

    def is_open(self, today=None):
        return not self.archived and not self.has_ended(today) and self.association.is_published

    @property
    def where(self):
        """The place or area shown to residents (the place's area must be loaded)."""
        if self.place is not None:
            return self.place.name or self.place.city_name
        if self.area is not None:
            return self.area.short_name
        return ""

    @staticmethod
    def latest_end(today=None):
        return (today or timezone.localdate()) + datetime.timedelta(days=MAX_DURATION_DAYS)


class VolunteerResponse(models.Model):
    """A resident's answer to a need. Kept so that the managers see it in their space."""

    need = models.ForeignKey(
        VolunteerNeed, verbose_name=_("besoin"), on_delete=models.CASCADE, related_name="responses"
    )
    name = models.CharField(_("nom"), max_length=120)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    message = models.TextField(_("message"), max_length=2000)
    # The hidden token of the form: a double submit of one form stores one answer.
    form_token = models.UUIDField(_("jeton du formulaire"), editable=False)
    created_at = models.DateTimeField(_("envoyée le"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("réponse à un besoin de bénévoles")
        verbose_name_plural = _("réponses aux besoins de bénévoles")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["need", "form_token"], name="volunteer_response_once"),
        ]

    def __str__(self):
        return f"{self.name} · {self.need}"
