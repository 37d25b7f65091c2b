"""Writes of the digital helpers feature: sign-up and moderation of helpers, help requests and
offers. Keyword-only functions, each in one transaction; e-mails leave after the commit.

Contact details are exchanged only by help_offer_accept: before it, an association knows a
helper's first name (or pseudonym), skills, areas and presentation, and a helper knows the
association's public listing and the request.

Actions that cannot happen any more (offer on a closed request, accept twice, accept after a
cancel) raise HelpActionError with a message for the person; repeating a finished action is
harmless.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from directory import access
from directory.emails import send_email
from directory.listings.services import association_log_change
from directory.models import HelperProfile, HelperSkill, HelpOffer, HelpRequest, RequestSkill

if TYPE_CHECKING:
    from django.contrib.auth.models import User as Account

    from directory.models import Area, Association


class HelpActionError(Exception):
    """An action that the current state forbids; str(error) is shown to the person."""


def _url(name: str, *args: object) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _set_skills[S: (HelperSkill, RequestSkill)](
    model: type[S], owner_field: str, owner: models.Model, codes: Iterable[str]
) -> None:
    codes = sorted(set(codes))
    model.objects.filter(**{owner_field: owner}).exclude(skill__in=codes).delete()
    existing = set(model.objects.filter(**{owner_field: owner}).values_list("skill", flat=True))
    model.objects.bulk_create(
        [model(**{owner_field: owner, "skill": code}) for code in codes if code not in existing]
    )


def association_contacts(help_request: HelpRequest) -> list[str]:
    """The addresses of the association side: the request's author while they still manage the
    listing, else every active manager."""
    author = help_request.author
    if (
        author is not None
        and author.is_active
        and author.email
        and access.is_manager(author, help_request.association)
    ):
        return [author.email]
    return list(
        help_request.association.managers.filter(is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


# Helpers ------------------------------------------------------------------------------------


@transaction.atomic
def helper_sign_up(
    *,
    user: Account,
    display_name: str,
    bio: str,
    skills: Iterable[str],
    areas: Iterable[Area],
    remote: bool,
    availability: str,
) -> HelperProfile:
    """Create or update the helper profile of `user`.

    A new profile waits for a moderator. A changed name or presentation (what associations
    read), or a profile that was refused or withdrawn, goes back to moderation; skills, areas and
    availability change at once. Submitting the same form twice changes nothing.
    """
    profile = HelperProfile.objects.select_for_update().filter(user=user).first()
    now = timezone.now()
    if profile is None:
        profile = HelperProfile.objects.create(
            user=user,
            display_name=display_name,
            bio=bio,
            remote=remote,
            availability=availability,
            status=HelperProfile.Status.PENDING,
            status_changed_at=now,
        )
    else:
        to_review = (
            profile.display_name != display_name
            or profile.bio != bio
            or profile.status in (HelperProfile.Status.REJECTED, HelperProfile.Status.WITHDRAWN)
        )
        profile.display_name, profile.bio = display_name, bio
        profile.remote, profile.availability = remote, availability
        fields = ["display_name", "bio", "remote", "availability", "updated_at"]
        if to_review and profile.status != HelperProfile.Status.PENDING:
            profile.status, profile.status_changed_at = HelperProfile.Status.PENDING, now
            profile.rejection_reason = ""
            fields += ["status", "status_changed_at", "rejection_reason"]
        profile.save(update_fields=fields)
    _set_skills(HelperSkill, "helper", profile, skills)
    profile.areas.set(areas)
    return profile


@transaction.atomic
def helper_approve(*, profile: HelperProfile, moderator: Account) -> bool:
    """Approve a pending (or refused) profile; False if it already was, or was withdrawn."""
    profile = HelperProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    if profile.status in (HelperProfile.Status.APPROVED, HelperProfile.Status.WITHDRAWN):
        return False
    profile.status, profile.status_changed_at = HelperProfile.Status.APPROVED, timezone.now()
    profile.moderated_by, profile.rejection_reason = moderator, ""
    profile.save(update_fields=["status", "status_changed_at", "moderated_by", "rejection_reason"])
    send_email(
        to=profile.user.email,
        template="helper_approved",
        context={"profile": profile, "url": _url("directory:helper_space")},
    )
    return True


@transaction.atomic
def helper_reject(*, profile: HelperProfile, moderator: Account, reason: str = "") -> bool:
    """Refuse a profile (hidden from associations, its pending offers withdrawn); False if it
    already was refused or was withdrawn."""
    profile = HelperProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    if profile.status in (HelperProfile.Status.REJECTED, HelperProfile.Status.WITHDRAWN):
        return False
    profile.status, profile.status_changed_at = HelperProfile.Status.REJECTED, timezone.now()
    profile.moderated_by, profile.rejection_reason = moderator, reason
    profile.save(update_fields=["status", "status_changed_at", "moderated_by", "rejection_reason"])
    _withdraw_pending_offers(profile)
    send_email(
        to=profile.user.email, template="helper_rejected", context={"profile": profile, "reason": reason}
    )
    return True


@transaction.atomic
def helper_withdraw(*, profile: HelperProfile) -> bool:
    """The helper leaves: hidden from associations, pending offers withdrawn. Accepted offers
    stay (the association already has the contact)."""
    profile = HelperProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.status == HelperProfile.Status.WITHDRAWN:
        return False
    profile.status, profile.status_changed_at = HelperProfile.Status.WITHDRAWN, timezone.now()
    profile.save(update_fields=["status", "status_changed_at"])
    _withdraw_pending_offers(profile)
    return True


def _withdraw_pending_offers(profile: HelperProfile) -> None:
    HelpOffer.objects.filter(helper=profile, status=HelpOffer.Status.PENDING).update(
        status=HelpOffer.Status.WITHDRAWN, decided_at=timezone.now()
    )


# Requests -----------------------------------------------------------------------------------


@transaction.atomic
def help_request_create(
    *,
    association: Association,
    user: Account,
    title: str,
    description: str,
    skills: Iterable[str],
    urgency: str,
) -> HelpRequest:
    help_request = HelpRequest.objects.create(
        association=association, author=user, title=title, description=description, urgency=urgency
    )
    RequestSkill.objects.bulk_create(
        [RequestSkill(request=help_request, skill=code) for code in sorted(set(skills))]
    )
    association_log_change(
        association=association,
        actor=user,
        origin=access.acting_role(user, association),
        action="help_request_created",
        changes={"help_request": {"old": None, "new": title}},
    )
    return help_request


def _locked(help_request: HelpRequest) -> HelpRequest:
    return HelpRequest.objects.select_for_update().select_related("association").get(pk=help_request.pk)


@transaction.atomic
def help_request_cancel(*, help_request: HelpRequest, user: Account) -> bool:
    """Cancel an open or matched request; its pending offers are declined. False if it was
    already cancelled; HelpActionError if it is done."""
    locked = _locked(help_request)
    if locked.status == HelpRequest.Status.CANCELLED:
        return False
    if locked.status == HelpRequest.Status.DONE:
        raise HelpActionError(_("Cette demande est déjà terminée : elle ne peut plus être annulée."))
    old, now = locked.status, timezone.now()
    locked.status, locked.status_changed_at, locked.closed_at = HelpRequest.Status.CANCELLED, now, now
    locked.save(update_fields=["status", "status_changed_at", "closed_at"])
    locked.offers.filter(status=HelpOffer.Status.PENDING).update(
        status=HelpOffer.Status.DECLINED, decided_at=now
    )
    association_log_change(
        association=locked.association,
        actor=user,
        origin=access.acting_role(user, locked.association),
        action="help_request_cancelled",
        changes={"help_request": {"old": old, "new": locked.status}},
    )
    return True


@transaction.atomic
def help_request_mark_done(*, help_request: HelpRequest, user: Account) -> bool:
    """A matched request whose help was given. False if already done; HelpActionError if it is
    still open (no helper yet) or cancelled."""
    locked = _locked(help_request)
    if locked.status == HelpRequest.Status.DONE:
        return False
    if locked.status != HelpRequest.Status.MATCHED:
        raise HelpActionError(_("Seule une demande pour laquelle un aidant a été trouvé peut être terminée."))
    now = timezone.now()
    locked.status, locked.status_changed_at, locked.closed_at = HelpRequest.Status.DONE, now, now
    locked.save(update_fields=["status", "status_changed_at", "closed_at"])
    association_log_change(
        association=locked.association,
        actor=user,
        origin=access.acting_role(user, locked.association),
        action="help_request_done",
        changes={"help_request": {"old": HelpRequest.Status.MATCHED, "new": locked.status}},
    )
    return True


@transaction.atomic
def help_request_invite(*, help_request: HelpRequest, helper: HelperProfile) -> bool:
    """Tell a suggested helper about an open request (never twice to the same helper). The
    e-mail holds the association's name and the request, not any address."""
    locked = _locked(help_request)
    if not locked.is_open:
        raise HelpActionError(_("Cette demande n'est plus ouverte."))
    if not helper.is_approved:
        raise HelpActionError(_("Cet aidant n'est plus disponible."))
    if locked.invited_helpers.filter(pk=helper.pk).exists():
        return False
    locked.invited_helpers.add(helper)
    send_email(
        to=helper.user.email,
        template="help_invitation",
        context={
            "help_request": locked,
            "helper": helper,
            "url": _url("directory:helper_request", locked.pk),
        },
    )
    return True


# Offers -------------------------------------------------------------------------------------


@transaction.atomic
def help_offer_make(
    *, help_request: HelpRequest, helper: HelperProfile, message: str
) -> tuple[HelpOffer, bool]:
    """An approved helper offers help on an open request. Returns (offer, created): a second
    offer by the same helper changes nothing (a withdrawn one is made again)."""
    locked = _locked(help_request)
    if not helper.is_approved:
        raise HelpActionError(_("Votre profil d'aidant doit être validé avant de proposer votre aide."))
    if not locked.is_open:
        raise HelpActionError(
            _("Cette demande n'est plus ouverte : l'association a trouvé de l'aide ou l'a retirée.")
        )
    offer = HelpOffer.objects.select_for_update().filter(request=locked, helper=helper).first()
    if offer is not None:
        if offer.status != HelpOffer.Status.WITHDRAWN:
            return offer, False
        offer.status, offer.message, offer.decided_at = HelpOffer.Status.PENDING, message, None
        offer.save(update_fields=["status", "message", "decided_at"])
    else:
        try:
            with transaction.atomic():
                offer = HelpOffer.objects.create(request=locked, helper=helper, message=message)
        except IntegrityError:  # a concurrent double submit won the race
            return HelpOffer.objects.get(request=locked, helper=helper), False
    send_email(
        to=association_contacts(locked),
        template="help_offer_received",
        context={
            "help_request": locked,
            "helper": helper,
            "offer": offer,
            "url": _url("directory:help_request", locked.association.slug, locked.pk),
        },
    )
    return offer, True


@transaction.atomic
def help_offer_withdraw(*, offer: HelpOffer) -> bool:
    """The helper takes back a pending offer; False if it is no longer pending."""
    offer = HelpOffer.objects.select_for_update().get(pk=offer.pk)
    if offer.status != HelpOffer.Status.PENDING:
        return False
    offer.status, offer.decided_at = HelpOffer.Status.WITHDRAWN, timezone.now()
    offer.save(update_fields=["status", "decided_at"])
    return True


@transaction.atomic
def help_offer_accept(*, offer: HelpOffer, user: Account) -> bool:
    """The association accepts an offer: the request is matched, the other pending offers are
    declined, and each side receives the other's contact. Accepting the same offer again is
    harmless (False); accepting on a request that is no longer open raises HelpActionError."""
    help_request = _locked(offer.request)
    offer = HelpOffer.objects.select_for_update().select_related("helper__user").get(pk=offer.pk)
    if offer.status == HelpOffer.Status.ACCEPTED:
        return False
    if not help_request.is_open:
        raise HelpActionError(
            _("Cette demande n'est plus ouverte : aucune proposition ne peut être acceptée.")
        )
    if offer.status != HelpOffer.Status.PENDING:
        raise HelpActionError(_("Cette proposition a été retirée ou déclinée."))
    if not offer.helper.is_approved:
        raise HelpActionError(_("Cet aidant n'est plus disponible."))
    now = timezone.now()
    others = list(
        help_request.offers.filter(status=HelpOffer.Status.PENDING)
        .exclude(pk=offer.pk)
        .select_related("helper__user")
    )
    HelpOffer.objects.filter(pk__in=[o.pk for o in others]).update(
        status=HelpOffer.Status.DECLINED, decided_at=now
    )
    offer.status, offer.decided_at = HelpOffer.Status.ACCEPTED, now
    offer.save(update_fields=["status", "decided_at"])
    help_request.status, help_request.status_changed_at = HelpRequest.Status.MATCHED, now
    help_request.matched_at, help_request.matched_offer = now, offer
    help_request.save(update_fields=["status", "status_changed_at", "matched_at", "matched_offer"])
    association_log_change(
        association=help_request.association,
        actor=user,
        origin=access.acting_role(user, help_request.association),
        action="help_offer_accepted",
        changes={"help_request": {"old": HelpRequest.Status.OPEN, "new": HelpRequest.Status.MATCHED}},
    )
    association = help_request.association
    contacts = association_contacts(help_request)
    send_email(
        to=offer.helper.user.email,
        template="help_offer_accepted_helper",
        context={
            "help_request": help_request,
            "association": association,
            "contacts": contacts,
            "url": _url("directory:helper_space"),
        },
    )
    send_email(
        to=contacts,
        template="help_offer_accepted_association",
        context={
            "help_request": help_request,
            "helper": offer.helper,
            "helper_email": offer.helper.user.email,
            "url": _url("directory:help_request", association.slug, help_request.pk),
        },
    )
    for other in others:
        _send_declined(other, help_request)
    return True


def _send_declined(offer: HelpOffer, help_request: HelpRequest) -> None:
    send_email(
        to=offer.helper.user.email,
        template="help_offer_declined",
        context={"help_request": help_request, "helper": offer.helper, "url": _url("directory:helper_space")},
    )


@transaction.atomic
def help_offer_decline(*, offer: HelpOffer, user: Account) -> bool:
    """The association declines a pending offer; False if it was already declined or withdrawn;
    HelpActionError for the accepted offer."""
    help_request = _locked(offer.request)
    offer = HelpOffer.objects.select_for_update().select_related("helper__user").get(pk=offer.pk)
    if offer.status == HelpOffer.Status.ACCEPTED:
        raise HelpActionError(_("Cette proposition est déjà acceptée."))
    if offer.status != HelpOffer.Status.PENDING:
        return False
    offer.status, offer.decided_at = HelpOffer.Status.DECLINED, timezone.now()
    offer.save(update_fields=["status", "decided_at"])
    _send_declined(offer, help_request)
    return True
