"""Keeps the in-process reference snapshot (directory.reference) in step with the tables."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from directory import reference
from directory.models import Area, Audience, Category, Language


@receiver([post_save, post_delete], sender=Category)
@receiver([post_save, post_delete], sender=Area)
@receiver([post_save, post_delete], sender=Audience)
@receiver([post_save, post_delete], sender=Language)
def reference_changed(sender, **kwargs):
    reference.invalidate()
