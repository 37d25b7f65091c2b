"""Result cards with the facts (directory/listings/cards.py, `{% result_card %}` in card_tags): the place
that matched the search, its distance, its open status, free / appointment, Appeler, and the
pictograms of the sprite (directory/icons.py) always beside a text."""

import io
import math
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from directory import geo, icons
from directory.listings import cards
from directory.models import Area, Association, Category
from directory.opening import rules
from tests import builders

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
TUESDAY_10 = datetime(2026, 12, 8, 10, 0, tzinfo=PARIS)  # a school day, not a public holiday
MONDAY_ONLY = {"0": [["09:00", "12:00"]]}


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture
def maraude():
    """Seated in Chassieu (open on weekdays), with a branch in Vaulx-en-Velin open on Mondays."""
    return builders.make_maraude(reception="appointment", branch_hours=MONDAY_ONLY)


def card_of(response, name):
    for card in builders.soup(response).select("#results article.card"):
        if card.select_one(".card__title").get_text(strip=True) == name:
            return card
    raise AssertionError(f"no card for {name}")


def text(node):
    return " ".join(node.get_text(" ").split())


@time_machine.travel(TUESDAY_10, tick=False)
def test_an_area_search_shows_the_place_in_that_area_and_its_status(client, maraude):
    card = card_of(client.get("/associations/", {"territoire": "vaulx-en-velin"}), maraude.name)
    where = card.select_one(".card__where")
    assert where.select_one(".card__street").get_text(strip=True) == "12 avenue Gabriel Péri"
    assert where.select_one(".card__commune").get_text(strip=True) == "Vaulx-en-Velin"
    assert "(et 1 autre lieu)" in text(where)
    # The status of the Vaulx branch (Mondays), not of the seat (open now).
    assert card.select_one(".card__opening").get_text(strip=True) == "Ouvre lundi à 9 h"


@time_machine.travel(TUESDAY_10, tick=False)
def test_place_words_in_the_text_choose_the_place_too(client, maraude):
    card = card_of(client.get("/associations/", {"q": "maraude vaulx"}), maraude.name)
    assert card.select_one(".card__commune").get_text(strip=True) == "Vaulx-en-Velin"


@time_machine.travel(TUESDAY_10, tick=False)
def test_without_an_area_the_card_shows_the_main_place_and_the_listing_status(client, maraude):
    card = card_of(client.get("/associations/", {"q": "maraude"}), maraude.name)
    assert card.select_one(".card__street").get_text(strip=True) == "3 rue de la Gare"
    assert card.select_one(".card__commune").get_text(strip=True) == "Chassieu"
    opening = card.select_one(".card__opening")
    assert opening.get_text(strip=True) == "Ouvert · ferme à 12 h"
    assert "card__opening--open" in opening["class"]
    assert card.select_one(".card__distance") is None


@time_machine.travel(TUESDAY_10, tick=False)
def test_an_area_page_shows_the_place_in_that_area(client, maraude):
    page = builders.soup(client.get("/territoires/vaulx-en-velin/"))
    card = page.select_one("#results article.card")
    assert card.select_one(".card__commune").get_text(strip=True) == "Vaulx-en-Velin"


def test_a_near_search_shows_the_nearest_place_and_its_distance(client, maraude):
    vaulx = Area.objects.get(slug="vaulx-en-velin")
    # 800 m north of the Vaulx branch; the Chassieu seat is about 6 km away.
    lat = vaulx.lat + 0.8 / geo.KM_PER_DEGREE
    response = client.get("/associations/", {"lat": f"{lat:.6f}", "lon": vaulx.lon, "rayon": "10"})
    card = card_of(response, maraude.name)
    assert card.select_one(".card__commune").get_text(strip=True) == "Vaulx-en-Velin"
    assert card.select_one(".card__distance").get_text(strip=True) == "à 800 m"


def test_a_near_search_by_an_area_centre_measures_from_the_place_in_the_area(client, maraude):
    response = client.get("/associations/", {"territoire": "chassieu", "tri": "distance"})
    card = card_of(response, maraude.name)
    assert card.select_one(".card__commune").get_text(strip=True) == "Chassieu"
    assert card.select_one(".card__distance").get_text(strip=True) == "à 10 m"  # at the centre


def test_appeler_free_and_appointment(client, maraude):
    card = card_of(client.get("/associations/", {"q": "maraude"}), maraude.name)
    call = card.select_one("a.card__call")
    assert call["href"] == "tel:0478123456"
    assert text(call).startswith("Appeler 04 78 12 34 56")
    badges = [text(badge) for badge in card.select(".badges .badge")]
    assert badges == ["Gratuit", "Sur rendez-vous"]


def test_no_call_link_without_a_phone(client):
    builders.make_association("Sans téléphone", phone="", reception="both")
    card = card_of(client.get("/associations/"), "Sans téléphone")
    assert card.select_one("a.card__call") is None
    assert [text(badge) for badge in card.select(".badges .badge")] == ["Avec ou sans rendez-vous"]


def test_what_a_listing_says_is_escaped_on_its_card(client):
    # The card is written in Python ({% result_card %}): every value goes through escaping.
    builders.make_association(
        "Atelier <b>gras</b>",
        short_description='<script>alert("x")</script> & "cie"',
        phone="04 78 00 00 00",
        reception="walk_in",
    )
    response = client.get("/associations/")
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<b>gras</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;cie&quot;" in html
    card = card_of(response, "Atelier <b>gras</b>")
    assert text(card.select_one(".card__text")) == '<script>alert("x")</script> & "cie"'
    assert [text(badge) for badge in card.select(".badges .badge")] == ["Sans rendez-vous"]


def test_icons_are_hidden_and_always_beside_a_text(client, maraude):
    card = card_of(client.get("/associations/", {"q": "maraude"}), maraude.name)
    svgs = card.select("svg.icon")
    assert len(svgs) >= 6  # place, opening, need, free, appointment, phone
    names = set()
    for svg in svgs:
        assert svg["aria-hidden"] == "true"
        href = svg.select_one("use")["href"]
        assert href.startswith("/static/icons/sprite.svg#")
        names.add(href.partition("#")[2])
        assert svg.parent.get_text(strip=True), "an icon without a text beside it"
    # The sub-need takes its parent's icon (Alimentation → utensils).
    assert card.select_one(".card__tag use")["href"].endswith("#utensils")
    assert names <= set(icons.all_names())


def test_home_need_tiles_have_their_icon(client, maraude):
    page = builders.soup(client.get("/"))
    tiles = page.select("#besoins .tile__name")
    assert tiles
    for tile in tiles:
        assert tile.select_one("svg.icon[aria-hidden=true] use")["href"].startswith(
            "/static/icons/sprite.svg#"
        )
        assert tile.get_text(strip=True)
    food = next(tile for tile in tiles if tile.get_text(strip=True) == "Alimentation")
    assert food.select_one("use")["href"].endswith("#utensils")


# The cached region holds no longer than its open statuses ----------------------------------------


def test_next_change_of_a_status():
    open_status = rules.Status(
        known=True, is_open=True, closes=paris(2026, 12, 8, 12, 10).time(), today=TUESDAY_10.date()
    )
    assert rules.next_change(open_status, TUESDAY_10) == paris(2026, 12, 8, 12, 10)
    closed = rules.Status(
        known=True, opens_on=paris(2026, 12, 14).date(), opens=paris(2026, 12, 14, 9).time()
    )
    assert rules.next_change(closed, TUESDAY_10) == paris(2026, 12, 14, 9, 0)
    assert rules.next_change(rules.Status(known=False), TUESDAY_10) is None


def test_a_cached_region_expires_when_a_card_status_changes(client):
    builders.make_association("Épicerie de midi dix", hours={str(d): [["09:00", "12:10"]] for d in range(5)})
    with time_machine.travel(paris(2026, 12, 8, 12, 2), tick=False):
        first = card_of(client.get("/associations/"), "Épicerie de midi dix")
        assert first.select_one(".card__opening").get_text(strip=True) == "Ouvert · ferme à 12 h 10"
    # Same quarter-hour (the region's key), after the closing time: rendered again.
    with time_machine.travel(paris(2026, 12, 8, 12, 11), tick=False):
        again = card_of(client.get("/associations/"), "Épicerie de midi dix")
        assert again.select_one(".card__opening").get_text(strip=True) == "Ouvre demain à 9 h"


def test_mark_returns_the_first_change_and_reads_no_row(django_assert_num_queries, maraude):
    listing = Association.objects.filter(pk=maraude.pk).cards()[maraude.pk]
    where = cards.Where.of_areas([Area.objects.get(slug="vaulx-en-velin")])
    with django_assert_num_queries(0):
        change = cards.mark([listing], where, TUESDAY_10)
    assert listing.card_place.area.slug == "vaulx-en-velin"
    assert change == paris(2026, 12, 14, 9, 0)  # the branch opens on Monday


# The sprite ----------------------------------------------------------------------------------------


needs_package = pytest.mark.skipif(
    not (icons.package_dir() / "icons").is_dir(), reason="lucide-static is not installed (make install-node)"
)


@needs_package
def test_build_icons_writes_every_icon_the_site_uses(tmp_path):
    output = tmp_path / "sprite.svg"
    out = io.StringIO()
    call_command("build_icons", output=output, stdout=out)
    assert f"{len(icons.all_names())} icons" in out.getvalue()
    sprite = output.read_text()
    assert "ISC" in sprite.splitlines()[0]
    for name in icons.all_names():
        assert f'<symbol id="{name}" viewBox="0 0 24 24"' in sprite
    assert len(sprite) < 20_000  # a few icons, not the package's 2 500


@needs_package
def test_build_icons_refuses_an_unknown_icon(tmp_path, monkeypatch):
    monkeypatch.setitem(icons.FACT_ICONS, "free", "no-such-icon")
    with pytest.raises(CommandError, match="no-such-icon"):
        call_command("build_icons", output=tmp_path / "sprite.svg")


def test_every_top_level_need_has_its_icon():
    top = {category.slug for category in Category.objects.filter(parent=None)}
    assert top <= set(icons.CATEGORY_ICONS)


def test_distance_km_matches_the_sql_measure(maraude):
    point = geo.Point(45.7578, 4.8320, None)  # Bellecour, no radius: every place counts
    nearest = min(cards.distance_km(place, point) for place in maraude.places.all())
    found = geo.within(Association.objects.filter(pk=maraude.pk), point).get()
    assert math.isclose(nearest, geo.distance_km(found), rel_tol=1e-6)


def test_a_sprite_missing_from_the_collected_files_costs_the_icons_not_the_page(settings, tmp_path):
    from directory.templatetags import icon_tags

    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path  # collected without the sprite: no manifest entry for it
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    icon_tags._built.clear()
    try:
        html = icon_tags.icon("phone")
    finally:
        icon_tags._built.clear()
    assert 'href="/static/icons/sprite.svg#phone"' in html


# The cards' rows, read by queries compiled once (queries.OfIds) ------------------------------


def test_the_cards_of_a_page_are_its_published_listings_with_their_needs_and_places(
    django_assert_num_queries,
):
    from directory.models.associations import published_cards

    first = builders.make_association("Maraude", categories=["aide-alimentaire"], area_slug="lyon-1")
    first.places.create(position=1, address="2 rue Neyret", postcode="69001", area=builders.area("lyon-1"))
    second = builders.make_association("Club", categories=["football", "alimentation"], area_slug="bron")
    draft = builders.make_association("Brouillon", status=Association.Status.DRAFT)
    bare = builders.make_association("Sans catégorie", categories=[])
    for ids in ([first.pk, second.pk, draft.pk, bare.pk], [second.pk], [], [first.pk]):
        expected = Association.objects.published().filter(pk__in=ids).cards()
        # the listings with the ids of their categories (rows from the snapshot), their places
        with django_assert_num_queries(2 if ids else 1):
            found = published_cards(ids)
        assert found.keys() == expected.keys()
        for pk, association in found.items():
            assert association.name == expected[pk].name
            assert association.get_deferred_fields() == expected[pk].get_deferred_fields()
            assert list(association.categories.all()) == list(expected[pk].categories.all())
            assert [(p.pk, p.area) for p in association.places.all()] == [
                (p.pk, p.area) for p in expected[pk].places.all()
            ]
    assert [p.position for p in published_cards([first.pk])[first.pk].places.all()] == [0, 1]
