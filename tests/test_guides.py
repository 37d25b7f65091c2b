"""Guides: the shipped guides, Markdown sanitising, visibility, admin, queries."""

from itertools import pairwise

import pytest
from django.urls import reverse

from directory.guides.services import read_first_guides, render_markdown
from directory.models import Guide
from tests import builders

pytestmark = pytest.mark.django_db

FIRST_SLUGS = [
    "fiche-lyon-assos-comme-site-web",
    "creer-un-site-web-gratuit",
    "liste-de-diffusion-lettre-information",
    "etre-trouve-en-ligne",
    "proteger-les-donnees-rgpd",
]


def fragment(html):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


# The five shipped guides ------------------------------------------------------------------


def test_the_five_first_guides_exist_after_migrations_in_order():
    guides = list(Guide.objects.published())
    assert [guide.slug for guide in guides] == FIRST_SLUGS
    for guide in guides:
        assert len(guide.summary) <= 240
        assert guide.body_html == render_markdown(guide.body)
        words = len(fragment(guide.body_html).get_text(" ").split())
        assert 400 <= words <= 900, (guide.slug, words)


@pytest.mark.parametrize("slug", FIRST_SLUGS)
def test_each_first_guide_renders_with_its_headings_in_order(client, slug):
    guide = Guide.objects.get(slug=slug)
    response = client.get(f"/guides/{slug}/")
    assert response.status_code == 200
    page = builders.soup(response)
    assert [h1.get_text(strip=True) for h1 in page.find_all("h1")] == [guide.title]
    assert page.find("meta", attrs={"name": "description"})["content"] == guide.summary
    article = page.find("article")
    levels = [int(h.name[1]) for h in article.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    assert levels[0] == 1
    assert levels.count(1) == 1
    assert levels[1] == 2
    assert len(levels) >= 5
    # No level is skipped going down (h2 → h4 would break the outline).
    assert all(b - a <= 1 for a, b in pairwise(levels))
    assert article.find("ul") is not None or article.find("ol") is not None
    assert article.find("a", href="/guides/") is not None  # the way back


def test_first_guides_migration_is_idempotent():
    from django.apps import apps

    from directory.guides.services import load_first_guides

    Guide.objects.filter(slug=FIRST_SLUGS[0]).update(title="Ancien titre", body_html="")
    load_first_guides(apps.get_model("directory", "Guide"))
    assert Guide.objects.filter(slug__in=FIRST_SLUGS).count() == 5
    guide = Guide.objects.get(slug=FIRST_SLUGS[0])
    assert guide.title == read_first_guides()[0]["title"]
    assert guide.body_html


# Sanitising -----------------------------------------------------------------------------------

HOSTILE = """
## Titre

<script>alert("x")</script>
<img src="x" onerror="alert(1)">
<iframe src="https://evil.example/"></iframe>
<p style="color: red" onclick="alert(2)">Texte stylé</p>
<style>body { display: none }</style>
[piège](javascript:alert(3)) et <a href="JaVaScRiPt:alert(4)">autre piège</a>
<a href="data:text/html,hi">données</a>
![photo](https://tracker.example/pixel.png)
"""


def test_hostile_markup_is_stripped():
    html = render_markdown(HOSTILE)
    lowered = html.lower()
    for needle in ["<script", "alert", "<img", "onerror", "<iframe", "evil.example", "style", "onclick",
                   "javascript:", "data:", "tracker.example", "display: none"]:  # fmt: skip
        assert needle not in lowered, (needle, html)
    tree = fragment(html)
    assert tree.find("p", string="Texte stylé").attrs == {}
    # The dangerous links lose their href but keep their words.
    assert [a.get("href") for a in tree.find_all("a")] == [None, None, None]
    assert "piège" in tree.get_text()


def test_allowed_markdown_survives_and_links_get_rel():
    html = render_markdown(
        "# Grand titre\n\n## Partie\n\n### Sous-partie\n\n##### Trop profond\n\n"
        "Du **gras**, de l'*italique* et du `code`.\n\n"
        "- un\n- deux\n\n1. premier\n2. second\n\n> Une citation\n\n"
        "```\nbloc de code\n```\n\n"
        "| A | B |\n| --- | :-: |\n| 1 | 2 |\n\n"
        "[CNIL](https://www.cnil.fr/) [écrire](mailto:contact@example.org) [fiche](/a-propos/) "
        "[http](http://example.org/)\n"
    )
    tree = fragment(html)
    assert [h.name for h in tree.find_all(["h1", "h2", "h3", "h4", "h5"])] == ["h2", "h2", "h3", "h4"]
    for tag in ["strong", "em", "code", "ul", "ol", "blockquote", "pre", "table", "th", "td"]:
        assert tree.find(tag) is not None, tag
    assert tree.find("td").attrs == {}  # Markdown's style="text-align" is dropped (CSP)
    links = {a["href"]: a.get("rel") for a in tree.find_all("a")}
    assert links == {
        "https://www.cnil.fr/": ["noopener"],
        "mailto:contact@example.org": ["noopener"],
        "/a-propos/": ["noopener"],
        "http://example.org/": ["noopener"],
    }


def test_the_service_stores_the_sanitised_html_and_the_page_shows_it(client):
    guide = builders.make_guide("Piège", body="## Partie\n\n<script>alert(1)</script>Bonjour")
    guide.refresh_from_db()
    assert "<script" not in guide.body_html
    assert "Bonjour" in guide.body_html
    response = client.get(guide.get_absolute_url())
    assert b"alert(1)" not in response.content
    assert builders.soup(response).find("article").find("h2").get_text() == "Partie"


def test_title_and_summary_are_escaped(client):
    guide = builders.make_guide("<b>Gras</b>", slug="gras", summary="<script>alert(1)</script>")
    response = client.get(guide.get_absolute_url())
    assert b"<b>Gras</b>" not in response.content
    assert b"<script>alert(1)" not in response.content


# Visibility -----------------------------------------------------------------------------------


def test_unpublished_guide_is_404_for_residents_and_plain_users(client, plain_user):
    guide = builders.make_guide("Brouillon", published=False)
    assert client.get(guide.get_absolute_url()).status_code == 404
    client.force_login(plain_user)
    assert client.get(guide.get_absolute_url()).status_code == 404


def test_unpublished_guide_is_a_preview_for_staff(moderator_client):
    guide = builders.make_guide("Brouillon", published=False)
    response = moderator_client.get(guide.get_absolute_url())
    assert response.status_code == 200
    page = builders.soup(response)
    assert page.find("h1").get_text(strip=True) == "Brouillon"
    assert "Aperçu" in page.find(role="status").get_text()


def test_unknown_guide_is_404(client):
    assert client.get("/guides/nulle-part/").status_code == 404


def test_list_shows_only_published_guides_in_position_order(client):
    Guide.objects.all().delete()
    builders.make_guide("Troisième", position=30)
    builders.make_guide("Premier", position=10, summary="Le tout premier.")
    builders.make_guide("Caché", position=5, published=False)
    builders.make_guide("Deuxième", position=20)
    page = builders.soup(client.get("/guides/"))
    items = page.select("#guides > li")
    assert [li.find("a").get_text(strip=True) for li in items] == ["Premier", "Deuxième", "Troisième"]
    assert items[0].find("a")["href"] == "/guides/premier/"
    assert items[0].find("p").get_text(strip=True) == "Le tout premier."


def test_footer_and_about_page_link_to_the_guides(client):
    page = builders.soup(client.get("/a-propos/"))
    assert page.select_one('footer a[href="/guides/"]') is not None
    assert page.select_one('main a[href="/guides/"]') is not None


# Admin ----------------------------------------------------------------------------------------


def test_admin_changelist_and_add_page_open(admin_client):
    assert admin_client.get(reverse("admin:directory_guide_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:directory_guide_changelist"), {"q": "RGPD"}).status_code == 200
    response = admin_client.get(reverse("admin:directory_guide_add"))
    assert response.status_code == 200
    assert builders.soup(response).find("textarea", attrs={"name": "body"}) is not None
    assert builders.soup(response).find(attrs={"name": "body_html"}) is None


def test_admin_add_renders_and_sanitises_the_body(admin_client):
    response = admin_client.post(
        reverse("admin:directory_guide_add"),
        {
            "title": "Nouveau",
            "slug": "nouveau",
            "summary": "Un résumé.",
            "body": "## Partie\n\n[lien](https://example.org/) <script>alert(1)</script>",
            "position": "60",
            "published": "on",
        },
    )
    assert response.status_code == 302
    guide = Guide.objects.get(slug="nouveau")
    assert (
        guide.body_html == '<h2>Partie</h2>\n<p><a href="https://example.org/" rel="noopener">lien</a> </p>'
    )


# Query counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [0, 20])
def test_list_page_query_count(client, django_assert_num_queries, extra):
    for n in range(extra):
        builders.make_guide(f"Guide en plus {n}")
    # 1. the published guides (title, slug, summary), in position order
    with django_assert_num_queries(1):
        response = client.get("/guides/")
    assert len(builders.soup(response).select("#guides > li")) == 5 + extra


def test_detail_page_query_count(client, django_assert_num_queries):
    # 1. the published guide by slug
    with django_assert_num_queries(1):
        assert client.get(f"/guides/{FIRST_SLUGS[0]}/").status_code == 200
