"""Light pages, checked on the server side: compression of public pages, nothing that
blocks rendering but our own CSS, sized lazy images, system fonts.

The weights themselves are measured in Chromium: tests/test_page_weight.py.
"""

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests import builders

ROOT = Path(settings.BASE_DIR)
TEMPLATES = ROOT / "templates"
# Templates residents and volunteers see; the admin's are Django's, e-mails have no <img>.
PUBLIC_TEMPLATES = sorted(
    path
    for path in TEMPLATES.rglob("*.html")
    if path.relative_to(TEMPLATES).parts[0] not in ("admin", "emails")
)
# Print pages load their one image at once (a lazy image may miss the print): sized, not lazy.
PRINT_TEMPLATES = TEMPLATES / "print"


@pytest.fixture
def rich(db):
    builders.make_sample_listings(24)
    return builders.make_rich_listing()


def public_pages(listing):
    return {
        "home": "/",
        "results": "/associations/?territoire=lyon",
        "listing": listing.get_absolute_url(),
        "category": reverse("directory:category", args=["alimentation"]),
        "area": reverse("directory:area", args=["lyon-7"]),
        "about": reverse("directory:about"),
        "guides": reverse("directory:guides"),
        "report": reverse("directory:report", args=[listing.slug]),
        "login": reverse("accounts:login"),
        "signup": reverse("accounts:signup"),
    }


# Compression -------------------------------------------------------------------------------


def test_public_pages_are_gzipped_for_visitors_without_a_session(client, rich):
    response = client.get(rich.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert rich.name in html
    assert len(response.content) < len(html.encode()) / 3


def test_no_compression_without_accept_encoding(client, rich):
    response = client.get(rich.get_absolute_url())
    assert not response.has_header("Content-Encoding")
    assert rich.name in response.content.decode()


def test_pages_of_a_session_are_never_compressed(client, rich):
    """BREACH: a signed-in volunteer's pages (e-mail address, form tokens) stay uncompressed."""
    user = builders.make_manager(rich, "benevole")
    client.force_login(user)
    for url in (
        rich.get_absolute_url(),
        reverse("directory:dashboard"),
        reverse("directory:manage", args=[rich.slug]),
    ):
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200, url
        assert not response.has_header("Content-Encoding"), url


def test_streamed_exports_are_gzipped_too(client, rich):
    response = client.get(reverse("directory:opendata_csv"), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    text = gzip.decompress(b"".join(response.streaming_content)).decode("utf-8-sig")
    assert rich.name in text


# Render-blocking requests ------------------------------------------------------------------


def assert_nothing_blocks_but_our_css(page, where, *, stylesheets=("css/site.css",)):
    """Every script deferred (or async, or a module, or a data block); the only stylesheets that
    apply to the screen are ours (site.css; editor.css in the association space); nothing from
    another host; no inline style."""
    static = settings.STATIC_URL
    for script in page.find_all("script"):
        kind = script.get("type", "")
        if kind in ("application/json", "application/ld+json"):
            assert not script.get("src"), where
            continue
        assert script.get("src"), f"{where}: inline script {script}"
        assert script.has_attr("defer") or script.has_attr("async") or kind == "module", f"{where}: {script}"
        assert script["src"].startswith(static), f"{where}: {script['src']}"
    blocking = []
    for link in page.find_all("link", rel=True):
        rels = set(link["rel"])
        if rels & {"stylesheet", "preload", "modulepreload", "preconnect", "dns-prefetch"}:
            assert link["href"].startswith(static), f"{where}: {link}"
        if "stylesheet" in rels and link.get("media", "all") not in ("print",):
            blocking.append(link["href"])
    assert blocking == [static + sheet for sheet in stylesheets], where
    assert not page.find("style"), f"{where}: inline <style>"


def test_only_site_css_blocks_rendering(client, rich):
    for name, url in public_pages(rich).items():
        response = client.get(url)
        assert response.status_code == 200, name
        space = ("css/site.css", "css/editor.css")  # the association space adds its own sheet
        sheets = space if name in ("login", "signup") else ("css/site.css",)
        assert_nothing_blocks_but_our_css(builders.soup(response), name, stylesheets=sheets)


def test_stylesheets_import_nothing_and_load_no_font():
    """Fonts from the system: no @font-face, no @import, no url() to another host, in our CSS and
    in Leaflet's (loaded on demand)."""
    import xstatic.pkg.leaflet

    sheets = [*(ROOT / "static" / "css").glob("*.css"), Path(xstatic.pkg.leaflet.BASE_DIR) / "leaflet.css"]
    assert len(sheets) >= 4
    for sheet in sheets:
        text = sheet.read_text()
        assert "@font-face" not in text, sheet
        assert "@import" not in text, sheet
        for target in re.findall(r"url\(\s*['\"]?([^'\")]+)", text):
            assert not re.match(r"(https?:)?//", target), f"{sheet}: {target}"


def test_site_css_uses_the_system_font_stack():
    css = (ROOT / "static" / "css" / "site.css").read_text()
    root = re.search(r"(?m)^html\s*\{([^}]*)\}", css).group(1)
    family = re.search(r"font-family:\s*([^;]+);", root).group(1)
    assert family.split(",")[0].strip() == "system-ui"
    assert family.rstrip().endswith("sans-serif")
    # Every other font named is the same system stack (the standalone embed page has its own
    # sheet) or the system's monospace (the snippet to copy); elements otherwise inherit.
    others = {
        family.strip()
        for sheet in (ROOT / "static" / "css").glob("*.css")
        for family in re.findall(r"font-family:([^;]+)", sheet.read_text())
    } - {family.strip()}
    assert all(other.endswith("monospace") and other.startswith("ui-monospace") for other in others), others


# Images --------------------------------------------------------------------------------------


def test_every_image_of_the_public_pages_is_sized_lazy_and_async(client, rich):
    seen = 0
    for name, url in public_pages(rich).items():
        for img in builders.soup(client.get(url)).find_all("img"):
            seen += 1
            assert img.get("width", "").isdigit(), f"{name}: {img}"
            assert img.get("height", "").isdigit(), f"{name}: {img}"
            assert int(img["height"]) > 0, f"{name}: {img}"
            assert img.get("loading") == "lazy", f"{name}: {img}"
            assert img.get("decoding") == "async", f"{name}: {img}"
            assert img.has_attr("alt"), f"{name}: {img}"
    assert seen >= 7  # logo, 3 photos, 2 news images, QR code: the rule was really applied


def test_every_img_tag_of_the_templates_is_sized_lazy_and_async():
    """The same rule over every template, including pages the test above does not open."""
    assert PUBLIC_TEMPLATES
    found = 0
    for path in PUBLIC_TEMPLATES:
        for tag in re.findall(r"<img\b.*?>", path.read_text(), flags=re.S):
            found += 1
            where = f"{path.relative_to(ROOT)}: {' '.join(tag.split())}"
            assert re.search(r"\swidth=", tag), where
            assert re.search(r"\sheight=", tag), where
            assert 'decoding="async"' in tag, where
            if PRINT_TEMPLATES in path.parents:
                assert "loading=" not in tag, where
            else:
                assert 'loading="lazy"' in tag, where
    assert found >= 6
