"""Moderation in the Django admin (issue 5).

Custom pages (queue, reviews, history, dashboard) are mounted by wrapping `admin.site.get_urls`
rather than a ModelAdmin's: they span several models (changes, claims, reports, listings,
duplicates), and wrapping the default site keeps /admin/moderation/… under the admin's own login
and chrome (`admin_view`, `each_context`) without swapping the project's AdminSite.

Every admin of a listing's rows is limited to the moderator's areas by
`access.ModeratedAdminMixin` (changelists, object pages, history, actions): directory/access.py
decides, as everywhere.
"""

from django.contrib import admin
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from directory import access
from directory.models import (
    DuplicateCandidate,
    ModeratorScope,
    Report,
    ReviewLock,
    VerificationReminder,
)
from directory.moderation import views

admin.site.index_template = "admin/moderation/index.html"


def _moderation_urls():
    def page(route, view, name):
        return path(f"moderation/{route}", admin.site.admin_view(view), name=f"moderation_{name}")

    return [
        page("", views.queue_view, "queue"),
        page("tableau-de-bord/", views.dashboard_view, "dashboard"),
        page("modifications/<int:pk>/", views.change_review, "change"),
        page("modifications/<int:pk>/valider/", views.change_approve, "change_approve"),
        page("modifications/<int:pk>/refuser/", views.change_reject, "change_reject"),
        page("demandes/<int:pk>/", views.claim_review, "claim"),
        page("demandes/<int:pk>/accepter/", views.claim_accept, "claim_accept"),
        page("demandes/<int:pk>/refuser/", views.claim_refuse, "claim_refuse"),
        page("signalements/<int:pk>/", views.report_review, "report"),
        page("signalements/<int:pk>/prendre/", views.report_take, "report_take"),
        page("signalements/<int:pk>/resoudre/", views.report_resolve, "report_resolve"),
        page("signalements/<int:pk>/rejeter/", views.report_reject, "report_reject"),
        page("fiches/<int:pk>/verifier/", views.stale_review, "stale"),
        page("fiches/<int:pk>/verifier/confirmer/", views.stale_verify, "stale_verify"),
        page("fiches/<int:pk>/historique/", views.history_view, "history"),
        page("fiches/<int:pk>/historique/<int:change_pk>/restaurer/", views.history_revert, "history_revert"),
        page("doublons/<int:pk>/", views.duplicate_review, "duplicate"),
        page("doublons/<int:pk>/fusionner/", views.duplicate_merge, "duplicate_merge"),
        page("doublons/<int:pk>/ecarter/", views.duplicate_dismiss, "duplicate_dismiss"),
    ]


_site_get_urls = admin.site.get_urls


def _get_urls():
    return _moderation_urls() + _site_get_urls()


admin.site.get_urls = _get_urls


# Moderation models -----------------------------------------------------------------------------


@admin.register(Report)
class ReportAdmin(access.ModeratedAdminMixin, admin.ModelAdmin):
    list_display = ["association", "reason", "status", "created_at", "decided_by", "review_link"]
    list_filter = ["status", "reason"]
    search_fields = ["association__name", "message"]
    list_select_related = ["association", "decided_by"]
    readonly_fields = [
        "association",
        "reason",
        "message",
        "email",
        "status",
        "resolution_note",
        "created_at",
        "decided_by",
        "decided_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return access.is_administrator(request.user)

    @admin.display(description=_("revue"))
    def review_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:moderation_report", args=[obj.pk]), _("Ouvrir")
        )


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(access.ModeratedAdminMixin, admin.ModelAdmin):
    moderated_through = "first"
    list_display = ["first", "second", "reason", "score", "status", "created_at", "review_link"]
    list_filter = ["status", "reason"]
    list_select_related = ["first", "second"]
    readonly_fields = [
        "first",
        "second",
        "reason",
        "score",
        "status",
        "created_at",
        "decided_by",
        "decided_at",
    ]

    def get_queryset(self, request):
        # A pair is moderated by whoever may moderate both listings.
        return access.moderated(request.user, super().get_queryset(request), "second")

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("revue"))
    def review_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:moderation_duplicate", args=[obj.pk]), _("Ouvrir")
        )


@admin.register(ModeratorScope)
class ModeratorScopeAdmin(admin.ModelAdmin):
    """Superusers decide who moderates where (moderators have no permission on it)."""

    list_display = ["user", "area"]
    list_filter = [("area", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__username", "user__email", "area__name"]
    list_select_related = ["user", "area"]
    autocomplete_fields = ["area"]
    raw_id_fields = ["user"]


@admin.register(VerificationReminder)
class VerificationReminderAdmin(access.ModeratedAdminMixin, admin.ModelAdmin):
    list_display = ["association", "sent_at", "recipients", "confirmed_at"]
    list_select_related = ["association"]
    readonly_fields = ["association", "sent_at", "recipients", "confirmed_at"]

    def has_add_permission(self, request):
        return False


@admin.register(ReviewLock)
class ReviewLockAdmin(admin.ModelAdmin):
    list_display = ["kind", "object_id", "moderator", "expires_at"]
    list_select_related = ["moderator"]

    def has_add_permission(self, request):
        return False
