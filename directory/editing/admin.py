"""The admins of the association space: pending changes and claims with approve/reject actions,
claim documents served to the moderators of the listing's area only, managers and invitations;
news items and volunteer needs (with their answers), which moderators read, search and withdraw,
and never delete.

Every admin here is limited to the moderator's areas (access.ModeratedAdminMixin), and every
action goes through the services the rest of the site uses: changes and claims through
directory.moderation.services, which checks the area again and takes the item's review lock,
exactly as the moderation pages do; managers, news items and volunteer needs through
directory.editing (services, news, volunteering), logged in the listing's history."""

from django.contrib import admin, messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from directory import access
from directory.editing import services
from directory.listings import state
from directory.models import (
    AssociationManager,
    Claim,
    Invitation,
    NewsItem,
    PendingChange,
    VolunteerNeed,
    VolunteerResponse,
)
from directory.moderation import services as moderation_services
from directory.news import services as news_services
from directory.volunteering import services as volunteering_services

REFUSED = (services.EditingError, moderation_services.ModerationError, moderation_services.ItemLocked)


def _run(modeladmin, request, queryset, action):
    done = 0
    for obj in queryset:
        try:
            action(obj)
        except REFUSED as error:
            modeladmin.message_user(request, f"{obj} : {error}", messages.WARNING)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, _("%(n)d élément(s) traité(s).") % {"n": done}, messages.SUCCESS)


def _reject_action(reason, label):
    @admin.action(description=_("Refuser : %(reason)s") % {"reason": label}, permissions=["change"])
    def reject(modeladmin, request, queryset):
        _run(
            modeladmin,
            request,
            queryset,
            lambda change: moderation_services.change_reject(
                change=change, moderator=request.user, reason=reason
            ),
        )

    reject.__name__ = f"reject_{reason}"
    return reject


@admin.register(PendingChange)
class PendingChangeAdmin(access.ModeratedAdminMixin, admin.ModelAdmin):
    list_display = ["association", "kind", "status", "submitted_by", "created_at", "updated_at"]
    list_filter = ["status", "kind"]
    search_fields = ["association__name"]
    list_select_related = ["association", "submitted_by"]
    fields = [
        "association",
        "kind",
        "status",
        "submitted_by",
        "created_at",
        "updated_at",
        "base_version",
        "revision",
        "comparison",
        "decided_by",
        "decided_at",
        "rejection_reason",
        "rejection_note",
    ]
    readonly_fields = fields
    actions = [
        "approve",
        "approve_new_listings",
        *[_reject_action(value, label) for value, label in PendingChange.RejectionReason.choices],
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # Read-only pages; the actions check the "change" permission of the listing.
        return access.is_moderator(request.user)

    @admin.display(description=_("publié → proposé"))
    def comparison(self, obj):
        current = state.values_from_association(state.for_values().get(pk=obj.association_id))
        rows = state.comparison(current, obj.proposed)
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("Champ"),
            _("Publié"),
            _("Proposé"),
            format_html_join(
                "", "<tr><th>{}</th><td>{}</td><td>{}</td></tr>", ((r.label, r.old, r.new) for r in rows)
            ),
        )

    @admin.action(description=_("Valider et publier"), permissions=["change"])
    def approve(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda change: moderation_services.change_approve(change=change, moderator=request.user),
        )

    @admin.action(description=_("Valider les nouvelles fiches sélectionnées"), permissions=["change"])
    def approve_new_listings(self, request, queryset):
        approved, refused = moderation_services.new_listings_approve(
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


@admin.register(Claim)
class ClaimAdmin(access.ModeratedAdminMixin, admin.ModelAdmin):
    list_display = ["association", "user", "method", "status", "to_managers", "created_at"]
    list_filter = ["status", "method", "to_managers"]
    search_fields = ["association__name", "user__email"]
    list_select_related = ["association", "user"]
    fields = [
        "association",
        "user",
        "method",
        "status",
        "to_managers",
        "role",
        "document_link",
        "created_at",
        "decided_by",
        "decided_at",
        "note",
    ]
    readonly_fields = fields
    actions = ["accept", "refuse"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return access.is_moderator(request.user)

    @admin.display(description=_("justificatif"))
    def document_link(self, obj):
        if not obj.document:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:directory_claim_document", args=[obj.pk]), _("Télécharger")
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/justificatif/",
                self.admin_site.admin_view(self.document_view),
                name="directory_claim_document",
            ),
            *super().get_urls(),
        ]

    def document_view(self, request, pk):
        """The private document, to the moderators of the listing's area only (404 for any other
        claim, so that walking the numbers reveals nothing), as a download, never inline."""
        claim = get_object_or_404(self.get_queryset(request), pk=pk)
        if not claim.document:
            raise Http404
        response = FileResponse(
            claim.document.open("rb"), as_attachment=True, filename=claim.document.name.rsplit("/", 1)[-1]
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response

    @admin.action(description=_("Accepter : donner la gestion de la fiche"), permissions=["change"])
    def accept(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda claim: moderation_services.claim_accept(claim=claim, moderator=request.user),
        )

    @admin.action(description=_("Refuser la demande"), permissions=["change"])
    def refuse(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda claim: moderation_services.claim_refuse(claim=claim, moderator=request.user),
        )


@admin.register(AssociationManager)
class AssociationManagerAdmin(access.ModeratedAdminMixin, admin.ModelAdmin):
    list_display = ["association", "user", "via", "created_at"]
    list_filter = ["via"]
    search_fields = ["association__name", "user__email"]
    list_select_related = ["association", "user"]
    readonly_fields = ["association", "user", "via", "created_at"]
    actions = ["remove"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Retirer ces gestionnaires (décision de modération)"), permissions=["change"])
    def remove(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            lambda m: services.manager_remove(association=m.association, user=m.user, actor=request.user),
        )

    def has_change_permission(self, request, obj=None):
        return access.is_moderator(request.user)


@admin.register(Invitation)
class InvitationAdmin(access.ModeratedAdminMixin, admin.ModelAdmin):
    list_display = ["association", "email", "invited_by", "created_at", "accepted_at", "revoked_at"]
    search_fields = ["association__name", "email"]
    list_select_related = ["association", "invited_by"]
    readonly_fields = [
        "association",
        "email",
        "invited_by",
        "created_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    ]

    def has_add_permission(self, request):
        return False


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


# Volunteer needs and the residents' answers (directory.volunteering.services).


class VolunteerResponseInline(admin.TabularInline):
    model = VolunteerResponse
    fields = ["created_at", "name", "email", "phone", "message"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(VolunteerNeed)
class VolunteerNeedAdmin(access.ModeratedAdminMixin, admin.ModelAdmin):
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
    actions = ["archive"]

    @admin.action(description=_("Retirer les besoins sélectionnés"), permissions=["change"])
    def archive(self, request, queryset):
        archived = sum(
            volunteering_services.volunteer_need_archive(need=need, user=request.user, origin="moderator")
            for need in queryset.select_related("association")
        )
        self.message_user(
            request,
            ngettext("%(n)d besoin retiré.", "%(n)d besoins retirés.", archived) % {"n": archived},
            messages.SUCCESS,
        )

    def has_add_permission(self, request):
        # Managers publish from the association space (directory.volunteering.services).
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(VolunteerResponse)
class VolunteerResponseAdmin(access.ModeratedAdminMixin, admin.ModelAdmin):
    moderated_through = "need__association"
    list_display = ["name", "need", "created_at"]
    search_fields = ["name", "email", "need__title", "need__association__name"]
    list_select_related = ["need__association"]
    date_hierarchy = "created_at"
    fields = ["need", "name", "email", "phone", "message", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A resident who asks for erasure: a superuser deletes the answer.
        return access.is_administrator(request.user)
