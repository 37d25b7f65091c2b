"""The agenda: events and permanences that managers post on their listing (or that come from
the association's own calendar, directory/agenda/importer.py), and their dated occurrences.

An `Event` holds what the manager wrote and its recurrence; its `EventOccurrence` rows are the
dates it expands to (directory/agenda/recurrence.py), written by the services on every change,
so that /agenda/ filters, orders and paginates dated rows in SQL. Nothing is deleted: an event
is archived ("Retirer"), an occurrence is cancelled (shown struck through, STATUS:CANCELLED in
the .ics). An event is what managers post on a listing (directory.models.posted.PostedItem:
its author and withdrawal; its writes go through directory/posted.py).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .associations import Association
from .posted import PostedItem, PostedItemQuerySet

MAX_SPAN_DAYS = 366  # a recurrence ends within about 12 months of its first date


class EventQuerySet(PostedItemQuerySet):
    def visible(self):
        """What the public may see: not archived, on a published listing."""
        return self.unarchived().filter(association__status=Association.Status.PUBLISHED)

    def to_review(self):
        """Post-moderation: published at once, waiting for a moderator's look."""
        return self.unarchived().filter(needs_review=True)


class OccurrenceQuerySet(models.QuerySet):
    def public(self):
        """Occurrences of visible events (cancelled ones included: they are shown as such)."""
        return self.filter(event__archived=False, event__association__status=Association.Status.PUBLISHED)

    def upcoming(self, now=None):
        """Not ended yet, soonest first."""
        return self.filter(ends_at__gt=now or timezone.now()).order_by("starts_at", "pk")

    def between(self, start, end):
        """Occurrences that overlap [start, end) (aware datetimes)."""
        return self.filter(starts_at__lt=end, ends_at__gt=start)

    def in_area(self, area):
        """Events held in the area or below it (their `area` is a commune or arrondissement)."""
        from directory import reference

        snapshot = reference.get()
        ids = set(snapshot.area_descendant_ids(area))
        parent_id = area.parent_id  # a quartier: its arrondissement's events
        if area.kind == "quartier" and parent_id is not None:
            ids.add(parent_id)
        return self.filter(event__area_id__in=sorted(ids))

    def for_category(self, category):
        """Events of associations in the category or one of its sub-categories."""
        from directory import reference

        category_ids = sorted(reference.get().category_descendant_ids(category))
        links = Association.categories.through.objects.filter(
            association_id=OuterRef("event__association_id"), category_id__in=category_ids
        )
        return self.filter(Exists(links))

    def for_audience(self, audience):
        """Events for this audience, and events that name no audience (open to everyone)."""
        links = Event.audiences.through.objects.filter(event_id=OuterRef("event_id"))
        return self.filter(Q(Exists(links.filter(audience_id=audience.pk))) | ~Q(Exists(links)))

    def for_listing(self):
        """The joins of a list of occurrences: event, its listing, place and area."""
        return self.select_related("event__association", "event__place__area", "event__area")


class Event(PostedItem):
    log_name = "event"  # history actions event_published, event_updated, event_archived

    class Recurrence(models.TextChoices):
        NONE = "", _("Une seule fois")
        WEEKLY = "weekly", _("Chaque semaine")
        BIWEEKLY = "biweekly", _("Une semaine sur deux")
        MONTHLY = "monthly", _("Chaque mois, le même jour de la semaine (par exemple le 1er mardi)")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Saisi sur Lyon Assos")
        IMPORTED = "imported", _("Importé du calendrier de l'association")

    class Kind(models.TextChoices):
        EVENT = "event", _("Événement")
        PERMANENCE = "permanence", _("Permanence")

    association = models.ForeignKey(
        "directory.Association",
        verbose_name=_("association"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    # The iCalendar UID (with "@" and the site's host in the .ics): stable for the event's life.
    uid = models.UUIDField(_("identifiant"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.EVENT)
    title = models.CharField(
        _("titre"), max_length=120, help_text=_("Par exemple « Permanence d'accès aux droits ».")
    )
    description = models.TextField(_("description"), max_length=2000, blank=True)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    recurrence = models.CharField(
        _("répétition"), max_length=20, choices=Recurrence.choices, default=Recurrence.NONE, blank=True
    )
    # For MONTHLY: which weekday of the month (1 to 4, or -1 for the last), from the first date.
    month_week = models.SmallIntegerField(_("semaine du mois"), null=True, blank=True)
    repeat_until = models.DateField(_("jusqu'au"), null=True, blank=True)
    repeat_count = models.PositiveSmallIntegerField(_("nombre de fois"), null=True, blank=True)
    skip_holidays = models.BooleanField(_("sauf les jours fériés"), default=False)
    # An imported event's dates come from its calendar (RDATE in our .ics); none for manual ones.
    imported_dates = models.JSONField(_("dates importées"), default=list, blank=True)
    cancelled_dates = models.JSONField(_("dates annulées"), default=list, blank=True)
    place = models.ForeignKey(
        "directory.Place",
        verbose_name=_("lieu de l'association"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    address = models.CharField(_("autre adresse"), max_length=250, blank=True)
    # Where the event is held: the place's commune or arrondissement, or the one chosen with
    # another address (the /agenda/ area filter reads this).
    area = models.ForeignKey(
        "directory.Area",
        verbose_name=_("territoire"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    is_free = models.BooleanField(_("gratuit"), null=True, blank=True)
    registration_url = models.URLField(_("lien d'inscription"), max_length=500, blank=True)
    audiences = models.ManyToManyField(
        "directory.Audience", verbose_name=_("publics"), blank=True, related_name="events"
    )
    languages = models.ManyToManyField(
        "directory.Language", verbose_name=_("langues"), blank=True, related_name="events"
    )
    source = models.CharField(_("origine"), max_length=20, choices=Source.choices, default=Source.MANUAL)
    source_uid = models.CharField(_("UID dans le calendrier d'origine"), max_length=255, blank=True)
    # RFC 5545 SEQUENCE: bumped by the services on every change a subscriber should see.
    sequence = models.PositiveIntegerField(_("révision"), default=0)
    created_at = models.DateTimeField(_("publié le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifié le"), default=timezone.now)
    # Post-moderation: an event of an untrusted listing is public at once and waits for a look.
    needs_review = models.BooleanField(_("à examiner"), default=False, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("examiné par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("examiné le"), null=True, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("rendez-vous")
        verbose_name_plural = _("rendez-vous")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "source_uid"],
                condition=~Q(source_uid=""),
                name="event_source_uid_once",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("directory:event", args=[self.pk])

    @property
    def is_recurring(self):
        return bool(self.recurrence) or len(self.imported_dates) > 1

    @property
    def where(self):
        """The place or address shown to residents."""
        if self.place_id is not None and self.place is not None:
            parts = [self.place.name, self.place.address, f"{self.place.postcode} {self.place.city_name}"]
            return ", ".join(part.strip() for part in parts if part and part.strip())
        return self.address


class EventOccurrence(models.Model):
    event = models.ForeignKey(
        Event, verbose_name=_("rendez-vous"), on_delete=models.CASCADE, related_name="occurrences"
    )
    starts_at = models.DateTimeField(_("début"), db_index=True)
    ends_at = models.DateTimeField(_("fin"))
    cancelled = models.BooleanField(_("annulé"), default=False)

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("date d'un rendez-vous")
        verbose_name_plural = _("dates des rendez-vous")
        ordering = ["starts_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "starts_at"], name="event_occurrence_once")]

    def __str__(self):
        return f"{self.event} · {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("directory:event", args=[self.event_id])


class CalendarSource(models.Model):
    """The address of an association's own calendar (ICS), read by `manage.py import_calendars`.

    The last fetch and its error are kept here so that the managers see them in their space.
    """

    association = models.OneToOneField(
        "directory.Association",
        verbose_name=_("association"),
        on_delete=models.CASCADE,
        related_name="calendar_source",
    )
    url = models.URLField(_("adresse du calendrier (ICS)"), max_length=500)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ajoutée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ajoutée le"), default=timezone.now)
    last_fetched_at = models.DateTimeField(_("dernière lecture"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("dernière lecture réussie"), null=True, blank=True)
    last_error = models.CharField(_("dernière erreur"), max_length=500, blank=True)
    last_summary = models.CharField(_("dernier bilan"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendrier importé")
        verbose_name_plural = _("calendriers importés")

    def __str__(self):
        return f"{self.association} · {self.url}"
