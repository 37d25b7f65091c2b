"""Django's admin app, without its autodiscovery.

Listed in `settings.INSTALLED_APPS` in place of `django.contrib.admin`: same app (label `admin`,
its templates, its checks), but it imports no app's `admin.py` for what importing it does. The
project serves one site, `directory.moderation.site.site`, on which each ModelAdmin registers
itself in its feature's `admin.py`, and DirectoryConfig.ready() imports those modules (one list,
directory/apps.py). Kept apart from site.py because this module is imported while the app
registry loads, before the models the site's views need.
"""

from django.contrib.admin.apps import SimpleAdminConfig


class AdminConfig(SimpleAdminConfig):
    pass
