"""Django's admin app, configured to use the project's admin site.

Listed in `settings.INSTALLED_APPS` in place of `django.contrib.admin`: same app (label `admin`,
its templates, its autodiscovery of every app's `admin.py`), with `default_site` naming
`ModerationAdminSite` (directory/moderation/site.py), which `django.contrib.admin.site` then is.
Kept apart from site.py because this module is imported while the app registry loads, before
the models the site's views need.
"""

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "directory.moderation.site.ModerationAdminSite"
