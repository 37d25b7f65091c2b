"""Volunteer needs of a listing: published, edited and archived by its managers (each
change logged in the listing's history), and answered by residents (stored, e-mailed to the
managers with the resident as Reply-To; the association's own address is never shown)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from directory.emails import send_email
from directory.models import VolunteerNeed, VolunteerResponse
from directory.posted import posted_item_archive, posted_item_publish, posted_item_update

if TYPE_CHECKING:
    import uuid

    from django.contrib.auth.models import User as Account

    from directory.access import User
    from directory.models import Association

# The fields a manager writes; their old and new values go to the listing's history.
NEED_FIELDS = (
    "title",
    "description",
    "schedule",
    "on_weekdays",
    "on_evenings",
    "on_weekends",
    "one_off",
    "starts_on",
    "ends_on",
    "place",
    "area",
    "skills",
)


def volunteer_need_publish(
    *, association: Association, user: Account, values: dict[str, Any], origin: str = "manager"
) -> VolunteerNeed:
    """Publish a need at once (needs are not moderated beforehand, like news items)."""
    need = VolunteerNeed(association=association, **{f: values[f] for f in NEED_FIELDS})
    return posted_item_publish(item=need, user=user, origin=origin)


def volunteer_need_update(
    *, need: VolunteerNeed, user: User | None, values: dict[str, Any], origin: str = "manager"
) -> list[str]:
    """Save what changed; returns the names of the changed fields (nothing logged if none)."""
    return posted_item_update(item=need, user=user, values={f: values[f] for f in NEED_FIELDS}, origin=origin)


def volunteer_need_archive(*, need: VolunteerNeed, user: User | None, origin: str = "manager") -> bool:
    """Withdraw a need (kept, archived). Returns False if it already was."""
    return posted_item_archive(item=need, user=user, origin=origin)


def answer_recipients(association: Association) -> tuple[list[str], bool]:
    """Who receives residents' answers: the active managers, else the listing's public e-mail.

    Each is sent a message of their own (nobody sees the others' addresses).
    """
    managers = sorted({u.email for u in association.managers.filter(is_active=True) if u.email})
    if managers:
        return managers, True
    return ([association.email] if association.email else []), False


@transaction.atomic
def volunteer_respond(
    *, need: VolunteerNeed, name: str, email: str, phone: str, message: str, form_token: uuid.UUID
) -> tuple[VolunteerResponse, bool]:
    """Store a resident's answer and e-mail it; a second submit of one form changes nothing.

    Returns (response, created). The e-mails leave after the commit, with Reply-To the resident.
    """
    response, created = VolunteerResponse.objects.get_or_create(
        need=need,
        form_token=form_token,
        defaults={"name": name, "email": email, "phone": phone, "message": message},
    )
    if not created:
        return response, False
    recipients, to_managers = answer_recipients(need.association)
    context = {
        "need": need,
        "association": need.association,
        "response": response,
        "to_managers": to_managers,
        "responses_url": settings.SITE_URL
        + reverse("directory:volunteer_responses", args=[need.association.slug, need.pk]),
        "claim_url": settings.SITE_URL + reverse("directory:claim", args=[need.association.slug]),
    }
    for address in recipients:
        send_email(to=address, template="volunteer_response", context=context, reply_to=email)
    return response, True
