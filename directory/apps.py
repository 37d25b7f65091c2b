from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Annuaire")

    def ready(self):
        from directory import signals  # noqa: F401  (connects the receivers)
        from directory.listings import admin  # noqa: F401  (registers every ModelAdmin)
