"""Geocoding of places through the national address API (BAN, api-adresse.data.gouv.fr).

Only places still at their area's centre (`location_precision="area"`, as the RNA import leaves
them) are looked up. An answer is accepted when its score is at least MIN_SCORE and its INSEE
code (`citycode`) is the place's commune or arrondissement; otherwise the place keeps the area's
centre and counts as failed. Answers (found or not) are cached by normalised address in the
Django cache, so a cached address makes no HTTP call; network errors are not cached. Calls are
spaced to GEOCODER_RATE per second, time out, and are retried with backoff on 429 and 5xx.
Standard library only (urllib).
"""

import hashlib
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from directory.listings import services
from directory.models import Area, Place
from directory.places import services as place_services
from directory.places import transit
from directory.reference_data import read_csv
from directory.text import normalize

MIN_SCORE = 0.5
CACHE_PREFIX = "geocode:v1:"
CACHE_SECONDS = 90 * 24 * 3600
LYON_INSEE = "69123"
USER_AGENT = "LyonAssos geocoder (+https://lyonassos.example)"


class GeocoderUnavailable(Exception):
    """The API did not answer usefully after the retries (timeout, 5xx, 429, bad JSON)."""


@dataclass
class Answer:
    found: bool
    lat: float | None = None
    lon: float | None = None
    score: float | None = None
    citycode: str = ""
    cached: bool = False


def _expected_citycodes(area):
    """INSEE codes the API may answer for a place in this area (Lyon: its arrondissements)."""
    codes = {area.insee}
    if area.insee == LYON_INSEE:
        codes |= {str(code) for code in range(69381, 69390)}
    for row in read_csv("insee_aliases.csv"):
        if row["current_insee"] == area.insee:
            codes.add(row["old_insee"])
    return codes


class Geocoder:
    def __init__(self, *, url=None, rate=None, timeout=5.0, retries=3, backoff=0.5, sleep=time.sleep):
        self.url = url or settings.GEOCODER_URL
        rate = rate if rate is not None else settings.GEOCODER_RATE
        self.interval = 1.0 / rate if rate and rate > 0 else 0.0
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep
        self._last_call = None
        self.http_calls = 0

    @staticmethod
    def cache_key(query, postcode):
        digest = hashlib.sha1(f"{normalize(query)}|{postcode}".encode(), usedforsecurity=False).hexdigest()
        return CACHE_PREFIX + digest

    def lookup(self, query, *, postcode, citycodes):
        """The accepted answer for an address, from the cache or the API."""
        key = self.cache_key(query, postcode)
        raw = cache.get(key)
        cached = raw is not None
        if raw is None:
            raw = self._request(query, postcode)  # raises GeocoderUnavailable
            cache.set(key, raw, CACHE_SECONDS)
        answer = self._accept(raw, citycodes)
        answer.cached = cached
        return answer

    @staticmethod
    def _accept(raw, citycodes):
        if not raw.get("found"):
            return Answer(found=False)
        ok = raw["score"] >= MIN_SCORE and raw["citycode"] in citycodes
        return Answer(found=ok, lat=raw["lat"], lon=raw["lon"], score=raw["score"], citycode=raw["citycode"])

    def _wait_turn(self):
        if self._last_call is not None and self.interval:
            pause = self.interval - (time.monotonic() - self._last_call)
            if pause > 0:
                self.sleep(pause)
        self._last_call = time.monotonic()

    def _request(self, query, postcode):
        params = {"q": query, "limit": "1"}
        if postcode:
            params["postcode"] = postcode
        url = f"{self.url}?{urllib.parse.urlencode(params)}"
        if not url.startswith(("http://", "https://")):
            raise GeocoderUnavailable(f"not an http(s) URL: {self.url}")
        last_error = None
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            self._wait_turn()
            self.http_calls += 1
            request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    return self._parse(json.load(response))
            except urllib.error.HTTPError as error:
                last_error = f"HTTP {error.code}"
                if error.code != 429 and error.code < 500:
                    raise GeocoderUnavailable(last_error) from error
            except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
                last_error = str(getattr(error, "reason", error)) or error.__class__.__name__
        raise GeocoderUnavailable(last_error or "no answer")

    @staticmethod
    def _parse(payload):
        features = payload.get("features") or []
        if not features:
            return {"found": False}
        feature = features[0]
        lon, lat = feature["geometry"]["coordinates"][:2]
        properties = feature.get("properties") or {}
        return {
            "found": True,
            "lat": float(lat),
            "lon": float(lon),
            "score": float(properties.get("score") or 0),
            "citycode": str(properties.get("citycode") or ""),
        }


@dataclass
class Summary:
    looked_up: int = 0
    geocoded: int = 0
    cached: int = 0
    failed: int = 0
    unavailable: int = 0  # part of failed: the API did not answer


BULK_UPDATE_SIZE = 500


def places_located(places, *, batch_size=2000):
    """Save the new coordinates of places found at their address, then refresh the search rows
    of their listings (what a search by distance reads): the one way a place moves. The
    stations near each place (directory/places) move with it."""
    fields = ["lat", "lon", "location_precision", "transit"]
    grid = None if len(places) == 1 else transit.StationGrid(place_services.station_rows())
    for start in range(0, len(places), batch_size):
        batch = places[start : start + batch_size]
        for place in batch:
            place.location_precision = Place.LocationPrecision.ADDRESS
            place.transit = place_services.transit_for(place, grid)
        with transaction.atomic():
            if len(batch) == 1:
                batch[0].save(update_fields=fields)
            else:
                # Small UPDATEs: each is a CASE over its rows, quadratic in their number.
                Place.objects.bulk_update(batch, fields, batch_size=BULK_UPDATE_SIZE)
            services.refresh_search_text(sorted({place.association_id for place in batch}))
    return len(places)


def places_to_geocode():
    return (
        Place.objects.filter(location_precision=Place.LocationPrecision.AREA)
        .exclude(address="")
        .select_related("area")
        .order_by("pk")
    )


def geocode_places(*, geocoder=None, limit=None, dry_run=False, progress=None):
    """Look up the places still at their area's centre; save those the API places precisely."""
    geocoder = geocoder or Geocoder()
    places = places_to_geocode()
    if limit:
        places = places[:limit]
    places = list(places)
    summary = Summary()
    citycodes = {}
    for index, place in enumerate(places, 1):
        summary.looked_up += 1
        area = place.area
        if area.pk not in citycodes:
            citycodes[area.pk] = _expected_citycodes(area)
        query = place.address.split(",")[0].strip() or place.address
        city = area.short_name if area.kind == Area.Kind.ARRONDISSEMENT else area.name
        try:
            answer = geocoder.lookup(f"{query} {city}", postcode=place.postcode, citycodes=citycodes[area.pk])
        except GeocoderUnavailable:
            summary.failed += 1
            summary.unavailable += 1
            continue
        summary.cached += answer.cached
        if not answer.found:
            summary.failed += 1
            continue
        summary.geocoded += 1
        if not dry_run:
            place.lat, place.lon = answer.lat, answer.lon
            places_located([place])
        if progress:
            progress(index, len(places))
    if not dry_run and summary.geocoded:
        from directory import search  # the distance search reads the points of the search rows

        search.sync_rows(sorted({place.association_id for place in places}))
    return summary
