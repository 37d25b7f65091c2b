"""Images kept across a refused form: an image chosen in the add form is checked and re-encoded
at once, stored in the private storage as a TemporaryUpload bound to the session that sent it,
and offered again ("Logo choisi : logo.png") until the form is accepted; then its variants are
stored like any upload (directory.images) and the temporary copy deleted.

Nothing is public until then: the private storage has no URL. Left-over uploads are deleted
after TEMPORARY_UPLOAD_MAX_AGE (a day) by `manage.py purge_drafts`, and on each new upload.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import transaction

from directory import images
from directory.models import TemporaryUpload

if TYPE_CHECKING:
    from django.contrib.auth.models import User as Account
    from django.db.models import QuerySet
    from django.http import HttpRequest

VARIANTS = ("small", "medium", "large")
# Left-over uploads deleted by each new upload (the command deletes the rest).
PURGE_ON_UPLOAD = 50


def _storage() -> Storage:
    return storages["private"]


def _session_key(request: HttpRequest) -> str:
    if request.session.session_key is None:
        request.session.save()
    return request.session.session_key or ""


def upload_keep(*, request: HttpRequest, processed: images.ProcessedImage, name: str) -> TemporaryUpload:
    """Store a checked, re-encoded image for this session and its user."""
    purge(limit=PURGE_ON_UPLOAD)
    folder = f"tmp-uploads/{uuid.uuid4().hex}"
    for variant in VARIANTS:
        _storage().save(f"{folder}/{variant}.webp", ContentFile(processed.variants[variant]))
    user: Account = request.user  # type: ignore[assignment]  # the views are login_required
    return TemporaryUpload.objects.create(
        session_key=_session_key(request),
        user=user,
        name=(name or "image")[-200:],
        folder=folder,
        width=processed.width,
        height=processed.height,
    )


def upload_get(*, request: HttpRequest, key: object) -> TemporaryUpload | None:
    """The upload `key` if it belongs to this session and user and is not expired, else None."""
    try:
        key = uuid.UUID(str(key))
    except ValueError:
        return None
    session_key, user_pk = request.session.session_key, request.user.pk
    if not session_key or user_pk is None:
        return None
    found: TemporaryUpload | None = (
        TemporaryUpload.objects.exclude(pk__in=TemporaryUpload.objects.expired().values("pk"))
        .filter(key=key, session_key=session_key, user_id=user_pk)
        .first()
    )
    return found


def processed(upload: TemporaryUpload) -> images.ProcessedImage:
    """The re-encoded image, as directory.images.process_image returned it."""
    variants = {}
    for variant in VARIANTS:
        with _storage().open(f"{upload.folder}/{variant}.webp", "rb") as handle:
            variants[variant] = handle.read()
    return images.ProcessedImage(width=upload.width, height=upload.height, variants=variants)


def _files(uploads: QuerySet[TemporaryUpload] | list[TemporaryUpload]) -> list[str]:
    return [f"{upload.folder}/{variant}.webp" for upload in uploads for variant in VARIANTS]


def _delete_files(names: list[str]) -> None:
    storage = _storage()
    for name in names:
        storage.delete(name)


def upload_discard(*, uploads: list[TemporaryUpload]) -> None:
    """Delete these uploads; their files after the commit."""
    if not uploads:
        return
    names = _files(uploads)
    TemporaryUpload.objects.filter(pk__in=[u.pk for u in uploads]).delete()
    transaction.on_commit(lambda: _delete_files(names))


def purge(*, limit: int | None = None, dry_run: bool = False) -> int:
    """Delete the uploads older than TEMPORARY_UPLOAD_MAX_AGE; the number (to be) deleted."""
    expired = TemporaryUpload.objects.expired().order_by("pk")
    rows = list(expired[:limit] if limit is not None else expired)
    if not dry_run:
        with transaction.atomic():
            upload_discard(uploads=rows)
    return len(rows)
