from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory import links

from .translated import TranslatedName


class AreaQuerySet(models.QuerySet):
    def descendants_of(self, area):
        """The area itself, its children and grandchildren (Lyon → arrondissements → quartiers)."""
        return self.filter(Q(pk=area.pk) | Q(parent_id=area.pk) | Q(parent__parent_id=area.pk))

    def communes(self):
        return self.filter(kind=Area.Kind.COMMUNE)

    def top_level(self):
        """The communes and Lyon's arrondissements: the places an address belongs to."""
        return self.filter(kind__in=[Area.Kind.COMMUNE, Area.Kind.ARRONDISSEMENT])


class Area(TranslatedName, models.Model):
    """A commune of the Métropole, one of Lyon's arrondissements, or a quartier.

    Lyon (69123) is the parent of its nine arrondissements; each quartier has exactly one
    parent (an arrondissement, or Villeurbanne). A usual name that spans two arrondissements
    (Guillotière, Grange Blanche) exists once per arrondissement, with its own slug.
    """

    class Kind(models.TextChoices):
        COMMUNE = "commune", _("Commune")
        ARRONDISSEMENT = "arrondissement", _("Arrondissement")
        QUARTIER = "quartier", _("Quartier")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    name_en = models.CharField(
        _("nom en anglais"),
        max_length=120,
        blank=True,
        help_text=_("Seulement s'il diffère : les noms de communes et de quartiers restent en français."),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, db_index=True)
    insee = models.CharField(_("code INSEE"), max_length=5, blank=True, db_index=True)
    postcodes = models.CharField(
        _("codes postaux"), max_length=120, blank=True, help_text=_("Séparés par des virgules.")
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("zone parente"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    official = models.BooleanField(
        _("conseil de quartier officiel"),
        default=False,
        help_text=_("Nom officiel d'un conseil de quartier de Lyon."),
    )
    official_name = models.CharField(
        _("conseil de quartier"),
        max_length=120,
        blank=True,
        help_text=_("Pour un nom d'usage : le conseil de quartier qui le contient."),
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return links.slug_url("directory:area", self.slug)

    @property
    def postcode_list(self):
        return [p.strip() for p in self.postcodes.split(",") if p.strip()]

    @property
    def short_name(self):
        """'Lyon 3e Arrondissement' → 'Lyon 3e': the French form, as in a postal address."""
        if self.kind == self.Kind.ARRONDISSEMENT:
            return self.name.replace(" Arrondissement", "")
        return self.name

    @property
    def short_label(self):
        """short_name in the active language: 'Lyon 3e', or 'Lyon 3rd' in English."""
        if self.kind == self.Kind.ARRONDISSEMENT:
            return self.label.replace(" Arrondissement", "").replace(" arrondissement", "")
        return self.label
