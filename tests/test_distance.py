"""Distance search: lat/lon/rayon, tri=distance, near an area's centre, labels, invalid values."""

import math

import pytest
from django.db import connection

from directory import geo, search
from directory.models import Place
from tests import builders

pytestmark = pytest.mark.django_db

# Place Bellecour; the other points are set relative to it (1° of latitude ≈ 111.2 km).
LAT, LON = 45.7578, 4.8320


def at(association, km_north, km_east=0.0):
    Place.objects.filter(association=association).update(
        lat=LAT + km_north / geo.KM_PER_DEGREE,
        lon=LON + km_east / (geo.KM_PER_DEGREE * math.cos(math.radians(LAT))),
    )
    search.sync_rows([association])  # a raw update: the narrow search rows are refreshed by hand
    return association


@pytest.fixture
def listings():
    return {
        "near": at(builders.make_association("Tout près"), 0.35),
        "mid": at(builders.make_association("À deux pas"), 0, -1.2),
        "far": at(builders.make_association("Plus loin"), 3.9, 3.0),  # 4.92 km
        "out": at(builders.make_association("Hors rayon"), 8.0),
    }


def test_sorted_by_distance_within_the_radius_with_labels(client, listings):
    response = client.get("/associations/", {"lat": LAT, "lon": LON, "tri": "distance", "rayon": "6"})
    assert builders.result_names(response) == ["Tout près", "À deux pas", "Plus loin"]
    labels = [p.get_text(strip=True) for p in builders.soup(response).select("#results .card__distance")]
    assert labels == ["à 350 m", "à 1,2 km", "à 4,9 km"]


def test_default_radius_is_5_km_and_max_50(client, listings):
    response = client.get("/associations/", {"lat": LAT, "lon": LON, "tri": "distance"})
    assert "Hors rayon" not in builders.result_names(response)
    response = client.get("/associations/", {"lat": LAT, "lon": LON, "rayon": "51"})
    assert "Rayon (km)" in builders.visible_text(response)  # ignored, with a notice
    assert "Hors rayon" not in builders.result_names(response)  # default 5 km applies


def test_nearest_place_counts(client, listings):
    far = listings["far"]
    far.places.create(address="Annexe", postcode="69002", area=builders.area("lyon-2"), lat=LAT, lon=LON)
    search.sync_rows([far])
    response = client.get("/associations/", {"lat": LAT, "lon": LON, "tri": "distance", "rayon": "2"})
    assert builders.result_names(response)[0] == "Plus loin"


@pytest.mark.parametrize("text", ["", "plus loin"], ids=["no-text", "text"])
def test_a_listing_with_several_places_in_the_radius_counts_once_at_its_nearest(client, listings, text):
    far = listings["far"]
    for km in (0.1, 0.2):  # two more places, both nearer than "Tout près"
        far.places.create(
            address="Annexe",
            postcode="69002",
            area=builders.area("lyon-2"),
            lat=LAT + km / geo.KM_PER_DEGREE,
            lon=LON,
        )
    search.sync_rows([far])
    params = {"lat": LAT, "lon": LON, "tri": "distance", "rayon": "6", "q": text}
    response = client.get("/associations/", params)
    names = builders.result_names(response)
    assert names == (["Plus loin"] if text else ["Plus loin", "Tout près", "À deux pas"])
    assert builders.soup(response).select_one("#results .card__distance").get_text(strip=True) == "à 100 m"
    api = client.get("/api/associations/", params).json()
    assert api["count"] == len(names)
    assert [row["name"] for row in api["results"]] == names


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's points carry row_shared")
def test_the_points_of_a_listing_with_several_places_say_so(listings):
    far = listings["far"]

    def shared():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT row_id, bool_and(row_shared), count(*) FROM directory_searchpoint GROUP BY row_id"
            )
            return {row_id: (flag, n) for row_id, flag, n in cursor.fetchall()}

    assert set(shared().values()) == {(False, 1)}
    annexe = far.places.create(
        address="Annexe", postcode="69002", area=builders.area("lyon-2"), lat=LAT, lon=LON
    )
    search.sync_rows([far])
    assert shared()[far.pk] == (True, 2)
    assert shared()[listings["near"].pk] == (False, 1)
    annexe.delete()
    search.sync_rows([far])
    assert shared()[far.pk] == (False, 1)


def test_bounding_box_prefilter_is_in_the_sql(listings, django_assert_num_queries):
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext

    from directory.filters import search_associations

    pages = search_associations(QueryDict(f"lat={LAT}&lon={LON}&rayon=2&tri=distance")).pages
    with CaptureQueriesContext(connection) as queries:
        names = [a.name for a in pages[0:20]]
    assert names == ["Tout près", "À deux pas"]
    sql = queries.captured_queries[0]["sql"]  # the ordered ids, from the narrow search rows
    assert "directory_association" not in sql
    assert sql.count("BETWEEN") >= 2  # lat and lon ranges on directory_searchpoint (searchpoint_lat_lon)


def test_near_an_area_centre(client, listings):
    builders.make_association("Sans coordonnées", area_slug="lyon-2")
    Place.objects.filter(association__name="Sans coordonnées").update(lat=None, lon=None)
    search.sync_rows(Place.objects.filter(association__name="Sans coordonnées").values("association_id"))
    response = client.get("/associations/", {"territoire": "lyon-2", "tri": "distance"})
    names = builders.result_names(response)
    assert names[-1] == "Sans coordonnées"  # no distance: last
    assert "Du plus proche au plus loin de" in builders.visible_text(response)


@pytest.mark.parametrize(
    "params",
    [
        {"lat": "abc", "lon": LON},
        {"lat": "nan", "lon": LON},
        {"lat": "inf", "lon": LON},
        {"lat": "91", "lon": LON},
        {"lat": LAT, "lon": "-181"},
        {"lat": LAT, "lon": LON, "rayon": "0"},
        {"lat": LAT, "lon": LON, "rayon": "-3"},
    ],
)
def test_invalid_values_are_ignored_with_a_notice_and_400_in_the_api(client, listings, params):
    response = client.get("/associations/", params)
    assert response.status_code == 200
    assert builders.soup(response).select(".notice li")
    api = client.get("/api/associations/", params)
    assert api.status_code == 400
    assert api.json()["errors"]


@pytest.mark.parametrize("params", [{"lat": LAT}, {"tri": "distance"}])
def test_a_point_missing_is_ignored_with_a_notice(client, listings, params):
    # Valid values that cannot be used alone: a notice on the page, ignored (200) by the API.
    response = client.get("/associations/", params)
    assert builders.soup(response).select(".notice li")
    assert len(builders.result_names(response)) == 4
    api = client.get("/api/associations/", params)
    assert api.status_code == 200
    assert "distance_km" not in api.json()["results"][0]


def test_api_has_distance_km(client, listings):
    data = client.get("/api/associations/", {"lat": LAT, "lon": LON, "tri": "distance"}).json()
    assert [r["name"] for r in data["results"]] == ["Tout près", "À deux pas", "Plus loin"]
    assert data["results"][0]["distance_km"] == pytest.approx(0.35, abs=0.002)
    assert "distance_km" not in client.get("/api/associations/").json()["results"][0]


@pytest.mark.parametrize(
    ("km", "label"),
    [
        (0.0, "à 10 m"),
        (0.347, "à 350 m"),
        (0.996, "à 1 km"),
        (1.24, "à 1,2 km"),
        (5.0, "à 5 km"),
        (9.96, "à 10 km"),
        (23.4, "à 23 km"),
    ],
)
def test_distance_label(km, label):
    assert geo.format_distance(km) == label


def test_equirectangular_is_close_to_haversine():
    point = geo.Point(LAT, LON, 50)
    lat2, lon2 = LAT + 0.3, LON + 0.4
    k_lon = geo.KM_PER_DEGREE * point.cos_lat
    approx = math.hypot((lat2 - LAT) * geo.KM_PER_DEGREE, (lon2 - LON) * k_lon)
    p1, p2 = math.radians(LAT), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - LON) / 2) ** 2
    )
    exact = 2 * 6371.0088 * math.asin(math.sqrt(h))
    assert abs(approx - exact) / exact < 0.005
