"""Who manages a listing, and the changes, claims, invitations and images they propose.

Shared with the moderation queue: a PendingChange holds every public field of a listing as
JSON (see directory.listings.state), so a moderator reviews exactly what will be published.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How long an image chosen in an unfinished form is kept, and an untouched draft.
TEMPORARY_UPLOAD_MAX_AGE = timedelta(days=1)
DRAFT_MAX_AGE = timedelta(days=90)


class _PrivateStorage(Storage):
    """STORAGES["private"], looked up at each use (so that settings, and tests, may change it)."""

    def __getattribute__(self, name):
        if name.startswith("__"):
            return super().__getattribute__(name)
        return getattr(storages["private"], name)


def private_storage():
    """Claim documents: never under MEDIA_URL; moderators download them through the admin."""
    return _PrivateStorage()


class AssociationManager(models.Model):
    """A user who may keep a listing true (the `Association.managers` relation)."""

    class Via(models.TextChoices):
        CREATED = "created", _("A créé la fiche")
        CODE = "code", _("Code reçu sur l'e-mail public")
        REVIEW = "review", _("Demande acceptée")
        INVITATION = "invitation", _("Invitation")
        MODERATOR = "moderator", _("Ajouté par un modérateur")

    association = models.ForeignKey(
        "directory.Association", on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    via = models.CharField(_("obtenu par"), max_length=20, choices=Via.choices, default=Via.MODERATOR)
    created_at = models.DateTimeField(_("depuis le"), default=timezone.now)

    class Meta:
        verbose_name = _("gestionnaire")
        verbose_name_plural = _("gestionnaires")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["association", "user"], name="unique_manager"),
        ]

    def __str__(self):
        return f"{self.user} · {self.association}"


class PendingChangeQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=PendingChange.Status.PENDING)


class PendingChange(models.Model):
    """Values proposed for a listing, waiting for a moderator (at most one open per listing)."""

    class Kind(models.TextChoices):
        NEW_LISTING = "new_listing", _("Nouvelle fiche")
        EDIT = "edit", _("Modification")

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente de validation")
        APPROVED = "approved", _("Validée")
        REJECTED = "rejected", _("Refusée")
        WITHDRAWN = "withdrawn", _("Retirée")
        PUBLISHED_DIRECTLY = "published_directly", _("Publiée directement (fiche de confiance)")

    class RejectionReason(models.TextChoices):
        INCOMPLETE = "incomplete", _("Informations incomplètes")
        INACCURATE = "inaccurate", _("Informations inexactes")
        NOT_AN_ASSOCIATION = "not_an_association", _("Ce n'est pas une association")
        DUPLICATE = "duplicate", _("Doublon d'une fiche existante")
        OUT_OF_AREA = "out_of_area", _("Hors de la Métropole de Lyon")
        INAPPROPRIATE = "inappropriate", _("Contenu inapproprié")
        OTHER = "other", _("Autre raison")

    association = models.ForeignKey(
        "directory.Association", on_delete=models.CASCADE, related_name="pending_changes"
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.EDIT)
    proposed = models.JSONField(_("valeurs proposées"), default=dict)
    base_version = models.PositiveIntegerField(_("version de départ"))
    # Bumped by each amendment: a form opened on an older revision is a conflict, not an overwrite.
    revision = models.PositiveIntegerField(_("révision"), default=1)
    # The token of the form that last wrote this change: the same form posted twice is a no-op.
    form_token = models.UUIDField(_("jeton du formulaire"), null=True, blank=True, db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposée par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("proposée le"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("modifiée le"), default=timezone.now)
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    rejection_reason = models.CharField(
        _("motif du refus"), max_length=30, choices=RejectionReason.choices, blank=True
    )
    rejection_note = models.TextField(_("précisions sur le refus"), blank=True)

    objects = PendingChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("modification en attente")
        verbose_name_plural = _("modifications en attente")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["association"], condition=Q(status="pending"), name="one_open_change_per_listing"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.association}"

    @property
    def is_open(self):
        return self.status == self.Status.PENDING


class Photo(models.Model):
    """A logo or a photo, re-encoded at upload into three widths; the original is not kept.

    A photo is public once a moderator approved the change that lists it (`is_public`).
    """

    class Kind(models.TextChoices):
        LOGO = "logo", _("Logo")
        PHOTO = "photo", _("Photo")

    association = models.ForeignKey("directory.Association", on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.PHOTO)
    small = models.ImageField(_("96 px"), max_length=200)
    medium = models.ImageField(_("400 px"), max_length=200)
    large = models.ImageField(_("1200 px"), max_length=200)
    width = models.PositiveIntegerField(_("largeur"))
    height = models.PositiveIntegerField(_("hauteur"))
    alt = models.CharField(_("description de l'image"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_public = models.BooleanField(_("publiée"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("envoyée le"), default=timezone.now)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.alt or self.medium.name

    @property
    def files(self):
        return [self.small, self.medium, self.large]


class Claim(models.Model):
    """Someone asks to manage a listing: by a code sent to its public e-mail, or by a request
    reviewed by moderators (listing without manager) or by its managers."""

    class Method(models.TextChoices):
        CODE = "code", _("Code envoyé à l'e-mail de la fiche")
        REVIEW = "review", _("Demande examinée")

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        ACCEPTED = "accepted", _("Acceptée")
        REFUSED = "refused", _("Refusée")
        EXPIRED = "expired", _("Expirée")

    association = models.ForeignKey("directory.Association", on_delete=models.CASCADE, related_name="claims")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="claims")
    method = models.CharField(_("méthode"), max_length=10, choices=Method.choices)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.PENDING)
    # Reviewed by the listing's managers when it had some at the time of the request.
    to_managers = models.BooleanField(_("adressée aux gestionnaires"), default=False)
    role = models.TextField(_("rôle dans l'association"), blank=True)
    document = models.FileField(
        _("justificatif"), storage=private_storage, upload_to="claims/%Y/", max_length=200, blank=True
    )
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    code_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    code_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("demandée le"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    note = models.TextField(_("réponse"), blank=True)

    class Meta:
        verbose_name = _("demande de gestion")
        verbose_name_plural = _("demandes de gestion")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.user} → {self.association}"


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        """Neither accepted nor revoked (expired ones included: the link says so)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(models.Model):
    """A manager invites someone by e-mail; the signed link expires after 7 days, and works once.

    A pending invitation is revoked when its sender stops managing the listing, or by a manager."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    association = models.ForeignKey(
        "directory.Association", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("envoyée le"), default=timezone.now)
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("annulée le"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.association}"


class ListingDraftQuerySet(models.QuerySet):
    def open(self):
        """Not sent yet: the drafts a person may resume."""
        return self.filter(submitted_at__isnull=True)

    def new_listings(self):
        """Drafts of the add form (an edit draft has the version it was seeded from)."""
        return self.filter(base_version__isnull=True)

    def edits(self):
        """Drafts editing an existing listing, seeded from its values."""
        return self.filter(base_version__isnull=False)

    def expired(self):
        """Sent more than a day ago (kept that long to recognise a double submit), or left
        untouched for DRAFT_MAX_AGE."""
        now = timezone.now()
        return self.filter(
            Q(submitted_at__lt=now - TEMPORARY_UPLOAD_MAX_AGE) | Q(updated_at__lt=now - DRAFT_MAX_AGE)
        )


class ListingDraft(models.Model):
    """A new listing being written step by step (directory/editing/steps.py), saved after each
    step, bound to its author. Its values have the shape of a pending change's (directory.
    listings.state), filled in as the steps are; the images it holds are temporary uploads.
    Sending it creates the listing and its pending change once: `submitted_at` is set first.

    An edit draft (the edit form in steps) names its listing from the start and holds the
    listing's version and its open change's revision when it was seeded: sending it proposes
    its values through the pending change, refused if the listing moved since."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts")
    values = models.JSONField(_("valeurs"), default=dict)
    steps_done = models.JSONField(_("étapes remplies"), default=list)
    # {"logo": upload key or "", "photos": [{"upload": key, "alt": "…"}]}
    uploads = models.JSONField(_("images choisies"), default=dict)
    created_at = models.DateTimeField(_("commencé le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifié le"), default=timezone.now)
    submitted_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    association = models.ForeignKey(
        "directory.Association", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Edit drafts only: the listing's version and its open change's revision (0: none) when seeded.
    base_version = models.PositiveIntegerField(_("version de départ"), null=True, blank=True)
    pending_revision = models.PositiveIntegerField(_("révision de départ"), default=0)

    objects = ListingDraftQuerySet.as_manager()

    class Meta:
        verbose_name = _("brouillon de fiche")
        verbose_name_plural = _("brouillons de fiche")
        ordering = ["-updated_at", "-pk"]

    def __str__(self):
        return self.values.get("name") or str(self.key)


class TemporaryUploadQuerySet(models.QuerySet):
    def expired(self):
        return self.filter(created_at__lt=timezone.now() - TEMPORARY_UPLOAD_MAX_AGE)


class TemporaryUpload(models.Model):
    """An image chosen in a form that was not accepted yet (another field refused, a step not
    finished): already checked and re-encoded, kept in the private storage for the session that
    sent it, so that the person does not have to choose it again. Deleted with its files after
    TEMPORARY_UPLOAD_MAX_AGE (`manage.py purge_drafts`, and on each new upload)."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session_key = models.CharField(max_length=40, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("nom du fichier"), max_length=200)
    folder = models.CharField(max_length=200)  # in the private storage: small/medium/large .webp
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = TemporaryUploadQuerySet.as_manager()

    class Meta:
        verbose_name = _("image en attente")
        verbose_name_plural = _("images en attente")

    def __str__(self):
        return self.name
