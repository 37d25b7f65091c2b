"""Who may see and do what: the one place that decides.

Personas, and what this module lets them do:

- **A resident** (anonymous or any account) sees published listings only.
- **An account** is usable when it is authenticated and active. A disabled account (`is_active`
  False) is nobody: Django's backend already refuses its sessions, and every predicate here says
  no again, so a stale object in memory grants nothing either.
- **A manager** of a listing has an `AssociationManager` row for it. Managers, and only they (with
  superusers, who administer the site), use the association space of that listing: edit, news,
  volunteer needs and their answers, managers and invitations, claims addressed to managers.
  Removing the row removes every one of these rights at once.
- **A moderator** is an active staff account holding `directory.change_association` (the
  "Modérateurs" group gives it). `ModeratorScope` rows limit them to some communes or
  arrondissements (Lyon includes its arrondissements); a moderator without any row covers the
  whole Métropole. Moderators are *not* managers: they act through the moderation tools (the
  queue, the reviews, the admin), on the listings of their areas only, and every related row
  (changes, claims and their documents, reports, managers, invitations, news, volunteer needs
  and answers, help requests, history) follows its listing.
- **Fail closed**: a scope row whose area was deleted keeps the moderator limited (to nothing
  left of it), it never widens them to the whole Métropole.
- **A superuser** sees and may do everything.

Views, the admin (querysets, object permissions, custom URLs, actions) and the services call the
functions below; nothing else in the code decides access. Lookups that fail answer 404 rather
than revealing that something exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, TypeGuard

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404

from directory.models import Association, AssociationManager, ListingDraft, ModeratorScope, Place

if TYPE_CHECKING:
    from uuid import UUID

    from django.contrib import admin
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.auth.models import User as Account
    from django.http import HttpRequest

    # What `request.user` may be: an account, or the anonymous visitor.
    User = Account | AnonymousUser
    _AdminBase = admin.ModelAdmin[Any]
else:
    _AdminBase = object

MODERATE_PERMISSION = "directory.change_association"

__all__ = [
    "MODERATE_PERMISSION",
    "can_manage",
    "can_moderate",
    "can_read_drafts",
    "can_view_listing",
    "is_account",
    "is_administrator",
    "is_moderator",
    "managed_association_or_404",
    "moderated",
    "moderated_associations",
    "moderator_area_ids",
]


# Accounts --------------------------------------------------------------------------------------


def is_account(user: User | None) -> TypeGuard[Account]:
    """An authenticated account that is not disabled."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_administrator(user: User | None) -> bool:
    """A superuser: the only one who deletes records (listings are archived, not deleted)."""
    return bool(is_account(user) and user.is_superuser)


def can_read_drafts(user: User | None) -> bool:
    """Unpublished guides are read by the team (staff) before they go out."""
    return bool(is_account(user) and user.is_staff)


def is_moderator(user: User | None) -> bool:
    return bool(is_account(user) and user.is_staff and user.has_perm(MODERATE_PERMISSION))


# Moderators and their areas -------------------------------------------------------------------


def moderator_area_ids(user: Account) -> frozenset[int] | None:
    """None when the moderator covers the whole Métropole, else the ids of the areas they cover.

    A scope row whose area was deleted (area NULL) still limits: it adds no area, so a moderator
    whose only area disappeared covers nothing rather than everything (fail closed).
    """
    if user.is_superuser:
        return None
    cache: frozenset[int] | Literal[False] | None = user.__dict__.get("_moderation_area_ids", False)
    if cache is False:
        rows = list(ModeratorScope.objects.filter(user=user).values_list("area_id", flat=True))
        cache = frozenset(area_id for area_id in rows if area_id is not None) if rows else None
        user.__dict__["_moderation_area_ids"] = cache
    return cache


def _in_areas(area_ids: frozenset[int]) -> Exists:
    """Exists() of a place of the association in one of the areas (or an arrondissement of it)."""
    places = Place.objects.filter(association=OuterRef("pk")).filter(
        Q(area_id__in=area_ids) | Q(area__parent_id__in=area_ids)
    )
    return Exists(places)


def _moderation_reach(user: User) -> frozenset[int] | None:
    """What `user` may moderate: None for everything, else the ids of their areas (empty: nothing)."""
    if not is_account(user) or not (user.is_superuser or is_moderator(user)):
        return frozenset()
    return moderator_area_ids(user)


def moderated_associations(
    user: User, queryset: QuerySet[Association] | None = None
) -> QuerySet[Association]:
    """THE rule: the listings of `queryset` that `user` may see and act on as a moderator.
    Nothing for non-moderators; everything for unlimited moderators and superusers."""
    queryset = Association.objects.all() if queryset is None else queryset
    reach = _moderation_reach(user)
    if reach is None:
        return queryset
    return queryset.filter(_in_areas(reach)) if reach else queryset.none()


def moderated[M: Model](user: User, queryset: QuerySet[M], field: str = "association") -> QuerySet[M]:
    """Rows of another model (changes, claims, reports, needs…) whose listing, reached through
    `field`, `user` may moderate."""
    reach = _moderation_reach(user)
    if reach is None:
        return queryset
    if not reach:
        return queryset.none()
    return queryset.filter(**{f"{field}__in": Association.objects.filter(_in_areas(reach)).values("pk")})


def can_moderate(user: User, association: Association) -> bool:
    return moderated_associations(user).filter(pk=association.pk).exists()


# Managers -------------------------------------------------------------------------------------


def is_manager(user: User, association: Association) -> bool:
    """Whether `user` has a manager row for the listing (one query, remembered on the instance)."""
    if not is_account(user):
        return False
    cache: dict[int, bool] = association.__dict__.setdefault("_managed_by", {})
    if user.pk not in cache:
        cache[user.pk] = AssociationManager.objects.filter(association=association, user=user).exists()
    return cache[user.pk]


def can_manage(user: User, association: Association) -> bool:
    """Who may use the association space of a listing: its managers, and superusers."""
    if not is_account(user):
        return False
    return user.is_superuser or is_manager(user, association)


def managed_association_or_404(
    user: User, slug: str, queryset: QuerySet[Association] | None = None
) -> Association:
    """The listing `slug` if `user` may use its association space, else 404.

    One query, and none of `queryset`'s prefetches for someone who may not: the rule is part of
    the lookup (`can_manage` as SQL), so a refused visitor costs no more than an unknown slug.
    """
    if not is_account(user):
        raise Http404
    queryset = queryset if queryset is not None else Association.objects.all()
    if not user.is_superuser:
        queryset = queryset.filter(
            Exists(AssociationManager.objects.filter(association=OuterRef("pk"), user=user.pk))
        )
    association = queryset.filter(slug=slug).first()
    if association is None:
        raise Http404
    if not user.is_superuser:
        association.__dict__.setdefault("_managed_by", {})[user.pk] = True
    return association


# Listings -------------------------------------------------------------------------------------


def can_view_listing(user: User, association: Association) -> bool:
    """Published listings are public; an unpublished one (pending, archived) is shown only to
    its managers and to the moderators of its area."""
    if association.is_published:
        return True
    return can_manage(user, association) or can_moderate(user, association)


def acting_role(user: User, association: Association) -> str:
    """How a change by `user` is logged on the listing's history: as its manager, or as
    moderation (moderators and superusers acting from the moderation tools)."""
    return "manager" if is_manager(user, association) else "moderator"


# The admin -------------------------------------------------------------------------------------


class ModeratedAdminMixin(_AdminBase):
    """For a ModelAdmin: its changelist, object pages (change, history, delete), autocomplete and
    actions only reach the rows whose listing the moderator may moderate.

    `moderated_through` is the path from the model to its listing; None for Association itself.
    """

    moderated_through: str | None = "association"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if self.moderated_through is None:
            return moderated_associations(request.user, queryset)
        return moderated(request.user, queryset, self.moderated_through)


def own_draft_or_404(user: User, key: UUID | str) -> ListingDraft:
    """A draft of the add form, to its author only (not even a superuser: it is not published
    nor proposed yet, it is someone's unfinished work)."""
    if not is_account(user):
        raise Http404
    # An edit draft is reached through its listing's space only (managers only, see edit_*).
    draft = ListingDraft.objects.filter(key=key, user=user.pk, base_version__isnull=True).first()
    if draft is None:
        raise Http404
    return draft
