"""Every moderation decision. Keyword-only arguments, atomic, logged through
`association_log_change`, e-mails after the commit.

Each decision first checks the moderator's areas (access.can_moderate) and takes the item's
review lock (locks.lock_acquire) inside the transaction: a second moderator's POST on an item
someone else is reviewing raises ItemLocked and nothing is written. Pending changes and claims
are decided by the association space's services (directory.editing), which send the submitter's e-mail.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.access import can_moderate
from directory.editing import claims as claim_services
from directory.editing import services as editing_services
from directory.emails import send_email
from directory.listings import services as directory_services
from directory.listings import state
from directory.models import (
    Association,
    AssociationChange,
    AssociationManager,
    Claim,
    DuplicateCandidate,
    Event,
    PendingChange,
    Photo,
    Place,
    Report,
    SlugRedirect,
    VerificationReminder,
)
from directory.moderation import history
from directory.moderation.locks import ItemLocked, lock_acquire, lock_release

if TYPE_CHECKING:
    from django.contrib.auth.models import User as Account

    from directory.listings.state import Changes

__all__ = ["ItemLocked", "ModerationError"]

GROUP_NAME = "Modérateurs"


class ModerationError(Exception):
    """A refused decision, with a message for the moderator."""


def _guard(*, kind: str, object_id: int, moderator: Account, associations: Iterable[Association]) -> None:
    for association in associations:
        if not can_moderate(moderator, association):
            raise ModerationError(_("Cette fiche n'est pas dans vos territoires de modération."))
    lock_acquire(kind=kind, object_id=object_id, moderator=moderator)


def _done(kind: str, object_id: int) -> None:
    lock_release(kind=kind, object_id=object_id)


# Pending changes and new listings -------------------------------------------------------------


@transaction.atomic
def change_approve(*, change: PendingChange, moderator: Account) -> PendingChange:
    _guard(kind="change", object_id=change.pk, moderator=moderator, associations=[change.association])
    change = editing_services.pending_change_approve(change=change, moderator=moderator)
    _done("change", change.pk)
    return change


@transaction.atomic
def change_reject(*, change: PendingChange, moderator: Account, reason: str, note: str = "") -> PendingChange:
    _guard(kind="change", object_id=change.pk, moderator=moderator, associations=[change.association])
    change = editing_services.pending_change_reject(
        change=change, moderator=moderator, reason=reason, note=note
    )
    _done("change", change.pk)
    return change


# The fields a moderator may correct before publishing ("Corriger puis publier"): small fixes of
# what was typed (a typo, a phone number, an address and its map position), never the choices.
CORRECTABLE_FIELDS = [
    "name",
    "short_description",
    "description",
    "phone",
    "email",
    "website",
    "fees_details",
    "volunteers_details",
]
CORRECTABLE_PLACE_FIELDS = ["name", "address", "postcode", "lat", "lon", "hours_note"]


def corrected_values(proposed: state.Values, corrections: state.Values) -> state.Values:
    """The proposed values with the moderator's corrections of CORRECTABLE_FIELDS and, place by
    place (`corrections["places"]`, in the proposal's order), of CORRECTABLE_PLACE_FIELDS. A
    field left as it was (an empty text for a value never given) is not a correction."""

    def corrected(old: Any, new: Any) -> bool:
        return new != old and not (new == "" and old is None)

    values = {**proposed}
    for name in CORRECTABLE_FIELDS:
        if name in corrections and corrected(proposed.get(name), corrections[name]):
            values[name] = corrections[name]
    places = [dict(place) for place in proposed.get("places", [])]
    for place, fixes in zip(places, corrections.get("places", []), strict=False):
        place.update(
            {
                name: fixes[name]
                for name in CORRECTABLE_PLACE_FIELDS
                if name in fixes and corrected(place.get(name), fixes[name])
            }
        )
    if "places" in proposed:
        values["places"] = places
    return values


@transaction.atomic
def change_correct_and_approve(
    *, change: PendingChange, moderator: Account, corrections: state.Values, revision: int
) -> PendingChange:
    """Correct a few proposed values, then publish: the corrections are logged on the listing's
    history ("change_corrected", old and new value of each corrected field) before the approval
    logs what the publication changed. `revision` is the proposal's revision the moderator read:
    a proposal amended since is refused (ModerationError), nothing written."""
    _guard(kind="change", object_id=change.pk, moderator=moderator, associations=[change.association])
    locked = PendingChange.objects.select_for_update().select_related("association").get(pk=change.pk)
    if not locked.is_open:
        raise ModerationError(_("Cette modification n'est plus en attente."))
    if locked.revision != revision:
        raise ModerationError(
            _("La proposition a été modifiée depuis l'ouverture de cette page : relisez-la avant de publier.")
        )
    proposed = corrected_values(locked.proposed, corrections)
    logged = state.changes(locked.proposed, proposed)
    if logged:
        locked.proposed = proposed
        locked.save(update_fields=["proposed"])
        directory_services.association_log_change(
            association=locked.association,
            actor=moderator,
            origin="moderator",
            action="change_corrected",
            changes=logged,
        )
    approved = editing_services.pending_change_approve(change=locked, moderator=moderator)
    _done("change", approved.pk)
    return approved


@transaction.atomic
def pending_listing_open(*, association: Association, moderator: Account) -> PendingChange:
    """The pending change through which a listing "en attente de validation" is reviewed.

    A listing submitted on the site has one. A listing made pending otherwise (demo data, a status
    set by hand in the admin) has none, and no review page would reach it: this records one,
    proposing the listing's current values, dated from when it became pending, so that it is
    published or refused like any new listing. Idempotent: an open change is returned as it is.
    """
    if not can_moderate(moderator, association):
        raise ModerationError(_("Cette fiche n'est pas dans vos territoires de modération."))
    association = Association.objects.select_for_update().get(pk=association.pk)
    current: PendingChange | None = (
        PendingChange.objects.open().filter(association=association).order_by("pk").first()
    )
    if current is not None:
        return current
    if association.status != Association.Status.PENDING:
        raise ModerationError(_("Cette fiche n'est plus en attente de validation."))
    first_manager = (
        AssociationManager.objects.filter(association=association, user__is_active=True)
        .select_related("user")
        .order_by("created_at", "pk")
        .first()
    )
    change = PendingChange.objects.create(
        association=association,
        kind=PendingChange.Kind.NEW_LISTING,
        proposed=state.values_from_association(state.for_values().get(pk=association.pk)),
        base_version=association.version,
        submitted_by=first_manager.user if first_manager else None,
        created_at=association.status_changed_at or association.created_at,
    )
    directory_services.association_log_change(
        association=association, actor=moderator, origin="moderator", action="review_opened"
    )
    return change


def new_listings_approve(
    *, changes: Iterable[PendingChange], moderator: Account
) -> tuple[list[PendingChange], list[tuple[PendingChange, str]]]:
    """Bulk approval of new listings; each is its own transaction. Returns (approved, refused)."""
    approved: list[PendingChange] = []
    refused: list[tuple[PendingChange, str]] = []
    for change in changes:
        if change.kind != PendingChange.Kind.NEW_LISTING:
            refused.append((change, _("Ce n'est pas une nouvelle fiche.")))
            continue
        try:
            approved.append(change_approve(change=change, moderator=moderator))
        except (ModerationError, ItemLocked, editing_services.EditingError) as error:
            refused.append((change, str(error)))
    return approved, refused


# Claims ---------------------------------------------------------------------------------------


@transaction.atomic
def claim_accept(*, claim: Claim, moderator: Account, note: str = "") -> Claim:
    _guard(kind="claim", object_id=claim.pk, moderator=moderator, associations=[claim.association])
    claim = claim_services.claim_accept(claim=claim, actor=moderator, note=note)
    _done("claim", claim.pk)
    return claim


@transaction.atomic
def claim_refuse(*, claim: Claim, moderator: Account, note: str = "") -> Claim:
    _guard(kind="claim", object_id=claim.pk, moderator=moderator, associations=[claim.association])
    claim = claim_services.claim_refuse(claim=claim, actor=moderator, note=note)
    _done("claim", claim.pk)
    return claim


# Reports from the public ----------------------------------------------------------------------


def moderators_for(association: Association) -> list[Account]:
    """Active moderators who may moderate the listing (access.can_moderate decides)."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, email__gt="")
        .filter(Q(groups__name=GROUP_NAME) | Q(user_permissions__codename="change_association"))
        .distinct()
    )
    return [user for user in users if can_moderate(user, association)]


@transaction.atomic
def report_submit(
    *, association: Association, reason: str, message: str, email: str = "", event: Event | None = None
) -> Report:
    """A resident reports a problem (on the listing, or one of its events); the listing's
    managers and its moderators are told."""
    report = Report.objects.create(
        association=association, event=event, reason=reason, message=message, email=email
    )
    admin_url = settings.SITE_URL + reverse("admin:moderation_report", args=[report.pk])
    recipients = {user.email for user in association.managers.filter(is_active=True)}
    for address in sorted(recipients):
        send_email(
            to=address, template="report_to_managers", context={"report": report, "association": association}
        )
    for user in moderators_for(association):
        if user.email not in recipients:
            send_email(
                to=user.email,
                template="report_to_moderators",
                context={"report": report, "association": association, "url": admin_url},
            )
    return report


@transaction.atomic
def report_take(*, report: Report, moderator: Account) -> Report:
    """Mark a report as being handled (status "in progress")."""
    _guard(kind="report", object_id=report.pk, moderator=moderator, associations=[report.association])
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != Report.Status.NEW:
        raise ModerationError(_("Ce signalement est déjà pris en charge ou traité."))
    report.status = Report.Status.IN_PROGRESS
    report.save(update_fields=["status"])
    return report


def _report_close(*, report: Report, moderator: Account, status: str, note: str) -> Report:
    _guard(kind="report", object_id=report.pk, moderator=moderator, associations=[report.association])
    report = Report.objects.select_for_update().select_related("association").get(pk=report.pk)
    if not report.is_open:
        raise ModerationError(_("Ce signalement a déjà été traité."))
    report.status = status
    report.resolution_note = note
    report.decided_by = moderator
    report.decided_at = timezone.now()
    report.save(update_fields=["status", "resolution_note", "decided_by", "decided_at"])
    directory_services.association_log_change(
        association=report.association,
        actor=moderator,
        origin="moderator",
        action=f"report_{status}",
        changes={"report": {"old": report.get_reason_display(), "new": status}},
    )
    if report.email:
        send_email(to=report.email, template="report_closed", context={"report": report})
    _done("report", report.pk)
    return report


@transaction.atomic
def report_resolve(*, report: Report, moderator: Account, note: str = "") -> Report:
    return _report_close(report=report, moderator=moderator, status=Report.Status.RESOLVED, note=note)


@transaction.atomic
def report_reject(*, report: Report, moderator: Account, note: str = "") -> Report:
    return _report_close(report=report, moderator=moderator, status=Report.Status.REJECTED, note=note)


# Freshness ------------------------------------------------------------------------------------


@transaction.atomic
def listing_mark_verified(*, association: Association, moderator: Account) -> Association:
    """A moderator confirms a stale listing is still true."""
    _guard(kind="stale", object_id=association.pk, moderator=moderator, associations=[association])
    directory_services.association_verify(association=association, actor=moderator, origin="moderator")
    _done("stale", association.pk)
    return association


@transaction.atomic
def listing_confirm_by_manager(
    *, association: Association, user: Account, reminder: VerificationReminder | None = None
) -> Association:
    """A manager followed the link of a reminder: the listing is still true."""
    directory_services.association_verify(association=association, actor=user, origin="manager")
    if reminder is not None:
        VerificationReminder.objects.filter(pk=reminder.pk, confirmed_at__isnull=True).update(
            confirmed_at=timezone.now()
        )
    return association


# History --------------------------------------------------------------------------------------


def _file_exists(name: str | None) -> bool:
    return bool(name) and default_storage.exists(name)  # type: ignore[arg-type]  # not None: bool(name)


@transaction.atomic
def association_revert(*, association: Association, change: AssociationChange, moderator: Account) -> Changes:
    """Give the listing back the content it had right after `change` (a new, logged change)."""
    _guard(kind="listing", object_id=association.pk, moderator=moderator, associations=[association])
    association = Association.objects.select_for_update().get(pk=association.pk)
    if change.association_id != association.pk:
        raise ModerationError(_("Cette version n'est pas celle de cette fiche."))
    target = history.state_after(association, change)
    current = state.current_state(association)
    values: dict[str, Any] = {}
    for name in history.REVERTIBLE_FIELDS:
        value = target.get(name)
        if name in ("places", "photos", *state.LIST_FIELDS):
            value = value or []
        elif name == "logo":
            value = value if _file_exists(value) else current.get("logo", "")
        elif name == "volunteers_sought":
            value = bool(value)
        elif value is None:
            value = ""
        values[name] = value
    existing_photos = set(Photo.objects.filter(association=association).values_list("pk", flat=True))
    values["photos"] = [item for item in values["photos"] if item.get("id") in existing_photos]
    changes: Changes = state.changes(current, values)
    if not changes:
        raise ModerationError(_("La fiche a déjà ce contenu : rien à restaurer."))
    association.updated_at = timezone.now()
    state.apply_values(association, values)
    directory_services.refresh_search_text([association])
    Association.objects.filter(pk=association.pk).update(version=F("version") + 1)
    directory_services.association_log_change(
        association=association,
        actor=moderator,
        origin="moderator",
        action=f"reverted:{change.pk}",
        changes=changes,
    )
    _done("listing", association.pk)
    return changes


# Duplicates and merge -------------------------------------------------------------------------

MERGEABLE_FIELDS = state.SCALAR_FIELDS


@transaction.atomic
def duplicate_dismiss(*, candidate: DuplicateCandidate, moderator: Account) -> DuplicateCandidate:
    _guard(
        kind="duplicate",
        object_id=candidate.pk,
        moderator=moderator,
        associations=[candidate.first, candidate.second],
    )
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != DuplicateCandidate.Status.OPEN:
        raise ModerationError(_("Ce doublon possible a déjà été traité."))
    candidate.status = DuplicateCandidate.Status.DISMISSED
    candidate.decided_by = moderator
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at"])
    _done("duplicate", candidate.pk)
    return candidate


@transaction.atomic
def association_merge(
    *,
    candidate: DuplicateCandidate,
    survivor: Association,
    moderator: Account,
    take_from_other: Sequence[str] = (),
) -> tuple[Association, Association, dict[str, int]]:
    """Merge the two listings of `candidate` into `survivor`.

    `take_from_other`: the fields (of MERGEABLE_FIELDS) whose value comes from the other listing.
    Managers, photos, places, reports and claims move to the survivor (its history page also
    shows the other listing's history, kept on that listing so its versions stay true); the other
    listing is archived (never deleted) and its address answers 301 to the survivor.
    """
    _guard(
        kind="duplicate",
        object_id=candidate.pk,
        moderator=moderator,
        associations=[candidate.first, candidate.second],
    )
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != DuplicateCandidate.Status.OPEN:
        raise ModerationError(_("Ce doublon possible a déjà été traité."))
    if survivor.pk not in (candidate.first_id, candidate.second_id):
        raise ModerationError(_("La fiche conservée doit être l'une des deux fiches."))
    unknown = set(take_from_other) - set(MERGEABLE_FIELDS)
    if unknown:
        raise ModerationError(_("Champs inconnus : %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    loser_pk = candidate.second_id if survivor.pk == candidate.first_id else candidate.first_id
    survivor, loser = (
        Association.objects.select_for_update().get(pk=survivor.pk),
        Association.objects.select_for_update().get(pk=loser_pk),
    )
    if PendingChange.objects.open().filter(association__in=[survivor, loser]).exists():
        raise ModerationError(_("Une modification est en attente sur l'une des fiches : décidez-la d'abord."))

    # 1. The loser gives up its address and its identifiers, then is archived.
    old_slug = loser.slug
    taken = {name: getattr(loser, name) for name in take_from_other}
    loser.slug = f"{old_slug[:190]}-fusion-{loser.pk}"
    if "rna" in taken:
        loser.rna = ""
    loser.save(update_fields=["slug", "rna"])
    directory_services.association_set_status(
        association=loser, status=Association.Status.ARCHIVED, actor=moderator, origin="moderator"
    )

    # 2. The survivor takes the chosen values and what belonged to the loser: managers, places,
    # photos, reports and claims. The loser's change log stays on the loser, so that both
    # listings' versions can still be rebuilt; the survivor's history page shows it too.
    before = state.current_state(survivor)
    for name, value in taken.items():
        setattr(survivor, name, value)
    survivor.updated_at = timezone.now()
    survivor.save()
    Association.objects.filter(pk=survivor.pk).update(version=F("version") + 1)
    moved: dict[str, int] = {}
    existing = set(AssociationManager.objects.filter(association=survivor).values_list("user_id", flat=True))
    managers = AssociationManager.objects.filter(association=loser)
    moved["managers"] = managers.exclude(user_id__in=existing).update(association=survivor)
    managers.delete()
    offset = Place.objects.filter(association=survivor).count()
    moved["places"] = 0
    for place in Place.objects.filter(association=loser).order_by("position", "pk"):
        place.association = survivor
        place.position = offset + moved["places"]
        place.save(update_fields=["association", "position"])
        moved["places"] += 1
    moved["photos"] = Photo.objects.filter(association=loser).update(association=survivor)
    moved["reports"] = Report.objects.filter(association=loser).update(association=survivor)
    moved["claims"] = Claim.objects.filter(association=loser).update(association=survivor)
    SlugRedirect.objects.filter(association=loser).update(association=survivor)
    SlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"association": survivor})
    changes = state.changes(before, state.current_state(survivor))
    directory_services.association_log_change(
        association=survivor,
        actor=moderator,
        origin="moderator",
        action=f"merged:{loser.pk}",
        changes=changes,
    )
    directory_services.association_log_change(
        association=loser,
        actor=moderator,
        origin="moderator",
        action=f"merged_into:{survivor.pk}",
        changes={"slug": {"old": old_slug, "new": loser.slug}},
    )
    candidate.status = DuplicateCandidate.Status.MERGED
    candidate.decided_by = moderator
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at"])
    # Other candidates involving the archived listing have nothing left to decide.
    DuplicateCandidate.objects.open().filter(Q(first=loser) | Q(second=loser)).update(
        status=DuplicateCandidate.Status.DISMISSED, decided_by=moderator, decided_at=timezone.now()
    )
    directory_services.refresh_search_text([survivor, loser])
    _done("duplicate", candidate.pk)
    return survivor, loser, moved
