"""Digital helpers: volunteers who help associations get online.

A volunteer signs up (HelperProfile, moderated before associations see it); an association posts
a HelpRequest; an approved helper makes a HelpOffer; the association accepts one, and only then
are e-mail addresses exchanged. Skills are a fixed list (DigitalSkill) stored one row per skill
(HelperSkill, RequestSkill) so that ranking by skill overlap is a plain COUNT in SQL.
"""

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, Exists, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .associations import Place


class DigitalSkill(models.TextChoices):
    WEBSITE = "site-web", _("Site web")
    SOCIAL = "reseaux-sociaux", _("Réseaux sociaux")
    MAILING = "liste-diffusion", _("Liste de diffusion, lettre d'information")
    OFFICE = "bureautique", _("Outils bureautiques")
    ACCOUNTING = "comptabilite", _("Comptabilité en ligne")
    DESIGN = "graphisme", _("Graphisme, affiches")
    RGPD = "rgpd", _("RGPD, protection des données")
    VIDEO = "visio", _("Visioconférence, outils collaboratifs")
    BASICS = "bases", _("Premiers pas avec l'ordinateur et Internet")


def skill_labels(codes):
    """The labels of skill codes, in the order of the list."""
    codes = set(codes)
    return [label for value, label in DigitalSkill.choices if value in codes]


# Helpers ------------------------------------------------------------------------------------


class HelperProfileQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=HelperProfile.Status.APPROVED, user__is_active=True)

    def suggested_for(self, help_request):
        """Approved helpers ranked for a request: most needed skills first, then those whose
        areas match the association's places (an arrondissement also matches Lyon, and the
        reverse), then those who help at a distance. Only helpers with at least one needed skill.

        Annotates `skill_overlap` and `area_match`. The request's skill codes and area ids must
        be known (help_request.skill_codes, help_request.area_ids()).
        """
        codes = help_request.skill_codes
        area_ids = help_request.area_ids()
        in_area = HelperProfile.areas.through.objects.filter(
            helperprofile=OuterRef("pk"), area_id__in=area_ids
        )
        return (
            self.approved()
            .annotate(
                skill_overlap=Count("skill_rows", filter=Q(skill_rows__skill__in=codes), distinct=True),
                area_match=Exists(in_area),
            )
            .filter(skill_overlap__gt=0)
            .order_by("-skill_overlap", "-area_match", "-remote", "-status_changed_at", "pk")
        )

    def for_cards(self):
        """What a helper card shows: skills and areas, prefetched."""
        return self.prefetch_related("skill_rows", "areas")


class HelperProfile(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("En attente de validation")
        APPROVED = "approved", _("Validé")
        REJECTED = "rejected", _("Refusé")
        WITHDRAWN = "withdrawn", _("Retiré par l'aidant")

    class Availability(models.TextChoices):
        FEW_HOURS = "hours-month", _("Quelques heures par mois")
        WEEKLY = "hours-week", _("Quelques heures par semaine")
        ONE_OFF = "one-off", _("Ponctuellement, pour une mission courte")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helper_profile"
    )
    display_name = models.CharField(
        _("prénom ou pseudonyme"),
        max_length=60,
        help_text=_("Ce que les associations voient de vous : pas votre nom complet si vous préférez."),
    )
    bio = models.TextField(_("présentation"), max_length=1000, blank=True)
    areas = models.ManyToManyField(
        "directory.Area", verbose_name=_("territoires"), blank=True, related_name="helpers"
    )
    remote = models.BooleanField(_("aide possible à distance"), default=True)
    availability = models.CharField(_("disponibilité"), max_length=20, choices=Availability.choices)
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    status_changed_at = models.DateTimeField(_("statut changé le"), default=timezone.now)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("modéré par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rejection_reason = models.TextField(_("motif du refus"), blank=True)
    created_at = models.DateTimeField(_("inscrit le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = HelperProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("aidant numérique")
        verbose_name_plural = _("aidants numériques")
        ordering = ["-created_at", "pk"]

    def __str__(self):
        return self.display_name

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED

    @property
    def skill_codes(self):
        return [row.skill for row in self.skill_rows.all()]

    @property
    def skill_list(self):
        return skill_labels(self.skill_codes)


class HelperSkill(models.Model):
    helper = models.ForeignKey(HelperProfile, on_delete=models.CASCADE, related_name="skill_rows")
    skill = models.CharField(_("compétence"), max_length=20, choices=DigitalSkill.choices)

    class Meta:
        verbose_name = _("compétence d'un aidant")
        verbose_name_plural = _("compétences des aidants")
        constraints = [models.UniqueConstraint(fields=["helper", "skill"], name="helper_skill_once")]

    def __str__(self):
        return self.get_skill_display()


# Requests and offers -------------------------------------------------------------------------


class HelpRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=HelpRequest.Status.OPEN)

    def matching(self, helper):
        """Requests needing at least one of the helper's skills, annotated with `skill_overlap`
        and `area_match` (a place of the association in one of the helper's areas, or in a
        commune/arrondissement whose parent or child is one), best first, most urgent first."""
        codes = helper.skill_codes
        area_ids = [area.pk for area in helper.areas.all()]
        in_area = Place.objects.filter(association=OuterRef("association_id")).filter(
            Q(area_id__in=area_ids) | Q(area__parent_id__in=area_ids) | Q(quartier_id__in=area_ids)
        )
        return (
            self.annotate(
                skill_overlap=Count("skill_rows", filter=Q(skill_rows__skill__in=codes), distinct=True),
                area_match=Exists(in_area),
                urgency_order=Case(
                    When(urgency=HelpRequest.Urgency.HIGH, then=Value(2)),
                    When(urgency=HelpRequest.Urgency.NORMAL, then=Value(1)),
                    default=Value(0),
                ),
            )
            .filter(skill_overlap__gt=0)
            .order_by("-skill_overlap", "-area_match", "-urgency_order", "-created_at", "pk")
        )

    def for_cards(self):
        return self.select_related("association").prefetch_related("skill_rows")


class HelpRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Ouverte")
        MATCHED = "matched", _("Aidant trouvé")
        DONE = "done", _("Terminée")
        CANCELLED = "cancelled", _("Annulée")

    class Urgency(models.TextChoices):
        LOW = "low", _("Pas pressé")
        NORMAL = "normal", _("Dans le mois")
        HIGH = "high", _("Urgent (sous quinze jours)")

    class Feedback(models.TextChoices):
        YES = "yes", _("Oui, ça a marché")
        NO = "no", _("Non")

    association = models.ForeignKey(
        "directory.Association", on_delete=models.CASCADE, related_name="help_requests"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="help_requests",
    )
    title = models.CharField(_("besoin en quelques mots"), max_length=120)
    description = models.TextField(_("description"), max_length=2000)
    urgency = models.CharField(_("urgence"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_at = models.DateTimeField(_("publiée le"), default=timezone.now, db_index=True)
    status_changed_at = models.DateTimeField(_("statut changé le"), default=timezone.now)
    matched_at = models.DateTimeField(_("aidant trouvé le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("terminée ou annulée le"), null=True, blank=True)
    matched_offer = models.OneToOneField(
        "directory.HelpOffer",
        verbose_name=_("offre acceptée"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    invited_helpers = models.ManyToManyField(
        HelperProfile, verbose_name=_("aidants invités"), blank=True, related_name="invitations"
    )
    followup_sent_at = models.DateTimeField(_("bilan demandé le"), null=True, blank=True)
    association_feedback = models.CharField(
        _("bilan de l'association"), max_length=3, choices=Feedback.choices, blank=True
    )
    helper_feedback = models.CharField(
        _("bilan de l'aidant"), max_length=3, choices=Feedback.choices, blank=True
    )

    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande d'aide numérique")
        verbose_name_plural = _("demandes d'aide numérique")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "matched_at"], name="helprequest_followup_idx")]
        constraints = [
            # Not "matched_offer is set": a helper may delete their account (the offer goes with
            # it, the association already has the contact).
            models.CheckConstraint(
                condition=~Q(status="matched") | Q(matched_at__isnull=False),
                name="helprequest_matched_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def skill_codes(self):
        return [row.skill for row in self.skill_rows.all()]

    @property
    def skill_list(self):
        return skill_labels(self.skill_codes)

    def area_ids(self):
        """The areas of the association's places, with their parents (an arrondissement's Lyon)."""
        if not hasattr(self, "_area_ids"):
            ids = set()
            for area_id, parent_id, quartier_id in Place.objects.filter(
                association_id=self.association_id
            ).values_list("area_id", "area__parent_id", "quartier_id"):
                ids.update(i for i in (area_id, parent_id, quartier_id) if i)
            self._area_ids = sorted(ids)
        return self._area_ids


class RequestSkill(models.Model):
    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="skill_rows")
    skill = models.CharField(_("compétence"), max_length=20, choices=DigitalSkill.choices)

    class Meta:
        verbose_name = _("compétence demandée")
        verbose_name_plural = _("compétences demandées")
        constraints = [models.UniqueConstraint(fields=["request", "skill"], name="request_skill_once")]

    def __str__(self):
        return self.get_skill_display()


class HelpOffer(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("En attente de réponse")
        ACCEPTED = "accepted", _("Acceptée")
        DECLINED = "declined", _("Déclinée")
        WITHDRAWN = "withdrawn", _("Retirée par l'aidant")

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="offers")
    helper = models.ForeignKey(HelperProfile, on_delete=models.CASCADE, related_name="offers")
    message = models.TextField(_("message"), max_length=1500)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("proposée le"), default=timezone.now)
    decided_at = models.DateTimeField(_("réponse le"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposition d'aide")
        verbose_name_plural = _("propositions d'aide")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "helper"], name="helpoffer_once_per_helper"),
            models.UniqueConstraint(
                fields=["request"], condition=Q(status="accepted"), name="helpoffer_one_accepted"
            ),
        ]

    def __str__(self):
        return f"{self.helper} → {self.request}"
