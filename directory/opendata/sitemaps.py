"""sitemap.xml sections: published listings, categories, areas, guides, current volunteer needs
and the main pages.

URLs are absolute on SITE_URL (as canonical links are), whatever host the crawler used.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from directory import reference
from directory.models import Association, Guide, VolunteerNeed


class SiteSitemap(Sitemap):
    limit = 5000

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class AssociationSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return Association.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, association):
        return association.updated_at

    def get_latest_lastmod(self):
        return Association.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class CategorySitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return sorted(reference.get().categories.values(), key=lambda c: c.pk)


class AreaSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return sorted(reference.get().areas.values(), key=lambda a: a.pk)


class GuideSitemap(SiteSitemap):
    changefreq = "monthly"

    def items(self):
        return Guide.objects.published().only("slug", "updated_at").order_by("position", "pk")

    def lastmod(self, guide):
        return guide.updated_at


class VolunteerNeedSitemap(SiteSitemap):
    """Current needs only: an ended one answers 410 and leaves the sitemap."""

    changefreq = "weekly"

    def items(self):
        return VolunteerNeed.objects.current().only("pk", "updated_at").order_by("pk")

    def lastmod(self, need):
        return need.updated_at


class EventSitemap(SiteSitemap):
    """Visible events with a date to come: a past or withdrawn one leaves the sitemap."""

    changefreq = "weekly"

    def items(self):
        from django.db.models import Exists, OuterRef
        from django.utils import timezone

        from directory.models import Event, EventOccurrence

        upcoming = EventOccurrence.objects.filter(event=OuterRef("pk"), ends_at__gt=timezone.now())
        return Event.objects.visible().filter(Exists(upcoming)).only("pk", "updated_at").order_by("pk")

    def lastmod(self, event):
        return event.updated_at


class PageSitemap(SiteSitemap):
    changefreq = "monthly"

    def items(self):
        return [
            "home",
            "association_list",
            "areas",
            "opendata",
            "embed_builder",
            "guides",
            "volunteer_list",
            "agenda",
            "about",
            "accessibility",
            "legal",
            "privacy",
        ]

    def location(self, name):
        return reverse(f"directory:{name}")


SITEMAPS = {
    "pages": PageSitemap,
    "associations": AssociationSitemap,
    "categories": CategorySitemap,
    "territoires": AreaSitemap,
    "guides": GuideSitemap,
    "benevolat": VolunteerNeedSitemap,
    "agenda": EventSitemap,
}
