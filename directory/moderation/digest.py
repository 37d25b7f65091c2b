"""The moderators' digest: what waits in their areas, by kind, with the first items of their queue."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from directory.access import is_moderator
from directory.emails import send_email
from directory.moderation import queue
from directory.moderation.services import GROUP_NAME


def moderators():
    users = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, email__gt="")
        .filter(
            Q(groups__name=GROUP_NAME)
            | Q(user_permissions__codename="change_association")
            | Q(is_superuser=True)
        )
        .distinct()
        .order_by("pk")
    )
    return [user for user in users if is_moderator(user)]


def digest_for(user, *, limit=10):
    waiting = queue.queue_page(user, per_page=limit)
    return {
        "counts": [(queue.KINDS[kind], n) for kind, n in waiting.counts.items() if n],
        "total": waiting.total,
        "items": waiting.items,
    }


def send(*, dry_run=False):
    """E-mail each moderator with something waiting; return [(user, total)]."""
    sent = []
    url = settings.SITE_URL + reverse("admin:moderation_queue")
    for user in moderators():
        digest = digest_for(user)
        if not digest["total"]:
            continue
        sent.append((user, digest["total"]))
        if not dry_run:
            send_email(
                to=user.email, template="moderation_digest", context={"user": user, "url": url, **digest}
            )
    return sent
