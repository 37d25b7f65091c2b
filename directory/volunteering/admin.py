"""The admins of volunteer needs (directory.posted.PostedItemAdmin) and the residents' answers,
which moderators read, search and withdraw, and never delete; limited to the moderator's areas."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from directory import access
from directory.models import VolunteerNeed, VolunteerResponse
from directory.moderation.site import site
from directory.posted import PostedItemAdmin
from directory.volunteering import services as volunteering_services


class VolunteerResponseInline(admin.TabularInline):
    model = VolunteerResponse
    fields = ["created_at", "name", "email", "phone", "message"]
    readonly_fields = fields  # type: ignore[assignment]  # django-stubs types these as invariant unions
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(VolunteerNeed, site=site)
class VolunteerNeedAdmin(PostedItemAdmin):
    list_display = ["title", "association", "created_at", "ends_on", "archived"]
    list_filter = ["archived", "on_weekdays", "on_evenings", "on_weekends", "one_off", "ends_on"]
    search_fields = ["title", "description", "skills", "association__name"]
    list_select_related = ["association"]
    date_hierarchy = "created_at"
    # What managers write is read-only here: moderators withdraw a need, they do not rewrite it.
    readonly_fields = [
        "association",
        *volunteering_services.NEED_FIELDS,
        "created_at",
        "updated_at",
        "created_by",
        "archived",
        "archived_at",
    ]
    inlines = [VolunteerResponseInline]

    @admin.action(description=_("Retirer les besoins sélectionnés"), permissions=["change"])
    def archive(self, request, queryset):
        self.archive_selected(request, queryset)

    def archived_message(self, count):
        return ngettext("%(n)d besoin retiré.", "%(n)d besoins retirés.", count)


@admin.register(VolunteerResponse, site=site)
class VolunteerResponseAdmin(access.ModeratedAdminMixin, admin.ModelAdmin):
    moderated_through = "need__association"
    list_display = ["name", "need", "created_at"]
    search_fields = ["name", "email", "need__title", "need__association__name"]
    list_select_related = ["need__association"]
    date_hierarchy = "created_at"
    fields = ["need", "name", "email", "phone", "message", "created_at"]
    readonly_fields = fields  # type: ignore[assignment]  # django-stubs types these as invariant unions

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A resident who asks for erasure: a superuser deletes the answer.
        return access.is_administrator(request.user)
