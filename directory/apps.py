from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Each registers its ModelAdmins on the project's site (directory/moderation/site.py) when imported.
ADMIN_MODULES = (
    "directory.listings.admin",
    "directory.editing.admin",
    "directory.news.admin",
    "directory.volunteering.admin",
    "directory.guides.admin",
    "directory.moderation.admin",
    "directory.digital_help.admin",
    "directory.accounts.admin",
    "directory.agenda.admin",
)


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Annuaire")

    def ready(self):
        """The one place where modules are imported for what importing them does: the admins
        register, the signal receivers are connected, the system checks are registered."""
        from django.core import checks

        from directory import signals
        from directory.opening.calendar import check_school_calendar

        for module in ADMIN_MODULES:
            import_module(module)
        signals.connect_receivers()
        checks.register(check_school_calendar)
