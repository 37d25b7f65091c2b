"""Moderation in the Django admin (issue 5).

Custom pages (queue, reviews, history, dashboard) are mounted by wrapping `admin.site.get_urls`
rather than a ModelAdmin's: they span several models (changes, claims, reports, listings,
duplicates), and wrapping the default site keeps /admin/moderation/… under the admin's own login
and chrome (`admin_view`, `each_context`) without swapping the project's AdminSite.

The admins of issue 4 and of the foundation are re-registered here with `ScopedAdminMixin`, so
that a moderator limited to some communes only sees (changelists, object pages, actions) the
listings of their areas: `scope.visible_associations` decides, as everywhere.
"""

from django.contrib import admin, messages
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from directory import admin as directory_admin
from directory import admin_editing
from directory.models import (
    Association,
    AssociationChange,
    AssociationManager,
    Claim,
    DuplicateCandidate,
    ModeratorScope,
    PendingChange,
    Report,
    ReviewLock,
    VerificationReminder,
)
from directory.moderation import services, views
from directory.moderation.scope import visible_associations, visible_related

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


# Scoping the existing admins ---------------------------------------------------------------------


class ScopedAdminMixin:
    """Limit a changelist (and so its object pages and actions) to the moderator's areas."""

    scope_field = "association"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        if self.scope_field is None:
            return visible_associations(request.user, queryset)
        return visible_related(request.user, queryset, self.scope_field)


def _rescope(model, base, **attrs):
    admin.site.unregister(model)
    scoped = type(f"Scoped{base.__name__}", (ScopedAdminMixin, base), attrs)
    admin.site.register(model, scoped)
    return scoped


class _AssociationAdminWithHistory(directory_admin.AssociationAdmin):
    list_display = [*directory_admin.AssociationAdmin.list_display, "history_link"]

    @admin.display(description=_("historique"))
    def history_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:moderation_history", args=[obj.pk]), _("Versions")
        )


class _PendingChangeAdmin(admin_editing.PendingChangeAdmin):
    actions = [*admin_editing.PendingChangeAdmin.actions, "approve_new_listings"]

    @admin.action(description=_("Valider les nouvelles fiches sélectionnées"), permissions=["change"])
    def approve_new_listings(self, request, queryset):
        approved, refused = services.new_listings_approve(
            changes=list(queryset.select_related("association", "submitted_by")), moderator=request.user
        )
        for change, reason in refused:
            self.message_user(request, f"{change.association} : {reason}", messages.WARNING)
        if approved:
            self.message_user(
                request,
                ngettext("%(n)d fiche publiée.", "%(n)d fiches publiées.", len(approved))
                % {"n": len(approved)},
                messages.SUCCESS,
            )


_rescope(Association, _AssociationAdminWithHistory, scope_field=None)
_rescope(PendingChange, _PendingChangeAdmin)
_rescope(Claim, admin_editing.ClaimAdmin)
_rescope(AssociationManager, admin_editing.AssociationManagerAdmin)
_rescope(AssociationChange, directory_admin.AssociationChangeAdmin)


# Moderation models -----------------------------------------------------------------------------


@admin.register(Report)
class ReportAdmin(ScopedAdminMixin, admin.ModelAdmin):
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
        return request.user.is_superuser

    @admin.display(description=_("revue"))
    def review_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:moderation_report", args=[obj.pk]), _("Ouvrir")
        )


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_field = "first"
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
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else visible_related(request.user, queryset, "second")

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
class VerificationReminderAdmin(ScopedAdminMixin, admin.ModelAdmin):
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
