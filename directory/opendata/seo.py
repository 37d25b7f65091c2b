"""Crawlers and feed readers: sitemap index and sections, robots.txt.

The Atom feeds are the classes of directory/opendata/feeds.py, routed in directory/urls.py.
"""

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from directory.cache import cached_page
from directory.opendata.sitemaps import SITEMAPS


@require_GET
@cache_control(max_age=3600, public=True)
@cached_page
def sitemap_index(request):
    """The index: one entry per page of each section (5,000 URLs a page), absolute on SITE_URL.

    A section without URLs (no current volunteer need) is left out: an empty <urlset> is invalid.
    """
    items = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        if not sitemap.paginator.count:
            continue
        url = settings.SITE_URL + reverse("directory:sitemap_section", args=[section])
        lastmod = sitemap.get_latest_lastmod()
        for page in sitemap.paginator.page_range:
            location = url if page == 1 else f"{url}?p={page}"
            items.append(sitemap_views.SitemapIndexItem(location, lastmod))
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": items},
        content_type="application/xml",
        headers={"X-Robots-Tag": "noindex, noodp, noarchive"},
    )


@require_GET
@cache_control(max_age=3600, public=True)
@cached_page
def sitemap_section(request, section):
    return sitemap_views.sitemap(request, sitemaps=SITEMAPS, section=section)


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    return render(
        request,
        "seo/robots.txt",
        {"sitemap_url": settings.SITE_URL + reverse("directory:sitemap")},
        content_type="text/plain; charset=utf-8",
    )
