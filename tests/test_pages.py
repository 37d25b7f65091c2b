"""Public pages: home, listing, landing pages, footer pages, 404, and escaping of what users write."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from directory.listings import services
from directory.models import Association
from tests import builders

XSS = "<script>alert(1)</script>"


def hrefs(page):
    return [a["href"] for a in page.find_all("a", href=True)]


# Home ------------------------------------------------------------------------------------


def test_home_shows_the_search_form_and_the_needs_with_counts(client, db):
    builders.make_association("Épicerie", categories=["epicerie-solidaire"])
    builders.make_association("Colis", categories=["distribution-alimentaire", "alimentation"])
    builders.make_association("Foot", categories=["football"])
    builders.make_association("Brouillon", categories=["football"], status=Association.Status.DRAFT)
    response = client.get("/")
    assert response.status_code == 200
    page = builders.soup(response)

    form = page.find("form", attrs={"role": "search", "action": "/associations/"})
    assert form is not None
    assert form.find("input", attrs={"name": "q"}) is not None
    assert form.find(attrs={"name": "territoire"}) is not None

    tiles = {a["href"]: " ".join(a.get_text(" ").split()) for a in page.select('a[href^="/categories/"]')}
    assert len(tiles) == 16
    assert tiles["/categories/alimentation/"] == "Alimentation 2 associations"
    assert tiles["/categories/sport/"] == "Sport 1 association"
    assert re.fullmatch(r"Handicap 0 associations?", tiles["/categories/handicap/"])
    assert "3 associations de la Métropole de Lyon" in builders.visible_text(response)


def test_home_has_a_compact_near_you_block_instead_of_a_wall_of_communes(client, db):
    page = builders.soup(client.get("/"))
    area_links = [a["href"] for a in page.select('main a[href^="/territoires/"]')]
    assert 0 < len(area_links) <= 12, area_links
    block = page.select_one("section.nearby")
    assert block.h2.get_text(strip=True) == "Près de chez vous"
    # Lyon and the most populous communes, largest first, then the page of every commune.
    links = [a["href"] for a in block.select("a[href^='/territoires/']")]
    assert links[:4] == [
        "/territoires/lyon/",
        "/territoires/villeurbanne/",
        "/territoires/venissieux/",
        "/territoires/vaulx-en-velin/",
    ]
    assert links[-1] == "/territoires/"
    assert len(links) == len(set(links)) == 9
    # "Autour de ma position": shown by static/js/near-me.js, which submits its form sorted by distance.
    button = block.select_one("button#near-me")
    assert button.has_attr("hidden")
    assert button["type"] == "button"
    form = button.find_parent("form")
    assert form["action"] == "/associations/"
    assert form.get("method") == "get"
    assert form.select_one('input[type="hidden"][name="tri"]')["value"] == "distance"
    assert page.find("script", src=re.compile(r"js/near-me\.js$")) is not None
    # Every area stays in the search form's "Où ?": the grouped picker of the results page.
    assert_grouped_place_picker(page)


def assert_grouped_place_picker(page):
    """The search form's "Où ?" is the results page's place picker: communes, arrondissements,
    then the quartiers of each, every place once, searchable with static/js/place-filter.js."""
    select = page.select_one('form[role="search"] select#search-territoire[name="territoire"]')
    assert select is not None
    assert page.select_one('label[for="search-territoire"]').get_text(strip=True) == "Où ?"
    assert select.has_attr("data-place-filter")
    assert page.find("script", src=re.compile(r"js/place-filter\.js$")) is not None
    options = [o["value"] for o in select.select("option")]
    assert options[0] == ""
    assert len(options) == len(set(options)) > 150  # no duplicates ("Saint-Jean" twice before)
    groups = [g["label"] for g in select.select("optgroup")]
    assert groups[:3] == ["Communes", "Arrondissements de Lyon", "Quartiers de Lyon 1er"]
    labels = {o["value"]: o.get_text() for o in select.select("option")}
    assert labels["lyon"] == "Lyon (toute la ville)"
    assert labels["lyon-3"] == "Lyon 3e"
    grange = [label for label in labels.values() if label.startswith("Grange Blanche")]
    assert grange == ["Grange Blanche, Lyon 3e", "Grange Blanche, Lyon 8e"]


def test_every_commune_and_arrondissement_is_listed_one_link_from_home(client, db):
    response = client.get("/territoires/")
    assert response.status_code == 200
    page = builders.soup(response)
    assert page.h1.get_text(strip=True) == "Les communes de la Métropole de Lyon"
    links = [a["href"] for a in page.select('main a[href^="/territoires/"]')]
    areas = [link for link in links if link != "/territoires/"]  # the breadcrumb's own link
    assert {f"/territoires/lyon-{n}/" for n in range(1, 10)} <= set(areas)
    assert {"/territoires/lyon/", "/territoires/villeurbanne/", "/territoires/vaulx-en-velin/"} <= set(areas)
    assert len(areas) == len(set(areas)) == 1 + 9 + 57  # Lyon, its arrondissements, the other communes
    english = builders.soup(client.get("/en/territoires/"))
    assert english.h1.get_text(strip=True) == "The communes of the Lyon Metropolitan Area"


@time_machine.travel(datetime(2026, 12, 8, 10, 0, tzinfo=ZoneInfo("Europe/Paris")), tick=False)  # a Tuesday
def test_home_quick_toggles_lead_to_filtered_results_without_javascript(client, db):
    builders.make_association(
        "Épicerie ouverte sans rendez-vous",
        fees=Association.Fees.FREE,
        reception=Association.Reception.WALK_IN,
    )  # Monday to Friday, 9–12 and 14–18: open now
    builders.make_association(
        "Cours du dimanche sur rendez-vous",
        fees=Association.Fees.PAID,
        reception=Association.Reception.APPOINTMENT,
        hours={"6": [["10:00", "12:00"]]},
    )
    page = builders.soup(client.get("/"))
    toggles = {a.get_text(strip=True): a["href"] for a in page.select(".quick-toggles a")}
    assert toggles == {
        "Ouvert maintenant": "/associations/?ouvert=maintenant",
        "Gratuit": "/associations/?gratuit=1",
        "Sans rendez-vous": "/associations/?sans_rdv=1",
    }
    assert len(builders.result_names(client.get("/associations/"))) == 2
    for label, href in toggles.items():
        response = client.get(href)
        assert response.status_code == 200, label
        assert builders.result_names(response) == ["Épicerie ouverte sans rendez-vous"], label


# Listing page ----------------------------------------------------------------------------


@pytest.fixture
def listing(db, moderator):
    association = builders.make_association(
        "Épicerie solidaire des Pentes",
        categories=["epicerie-solidaire"],
        area_slug="lyon-1",
        quartier_slug="terreaux",
        short_description="Des courses à petit prix pour les familles.",
        description="Sur orientation d'un travailleur social.",
        phone="04 78 12 34 56",
        email="contact@pentes.example",
        website="https://pentes.example/",
        languages=["ar", "en"],
        audiences=["familles"],
        fees=Association.Fees.FREE,
        reception=Association.Reception.WALK_IN,
        wheelchair="yes",
        last_verified_at=date(2026, 1, 15),
    )
    place = association.places.get()
    place.hours_note = "Fermé en août"
    place.save()
    return association


def test_listing_shows_every_section(client, listing):
    response = client.get(listing.get_absolute_url())
    assert response.status_code == 200
    page = builders.soup(response)
    text = builders.visible_text(response)

    assert page.find("h1").get_text(strip=True) == "Épicerie solidaire des Pentes"
    assert "Épicerie solidaire des Pentes" in page.title.get_text()
    assert "Des courses à petit prix pour les familles." in text
    assert "Sur orientation d'un travailleur social." in text
    # Place and hours.
    assert "10 rue de la République" in text
    assert "69001" in text
    rows = page.select("main table tr")
    assert len(rows) == 7
    week = [" ".join(row.get_text(" ").split()) for row in rows]
    assert week[0].lower().startswith("lundi")
    assert re.sub(r"\s*,", ",", week[0]).endswith("9 h – 12 h, 14 h – 18 h")
    assert week[6].lower().startswith("dimanche")
    assert week[6].endswith("Fermé")
    assert "Fermé en août" in text
    # Contact.
    tel = page.select_one('a[href^="tel:"]')
    assert tel is not None
    assert re.sub(r"\D", "", tel["href"]).endswith("478123456")
    assert page.select_one('a[href="mailto:contact@pentes.example"]') is not None
    assert page.select_one('a[href="https://pentes.example/"]') is not None
    # Conditions.
    assert "arabe" in text.lower()
    assert "anglais" in text.lower()
    assert "Gratuit" in text
    assert "Sans rendez-vous" in text
    # Category link and freshness.
    assert "/categories/epicerie-solidaire/" in hrefs(page)
    assert "Informations vérifiées le" in text
    assert re.search(r"15 janvier 2026|15/01/2026", text)


def test_listing_without_optional_fields_still_renders(client, db):
    bare = builders.make_association("Simple", hours={})
    response = client.get(bare.get_absolute_url())
    assert response.status_code == 200
    page = builders.soup(response)
    assert page.select_one('a[href^="tel:"]') is None
    mailto = [a["href"] for a in page.select('a[href^="mailto:"]')]
    # The share block's link has no recipient (mailto:?subject=…); no contact address is shown.
    assert [
        href for href in mailto if "lyonassos.example" not in href and not href.startswith("mailto:?")
    ] == []
    text = builders.visible_text(response)
    assert "Informations vérifiées le" not in text
    assert "Horaires non précisés" in text


def test_listing_shows_a_category_the_reference_snapshot_does_not_hold_yet(client, db):
    """The page maps category ids through the in-memory snapshot; a row added without a signal
    (bulk_create) is read from the database instead of being dropped."""
    from directory.models import Category

    [new] = Category.objects.bulk_create([Category(slug="jeux-de-societe", name="Jeux de société")])
    listing = builders.make_association("Ludothèque", categories=["football"])
    listing.categories.add(new)
    response = client.get(listing.get_absolute_url())
    names = [a.get_text() for a in builders.soup(response).select(".tags a")]
    assert names == list(listing.categories.values_list("name", flat=True))
    assert "Jeux de société" in names


@pytest.mark.parametrize("status", ["draft", "pending", "rejected", "archived"])
def test_unpublished_listing_is_404_for_anonymous_and_plain_users(client, plain_user, db, status):
    hidden = builders.make_association("Fiche cachée", status=status)
    response = client.get(hidden.get_absolute_url())
    assert response.status_code == 404
    assert "Fiche cachée" not in response.content.decode()
    client.force_login(plain_user)
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_moderator_previews_an_unpublished_listing_with_a_notice(moderator_client, client, db):
    hidden = builders.make_association("Fiche en attente", status=Association.Status.PENDING)
    published = builders.make_association("Fiche publiée")
    response = moderator_client.get(hidden.get_absolute_url())
    assert response.status_code == 200
    assert builders.soup(response).find("h1").get_text(strip=True) == "Fiche en attente"
    notice = re.compile(r"aperçu|n'est pas (encore )?publi(ée|que)|non publiée", re.IGNORECASE)
    assert notice.search(builders.visible_text(response))
    assert not notice.search(builders.visible_text(moderator_client.get(published.get_absolute_url())))


def test_old_slug_answers_301_to_the_new_one(client, listing, moderator):
    old = listing.get_absolute_url()
    services.association_change_slug(
        association=listing, new_slug="epicerie-des-pentes", actor=moderator, origin="moderator"
    )
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == "/associations/epicerie-des-pentes/"
    assert client.get(response["Location"]).status_code == 200


def test_old_slug_of_an_unpublished_listing_reveals_nothing(moderator_client, db):
    client = Client()  # anonymous; moderator_client is pytest-django's `client`, logged in
    archived = builders.make_association("Ancien club", status=Association.Status.ARCHIVED)
    services.association_change_slug(association=archived, new_slug="club-ferme", actor=None, origin="system")
    # Anonymous: the same 404 as an unknown slug, not a redirect to the listing's new address.
    assert client.get("/associations/ancien-club/").status_code == 404
    # Someone who may see the listing is still sent to its new address.
    response = moderator_client.get("/associations/ancien-club/")
    assert response.status_code == 301
    assert response["Location"] == "/associations/club-ferme/"


def test_unknown_listing_is_404(client, db):
    assert client.get("/associations/nulle-part/").status_code == 404


# Landing pages ---------------------------------------------------------------------------


def test_category_page_lists_sub_needs_and_members(client, db):
    builders.make_association("Épicerie", categories=["epicerie-solidaire"])
    builders.make_association("Repas", categories=["repas-solidaires"])
    builders.make_association("Foot", categories=["football"])
    response = client.get("/categories/alimentation/")
    assert response.status_code == 200
    page = builders.soup(response)
    assert page.find("h1").get_text(strip=True) == "Alimentation"
    links = hrefs(page)
    for sub in ["distribution-alimentaire", "epicerie-solidaire", "repas-solidaires", "jardins-partages"]:
        assert f"/categories/{sub}/" in links
    assert builders.result_names(response) == ["Épicerie", "Repas"]


def test_sub_category_page_links_to_its_parent(client, db):
    builders.make_association("Épicerie", categories=["epicerie-solidaire"])
    response = client.get("/categories/epicerie-solidaire/")
    assert "/categories/alimentation/" in hrefs(builders.soup(response))
    assert builders.result_names(response) == ["Épicerie"]


def test_category_page_paginates(client, db):
    builders.make_associations(25, prefix="Colis", categories=["distribution-alimentaire"])
    assert len(builders.result_names(client.get("/categories/alimentation/"))) == 20
    assert builders.result_names(client.get("/categories/alimentation/", {"page": "2"})) == [
        f"Colis {n:03d}" for n in range(21, 26)
    ]
    response = client.get("/categories/alimentation/", {"page": "9"})
    assert response.status_code == 200
    assert "voici la page 2" in builders.visible_text(response)


def test_area_page_lists_quartiers_and_members(client, db):
    builders.make_association("À Montchat", area_slug="lyon-3", quartier_slug="montchat")
    builders.make_association("Au 3e", area_slug="lyon-3")
    builders.make_association("Au 7e", area_slug="lyon-7")
    response = client.get("/territoires/lyon-3/")
    assert response.status_code == 200
    page = builders.soup(response)
    assert "Lyon 3e" in page.find("h1").get_text()
    links = hrefs(page)
    for quartier in ["montchat", "part-dieu", "grange-blanche-lyon-3", "guillotiere-nord"]:
        assert f"/territoires/{quartier}/" in links
    assert builders.result_names(response) == ["À Montchat", "Au 3e"]


def test_lyon_page_lists_its_arrondissements(client, db):
    builders.make_association("Au 7e", area_slug="lyon-7")
    response = client.get("/territoires/lyon/")
    links = hrefs(builders.soup(response))
    assert {f"/territoires/lyon-{n}/" for n in range(1, 10)} <= set(links)
    assert builders.result_names(response) == ["Au 7e"]


def test_quartier_page_links_to_its_arrondissement(client, db):
    builders.make_association("À Montchat", area_slug="lyon-3", quartier_slug="montchat")
    response = client.get("/territoires/montchat/")
    assert "/territoires/lyon-3/" in hrefs(builders.soup(response))
    assert builders.result_names(response) == ["À Montchat"]


def subnav(page):
    """(heading, summary, links) of a landing page's folded list of sub-needs or places."""
    nav = page.select_one("main nav.subnav")
    assert nav["aria-labelledby"] == nav.h2["id"]
    fold = nav.select_one("details.subnav__fold")
    assert not fold.has_attr("open")  # folded on phones; site.css shows it from 40em
    links = [a["href"] for a in fold.select("ul.link-list a")]
    return nav.h2.get_text(strip=True), fold.summary.get_text(strip=True), links


def breadcrumb(page):
    return [(a["href"], a.get_text(strip=True)) for a in page.select("nav.breadcrumb a")]


def test_landing_pages_fold_their_sub_lists_behind_a_button_with_the_count(client, db):
    title, summary, links = subnav(builders.soup(client.get("/categories/alimentation/")))
    assert title == "Préciser le besoin"
    assert summary == f"Préciser le besoin ({len(links)})"
    assert "/categories/epicerie-solidaire/" in links
    title, summary, links = subnav(builders.soup(client.get("/territoires/lyon-3/")))
    assert (title, summary) == ("Par quartier", f"Par quartier ({len(links)})")
    assert "/territoires/montchat/" in links
    title, summary, links = subnav(builders.soup(client.get("/territoires/lyon/")))
    assert (title, summary) == ("Par arrondissement", "Par arrondissement (9)")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/territoires/villeurbanne/", ["/", "/territoires/", "/territoires/villeurbanne/"]),
        ("/territoires/lyon/", ["/", "/territoires/", "/territoires/lyon/"]),
        ("/territoires/lyon-3/", ["/", "/territoires/", "/territoires/lyon/", "/territoires/lyon-3/"]),
        (
            "/territoires/montchat/",
            ["/", "/territoires/", "/territoires/lyon-3/", "/territoires/montchat/"],
        ),
    ],
)
def test_area_breadcrumbs_lead_to_every_commune(client, db, url, expected):
    crumbs = breadcrumb(builders.soup(client.get(url)))
    assert [href for href, _ in crumbs] == expected
    assert crumbs[1][1] == "Communes"  # the name /territoires/ has in its own breadcrumb


def test_area_page_paginates(client, db):
    builders.make_associations(21, prefix="Vaulx", area_slug="vaulx-en-velin")
    assert builders.result_names(client.get("/territoires/vaulx-en-velin/", {"page": "2"})) == ["Vaulx 021"]


@pytest.mark.parametrize("url", ["/categories/inconnue/", "/territoires/inconnu/"])
def test_unknown_landing_page_is_404(client, db, url):
    assert client.get(url).status_code == 404


# Footer pages and 404 --------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/a-propos/", "/mentions-legales/", "/confidentialite/", "/accessibilite/"])
def test_footer_pages(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    page = builders.soup(response)
    main = page.find("main")
    assert main.find("h1").get_text(strip=True)
    assert len(" ".join(main.get_text(" ").split())) > 200
    # Each page is linked from the footer of every page.
    assert url in hrefs(page.find("footer"))


def test_the_page_frame_is_rendered_once_per_language_and_the_account_links_per_request(client, plain_user):
    """base.html keeps its header links, stylesheets and footer rendered once per process and
    language ({% cache %}): each language gets its own, and the account links stay the visitor's."""
    french = builders.soup(client.get("/a-propos/"))
    english = builders.soup(client.get("/en/a-propos/"))
    assert "/a-propos/" in hrefs(french.find("footer"))
    assert "/en/a-propos/" in hrefs(english.find("footer"))
    assert english.find("footer").find("a", href="/en/a-propos/").get_text(strip=True) == "About"
    assert "/en/associations/" in hrefs(english.find("nav", class_="site-nav"))
    assert (
        builders.soup(client.get("/a-propos/"))
        .find("footer")
        .find("a", href="/a-propos/")
        .get_text(strip=True)
        == "À propos"
    )

    client.force_login(plain_user)
    nav = builders.soup(client.get("/a-propos/")).find("nav", class_="site-nav")
    assert nav.find("form", class_="logout-form").find("input", attrs={"name": "csrfmiddlewaretoken"})
    assert "/compte/connexion/" not in hrefs(nav)
    client.logout()
    nav = builders.soup(client.get("/a-propos/")).find("nav", class_="site-nav")
    assert nav.find("form", class_="logout-form") is None
    assert "/compte/connexion/" in hrefs(nav)


def test_unknown_url_uses_the_custom_404_template(client, db):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    page = builders.soup(response)
    assert page.find("h1").get_text(strip=True)
    # The site's layout, with a way back home, and a search form with the place picker.
    assert page.select_one("footer") is not None
    assert "/" in hrefs(page)
    assert_grouped_place_picker(page)


# Escaping --------------------------------------------------------------------------------


@pytest.fixture
def hostile(db):
    return builders.make_association(
        XSS,
        categories=["football"],
        area_slug="lyon-7",
        short_description=f"{XSS} <b>gras</b>",
        description=f"<img src=x onerror=alert(2)>{XSS}",
    )


def assert_escaped(response):
    assert response.status_code == 200
    html = response.content.decode()
    assert XSS not in html
    assert "onerror=alert(2)>" not in html
    page = builders.soup(response)
    # Data blocks (JSON-LD) carry the name as escaped JSON text; no executable script holds it.
    data_types = {"application/ld+json", "application/json"}
    scripts = [s for s in page.find_all("script") if s.get("type") not in data_types]
    assert not [s for s in scripts if "alert" in (s.string or "")]
    assert not page.find("img", src="x")
    assert XSS in builders.visible_text(response)


@pytest.mark.parametrize(
    "url",
    [
        "/associations/?q=alert",
        "LISTING",
        "/categories/sport/",
        "/categories/football/",
        "/territoires/lyon-7/",
    ],
)
def test_user_content_is_escaped(client, hostile, url):
    assert_escaped(client.get(hostile.get_absolute_url() if url == "LISTING" else url))


def test_published_photos_show_on_the_listing_with_their_alt_text(client, db):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from directory.images import process_image, store_image
    from directory.models.editing import Photo

    listing = builders.make_association("Jardin partagé des Pentes", area_slug="lyon-1")
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "green").save(buffer, "JPEG")
    upload = SimpleUploadedFile("jardin.jpg", buffer.getvalue(), content_type="image/jpeg")
    processed = process_image(upload)
    for alt, public in [("Les bacs de culture au printemps", True), ("Photo en attente", False)]:
        names = store_image(processed)
        Photo.objects.create(
            association=listing,
            width=processed.width,
            height=processed.height,
            alt=alt,
            is_public=public,
            **names,
        )
    page = builders.soup(client.get(listing.get_absolute_url()))
    images = page.select("#photos-title ~ .gallery img")
    assert [img["alt"] for img in images] == ["Les bacs de culture au printemps"]
    assert images[0]["height"] == "300"
    api = client.get(f"/api/associations/{listing.slug}/").json()
    assert [photo["alt"] for photo in api["photos"]] == ["Les bacs de culture au printemps"]
