"""Writes of the editing workflow. Each is atomic, logged through association_log_change, and
sends its e-mails after the commit. Keyword-only arguments, as everywhere in services."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from directory import access, images
from directory.emails import send_email
from directory.listings import state
from directory.listings.services import (
    association_log_change,
    association_set_status,
    refresh_search_text,
    rna_release,
    unique_slug,
)
from directory.models import Association, AssociationManager, Invitation, PendingChange, Photo

if TYPE_CHECKING:
    from django.contrib.auth.models import User as Account

    from directory.access import User
    from directory.images import ProcessedImage
    from directory.listings.state import Changes

# The values of a listing as its form and a pending change hold them (directory/listings/state.py).
Values = dict[str, Any]

INVITATION_SALT = "directory.invitation"


class EditConflict(Exception):
    """The listing or its open change moved since the form was opened: nothing was written."""

    def __init__(
        self, *, current: Values, association: Association, change: PendingChange | None = None
    ) -> None:
        super().__init__("edit conflict")
        self.current = current
        self.association = association
        self.change = change


class EditingError(Exception):
    """A refused action, with a message for the user."""


def _lock(association: Association) -> Association:
    return Association.objects.select_for_update().get(pk=association.pk)


def _store_images(
    *,
    association: Association,
    user: Account,
    values: Values,
    logo: ProcessedImage | None = None,
    remove_logo: bool = False,
    new_photos: Iterable[tuple[ProcessedImage, str]] = (),
) -> Values:
    """Store the uploaded images (already checked by directory.images) and reference them."""
    values = copy.deepcopy(values)
    if logo is not None:
        names = images.store_image(logo)
        Photo.objects.create(
            association=association,
            kind=Photo.Kind.LOGO,
            small=names["small"],
            medium=names["medium"],
            large=names["large"],
            width=logo.width,
            height=logo.height,
            uploaded_by=user,
        )
        values["logo"] = names["medium"]
    elif remove_logo:
        values["logo"] = ""
    for processed, alt in new_photos:
        names = images.store_image(processed)
        photo = Photo.objects.create(
            association=association,
            kind=Photo.Kind.PHOTO,
            small=names["small"],
            medium=names["medium"],
            large=names["large"],
            width=processed.width,
            height=processed.height,
            alt=alt,
            uploaded_by=user,
            position=len(values.get("photos", [])),
        )
        values.setdefault("photos", []).append({"id": photo.pk, "alt": alt})
    return values


def _discard_unused_images(association: Association, keep_logo: str) -> None:
    """Delete images no longer public nor proposed (files removed after the commit)."""
    unused = Photo.objects.filter(association=association, is_public=False, kind=Photo.Kind.PHOTO)
    logos = Photo.objects.filter(association=association, kind=Photo.Kind.LOGO).exclude(medium=keep_logo)
    names: list[str] = []
    for photo in [*unused, *logos]:
        names.extend(f.name for f in photo.files)
        photo.delete()
    if names:
        transaction.on_commit(lambda: images.delete_files(names))


def _publish(
    *, association: Association, values: Values, actor: User, origin: str, action: str, verify: bool = False
) -> Changes:
    """Apply values, bump the version, log every changed field. Returns the changes.

    With `verify` (a moderator's approval: they have just read every field), the listing is
    also marked verified today, in the same logged entry."""
    before = state.values_from_association(state.for_values().get(pk=association.pk))
    association.updated_at = timezone.now()
    state.apply_values(association, values)
    refresh_search_text([association])
    Association.objects.filter(pk=association.pk).update(version=F("version") + 1)
    association.refresh_from_db(fields=["version"])
    changes: Changes = state.changes(before, values)
    if verify:
        today = timezone.localdate()
        if association.last_verified_at != today:
            changes["last_verified_at"] = {
                "old": state.jsonable(association.last_verified_at),
                "new": state.jsonable(today),
            }
        association.last_verified_at = today
        association.last_verified_by = actor if actor is not None and actor.is_authenticated else None
        association.save(update_fields=["last_verified_at", "last_verified_by"])
    association_log_change(
        association=association, actor=actor, origin=origin, action=action, changes=changes
    )
    _discard_unused_images(association, keep_logo=association.logo.name or "")
    return changes


# New listings --------------------------------------------------------------------------------


@transaction.atomic
def association_submit_new(
    *,
    user: Account,
    values: Values,
    logo: ProcessedImage | None = None,
    remove_logo: bool = False,
    new_photos: Iterable[tuple[ProcessedImage, str]] = (),
) -> PendingChange:
    """A listing proposed by a volunteer: not public, managed by them, waiting for a moderator."""
    association = Association.objects.create(
        name=values["name"],
        slug=unique_slug(values["name"]),
        status=Association.Status.PENDING,
        source=Association.Source.SUBMITTED,
    )
    AssociationManager.objects.create(association=association, user=user, via=AssociationManager.Via.CREATED)
    values = _store_images(
        association=association, user=user, values=values, logo=logo, new_photos=new_photos
    )
    state.apply_values(association, values)
    refresh_search_text([association])
    association_log_change(
        association=association,
        actor=user,
        origin="manager",
        action="created",
        changes=state.changes({}, values),
    )
    change = PendingChange.objects.create(
        association=association,
        kind=PendingChange.Kind.NEW_LISTING,
        proposed=values,
        base_version=association.version,
        submitted_by=user,
    )
    send_email(
        to=user.email,
        template="new_listing_received",
        context={"association": association, "user": user},
    )
    return change


# Pending changes -----------------------------------------------------------------------------


@transaction.atomic
def pending_change_submit(
    *,
    association: Association,
    user: Account,
    values: Values,
    base_version: int,
    form_token: str,
    **uploads: Any,
) -> PendingChange:
    """Propose values for a listing opened at `base_version`.

    The same form posted twice (same token) returns the change it made the first time. A listing
    that moved since, or that has an open change, raises EditConflict. A trusted listing is
    published at once (status published_directly), still logged.
    """
    association = _lock(association)
    done = PendingChange.objects.filter(association=association, form_token=form_token).first()
    if done is not None:
        return done
    current = PendingChange.objects.select_for_update().filter(association=association).open().first()
    if association.version != base_version or current is not None:
        raise EditConflict(
            current=current.proposed if current else current_values(association),
            association=association,
            change=current,
        )
    values = _store_images(association=association, user=user, values=values, **uploads)
    change = PendingChange(
        association=association,
        kind=PendingChange.Kind.EDIT,
        proposed=values,
        base_version=base_version,
        form_token=form_token,
        submitted_by=user,
    )
    if association.trusted:
        _publish(
            association=association,
            values=values,
            actor=user,
            origin=access.acting_role(user, association),
            action="published_directly",
        )
        change.status = PendingChange.Status.PUBLISHED_DIRECTLY
        change.decided_at = timezone.now()
        change.save()
        return change
    change.save()
    association_log_change(
        association=association,
        actor=user,
        origin=access.acting_role(user, association),
        action="change_proposed",
    )
    return change


@transaction.atomic
def pending_change_amend(
    *, change: PendingChange, user: Account, values: Values, revision: int, form_token: str, **uploads: Any
) -> PendingChange:
    """Replace the proposed values of an open change opened at `revision`."""
    association = _lock(change.association)
    change = PendingChange.objects.select_for_update().get(pk=change.pk)
    if change.form_token == form_token:
        return change
    if not change.is_open or change.revision != revision:
        current = PendingChange.objects.filter(association=association).open().first()
        raise EditConflict(
            current=current.proposed if current else current_values(association),
            association=association,
            change=current,
        )
    change.proposed = _store_images(association=association, user=user, values=values, **uploads)
    change.revision += 1
    change.form_token = form_token
    change.updated_at = timezone.now()
    change.save(update_fields=["proposed", "revision", "form_token", "updated_at"])
    association_log_change(
        association=association,
        actor=user,
        origin=access.acting_role(user, association),
        action="change_amended",
    )
    return change


@transaction.atomic
def pending_change_import(*, association: Association, values: Values) -> PendingChange | None:
    """Values an import proposes for a listing (the data·inclusion import: its services and the
    fields it lacks): a pending change for moderators, whatever the listing's trust, submitted by
    nobody and logged with origin "import". None when the listing already has an open change:
    nothing is written, the import proposes again on its next run."""
    association = _lock(association)
    if PendingChange.objects.filter(association=association).open().exists():
        return None
    change = PendingChange.objects.create(
        association=association,
        kind=PendingChange.Kind.EDIT,
        proposed=values,
        base_version=association.version,
        submitted_by=None,
    )
    association_log_change(association=association, actor=None, origin="import", action="change_proposed")
    return change


def current_values(association: Association) -> Values:
    """The listing's published values, read afresh (5 queries)."""
    return state.values_from_association(state.for_values().get(pk=association.pk))


@transaction.atomic
def pending_change_withdraw(*, change: PendingChange, user: Account) -> PendingChange:
    association = _lock(change.association)
    change = PendingChange.objects.select_for_update().get(pk=change.pk)
    if not change.is_open:
        raise EditingError(_("Cette modification n'est plus en attente."))
    change.status = PendingChange.Status.WITHDRAWN
    change.decided_by = user
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])
    association_log_change(
        association=association,
        actor=user,
        origin=access.acting_role(user, association),
        action="change_withdrawn",
    )
    if change.kind == PendingChange.Kind.NEW_LISTING:
        association_set_status(
            association=association, status=Association.Status.DRAFT, actor=user, origin="manager"
        )
        # A withdrawn proposal holds no RNA number: the association may be added or imported.
        rna_release(association=association, actor=user, origin="manager")
    _discard_unused_images(association, keep_logo=association.logo.name or "")
    return change


@transaction.atomic
def pending_change_approve(*, change: PendingChange, moderator: Account) -> PendingChange:
    """Publish the proposed values: listing, places, relations and photos, in one transaction."""
    association = _lock(change.association)
    change = PendingChange.objects.select_for_update().get(pk=change.pk)
    if not change.is_open:
        raise EditingError(_("Cette modification n'est plus en attente."))
    _publish(
        association=association,
        values=change.proposed,
        actor=moderator,
        origin="moderator",
        action="change_approved",
        verify=True,
    )
    change.status = PendingChange.Status.APPROVED
    change.decided_by = moderator
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])
    if association.status != Association.Status.PUBLISHED:
        association_set_status(
            association=association, status=Association.Status.PUBLISHED, actor=moderator, origin="moderator"
        )
    if change.submitted_by is not None:
        send_email(
            to=change.submitted_by.email,
            template="change_approved",
            context={"association": association, "change": change},
        )
    return change


@transaction.atomic
def pending_change_reject(
    *, change: PendingChange, moderator: Account, reason: str, note: str = ""
) -> PendingChange:
    association = _lock(change.association)
    change = PendingChange.objects.select_for_update().get(pk=change.pk)
    if not change.is_open:
        raise EditingError(_("Cette modification n'est plus en attente."))
    if reason not in PendingChange.RejectionReason.values:
        raise EditingError(_("Motif de refus inconnu."))
    change.status = PendingChange.Status.REJECTED
    change.decided_by = moderator
    change.decided_at = timezone.now()
    change.rejection_reason = reason
    change.rejection_note = note
    change.save(update_fields=["status", "decided_by", "decided_at", "rejection_reason", "rejection_note"])
    association_log_change(
        association=association,
        actor=moderator,
        origin="moderator",
        action="change_rejected",
        changes={"rejection_reason": {"old": None, "new": reason}},
    )
    if change.kind == PendingChange.Kind.NEW_LISTING:
        association_set_status(
            association=association, status=Association.Status.REJECTED, actor=moderator, origin="moderator"
        )
        # A rejected listing holds no RNA number: the association may be added or imported.
        rna_release(association=association, actor=moderator, origin="moderator")
    _discard_unused_images(association, keep_logo=association.logo.name or "")
    if change.submitted_by is not None:
        send_email(
            to=change.submitted_by.email,
            template="change_rejected",
            context={"association": association, "change": change},
        )
    return change


# Managers and invitations --------------------------------------------------------------------


def manager_add(*, association: Association, user: Account, via: str, actor: User) -> AssociationManager:
    """Make `user` a manager (idempotent). Call inside a service's transaction."""
    membership, created = AssociationManager.objects.get_or_create(
        association=association, user=user, defaults={"via": via}
    )
    if created:
        association_log_change(
            association=association,
            actor=actor,
            origin="moderator" if via == AssociationManager.Via.MODERATOR else "manager",
            action="manager_added",
            changes={"managers": {"old": None, "new": user.pk}},
        )
    return membership


@transaction.atomic
def manager_remove(*, association: Association, user: Account, actor: Account) -> None:
    """Remove a manager (or leave, when actor is user). The last manager cannot leave alone:
    a successor must be invited first, or a moderator decides."""
    association = _lock(association)
    memberships = list(AssociationManager.objects.select_for_update().filter(association=association))
    target = next((m for m in memberships if m.user_id == user.pk), None)
    if target is None:
        raise EditingError(_("Cette personne ne gère pas la fiche."))
    actor_manages = any(m.user_id == actor.pk for m in memberships)
    is_moderator = access.can_moderate(actor, association)
    if not (actor.pk == user.pk or actor_manages or is_moderator):
        raise EditingError(_("Vous ne pouvez pas retirer ce gestionnaire."))
    if len(memberships) == 1 and not is_moderator:
        raise EditingError(
            _(
                "Vous êtes la seule personne à gérer cette fiche : invitez d'abord quelqu'un pour "
                "prendre le relais, ou écrivez aux modérateurs."
            )
        )
    origin = access.acting_role(actor, association)  # before the row goes: someone leaving is a manager
    target.delete()
    association_log_change(
        association=association,
        actor=actor,
        origin=origin,
        action="manager_left" if actor.pk == user.pk else "manager_removed",
        changes={"managers": {"old": user.pk, "new": None}},
    )
    # The invitations they sent and nobody accepted yet go with them.
    for invitation in Invitation.objects.pending().filter(association=association, invited_by=user):
        _invitation_revoke(invitation=invitation, actor=actor, origin=origin)


def _invitation_revoke(*, invitation: Invitation, actor: User, origin: str) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    association_log_change(
        association=invitation.association,
        actor=actor,
        origin=origin,
        action="invitation_revoked",
        changes={"invitations": {"old": str(invitation.pk), "new": None}},
    )


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: Account) -> None:
    """Cancel a pending invitation: its link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise EditingError(_("Cette invitation n'est plus en attente."))
    _invitation_revoke(
        invitation=invitation, actor=actor, origin=access.acting_role(actor, invitation.association)
    )


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(str(invitation.pk), salt=INVITATION_SALT, compress=True)


def invitation_from_token(token: str) -> Invitation | None:
    """The invitation of a valid, unexpired link, or None."""
    try:
        pk = signing.loads(token, salt=INVITATION_SALT, max_age=settings.INVITATION_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    return Invitation.objects.select_related("association").filter(pk=pk).first()


@transaction.atomic
def invitation_send(*, association: Association, email: str, actor: Account) -> Invitation:
    email = email.strip()
    if association.managers.filter(email__iexact=email).exists():
        raise EditingError(_("Cette personne gère déjà la fiche."))
    # Revoked invitations still count: revoking does not give back the day's quota.
    recent = Invitation.objects.filter(
        association=association,
        accepted_at__isnull=True,
        created_at__gte=timezone.now() - timedelta(days=1),
    ).count()
    if recent >= 10:
        raise EditingError(_("Trop d'invitations envoyées aujourd'hui : réessayez demain."))
    invitation = Invitation.objects.create(association=association, email=email, invited_by=actor)
    url = settings.SITE_URL + reverse("directory:invitation", args=[invitation_token(invitation)])
    association_log_change(association=association, actor=actor, origin="manager", action="manager_invited")
    send_email(
        to=email,
        template="invitation",
        context={"association": association, "inviter": actor, "url": url, "days": 7},
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: Account) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise EditingError(_("Cette invitation a déjà été utilisée."))
    if invitation.revoked_at is not None:
        raise EditingError(_("Cette invitation a été annulée."))
    if invitation.email.lower() != (user.email or "").lower():
        raise EditingError(
            _(
                "Cette invitation a été envoyée à une autre adresse : connectez-vous avec le compte de %(email)s."
            )
            % {"email": invitation.email}
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    manager_add(
        association=invitation.association, user=user, via=AssociationManager.Via.INVITATION, actor=user
    )
    return invitation
