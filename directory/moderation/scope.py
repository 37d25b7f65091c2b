"""Who may moderate what: the one place that decides.

A moderator is an active staff user with the `directory.change_association` permission (the
"Modérateurs" group gives it). ModeratorScope rows limit them to some communes or arrondissements
(Lyon includes its arrondissements); without any row they moderate the whole Métropole.
Superusers see everything.
"""

from django.db.models import Exists, OuterRef, Q

from directory.models import Association, ModeratorScope, Place

PERMISSION = "directory.change_association"


def is_moderator(user):
    return bool(
        user and user.is_authenticated and user.is_active and user.is_staff and user.has_perm(PERMISSION)
    )


def moderator_area_ids(user):
    """None when the moderator is not limited, else the set of area ids they moderate."""
    if user.is_superuser:
        return None
    cache = user.__dict__.get("_moderation_area_ids", False)
    if cache is False:
        ids = set(ModeratorScope.objects.filter(user=user).values_list("area_id", flat=True))
        cache = ids or None
        user.__dict__["_moderation_area_ids"] = cache
    return cache


def in_areas(area_ids):
    """Exists() of a place of the association in one of the areas (or an arrondissement of it)."""
    places = Place.objects.filter(association=OuterRef("pk")).filter(
        Q(area_id__in=area_ids) | Q(area__parent_id__in=area_ids)
    )
    return Exists(places)


def visible_associations(user, queryset=None):
    """THE rule: the listings of `queryset` that `user` may see and act on as a moderator.
    Nothing for non-moderators; everything for unlimited moderators and superusers."""
    if queryset is None:
        queryset = Association.objects.all()
    if not is_moderator(user):
        return queryset.none()
    area_ids = moderator_area_ids(user)
    if area_ids is None:
        return queryset
    return queryset.filter(in_areas(area_ids))


def visible_related(user, queryset, field="association"):
    """Rows of another model (reports, changes, claims…) whose listing `user` may moderate."""
    if not is_moderator(user):
        return queryset.none()
    if moderator_area_ids(user) is None:
        return queryset
    return queryset.filter(**{f"{field}__in": visible_associations(user).values("pk")})


def can_moderate(user, association):
    return visible_associations(user).filter(pk=association.pk).exists()
