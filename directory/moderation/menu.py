"""The admin's menu (index and side bar) for moderators: four groups in the order of their work,
their queue first, instead of Django's alphabetical list of every model they may read.

Superusers keep Django's full list. A model a moderator may not read never appears (its entry
comes from Django's own list, which already checked the permissions); a model outside the groups
(reference data, groups, scopes, locks…) is left out of the menu, still reachable by its URL
where the moderator has the permission (the listing form's autocompletes, filters).
"""

from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

# (group label, its id, [model names, in order]): "queue" and "dashboard" are the moderation pages.
GROUPS = [
    (_("Modération"), "moderation", ["queue", "dashboard", "pendingchange", "duplicatecandidate", "event"]),
    (
        _("Fiches"),
        "listings",
        [
            "association",
            "associationchange",
            "verificationreminder",
            "volunteerneed",
            "volunteerresponse",
            "newsitem",
            "calendarsource",
        ],
    ),
    (_("Signalements"), "reports", ["report"]),
    (
        _("Comptes"),
        "accounts",
        ["associationmanager", "claim", "invitation", "user", "helperprofile", "helprequest", "helpoffer"],
    ),
]

PAGES = {
    "queue": (_("File de modération"), "admin:moderation_queue", "ModerationQueue"),
    "dashboard": (_("Tableau de bord"), "admin:moderation_dashboard", "ModerationDashboard"),
}


def _page(name, site_name):
    label, url_name, object_name = PAGES[name]
    return {
        "name": capfirst(label),
        "object_name": object_name,
        "perms": {"view": True},
        "admin_url": reverse(url_name, current_app=site_name),
        "add_url": None,
        "view_only": True,
    }


def grouped(app_list, *, site_name):
    """Django's app list (every model the user may read) as the moderators' groups."""
    models = {model["model"]._meta.model_name: model for app in app_list for model in app["models"]}
    groups = []
    for label, group_id, names in GROUPS:
        entries = [_page(name, site_name) if name in PAGES else models.get(name) for name in names]
        entries = [entry for entry in entries if entry is not None and entry.get("admin_url")]
        if entries:
            groups.append(
                {
                    "name": label,
                    "app_label": group_id,
                    "app_url": entries[0]["admin_url"],
                    "has_module_perms": True,
                    "models": entries,
                }
            )
    return groups
