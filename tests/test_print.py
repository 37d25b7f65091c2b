"""Printed pages: the A4 poster of a listing with its QR code, the printable list, print.css."""

from pathlib import Path

import pytest
from lxml import etree

from directory.listings import printing
from directory.models import Association
from tests import builders

pytestmark = pytest.mark.django_db

SITE = "https://lyonassos.example"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def listing(db):
    return builders.make_association(
        "Épicerie solidaire des Pentes",
        categories=["epicerie-solidaire"],
        area_slug="lyon-1",
        phone="04 78 00 00 00",
        fees="free",
        reception="walk_in",
    )


# Poster ---------------------------------------------------------------------------------------


def test_poster_shows_name_need_address_hours_phone_and_qr(client, listing):
    response = client.get("/associations/epicerie-solidaire-des-pentes/affiche/")
    assert response.status_code == 200
    page = builders.soup(response)
    poster = page.select_one("article.poster")
    assert poster.select_one("h1").get_text(strip=True) == "Épicerie solidaire des Pentes"
    assert poster.select_one(".poster__need").get_text(strip=True) == "Épicerie solidaire"
    text = " ".join(poster.get_text(" ").split())
    assert "10 rue de la République" in text
    assert "69001 Lyon 1er" in text
    assert "lun.–ven. 9 h–12 h, 14 h–18 h" in text
    assert "04 78 00 00 00" in text
    assert f"{SITE}/associations/epicerie-solidaire-des-pentes/" in text
    qr = poster.select_one(".poster__qr img")
    assert qr["src"] == "/associations/epicerie-solidaire-des-pentes/qr.svg"
    assert qr["alt"]
    # The poster's layout comes from print.css; no inline style anywhere.
    assert any(link["href"].endswith("css/print.css") for link in page.select("head link[rel=stylesheet]"))
    assert not page.select("[style]")
    assert not page.select("style")
    assert page.select_one("meta[name=robots]")["content"] == "noindex"


def test_listing_page_links_to_its_poster(client, listing):
    page = builders.soup(client.get(listing.get_absolute_url()))
    assert "/associations/epicerie-solidaire-des-pentes/affiche/" in {
        a["href"] for a in page.select("a[href]")
    }


def test_poster_and_qr_of_an_unpublished_listing_are_404(client, db):
    hidden = builders.make_association("Cachée", status=Association.Status.PENDING)
    assert client.get(f"/associations/{hidden.slug}/affiche/").status_code == 404
    assert client.get(f"/associations/{hidden.slug}/qr.svg").status_code == 404
    assert client.get("/associations/inconnue/affiche/").status_code == 404


def test_qr_svg_encodes_the_listing_url(client, listing, monkeypatch):
    encoded = []
    real = printing.qrcode.make

    def spy(data, **kwargs):
        encoded.append(data)
        return real(data, **kwargs)

    monkeypatch.setattr(printing.qrcode, "make", spy)
    response = client.get("/associations/epicerie-solidaire-des-pentes/qr.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert encoded == [f"{SITE}/associations/epicerie-solidaire-des-pentes/"]
    svg = etree.fromstring(response.content)
    assert svg.tag == f"{SVG}svg"
    assert svg.findall(f".//{SVG}path")
    # CSP: no style attribute or element in the image.
    assert not [el for el in svg.iter() if "style" in el.attrib or el.tag == f"{SVG}style"]


def test_qr_differs_with_the_url():
    assert printing.qr_svg("https://a.example/x/") != printing.qr_svg("https://a.example/y/")


# Printable list -----------------------------------------------------------------------------


def test_printable_list_of_an_area_groups_by_need(client, db):
    builders.make_association(
        "Épicerie A", categories=["epicerie-solidaire"], area_slug="lyon-3", phone="04 00"
    )
    builders.make_association("Foot B", categories=["football"], area_slug="lyon-3")
    builders.make_association("Mixte C", categories=["football", "repas-solidaires"], area_slug="lyon-3")
    builders.make_association("Ailleurs", categories=["football"], area_slug="villeurbanne")
    builders.make_association("Brouillon", categories=["football"], area_slug="lyon-3", status="draft")

    response = client.get("/imprimer/", {"territoire": "lyon-3"})
    assert response.status_code == 200
    page = builders.soup(response)
    assert page.find("h1").get_text(strip=True) == "Les associations à Lyon 3e"
    groups = {
        section.find("h2").get_text(strip=True): [
            r.select_one("th").contents[0].strip() for r in section.select("tbody tr")
        ]
        for section in page.select("section.print-group")
    }
    assert groups == {"Alimentation": ["Épicerie A", "Mixte C"], "Sport": ["Foot B", "Mixte C"]}
    first = page.select_one("section.print-group tbody tr")
    cells = [td.get_text(" ", strip=True) for td in first.select("td")]
    assert cells[0] == "10 rue de la République, 69003 Lyon 3e"
    assert cells[1] == "lun.–ven. 9 h–12 h, 14 h–18 h"
    assert cells[2] == "04 00"
    assert page.select_one("meta[name=robots]")["content"] == "noindex"


def test_printable_list_for_an_area_and_a_need(client, db):
    builders.make_association("Foot B", categories=["football"], area_slug="lyon-3")
    builders.make_association("Épicerie A", categories=["epicerie-solidaire"], area_slug="lyon-3")
    page = builders.soup(client.get("/imprimer/", {"territoire": "lyon-3", "categorie": "sport"}))
    assert page.find("h1").get_text(strip=True) == "Sport à Lyon 3e"
    assert [s.find("h2").get_text(strip=True) for s in page.select("section.print-group")] == ["Football"]


def test_printable_list_without_a_choice_shows_the_form_only(client, db):
    builders.make_association("Foot B", categories=["football"])
    page = builders.soup(client.get("/imprimer/", {"territoire": "nulle-part"}))
    assert not page.select("section.print-group")
    assert page.select_one("form.print-form select[name=territoire]")
    assert "nulle-part" in builders.visible_text(client.get("/imprimer/", {"territoire": "nulle-part"}))


def test_printable_list_queries_do_not_grow(client, django_assert_num_queries):
    builders.make_associations(3, categories=["football"], area_slug="lyon-3")
    # 1. the associations   2. their categories   3. their places
    with django_assert_num_queries(3):
        client.get("/imprimer/", {"territoire": "lyon-3"})
    builders.make_associations(30, prefix="Autre", categories=["football"], area_slug="lyon-3")
    with django_assert_num_queries(3):
        response = client.get("/imprimer/", {"territoire": "lyon-3"})
    assert len(builders.soup(response).select("section.print-group tbody tr")) == 33


def test_area_and_category_pages_link_to_their_printable_list(client, db):
    area_links = {a["href"] for a in builders.soup(client.get("/territoires/lyon-3/")).select("a[href]")}
    assert "/imprimer/?territoire=lyon-3" in area_links
    category_links = {a["href"] for a in builders.soup(client.get("/categories/sport/")).select("a[href]")}
    assert "/imprimer/?categorie=sport" in category_links


# Print stylesheet ---------------------------------------------------------------------------


def test_every_page_links_the_print_stylesheet(client, db):
    page = builders.soup(client.get("/"))
    [link] = [link for link in page.select("head link[rel=stylesheet]") if link["href"].endswith("print.css")]
    assert link["media"] == "print"


def test_print_stylesheet_hides_navigation_and_sets_a4():
    css = (Path(__file__).resolve().parent.parent / "static" / "css" / "print.css").read_text()
    assert "size: A4" in css
    for selector in [".site-header nav", ".filters", ".pagination", ".site-footer"]:
        assert selector in css
    assert "break-inside: avoid" in css
    assert 'content: " (" attr(href) ")"' in css
