"""Verification reminders: the managers of a listing not verified for 6 months receive a link
that confirms it in one click (no login: a signed token valid 14 days). Never two reminders for
the same listing within 30 days (VerificationReminder rows)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.db.models import DateField, Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone

from directory import access
from directory.emails import send_email
from directory.models import Association, AssociationManager, VerificationReminder

REMIND_AFTER = timedelta(days=182)
NOT_AGAIN_WITHIN = timedelta(days=30)
TOKEN_MAX_AGE = 14 * 24 * 3600
SALT = "directory.moderation.verification"


def due_listings(now=None):
    """Published listings with managers, unverified for 6 months, without a recent reminder."""
    now = now or timezone.now()
    limit = now - REMIND_AFTER
    recent = VerificationReminder.objects.filter(
        association=OuterRef("pk"), sent_at__gte=now - NOT_AGAIN_WITHIN
    )
    managed = AssociationManager.objects.filter(association=OuterRef("pk"), user__is_active=True)
    return (
        Association.objects.published()
        .filter(Q(last_verified_at__lt=limit.date()) | Q(last_verified_at__isnull=True, created_at__lt=limit))
        .filter(Exists(managed))
        .exclude(Exists(recent))
        .annotate(
            unverified_since=Coalesce(
                F("last_verified_at"), TruncDate("created_at"), output_field=DateField()
            )
        )
        .order_by("unverified_since", "pk")
    )


def make_token(reminder, user):
    return signing.dumps({"r": reminder.pk, "u": user.pk}, salt=SALT, compress=True)


def read_token(token):
    """(reminder, user) of a valid, unexpired link, or (None, None)."""
    try:
        data = signing.loads(token, salt=SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None, None
    reminder = VerificationReminder.objects.select_related("association").filter(pk=data.get("r")).first()
    user = get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()
    if reminder is None or user is None or not access.is_manager(user, reminder.association):
        return None, None
    return reminder, user


@transaction.atomic
def reminder_send(*, association):
    """Record the reminder and e-mail each manager their own link (after the commit)."""
    managers = list(association.managers.filter(is_active=True).exclude(email=""))
    reminder = VerificationReminder.objects.create(association=association, recipients=len(managers))
    for user in managers:
        url = settings.SITE_URL + reverse("directory:confirm_listing", args=[make_token(reminder, user)])
        send_email(
            to=user.email,
            template="verification_reminder",
            context={"association": association, "user": user, "url": url, "days": TOKEN_MAX_AGE // 86400},
        )
    return reminder
