"""Review locks: opening an item locks it for its moderator for 15 minutes.

`lock_acquire` is one conditional UPDATE (take the row if it is ours or expired), else an
INSERT guarded by the unique constraint: two moderators can never both win, on SQLite or
PostgreSQL. The services call it inside their transaction before acting, so a second
moderator's POST is refused (`ItemLocked`), and release the lock once the item is decided.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import ReviewLock

if TYPE_CHECKING:
    from django.contrib.auth.models import User

LOCK_DURATION = timedelta(minutes=15)


class ItemLocked(Exception):
    def __init__(self, lock):
        self.lock = lock
        name = lock.moderator.get_full_name() or lock.moderator.get_username() if lock else ""
        super().__init__(_("En cours de revue par %(name)s : réessayez plus tard.") % {"name": name})


def lock_acquire(*, kind: str, object_id: int, moderator: User) -> None:
    """Take or refresh the lock of an item; raise ItemLocked if another moderator holds it."""
    now = timezone.now()
    expires = now + LOCK_DURATION
    taken = (
        ReviewLock.objects.filter(kind=kind, object_id=object_id)
        .filter(Q(moderator=moderator) | Q(expires_at__lte=now))
        .update(moderator=moderator, expires_at=expires)
    )
    if taken:
        return
    try:
        with transaction.atomic():
            ReviewLock.objects.create(kind=kind, object_id=object_id, moderator=moderator, expires_at=expires)
    except IntegrityError:
        raise ItemLocked(lock_holder(kind=kind, object_id=object_id)) from None


def lock_holder(*, kind, object_id, exclude=None):
    """The unexpired lock of an item held by someone (other than `exclude`), or None."""
    locks = ReviewLock.objects.select_related("moderator").filter(
        kind=kind, object_id=object_id, expires_at__gt=timezone.now()
    )
    if exclude is not None:
        locks = locks.exclude(moderator=exclude)
    return locks.first()


def lock_release(*, kind: str, object_id: int, moderator: User | None = None) -> None:
    locks = ReviewLock.objects.filter(kind=kind, object_id=object_id)
    if moderator is not None:
        locks = locks.filter(moderator=moderator)
    locks.delete()


def active_locks(kind_ids):
    """{(kind, id): lock} for the given items, in one query."""
    if not kind_ids:
        return {}
    q = Q()
    for kind, ids in kind_ids.items():
        if ids:
            q |= Q(kind=kind, object_id__in=ids)
    if not q:
        return {}
    locks = ReviewLock.objects.select_related("moderator").filter(q, expires_at__gt=timezone.now())
    return {(lock.kind, lock.object_id): lock for lock in locks}
