"""A listing's versions, rebuilt from its change log going backwards from the current state.

Each AssociationChange holds {field: {"old", "new"}}; undoing the changes newer than a given
one, newest first, gives the values the listing had right after it.
"""

from directory.listings import services
from directory.listings import state as values_lib
from directory.models import AssociationChange

# What a revert restores: the public content (status, slug and trust have their own actions).
REVERTIBLE_FIELDS = values_lib.ALL_FIELDS


def current_state(association):
    listing = values_lib.for_values().get(pk=association.pk)
    state = services.snapshot(listing)
    state.update(values_lib.values_from_association(listing))
    return state


def changes_of(association):
    return (
        AssociationChange.objects.filter(association=association)
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )


def state_after(association, change):
    """The listing's values right after `change` (an AssociationChange of this listing)."""
    state = current_state(association)
    newer = changes_of(association).filter(created_at__gte=change.created_at).exclude(pk=change.pk)
    for newer_change in newer:
        if (newer_change.created_at, newer_change.pk) < (change.created_at, change.pk):
            continue
        undo(state, newer_change.changes)
    return state


def undo(state, changes):
    for name, values in (changes or {}).items():
        if isinstance(values, dict) and "old" in values:
            state[name] = values["old"]
    return state
