"""A synthetic rna_waldec file in the exact current format, for tests at scale and benchmarks.

Every value is made up: ids are W69 + 7 digits, names are drawn from a small French vocabulary,
`adrg_declarant` holds fictional surnames (so that tests can check they are never imported).
About 70 % of the rows are in the Métropole (Lyon arrondissements weighted), the rest elsewhere
in the Rhône; a few are dissolved (D) or deleted (S), some have `publiweb` 0, a few have no
INSEE code (postcode only) or a legacy one (69152).
"""

import csv
import os
import random
from collections.abc import Iterator

from directory.reference_data import read_csv

from .columns import COLUMNS

# Communes of the Rhône outside the Métropole (code, postcode, name), a few on shared postcodes.
OUTSIDE = [
    ("69264", "69400", "VILLEFRANCHE SUR SAONE"),
    ("69027", "69530", "BRIGNAIS"),
    ("69013", "69480", "ANSE"),
    ("69056", "69380", "CHAZAY D AZERGUES"),
    ("69094", "69290", "GREZIEU LA VARENNE"),
    ("69270", "69330", "PUSIGNAN"),
    ("69291", "69360", "SAINT SYMPHORIEN D OZON"),
    ("69268", "69390", "VOURLES"),
    ("69136", "69700", "MONTAGNY"),
    ("69289", "69780", "SAINT PIERRE DE CHANDIEU"),
    ("69228", "69210", "SAINT ROMAIN DE POPEY"),
    ("69179", "69170", "TARARE"),
]
KINDS = [
    "ASSOCIATION",
    "AMICALE",
    "COMITE DES FETES",
    "CLUB",
    "EPICERIE SOLIDAIRE",
    "UNION SPORTIVE",
    "ASSOCIATION SPORTIVE",
    "ASSOCIATION DES PARENTS D'ELEVES",
    "AMICALE DES LOCATAIRES",
    "COLLECTIF",
    "FEDERATION",
    "SOCIETE MUSICALE",
    "THEATRE",
    "ATELIER",
]
TOPICS = [
    "DE SOLIDARITE",
    "D'ENTRAIDE",
    "DES AMIS DU QUARTIER",
    "POUR L'EDUCATION POPULAIRE",
    "DE BASKET",
    "DE FOOTBALL",
    "DES AINES",
    "CULTUREL FRANCO ALGERIEN",
    "DE PREVENTION SANTE",
    "DU PATRIMOINE",
    "DES JARDINS PARTAGES",
    "POUR LA REUSSITE SCOLAIRE",
    "DES ARTS ET DE LA CULTURE",
]
PURPOSES = [
    "FAVORISER L'ENTRAIDE ENTRE LES HABITANTS DU QUARTIER",
    "ORGANISER DES ACTIVITES SPORTIVES POUR LES JEUNES",
    "PROPOSER DE L'AIDE AUX DEVOIRS ET DU SOUTIEN SCOLAIRE",
    "DISTRIBUER DES COLIS ALIMENTAIRES AUX FAMILLES EN DIFFICULTE",
    "Promouvoir la musique et le chant choral",
    "ENSEIGNER LE FRANCAIS AUX PERSONNES ETRANGERES",
    "ANIMER LA VIE DU QUARTIER ET ORGANISER DES FETES",
    "DEFENDRE LES INTERETS DES LOCATAIRES DE LA RESIDENCE",
]
STREETS = [
    ("RUE", "DE LA REPUBLIQUE"),
    ("AV", "JEAN JAURES"),
    ("BD", "DES BROTTEAUX"),
    ("PL", "BELLECOUR"),
    ("CHE", "DES PIERRES"),
    ("QUAI", "CLAUDE BERNARD"),
    ("IMP", "DES LILAS"),
    ("MTE", "DE LA GRANDE COTE"),
    ("CRS", "GAMBETTA"),
    ("ALL", "DES TILLEULS"),
    ("RTE", "DE VIENNE"),
    ("RUE", "PAUL BERT"),
]
SURNAMES = ["ZORGLUBOVITCH", "QUIMPERLEZ", "FANTOMARD", "BRISEBARRE", "VALDOMIRE", "ESCARBILLE"]


def _siret(rng: random.Random) -> str:
    """A valid SIRET (Luhn on the SIREN and on the whole)."""
    from directory.validators import luhn_ok

    while True:
        siren = "".join(rng.choice("0123456789") for _ in range(9))
        if not luhn_ok(siren) or siren.startswith("356000000"):
            continue
        for nic in range(10000, 10100):
            value = f"{siren}{nic:05d}"
            if luhn_ok(value):
                return value


def _date(rng: random.Random, start: int = 1990, end: int = 2025) -> str:
    return f"{rng.randint(start, end)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def rows(count: int, seed: int = 1) -> Iterator[dict[str, str]]:
    rng = random.Random(seed)
    communes = [r for r in read_csv("communes.csv") if r["insee"] != "69123"]
    arrondissements = [r for r in communes if r["kind"] == "arrondissement"]
    others = [r for r in communes if r["kind"] == "commune"]
    codes = [r["code"] for r in read_csv("rna_objet_social.csv")]
    for n in range(count):
        roll = rng.random()
        if roll < 0.70:
            commune = rng.choice(arrondissements) if rng.random() < 0.55 else rng.choice(others)
            insee, postcode = commune["insee"], commune["postcodes"].split("|")[0]
            city = commune["name"].upper().replace("-", " ").replace("'", " ")
            if commune["kind"] == "arrondissement":
                city = "LYON"
            special = rng.random()
            if special < 0.01:
                insee = ""  # postcode (and name) only
            elif special < 0.015 and commune["kind"] == "arrondissement":
                insee = "69123"
            elif special < 0.02:
                insee, postcode, city = "69152", "69310", "PIERRE BENITE"
        else:
            insee, postcode, city = rng.choice(OUTSIDE)
        street_type, street = rng.choice(STREETS)
        position = "A"
        if rng.random() < 0.04:
            position = rng.choice("DS")
        title = f"{rng.choice(KINDS)} {rng.choice(TOPICS)} {n}"
        purpose = rng.choice(PURPOSES)
        objet = f"{purpose}. {rng.choice(PURPOSES)}; ORGANISER DES RENCONTRES"
        declarant = rng.choice(SURNAMES)
        yield {
            "id": f"W69{n:07d}",
            "id_ex": "" if rng.random() < 0.7 else f"{rng.randint(1, 9)}/{rng.randint(10000, 99999)}",
            "siret": _siret(rng) if rng.random() < 0.2 else "",
            "rup_mi": "",
            "gestion": "691P",
            "date_creat": _date(rng),
            "date_decla": _date(rng, 2010),
            "date_publi": _date(rng),
            "date_disso": _date(rng, 2020) if position == "D" else "0001-01-01",
            "nature": "D",
            "groupement": "S",
            "titre": title,
            "titre_court": title[:38],
            "objet": objet,
            "objet_social1": rng.choice(codes),
            "objet_social2": rng.choice(codes) if rng.random() < 0.3 else "000000",
            "adrs_complement": rng.choice(["", "", "", "MAISON DES ASSOCIATIONS", f"CHEZ {declarant}"]),
            "adrs_numvoie": str(rng.randint(1, 180)),
            "adrs_repetition": rng.choice(["", "", "", " ", "B"]),
            "adrs_typevoie": street_type,
            "adrs_libvoie": street,
            "adrs_distrib": "_",
            "adrs_codeinsee": insee,
            "adrs_codepostal": postcode,
            "adrs_libcommune": city,
            "adrg_declarant": declarant,
            "adrg_complemid": f"CHEZ {declarant}",
            "adrg_complemgeo": "",
            "adrg_libvoie": f"{rng.randint(1, 99)} RUE DES SECRETS",
            "adrg_distrib": "",
            "adrg_codepostal": postcode,
            "adrg_achemine": city,
            "adrg_pays": "FRANCE",
            "dir_civilite": rng.choice(["PM", "PF"]),
            "siteweb": f"www.asso{n}.example.org" if rng.random() < 0.1 else "",
            "publiweb": "0" if rng.random() < 0.1 else "1",
            "observation": "",
            "position": position,
            "maj_time": f"{_date(rng, 2015)} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00",
        }


def write(path: str | os.PathLike[str], *, count: int, seed: int = 1) -> int:
    with open(path, "w", encoding="latin-1", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, delimiter=";", lineterminator="\n")
        writer.writeheader()
        for row in rows(count, seed):
            writer.writerow(row)
    return count
