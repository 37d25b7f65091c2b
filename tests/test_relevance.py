"""Relevance of /associations/ and /api/associations/ over a corpus written for it.

Each case is a query (and filters) with the listings expected among the first results. The
corpus is built once per module; every case runs on SQLite (FTS5 + Snowball stems) and on
PostgreSQL (french_unaccent tsvectors + pg_trgm), through the full HTML page.
"""

import datetime

import pytest
from django.db import transaction

from directory import search
from directory.models import Association
from tests import builders

URL = "/associations/"
SEED_FOR_DAY = search.daily_seed

# name, categories, area, quartier, short description, description
CORPUS = [
    (
        "Les Petits Cartables",
        ["aide-aux-devoirs"],
        "vaulx-en-velin",
        None,
        "Des bénévoles accompagnent les écoliers après la classe.",
        "Goûter puis travail au calme.",
    ),
    (
        "Coup de Pouce Croix-Rousse",
        ["accompagnement-scolaire"],
        "lyon-4",
        "croix-rousse",
        "Accompagnement à la scolarité du CP au collège.",
        "",
    ),
    (
        "Réussite Éducative Villeurbanne",
        ["soutien-scolaire"],
        "villeurbanne",
        None,
        "Soutien scolaire pour les collégiens et lycéens.",
        "",
    ),
    (
        "Mots Partagés",
        ["alphabetisation"],
        "lyon-7",
        "guillotiere",
        "Ateliers d'alphabétisation pour adultes.",
        "Apprendre à lire et écrire en petits groupes.",
    ),
    (
        "Lire et Écrire Vénissieux",
        ["alphabetisation"],
        "venissieux",
        None,
        "Savoirs de base et alphabétisation.",
        "",
    ),
    (
        "Français pour Tous",
        ["cours-de-francais-fle"],
        "lyon-3",
        None,
        "Cours de français langue étrangère, tous niveaux.",
        "",
    ),
    (
        "Club de Football de Gerland",
        ["football"],
        "lyon-7",
        "gerland",
        "Foot à 11 et futsal pour les 6-17 ans.",
        "",
    ),
    (
        "Football Club de la Croix-Rousse",
        ["football"],
        "lyon-4",
        "croix-rousse",
        "École de foot et équipes seniors.",
        "",
    ),
    ("AS Vaulx Futsal", ["football"], "vaulx-en-velin", None, "Futsal en salle le mercredi.", ""),
    (
        "Association Sportive de Villeurbanne",
        ["basket-et-sports-collectifs"],
        "villeurbanne",
        None,
        "Basket et handball en compétition.",
        "",
    ),
    ("Nageurs de Bron", ["natation-et-sports-nautiques"], "bron", None, "Apprendre à nager dès 6 ans.", ""),
    ("Judo Club de Monplaisir", ["sports-de-combat"], "lyon-8", "monplaisir", "Judo et ju-jitsu.", ""),
    (
        "Épicerie Solidaire des Pentes",
        ["epicerie-solidaire"],
        "lyon-1",
        "pentes-de-la-croix-rousse",
        "Des courses à petit prix.",
        "",
    ),
    (
        "Restos du Cœur Lyon 7",
        ["distribution-alimentaire"],
        "lyon-7",
        None,
        "Distribution de repas et de colis.",
        "",
    ),
    (
        "Banque Alimentaire de Vaulx",
        ["distribution-alimentaire"],
        "vaulx-en-velin",
        None,
        "Colis alimentaires chaque semaine.",
        "",
    ),
    (
        "Repas Partagés de la Guillotière",
        ["repas-solidaires"],
        "lyon-7",
        "guillotiere",
        "Un repas chaud et convivial le midi.",
        "",
    ),
    (
        "Droits Devant",
        ["aide-aux-demarches-administratives"],
        "lyon-3",
        "part-dieu",
        "Aide aux démarches administratives et aux papiers.",
        "",
    ),
    (
        "Cimade Lyon",
        ["accompagnement-des-personnes-exilees"],
        "lyon-3",
        None,
        "Accompagnement juridique des personnes exilées.",
        "",
    ),
    (
        "Point Info Surendettement",
        ["budget-et-surendettement"],
        "lyon-2",
        None,
        "Conseils budget et dossiers de surendettement.",
        "",
    ),
    ("Toit Partagé", ["hebergement-d-urgence"], "lyon-9", "vaise", "Hébergement d'urgence pour la nuit.", ""),
    (
        "Locataires Unis de Vénissieux",
        ["locataires-et-habitat"],
        "venissieux",
        None,
        "Défense des locataires.",
        "",
    ),
    ("Écoute Santé Mentale", ["sante-mentale-et-ecoute"], "lyon-6", None, "Une ligne d'écoute anonyme.", ""),
    (
        "Chorale des Gratte-Ciel",
        ["musique-et-chant"],
        "villeurbanne",
        "gratte-ciel-dedieu-charmettes",
        "Chant choral pour tous.",
        "",
    ),
    ("Danse Hip-Hop Vaulx", ["danse"], "vaulx-en-velin", None, "Breakdance et hip-hop pour les jeunes.", ""),
    ("Théâtre des Pentes", ["theatre-et-cirque"], "lyon-1", None, "Ateliers de théâtre amateur.", ""),
    (
        "Jardin Partagé de la Duchère",
        ["jardins-partages"],
        "lyon-9",
        "la-duchere",
        "Cultiver ensemble au pied des immeubles.",
        "",
    ),
    (
        "Numérique pour Tous",
        ["initiation-au-numerique"],
        "lyon-8",
        None,
        "Initiation à l'ordinateur et au smartphone.",
        "",
    ),
    (
        "Club Seniors de Caluire",
        ["clubs-et-activites-seniors"],
        "caluire-et-cuire",
        None,
        "Sorties et jeux pour les retraités.",
        "",
    ),
    (
        "Parents Solidaires Montchat",
        ["soutien-a-la-parentalite"],
        "lyon-3",
        "montchat",
        "Rencontres entre parents.",
        "",
    ),
    (
        "Emploi Jeunes Rillieux",
        ["insertion-des-jeunes"],
        "rillieux-la-pape",
        None,
        "Accompagnement vers l'emploi des 16-25 ans.",
        "",
    ),
    (
        "Garage Solidaire de Saint-Priest",
        ["mobilite-et-permis"],
        "saint-priest",
        None,
        "Réparer sa voiture à petit prix.",
        "",
    ),
    (
        "Maison des Femmes",
        ["droits-des-femmes-et-egalite"],
        "lyon-3",
        None,
        "Accueil et droits des femmes.",
        "",
    ),
    (
        "SOS Violences Conjugales",
        ["violences-conjugales-et-familiales"],
        "lyon-2",
        None,
        "Écoute et mise à l'abri.",
        "",
    ),
    ("Handisport Lyon", ["handisport-et-sport-adapte"], "lyon-8", None, "Sport en fauteuil.", ""),
    (
        "Tennis Club de Caluire",
        ["tennis-et-sports-de-raquette"],
        "caluire-et-cuire",
        None,
        "Courts couverts.",
        "",
    ),
    (
        "Vélo Plein Air Oullins",
        ["course-velo-et-plein-air"],
        "oullins-pierre-benite",
        None,
        "Sorties à vélo le dimanche.",
        "",
    ),
    (
        "Ciné-Club de la Croix-Rousse",
        ["arts-plastiques-photo-et-cinema"],
        "lyon-4",
        "croix-rousse",
        "Projections et débats.",
        "",
    ),
    (
        "Comité de Quartier Saint-Just",
        ["comites-et-animation-de-quartier"],
        "lyon-5",
        "saint-just",
        "Fêtes de quartier.",
        "",
    ),
    (
        "Amicale Laïque de Gerland",
        ["benevolat-et-entraide"],
        "lyon-7",
        "gerland",
        "Entraide entre voisins.",
        "Nous organisons aussi un tournoi de football chaque été.",
    ),
    (
        "Bibliothèque de Rue",
        ["lecture-ecriture-et-medias"],
        "lyon-8",
        None,
        "Lectures au pied des tours.",
        "",
    ),
    (
        "Sport pour Tous Vénissieux",
        ["sport"],
        "venissieux",
        None,
        "Activités sportives pour tous les âges.",
        "",
    ),
    (
        "Association Culturelle Kabyle",
        ["associations-de-diasporas"],
        "lyon-7",
        None,
        "Fêtes et cours de langue.",
        "",
    ),
    (
        "Mission Locale de Vaulx",
        ["recherche-d-emploi"],
        "vaulx-en-velin",
        None,
        "Aide à la recherche d'emploi.",
        "",
    ),
    (
        "Accueil de Jour Villeurbanne",
        ["hebergement-d-urgence"],
        "villeurbanne",
        None,
        "Douches, café et orientation.",
        "",
    ),
    ("Tricot Solidaire Nord", ["benevolat-et-entraide"], "lyon-9", None, "Tricoter ensemble.", ""),
    ("Tricot Solidaire Sud", ["benevolat-et-entraide"], "lyon-9", None, "Tricoter ensemble.", ""),
]
ARCHIVED = ("Cours de Français Archivés", ["cours-de-francais-fle"], "lyon-3", None, "Cours fermés.", "")


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    """The corpus, created once in a transaction rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        rows = {}
        for name, categories, area_slug, quartier_slug, short, description in [*CORPUS, ARCHIVED]:
            rows[name] = builders.make_association(
                name,
                categories=categories,
                area_slug=area_slug,
                quartier_slug=quartier_slug,
                short_description=short,
                description=description,
                status=Association.Status.ARCHIVED if name == ARCHIVED[0] else Association.Status.PUBLISHED,
            )
        yield rows
        transaction.set_rollback(True)


@pytest.fixture
def results(client, corpus, db):
    def get(**params):
        response = client.get(URL, params)
        assert response.status_code == 200
        return builders.result_names(response)

    return get


def area_of(corpus, name):
    return corpus[name].places.get().area.slug


# (params, expected listings, among the first n results)
CASES = [
    # Synonyms and places together: the resident's example.
    ({"q": "aide aux devoirs vaulx"}, ["Les Petits Cartables"], 1),
    ({"q": "aide aux devoirs"}, ["Les Petits Cartables", "Coup de Pouce Croix-Rousse"], 3),
    ({"q": "leçons"}, ["Les Petits Cartables"], 1),
    ({"q": "soutien scolaire"}, ["Réussite Éducative Villeurbanne", "Coup de Pouce Croix-Rousse"], 3),
    # Accents and case.
    ({"q": "alphabetisation"}, ["Mots Partagés", "Lire et Écrire Vénissieux"], 2),
    ({"q": "alphabétisation"}, ["Mots Partagés", "Lire et Écrire Vénissieux"], 2),
    ({"q": "ALPHABÉTISATION"}, ["Mots Partagés", "Lire et Écrire Vénissieux"], 2),
    ({"q": "ÉCOUTE santé"}, ["Écoute Santé Mentale"], 1),
    ({"q": "restos du coeur"}, ["Restos du Cœur Lyon 7"], 1),
    ({"q": "theatre"}, ["Théâtre des Pentes"], 1),
    # Stemming and plurals, derived words.
    ({"q": "épiceries"}, ["Épicerie Solidaire des Pentes"], 1),
    ({"q": "chorales"}, ["Chorale des Gratte-Ciel"], 1),
    ({"q": "jardins partagés"}, ["Jardin Partagé de la Duchère"], 1),
    ({"q": "sportive"}, ["Association Sportive de Villeurbanne", "Sport pour Tous Vénissieux"], 3),
    ({"q": "numeriques"}, ["Numérique pour Tous"], 1),
    # The last word as a prefix.
    ({"q": "foot"}, ["Club de Football de Gerland", "Football Club de la Croix-Rousse"], 3),
    ({"q": "surendet"}, ["Point Info Surendettement"], 1),
    ({"q": "handisp"}, ["Handisport Lyon"], 1),
    # Typos on words of five letters or more.
    ({"q": "alfabetisation"}, ["Mots Partagés", "Lire et Écrire Vénissieux"], 3),
    ({"q": "futball"}, ["Club de Football de Gerland", "Football Club de la Croix-Rousse"], 3),
    ({"q": "surendetement"}, ["Point Info Surendettement"], 1),
    ({"q": "hebergment urgence"}, ["Toit Partagé"], 3),
    ({"q": "chorrale"}, ["Chorale des Gratte-Ciel"], 1),
    # Place words: commune, first word of a commune, arrondissement, quartier, postcode.
    ({"q": "sport villeurbanne"}, ["Association Sportive de Villeurbanne"], 1),
    ({"q": "foot croix rousse"}, ["Football Club de la Croix-Rousse"], 1),
    ({"q": "danse vaulx"}, ["Danse Hip-Hop Vaulx"], 1),
    ({"q": "aide alimentaire vaulx"}, ["Banque Alimentaire de Vaulx"], 1),
    ({"q": "repas lyon 7"}, ["Repas Partagés de la Guillotière", "Restos du Cœur Lyon 7"], 2),
    ({"q": "cinema croix-rousse"}, ["Ciné-Club de la Croix-Rousse"], 1),
    ({"q": "judo monplaisir"}, ["Judo Club de Monplaisir"], 1),
    ({"q": "natation bron"}, ["Nageurs de Bron"], 1),
    ({"q": "tennis caluire"}, ["Tennis Club de Caluire"], 1),
    ({"q": "seniors caluire"}, ["Club Seniors de Caluire"], 1),
    ({"q": "emploi jeunes rillieux"}, ["Emploi Jeunes Rillieux"], 1),
    ({"q": "jardin la duchère"}, ["Jardin Partagé de la Duchère"], 1),
    ({"q": "francais 69003"}, ["Français pour Tous"], 1),
    # Categories named in the query.
    ({"q": "colis alimentaire"}, ["Banque Alimentaire de Vaulx", "Restos du Cœur Lyon 7"], 3),
    ({"q": "démarches administratives"}, ["Droits Devant"], 1),
    ({"q": "violences conjugales"}, ["SOS Violences Conjugales"], 1),
    ({"q": "garage solidaire"}, ["Garage Solidaire de Saint-Priest"], 1),
    ({"q": "hébergement d'urgence"}, ["Toit Partagé", "Accueil de Jour Villeurbanne"], 2),
    # The name outweighs the description.
    ({"q": "football"}, ["Club de Football de Gerland", "Football Club de la Croix-Rousse"], 2),
    ({"q": "gerland"}, ["Club de Football de Gerland", "Amicale Laïque de Gerland"], 2),
    # Text with filters.
    ({"q": "football", "territoire": "lyon-4"}, ["Football Club de la Croix-Rousse"], 1),
    (
        {"q": "club", "categorie": "football"},
        ["Club de Football de Gerland", "Football Club de la Croix-Rousse"],
        2,
    ),
    ({"q": "velo", "gratuit": "0"}, ["Vélo Plein Air Oullins"], 1),
]


@pytest.mark.parametrize(("params", "expected", "top"), CASES, ids=[str(case[0]) for case in CASES])
def test_relevance(results, params, expected, top):
    found = results(**params)
    missing = [name for name in expected if name not in found[:top]]
    assert not missing, f"{missing} not in the first {top} of {found[:8]}"


def test_there_are_at_least_forty_cases():
    assert len(CASES) >= 40


def test_archived_listings_never_match(results):
    assert "Cours de Français Archivés" not in results(q="cours de français")


def test_unknown_words_match_nothing(results):
    assert results(q="xylophone") == []
    assert results(q="football xylophone") == []


def test_a_place_alone_keeps_its_listings_first(results, corpus):
    vaulx = [name for name, *_rest in CORPUS if area_of(corpus, name) == "vaulx-en-velin"]
    assert sorted(results(q="vaulx")[: len(vaulx)]) == sorted(vaulx)


def test_a_postcode_filters_on_its_arrondissement(results, corpus):
    found = results(q="69003")
    assert found
    assert {area_of(corpus, name) for name in found} == {"lyon-3"}


def test_arrondissement_words_filter_on_it(results, corpus):
    found = results(q="lyon 7")
    assert len(found) >= 5
    assert {area_of(corpus, name) for name in found[:5]} == {"lyon-7"}


def test_territoire_wins_over_place_words(results, corpus):
    found = results(q="foot vaulx", territoire="lyon-4")
    assert found == ["Football Club de la Croix-Rousse"]


def test_place_word_in_a_name_still_matches_outside_the_area(results):
    # "Gerland" names a quartier; an association named after it is found wherever it is.
    assert "Club de Football de Gerland" in results(q="gerland")


# Fair tie-breaking ----------------------------------------------------------------------------


def test_equal_listings_swap_places_from_one_day_to_another(results, monkeypatch):
    twins = ["Tricot Solidaire Nord", "Tricot Solidaire Sud"]
    firsts = set()
    for offset in range(30):
        day = datetime.date(2026, 1, 1) + datetime.timedelta(days=offset)
        monkeypatch.setattr(search, "daily_seed", lambda day=day: SEED_FOR_DAY(day))
        found = results(q="tricot")
        assert sorted(found) == twins
        firsts.add(found[0])
    assert firsts == set(twins)


def test_the_order_is_stable_within_a_day(results, monkeypatch):
    monkeypatch.setattr(search, "daily_seed", lambda day=None: 12345)
    assert results(q="sport") == results(q="sport")
    assert results() == results()


def test_without_text_relevance_is_the_daily_shuffle_of_every_listing(results, monkeypatch):
    orders = []
    for seed in (1, 2, 3):
        monkeypatch.setattr(search, "daily_seed", lambda day=None, seed=seed: seed)
        orders.append(results(tri="pertinence", categorie="hebergement-d-urgence"))
    assert all(sorted(order) == ["Accueil de Jour Villeurbanne", "Toit Partagé"] for order in orders)


# Same ranking on the page and in the API ------------------------------------------------------


@pytest.mark.parametrize("params", [{"q": "sport"}, {"q": "aide aux devoirs vaulx"}, {"q": "futball"}, {}])
def test_the_api_answers_the_same_order_as_the_page(client, results, params):
    page = results(**params)
    api = client.get("/api/associations/", {**params, "page_size": 20}).json()
    assert [row["name"] for row in api["results"]] == page
