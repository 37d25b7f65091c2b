"""Writes of a listing's services: each proposes the listing's values with its services changed,
through the editing workflow's pending change (directory/editing/services.py), so that services
are moderated, published at once on trusted listings, logged and reverted like every other field."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from directory import reference
from directory.editing import services as editing
from directory.listings import state
from directory.models import Association, PendingChange

if TYPE_CHECKING:
    from django.contrib.auth.models import User as Account

Values = dict[str, Any]


def base_values(association: Association) -> tuple[Values, PendingChange | None]:
    """The values a services page starts from: the open change's, else the listing's."""
    change = PendingChange.objects.open().filter(association=association).first()
    if change is not None:
        values = copy.deepcopy(change.proposed)
        values.setdefault(
            "services", state.values_from_association(state.for_values().get(pk=association.pk))["services"]
        )
        return values, change
    return state.values_from_association(state.for_values().get(pk=association.pk)), None


def services_propose(
    *,
    association: Association,
    user: Account,
    services: list[Values],
    base_version: int,
    pending_revision: int,
    form_token: str,
) -> PendingChange:
    """Propose the listing's values with `services` as its services, from the version (or the
    open change's revision) the form was opened at. Raises editing.EditConflict when either moved,
    and returns the first change of a form posted twice."""
    values, change = base_values(association)
    snap = reference.get()
    values["services"] = [state.clean_service_values(service, snap) for service in services]
    if pending_revision:
        if change is None:
            raise editing.EditConflict(current=values, association=association)
        return editing.pending_change_amend(
            change=change, user=user, values=values, revision=pending_revision, form_token=form_token
        )
    return editing.pending_change_submit(
        association=association, user=user, values=values, base_version=base_version, form_token=form_token
    )
