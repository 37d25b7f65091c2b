"""The reference lists a listing is tagged with: categories (needs and sub-needs), audiences, languages."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory import links

from .translated import TranslatedName, in_active_language


class CategoryQuerySet(models.QuerySet):
    def top_level(self):
        return self.filter(parent__isnull=True)

    def descendants_of(self, category):
        return self.filter(Q(pk=category.pk) | Q(parent_id=category.pk))


class Category(TranslatedName, models.Model):
    """A resident-facing need ("Aide alimentaire") or a sub-need ("Épicerie solidaire")."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    name_en = models.CharField(_("nom en anglais"), max_length=120, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("catégorie parente"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        limit_choices_to={"parent__isnull": True},
    )
    description = models.CharField(_("description courte"), max_length=240, blank=True)
    description_en = models.CharField(_("description courte en anglais"), max_length=240, blank=True)
    synonyms = models.TextField(
        _("synonymes et mots-clés"),
        blank=True,
        help_text=_("Un par ligne : les mots qu'un habitant taperait pour ce besoin."),
    )
    synonyms_en = models.TextField(
        _("synonymes et mots-clés en anglais"),
        blank=True,
        help_text=_("Un par ligne : les mots qu'un habitant taperait en anglais."),
    )
    datainclusion_thematiques = models.JSONField(_("thématiques data·inclusion"), default=list, blank=True)
    rna_codes = models.JSONField(_("codes objet social RNA"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("catégorie")
        verbose_name_plural = _("catégories")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return links.slug_url("directory:category", self.slug)

    @property
    def summary(self):
        """The short description in the active language."""
        return in_active_language(self, "description")

    @property
    def synonym_list(self):
        return [line.strip() for line in self.synonyms.splitlines() if line.strip()]

    @property
    def synonym_list_en(self):
        return [line.strip() for line in self.synonyms_en.splitlines() if line.strip()]


class Audience(TranslatedName, models.Model):
    """Who an association is for: children, women, migrants and refugees, everyone…"""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=80)
    name_en = models.CharField(_("nom en anglais"), max_length=80, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("public")
        verbose_name_plural = _("publics")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Language(TranslatedName, models.Model):
    """A language spoken at an association, by ISO 639-1 code."""

    code = models.CharField(_("code ISO 639-1 (639-3 sans équivalent)"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=60)
    name_en = models.CharField(_("nom en anglais"), max_length=60, blank=True)
    native_name = models.CharField(_("nom dans la langue"), max_length=60, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=100)

    class Meta:
        verbose_name = _("langue")
        verbose_name_plural = _("langues")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name
