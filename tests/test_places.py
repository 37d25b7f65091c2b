"""Near an address, a station or a town hall (`pres`): the BAN and GTFS imports, resolving what
is typed, and the stations shown on each place (directory/places/)."""

import gzip
import io
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import Place, Street, TransitStation
from directory.places import resolve, services, text, transit
from tests.builders import make_association, result_names, soup

DATA = Path(__file__).parent / "data"
BAN = DATA / "ban" / "adresses-69-sample.csv"

pytestmark = pytest.mark.django_db


def gtfs_zip(tmp_path, *, drop=(), replace=None):
    """The sample feed of tests/data/gtfs as a zip (the form TCL publishes)."""
    path = tmp_path / "gtfs.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for member in sorted((DATA / "gtfs").iterdir()):
            if member.name in drop:
                continue
            content = member.read_text(encoding="utf-8")
            if replace and member.name in replace:
                content = replace[member.name](content)
            archive.writestr(member.name, content)
    return path


def run(command, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def places_data(tmp_path):
    run("import_addresses", BAN)
    run("import_transit", gtfs_zip(tmp_path))


# Text --------------------------------------------------------------------------------------


def test_words_spell_out_abbreviations_and_fold_accents():
    assert text.words("12 bd des Belges") == ["12", "boulevard", "belges"]
    assert text.words("Av. Jean Jaurès") == ["avenue", "jean", "jaures"]
    assert text.words("St-Jean") == ["saint", "jean"]
    assert text.words("r de Marseille") == ["rue", "marseille"]
    assert text.words("Mairie du 8ème") == ["mairie", "8e"]
    assert text.split_number("12 bis, rue de Marseille") == ("12", "bis", "rue de marseille")
    assert text.split_number("12bis rue X") == ("12", "bis", "rue x")
    assert text.split_number("Gorge de Loup") == ("", "", "gorge de loup")


def test_within_one_edit():
    assert text.within_one("marseille", "marseile")
    assert text.within_one("gambetta", "gambteta")
    assert text.within_one("loup", "loups")
    assert not text.within_one("marseille", "marsiale")


# Import of the BAN -------------------------------------------------------------------------


def test_import_addresses_keeps_the_metropole_and_reports_bad_rows():
    out, err = run("import_addresses", BAN)
    assert "20 rows read" in out
    assert "2 outside" in out  # Villefranche-sur-Saône, Tarare
    assert "3 bad rows skipped" in out
    assert "line 6: lat/lon is not a number" in err
    assert "line 10: no street name" in err
    assert "line 13: 7 fields instead of 23" in err
    names = sorted(Street.objects.values_list("name", "city"))
    assert names == [
        ("Avenue Jean Jaurès", "Lyon 7e"),
        ("Boulevard des Belges", "Lyon 6e"),
        ("Le Bois Dieu", "Sainte-Foy-lès-Lyon"),
        ("Rue Saint-Jean", "Lyon 5e"),
        ("Rue Saint-Jean", "Villeurbanne"),
        ("Rue de Marseille", "Lyon 7e"),
    ]
    marseille = Street.objects.get(name="Rue de Marseille")
    assert marseille.key == "rue marseille"
    assert marseille.postcode == "69007"
    assert [row[:2] for row in marseille.numbers] == [
        [1, ""],
        [2, ""],
        [11, ""],
        [12, ""],
        [12, "bis"],
        [20, ""],
        [30, ""],
    ]


def test_reimport_of_an_unchanged_file_writes_nothing(tmp_path):
    run("import_addresses", BAN)
    gz = tmp_path / "adresses-69.csv.gz"
    with BAN.open("rb") as source, gzip.open(gz, "wb") as target:
        shutil.copyfileobj(source, target)
    with CaptureQueriesContext(connection) as queries:
        out, _err = run("import_addresses", gz)
    assert "0 created, 0 updated, 6 unchanged, 0 deleted" in out
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []


def test_import_addresses_updates_a_changed_street_and_deletes_a_gone_one(tmp_path):
    run("import_addresses", BAN)
    lines = BAN.read_text(encoding="utf-8").splitlines()
    changed = [
        line.replace("4.842000;45.745000", "4.842500;45.745500") for line in lines if "Belges" not in line
    ]
    path = tmp_path / "adresses-69.csv"
    path.write_text("\n".join(changed) + "\n", encoding="utf-8")
    out, _err = run("import_addresses", path)
    assert "0 created, 1 updated, 4 unchanged, 1 deleted" in out
    assert not Street.objects.filter(name="Boulevard des Belges").exists()
    assert Street.objects.get(name="Avenue Jean Jaurès").numbers[0][2] == 45.7455


def test_import_addresses_dry_run_and_limit():
    out, _err = run("import_addresses", BAN, "--dry-run")
    assert out.startswith("Dry run, nothing written.")
    assert "6 created" in out
    assert not Street.objects.exists()
    out, _err = run("import_addresses", BAN, "--limit", "3")
    assert "3 rows read" in out
    assert list(Street.objects.values_list("name", flat=True)) == ["Rue de Marseille"]


def test_import_addresses_refuses_another_file(tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("a;b;c\n1;2;3\n", encoding="utf-8")
    with pytest.raises(CommandError, match="not a BAN addresses file"):
        run("import_addresses", other)
    with pytest.raises(CommandError, match="No such file"):
        run("import_addresses", tmp_path / "missing.csv")


# Import of the GTFS feed -------------------------------------------------------------------


def test_import_transit_stores_stations_and_their_lines(tmp_path):
    out, err = run("import_transit", gtfs_zip(tmp_path))
    assert "6 stations served" in out
    assert "stops.txt line 16: stop BAD1: no valid position" in err
    stations = {s.name: s for s in TransitStation.objects.all()}
    assert sorted(stations) == [
        "Cusset",
        "Gorge de Loup",
        "Grandclément",
        "Guillotière - Gabriel Péri",
        "Saxe - Gambetta",
        "Vieux Lyon - Cathédrale St Jean",
    ]
    saxe = stations["Saxe - Gambetta"]
    assert saxe.stop_id == "S_SAXE"  # the parent station, not its platforms
    assert [(line["mode"], line["name"]) for line in saxe.lines] == [("metro", "B"), ("metro", "D")]
    vieux_lyon = stations["Vieux Lyon - Cathédrale St Jean"]
    assert [(line["mode"], line["name"]) for line in vieux_lyon.lines] == [
        ("metro", "D"),
        ("funicular", "F1"),
    ]
    assert stations["Guillotière - Gabriel Péri"].rail
    grandclement = stations["Grandclément"]
    assert not grandclement.rail
    assert [line["name"] for line in grandclement.lines] == ["86", "C3"]
    # Line D's white text on its green reads at 3:1 only: black instead. The 86 has no colours.
    d = saxe.lines[1]
    assert (d["color"], d["text"]) == ("#00A44F", "#000000")
    assert transit.contrast(d["color"][1:], d["text"][1:]) >= 4.5
    assert grandclement.lines[0]["color"] == "#FFFFFF"
    assert grandclement.lines[0]["text"] == "#000000"
    out, _err = run("import_transit", gtfs_zip(tmp_path))
    assert "0 created, 0 updated, 6 unchanged, 0 deleted; 0 places" in out


def test_import_transit_refuses_an_incomplete_feed(tmp_path):
    with pytest.raises(CommandError, match=r"missing stop_times\.txt"):
        run("import_transit", gtfs_zip(tmp_path, drop=("stop_times.txt",)))
    not_zip = tmp_path / "feed.zip"
    not_zip.write_text("nope", encoding="utf-8")
    with pytest.raises(CommandError, match="not a GTFS feed"):
        run("import_transit", not_zip)


# Resolving ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "label", "lat"),
    [
        ("12 rue de Marseille", "12 Rue de Marseille, Lyon 7e", 45.7541),
        ("12 R. DE MARSEILE", "12 Rue de Marseille, Lyon 7e", 45.7541),  # abbreviation, typo, case
        ("12 bis rue de marseille", "12 bis Rue de Marseille, Lyon 7e", 45.7540),
        ("16 rue de Marseille", "16 Rue de Marseille, Lyon 7e", 45.75355),  # between 12 and 20
        ("rue de marseille", "Rue de Marseille, Lyon 7e", 45.7541),  # the street's middle number
        ("10 bd des belges", "10 Boulevard des Belges, Lyon 6e", 45.7712),
        ("av jean jaures", "Avenue Jean Jaurès, Lyon 7e", 45.745),
        ("Gorge de Loup", "Gorge de Loup (Métro D)", 45.7661),
        ("gorge de loupp", "Gorge de Loup (Métro D)", 45.7661),
        ("saxe gambeta", "Saxe - Gambetta (Métro B · Métro D)", 45.754),
        ("Mairie du 8e", "Mairie du 8e arrondissement", None),
        ("mairie de Villeurbanne", "Mairie de Villeurbanne", None),
        ("rue saint-jean villeurbanne", "Rue Saint-Jean, Villeurbanne", 45.771),
        ("Rue St Jean 69005", "Rue Saint-Jean, Lyon 5e", 45.761),
    ],
)
def test_resolve_finds_the_place(places_data, typed, label, lat):
    resolution = resolve.resolve(typed)
    assert resolution.found, resolution
    assert resolution.point.label == label
    if lat is not None:
        assert resolution.point.lat == pytest.approx(lat, abs=1e-4)


def test_resolve_a_town_hall_at_its_area(places_data):
    from directory.models import Area

    point = resolve.resolve("mairie du 8ème").point
    lyon_8 = Area.objects.get(insee="69388")
    assert (point.lat, point.lon) == (lyon_8.lat, lyon_8.lon)


def test_an_ambiguous_text_offers_choices(places_data):
    resolution = resolve.resolve("Saint-Jean")
    assert resolution.ambiguous
    labels = [choice.label for choice in resolution.choices]
    assert labels[:2] == ["Rue Saint-Jean, Lyon 5e", "Rue Saint-Jean, Villeurbanne"]
    assert "Vieux Lyon - Cathédrale St Jean (Métro D · Funiculaire F1)" in labels
    # Each choice, typed back, designates one place.
    for label in labels:
        assert resolve.resolve(label).found, label


def test_an_unknown_text_finds_nothing(places_data):
    for typed in ("rue qui n'existe pas", "zzzz", "", "12", "   ", "\x00", "a" * 500):
        resolution = resolve.resolve(typed)
        assert not resolution.found
        assert not resolution.choices


def test_resolving_takes_a_few_milliseconds(places_data):
    resolve.index()  # built once per process
    started = time.perf_counter()
    for _ in range(50):
        resolve.resolve("12 r de marseile")
        resolve.resolve("gorge de loup")
    assert (time.perf_counter() - started) / 100 < 0.01


def test_suggestions_read_the_last_word_as_a_prefix(places_data, client):
    response = client.get("/api/lieux/", {"q": "gorge de lo"})
    assert response.status_code == 200
    assert response.json()["results"][0]["label"] == "Gorge de Loup (Métro D)"
    results = client.get("/api/lieux/", {"q": "12 rue de mars"}).json()["results"]
    assert results[0]["label"] == "12 Rue de Marseille, Lyon 7e"
    assert results[0]["type"] == "address"
    assert results[0]["lat"] == pytest.approx(45.7541)
    assert client.get("/api/lieux/", {"q": "x"}).json()["results"] == []
    assert client.get("/api/lieux/", {"q": "\x00" * 300}).status_code == 200


# Transit on places -------------------------------------------------------------------------


def located(association, lat, lon):
    """Put the association's place at (lat, lon), as the geocoder would, and refresh its search
    points (what a search by distance reads)."""
    from directory import search

    Place.objects.filter(association=association).update(lat=lat, lon=lon, location_precision="address")
    search.sync_rows([association.pk])


def test_places_get_the_rail_stations_within_600_m(tmp_path):
    near_guillotiere = make_association("Près de la Guillotière")
    located(near_guillotiere, 45.7541, 4.8411)  # 12 rue de Marseille
    bus_only = make_association("Près de Grandclément", area_slug="villeurbanne")
    located(bus_only, 45.7700, 4.8850)
    far = make_association("Loin de tout")
    located(far, 45.70, 4.70)
    at_centre = make_association("Au centre de la commune")  # not geocoded: no stations
    run("import_transit", gtfs_zip(tmp_path))
    transit_of = {p.association.name: p.transit for p in Place.objects.select_related("association")}
    assert [(s["name"], s["distance"]) for s in transit_of["Près de la Guillotière"]] == [
        ("Guillotière - Gabriel Péri", 206),
        ("Saxe - Gambetta", 458),
    ]
    assert [line["name"] for line in transit_of["Près de la Guillotière"][0]["lines"]] == ["D", "T1"]
    assert [s["name"] for s in transit_of["Près de Grandclément"]] == ["Grandclément"]
    assert transit_of["Loin de tout"] == []
    assert transit_of[at_centre.name] == []


def test_a_geocoded_place_gets_its_stations(tmp_path):
    from directory import geocoding

    run("import_transit", gtfs_zip(tmp_path))
    association = make_association("Géocodée")
    place = association.places.get()
    place.lat, place.lon = 45.7661, 4.8050
    geocoding.places_located([place])
    place.refresh_from_db()
    assert [s["name"] for s in place.transit] == ["Gorge de Loup"]


def test_cards_and_listing_pages_show_the_stations(tmp_path, client, django_assert_num_queries):
    association = make_association("Accueil Guillotière")
    located(association, 45.7541, 4.8411)
    run("import_transit", gtfs_zip(tmp_path))
    page = soup(client.get("/associations/"))
    stations = page.select("#results .transit li")
    assert stations[0].get_text(" ", strip=True).startswith("Métro D")
    assert stations[0].get_text("", strip=True).endswith("·Guillotière - Gabriel Péri, 210 m")
    # The line's colour beside its written name (never alone), as an SVG fill: no inline style.
    swatch = stations[0].select_one(".line svg rect")
    assert swatch["fill"] == "#00A44F"
    assert stations[0].select_one(".line").get_text(strip=True) == "Métro D"
    detail = soup(client.get(association.get_absolute_url()))
    assert "Guillotière - Gabriel Péri" in detail.select_one(".transit").get_text()
    assert str(detail.select_one(".transit")) == str(page.select_one("#results .transit"))
    # Cards read the stations with their places: no query more.
    from directory.models import Association

    # The listings with their categories' ids, their places (with their stations): no query more.
    with django_assert_num_queries(2):
        cards = Association.objects.published().cards()
        assert next(iter(cards.values())).places.all()[0].transit


# The search parameter ----------------------------------------------------------------------


def test_search_near_an_address_sorts_by_distance(places_data, client):
    near = make_association("Tout près de Marseille")
    located(near, 45.7545, 4.8412)
    further = make_association("Un peu plus loin")
    located(further, 45.7600, 4.8450)
    away = make_association("À Gorge de Loup")
    located(away, 45.7665, 4.8048)
    response = client.get("/associations/", {"pres": "12 r de marseile", "rayon": "1"})
    assert response.status_code == 200
    assert result_names(response) == ["Tout près de Marseille", "Un peu plus loin"]
    page = soup(response)
    assert "12 Rue de Marseille, Lyon 7e" in page.select_one(".active-filters").get_text()
    response = client.get("/associations/", {"pres": "Gorge de Loup"})
    assert result_names(response)[0] == "À Gorge de Loup"
    assert page.select_one("#id_pres")["value"] == "12 r de marseile"


def test_search_with_an_ambiguous_place_lists_the_choices(places_data, client):
    make_association("Une association")
    response = client.get("/associations/", {"pres": "Saint-Jean", "q": "association"})
    assert response.status_code == 200
    page = soup(response)
    links = page.select(".place-choices a")
    assert [a.get_text() for a in links][:2] == ["Rue Saint-Jean, Lyon 5e", "Rue Saint-Jean, Villeurbanne"]
    chosen = client.get("/associations/" + links[1]["href"])
    assert chosen.status_code == 200
    assert "lat=45.77" in links[1]["href"]
    assert "pres=Rue+Saint-Jean" in links[1]["href"]
    assert not soup(chosen).select(".place-choices")


def test_search_with_an_unknown_place_says_so_and_keeps_the_results(places_data, client):
    make_association("Une association")
    response = client.get("/associations/", {"pres": "Rue Imaginaire de Nulle Part"})
    assert response.status_code == 200
    assert "introuvable" in soup(response).select_one(".notice").get_text()
    assert result_names(response) == ["Une association"]


def test_the_api_and_embeds_read_pres(places_data, client):
    near = make_association("Tout près de Marseille")
    located(near, 45.7545, 4.8412)
    away = make_association("À Gorge de Loup")
    located(away, 45.7665, 4.8048)
    services.places_transit_refresh()
    data = client.get("/api/associations/", {"pres": "12 rue de Marseille", "rayon": "2"}).json()
    assert [row["name"] for row in data["results"]] == ["Tout près de Marseille"]
    assert data["results"][0]["distance_km"] < 0.1
    assert data["results"][0]["places"][0]["transit"][0]["name"] == "Guillotière - Gabriel Péri"
    embed = client.get("/integrer/liste/", {"pres": "Gorge de Loup", "rayon": "1"})
    assert embed.status_code == 200
    assert "À Gorge de Loup" in embed.content.decode()
    assert "Tout près de Marseille" not in embed.content.decode()


def test_results_are_cached_per_place(places_data, client):
    near = make_association("Tout près de Marseille")
    located(near, 45.7545, 4.8412)
    away = make_association("À Gorge de Loup")
    located(away, 45.7665, 4.8048)
    first = client.get("/associations/", {"pres": "12 rue de Marseille", "rayon": "1"})
    second = client.get("/associations/", {"pres": "Gorge de Loup", "rayon": "1"})
    assert result_names(first) == ["Tout près de Marseille"]
    assert result_names(second) == ["À Gorge de Loup"]


# The demo's sample -------------------------------------------------------------------------


def test_seed_demo_loads_the_sample_places_once(client):
    out, _err = run("seed_demo", "--count", "30")
    assert "Sample places: 20 streets, 49 stations" in out
    assert Place.objects.exclude(transit=[]).exists()
    assert resolve.resolve("12 rue de marseille").found
    assert resolve.resolve("Gorge de Loup").found
    assert resolve.resolve("Mairie du 8e").found
    response = client.get("/associations/", {"pres": "Bellecour"})
    assert response.status_code == 200
    assert result_names(response)
    out, _err = run("seed_demo", "--count", "30")
    assert "Sample places" not in out


def test_a_wrong_street_type_still_finds_the_street(places_data):
    assert resolve.resolve("10 rue des Belges").point.label == "10 Boulevard des Belges, Lyon 6e"


def test_a_name_word_wins_over_a_commune_word(places_data, tmp_path):
    lines = BAN.read_text(encoding="utf-8").splitlines()
    mairie_street = (
        lines[1].replace("Rue de Marseille", "Rue de la Mairie").replace("69387_5460", "69388_9999")
    )
    mairie_street = mairie_street.replace(";69007;69387;Lyon 7e", ";69008;69388;Lyon 8e")
    path = tmp_path / "adresses-69.csv"
    path.write_text("\n".join([*lines, mairie_street]) + "\n", encoding="utf-8")
    run("import_addresses", path)
    assert Street.objects.filter(name="Rue de la Mairie", city="Lyon 8e").exists()
    assert resolve.resolve("Mairie du 8e").point.label == "Mairie du 8e arrondissement"
    assert resolve.resolve("rue de la mairie lyon 8e").point.label == "Rue de la Mairie, Lyon 8e"


def test_search_near_a_place_adds_no_query_but_a_house_number(places_data, client, django_assert_num_queries):
    for n in range(25):
        located(make_association(f"Association {n}"), 45.7545 + n / 10000, 4.8412)
    resolve.index()  # built once per process and import (2 queries: the stations, the streets)
    # 1. the ordered ids within the radius, nearest first, with their total   2. the facets
    # 3. the "ouvert maintenant" count (PostgreSQL: 1, 2 and 3 are one statement)   4. the page's
    # associations with their categories' ids and numbers of services   5. their places (with
    # their stations); none has services: no query of them
    joint = connection.vendor == "postgresql"
    with django_assert_num_queries(3 if joint else 5):
        response = client.get("/associations/", {"pres": "Guillotière"})
    assert len(result_names(response)) == 20
    # A house number reads its street's numbers: one more.
    with django_assert_num_queries(4 if joint else 6):
        response = client.get("/associations/", {"pres": "12 rue de Marseille"})
    assert result_names(response)[0] == "Association 0"


def test_the_api_says_which_place_pres_designated(places_data, client):
    data = client.get("/api/associations/", {"pres": "Gorge de Loup"}).json()
    assert data["pres"] == {"label": "Gorge de Loup (Métro D)", "lat": 45.7661, "lon": 4.8045, "choices": []}
    data = client.get("/api/associations/", {"pres": "Saint-Jean"}).json()
    assert data["pres"]["label"] is None
    assert [c["label"] for c in data["pres"]["choices"]][:2] == [
        "Rue Saint-Jean, Lyon 5e",
        "Rue Saint-Jean, Villeurbanne",
    ]
    assert "pres" not in client.get("/api/associations/").json()
    assert client.get("/api/associations/", {"pres": "x" * 201}).status_code == 400


def test_an_edit_that_moves_a_place_recomputes_its_stations(places_data):
    from directory.listings import state as values

    association = make_association("Déménage")
    located(association, 45.70, 4.70)
    services.places_transit_refresh()
    assert association.places.get().transit == []
    moved = values.values_from_association(association)
    moved["places"][0].update(lat=45.7661, lon=4.8050)  # next to Gorge de Loup
    values.apply_values(association, moved)
    assert [s["name"] for s in association.places.get().transit] == ["Gorge de Loup"]
    # An edit that does not move the place does not look the stations up again.
    unchanged = values.values_from_association(association)
    unchanged["places"][0]["hours_note"] = "Fermé en août"
    with CaptureQueriesContext(connection) as queries:
        values.apply_values(association, unchanged)
    assert not [q for q in queries if "directory_transitstation" in q["sql"]]


def test_the_typed_place_stays_out_of_the_logs():
    from django.http import QueryDict

    from directory.filters import search_associations
    from directory.search import budget

    params = QueryDict("pres=12+rue+de+Marseille&q=sport")
    logged = budget.logged_params(params, search_associations(params))
    assert logged == [("pres", "[masqué]"), ("q", "sport")]


def test_import_transit_dry_run_writes_nothing(tmp_path):
    out, _err = run("import_transit", gtfs_zip(tmp_path), "--dry-run")
    assert "Dry run, nothing written. Stations: 6 created" in out
    assert not TransitStation.objects.exists()


def test_a_bad_route_row_is_reported_and_skipped(tmp_path):
    feed = gtfs_zip(tmp_path, replace={"routes.txt": lambda text: text + "X,TCL,X,Sans type,,abc,,,\n"})
    _out, err = run("import_transit", feed)
    assert "routes.txt line 8: route_type is not a number" in err
    assert TransitStation.objects.count() == 6


def test_bus_stops_only_without_rail_and_at_most_three():
    bus = [{"mode": "bus", "name": str(n), "color": "#FFFFFF", "text": "#000000"} for n in range(6)]
    stations = [
        {"name": f"Arrêt {n}", "lat": 45.75 + n / 10000, "lon": 4.85, "lines": bus, "rail": False}
        for n in range(5)
    ]
    shown = transit.nearby(45.75, 4.85, stations)
    assert [s["name"] for s in shown] == ["Arrêt 0", "Arrêt 1", "Arrêt 2"]
    assert len(shown[0]["lines"]) == transit.MAX_BUS_LINES
    metro = {"mode": "metro", "name": "A", "color": "#EE3224", "text": "#FFFFFF"}
    rail = {"name": "Métro", "lat": 45.7540, "lon": 4.85, "lines": [metro, bus[0]], "rail": True}
    shown = transit.nearby(45.75, 4.85, [*stations, rail])
    assert shown == [{"name": "Métro", "distance": 445, "lines": [metro]}]  # its bus lines left out
    far = {**rail, "lat": 45.7560}  # 667 m: too far, the bus stops instead
    assert transit.nearby(45.75, 4.85, [*stations, far])[0]["name"] == "Arrêt 0"


def test_the_stations_are_escaped_and_a_station_without_lines_or_colour_still_reads():
    from bs4 import BeautifulSoup

    from directory.templatetags.places_tags import transit_stops

    html = BeautifulSoup(
        transit_stops(
            [
                {"name": "Gare <Part-Dieu>", "distance": 1420, "lines": [{"mode": "tram", "name": "T1"}]},
                {"name": "Sans ligne", "distance": 80, "lines": []},
            ]
        ),
        "html.parser",
    )
    first, second = html.select(".transit li")
    assert first.get_text("", strip=True) == "Tram T1·Gare <Part-Dieu>, 1,4 km"
    assert first.select_one("rect")["fill"] == ""
    assert second.get_text("", strip=True) == "·Sans ligne, 80 m"
    assert str(transit_stops([])) == ""
