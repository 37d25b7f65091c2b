"""The agenda in the admin: moderators (of the listing's areas only, access.ModeratedAdminMixin)
read the events, mark as seen those waiting in the queue (post-moderation) and withdraw them;
they never rewrite or delete them (directory.posted.PostedItemAdmin, as for news items and
volunteer needs). Calendar addresses and their last errors, read-only."""

from typing import TYPE_CHECKING

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from directory import access
from directory.agenda import services
from directory.models import CalendarSource, Event
from directory.moderation.site import site
from directory.posted import PostedItemAdmin

if TYPE_CHECKING:
    _SourceAdmin = admin.ModelAdmin[CalendarSource]
else:
    _SourceAdmin = admin.ModelAdmin


@admin.register(Event, site=site)
class EventAdmin(PostedItemAdmin):
    list_display = ["title", "association", "kind", "starts_at", "source", "needs_review", "archived"]
    list_filter = ["needs_review", "archived", "kind", "source", "recurrence"]
    search_fields = ["title", "description", "association__name"]
    list_select_related = ["association"]
    date_hierarchy = "starts_at"
    readonly_fields = [
        "association",
        *services.EVENT_FIELDS,
        "audiences",
        "languages",
        "cancelled_dates",
        "imported_dates",
        "source",
        "source_uid",
        "uid",
        "sequence",
        "created_by",
        "created_at",
        "updated_at",
        "archived",
        "archived_at",
        "needs_review",
        "reviewed_by",
        "reviewed_at",
    ]
    actions = ("mark_reviewed", "archive")

    @admin.action(description=_("Marquer comme relus (sortent de la file)"), permissions=["change"])
    def mark_reviewed(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        done = 0
        for event in queryset.select_related("association"):
            try:
                done += services.event_review(event=event, moderator=request.user)  # type: ignore[arg-type]  # the admin's users are signed in
            except services.AgendaError:
                continue
        self.message_user(
            request,
            ngettext("%(n)d rendez-vous relu.", "%(n)d rendez-vous relus.", done) % {"n": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("Retirer les rendez-vous sélectionnés"), permissions=["change"])
    def archive(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        self.archive_selected(request, queryset)

    def archive_one(self, request: HttpRequest, item: Event) -> bool:
        """Withdrawn (next SEQUENCE) and, if it waited in the queue, out of it."""
        # The admin's users are signed in: request.user is an account.
        archived = services.event_archive(event=item, user=request.user, origin="moderator")  # type: ignore[arg-type]
        services.event_review(event=item, moderator=request.user)  # type: ignore[arg-type]
        return archived

    def archived_message(self, count: int) -> str:
        return ngettext("%(n)d rendez-vous retiré.", "%(n)d rendez-vous retirés.", count)


@admin.register(CalendarSource, site=site)
class CalendarSourceAdmin(access.ModeratedAdminMixin, _SourceAdmin):
    list_display = ["association", "url", "last_fetched_at", "last_success_at", "last_error"]
    search_fields = ["association__name", "url"]
    list_select_related = ["association"]
    readonly_fields = [
        "association",
        "url",
        "added_by",
        "created_at",
        "last_fetched_at",
        "last_success_at",
        "last_error",
        "last_summary",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: CalendarSource | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: CalendarSource | None = None) -> bool:
        return access.is_administrator(request.user)
