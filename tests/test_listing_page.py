"""A listing that acts (issue 19): the action bar at the top (call, directions with public
transport, share, keep), access conditions next to the hours, two columns, one print link."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from directory.models import Association, Place
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def listing(db):
    association = builders.make_association(
        "Épicerie solidaire des Pentes",
        area_slug="lyon-1",
        phone="04 78 12 34 56",
        email="epicerie@example.org",
        reception=Association.Reception.APPOINTMENT,
        fees=Association.Fees.FREE,
        audiences=["familles"],
    )
    association.places.update(
        location_precision=Place.LocationPrecision.ADDRESS, hours_note="Sur orientation."
    )
    return association


def page_of(client, association):
    response = client.get(association.get_absolute_url())
    assert response.status_code == 200
    return builders.soup(response)


def test_the_action_bar_calls_guides_shares_and_keeps(client, listing):
    page = page_of(client, listing)
    bar = page.select_one(".listing__header ul.action-bar")
    assert bar is not None, "the action bar is in the listing's header, at the top"
    items = [li.find(["a", "details"], recursive=False) for li in bar.find_all("li", recursive=False)]
    assert [item.get("id") or item["class"][0] for item in items] == [
        "call",
        "directions",
        "share-native",
        "button",
    ]
    assert page.select_one("#call")["href"] == "tel:0478123456"
    place = listing.places.get()
    directions = bar.select_one("details.directions")
    assert directions.summary.get_text(" ", strip=True).startswith("Itinéraire")
    transit = urlsplit(directions.select_one("a.directions__transit")["href"])
    assert (transit.netloc, transit.path) == ("www.google.com", "/maps/dir/")
    assert parse_qs(transit.query) == {
        "api": ["1"],
        "destination": [f"{place.lat:.6f},{place.lon:.6f}"],
        "travelmode": ["transit"],
    }
    assert directions.select_one("a.directions__osm")["href"].startswith(
        "https://www.openstreetmap.org/directions?"
    )
    share = bar.select_one("#share-native")
    assert share["href"] == "#share"
    assert page.select_one("section#share"), "Partager leads to the share block"
    assert bar.select_one("a[data-keep]")["data-keep"] == listing.slug


def test_sharing_is_offered_once_and_printing_once(client, listing):
    page = page_of(client, listing)
    assert len(page.select("#share-native")) == 1
    assert len(page.find_all(string="Partager")) == 1
    poster = reverse("directory:poster", args=[listing.slug])
    assert len(page.select(f"a[href='{poster}']")) == 1
    # One "Itinéraire" for the one place: the action bar's.
    assert len(page.select("details.directions")) == 1


def test_two_columns_contact_access_and_hours_aside(client, listing):
    page = page_of(client, listing)
    columns = page.select_one("article.listing > .listing__columns")
    assert [child["class"][0] for child in columns.find_all(recursive=False)] == [
        "listing__aside",
        "listing__main",
    ]
    aside = columns.select_one(".listing__aside")
    headings = [h.get_text(strip=True) for h in aside.find_all("h2")]
    assert headings == ["Contacter l'association", "Conditions d'accès", "Où nous trouver"]
    assert aside.select_one("table.hours")
    assert columns.select_one(".listing__main #share")


def test_access_conditions_sit_next_to_the_hours(client, listing):
    page = page_of(client, listing)
    access = page.select_one("section.access")
    facts = dict(
        zip(
            [dt.get_text(strip=True) for dt in access.select("dt")],
            [dd.get_text(" ", strip=True) for dd in access.select("dd")],
            strict=True,
        )
    )
    assert facts["Accueil"] == "Sur rendez-vous"
    assert facts["Tarifs"] == "Gratuit"
    assert facts["Pour qui ?"] == "Familles"
    # The next section is the places, with their hours and the place's own conditions.
    places = access.find_next_sibling("section")
    assert places.select_one("#places-title")
    assert places.select_one("table.hours")
    assert places.select_one(".place__note").get_text(strip=True) == "Sur orientation."


def test_unknown_reception_says_to_call(client, listing):
    Association.objects.filter(pk=listing.pk).update(reception="")
    access = page_of(client, listing).select_one("section.access")
    assert "appelez avant de venir" in access.get_text()


def test_without_phone_or_precise_position_the_bar_offers_neither(client, listing):
    Association.objects.filter(pk=listing.pk).update(phone="")
    listing.places.update(location_precision=Place.LocationPrecision.AREA)
    bar = page_of(client, listing).select_one(".action-bar")
    assert bar.select_one("#call") is None
    assert bar.select_one(".directions") is None
    assert bar.select_one("#share-native")
    assert bar.select_one("a[data-keep]")


def test_several_places_each_have_their_directions(client, listing):
    other = listing.places.get()
    other.pk = None
    other.position = 1
    other.address = "3 place Sathonay"
    other.save()
    page = page_of(client, listing)
    per_place = page.select(".place details.directions")
    assert len(per_place) == 2
    assert "3 place Sathonay" in per_place[1].summary.get_text()


def test_a_pending_listing_preview_has_no_action_bar_but_keeps_directions(client, listing):
    Association.objects.filter(pk=listing.pk).update(status=Association.Status.PENDING)
    client.force_login(builders.make_manager(listing))
    page = page_of(client, listing)
    assert page.select_one(".action-bar") is None
    assert len(page.select(".place details.directions")) == 1
