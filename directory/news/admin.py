"""The admin of news items, which moderators read, search and withdraw, and never delete;
limited to the moderator's areas (directory.posted.PostedItemAdmin)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from directory.models import NewsItem
from directory.moderation.site import site
from directory.posted import PostedItemAdmin


@admin.register(NewsItem, site=site)
class NewsItemAdmin(PostedItemAdmin):
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

    @admin.action(description=_("Retirer les actualités sélectionnées"), permissions=["change"])
    def archive(self, request, queryset):
        self.archive_selected(request, queryset)

    def archived_message(self, count):
        return ngettext("%(n)d actualité retirée.", "%(n)d actualités retirées.", count)
