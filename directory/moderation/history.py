"""A listing's versions, rebuilt from its change log going backwards from the current state.

Each AssociationChange holds {field: {"old", "new"}}; undoing the changes newer than a given
one, newest first, gives the values the listing had right after it. The state and its diff are
directory/listings/state.py.
"""

from typing import Any

from directory.listings import state
from directory.models import Association, AssociationChange

# What a revert restores: the public content (status, slug and trust have their own actions).
REVERTIBLE_FIELDS = state.ALL_FIELDS


def changes_of(association):
    return (
        AssociationChange.objects.filter(association=association)
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )


def state_after(association: Association, change: AssociationChange) -> dict[str, Any]:
    """The listing's values right after `change` (an AssociationChange of this listing)."""
    values = state.current_state(association)
    newer = changes_of(association).filter(created_at__gte=change.created_at).exclude(pk=change.pk)
    for newer_change in newer:
        if (newer_change.created_at, newer_change.pk) < (change.created_at, change.pk):
            continue
        undo(values, newer_change.changes)
    return values


def undo(values, changes):
    for name, change in (changes or {}).items():
        if isinstance(change, dict) and "old" in change:
            values[name] = change["old"]
    return values
