"""The admin of the guides moderators write; saving renders and sanitises their Markdown
(directory.guides.services.guide_save)."""

from django.contrib import admin

from directory.guides.services import guide_save
from directory.models import Guide
from directory.moderation.site import site


@admin.register(Guide, site=site)
class GuideAdmin(admin.ModelAdmin):
    list_display = ["title", "position", "published", "updated_at"]
    list_display_links = ["title"]
    list_editable = ["position", "published"]
    list_filter = ["published"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "summary", "body", "position", "published"]

    def save_model(self, request, obj, form, change):
        guide_save(guide=obj)
