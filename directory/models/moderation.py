"""Moderation: public reports, review locks, moderators' areas, verification
reminders and possible duplicates. The writes live in directory.moderation.services."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[Report.Status.NEW, Report.Status.IN_PROGRESS])


class Report(models.Model):
    """A problem reported by a resident on a listing (no account needed).

    The sender's IP address is never stored: it only keys a rate limit, hashed, in the cache.
    """

    class Reason(models.TextChoices):
        CLOSED = "closed", _("L'association a fermé définitivement")
        MOVED = "moved", _("L'association a déménagé")
        HOURS = "hours", _("Les horaires sont faux")
        CONTACT = "contact", _("Les coordonnées sont fausses")
        DUPLICATE = "duplicate", _("La fiche est en double")
        INAPPROPRIATE = "inappropriate", _("Contenu inapproprié")
        OTHER = "other", _("Autre problème")

    class Status(models.TextChoices):
        NEW = "new", _("Nouveau")
        IN_PROGRESS = "in_progress", _("En cours")
        RESOLVED = "resolved", _("Résolu")
        REJECTED = "rejected", _("Rejeté")

    association = models.ForeignKey(
        "directory.Association",
        verbose_name=_("association"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    # A report about one event of the listing's agenda (None: about the listing itself).
    event = models.ForeignKey(
        "directory.Event",
        verbose_name=_("rendez-vous"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    reason = models.CharField(_("motif"), max_length=20, choices=Reason.choices)
    message = models.TextField(_("message"), max_length=2000)
    email = models.EmailField(_("e-mail (facultatif)"), blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    resolution_note = models.TextField(_("note de résolution"), blank=True)
    created_at = models.DateTimeField(_("signalé le"), default=timezone.now, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("traité par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("traité le"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_reason_display()} · {self.association}"

    @property
    def is_open(self):
        return self.status in (self.Status.NEW, self.Status.IN_PROGRESS)


class ReviewLock(models.Model):
    """A moderator is reviewing an item of the queue: others see it and cannot act until it expires.

    One row per item (`kind`, `object_id`); taken and refreshed by a conditional UPDATE, so two
    moderators never hold the same item (see directory.moderation.locks).
    """

    kind = models.CharField(_("type"), max_length=20)
    object_id = models.PositiveBigIntegerField(_("élément"))
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("modérateur"), on_delete=models.CASCADE, related_name="+"
    )
    expires_at = models.DateTimeField(_("expire le"), db_index=True)

    class Meta:
        verbose_name = _("verrou de revue")
        verbose_name_plural = _("verrous de revue")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="one_lock_per_item")]

    def __str__(self):
        return f"{self.kind}:{self.object_id} · {self.moderator}"


class ModeratorScope(models.Model):
    """Limits a moderator to some communes or arrondissements (none: the whole Métropole).

    Deleting an area keeps the row with no area: the moderator stays limited (fail closed, see
    directory/access.py) instead of silently covering the whole Métropole."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("modérateur"),
        on_delete=models.CASCADE,
        related_name="moderation_scopes",
    )
    area = models.ForeignKey(
        "directory.Area",
        verbose_name=_("territoire"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        limit_choices_to={"kind__in": ["commune", "arrondissement"]},
    )

    class Meta:
        verbose_name = _("territoire de modération")
        verbose_name_plural = _("territoires de modération")
        constraints = [models.UniqueConstraint(fields=["user", "area"], name="unique_moderator_area")]

    def __str__(self):
        area = self.area if self.area is not None else _("territoire supprimé")
        return f"{self.user} · {area}"


class VerificationReminder(models.Model):
    """A reminder sent to the managers of a listing to confirm it is still true."""

    association = models.ForeignKey(
        "directory.Association", on_delete=models.CASCADE, related_name="verification_reminders"
    )
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now, db_index=True)
    recipients = models.PositiveSmallIntegerField(_("destinataires"), default=0)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("rappel de vérification")
        verbose_name_plural = _("rappels de vérification")
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.association} · {self.sent_at:%Y-%m-%d}"


class DuplicateCandidateQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=DuplicateCandidate.Status.OPEN)


class DuplicateCandidate(models.Model):
    """Two listings that may be the same association (found by `find_duplicates`)."""

    class Reason(models.TextChoices):
        RNA = "rna", _("Même numéro RNA")
        SIRET = "siret", _("Même SIRET")
        NAME = "name", _("Nom très proche, même commune")

    class Status(models.TextChoices):
        OPEN = "open", _("À examiner")
        MERGED = "merged", _("Fusionnées")
        DISMISSED = "dismissed", _("Pas un doublon")

    first = models.ForeignKey("directory.Association", on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey("directory.Association", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("motif"), max_length=10, choices=Reason.choices)
    score = models.FloatField(_("similarité"), default=1.0)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_at = models.DateTimeField(_("détecté le"), default=timezone.now, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)

    objects = DuplicateCandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("doublon possible")
        verbose_name_plural = _("doublons possibles")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="unique_duplicate_pair"),
            models.CheckConstraint(condition=Q(first__lt=models.F("second")), name="duplicate_pair_ordered"),
        ]

    def __str__(self):
        return f"{self.first_id} ≈ {self.second_id} ({self.get_reason_display()})"
