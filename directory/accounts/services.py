"""Account writes: sign-up, e-mail verification, e-mail change, deletion.

Built on django.contrib.auth rather than a library such as django-allauth: we need e-mail
log-in, a verified address and the usual auth views, which Django covers with a backend, a
token generator and signed values; allauth's social log-in, MFA and its template set would be
unused weight to keep up to date.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from directory.emails import send_email
from directory.listings.services import association_log_change
from directory.models import AssociationManager, PendingSignup

EMAIL_CHANGE_SALT = "directory.accounts.email-change"
SIGNUP_SALT = "directory.accounts.signup"

if TYPE_CHECKING:
    from django.contrib.auth.models import User as Account
    from django.contrib.auth.models import UserManager
    from django.db.models import QuerySet


class AccountError(Exception):
    pass


def _users() -> UserManager[Account]:
    return get_user_model()._default_manager


def email_taken(email: str, *, exclude_pk: int | None = None) -> bool:
    return _users().filter(email__iexact=email.strip()).exclude(pk=exclude_pk).exists()  # type: ignore[misc]  # None excludes nothing


def _username_for(email: str) -> str:
    candidate = email.lower()
    if len(candidate) <= 150 and not _users().filter(username=candidate).exists():
        return candidate
    return uuid.uuid4().hex


def _password_fingerprint(pending: PendingSignup) -> str:
    return salted_hmac(SIGNUP_SALT, pending.password, algorithm="sha256").hexdigest()[:20]


def verification_token(pending: PendingSignup) -> str:
    """The signed secret of a sign-up's link: its row and a fingerprint of its password hash."""
    return signing.dumps({"p": pending.pk, "h": _password_fingerprint(pending)}, salt=SIGNUP_SALT)


def verification_url(pending: PendingSignup, next_url: str = "") -> str:
    """The link of the e-mail; `next_url` (a path of the site, checked by the view that took it
    and again by the one that follows it) is where the new account goes once verified."""
    url = settings.SITE_URL + reverse("accounts:verify", args=[verification_token(pending)])
    return url + ("?" + urlencode({"next": next_url}) if next_url else "")


def pending_signup_from_token(token: str) -> PendingSignup | None:
    """The sign-up of a verification link, or None: tampered, expired (PASSWORD_RESET_TIMEOUT)
    or already used (confirming a sign-up deletes every sign-up of its address)."""
    try:
        data = signing.loads(token, salt=SIGNUP_SALT, max_age=settings.PASSWORD_RESET_TIMEOUT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    pending = PendingSignup.objects.filter(pk=data.get("p")).first()  # type: ignore[misc]  # None finds nothing
    if pending is None or not constant_time_compare(str(data.get("h", "")), _password_fingerprint(pending)):
        return None
    return pending


def pending_signups_purge(*, limit: int | None = None) -> int:
    """Delete the sign-ups whose link has expired (their data is kept no longer than their link);
    the number deleted. Run by every sign-up and by `manage.py purge_pending_signups` (daily)."""
    expired: QuerySet[PendingSignup] = PendingSignup.objects.expired()
    if limit is not None:
        expired = PendingSignup.objects.filter(
            pk__in=list(expired.order_by("pk").values_list("pk", flat=True)[:limit])
        )
    return expired.delete()[0]


@transaction.atomic
def account_signup(*, email: str, password: str, next_url: str = "") -> PendingSignup | None:
    """Record a sign-up awaiting verification and mail its link; never touch an existing account.

    Every path costs the same and answers the same (the view shows one page): the password is
    hashed whether it is kept or not, and the e-mails leave after the response. An address with
    an active account receives "you already have an account"; one with a disabled account
    receives nothing (a moderator disabled it: it does not come back through the sign-up form).
    Expired sign-ups are purged on the way. `next_url` rides along in the link (the page the
    person was going to, such as the add form).
    """
    email = email.strip()
    password_hash = make_password(password)
    pending_signups_purge()
    language = translation.get_language()  # the visitor's own e-mails: in the language they use
    user = _users().filter(email__iexact=email).order_by("pk").first()
    if user is not None:
        if user.is_active:
            send_email(
                to=user.email,
                template="account_exists",
                context={"url": settings.SITE_URL + reverse("accounts:password_reset")},
                language=language,
                after_response=True,
            )
        return None
    pending = PendingSignup.objects.create(email=email, password=password_hash)
    send_email(
        to=email,
        template="verify_email",
        context={"url": verification_url(pending, next_url)},
        language=language,
        after_response=True,
    )
    return pending


@transaction.atomic
def account_verify(*, pending: PendingSignup, password: str) -> Account:
    """Create the account of a sign-up whose link was opened, with the password chosen at
    sign-up, typed again here: whoever opens a link sent by someone else's sign-up to their
    address cannot end up in an account whose password that someone knows.

    An address that has an account by now (made, disabled, or promoted to staff meanwhile) is
    left alone: the link is refused. Returns the new, active account.
    """
    invalid = _("Ce lien n'est plus valable : inscrivez-vous à nouveau pour en recevoir un autre.")
    same_address = PendingSignup.objects.select_for_update().filter(email__iexact=pending.email)
    rows = {row.pk: row for row in same_address}
    pending = rows.get(pending.pk)
    if pending is None:
        raise AccountError(invalid)
    if not check_password(password, pending.password):
        raise AccountError(_("Ce n'est pas le mot de passe choisi à l'inscription."))
    if email_taken(pending.email):
        raise AccountError(invalid)  # its rows go with the next purge of expired sign-ups
    user = get_user_model()(
        username=_username_for(pending.email), email=pending.email, password=pending.password, is_active=True
    )
    user.save()
    PendingSignup.objects.filter(pk__in=rows).delete()
    return user


def email_change_token(user: Account, new_email: str) -> str:
    return signing.dumps({"u": user.pk, "old": user.email, "new": new_email}, salt=EMAIL_CHANGE_SALT)


@transaction.atomic
def account_request_email_change(*, user: Account, new_email: str) -> None:
    """Mail the confirmation link to the new address, and a notice to the current one.

    An address that already has an account gets a notice instead of the link: the person asking
    sees the same answer either way, so the form does not tell which addresses have an account.
    """
    new_email = new_email.strip()
    language = translation.get_language()  # the visitor's own e-mails: in the language they use
    if email_taken(new_email, exclude_pk=user.pk):
        send_email(
            to=new_email,
            template="email_change_taken",
            context={"url": settings.SITE_URL + reverse("accounts:password_reset")},
            language=language,
            after_response=True,
        )
    else:
        url = settings.SITE_URL + reverse(
            "accounts:email_confirm", args=[email_change_token(user, new_email)]
        )
        send_email(
            to=new_email,
            template="email_change",
            context={"url": url, "user": user},
            language=language,
            after_response=True,
        )
    send_email(
        to=user.email,
        template="email_change_notice",
        context={"new_email": new_email},
        language=language,
        after_response=True,
    )


@transaction.atomic
def account_confirm_email_change(*, user: Account, token: str) -> Account:
    """Apply a change of e-mail from its signed link; a used or expired link is refused."""
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=settings.EMAIL_CHANGE_MAX_AGE)
    except signing.BadSignature:
        raise AccountError(_("Ce lien n'est plus valable : demandez un nouveau changement.")) from None
    if data.get("u") != user.pk or data.get("old", "").lower() != user.email.lower():
        raise AccountError(_("Ce lien n'est plus valable : demandez un nouveau changement."))
    if email_taken(data["new"], exclude_pk=user.pk):
        raise AccountError(_("Un compte utilise déjà cette adresse."))
    if user.username == user.email.lower():
        user.username = _username_for(data["new"])
    user.email = data["new"]
    user.save(update_fields=["email", "username"])
    return user


@transaction.atomic
def account_delete(*, user: Account) -> None:
    """Delete an account (RGPD). Its memberships go with it; the listings stay, and a listing
    whose last manager leaves this way has no manager until someone claims it. Changes it
    proposed stay for the moderators, without their author."""
    email = user.email
    for membership in AssociationManager.objects.filter(user=user).select_related("association"):
        association_log_change(
            association=membership.association,
            actor=None,
            origin="system",
            action="manager_account_deleted",
            changes={"managers": {"old": user.pk, "new": None}},
        )
    user.delete()
    send_email(to=email, template="account_deleted", language=translation.get_language())
