"""Keeps the in-process reference snapshot (directory.reference) in step with the tables, the
page fragments rendered once per process (base.html's {% cache %}) in step with the settings,
and the text index without the listings deleted.

Connected by DirectoryConfig.ready() (directory/apps.py), the one place that wires receivers.
"""

import contextlib

from django.core.cache import InvalidCacheBackendError, caches
from django.core.signals import setting_changed
from django.db.models.signals import post_delete, post_save

from directory import reference, search
from directory.models import Area, Association, Audience, Category, Language

REFERENCE_MODELS = (Category, Area, Audience, Language)


def reference_changed(sender, **kwargs):
    reference.invalidate()


def listing_deleted(sender, instance, **kwargs):
    search.forget([instance.pk])


def settings_changed(**kwargs):
    """A test changed a setting (static storage, languages, URLs…): the fragments rendered with
    the old ones go. Never sent in production, where the fragments change only with a deployment."""
    with contextlib.suppress(InvalidCacheBackendError):  # a test's own CACHES without the alias
        caches["template_fragments"].clear()


def connect_receivers():
    setting_changed.connect(settings_changed, dispatch_uid="template-fragments")
    post_delete.connect(listing_deleted, sender=Association, dispatch_uid="search-forget")
    for model in REFERENCE_MODELS:
        for signal in (post_save, post_delete):
            signal.connect(
                reference_changed, sender=model, dispatch_uid=f"reference-{model._meta.model_name}"
            )
