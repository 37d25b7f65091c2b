"""Admin for digital helpers: moderators review helper profiles (approve or refuse, one at a
time or in bulk) and see every request and offer. Associations and helpers act from their own
spaces, so nothing is added here and changes go through the services."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from directory import access
from directory.digital_help import services
from directory.models import HelperProfile, HelperSkill, HelpOffer, HelpRequest, RequestSkill
from directory.moderation.site import site


class HelperSkillInline(admin.TabularInline):
    model = HelperSkill
    extra = 0
    can_delete = False
    readonly_fields = ["skill"]

    def has_add_permission(self, request, obj=None):
        return False


class SkillListFilter(admin.SimpleListFilter):
    title = _("compétence")
    parameter_name = "skill"

    def lookups(self, request, model_admin):
        from directory.models import DigitalSkill

        return DigitalSkill.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(skill_rows__skill=self.value()).distinct()
        return queryset


@admin.register(HelperProfile, site=site)
class HelperProfileAdmin(admin.ModelAdmin):
    list_display = [
        "display_name",
        "user",
        "status",
        "status_changed_at",
        "availability",
        "remote",
        "created_at",
    ]
    list_filter = ["status", SkillListFilter, "availability", "remote", "areas"]
    search_fields = ["display_name", "user__email", "user__username", "bio"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    inlines = [HelperSkillInline]
    readonly_fields = [
        "user",
        "display_name",
        "bio",
        "areas",
        "remote",
        "availability",
        "status",
        "status_changed_at",
        "moderated_by",
        "rejection_reason",
        "created_at",
        "updated_at",
    ]
    actions = ["approve", "reject"]

    @admin.action(description=_("Valider les aidants sélectionnés"), permissions=["change"])
    def approve(self, request, queryset):
        done = sum(services.helper_approve(profile=profile, moderator=request.user) for profile in queryset)
        self.message_user(
            request,
            ngettext("%(n)d aidant validé.", "%(n)d aidants validés.", done) % {"n": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("Refuser les aidants sélectionnés"), permissions=["change"])
    def reject(self, request, queryset):
        done = sum(services.helper_reject(profile=profile, moderator=request.user) for profile in queryset)
        self.message_user(
            request,
            ngettext("%(n)d aidant refusé.", "%(n)d aidants refusés.", done) % {"n": done},
            messages.SUCCESS,
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RequestSkillInline(admin.TabularInline):
    model = RequestSkill
    extra = 0
    can_delete = False
    readonly_fields = ["skill"]

    def has_add_permission(self, request, obj=None):
        return False


class HelpOfferInline(admin.TabularInline):
    model = HelpOffer
    extra = 0
    can_delete = False
    fields = ["helper", "status", "message", "created_at", "decided_at"]
    readonly_fields = fields  # type: ignore[assignment]  # django-stubs types these as invariant unions

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(HelpRequest, site=site)
class HelpRequestAdmin(access.ModeratedAdminMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "association",
        "status",
        "urgency",
        "created_at",
        "matched_at",
        "followup_sent_at",
    ]
    list_filter = [
        "status",
        "urgency",
        SkillListFilter,
        "association_feedback",
        "helper_feedback",
        "created_at",
    ]
    search_fields = ["title", "description", "association__name"]
    list_select_related = ["association"]
    date_hierarchy = "created_at"
    inlines = [RequestSkillInline, HelpOfferInline]
    readonly_fields = [
        "association",
        "author",
        "title",
        "description",
        "urgency",
        "status",
        "created_at",
        "status_changed_at",
        "matched_at",
        "closed_at",
        "matched_offer",
        "invited_helpers",
        "followup_sent_at",
        "association_feedback",
        "helper_feedback",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HelpOffer, site=site)
class HelpOfferAdmin(access.ModeratedAdminMixin, admin.ModelAdmin):
    moderated_through = "request__association"
    list_display = ["helper", "request", "status", "created_at", "decided_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["helper__display_name", "request__title", "request__association__name"]
    list_select_related = ["helper", "request"]
    readonly_fields = ["request", "helper", "message", "status", "created_at", "decided_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
