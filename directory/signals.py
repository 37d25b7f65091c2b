"""Keeps the in-process reference snapshot (directory.reference) in step with the tables.

Connected by DirectoryConfig.ready() (directory/apps.py), the one place that wires receivers.
"""

from django.db.models.signals import post_delete, post_save

from directory import reference
from directory.models import Area, Audience, Category, Language

REFERENCE_MODELS = (Category, Area, Audience, Language)


def reference_changed(sender, **kwargs):
    reference.invalidate()


def connect_receivers():
    for model in REFERENCE_MODELS:
        for signal in (post_save, post_delete):
            signal.connect(
                reference_changed, sender=model, dispatch_uid=f"reference-{model._meta.model_name}"
            )
