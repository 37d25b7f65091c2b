from django import template

from directory.access import is_moderator
from directory.moderation import queue

register = template.Library()


@register.simple_tag(takes_context=True)
def moderation_counts(context):
    """What waits in the moderator's areas, for the admin index (None for non-moderators)."""
    user = context["request"].user
    if not is_moderator(user):
        return None
    counts = queue.counts(user)
    return {
        "total": sum(counts.values()),
        "rows": [(kind, label, counts[kind]) for kind, label in queue.KINDS.items()],
    }


@register.filter
def is_stale(association):
    """Not verified for 12 months: the listing shows "Ces informations datent peut-être"."""
    from django.utils import timezone

    verified = association.last_verified_at
    return bool(verified) and verified < (timezone.now() - queue.STALE_AFTER).date()
