"""The services an association offers: the unit of help a resident looks for.

One association often offers several services on different terms (homework help free and on
appointment on Tuesdays; French classes paid and walk-in on Saturdays). A `Service` holds its own
terms, audiences, languages, places and hours. Its enumerations are the data·inclusion schema
v1 vocabularies (mapped by `directory/offers/datainclusion.py`), so that the exchange with the national
platforms maps exactly both ways; categories, audiences and languages are our taxonomy, mapped
to data·inclusion's thématiques and publics when exported.

A service is part of its listing's state (`directory/listings/state.py`, the "services" list):
managers propose it through the same pending change as the listing's other fields, and every
change is logged with the listing's history.
"""

from django.core.validators import MinLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory import hours as hours_lib

from .associations import Association, Place


class ServiceQuerySet(models.QuerySet):
    def running(self, *, today=None):
        """Services running today: not paused, or paused until a date now past."""
        today = today or timezone.localdate()
        return self.filter(models.Q(status=Service.Status.RUNNING) | models.Q(paused_until__lt=today))

    def published(self):
        """Services of published listings."""
        return self.filter(association__status=Association.Status.PUBLISHED)


class Service(models.Model):
    class Kind(models.TextChoices):
        # data·inclusion v1 TypeService
        ACCOMPAGNEMENT = "accompagnement", _("Accompagnement")
        AIDE_FINANCIERE = "aide-financiere", _("Aide financière")
        AIDE_MATERIELLE = "aide-materielle", _("Aide matérielle")
        ATELIER = "atelier", _("Atelier")
        FORMATION = "formation", _("Formation")
        INFORMATION = "information", _("Information")
        UNKNOWN = "", _("Non précisé")

    class Fees(models.TextChoices):
        # data·inclusion v1 Frais
        FREE = "gratuit", _("Gratuit")
        PAID = "payant", _("Payant")
        UNKNOWN = "", _("Non précisé")

    Reception = Association.Reception  # the same choices as a listing's own reception

    class Mode(models.TextChoices):
        # data·inclusion v1 ModeAccueil
        IN_PERSON = "en-presentiel", _("Sur place")
        REMOTE = "a-distance", _("À distance (téléphone, internet)")

    class Mobilisation(models.TextChoices):
        # data·inclusion v1 ModeMobilisation
        COME = "se-presenter", _("Se présenter sur place")
        PHONE = "telephoner", _("Téléphoner")
        EMAIL = "envoyer-un-courriel", _("Envoyer un e-mail")
        LINK = "utiliser-lien-mobilisation", _("Utiliser le lien d'inscription ou de réservation")

    class MobilisableBy(models.TextChoices):
        # data·inclusion v1 PersonneMobilisatrice
        RESIDENTS = "usagers", _("Les personnes elles-mêmes")
        PROFESSIONALS = "professionnels", _("Les professionnels (travailleurs sociaux…)")

    class Status(models.TextChoices):
        RUNNING = "running", _("En cours")
        PAUSED = "paused", _("En pause")

    association = models.ForeignKey(
        Association, verbose_name=_("association"), on_delete=models.CASCADE, related_name="services"
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    name = models.CharField(
        _("nom du service"),
        max_length=150,
        validators=[MinLengthValidator(3)],
        help_text=_("Par exemple « Cours de français » ou « Colis alimentaire »."),
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("Ce qui se passe, pour qui, en phrases simples.")
    )
    kind = models.CharField(_("type de service"), max_length=20, choices=Kind.choices, blank=True)
    # Our taxonomy, as the reference data's slugs and codes (directory/data/*.csv): the listing's
    # state carries them as such, and search indexes them as facet codes.
    categories = models.JSONField(_("besoins"), default=list, blank=True)
    audiences = models.JSONField(_("publics"), default=list, blank=True)
    audiences_details = models.CharField(
        _("précisions sur les publics"),
        max_length=280,
        blank=True,
        help_text=_("Par exemple « de 6 à 11 ans »."),
    )
    fees = models.CharField(_("tarifs"), max_length=10, choices=Fees.choices, blank=True)
    fees_details = models.CharField(_("détail des tarifs"), max_length=240, blank=True)
    reception = models.CharField(_("accueil"), max_length=20, choices=Reception.choices, blank=True)
    modes = models.JSONField(_("modes d'accueil"), default=list, blank=True)
    at_home = models.BooleanField(_("à domicile"), default=False)
    mobilisation = models.JSONField(_("comment en bénéficier"), default=list, blank=True)
    mobilisable_by = models.JSONField(_("qui peut demander"), default=list, blank=True)
    booking_url = models.URLField(_("lien d'inscription ou de réservation"), max_length=300, blank=True)
    mobilisation_details = models.CharField(_("précisions pour en bénéficier"), max_length=400, blank=True)
    access_conditions = models.TextField(
        _("conditions d'accès"),
        blank=True,
        help_text=_("Par exemple « sur orientation d'un travailleur social »."),
    )
    documents = models.TextField(_("documents à apporter"), blank=True)
    languages = models.JSONField(_("langues parlées"), default=list, blank=True)
    places = models.ManyToManyField(Place, verbose_name=_("lieux"), related_name="services", blank=True)
    eligibility = models.JSONField(_("zone d'éligibilité (codes INSEE)"), default=list, blank=True)
    hours = models.JSONField(
        _("horaires"),
        default=dict,
        blank=True,
        validators=[hours_lib.validate_hours],
        help_text=_("Vides : les horaires du lieu."),
    )
    hours_note = models.CharField(_("précisions sur les horaires"), max_length=240, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    contact_name = models.CharField(_("personne à contacter"), max_length=120, blank=True)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    paused_until = models.DateField(_("en pause jusqu'au"), null=True, blank=True)
    # Where it came from when imported (data·inclusion: the producer, its id and page).
    source = models.CharField(_("source"), max_length=60, blank=True)
    source_id = models.CharField(_("identifiant à la source"), max_length=200, blank=True)
    source_url = models.URLField(_("page à la source"), max_length=500, blank=True)
    source_updated_at = models.DateField(_("mis à jour à la source le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("modifié le"), default=timezone.now, editable=False)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["association", "position", "pk"]
        indexes = [models.Index(fields=["source", "source_id"], name="service_source")]

    def __str__(self):
        return self.name

    def is_running(self, today=None):
        today = today or timezone.localdate()
        return self.status == self.Status.RUNNING or (
            self.paused_until is not None and self.paused_until < today
        )

    @property
    def free(self):
        return self.fees == self.Fees.FREE

    @property
    def walk_in(self):
        return self.reception in (self.Reception.WALK_IN, self.Reception.BOTH)

    @property
    def remote(self):
        return self.Mode.REMOTE in (self.modes or [])
