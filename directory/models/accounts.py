"""Sign-ups awaiting e-mail verification (directory.accounts.services).

A sign-up is not an account: it becomes one only when its link is opened and the password chosen
at sign-up is typed again. An inactive `User` is therefore always a disabled account, never a
pending sign-up, and the sign-up path never writes to `User` rows that already exist.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PendingSignupQuerySet(models.QuerySet):
    def expired(self, *, now=None):
        """Sign-ups whose link no longer works (PASSWORD_RESET_TIMEOUT, as the e-mail says)."""
        now = now or timezone.now()
        return self.filter(created_at__lt=now - timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT))


class PendingSignup(models.Model):
    """One sign-up form sent: the address, the password's hash, when. Two sign-ups with one
    address are two rows, each with its own link; confirming one creates the account and
    deletes them all."""

    email = models.EmailField(_("adresse e-mail"), max_length=254, db_index=True)
    password = models.CharField(_("mot de passe (empreinte)"), max_length=128)
    created_at = models.DateTimeField(_("date d'inscription"), default=timezone.now, db_index=True)

    objects = PendingSignupQuerySet.as_manager()

    class Meta:
        verbose_name = _("inscription en attente")
        verbose_name_plural = _("inscriptions en attente")
        ordering = ["-created_at"]

    def __str__(self):
        return self.email
