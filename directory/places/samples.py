"""Synthetic BAN and GTFS files at the real files' scale, for benchmarks (`make_places_sample`).

Every name and position is made up; the formats are the real ones: the BAN's per-department
CSV (about 600 000 rows for the Rhône, 350 000 of them in the Métropole, sorted by commune
then street, as published) and a GTFS zip shaped like the TCL feed (about 1 300 stations,
130 lines, 1.5 million stop times).
"""

import csv
import io
import random
import zipfile
from typing import TextIO

from directory.places.addresses import DATA

BAN_HEADER = (
    "id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;"
    "nom_ancienne_commune;x;y;lon;lat;type_position;alias;nom_ld;libelle_acheminement;nom_afnor;"
    "source_position;source_nom_voie;certification_commune;cad_parcelles"
)
TYPES = [
    "Rue",
    "Rue",
    "Rue",
    "Avenue",
    "Boulevard",
    "Place",
    "Chemin",
    "Impasse",
    "Allée",
    "Quai",
    "Montée",
    "Cours",
]
NAMES = [
    "Victor Hugo",
    "Jean Jaurès",
    "de la République",
    "Pasteur",
    "Gambetta",
    "de la Paix",
    "des Écoles",
    "du Stade",
    "de la Gare",
    "Anatole France",
    "Jules Ferry",
    "Émile Zola",
    "du Moulin",
    "des Lilas",
    "de l'Église",
    "Voltaire",
    "Paul Bert",
    "Garibaldi",
    "de la Mairie",
    "du Château",
    "des Tilleuls",
    "Saint-Jean",
    "Saint-Pierre",
    "du Marché",
    "de la Croix",
    "des Vignes",
    "Carnot",
    "Molière",
    "Jean Moulin",
    "du 8 Mai 1945",
    "du 11 Novembre",
    "Louis Pasteur",
    "des Acacias",
    "du Lavoir",
    "des Jardins",
    "de Marseille",
    "Sainte-Catherine",
    "des Capucins",
    "de la Charité",
    "Henri Barbusse",
    "Marcel Cachin",
    "des Roses",
    "du Bourbonnais",
    "de Bonnel",
    "Servient",
    "de Créqui",
    "Duguesclin",
    "Vendôme",
    "Tronchet",
    "Cuvier",
    "Bossuet",
    "Masséna",
]


def _communes() -> list[tuple[str, str, str, float, float]]:
    with (DATA / "communes.csv").open(encoding="utf-8") as stream:
        rows = [row for row in csv.DictReader(stream) if row["insee"] != "69123"]
    return [
        (r["insee"], r["name"], r["postcodes"].split("|")[0], float(r["lat"]), float(r["lon"])) for r in rows
    ]


def write_ban(path: str, *, rows: int = 600_000, in_metropole: int = 350_000, seed: int = 1) -> None:
    """Write a synthetic adresses-69.csv: `in_metropole` rows in the Métropole, the rest in made-up
    communes of the Rhône; about 25 numbers per street."""
    rng = random.Random(seed)
    metropole = _communes()
    others = [
        (f"69{n:03d}", f"Commune {n}", "69" + f"{n:03d}", 45.6 + n / 2000, 4.4 + n / 2000)
        for n in range(400, 500)  # codes no commune of the Rhône has
    ]
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(BAN_HEADER + "\n")
        for communes, total in ((metropole, in_metropole), (others, rows - in_metropole)):
            per_commune = total // len(communes)
            for index, (insee, name, postcode, lat0, lon0) in enumerate(communes):
                count = per_commune + (total % len(communes) if index == 0 else 0)
                _write_commune(out, rng, insee, name, postcode, lat0, lon0, count)


def _write_commune(
    out: TextIO,
    rng: random.Random,
    insee: str,
    commune: str,
    postcode: str,
    lat0: float,
    lon0: float,
    count: int,
) -> None:
    street = 0
    written = 0
    while written < count:
        street += 1
        name = f"{rng.choice(TYPES)} {rng.choice(NAMES)}"
        if street > len(NAMES):
            name += f" {street}"  # made-up names stay distinct within a commune
        fantoir = f"{insee}_{street:04d}"
        numbers = min(rng.randint(5, 45), count - written)
        lat, lon = lat0 + rng.uniform(-0.02, 0.02), lon0 + rng.uniform(-0.02, 0.02)
        dlat, dlon = rng.uniform(-0.0002, 0.0002), rng.uniform(-0.0002, 0.0002)
        for n in range(1, numbers + 1):
            rep = "bis" if n % 17 == 0 else ""
            out.write(
                f"{fantoir}_{n:05d}{'_' + rep if rep else ''};{fantoir};{n};{rep};{name};{postcode};{insee};"
                f"{commune};;;842000.00;6518000.00;{lon + n * dlon:.6f};{lat + n * dlat:.6f};entrée;;;"
                f"{commune.upper()};{name.upper()};commune;commune;1;\n"
            )
        written += numbers


def write_gtfs(
    path: str, *, stations: int = 1300, lines: int = 130, stop_times: int = 1_500_000, seed: int = 1
) -> None:
    """Write a synthetic GTFS zip shaped like the TCL feed."""
    rng = random.Random(seed)
    stops = io.StringIO()
    stops.write("stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station\n")
    for n in range(stations):
        lat, lon = 45.70 + rng.uniform(0, 0.12), 4.78 + rng.uniform(0, 0.16)
        stops.write(f"S{n},Station {rng.choice(NAMES)} {n},{lat:.6f},{lon:.6f},1,\n")
        for platform in (1, 2):
            stops.write(f"P{n}_{platform},Station {n},{lat:.6f},{lon:.6f},0,S{n}\n")
    routes = io.StringIO()
    routes.write("route_id,route_short_name,route_long_name,route_type,route_color,route_text_color\n")
    for n in range(lines):
        kind, name = (1, "ABCD"[n]) if n < 4 else (0, f"T{n - 3}") if n < 11 else (3, f"C{n}")
        routes.write(f"R{n},{name},Ligne {name},{kind},{rng.randrange(0x1000000):06X},FFFFFF\n")
    trips = io.StringIO()
    times = io.StringIO()
    trips.write("route_id,service_id,trip_id\n")
    times.write("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n")
    per_trip = 25
    route_stops = {n: rng.sample(range(stations), per_trip) for n in range(lines)}
    for trip in range(stop_times // per_trip):
        route = trip % lines
        trips.write(f"R{route},S,T{trip}\n")
        for sequence, station in enumerate(route_stops[route]):
            times.write(
                f"T{trip},06:{sequence:02d}:00,06:{sequence:02d}:00,P{station}_{1 + trip % 2},{sequence}\n"
            )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "agency.txt",
            "agency_id,agency_name,agency_url,agency_timezone\nX,Synthétique,https://example.org,Europe/Paris\n",
        )
        archive.writestr("stops.txt", stops.getvalue())
        archive.writestr("routes.txt", routes.getvalue())
        archive.writestr("trips.txt", trips.getvalue())
        archive.writestr("stop_times.txt", times.getvalue())
