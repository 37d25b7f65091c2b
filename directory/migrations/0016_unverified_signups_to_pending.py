"""Until 0015 a sign-up was an inactive `User` with no log-in; an inactive account was thus either
"e-mail not yet verified" or "disabled", and the sign-up form re-activated both.

Inactive accounts that look like a sign-up never verified (never logged in, not staff nor
superuser, a usable password and an e-mail, no group, permission nor listing) become pending
sign-ups with the same address, password hash and date, and their empty `User` row goes: nothing
of theirs is lost, their old link stops working and signing up again sends a new one (expired
ones are purged by the next sign-up). Every other inactive account stays as it is: disabled.
"""

from django.conf import settings
from django.db import migrations


def unverified_signups(User):
    return (
        User.objects.filter(is_active=False, last_login__isnull=True, is_staff=False, is_superuser=False)
        .exclude(email="")
        .exclude(password="")
        .exclude(password__startswith="!")  # noqa: S106 - unusable password: an admin's or anonymised
        .filter(groups__isnull=True, user_permissions__isnull=True, memberships__isnull=True)
        .distinct()
    )


def forwards(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    PendingSignup = apps.get_model("directory", "PendingSignup")
    users = list(unverified_signups(User))
    PendingSignup.objects.bulk_create(
        PendingSignup(email=user.email, password=user.password, created_at=user.date_joined) for user in users
    )
    User.objects.filter(pk__in=[user.pk for user in users]).delete()


def backwards(apps, schema_editor):
    """Pending sign-ups become inactive accounts again, as before 0015."""
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    PendingSignup = apps.get_model("directory", "PendingSignup")
    for pending in PendingSignup.objects.order_by("created_at"):
        if User.objects.filter(email__iexact=pending.email).exists():
            continue
        username = pending.email.lower()
        if len(username) > 150 or User.objects.filter(username=username).exists():
            continue
        User.objects.create(
            username=username,
            email=pending.email,
            password=pending.password,
            is_active=False,
            date_joined=pending.created_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0015_pending_signup"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
