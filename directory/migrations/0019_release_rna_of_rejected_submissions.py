"""Release the RNA numbers still held by listings proposed on the site and then rejected or
withdrawn (from now on directory.listings.services.rna_release does it at the decision), logged like
any change, so that the association can be added, claimed or imported."""

from django.db import migrations
from django.utils import timezone


def release(apps, schema_editor):
    Association = apps.get_model("directory", "Association")
    AssociationChange = apps.get_model("directory", "AssociationChange")
    PendingChange = apps.get_model("directory", "PendingChange")
    now = timezone.now()
    held = Association.objects.filter(source="submitted", status__in=["rejected", "draft"]).exclude(rna="")
    for association in held:
        old = association.rna
        Association.objects.filter(pk=association.pk).update(rna="", updated_at=now)
        for change in PendingChange.objects.filter(association=association, status="pending"):
            if change.proposed.get("rna") == old:
                change.proposed = {**change.proposed, "rna": ""}
                change.save(update_fields=["proposed"])
        AssociationChange.objects.create(
            association=association,
            actor=None,
            origin="system",
            action="rna_released",
            changes={"rna": {"old": old, "new": ""}},
            created_at=now,
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0018_invitation_revoked_at")]

    operations = [migrations.RunPython(release, migrations.RunPython.noop)]
