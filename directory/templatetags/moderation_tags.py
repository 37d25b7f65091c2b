from django import template

from directory.moderation import queue

register = template.Library()


@register.filter
def is_stale(association):
    """Not verified for 12 months: the listing shows "Ces informations datent peut-être"."""
    from django.utils import timezone

    verified = association.last_verified_at
    return bool(verified) and verified < (timezone.now() - queue.STALE_AFTER).date()
