"""Guides: practical pages for associations, written by moderators in Markdown.

The Markdown in `body` is rendered and sanitised once, when saved through
`directory.guides.services.guide_save`, into `body_html`: the only field templates may mark safe.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class GuideQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def visible(self, *, drafts):
        """Published guides, and drafts too when `drafts` (access.can_read_drafts decides)."""
        return self if drafts else self.published()


class Guide(models.Model):
    title = models.CharField(_("titre"), max_length=150)
    slug = models.SlugField(_("adresse"), max_length=150, unique=True)
    summary = models.CharField(
        _("résumé"),
        max_length=240,
        help_text=_(
            "Une ou deux phrases, reprises dans la liste des guides et par les moteurs de recherche."
        ),
    )
    body = models.TextField(
        _("texte"),
        help_text=_(
            "En Markdown : « ## Titre » pour une partie, « ### » pour une sous-partie, « - » pour une "
            "liste, [texte](https://…) pour un lien. Les images et le HTML non autorisé sont retirés."
        ),
    )
    body_html = models.TextField(_("texte mis en forme"), editable=False, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    published = models.BooleanField(_("publié"), default=False)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    objects = GuideQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("guide")
        verbose_name_plural = _("guides")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("directory:guide", args=[self.slug])
