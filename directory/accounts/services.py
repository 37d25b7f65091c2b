"""Account writes: sign-up, e-mail verification, e-mail change, deletion.

Built on django.contrib.auth rather than a library such as django-allauth: we need e-mail
log-in, a verified address and the usual auth views, which Django covers with a backend, a
token generator and signed values; allauth's social log-in, MFA and its template set would be
unused weight to keep up to date.
"""

import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from directory.editing.emails import send_email
from directory.models import AssociationManager
from directory.services import association_log_change

EMAIL_CHANGE_SALT = "directory.accounts.email-change"


class AccountError(Exception):
    pass


class VerificationTokenGenerator(PasswordResetTokenGenerator):
    """Tokens of the e-mail verification link: they stop working once the account is active."""

    key_salt = "directory.accounts.VerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.is_active}{user.email}{timestamp}"


verification_tokens = VerificationTokenGenerator()


def _users():
    return get_user_model()._default_manager


def email_taken(email, *, exclude_pk=None):
    return _users().filter(email__iexact=email.strip()).exclude(pk=exclude_pk).exists()


def _username_for(email):
    candidate = email.lower()
    if len(candidate) <= 150 and not _users().filter(username=candidate).exists():
        return candidate
    return uuid.uuid4().hex


def verification_url(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = verification_tokens.make_token(user)
    return settings.SITE_URL + reverse("accounts:verify", args=[uid, token])


@transaction.atomic
def account_signup(*, email, password):
    """Create an inactive account and send the verification link.

    Never reveals whether an address has an account: an active one receives a "you already
    have an account" e-mail; an unverified one gets its password replaced and a fresh link.
    """
    email = email.strip()
    user = _users().select_for_update().filter(email__iexact=email).order_by("pk").first()
    if user is not None and user.is_active:
        send_email(
            to=user.email,
            template="account_exists",
            context={"url": settings.SITE_URL + reverse("accounts:password_reset")},
            language=translation.get_language(),
        )
        return None
    if user is None:
        user = get_user_model()(username=_username_for(email), email=email, is_active=False)
    user.set_password(password)
    user.save()
    send_email(
        to=user.email,
        template="verify_email",
        context={"url": verification_url(user), "user": user},
        language=translation.get_language(),
    )
    return user


@transaction.atomic
def account_verify(*, user):
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


def email_change_token(user, new_email):
    return signing.dumps({"u": user.pk, "old": user.email, "new": new_email}, salt=EMAIL_CHANGE_SALT)


@transaction.atomic
def account_request_email_change(*, user, new_email):
    new_email = new_email.strip()
    if email_taken(new_email, exclude_pk=user.pk):
        raise AccountError(_("Un compte utilise déjà cette adresse."))
    url = settings.SITE_URL + reverse("accounts:email_confirm", args=[email_change_token(user, new_email)])
    language = translation.get_language()  # the visitor's own e-mails: in the language they use
    send_email(to=new_email, template="email_change", context={"url": url, "user": user}, language=language)
    send_email(
        to=user.email, template="email_change_notice", context={"new_email": new_email}, language=language
    )


@transaction.atomic
def account_confirm_email_change(*, user, token):
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
def account_delete(*, user):
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
