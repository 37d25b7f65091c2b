"""News items posted by the managers of a listing: short, dated, shown on the listing."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .posted import PostedItem, PostedItemQuerySet


class NewsItemQuerySet(PostedItemQuerySet):
    def visible(self):
        """What the public sees: items not archived, newest first."""
        return self.unarchived().order_by("-published_at", "-pk")


class NewsItem(PostedItem):
    """A short news item. Not moderated before publication; "Retirer" archives, nothing is deleted."""

    log_name = "news"

    association = models.ForeignKey(
        "directory.Association", on_delete=models.CASCADE, related_name="news_items"
    )
    title = models.CharField(_("titre"), max_length=120)
    text = models.TextField(_("texte"), max_length=2000)
    link = models.URLField(_("lien"), max_length=500, blank=True)
    medium = models.ImageField(_("image 400 px"), max_length=200, blank=True)
    large = models.ImageField(_("image 1200 px"), max_length=200, blank=True)
    image_width = models.PositiveIntegerField(_("largeur de l'image"), null=True, blank=True)
    image_height = models.PositiveIntegerField(_("hauteur de l'image"), null=True, blank=True)
    alt = models.CharField(_("description de l'image"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("publiée le"), default=timezone.now, db_index=True)

    objects = NewsItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("actualité")
        verbose_name_plural = _("actualités")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["association", "archived", "-published_at"], name="news_listing_idx")]
