"""Volunteer needs of a listing: published, edited and archived by its managers (each
change logged in the listing's history), and answered by residents (stored, e-mailed to the
managers with the resident as Reply-To; the association's own address is never shown)."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from directory.emails import send_email
from directory.listings.services import association_log_change
from directory.models import VolunteerNeed, VolunteerResponse

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


def _logged(value):
    """A JSON-friendly value for the history: dates as ISO text, places and areas by name."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


@transaction.atomic
def volunteer_need_publish(*, association, user, values, origin="manager"):
    """Publish a need at once (needs are not moderated beforehand, like news items)."""
    need = VolunteerNeed(association=association, created_by=user, **{f: values[f] for f in NEED_FIELDS})
    need.save()
    association_log_change(
        association=association,
        actor=user,
        origin=origin,
        action="volunteer_need_published",
        changes={"volunteer_need": {"old": None, "new": need.title}},
    )
    return need


@transaction.atomic
def volunteer_need_update(*, need, user, values, origin="manager"):
    """Save what changed; returns the names of the changed fields (nothing logged if none)."""
    changes = {}
    for name in NEED_FIELDS:
        old, new = getattr(need, name), values[name]
        if old != new:
            changes[name] = {"old": _logged(old), "new": _logged(new)}
            setattr(need, name, new)
    if not changes:
        return []
    need.updated_at = timezone.now()
    need.save(update_fields=[*changes, "updated_at"])
    association_log_change(
        association=need.association,
        actor=user,
        origin=origin,
        action="volunteer_need_updated",
        changes={f"volunteer_need.{name}": change for name, change in changes.items()},
    )
    return list(changes)


@transaction.atomic
def volunteer_need_archive(*, need, user, origin="manager"):
    """Withdraw a need (kept, archived). Returns False if it already was."""
    if need.archived:
        return False
    need.archived = True
    need.archived_at = timezone.now()
    need.save(update_fields=["archived", "archived_at"])
    association_log_change(
        association=need.association,
        actor=user,
        origin=origin,
        action="volunteer_need_archived",
        changes={"volunteer_need": {"old": need.title, "new": None}},
    )
    return True


def answer_recipients(association):
    """Who receives residents' answers: the active managers, else the listing's public e-mail.

    Each is sent a message of their own (nobody sees the others' addresses).
    """
    managers = sorted({u.email for u in association.managers.filter(is_active=True) if u.email})
    if managers:
        return managers, True
    return ([association.email] if association.email else []), False


@transaction.atomic
def volunteer_respond(*, need, name, email, phone, message, form_token):
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
