"""The "Modérateurs" group, with exactly the permissions moderation needs (not superuser).

Listing moderators with `ModeratorScope` rows limits them to some communes.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Modérateurs"
PERMISSIONS = [
    # Listings: review and edit (never add nor delete: listings are archived), with their places.
    "view_association",
    "change_association",
    "view_place",
    "add_place",
    "change_place",
    "delete_place",
    "view_associationchange",
    "view_slugredirect",
    # The association space's workflow: pending changes, claims, managers, invitations, images.
    "view_pendingchange",
    "change_pendingchange",
    "view_claim",
    "change_claim",
    "view_associationmanager",
    "change_associationmanager",
    "view_invitation",
    "view_photo",
    # Moderation: reports, duplicates, reminders.
    "view_report",
    "change_report",
    "view_duplicatecandidate",
    "change_duplicatecandidate",
    "view_verificationreminder",
    # Reference data, read-only (autocomplete and filters of the listing form).
    "view_area",
    "view_category",
    "view_audience",
    "view_language",
]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now.
    app_config = apps.get_app_config("directory")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    permissions = Permission.objects.filter(content_type__app_label="directory", codename__in=PERMISSIONS)
    missing = set(PERMISSIONS) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"missing permissions: {sorted(missing)}")
    group.permissions.set(permissions)


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0006_moderation"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
