"""Writes of the add form in steps (directory/editing/steps.py): start a draft, save a step,
send the draft for moderation through editing.services.association_submit_new, discard it.

Sending is safe to repeat: the draft is marked sent by one conditional UPDATE before anything
else is written, so a second submit (a double click, a stale tab, two requests at once) finds
it sent and creates nothing; the first request's listing is the answer to both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from directory.editing import duplicates, services
from directory.editing import uploads as temp_uploads
from directory.editing.steps import REQUIRED_STEPS, STEPS
from directory.models import Association, ListingDraft, PendingChange, TemporaryUpload

if TYPE_CHECKING:
    from django.contrib.auth.models import User as Account
    from django.http import HttpRequest

    from directory.editing.duplicates import Duplicate
    from directory.editing.steps import Step

# What a listing holds when a step left it out (the photos step is optional).
EMPTY_VALUES: dict[str, Any] = {
    "places": [],
    "photos": [],
    "logo": "",
    "categories": [],
    "audiences": [],
    "languages": [],
}


class DraftError(Exception):
    """A draft that cannot be sent as it is; `step` is where to fix it."""

    def __init__(self, message: str, *, step: str) -> None:
        super().__init__(message)
        self.step = step


class DraftAlreadySent(Exception):
    def __init__(self, draft: ListingDraft) -> None:
        super().__init__("draft already sent")
        self.draft = draft


class DraftDuplicates(Exception):
    """Listings that look like this one: a blocking one (same RNA) or not yet confirmed."""

    def __init__(self, found: list[Duplicate]) -> None:
        super().__init__("possible duplicates")
        self.found = found


@transaction.atomic
def draft_start(*, user: Account) -> ListingDraft:
    """A new draft, or the person's untouched one (a double click starts one draft)."""
    empty = ListingDraft.objects.open().new_listings().filter(user=user, steps_done=[]).first()
    return empty or ListingDraft.objects.create(user=user)


@transaction.atomic
def draft_save_step(
    *, draft: ListingDraft, step: Step, values: dict[str, Any], uploads: dict[str, Any] | None
) -> ListingDraft:
    """Record one step's values (and its images): only the fields of that step change, so a
    stale tab of another step never erases anything."""
    draft = ListingDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.submitted_at is not None:
        raise DraftAlreadySent(draft)
    draft.values = {**draft.values, **values}
    if uploads is not None:
        draft.uploads = uploads
    if step.slug not in draft.steps_done:
        draft.steps_done = [s.slug for s in STEPS if s.slug in {*draft.steps_done, step.slug}]
    draft.updated_at = timezone.now()
    draft.save(update_fields=["values", "uploads", "steps_done", "updated_at"])
    return draft


def draft_values(draft: ListingDraft) -> dict[str, Any]:
    """The draft's values, completed with what an unfilled optional step leaves empty."""
    return {**EMPTY_VALUES, **draft.values, "logo": "", "photos": []}


def draft_images(
    *, request: HttpRequest, draft: ListingDraft
) -> tuple[TemporaryUpload | None, list[tuple[TemporaryUpload, str]], bool]:
    """(logo, [(photo, alt)], something missing): the temporary uploads the draft names that
    are still there (kept a day, for the session that sent them)."""
    kept = draft.uploads or {}
    missing = False
    logo = None
    if kept.get("logo"):
        logo = temp_uploads.upload_get(request=request, key=kept["logo"])
        missing |= logo is None
    photos = []
    for item in kept.get("photos", []):
        upload = temp_uploads.upload_get(request=request, key=item.get("upload"))
        if upload is None:
            missing = True
        else:
            photos.append((upload, item.get("alt", "")))
    return logo, photos, missing


@transaction.atomic
def draft_submit(
    *, request: HttpRequest, draft: ListingDraft, user: Account, confirm_not_duplicate: bool = False
) -> PendingChange:
    """Create the listing and its pending change from a complete draft, once."""
    claimed = ListingDraft.objects.filter(pk=draft.pk, submitted_at__isnull=True).update(
        submitted_at=timezone.now()
    )
    if not claimed:
        raise DraftAlreadySent(ListingDraft.objects.get(pk=draft.pk))
    draft = ListingDraft.objects.get(pk=draft.pk)
    missing_step = next((slug for slug in REQUIRED_STEPS if slug not in draft.steps_done), None)
    if missing_step is not None:
        raise DraftError("incomplete", step=missing_step)
    logo, photos, missing = draft_images(request=request, draft=draft)
    if missing:
        raise DraftError("image missing", step="photos")
    values = draft_values(draft)
    found = duplicates.find_duplicates(values)
    if any(d.blocking for d in found) or (found and not confirm_not_duplicate):
        raise DraftDuplicates(found)
    change = services.association_submit_new(
        user=user,
        values=values,
        logo=temp_uploads.processed(logo) if logo else None,
        new_photos=[(temp_uploads.processed(upload), alt) for upload, alt in photos],
    )
    draft.association = change.association
    draft.save(update_fields=["association"])
    temp_uploads.upload_discard(uploads=[u for u in [logo, *(p for p, _alt in photos)] if u is not None])
    return change


@transaction.atomic
def draft_discard(*, draft: ListingDraft) -> None:
    """Delete a draft not sent yet, with the images it kept."""
    draft = ListingDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.submitted_at is not None:
        raise DraftAlreadySent(draft)
    keys = [draft.uploads.get("logo")] + [p.get("upload") for p in draft.uploads.get("photos", [])]
    temp_uploads.upload_discard(uploads=list(TemporaryUpload.objects.filter(key__in=[k for k in keys if k])))
    draft.delete()


def drafts_purge(*, limit: int | None = None, dry_run: bool = False) -> int:
    """Delete the drafts sent more than a day ago or untouched for DRAFT_MAX_AGE."""
    expired = ListingDraft.objects.expired().order_by("pk")
    pks = list(
        expired.values_list("pk", flat=True)[:limit]
        if limit is not None
        else expired.values_list("pk", flat=True)
    )
    if not dry_run:
        ListingDraft.objects.filter(pk__in=pks).delete()
    return len(pks)


# Editing an existing listing in steps -----------------------------------------------------------


def edit_draft_open(*, user: Account, association: Association) -> ListingDraft:
    """The person's open edit draft of this listing (reseeded if no step was saved and the listing
    was published since), or a new one seeded from its open change's
    proposed values (services included: they are edited on their own pages and carried over
    untouched) or else its published values, with the version and revision they were read at."""
    found = ListingDraft.objects.open().edits().filter(user=user, association=association).first()
    if found is not None and (
        found.updated_at != found.created_at or found.base_version == association.version
    ):
        found.association = association  # the caller's, already read
        return found
    if found is not None:  # never saved, and the listing was published since: seeded afresh
        found.delete()
    change = PendingChange.objects.open().filter(association=association).first()
    values = change.proposed if change else services.current_values(association)
    now = timezone.now()
    return ListingDraft.objects.create(
        user=user,
        association=association,
        values=values,
        steps_done=[step.slug for step in STEPS],
        base_version=association.version,
        pending_revision=change.revision if change else 0,
        created_at=now,
        updated_at=now,
    )


def edit_draft_values(draft: ListingDraft) -> dict[str, Any]:
    """The values an edit draft proposes: its listing's whole state (images as they were seeded)."""
    return dict(draft.values)


@transaction.atomic
def edit_draft_submit(*, request: HttpRequest, draft: ListingDraft, user: Account) -> PendingChange:
    """Propose an edit draft's values through the listing's pending change, once.

    The draft is marked sent first (a second submit finds it sent); a listing or change that
    moved since the draft was seeded raises services.EditConflict and the whole transaction,
    the mark included, is rolled back: nothing written, the draft kept. The draft's key is the
    form token, so the services recognise a repeat too."""
    claimed = ListingDraft.objects.filter(pk=draft.pk, submitted_at__isnull=True).update(
        submitted_at=timezone.now()
    )
    if not claimed:
        raise DraftAlreadySent(ListingDraft.objects.get(pk=draft.pk))
    association = draft.association
    assert association is not None
    assert draft.base_version is not None
    logo, photos, missing = draft_images(request=request, draft=draft)
    if missing:
        raise DraftError("image missing", step="photos")
    values = edit_draft_values(draft)
    token = str(draft.key)
    images: dict[str, Any] = {
        "logo": temp_uploads.processed(logo) if logo else None,
        "new_photos": [(temp_uploads.processed(upload), alt) for upload, alt in photos],
    }
    if draft.pending_revision:
        change = PendingChange.objects.open().filter(association=association).first()
        if change is None:
            raise services.EditConflict(current=services.current_values(association), association=association)
        result = services.pending_change_amend(
            change=change,
            user=user,
            values=values,
            revision=draft.pending_revision,
            form_token=token,
            **images,
        )
    else:
        result = services.pending_change_submit(
            association=association,
            user=user,
            values=values,
            base_version=draft.base_version,
            form_token=token,
            **images,
        )
    # Stored for good by the service: the copies go (a conflict rolled back keeps them).
    temp_uploads.upload_discard(uploads=[u for u in [logo, *(p for p, _alt in photos)] if u is not None])
    return result


@transaction.atomic
def edit_draft_rebase(*, draft: ListingDraft, conflict: services.EditConflict) -> ListingDraft:
    """After a conflict: the draft now starts from the listing's current version, so that sending
    it again is a deliberate choice made after seeing both versions. Its services follow the
    current ones (never edited here)."""
    draft = ListingDraft.objects.select_for_update().get(pk=draft.pk)
    draft.base_version = conflict.association.version
    draft.pending_revision = conflict.change.revision if conflict.change else 0
    draft.values = {**draft.values, "services": conflict.current.get("services", [])}
    draft.updated_at = timezone.now()
    draft.save(update_fields=["base_version", "pending_revision", "values", "updated_at"])
    return draft
