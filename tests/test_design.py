"""The look (docs/design.md): the mark and the wordmark, the design tokens of static/css/site.css
and what they promise (contrast, one scale of type and space), links that stay identifiable and
card titles that are not underlined."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from tests import builders

ROOT = Path(settings.BASE_DIR)
CSS = ROOT / "static" / "css"
SVG = "{http://www.w3.org/2000/svg}"


def root_tokens():
    """{name: value} of the custom properties declared in site.css's :root."""
    css = (CSS / "site.css").read_text()
    block = re.search(r":root\s*\{(.*?)\n\}", css, flags=re.S).group(1)
    block = re.sub(r"/\*.*?\*/", "", block, flags=re.S)
    return dict(re.findall(r"(--[\w-]+):\s*([^;]+);", block))


def resolve(tokens, name):
    value = tokens[name].strip()
    while value.startswith("var("):
        value = tokens[value[4:-1].strip()].strip()
    return value


def luminance(hex_colour):
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one, two):
    high, low = sorted([luminance(one), luminance(two)], reverse=True)
    return (high + 0.05) / (low + 0.05)


# The mark and the wordmark -------------------------------------------------------------------


def test_the_mark_and_wordmark_are_referenced_by_every_page_and_served(client, db):
    page = builders.soup(client.get("/"))
    icon = page.find("link", rel="icon")
    assert icon["href"] == "/static/img/mark.svg"
    assert icon["type"] == "image/svg+xml"
    brand = page.select_one("header .site-name")
    assert brand["href"] == "/"
    images = {img["src"]: img for img in brand.find_all("img")}
    assert set(images) == {"/static/img/mark.svg", "/static/img/wordmark.svg"}
    assert images["/static/img/mark.svg"]["alt"] == ""  # decorative: the wordmark names the link
    assert images["/static/img/wordmark.svg"]["alt"] == "Lyon Assos"
    # The same brand on another page (base.html, not the home template).
    other = builders.soup(client.get("/a-propos/"))
    assert other.select_one("header .site-name img")["src"] == "/static/img/mark.svg"
    for path in images:  # served from static/img/ (loaded in Chromium: the browser test below)
        found = finders.find(path.removeprefix(settings.STATIC_URL))
        assert found, path
        assert ET.parse(found).getroot().tag == f"{SVG}svg", path  # noqa: S314 (our own file)


@pytest.mark.parametrize("name", ["mark.svg", "wordmark.svg"])
def test_the_svgs_are_small_hand_drawn_and_self_contained(name):
    path = Path(finders.find(f"img/{name}"))
    text = path.read_text()
    assert len(text.encode()) < 2_000
    svg = ET.fromstring(text)  # noqa: S314 (our own file)
    assert svg.get("viewBox")
    assert svg.get("width")
    assert svg.get("height")
    tags = {element.tag.removeprefix(SVG) for element in svg.iter()}
    # Shapes only: no text in a font the visitor may lack, no script, no image, no link out.
    assert tags <= {"svg", "title", "g", "path", "rect", "circle"}, tags
    assert "href" not in text
    assert "http://www.w3.org/2000/svg" in text
    # Our own identity, not the State's (docs/design.md).
    assert not re.search(r"marianne|république|republique", text, flags=re.I)
    accent = resolve(root_tokens(), "--accent")
    assert accent in text  # drawn in the accent colour of the tokens


# Tokens -----------------------------------------------------------------------------------------


def test_the_tokens_form_one_type_scale_and_one_space_scale():
    tokens = root_tokens()
    steps = [float(tokens[f"--step-{n}"].removesuffix("rem")) for n in ("-1", "0", "1", "2", "3", "4")]
    assert steps == sorted(steps)
    assert len(set(steps)) == len(steps)
    assert steps[0] >= 0.9375  # nothing smaller than 15 px
    spaces = [float(tokens[f"--space-{n}"].removesuffix("rem")) for n in range(1, 8)]
    assert spaces == sorted(spaces)
    assert len(set(spaces)) == len(spaces)
    assert float(tokens["--tap"].removesuffix("rem")) * 16 >= 44


def test_every_token_is_used_and_every_variable_used_is_defined():
    tokens = root_tokens()
    sheets = {path.name: path.read_text() for path in CSS.glob("*.css")}
    site = sheets["site.css"]
    rules = site[site.index("\n}", site.index(":root")) :]  # after the :root block
    for name in tokens:
        if name in ("--primary", "--primary-dark", "--gap"):
            continue  # the names older rules use, kept for them
        assert f"var({name})" in rules, f"{name} is declared but never used"
    used = {name for text in sheets.values() for name in re.findall(r"var\((--[\w-]+)", text)}
    own = {name for text in sheets.values() for name in re.findall(r"(--[\w-]+)\s*:", text)}
    assert used <= set(tokens) | own, used - set(tokens) - own


def test_the_colours_of_the_tokens_keep_wcag_aa_contrast():
    tokens = root_tokens()

    def colour(name):
        return "#ffffff" if name == "white" else resolve(tokens, f"--{name}")

    text_pairs = [  # text: 4.5:1
        ("accent", "white"),
        ("accent", "soft"),
        ("accent", "accent-tint"),
        ("white", "accent"),
        ("white", "accent-dark"),
        ("accent-dark", "accent-tint"),
        ("text", "white"),
        ("text", "soft"),
        ("text", "accent-tint"),
        ("muted", "white"),
        ("muted", "soft"),
        ("muted", "accent-tint"),
        ("warn-text", "warn-bg"),
    ]
    for one, two in text_pairs:
        assert contrast(colour(one), colour(two)) >= 4.5, (one, two)
    for background in ("white", "soft", "accent-tint"):  # non-text: 3:1
        assert contrast(colour("focus"), colour(background)) >= 3, background
    assert contrast(colour("line"), colour("white")) >= 3


def test_site_css_uses_the_tokens_rather_than_new_literal_colours():
    """Colours outside :root are tokens, white or the existing state colours (badges, errors)."""
    css = (CSS / "site.css").read_text()
    rules = css[css.index("\n}", css.index(":root")) :]
    rules = re.sub(r"/\*.*?\*/", "", rules, flags=re.S)
    literals = set(re.findall(r"#[0-9a-fA-F]{3,6}\b", rules))
    tokens = {value.strip().lower() for value in root_tokens().values()}
    assert not literals & tokens, f"use the token instead of {literals & tokens}"


# In the browser: links, card titles, focus ----------------------------------------------------


@pytest.mark.browser
def test_links_stay_underlined_card_titles_do_not_and_the_brand_is_drawn(browser_page):
    page = browser_page
    builders.make_association("Épicerie solidaire du Tonkin", area_slug="villeurbanne")
    page.goto(page.base_url + "/associations/?territoire=villeurbanne")
    title = page.locator(".card__title a").first
    assert title.evaluate("e => getComputedStyle(e).textDecorationLine") == "none"
    title.hover()
    assert title.evaluate("e => getComputedStyle(e).textDecorationLine") == "underline"
    page.goto(page.base_url + "/a-propos/")
    prose = page.locator("main p a[href]").first
    assert prose.evaluate("e => getComputedStyle(e).textDecorationLine") == "underline"
    for name in ("mark", "wordmark"):  # served from static/img/ and drawn
        image = page.locator(f".site-name__{name}")
        image.evaluate("e => e.decode()")
        assert image.evaluate("e => e.complete && e.naturalWidth > 0"), name
    assert page.locator(".site-name").evaluate("e => e.getBoundingClientRect().height") <= 60


@pytest.mark.browser
def test_home_toggles_without_javascript_and_near_me_with_a_position(chromium, live_server, reference_data):
    from directory.models import Association
    from tests.browser import PHONE

    builders.make_association("Épicerie gratuite", fees=Association.Fees.FREE, area_slug="villeurbanne")
    builders.make_association("Cours payant", fees=Association.Fees.PAID, area_slug="lyon-5")

    def names(page):
        return page.locator("#results > li").evaluate_all(
            "items => items.map(li => li.querySelector('a').textContent.trim())"
        )

    # Without JavaScript: the position button stays hidden, the toggles are plain links.
    context = chromium.new_context(viewport=PHONE, locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert not page.locator("#near-me").is_visible()
    page.locator(".quick-toggles").get_by_role("link", name="Gratuit", exact=True).click()
    page.wait_for_url("**/associations/?gratuit=1")
    assert names(page) == ["Épicerie gratuite"]
    context.close()

    # With JavaScript and a position in Lyon 5e: "Autour de ma position" sorts by distance.
    context = chromium.new_context(
        viewport=PHONE,
        locale="fr-FR",
        geolocation={"latitude": 45.7597, "longitude": 4.8262},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.locator("#near-me").click()
    page.wait_for_url("**/associations/?**")
    assert "tri=distance" in page.url
    assert "lat=45.7597" in page.url
    assert names(page) == ["Cours payant", "Épicerie gratuite"]  # Lyon 5e, then Villeurbanne
    context.close()
