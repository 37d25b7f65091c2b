"""The project's admin site: Django's admin with the moderation pages mounted in it.

`site` below is the one admin site the project serves (lyonassos/urls.py, at /admin/): every
ModelAdmin is registered on it once, with `@admin.register(Model, site=site)` in its feature's
`admin.py`, and every admin URL keeps its name (`admin:…`) and address (`/admin/…`).
`settings.INSTALLED_APPS` installs `directory.moderation.apps.AdminConfig`, Django's admin app
without its autodiscovery: DirectoryConfig.ready() imports the admin modules.

The site owns what spans several models, which no single ModelAdmin could hold:

- the moderation pages (queue, reviews, history, dashboard) under /admin/moderation/, named
  `admin:moderation_<name>`, each behind the admin's login (`admin_view`) and the moderation
  permission (`views.moderator_view`);
- the index, which opens on what waits in the moderator's areas (`admin/moderation/index.html`),
  and the headers of every admin page;
- the menu of moderators (index and side bar): their queue, listings, reports and accounts
  (`menu.py`), Django's other entries left out; superusers keep Django's full list.

It lives in the moderation package because everything it adds to Django's site is moderation.
The ModelAdmins register themselves in the feature packages' `admin.py` modules, which
DirectoryConfig.ready() imports (directory/apps.py); who may see or do what is decided in
directory/access.py.
"""

from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _

from directory.access import is_moderator
from directory.moderation import menu, queue, views


class ModerationAdminSite(admin.AdminSite):
    site_header = _("Lyon Assos · modération")
    site_title = "Lyon Assos"
    index_title = _("Tableau de bord")
    index_template = "admin/moderation/index.html"

    def index(self, request, extra_context=None):
        context = {"moderation_counts": self.moderation_counts(request.user), **(extra_context or {})}
        return super().index(request, context)

    def moderation_counts(self, user):
        """What waits in the moderator's areas, by kind (None for staff who do not moderate)."""
        if not is_moderator(user):
            return None
        counts = queue.counts(user)
        return {
            "total": sum(counts.values()),
            "rows": [(kind, label, counts[kind]) for kind, label in queue.KINDS.items()],
        }

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        user = request.user
        if app_label is not None or user.is_superuser or not is_moderator(user):
            return app_list
        return menu.grouped(app_list, site_name=self.name)

    def get_urls(self):
        return self.moderation_urls() + super().get_urls()

    def moderation_urls(self):
        def page(route, view, name):
            wrapped = self.admin_view(view)
            wrapped.admin_site = self  # the views' frame (views._render)
            return path(f"moderation/{route}", wrapped, name=f"moderation_{name}")

        return [
            page("", views.queue_view, "queue"),
            page("tableau-de-bord/", views.dashboard_view, "dashboard"),
            page("modifications/<int:pk>/", views.change_review, "change"),
            page("modifications/<int:pk>/valider/", views.change_approve, "change_approve"),
            page("modifications/<int:pk>/refuser/", views.change_reject, "change_reject"),
            page("modifications/<int:pk>/corriger/", views.change_correct, "change_correct"),
            page("modifications/<int:pk>/apercu/", views.change_preview, "change_preview"),
            page("demandes/<int:pk>/", views.claim_review, "claim"),
            page("demandes/<int:pk>/accepter/", views.claim_accept, "claim_accept"),
            page("demandes/<int:pk>/refuser/", views.claim_refuse, "claim_refuse"),
            page("signalements/<int:pk>/", views.report_review, "report"),
            page("signalements/<int:pk>/prendre/", views.report_take, "report_take"),
            page("signalements/<int:pk>/resoudre/", views.report_resolve, "report_resolve"),
            page("signalements/<int:pk>/rejeter/", views.report_reject, "report_reject"),
            page("fiches/<int:pk>/a-valider/", views.listing_review, "listing_review"),
            page("fiches/<int:pk>/verifier/", views.stale_review, "stale"),
            page("fiches/<int:pk>/verifier/confirmer/", views.stale_verify, "stale_verify"),
            page("fiches/<int:pk>/historique/", views.history_view, "history"),
            page(
                "fiches/<int:pk>/historique/<int:change_pk>/restaurer/",
                views.history_revert,
                "history_revert",
            ),
            page("doublons/<int:pk>/", views.duplicate_review, "duplicate"),
            page("doublons/<int:pk>/fusionner/", views.duplicate_merge, "duplicate_merge"),
            page("doublons/<int:pk>/ecarter/", views.duplicate_dismiss, "duplicate_dismiss"),
        ]


# The project's admin site (the only one served).
site = ModerationAdminSite(name="admin")
