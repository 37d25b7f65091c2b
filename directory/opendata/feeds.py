"""Atom feeds of newly published associations: everywhere, by category, by area.

Items are ordered by the date of publication (`status_changed_at` of a published listing).
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, linebreaks
from django.utils.translation import gettext as _

from directory import reference
from directory.models import Association

FEED_SIZE = 50


class NewAssociationsFeed(Feed):
    feed_type = Atom1Feed

    def title(self, obj=None):
        return _("Lyon Assos : nouvelles associations")

    def subtitle(self, obj=None):
        return _("Les dernières associations publiées dans l'annuaire de la Métropole de Lyon.")

    def link(self, obj=None):
        return settings.SITE_URL + reverse("directory:association_list")

    def feed_url(self, obj=None):
        return settings.SITE_URL + reverse("directory:feed_associations")

    def queryset(self, obj):
        return Association.objects.published()

    def items(self, obj=None):
        return (
            self.queryset(obj)
            .prefetch_related("places__area")
            .order_by("-status_changed_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.name

    def item_description(self, item):
        # Atom summaries are type="html": what the manager wrote is text, escaped here.
        places = list(item.places.all())
        where = f" ({places[0].city_name})" if places else ""
        return format_html("{}{}", item.short_description or item.name, where)

    def item_link(self, item):
        return settings.SITE_URL + item.get_absolute_url()

    def item_guid(self, item):
        return self.item_link(item)

    def item_pubdate(self, item):
        return item.status_changed_at

    def item_updateddate(self, item):
        return item.updated_at


class CategoryFeed(NewAssociationsFeed):
    def get_object(self, request, slug):
        category = reference.get().categories.get(slug)
        if category is None:
            raise Http404
        return category

    def title(self, obj=None):
        return _("Lyon Assos : nouvelles associations · %(name)s") % {"name": obj.name}

    def link(self, obj=None):
        return settings.SITE_URL + obj.get_absolute_url()

    def feed_url(self, obj=None):
        return settings.SITE_URL + reverse("directory:feed_category", args=[obj.slug])

    def queryset(self, obj):
        return Association.objects.published().in_category(obj)


class AreaFeed(NewAssociationsFeed):
    def get_object(self, request, slug):
        area = reference.get().areas.get(slug)
        if area is None:
            raise Http404
        return area

    def title(self, obj=None):
        return _("Lyon Assos : nouvelles associations · %(name)s") % {"name": obj.short_name}

    def link(self, obj=None):
        return settings.SITE_URL + obj.get_absolute_url()

    def feed_url(self, obj=None):
        return settings.SITE_URL + reverse("directory:feed_area", args=[obj.slug])

    def queryset(self, obj):
        return Association.objects.published().in_area(obj)


class AssociationNewsFeed(Feed):
    """The news items of one published listing, newest first."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        association = Association.objects.published().filter(slug=slug).first()
        if association is None:
            raise Http404
        return association

    def title(self, obj):
        return _("%(name)s : actualités") % {"name": obj.name}

    def subtitle(self, obj):
        return _("Les actualités de %(name)s sur Lyon Assos.") % {"name": obj.name}

    def link(self, obj):
        return settings.SITE_URL + obj.get_absolute_url()

    def feed_url(self, obj):
        return settings.SITE_URL + reverse("directory:feed_association_news", args=[obj.slug])

    def items(self, obj):
        return obj.news_items.visible()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Atom summaries are type="html": the manager's plain text is escaped, its lines kept.
        html = linebreaks(item.text, autoescape=True)
        if item.link:
            html += format_html('<p><a href="{}">{}</a></p>', item.link, item.link)
        return html

    def item_link(self, item):
        return settings.SITE_URL + item.association.get_absolute_url() + f"#actualite-{item.pk}"

    def item_guid(self, item):
        return self.item_link(item)

    def item_pubdate(self, item):
        return item.published_at


class VolunteerNeedsFeed(Feed):
    """The current volunteer needs, newest first; takes the filters of /benevolat/ (categorie,
    territoire, moment), so that a resident can follow "week-end, Villeurbanne"."""

    feed_type = Atom1Feed

    def get_object(self, request):
        from directory.filters import search_volunteer_needs

        return search_volunteer_needs(request.GET)

    def title(self, obj):
        return _("Lyon Assos : les associations cherchent des bénévoles")

    def subtitle(self, obj):
        return _("Les besoins de bénévoles publiés par les associations de la Métropole de Lyon.")

    def link(self, obj):
        query = obj.data.urlencode() if obj.is_bound else ""
        return settings.SITE_URL + reverse("directory:volunteer_list") + (f"?{query}" if query else "")

    def feed_url(self, obj):
        return settings.SITE_URL + reverse("directory:feed_volunteer_needs")

    def items(self, obj):
        return obj.qs[:FEED_SIZE]

    def item_title(self, item):
        return f"{item.title} · {item.association.name}"

    def item_description(self, item):
        where = item.where
        html = linebreaks(item.description, autoescape=True)
        if item.schedule or where:
            html += format_html("<p>{}</p>", " · ".join(part for part in (item.schedule, where) if part))
        return html

    def item_link(self, item):
        return settings.SITE_URL + item.get_absolute_url()

    def item_guid(self, item):
        return self.item_link(item)

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at
