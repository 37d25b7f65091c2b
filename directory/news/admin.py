"""The admin of news items, which moderators read, search and withdraw, and never delete;
limited to the moderator's areas, withdrawing through directory.news.services (logged)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from directory import access
from directory.models import NewsItem
from directory.news import services as news_services

# News items: managers publish them from the association space (directory.news.services).


@admin.register(NewsItem)
class NewsItemAdmin(access.ModeratedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "association", "published_at", "created_by", "archived"]
    list_filter = ["archived", "published_at"]
    search_fields = ["title", "text", "association__name"]
    list_select_related = ["association", "created_by"]
    date_hierarchy = "published_at"
    readonly_fields = [
        "association",
        "title",
        "text",
        "link",
        "medium",
        "large",
        "image_width",
        "image_height",
        "alt",
        "published_at",
        "created_by",
        "archived",
        "archived_at",
    ]
    actions = ["archive"]

    @admin.action(description=_("Retirer les actualités sélectionnées"), permissions=["change"])
    def archive(self, request, queryset):
        archived = sum(
            news_services.news_archive(item=item, user=request.user, origin="moderator")
            for item in queryset.select_related("association")
        )
        self.message_user(
            request,
            ngettext("%(n)d actualité retirée.", "%(n)d actualités retirées.", archived) % {"n": archived},
            messages.SUCCESS,
        )

    def has_add_permission(self, request):
        # Managers publish from the association space (directory.news.services).
        return False

    def has_delete_permission(self, request, obj=None):
        return False
