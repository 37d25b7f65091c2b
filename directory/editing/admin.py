"""The admins of the association space: pending changes and claims with approve/reject actions,
claim documents served to the moderators of the listing's area only, managers and invitations.

Every admin here is limited to the moderator's areas (access.ModeratedAdminMixin), and every
action goes through the services the rest of the site uses: changes and claims through
directory.moderation.services, which checks the area again and takes the item's review lock,
exactly as the moderation pages do; managers through directory.editing.services, logged in the
listing's history."""

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
    PendingChange,
)
from directory.moderation import services as moderation_services
from directory.moderation.site import site

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


@admin.register(PendingChange, site=site)
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
    readonly_fields = fields  # type: ignore[assignment]  # django-stubs types these as invariant unions
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


@admin.register(Claim, site=site)
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
    readonly_fields = fields  # type: ignore[assignment]  # django-stubs types these as invariant unions
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


@admin.register(AssociationManager, site=site)
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


@admin.register(Invitation, site=site)
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
