"""The admins of the listings and their reference data.

Every ModelAdmin is registered once, with `@admin.register(Model, site=site)`, on the project's
admin site (`site`, directory/moderation/site.py), in the
`admin.py` of its feature package; DirectoryConfig.ready() (directory/apps.py) imports each of
them: it is the one list of what the admin holds, and no other module imports an admin module.
Who may see or do what is decided in directory/access.py (`ModeratedAdminMixin`).
"""

from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from directory import access
from directory.listings import services
from directory.listings.forms import PlaceForm
from directory.models import (
    Area,
    Association,
    AssociationChange,
    AssociationManager,
    Audience,
    Category,
    Language,
    Place,
    Service,
    SlugRedirect,
)
from directory.moderation.site import site
from directory.text import search_words


@admin.register(Area, site=site)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "insee", "postcodes", "parent", "official"]
    list_filter = ["kind", "official"]
    search_fields = ["name", "slug", "insee", "postcodes"]
    list_select_related = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


class SubCategoryInline(admin.TabularInline):
    model = Category
    fields = ["name", "name_en", "slug", "position"]
    extra = 0
    show_change_link = True


@admin.register(Category, site=site)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "parent", "position", "association_count"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "name_en", "slug", "synonyms", "synonyms_en"]
    list_select_related = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SubCategoryInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("associations"))

    @admin.display(description=_("associations"), ordering="n")
    def association_count(self, obj):
        return obj.n


@admin.register(Audience, site=site)
class AudienceAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug", "position"]
    list_editable = ["position"]


@admin.register(Language, site=site)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "native_name", "position"]
    list_editable = ["position"]
    search_fields = ["name", "code"]


class PlaceInline(admin.StackedInline):
    model = Place
    form = PlaceForm
    extra = 0
    min_num = 1
    autocomplete_fields = ["area", "quartier"]


class SlugRedirectInline(admin.TabularInline):
    model = SlugRedirect
    extra = 0
    readonly_fields = ["old_slug", "created_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ServiceInline(admin.TabularInline):
    """The listing's services, read only: they change through the association space's pending
    change, which the moderation review shows (directory/offers/)."""

    model = Service
    extra = 0
    fields = ["name", "status", "paused_until", "fees", "reception", "source"]
    readonly_fields = fields  # type: ignore[assignment]  # django-stubs types these as invariant unions
    can_delete = False
    verbose_name_plural = _("services (modifiés depuis l'espace association)")

    def has_add_permission(self, request, obj=None):
        return False


class ChangeInline(admin.TabularInline):
    model = AssociationChange
    extra = 0
    fields = ["created_at", "actor", "origin", "action", "changes"]
    readonly_fields = fields  # type: ignore[assignment]  # django-stubs types these as invariant unions
    can_delete = False
    ordering = ["-created_at"]
    verbose_name_plural = _("historique")

    def has_add_permission(self, request, obj=None):
        return False


class TopCategoryFilter(admin.SimpleListFilter):
    title = _("besoin")
    parameter_name = "besoin"

    def lookups(self, request, model_admin):
        return [(c.slug, c.name) for c in Category.objects.top_level()]

    def queryset(self, request, queryset):
        category = Category.objects.filter(slug=self.value()).first() if self.value() else None
        return queryset.in_category(category) if category else queryset


class AreaFilter(admin.SimpleListFilter):
    title = _("territoire")
    parameter_name = "territoire"

    def lookups(self, request, model_admin):
        return [(a.slug, a.short_name) for a in Area.objects.top_level().order_by("name")]

    def queryset(self, request, queryset):
        area = Area.objects.filter(slug=self.value()).first() if self.value() else None
        return queryset.in_area(area) if area else queryset


class ManagerInline(admin.TabularInline):
    """Who manages the listing (read-only here: changes go through the logged services)."""

    model = AssociationManager
    extra = 0
    fields = ["user", "via", "created_at"]
    readonly_fields = fields  # type: ignore[assignment]  # django-stubs types these as invariant unions
    can_delete = False
    verbose_name_plural = _("gestionnaires")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Association, site=site)
class AssociationAdmin(access.ModeratedAdminMixin, admin.ModelAdmin):
    moderated_through = None  # the listing itself
    list_display = [
        "name",
        "status",
        "source",
        "main_area",
        "trusted",
        "quality",
        "last_verified_at",
        "updated_at",
        "history_link",
    ]
    list_filter = ["status", "source", TopCategoryFilter, AreaFilter, "trusted", "is_demo"]
    search_fields = ["=rna", "=siret", "email"]
    search_help_text = _("Nom (sans tenir compte des accents), numéro RNA, SIRET ou e-mail.")
    list_select_related = ["last_verified_by"]
    readonly_fields = [
        "created_at",
        "updated_at",
        "status_changed_at",
        "last_verified_by",
        # data·inclusion import (manage.py import_datainclusion): written by the import only.
        "source_producer",
        "source_id",
        "source_url",
        "source_updated_at",
    ]
    filter_horizontal = ["categories", "audiences", "languages"]
    inlines = [PlaceInline, ServiceInline, SlugRedirectInline, ManagerInline, ChangeInline]
    actions = ["publish", "archive"]
    date_hierarchy = "created_at"
    fieldsets = [
        (None, {"fields": ["name", "slug", "status", "source", "trusted", "is_demo"]}),
        (_("Présentation"), {"fields": ["short_description", "description", "categories", "logo"]}),
        (_("Contact"), {"fields": ["phone", "email", "website", "social_links"]}),
        (
            _("Conditions"),
            {
                "fields": [
                    "audiences",
                    "languages",
                    "fees",
                    "fees_details",
                    "reception",
                    "volunteers_sought",
                    "volunteers_details",
                ]
            },
        ),
        (_("Identifiants"), {"fields": ["rna", "siret"]}),
        (
            _("Import data·inclusion"),
            {
                "fields": ["source_producer", "source_id", "source_url", "source_updated_at"],
                "classes": ["collapse"],
            },
        ),
        (
            _("Suivi"),
            {
                "fields": [
                    "last_verified_at",
                    "last_verified_by",
                    "created_at",
                    "updated_at",
                    "status_changed_at",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("places__area")

    def get_search_results(self, request, queryset, search_term):
        """Names match accent- and case-insensitively, word by word; identifiers match as typed."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        words = search_words(search_term)
        if words:
            by_name = queryset
            for word in words:
                by_name = by_name.filter(search_name__contains=word)
            results = results | by_name
        return results, may_have_duplicates

    @admin.display(description=_("historique"))
    def history_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:moderation_history", args=[obj.pk]), _("Versions")
        )

    @admin.display(description=_("territoire"))
    def main_area(self, obj):
        places = list(obj.places.all())
        return places[0].area.short_name if places else "—"

    def get_changeform_initial_data(self, request):
        return {"source": Association.Source.MODERATOR, **super().get_changeform_initial_data(request)}

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            form.base_fields["slug"].required = False
            form.base_fields["slug"].help_text = _("Laisser vide pour le déduire du nom.")
        return form

    def save_model(self, request, obj, form, change):
        """Saved through the services: the change is logged and the address kept stable."""
        if change:
            services.association_update(
                association=obj, actor=request.user, origin="moderator", new_slug=obj.slug
            )
        else:
            obj.source = obj.source or Association.Source.MODERATOR
            services.association_create(association=obj, actor=request.user, origin="moderator")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.refresh_search_text([form.instance])

    @admin.action(description=_("Publier les fiches sélectionnées"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Association.Status.PUBLISHED)

    @admin.action(description=_("Archiver les fiches sélectionnées"), permissions=["change"])
    def archive(self, request, queryset):
        self._set_status(request, queryset, Association.Status.ARCHIVED)

    def _set_status(self, request, queryset, status):
        changed = sum(
            services.association_set_status(
                association=association, status=status, actor=request.user, origin="moderator"
            )
            for association in queryset
        )
        self.message_user(
            request,
            ngettext("%(n)d fiche modifiée.", "%(n)d fiches modifiées.", changed) % {"n": changed},
            messages.SUCCESS,
        )

    def has_delete_permission(self, request, obj=None):
        # Listings are archived, never deleted, from the admin.
        return access.is_administrator(request.user)


@admin.register(AssociationChange, site=site)
class AssociationChangeAdmin(access.ModeratedAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "association", "origin", "action", "actor"]
    list_filter = ["origin", "action"]
    search_fields = ["association__name"]
    list_select_related = ["association", "actor"]
    readonly_fields = ["association", "actor", "origin", "action", "changes", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Guides: Markdown pages for associations. Every save, from the form or from the list's editable
# columns, goes through guide_save, which renders and sanitises the body.
