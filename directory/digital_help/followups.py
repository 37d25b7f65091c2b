"""Thirty days after a match, both sides are asked whether the help worked (once per request).

Each side answers on a page of their own space (logged in): the association on the request's
page, the helper in their space. The answers are kept on the request for the moderators and
counted on the public achievements page.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.digital_help.services import HelpActionError, association_contacts
from directory.emails import send_email
from directory.models import HelpRequest

FOLLOWUP_AFTER = timedelta(days=30)


def due_followups(now=None):
    """Matched or done requests matched 30 days ago or more, never asked."""
    now = now or timezone.now()
    return (
        HelpRequest.objects.filter(
            status__in=[HelpRequest.Status.MATCHED, HelpRequest.Status.DONE],
            matched_at__lte=now - FOLLOWUP_AFTER,
            followup_sent_at__isnull=True,
            matched_offer__isnull=False,
        )
        .select_related("association", "author", "matched_offer__helper__user")
        .order_by("matched_at", "pk")
    )


@transaction.atomic
def help_followup_send(*, help_request):
    """Ask both sides (after the commit); the number of e-mails, 0 if it was already sent."""
    locked = HelpRequest.objects.select_for_update().filter(pk=help_request.pk, followup_sent_at__isnull=True)
    if not locked.exists():
        return 0
    HelpRequest.objects.filter(pk=help_request.pk).update(followup_sent_at=timezone.now())
    helper = help_request.matched_offer.helper
    association = help_request.association
    sent = 0
    contacts = association_contacts(help_request)
    if contacts:
        send_email(
            to=contacts,
            template="help_followup",
            context={
                "help_request": help_request,
                "other": helper.display_name,
                "url": settings.SITE_URL
                + reverse("directory:help_request", args=[association.slug, help_request.pk]),
            },
        )
        sent += len(contacts)
    if helper.user.is_active and helper.user.email:
        send_email(
            to=helper.user.email,
            template="help_followup",
            context={
                "help_request": help_request,
                "other": association.name,
                "url": settings.SITE_URL + reverse("directory:helper_space"),
            },
        )
        sent += 1
    return sent


def help_feedback_record(*, help_request, side, answer):
    """Record one side's answer ('association' or 'helper'; 'yes' or 'no'); it may be changed.
    Only matched or done requests have a follow-up."""
    if answer not in HelpRequest.Feedback.values:
        raise HelpActionError(_("Choisissez « oui » ou « non »."))
    field = {"association": "association_feedback", "helper": "helper_feedback"}[side]
    updated = HelpRequest.objects.filter(
        pk=help_request.pk, status__in=[HelpRequest.Status.MATCHED, HelpRequest.Status.DONE]
    ).update(**{field: answer})
    if not updated:
        raise HelpActionError(_("Cette demande n'a pas eu d'aidant : il n'y a pas de bilan à faire."))
    setattr(help_request, field, answer)
    return True
