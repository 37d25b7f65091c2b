"""Geocoding: BAN answers from a local fake server, never the network."""

import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from typing import ClassVar

import pytest
from django.core.cache import cache
from django.core.management import call_command

from directory import geocoding
from directory.models import Area, Place
from tests import builders

LYON_3 = (45.7601, 4.8502)


class FakeBan(BaseHTTPRequestHandler):
    """Speaks the /search/ answer format; the street in `q` chooses the scenario."""

    # Shared on purpose: the server builds a handler per request, the test reads them all.
    calls: ClassVar[list] = []
    flaky_seen: ClassVar[set] = set()

    def log_message(self, *args):
        pass

    def do_GET(self):
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        q = query.get("q", [""])[0]
        type(self).calls.append(q)
        if "lente" in q:
            time.sleep(1.0)
        if "capricieuse" in q and q not in type(self).flaky_seen:
            type(self).flaky_seen.add(q)
            self.send_response(500)
            self.end_headers()
            return
        if "inconnue" in q:
            return self._json({"type": "FeatureCollection", "features": []})
        score, citycode = 0.91, "69383"
        if "douteuse" in q:
            score = 0.31
        if "ailleurs" in q:
            citycode = "69264"
        feature = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [LYON_3[1], LYON_3[0]]},
            "properties": {"label": q, "score": score, "type": "housenumber", "citycode": citycode},
        }
        self._json({"type": "FeatureCollection", "features": [feature]})

    def _json(self, payload):
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def ban(settings):
    FakeBan.calls = []
    FakeBan.flaky_seen = set()
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeBan)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.GEOCODER_URL = f"http://127.0.0.1:{server.server_address[1]}/search/"
    settings.GEOCODER_RATE = 1000
    cache.clear()
    yield FakeBan
    server.shutdown()
    server.server_close()
    cache.clear()


def at_area_centre(street, area_slug="lyon-3"):
    association = builders.make_association(f"Association {street}", area_slug=area_slug)
    place = association.places.get()
    place.address = f"{street}, Maison des associations"
    place.location_precision = Place.LocationPrecision.AREA
    place.save()
    return place


def geocode(**kwargs):
    return geocoding.geocode_places(
        geocoder=geocoding.Geocoder(timeout=0.3, retries=1, backoff=0.01, sleep=lambda s: None), **kwargs
    )


def test_a_good_answer_moves_the_place_to_the_address(db, ban):
    place = at_area_centre("3 rue Paul Bert")
    summary = geocode()
    assert (summary.looked_up, summary.geocoded, summary.failed) == (1, 1, 0)
    place.refresh_from_db()
    assert (place.lat, place.lon) == LYON_3
    assert place.location_precision == Place.LocationPrecision.ADDRESS
    # The complement is not sent; the city is.
    assert ban.calls == ["3 rue Paul Bert Lyon 3e"]


@pytest.mark.parametrize("street", ["1 rue douteuse", "1 rue ailleurs", "1 rue inconnue"])
def test_a_doubtful_answer_keeps_the_area_centre(db, ban, street):
    place = at_area_centre(street)
    summary = geocode()
    assert (summary.geocoded, summary.failed) == (0, 1)
    place.refresh_from_db()
    area = Area.objects.get(slug="lyon-3")
    assert (place.lat, place.lon) == (area.lat, area.lon)
    assert place.location_precision == Place.LocationPrecision.AREA


def test_a_server_error_is_retried(db, ban):
    place = at_area_centre("5 rue capricieuse")
    summary = geocode()
    assert summary.geocoded == 1
    assert len(ban.calls) == 2
    place.refresh_from_db()
    assert place.location_precision == Place.LocationPrecision.ADDRESS


def test_a_timeout_is_counted_as_failed_and_not_cached(db, ban):
    at_area_centre("7 rue lente")
    summary = geocode()
    assert (summary.failed, summary.unavailable) == (1, 1)
    assert len(ban.calls) == 2  # first try and one retry
    geocode()
    assert len(ban.calls) == 4  # still not cached


def test_a_cached_answer_makes_no_http_call(db, ban):
    at_area_centre("9 rue Paul Bert")
    other = at_area_centre("9 rue Paul Bert")  # the same address, another listing
    summary = geocode()
    assert (summary.geocoded, summary.cached) == (2, 1)
    assert len(ban.calls) == 1
    other.refresh_from_db()
    assert other.location_precision == Place.LocationPrecision.ADDRESS


def test_only_places_at_the_area_centre_are_looked_up(db, ban):
    builders.make_association("Déjà placée")  # location_precision "" (set by hand)
    at_area_centre("3 rue Paul Bert")
    assert geocode().looked_up == 1


def test_dry_run_and_limit(db, ban):
    first = at_area_centre("3 rue Paul Bert")
    at_area_centre("4 rue Paul Bert")
    summary = geocode(dry_run=True, limit=1)
    assert (summary.looked_up, summary.geocoded) == (1, 1)
    first.refresh_from_db()
    assert first.location_precision == Place.LocationPrecision.AREA


def test_rate_spaces_the_calls(db, ban):
    pauses = []
    geocoder = geocoding.Geocoder(rate=5, timeout=1, sleep=pauses.append)
    for street in ("1 rue Paul Bert", "2 rue Paul Bert"):
        geocoder.lookup(street, postcode="69003", citycodes={"69383"})
    assert len(pauses) == 1
    assert 0 < pauses[0] <= 0.2


def test_lyon_as_a_whole_accepts_its_arrondissements(db, ban):
    place = at_area_centre("3 rue Paul Bert", area_slug="lyon")
    assert geocode().geocoded == 1
    place.refresh_from_db()
    assert place.location_precision == Place.LocationPrecision.ADDRESS


def test_command_prints_the_summary(db, ban):
    at_area_centre("3 rue Paul Bert")
    at_area_centre("1 rue douteuse")
    out = StringIO()
    call_command("geocode", "--timeout", "1", stdout=out)
    assert "2 looked up, 1 geocoded, 0 cached, 1 failed" in out.getvalue()


def test_imported_places_are_geocoded(db, ban, tmp_path):
    from pathlib import Path

    call_command("import_rna", str(Path(__file__).parent / "fixtures/rna/waldec_v1.csv"), stdout=StringIO())
    waiting = geocoding.places_to_geocode().count()
    assert waiting >= 5
    summary = geocode()
    assert summary.looked_up == waiting
