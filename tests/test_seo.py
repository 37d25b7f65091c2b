"""SEO: sitemap (validated against the sitemaps.org schema), robots.txt, canonical URLs, titles,
OpenGraph, schema.org JSON-LD on listings, and the Atom feeds."""

import json
from pathlib import Path

import pytest
from lxml import etree

from directory.models import Association, Guide
from tests import builders

pytestmark = pytest.mark.django_db

SITE = "https://lyonassos.example"
FIXTURES = Path(__file__).parent / "fixtures"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def xsd(name):
    return etree.XMLSchema(etree.parse(str(FIXTURES / name)))


def validated(response, schema_name):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    document = etree.fromstring(response.content)
    schema = xsd(schema_name)
    assert schema.validate(document), schema.error_log
    return document


@pytest.fixture
def listing(db):
    return builders.make_association(
        "Épicerie solidaire des Pentes",
        categories=["epicerie-solidaire"],
        area_slug="lyon-1",
        quartier_slug="terreaux",
        phone="04 78 00 00 00",
        email="contact@epicerie.example",
        website="https://epicerie.example",
        social_links="https://social.example/epicerie\nhttps://video.example/@epicerie",
        rna="W691234567",
    )


# Sitemap ------------------------------------------------------------------------------------


def test_sitemap_index_and_sections_validate_against_the_schema(client, listing):
    builders.make_association("Brouillon caché", status=Association.Status.DRAFT)
    need = builders.make_need(listing)
    index = validated(client.get("/sitemap.xml"), "siteindex.xsd")
    locations = [loc.text for loc in index.iter(f"{SM}loc")]
    assert locations == [
        f"{SITE}/sitemap-pages.xml",
        f"{SITE}/sitemap-associations.xml",
        f"{SITE}/sitemap-categories.xml",
        f"{SITE}/sitemap-territoires.xml",
        f"{SITE}/sitemap-guides.xml",
        f"{SITE}/sitemap-benevolat.xml",
    ]
    urls = {}
    for location in locations:
        section = validated(client.get(location.removeprefix(SITE)), "sitemap.xsd")
        for url in section.iter(f"{SM}url"):
            urls[url.findtext(f"{SM}loc")] = url.findtext(f"{SM}lastmod")
    assert (
        urls[f"{SITE}/associations/epicerie-solidaire-des-pentes/"] == listing.updated_at.date().isoformat()
    )
    assert f"{SITE}/associations/brouillon-cache/" not in urls
    assert f"{SITE}/categories/epicerie-solidaire/" in urls
    assert f"{SITE}/territoires/lyon-1/" in urls
    assert f"{SITE}/donnees/" in urls
    assert f"{SITE}/guides/" in urls
    guides = [f"{SITE}{guide.get_absolute_url()}" for guide in Guide.objects.published()]
    assert len(guides) == 5
    assert all(url in urls for url in guides)
    assert f"{SITE}{need.get_absolute_url()}" in urls


def test_the_schema_rejects_a_broken_sitemap():
    """The shipped XSD does validate: a <url> without <loc> fails."""
    broken = etree.fromstring(
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><lastmod>2024-01-01</lastmod></url></urlset>'
    )
    assert not xsd("sitemap.xsd").validate(broken)


def test_sitemap_sections_are_paginated(client, listing, monkeypatch):
    from directory.opendata import sitemaps

    builders.make_associations(2)
    monkeypatch.setattr(sitemaps.AssociationSitemap, "limit", 2)
    index = validated(client.get("/sitemap.xml"), "siteindex.xsd")
    locations = [loc.text for loc in index.iter(f"{SM}loc")]
    assert f"{SITE}/sitemap-associations.xml?p=2" in locations
    page_two = validated(client.get("/sitemap-associations.xml", {"p": 2}), "sitemap.xsd")
    assert len(list(page_two.iter(f"{SM}url"))) == 1
    assert client.get("/sitemap-associations.xml", {"p": 3}).status_code == 404
    assert client.get("/sitemap-inconnu.xml").status_code == 404


# robots.txt ---------------------------------------------------------------------------------


def test_robots_txt(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Allow: /" in lines
    for path in ["/admin/", "/api/", "/espace-association/"]:
        assert f"Disallow: {path}" in lines
    assert "Allow: /api/openapi.json" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


# Head: canonical, title, description, OpenGraph ----------------------------------------------


def head(response):
    assert response.status_code == 200, response.status_code
    page = builders.soup(response)
    meta = {m["property"]: m["content"] for m in page.select("head meta[property]")}
    canonical = page.select("head link[rel=canonical]")
    assert len(canonical) == 1
    return {
        "title": page.title.get_text(),
        "description": page.select_one("head meta[name=description]")["content"],
        "canonical": canonical[0]["href"],
        "og": meta,
    }


def page_urls(listing):
    return [
        "/",
        "/associations/",
        listing.get_absolute_url(),
        "/categories/epicerie-solidaire/",
        "/territoires/lyon-1/",
        "/territoires/",
        "/donnees/",
        "/a-propos/",
    ]


def test_every_page_type_has_canonical_and_opengraph(client, listing):
    seen_titles, seen_descriptions = set(), set()
    for url in page_urls(listing):
        data = head(client.get(url))
        assert data["canonical"] == SITE + url
        og = data["og"]
        assert og["og:url"] == data["canonical"]
        assert og["og:title"] == data["title"]
        assert og["og:description"] == data["description"]
        assert og["og:site_name"] == "Lyon Assos"
        assert og["og:locale"] == "fr_FR"
        assert og["og:type"] == "website"
        assert data["title"].strip()
        assert data["description"].strip()
        seen_titles.add(data["title"])
        seen_descriptions.add(data["description"])
    assert len(seen_titles) == len(page_urls(listing))
    assert len(seen_descriptions) >= len(page_urls(listing)) - 1  # footer pages may share the default


def test_titles_of_listing_category_and_area(client, listing):
    assert head(client.get(listing.get_absolute_url()))["title"] == (
        "Épicerie solidaire des Pentes – Épicerie solidaire à Lyon 1er | Lyon Assos"
    )
    assert head(client.get("/categories/alimentation/"))["title"] == (
        "Alimentation à Lyon et dans la Métropole | Lyon Assos"
    )
    assert head(client.get("/territoires/lyon-1/"))["title"] == "Associations à Lyon 1er | Lyon Assos"
    assert (
        head(client.get("/territoires/terreaux/"))["title"]
        == "Associations à Terreaux (Lyon 1er) | Lyon Assos"
    )


def test_listing_without_short_description_gets_a_distinct_description(client, db):
    association = builders.make_association(
        "Sans présentation", categories=["football"], short_description=""
    )
    description = head(client.get(association.get_absolute_url()))["description"]
    assert description.startswith("Sans présentation : ")
    assert "football" in description
    assert "Lyon 3e" in description


def test_results_canonical_drops_empty_params_and_first_page(client, db):
    builders.make_associations(25, categories=["football"])
    data = head(client.get("/associations/", {"q": "", "page": "1", "utm_source": "x", "gratuit": ""}))
    assert data["canonical"] == f"{SITE}/associations/"
    data = head(client.get("/associations/?page=2&categorie=football&q=club"))
    assert data["canonical"] == f"{SITE}/associations/?q=club&categorie=football&page=2"
    data = head(client.get("/associations/", {"categorie": "football", "page": "1"}))
    assert data["canonical"] == f"{SITE}/associations/?categorie=football"


def test_landing_pages_keep_their_page_in_the_canonical(client, db):
    builders.make_associations(25, categories=["football"], area_slug="lyon-7")
    assert (
        head(client.get("/territoires/lyon-7/", {"page": "2"}))["canonical"]
        == f"{SITE}/territoires/lyon-7/?page=2"
    )
    assert (
        head(client.get("/categories/football/", {"page": "1"}))["canonical"]
        == f"{SITE}/categories/football/"
    )


def test_og_image_only_when_a_logo_exists(client, listing):
    assert "og:image" not in head(client.get(listing.get_absolute_url()))["og"]
    from django.core.files.base import ContentFile

    listing.logo.save("logo.png", ContentFile(b"\x89PNG fake"), save=True)
    og = head(client.get(listing.get_absolute_url()))["og"]
    assert og["og:image"] == SITE + listing.logo.url


# JSON-LD ------------------------------------------------------------------------------------


def jsonld(response):
    blocks = builders.soup(response).select('script[type="application/ld+json"]')
    assert len(blocks) == 1
    return json.loads(blocks[0].string)


def test_listing_jsonld_is_an_ngo(client, listing):
    data = jsonld(client.get(listing.get_absolute_url()))
    place = listing.places.get()
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NGO"
    assert data["name"] == "Épicerie solidaire des Pentes"
    assert data["url"] == f"{SITE}/associations/epicerie-solidaire-des-pentes/"
    assert data["telephone"] == "04 78 00 00 00"
    assert data["email"] == "contact@epicerie.example"
    assert data["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "10 rue de la République",
        "postalCode": "69001",
        "addressLocality": "Lyon",
        "addressRegion": "Auvergne-Rhône-Alpes",
        "addressCountry": "FR",
    }
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": place.lat, "longitude": place.lon}
    assert data["sameAs"] == [
        "https://epicerie.example",
        "https://social.example/epicerie",
        "https://video.example/@epicerie",
    ]
    hours = data["openingHoursSpecification"]
    assert len(hours) == 10  # Monday to Friday, two ranges a day
    assert hours[0] == {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": "https://schema.org/Monday",
        "opens": "09:00",
        "closes": "12:00",
    }


def test_jsonld_escapes_html_in_user_text(client, db):
    association = builders.make_association("A </script><script>alert(1)</script> & co")
    response = client.get(association.get_absolute_url())
    html = response.content.decode()
    assert "</script><script>alert(1)" not in html
    assert "\\u003C/script\\u003E" in html
    assert jsonld(response)["name"] == "A </script><script>alert(1)</script> & co"


def test_only_listing_pages_carry_jsonld(client, listing):
    page = builders.soup(client.get("/categories/epicerie-solidaire/"))
    assert not page.select('script[type="application/ld+json"]')


# Atom feeds ---------------------------------------------------------------------------------


def entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = etree.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    return [
        (entry.findtext(f"{ATOM}title"), entry.find(f"{ATOM}link").get("href"))
        for entry in feed.findall(f"{ATOM}entry")
    ]


def test_feeds_list_newly_published_associations(client, db):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    old = builders.make_association("Ancienne", categories=["football"], area_slug="lyon-7")
    new = builders.make_association("Nouvelle", categories=["epicerie-solidaire"], area_slug="lyon-1")
    builders.make_association("Brouillon", status=Association.Status.DRAFT)
    Association.objects.filter(pk=old.pk).update(status_changed_at=now - timedelta(days=10))
    Association.objects.filter(pk=new.pk).update(status_changed_at=now - timedelta(days=1))

    assert entries(client.get("/flux/associations.atom")) == [
        ("Nouvelle", f"{SITE}/associations/nouvelle/"),
        ("Ancienne", f"{SITE}/associations/ancienne/"),
    ]
    assert [t for t, _ in entries(client.get("/flux/categories/alimentation.atom"))] == ["Nouvelle"]
    assert [t for t, _ in entries(client.get("/flux/territoires/lyon.atom"))] == ["Nouvelle", "Ancienne"]
    assert [t for t, _ in entries(client.get("/flux/territoires/lyon-7.atom"))] == ["Ancienne"]
    assert client.get("/flux/categories/inconnue.atom").status_code == 404
    assert client.get("/flux/territoires/inconnu.atom").status_code == 404


def test_feed_is_capped_at_50_entries(client, db):
    builders.make_associations(52)
    assert len(entries(client.get("/flux/associations.atom"))) == 50


def test_pages_advertise_their_feeds(client, db):
    def feeds(url):
        page = builders.soup(client.get(url))
        return [link["href"] for link in page.select('head link[rel=alternate][type="application/atom+xml"]')]

    assert feeds("/") == ["/flux/associations.atom"]
    assert feeds("/categories/alimentation/") == [
        "/flux/associations.atom",
        "/flux/categories/alimentation.atom",
    ]
    assert feeds("/territoires/lyon-3/") == ["/flux/associations.atom", "/flux/territoires/lyon-3.atom"]
