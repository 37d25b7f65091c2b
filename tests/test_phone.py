"""Made for the phone (issue 18): one-tap links on cards and listings, the SMS text, the vCard,
"Ma liste" by link, and what the service worker may keep."""

import pytest
import vobject
from django.conf import settings
from django.urls import reverse

from directory.models import Association, Place
from directory.phone import mylist, sharing, vcard
from tests import builders

pytestmark = pytest.mark.django_db

LONG_NAME = (
    "Association pour le développement de l'animation sociale, culturelle et sportive "
    "des habitants du quartier des Pentes de la Croix-Rousse et de ses environs immédiats"
)


@pytest.fixture
def club(db):
    return builders.make_association(
        "Club d'échecs ; Lyon, Vaise",
        area_slug="lyon-9",
        phone="04 78 12 34 56",
        email="club@echecs.example",
        website="https://echecs.example/",
    )


# One tap on cards and listing pages --------------------------------------------------------


def test_a_result_card_calls_guides_and_keeps_in_one_tap(client, club):
    response = client.get("/associations/", {"territoire": "lyon-9"})
    card = builders.soup(response).select_one("#results > li .card")
    actions = card.select_one(".card__actions")
    call = actions.select_one("a[href^='tel:']")
    assert call["href"] == "tel:0478123456"
    assert "04 78 12 34 56" in call.get_text()
    directions = actions.select_one("a[href^='https://www.openstreetmap.org/directions']")
    place = club.places.get()
    assert directions["href"].endswith(f"to={place.lat:.6f}%2C{place.lon:.6f}")
    keep = actions.select_one("a[data-keep]")
    assert keep["data-keep"] == club.slug
    assert keep["href"] == f"/ma-liste/?f={club.slug}"
    assert keep["data-address"] == place.full_address
    assert keep["data-phone"] == "04 78 12 34 56"


def test_a_card_without_phone_or_precise_position_offers_neither(client, club):
    Association.objects.filter(pk=club.pk).update(phone="")
    club.places.update(location_precision=Place.LocationPrecision.AREA)
    builders.make_association("Autre", area_slug="lyon-9").delete()  # moves the listings version
    response = client.get("/associations/", {"territoire": "lyon-9", "q": "echecs"})
    actions = builders.soup(response).select_one("#results > li .card__actions")
    assert not actions.select("a[href^='tel:']")
    assert not actions.select("a[href*='directions']")
    assert actions.select("a[data-keep]")


def test_the_listing_page_calls_keeps_and_shares(client, club):
    page = builders.soup(client.get(club.get_absolute_url()))
    assert page.select_one("#call")["href"] == "tel:0478123456"
    assert page.select_one(".listing__actions a[data-keep]")["data-keep"] == club.slug
    assert page.select_one("#share-sms")["href"].startswith("sms:?&body=")
    assert page.select_one("#share-whatsapp")["href"].startswith("https://wa.me/?text=")
    native = page.select_one(".action-bar #share-native")
    assert native["href"] == "#share"  # the share block; share.js opens the share sheet instead
    assert native["data-share-url"] == settings.SITE_URL + f"/a/{club.slug}"
    assert page.select_one("#share-vcard")["href"] == f"/associations/{club.slug}/contact.vcf"
    assert page.select_one("[data-offline-notice]").has_attr("hidden")
    scripts = [s["src"] for s in page.select("script[src]")]
    assert "/static/js/keep.js" in scripts
    assert "/static/js/offline.js" in scripts


def test_pages_without_cards_load_no_keep_script(client, club):
    for url in ("/", reverse("directory:about")):
        scripts = [s["src"] for s in builders.soup(client.get(url)).select("script[src]")]
        assert "/static/js/keep.js" not in scripts, url


# SMS ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "address"),
    [
        ("Club d'échecs", "12 rue de Marseille, 69007 Lyon 7e"),
        (LONG_NAME, "12 rue de Marseille, 69007 Lyon 7e"),
        (
            "Club",
            "Bâtiment B, escalier 3, résidence des Jardins de la Duchère, 230 avenue du Plateau, 69009 Lyon 9e",
        ),
        (
            LONG_NAME,
            "Bâtiment B, escalier 3, résidence des Jardins de la Duchère, 230 avenue du Plateau, 69009 Lyon 9e",
        ),
        (LONG_NAME, ""),
    ],
)
def test_the_sms_holds_in_160_characters_with_its_link_and_phone_whole(name, address):
    link = "https://lyonassos.example/f/123456"
    text = sharing.sms_text(name=name, phone="04 78 12 34 56", address=address, link=link)
    assert len(text) <= 160
    lines = text.split("\n")
    assert lines[-1] == link
    assert "04 78 12 34 56" in lines
    assert lines[0].startswith(name[:20])
    room = 160 - len("04 78 12 34 56") - len(link) - 3  # the line breaks
    if len(name) + len(address) > room:
        assert "…" in text
    else:
        assert name in text
        assert address in text
    if len(name) < 40 and address:
        assert lines[0] == name  # a short name is never cut
        assert lines[2].startswith(address[:30])


def test_a_short_sms_is_not_cut():
    text = sharing.sms_text(
        name="Club", phone="", address="1 rue A, 69001 Lyon 1er", link="https://x.example/f/1"
    )
    assert text == "Club\n1 rue A, 69001 Lyon 1er\nhttps://x.example/f/1"


def test_the_listing_sms_uses_the_numbered_short_link(client, club):
    club.name = LONG_NAME
    club.save()
    texts = sharing.listing_texts(club, club.places.get())
    assert len(texts["sms"]) <= 160
    assert texts["sms"].endswith(settings.SITE_URL + f"/f/{club.pk}")
    assert f"/a/{club.slug}" in texts["whatsapp"]


def test_the_numbered_short_link_opens_published_listings_only(client, club):
    response = client.get(f"/f/{club.pk}")
    assert response.status_code == 302
    assert response["Location"] == club.get_absolute_url()
    club.status = Association.Status.ARCHIVED
    club.save()
    assert client.get(f"/f/{club.pk}").status_code == 404
    assert client.get("/f/999999").status_code == 404


# vCard ---------------------------------------------------------------------------------------


def test_the_contact_card_is_a_valid_vcard_4(client, club):
    place = club.places.get()
    place.name = "Maison des jeux, salle 2"
    place.hours_note = "Fermé en août; sauf le 15\\16"
    place.save()
    response = client.get(f"/associations/{club.slug}/contact.vcf")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{club.slug}.vcf"'
    raw = response.content.decode("utf-8")
    assert raw.endswith("\r\n")
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))
    card = vobject.readOne(raw)
    assert card.version.value == "4.0"
    assert card.fn.value == "Club d'échecs ; Lyon, Vaise"  # unescaped by the parser
    assert card.org.value == ["Club d'échecs ; Lyon, Vaise"]
    assert card.tel.value == "tel:+33478123456"
    assert card.email.value == "club@echecs.example"
    address = card.adr.value
    assert address.street == place.address
    assert address.extended == "Maison des jeux, salle 2"
    assert address.code == place.postcode
    assert address.city == place.city_name
    assert card.geo.value == f"geo:{place.lat:.6f},{place.lon:.6f}"
    urls = [url.value for url in card.contents["url"]]
    assert urls == ["https://echecs.example/", settings.SITE_URL + club.get_absolute_url()]
    assert "Fermé en août; sauf le 15\\16" in card.note.value
    assert "lun." in card.note.value


def test_the_contact_card_folds_long_lines_between_characters():
    line = "NOTE:" + "é" * 100
    folded = vcard.fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_the_contact_card_of_an_unpublished_listing_is_not_found(client, club):
    builders.make_association("Brouillon", status="pending", slug="brouillon")
    assert client.get("/associations/brouillon/contact.vcf").status_code == 404
    assert client.get("/associations/inconnue/contact.vcf").status_code == 404


def test_the_contact_card_costs_the_listing_queries(client, club, django_assert_num_queries):
    # 1. the listing   2. its contents (categories, audiences, languages; photos, news, needs?)
    # 3. its places
    with django_assert_num_queries(3):
        assert client.get(f"/associations/{club.slug}/contact.vcf").status_code == 200


# Ma liste -----------------------------------------------------------------------------------


def test_parse_slugs_ignores_what_is_not_a_slug_and_caps_the_list():
    slugs, notes = mylist.parse_slugs(["a,b,,a, B ", "<script>,x y,c"])
    assert slugs == ["a", "b", "c"]
    assert len(notes) == 1
    assert "2 éléments" in notes[0]
    many = ",".join(f"fiche-{n}" for n in range(45))
    slugs, notes = mylist.parse_slugs([many])
    assert len(slugs) == mylist.MAX_ITEMS
    assert "15 dernières" in notes[0]


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("https://lyonassos.example/associations/club-echecs/", "club-echecs"),
        ("https://lyonassos.example/en/associations/club-echecs/", "club-echecs"),
        ("lyonassos.example/a/club-echecs", "club-echecs"),
        ("/associations/club-echecs/?x=1#contact", "club-echecs"),
        ("club-echecs", "club-echecs"),
        ("https://lyonassos.example/categories/sport/", None),
        ("", None),
        ("<script>", None),
    ],
)
def test_a_pasted_listing_address_gives_its_slug(text, slug):
    assert mylist.slug_from_text(text) == slug


def test_a_shared_list_shows_its_listings_in_order(client, club, django_assert_num_queries):
    other = builders.make_association("Épicerie des Pentes", area_slug="lyon-1", phone="04 72 00 00 00")
    # 1. the listings by slug, with their categories' ids   2. their places (areas: the snapshot)
    with django_assert_num_queries(2):
        response = client.get("/ma-liste/", {"f": f"{other.slug},{club.slug}"})
    assert response.status_code == 200
    page = builders.soup(response)
    names = [a.get_text() for a in page.select("#my-list-items .my-list__name a")]
    assert names == ["Épicerie des Pentes", club.name]
    assert (
        page.select_one("#list-url")["value"] == settings.SITE_URL + f"/ma-liste/?f={other.slug},{club.slug}"
    )
    remove = page.select("#my-list-items li")[0].select_one("a[href^='/ma-liste/']:not([data-keep])")
    assert remove["href"] == f"/ma-liste/?f={club.slug}"
    assert page.select_one("input[name=f]")["value"] == f"{other.slug},{club.slug}"
    assert page.select_one("meta[name=robots]")["content"] == "noindex"


def test_a_shared_list_with_bad_entries_explains_and_keeps_the_rest(client, club, django_assert_num_queries):
    archived = builders.make_association("Fermée", status="archived")
    bad = f"{club.slug},{archived.slug},inconnue,%%%,{club.slug}," + ",".join(f"x{n}" for n in range(40))
    # 1-2. listings (with their categories' ids), places   3. old slugs among the unknown ones
    with django_assert_num_queries(3):
        response = client.get("/ma-liste/", {"f": bad})
    assert response.status_code == 200
    page = builders.soup(response)
    assert [a.get_text() for a in page.select("#my-list-items .my-list__name a")] == [club.name]
    notes = " ".join(li.get_text() for li in page.select(".notice li"))
    assert "1 élément du lien n'est pas une adresse de fiche" in notes
    assert "30 fiches au plus" in notes
    assert "n'existent plus ou ne sont plus publiées" in notes


def test_a_renamed_listing_is_found_by_its_old_slug(client, club):
    from directory.listings import services

    old = club.slug
    services.association_change_slug(
        association=club, new_slug="club-echecs-vaise", actor=None, origin="admin"
    )
    response = client.get("/ma-liste/", {"f": old})
    assert [a.get_text() for a in builders.soup(response).select("#my-list-items .my-list__name a")] == [
        club.name
    ]


def test_adding_a_pasted_address_to_the_link_without_javascript(client, club):
    other = builders.make_association("Épicerie des Pentes", area_slug="lyon-1")
    response = client.get(
        "/ma-liste/", {"f": club.slug, "ajouter": settings.SITE_URL + other.get_absolute_url()}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/ma-liste/?f={club.slug},{other.slug}"
    response = client.get("/ma-liste/", {"f": club.slug, "ajouter": "pas une adresse"})
    assert response.status_code == 200
    assert "n'est pas l'adresse d'une fiche" in builders.visible_text(response)
    assert builders.soup(response).select("#my-list-items li")


def test_my_list_without_a_link_explains_itself_without_javascript(client):
    response = client.get("/ma-liste/")
    assert response.status_code == 200
    page = builders.soup(response)
    assert page.select_one("#my-list-stored")
    assert "rien n'est envoyé à Lyon Assos" in page.select_one("[data-no-js]").get_text()
    assert page.select_one("form.my-list__add input[name=ajouter]")
    assert page.select_one("[data-offline-notice]")


def test_my_list_in_english(client, club):
    response = client.get("/en/ma-liste/", {"f": club.slug})
    assert response.status_code == 200
    assert builders.soup(response).select_one("h1").get_text() == "My list"


# Offline ------------------------------------------------------------------------------------


def test_the_service_worker_is_served_from_the_root(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    assert '"/hors-connexion/"' in body
    assert '"/en/hors-connexion/"' in body
    assert 'var CONFIG = {"assets": ["/static/css/site.css"' in body  # JSON, not HTML-escaped
    assert "{%" not in body


def test_only_public_pages_of_visitors_without_a_session_may_be_kept(client, club):
    kept = [
        "/",
        club.get_absolute_url(),
        "/ma-liste/",
        f"/ma-liste/?f={club.slug}",
        "/hors-connexion/",
        "/en/",
    ]
    for url in kept:
        assert client.get(url).get("X-Offline-Keep") == "1", url
    for url in ["/associations/", reverse("directory:about"), f"/associations/{club.slug}/contact.vcf"]:
        assert not client.get(url).has_header("X-Offline-Keep"), url
    manager = builders.make_manager(club, "gestionnaire")
    client.force_login(manager)
    for url in [*kept, reverse("directory:dashboard"), reverse("directory:manage", args=[club.slug])]:
        assert not client.get(url).has_header("X-Offline-Keep"), url


def test_the_offline_page_says_what_is_kept(client):
    response = client.get("/hors-connexion/")
    assert response.status_code == 200
    text = builders.visible_text(response)
    assert "Ma liste" in text
    assert "les fiches des associations que vous avez ouvertes" in text


def test_the_service_worker_costs_a_phone_little(client):
    """What registering costs once per phone, compressed as sent: the worker and the offline page
    it keeps (the CSS and scripts it keeps come from the browser's cache)."""
    worker = client.get("/sw.js", HTTP_ACCEPT_ENCODING="gzip")
    offline = client.get("/hors-connexion/", HTTP_ACCEPT_ENCODING="gzip")
    assert worker["Content-Encoding"] == "gzip"
    assert offline["Content-Encoding"] == "gzip"
    assert len(worker.content) + len(offline.content) < 6_000


def test_every_page_links_to_my_list(client, club):
    for url in ("/", club.get_absolute_url(), "/en/"):
        nav = builders.soup(client.get(url)).select_one(".site-nav")
        assert nav.select_one("a[href$='/ma-liste/']"), url


def test_adding_to_a_full_list_says_so_and_an_empty_form_changes_nothing(client, club):
    full = ",".join(f"fiche-{n}" for n in range(30))
    response = client.get("/ma-liste/", {"f": full, "ajouter": club.slug})
    assert response.status_code == 200
    assert "La liste est pleine (30 fiches)" in builders.visible_text(response)
    response = client.get("/ma-liste/", {"f": club.slug, "ajouter": " "})
    assert response.status_code == 200
    assert builders.soup(response).select_one(".my-list .notice:not([data-offline-notice])") is None
    assert client.get("/ma-liste/", {"f": ""}).context["from_link"] is False


def test_a_bare_listing_still_gives_a_valid_contact_card(client):
    bare = builders.make_association(
        "Amicale, laïque; du 8e", places=0, phone="", website="javascript:alert(1)"
    )
    card = vobject.readOne(client.get(f"/associations/{bare.slug}/contact.vcf").content.decode())
    assert card.fn.value == "Amicale, laïque; du 8e"
    for absent in ("tel", "email", "adr", "geo", "note"):
        assert absent not in card.contents, absent
    assert [url.value for url in card.contents["url"]] == [settings.SITE_URL + bare.get_absolute_url()]
