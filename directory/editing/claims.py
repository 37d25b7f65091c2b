"""Claiming a listing.

- Listing without manager, with an RNA number and a public e-mail: the claimant types the RNA
  number, a 6-digit code goes to the listing's e-mail; typing it grants management at once.
  The code is stored as an HMAC, expires after 30 minutes, allows 5 attempts, works once.
- Otherwise the claimant explains their role (and may attach a document, stored privately);
  moderators decide, or the listing's managers when it has some.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from directory import access
from directory.editing.services import EditingError, manager_add
from directory.emails import send_email
from directory.listings.services import association_log_change
from directory.models import AssociationManager, Claim

CODES_PER_DAY = 3


def can_claim_by_code(association):
    return bool(association.rna and association.email) and not association.memberships.exists()


def _hash(claim, code):
    return salted_hmac("directory.claim-code", f"{claim.pk}:{code}", algorithm="sha256").hexdigest()


@transaction.atomic
def claim_send_code(*, association, user, rna):
    """Send a code to the listing's public e-mail when `rna` is the listing's RNA number."""
    if not can_claim_by_code(association):
        raise EditingError(_("Cette fiche ne peut pas être revendiquée par code."))
    if rna.strip().upper() != association.rna.upper():
        raise EditingError(_("Ce numéro RNA n'est pas celui de la fiche."))
    since = timezone.now() - timedelta(days=1)
    claims = Claim.objects.filter(association=association, user=user, method=Claim.Method.CODE)
    if claims.filter(created_at__gte=since).count() >= CODES_PER_DAY:
        raise EditingError(_("Trop de codes demandés aujourd'hui : réessayez demain ou faites une demande."))
    claims.filter(status=Claim.Status.PENDING).update(status=Claim.Status.EXPIRED)
    claim = Claim.objects.create(
        association=association,
        user=user,
        method=Claim.Method.CODE,
        code_expires_at=timezone.now() + timedelta(seconds=settings.CLAIM_CODE_MAX_AGE),
    )
    code = f"{secrets.randbelow(10**6):06d}"
    claim.code_hash = _hash(claim, code)
    claim.save(update_fields=["code_hash"])
    send_email(
        to=association.email,
        template="claim_code",
        context={"association": association, "code": code, "minutes": settings.CLAIM_CODE_MAX_AGE // 60},
    )
    return claim


@dataclass
class CodeResult:
    ok: bool
    message: str = ""


@transaction.atomic
def claim_check_code(*, claim, user, code):
    """Check a code; every attempt counts, even a wrong one (so nothing raises here)."""
    claim = Claim.objects.select_for_update().select_related("association").get(pk=claim.pk)
    if claim.user_id != user.pk or claim.method != Claim.Method.CODE or claim.status != Claim.Status.PENDING:
        return CodeResult(False, _("Ce code n'est plus valable : demandez-en un nouveau."))
    if timezone.now() > claim.code_expires_at or claim.code_attempts >= settings.CLAIM_CODE_MAX_ATTEMPTS:
        claim.status = Claim.Status.EXPIRED
        claim.save(update_fields=["status"])
        return CodeResult(False, _("Ce code a expiré : demandez-en un nouveau."))
    Claim.objects.filter(pk=claim.pk).update(code_attempts=F("code_attempts") + 1)
    claim.refresh_from_db(fields=["code_attempts"])
    if not constant_time_compare(_hash(claim, code.strip()), claim.code_hash):
        left = settings.CLAIM_CODE_MAX_ATTEMPTS - claim.code_attempts
        if left <= 0:
            claim.status = Claim.Status.EXPIRED
            claim.save(update_fields=["status"])
            return CodeResult(False, _("Code incorrect. Plus aucun essai : demandez un nouveau code."))
        return CodeResult(False, _("Code incorrect. Il vous reste %(n)d essai(s).") % {"n": left})
    claim.status = Claim.Status.ACCEPTED
    claim.decided_at = timezone.now()
    claim.save(update_fields=["status", "decided_at"])
    manager_add(association=claim.association, user=user, via=AssociationManager.Via.CODE, actor=user)
    return CodeResult(True)


@transaction.atomic
def claim_request(*, association, user, role, document=None, document_kind="pdf"):
    """A request reviewed by the managers (if any) or by the moderators."""
    if access.is_manager(user, association):
        raise EditingError(_("Vous gérez déjà cette fiche."))
    if Claim.objects.filter(
        association=association, user=user, method=Claim.Method.REVIEW, status=Claim.Status.PENDING
    ).exists():
        raise EditingError(_("Vous avez déjà une demande en cours pour cette fiche."))
    managers = list(association.managers.all())
    claim = Claim(
        association=association, user=user, method=Claim.Method.REVIEW, role=role, to_managers=bool(managers)
    )
    if document is not None:
        claim.document.save(f"justificatif.{document_kind}", document, save=False)
    claim.save()
    association_log_change(association=association, actor=user, origin="manager", action="claim_requested")
    if managers:
        send_email(
            to=[m.email for m in managers],
            template="claim_to_managers",
            context={
                "association": association,
                "claim": claim,
                "url": settings.SITE_URL + reverse("directory:dashboard"),
            },
        )
    return claim


def _decide(*, claim, actor, status, note):
    claim = Claim.objects.select_for_update().select_related("association", "user").get(pk=claim.pk)
    if claim.status != Claim.Status.PENDING or claim.method != Claim.Method.REVIEW:
        raise EditingError(_("Cette demande a déjà été traitée."))
    claim.status = status
    claim.decided_by = actor
    claim.decided_at = timezone.now()
    claim.note = note
    claim.save(update_fields=["status", "decided_by", "decided_at", "note"])
    return claim


@transaction.atomic
def claim_accept(*, claim, actor, note="") -> Claim:
    claim = _decide(claim=claim, actor=actor, status=Claim.Status.ACCEPTED, note=note)
    manager_add(
        association=claim.association, user=claim.user, via=AssociationManager.Via.REVIEW, actor=actor
    )
    send_email(to=claim.user.email, template="claim_decided", context={"claim": claim, "accepted": True})
    return claim


@transaction.atomic
def claim_refuse(*, claim, actor, note="") -> Claim:
    claim = _decide(claim=claim, actor=actor, status=Claim.Status.REFUSED, note=note)
    association_log_change(
        association=claim.association, actor=actor, origin="manager", action="claim_refused"
    )
    send_email(to=claim.user.email, template="claim_decided", context={"claim": claim, "accepted": False})
    return claim
