"""The admins of the moderation models: reports, duplicate pairs, moderators' areas,
verification reminders and review locks.

The moderation pages themselves (queue, reviews, history, dashboard) span several models: the
project's admin site mounts them (directory/moderation/site.py). Every admin of a listing's rows
is limited to the moderator's areas by `access.ModeratedAdminMixin` (changelists, object pages,
history, actions): directory/access.py decides, as everywhere.
"""

from django.contrib import admin
from django.urls import reverse
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
from directory.moderation.site import site


@admin.register(Report, site=site)
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
    fields = readonly_fields  # type: ignore[assignment]  # django-stubs types these as invariant unions

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return access.is_administrator(request.user)

    @admin.display(description=_("revue"))
    def review_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:moderation_report", args=[obj.pk]), _("Ouvrir")
        )


@admin.register(DuplicateCandidate, site=site)
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


@admin.register(ModeratorScope, site=site)
class ModeratorScopeAdmin(admin.ModelAdmin):
    """Superusers decide who moderates where (moderators have no permission on it)."""

    list_display = ["user", "area"]
    list_filter = [("area", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__username", "user__email", "area__name"]
    list_select_related = ["user", "area"]
    autocomplete_fields = ["area"]
    raw_id_fields = ["user"]


@admin.register(VerificationReminder, site=site)
class VerificationReminderAdmin(access.ModeratedAdminMixin, admin.ModelAdmin):
    list_display = ["association", "sent_at", "recipients", "confirmed_at"]
    list_select_related = ["association"]
    readonly_fields = ["association", "sent_at", "recipients", "confirmed_at"]

    def has_add_permission(self, request):
        return False


@admin.register(ReviewLock, site=site)
class ReviewLockAdmin(admin.ModelAdmin):
    list_display = ["kind", "object_id", "moderator", "expires_at"]
    list_select_related = ["moderator"]

    def has_add_permission(self, request):
        return False
