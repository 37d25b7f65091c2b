"""What managers post on their listing (news items, volunteer needs; the events to come): the
writes and the admin they share. The models derive from directory.models.posted.PostedItem.

Posted at once, never moderated beforehand, each write logged in the listing's history under
the model's `log_name`; managers write from the association space, moderators read, search and
withdraw from the admin, and nobody deletes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone

from directory import access
from directory.listings.services import association_log_change
from directory.listings.state import jsonable
from directory.models import NewsItem, VolunteerNeed

if TYPE_CHECKING:
    from django.contrib.auth.models import User as Account
    from django.db.models import QuerySet
    from django.http import HttpRequest
    from django_stubs_ext import StrOrPromise

    from directory.access import User
    from directory.listings.state import Changes

# The models of what managers post (each derives from directory.models.posted.PostedItem).
type Posted = NewsItem | VolunteerNeed


def _log(item: Posted, *, user: User | None, origin: str, event: str, changes: Changes) -> None:
    association_log_change(
        association=item.association,
        actor=user,
        origin=origin,
        action=f"{item.log_name}_{event}",
        changes=changes,
    )


@transaction.atomic
def posted_item_publish[P: (NewsItem, VolunteerNeed)](
    *, item: P, user: Account, origin: str = "manager"
) -> P:
    """Save a new item (its association and fields set) as posted by `user`, logged."""
    item.created_by = user
    item.save()
    _log(
        item,
        user=user,
        origin=origin,
        event="published",
        changes={item.log_name: {"old": None, "new": item.title}},
    )
    return item


@transaction.atomic
def posted_item_update(
    *, item: VolunteerNeed, user: User | None, values: dict[str, Any], origin: str = "manager"
) -> list[str]:
    """Save the fields of `values` that changed; returns their names (nothing logged if none).
    For the items their managers edit (volunteer needs; news items are withdrawn, not edited)."""
    changes = {}
    for name, new in values.items():
        old = getattr(item, name)
        if old != new:
            changes[name] = {"old": jsonable(old), "new": jsonable(new)}
            setattr(item, name, new)
    if not changes:
        return []
    item.updated_at = timezone.now()
    item.save(update_fields=[*changes, "updated_at"])
    _log(
        item,
        user=user,
        origin=origin,
        event="updated",
        changes={f"{item.log_name}.{name}": change for name, change in changes.items()},
    )
    return list(changes)


@transaction.atomic
def posted_item_archive(*, item: Posted, user: User | None, origin: str = "manager") -> bool:
    """Withdraw an item from the listing (kept, archived). Returns False if it already was."""
    if item.archived:
        return False
    item.archived = True
    item.archived_at = timezone.now()
    item.save(update_fields=["archived", "archived_at"])
    _log(
        item,
        user=user,
        origin=origin,
        event="archived",
        changes={item.log_name: {"old": item.title, "new": None}},
    )
    return True


if TYPE_CHECKING:
    _ModelAdmin = admin.ModelAdmin[Any]
else:
    _ModelAdmin = admin.ModelAdmin


class PostedItemAdmin(access.ModeratedAdminMixin, _ModelAdmin):
    """Moderators read, search and withdraw; managers post from the association space.

    A subclass declares its `archive` action (its wording agrees with the model's name) with
    `archive_selected()`, and `archived_message(count)`.
    """

    actions = ("archive",)

    def archived_message(self, count: int) -> StrOrPromise:
        raise NotImplementedError

    def archive_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> int:
        archived = sum(
            posted_item_archive(item=item, user=request.user, origin="moderator")
            for item in queryset.select_related("association")
        )
        self.message_user(request, self.archived_message(archived) % {"n": archived}, messages.SUCCESS)
        return archived

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
