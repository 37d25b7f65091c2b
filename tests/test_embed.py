"""Embeddable lists: the /integrer/ builder, its snippet, and the framed list
/integrer/liste/ (rendering, headers, bad input, query counts, size budget)."""

import gzip
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from directory.dev import demo
from directory.listings import services
from directory.models import Association
from directory.opendata import embed
from tests import builders

pytestmark = pytest.mark.django_db

SITE = "https://lyonassos.example"
BUILDER = "/integrer/"
EMBED = "/integrer/liste/"
CSS = Path(django_settings.BASE_DIR) / "static" / "css" / "embed.css"
GARBAGE = [
    {"categorie": "n-existe-pas"},
    {"territoire": "<script>alert(1)</script>"},
    {"public": "\x00"},
    {"langue": "zz" * 300},
    {"gratuit": "peut-être"},
    {"tri": "aléatoire"},
    {"nombre": "dix"},
    {"nombre": "-3"},
    {"nombre": "0"},
    {"nombre": "1e9"},
    {"nombre": "9" * 400},
    {"lat": "abc", "lon": "NaN"},
    {"rayon": "-1"},
    {"q": "x" * 1000},
    {"categorie": ["alimentation", "n-existe-pas"]},
    {"page": "2", "utm_source": "mairie", "categories": "sport"},
    {f"p{n}": "1" for n in range(40)},
]


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def pantry(db):
    return builders.make_association(
        "Épicerie solidaire de Vaulx",
        categories=["epicerie-solidaire"],
        area_slug="vaulx-en-velin",
        fees="free",
        reception="walk_in",
        wheelchair="yes",
        short_description="Des produits à petit prix pour les familles.",
    )


@pytest.fixture
def others(db):
    return [
        builders.make_association("Foot de Vaulx", categories=["football"], area_slug="vaulx-en-velin"),
        builders.make_association("Repas du 3e", categories=["repas-solidaires"], area_slug="lyon-3"),
    ]


def names(response):
    page = builders.soup(response)
    return [item.select_one("h2 a").get_text(strip=True) for item in page.select("ul.items > li")]


def notices(response):
    return [li.get_text(" ", strip=True) for li in builders.soup(response).select(".notice li")]


def csp_of(response):
    return dict(
        [*part.strip().split(" ", 1), ""][:2] for part in response["Content-Security-Policy"].split(";")
    )


# Builder --------------------------------------------------------------------------------------


def test_builder_offers_the_search_filters_without_a_preview_before_submission(client, pantry):
    response = client.get(BUILDER)
    assert response.status_code == 200
    page = builders.soup(response)
    form = page.select_one("form.embed-form")
    assert form["method"] == "get"
    assert form["action"] == BUILDER
    fields = {element["name"] for element in form.select("[name]")}
    assert {"categorie", "territoire", "public", "langue", "gratuit", "sans_rdv", "nombre", "tri"} <= fields
    assert form.select_one("option[value=alimentation]")
    assert form.select_one("option[value=vaulx-en-velin]")
    assert form.select_one("input[name=nombre]")["value"] == str(embed.DEFAULT_COUNT)
    assert form.select_one("input[name=nombre]")["max"] == str(embed.MAX_COUNT)
    assert not page.select("iframe")
    assert not page.select("#embed-code")
    assert not page.select("script[src$='share.js']")


@pytest.mark.parametrize("path", ["/en/integrer/", "/en/associations/"])
def test_the_filter_selects_name_audiences_and_languages_in_the_page_language(client, db, path):
    from directory.models import Audience, Language

    audience = Audience.objects.exclude(name_en="").exclude(name_en=F("name")).first()
    language = Language.objects.get(code="ar")
    page = builders.soup(client.get(path))
    assert page.select_one(f'#id_public option[value="{audience.slug}"]').get_text() == audience.name_en
    assert (
        page.select_one('#id_langue option[value="ar"]').get_text().startswith(language.name_en.capitalize())
    )


def test_builder_shows_the_preview_and_the_snippet(client, pantry, others):
    response = client.get(
        BUILDER, {"categorie": "alimentation", "territoire": "vaulx-en-velin", "nombre": "5", "gratuit": "1"}
    )
    page = builders.soup(response)
    # The form keeps the choices.
    assert page.select_one("#id_categorie option[selected]")["value"] == "alimentation"
    assert page.select_one("#id_territoire option[selected]")["value"] == "vaulx-en-velin"
    assert page.select_one("#id_gratuit").has_attr("checked")
    assert "1 association correspond" in page.select_one(".result-count").get_text(" ", strip=True)

    preview = page.select_one("iframe.embed-preview")
    assert urlsplit(preview["src"]).path == EMBED
    assert parse_qs(urlsplit(preview["src"]).query) == {
        "categorie": ["alimentation"],
        "territoire": ["vaulx-en-velin"],
        "gratuit": ["1"],
        "nombre": ["5"],
    }
    assert preview["title"]
    assert preview["loading"] == "lazy"

    # The code to copy, parsed as the host site will parse it.
    code = page.select_one("textarea#embed-code").get_text()
    snippet = BeautifulSoup(code, "html.parser")
    frame = snippet.select_one("iframe")
    assert frame["src"] == SITE + preview["src"]
    assert frame["title"] == "Alimentation à Vaulx-en-Velin : associations sur Lyon Assos"
    assert frame["width"] == "100%"
    assert frame["loading"] == "lazy"
    assert 300 <= int(frame["height"]) <= 900
    link = snippet.select_one("p > a")  # the fallback where iframes are stripped
    assert urlsplit(link["href"]).netloc == "lyonassos.example"
    assert urlsplit(link["href"]).path == "/associations/"
    assert parse_qs(urlsplit(link["href"]).query) == {
        "categorie": ["alimentation"],
        "territoire": ["vaulx-en-velin"],
        "gratuit": ["1"],
    }
    assert "&amp;" in code  # attribute values are escaped HTML, valid when pasted
    # The copy buttons are hidden until share.js shows them; the fields are readonly.
    assert page.select_one("[data-copy-target=embed-code]").has_attr("hidden")
    assert page.select_one("#embed-code").has_attr("readonly")
    assert page.select_one("#embed-url")["value"] == frame["src"]
    assert page.select("script[src$='js/share.js']")
    # How to paste it, in plain words.
    text = builders.visible_text(response)
    for word in ("WordPress", "Wix", "Jimdo", "HTML personnalisé", "Widget/HTML"):
        assert word in text


def test_builder_drops_invalid_values_from_the_snippet_and_says_so(client, pantry):
    response = client.get(BUILDER, {"categorie": "inconnue", "territoire": "vaulx-en-velin", "nombre": "500"})
    assert response.status_code == 200
    said = " ".join(notices(response))
    assert "inconnue" in said
    assert "au plus 50" in said
    src = builders.soup(response).select_one("iframe.embed-preview")["src"]
    assert parse_qs(urlsplit(src).query) == {"territoire": ["vaulx-en-velin"], "nombre": ["50"]}


def test_builder_keeps_the_default_order_out_of_the_snippet(client, pantry):
    response = client.get(BUILDER, {"tri": "pertinence", "nombre": "10"})
    src = builders.soup(response).select_one("iframe.embed-preview")["src"]
    assert parse_qs(urlsplit(src).query) == {"nombre": ["10"]}
    response = client.get(BUILDER, {"tri": "nom", "nombre": "10"})
    src = builders.soup(response).select_one("iframe.embed-preview")["src"]
    assert parse_qs(urlsplit(src).query) == {"tri": ["nom"], "nombre": ["10"]}


def test_builder_is_linked_from_the_footer_and_the_open_data_page(client, db):
    for path in ("/", "/donnees/"):
        hrefs = {a["href"] for a in builders.soup(client.get(path)).select("a[href]")}
        assert BUILDER in hrefs, path


def test_builder_is_in_the_sitemap_and_the_embed_is_not_indexed(client, pantry):
    sitemap = client.get("/sitemap-pages.xml").content.decode()
    assert f"<loc>{SITE}{BUILDER}</loc>" in sitemap
    assert EMBED not in sitemap
    page = builders.soup(client.get(BUILDER))
    assert page.select_one("link[rel=canonical]")["href"] == SITE + BUILDER
    assert not page.select("meta[name=robots]")  # the empty builder may be indexed
    assert (
        builders.soup(client.get(BUILDER, {"nombre": "5"})).select_one("meta[name=robots]")["content"]
        == "noindex"
    )


# Embed page -----------------------------------------------------------------------------------


def test_embed_lists_the_matching_published_associations(client, pantry, others):
    builders.make_association(
        "Épicerie en brouillon", categories=["epicerie-solidaire"], area_slug="vaulx-en-velin", status="draft"
    )
    response = client.get(EMBED, {"categorie": "alimentation", "territoire": "vaulx-en-velin"})
    assert response.status_code == 200
    page = builders.soup(response)
    assert page.select_one("h1").get_text(strip=True) == "Alimentation à Vaulx-en-Velin"
    assert names(response) == ["Épicerie solidaire de Vaulx"]
    item = page.select_one("ul.items > li")
    link = item.select_one("h2 a")
    assert link["href"] == pantry.get_absolute_url()
    assert link["target"] == "_blank"
    assert link["rel"] == ["noopener"]
    text = " ".join(item.get_text(" ").split())
    assert "Des produits à petit prix pour les familles." in text
    assert "10 rue de la République, 69120 Vaulx-en-Velin" in text
    assert [tag.get_text() for tag in item.select(".tags span")] == [
        "Gratuit",
        "Sans rendez-vous",
        "Accessible (fauteuil)",
    ]
    more = page.select_one(".more a")
    assert more.get_text(strip=True) == "Voir toutes les associations sur Lyon Assos"
    assert parse_qs(urlsplit(more["href"]).query) == {
        "categorie": ["alimentation"],
        "territoire": ["vaulx-en-velin"],
    }
    assert more["target"] == "_blank"
    assert "Lyon Assos" in page.select_one(".credit").get_text()
    # Every link leaves the host's frame; nothing is run, nothing is styled inline.
    assert all(a["target"] == "_blank" and "noopener" in a["rel"] for a in page.select("a[href]"))
    assert not page.select("script")
    assert not page.select("style")
    assert not page.select("[style]")
    assert not page.select("form")
    sheets = [link["href"] for link in page.select("head link[rel=stylesheet]")]
    assert sheets == ["/static/css/embed.css"]
    assert page.select_one("meta[name=viewport]")
    assert page.select_one("meta[name=robots]")["content"] == "noindex"
    assert not page.select(".site-header, .site-footer")  # not base.html


def test_embed_shows_at_most_nombre_and_links_to_all_the_others(client, db):
    builders.make_associations(7, prefix="Club", categories=["football"], area_slug="lyon-7")
    response = client.get(EMBED, {"categorie": "football", "nombre": "3", "tri": "nom"})
    assert names(response) == ["Club 001", "Club 002", "Club 003"]
    more = builders.soup(response).select_one(".more a")
    assert more.get_text(strip=True) == "Voir les 7 associations sur Lyon Assos"
    assert parse_qs(urlsplit(more["href"]).query) == {"categorie": ["football"], "tri": ["nom"]}


def test_embed_follows_the_search_order_and_filters(client, db):
    """Same contract as /associations/: the same rows in the same order."""
    builders.make_associations(
        6, prefix="Club", categories=["football"], area_slug="lyon-7", audiences=["jeunes"]
    )
    builders.make_association("Club adultes", categories=["football"], area_slug="lyon-7")
    params = {"categorie": "sport", "public": "jeunes", "territoire": "lyon"}
    assert names(client.get(EMBED, params)) == builders.result_names(client.get("/associations/", params))
    page = builders.soup(client.get(EMBED, params))
    assert page.select_one(".criteria").get_text(strip=True) == "Public : Jeunes (15-25 ans)"


def test_embed_default_count_and_cap(client, db):
    builders.make_associations(12, prefix="Club", categories=["football"])
    assert len(names(client.get(EMBED, {"categorie": "football"}))) == embed.DEFAULT_COUNT
    response = client.get(EMBED, {"categorie": "football", "nombre": "1000"})
    assert len(names(response)) == 12
    assert any("au plus 50" in notice for notice in notices(response))
    count, notice = embed.read_count("1000")
    assert count == 50
    assert "au plus 50" in notice
    assert embed.read_count("1") == (1, None)
    assert embed.read_count(" 50 ") == (50, None)
    assert embed.read_count("") == (embed.DEFAULT_COUNT, None)


def test_embed_without_matches_says_so(client, pantry):
    response = client.get(EMBED, {"categorie": "football", "territoire": "vaulx-en-velin"})
    assert response.status_code == 200
    assert not names(response)
    assert (
        builders.soup(response)
        .select_one(".empty")
        .get_text(strip=True)
        .startswith("Aucune association ne correspond")
    )


@pytest.mark.parametrize("params", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_never_breaks_the_embed_or_the_builder(client, pantry, params):
    for path in (EMBED, BUILDER):
        response = client.get(path, params)
        assert response.status_code == 200, (path, params)
    page = builders.soup(client.get(EMBED, params))
    assert page.select(".notice li"), params  # each bad value is named as ignored
    assert page.select_one(".notice p").get_text(strip=True) in ("Paramètre ignoré :", "Paramètres ignorés :")
    assert not page.select("script")


def test_unknown_parameters_are_named_a_few_at_a_time(client, pantry):
    said = notices(client.get(EMBED, {"utm_source": "mairie", "categories": "sport"}))
    assert said == ["Paramètre « utm_source » inconnu.", "Paramètre « categories » inconnu."]
    page = builders.soup(client.get(EMBED, {"utm_source": "mairie"}))
    assert page.select_one(".notice p").get_text(strip=True) == "Paramètre ignoré :"
    said = notices(client.get(EMBED, {f"p{n}": "1" for n in range(40)}))
    assert len(said) == embed.MAX_NAMED_UNKNOWN + 1
    assert said[-1] == "Et 35 autres paramètres inconnus."


def test_an_ignored_filter_is_left_out_of_the_heading_and_the_links(client, pantry, others):
    response = client.get(EMBED, {"categorie": "n-existe-pas", "territoire": "vaulx-en-velin"})
    page = builders.soup(response)
    assert page.select_one("h1").get_text(strip=True) == "Les associations à Vaulx-en-Velin"
    assert sorted(names(response)) == ["Foot de Vaulx", "Épicerie solidaire de Vaulx"]
    assert parse_qs(urlsplit(page.select_one(".more a")["href"]).query) == {"territoire": ["vaulx-en-velin"]}
    assert "« n-existe-pas » est inconnu" in " ".join(notices(response))


def test_post_is_refused(client, db):
    assert client.head(EMBED).status_code == 200
    assert client.post(EMBED).status_code == 405
    assert client.post(BUILDER).status_code == 405


# Headers: framing, caching, no cookies ------------------------------------------------------


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    return settings


def test_the_embed_and_only_the_embed_may_be_framed_by_any_site(client, production, pantry):
    response = client.get(EMBED, {"territoire": "vaulx-en-velin"}, secure=True)
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    csp = csp_of(response)
    assert csp["frame-ancestors"] == "*"
    # Stricter than the site otherwise: no script of any origin, our stylesheet only.
    assert csp["default-src"] == "'none'"
    assert "script-src" not in csp
    assert csp["style-src"] == "'self'"
    assert csp["form-action"] == "'none'"
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    for path in (
        "/",
        BUILDER,
        f"{BUILDER}?territoire=vaulx-en-velin",
        "/associations/",
        pantry.get_absolute_url(),
    ):
        other = client.get(path, secure=True)
        assert other.status_code == 200, path
        assert other["X-Frame-Options"] == "DENY", path
        assert csp_of(other)["frame-ancestors"] == "'none'", path


def test_the_embed_sets_no_cookie_and_is_publicly_cacheable(client, production, pantry):
    response = client.get(EMBED, {"territoire": "vaulx-en-velin"}, secure=True)
    assert not response.cookies
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache_control == {"public", f"max-age={embed.CACHE_SECONDS}"}
    assert "cookie" not in response.get("Vary", "").lower()
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_a_logged_in_visitor_gets_the_same_anonymous_embed(client, production, pantry, plain_user):
    client.force_login(plain_user)
    response = client.get(EMBED, {"territoire": "vaulx-en-velin"}, secure=True)
    assert not response.cookies
    assert "habitant" not in response.content.decode()
    assert "cookie" not in response.get("Vary", "").lower()


def test_the_embed_is_rate_limited_by_its_url_name(client, settings, pantry):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = [("directory:embed_list", "GET", "ip", "2/m")]
    cache.clear()
    assert [client.get(EMBED).status_code for _ in range(3)] == [200, 200, 429]


def test_default_rate_limits_cover_the_embed_and_the_builder():
    rules = {(rule[0], rule[2]) for rule in django_settings.RATE_LIMITS}
    assert ("directory:embed_list", "ip") in rules
    assert ("directory:embed_builder", "ip") in rules


# Cache: the listings version ------------------------------------------------------------------


def test_archiving_a_listing_removes_it_from_the_embed_at_once(client, pantry, others, moderator):
    params = {"territoire": "vaulx-en-velin", "tri": "nom"}
    assert names(client.get(EMBED, params)) == ["Épicerie solidaire de Vaulx", "Foot de Vaulx"]
    services.association_set_status(
        association=pantry, status=Association.Status.ARCHIVED, actor=moderator, origin="admin"
    )
    assert names(client.get(EMBED, params)) == ["Foot de Vaulx"]


# Query counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 20])
def test_embed_query_count(client, django_assert_num_queries, n):
    builders.make_associations(n, prefix="Club", categories=["football"], area_slug="lyon-7", fees="free")
    params = {"categorie": "sport", "territoire": "lyon", "gratuit": "1", "nombre": "20"}
    # Filters read the in-memory reference snapshot: no query. No session, no user.
    # 1. the ordered ids of the matches with their total (a window COUNT), cached per search
    # 2. the shown associations by primary key, with the ids of their categories (the rows from
    # the snapshot)   3. their places (with area, parent area and quartier)
    with django_assert_num_queries(3):
        response = client.get(EMBED, params)
    assert len(names(response)) == n
    # Again: the ids come from the cache (listings version), the rows are read fresh.
    # 1. the associations by primary key, with their categories' ids   2. their places
    with django_assert_num_queries(2):
        client.get(EMBED, params)


@pytest.mark.parametrize("n", [1, 20])
def test_builder_query_count(client, django_assert_num_queries, n):
    builders.make_associations(n, prefix="Club", categories=["football"], area_slug="lyon-7")
    # Selects come from the reference snapshot; the preview is a separate request (the iframe).
    # 1. the ordered ids of the matches with their total, for "N associations correspondent"
    with django_assert_num_queries(1):
        response = client.get(BUILDER, {"categorie": "sport", "nombre": "10"})
    assert f"{n} association" in builders.soup(response).select_one(".result-count").get_text()


# Size budget ----------------------------------------------------------------------------------

# Gzip bytes of the HTML of a 10-item list plus its stylesheet (measured: about 2.4 KB).
SIZE_BUDGET = 8 * 1024


def test_a_ten_item_embed_is_light(client, db):
    """Measured on the demo listings (realistic names, descriptions and addresses): about 1.5 KB
    of gzip HTML for 10 associations, plus under 1 KB of stylesheet."""
    demo.create(count=40)
    response = client.get(EMBED, {"nombre": "10"})
    assert len(names(response)) == 10
    html = gzip.compress(response.content, compresslevel=6)
    css = gzip.compress(CSS.read_bytes(), compresslevel=6)
    total = len(html) + len(css)
    print(f"embed size: {len(response.content)} B HTML, gzip {len(html)} + {len(css)} CSS = {total} B")
    assert total < SIZE_BUDGET, f"{len(html)} + {len(css)} gzip bytes"
    # The stylesheet alone stays small and self-contained (no import, font or image).
    assert not re.search(r"@import|url\(|@font-face", CSS.read_text())


def test_queries_do_not_touch_the_session(client, pantry):
    with CaptureQueriesContext(connection) as queries:
        client.get(EMBED, {"territoire": "vaulx-en-velin"})
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]
