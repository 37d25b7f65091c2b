"""What managers post on their listing (news items, volunteer needs, events of the agenda): the
writes and the admin they share. The models derive from directory.models.posted.PostedItem.

Posted at once, never moderated beforehand, each write logged in the listing's history under
the model's `log_name`; managers write from the association space, moderators read, search and
withdraw from the admin, and nobody deletes.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone

from directory import access
from directory.listings.services import association_log_change
from directory.listings.state import jsonable
from directory.models import Event, NewsItem, VolunteerNeed

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from django.contrib.auth.models import User as Account
    from django.db.models import QuerySet
    from django.http import HttpRequest
    from django_stubs_ext import StrOrPromise

    from directory.access import User
    from directory.listings.state import Changes, Jsonable

# The models of what managers post (each derives from directory.models.posted.PostedItem).
type Posted = NewsItem | VolunteerNeed | Event


def _log(item: Posted, *, user: User | None, origin: str, event: str, changes: Changes) -> None:
    association_log_change(
        association=item.association,
        actor=user,
        origin=origin,
        action=f"{item.log_name}_{event}",
        changes=changes,
    )


def _logged(value: object) -> Jsonable | list[str]:
    """A value as the history stores it: datetimes in ISO 8601, related rows as their sorted
    names, the rest as the listing's own fields are (listings.state.jsonable)."""
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, list):
        return sorted(str(row) for row in value)
    return jsonable(value)


@transaction.atomic
def posted_item_publish[P: (NewsItem, VolunteerNeed, Event)](
    *, item: P, user: Account | None, origin: str = "manager"
) -> P:
    """Save a new item (its association and fields set) as posted by `user` (None: by the
    site itself, as the demo data and imported calendars are), logged."""
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
def posted_item_update[E: (VolunteerNeed, Event)](
    *,
    item: E,
    user: User | None,
    values: dict[str, Any],
    origin: str = "manager",
    on_change: Callable[[E], Iterable[str]] | None = None,
) -> list[str]:
    """Save the fields of `values` that changed; returns their names (nothing logged if none).
    For the items their managers edit (volunteer needs, events; news items are withdrawn).

    A many-to-many field's value is the list of its rows. `on_change(item)`, called before the
    save when something changed, sets the model's own fields and returns their names."""
    changes: Changes = {}
    rows: dict[str, list[Any]] = {}
    for name, new in values.items():
        if item._meta.get_field(name).many_to_many:
            old_rows = list(getattr(item, name).all())
            if {row.pk for row in old_rows} != {row.pk for row in new}:
                changes[name] = {"old": _logged(old_rows), "new": _logged(list(new))}
                rows[name] = list(new)
            continue
        old = getattr(item, name)
        if old != new:
            changes[name] = {"old": _logged(old), "new": _logged(new)}
            setattr(item, name, new)
    if not changes:
        return []
    item.updated_at = timezone.now()
    extra: list[str] = list(on_change(item)) if on_change is not None else []
    item.save(update_fields=[*(name for name in changes if name not in rows), "updated_at", *extra])
    for name, new_rows in rows.items():
        getattr(item, name).set(new_rows)
    _log(
        item,
        user=user,
        origin=origin,
        event="updated",
        changes={f"{item.log_name}.{name}": change for name, change in changes.items()},
    )
    return list(changes)


@transaction.atomic
def posted_item_archive[P: (NewsItem, VolunteerNeed, Event)](
    *,
    item: P,
    user: User | None,
    origin: str = "manager",
    on_change: Callable[[P], Iterable[str]] | None = None,
) -> bool:
    """Withdraw an item from the listing (kept, archived). Returns False if it already was.

    `on_change(item)`, called before the save if the item was not withdrawn yet, sets the
    model's own fields and returns their names."""
    if item.archived:
        return False
    item.archived = True
    item.archived_at = timezone.now()
    extra: list[str] = list(on_change(item)) if on_change is not None else []
    item.save(update_fields=["archived", "archived_at", *extra])
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
    `archive_selected()`, and `archived_message(count)`; it overrides `archive_one()` when its
    model's withdrawal does more than the base's (the agenda's).
    """

    actions: Sequence[str] = ("archive",)

    def archived_message(self, count: int) -> StrOrPromise:
        raise NotImplementedError

    def archive_one(self, request: HttpRequest, item: Any) -> bool:
        """Withdraw one item as the moderator; False if it already was."""
        return posted_item_archive(item=item, user=request.user, origin="moderator")

    def archive_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> int:
        archived = sum(self.archive_one(request, item) for item in queryset.select_related("association"))
        self.message_user(request, self.archived_message(archived) % {"n": archived}, messages.SUCCESS)
        return archived

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
