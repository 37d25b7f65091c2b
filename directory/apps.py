from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Annuaire")

    def ready(self):
        from django.core import checks

        from directory import signals  # noqa: F401  (connects the receivers)
        from directory.opening.calendar import check_school_calendar

        checks.register(check_school_calendar)
