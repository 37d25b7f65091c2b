"""Vocabulary of the demo generator: territory weights, needs, names and sentences (all invented)."""

from dataclasses import dataclass

DEFAULT_COUNT = 300
DEFAULT_SEED = 42
PROGRESS_EVERY = 500

# ---------------------------------------------------------------------------------------------
# Territory
# ---------------------------------------------------------------------------------------------

# Approximate population (INSEE, early 2020s) of each commune and arrondissement; only used to
# weight where demo listings go. Lyon itself is split into its arrondissements.
POPULATION = {
    "69381": 29_000, "69382": 30_000, "69383": 103_000, "69384": 36_000, "69385": 48_000,
    "69386": 52_000, "69387": 86_000, "69388": 86_000, "69389": 51_000,
    "69266": 156_000, "69259": 67_000, "69256": 52_000, "69290": 48_000, "69034": 43_000,
    "69029": 42_000, "69282": 35_000, "69149": 37_000, "69286": 31_000, "69275": 29_000,
    "69244": 23_000, "69202": 22_000, "69204": 21_000, "69091": 20_000, "69199": 19_000,
    "69081": 18_000, "69089": 15_000, "69283": 13_700, "69273": 11_000, "69069": 11_000,
    "69271": 10_500, "69276": 10_000, "69096": 9_500, "69100": 8_700, "69072": 8_600,
    "69143": 7_500, "69194": 7_000, "69088": 7_000, "69142": 6_500, "69292": 6_300,
    "69279": 6_000, "69278": 5_500, "69191": 5_500, "69040": 5_500, "69044": 5_000,
    "69205": 5_000, "69260": 5_000, "69033": 5_000, "69046": 4_500, "69250": 4_300,
    "69063": 4_000, "69116": 3_800, "69127": 3_800, "69163": 3_500, "69117": 3_200,
    "69087": 3_100, "69003": 3_000, "69284": 3_000, "69207": 3_000, "69296": 3_000,
    "69068": 2_600, "69293": 2_400, "69168": 1_600, "69085": 1_500, "69153": 1_300,
    "69071": 1_200, "69233": 1_200,
}  # fmt: skip
DEFAULT_POPULATION = 3_000

# How a quartier reads inside a name: (bare form, "de" form). Quartiers missing here (or
# official council names joined by " - ") are still used for Place.quartier, never in names.
QUARTIER_LABELS = {
    "Terreaux": ("Terreaux", "des Terreaux"),
    "Saint-Vincent": ("Saint-Vincent", "de Saint-Vincent"),
    "Pentes de la Croix-Rousse": ("Pentes", "des Pentes de la Croix-Rousse"),
    "Chartreux": ("Chartreux", "des Chartreux"),
    "Presqu'île": ("Presqu'île", "de la Presqu'île"),
    "Bellecour": ("Bellecour", "de Bellecour"),
    "Cordeliers": ("Cordeliers", "des Cordeliers"),
    "Ainay": ("Ainay", "d'Ainay"),
    "Perrache": ("Perrache", "de Perrache"),
    "Sainte-Blandine": ("Sainte-Blandine", "de Sainte-Blandine"),
    "Confluence": ("Confluence", "de la Confluence"),
    "Montchat": ("Montchat", "de Montchat"),
    "Part-Dieu": ("Part-Dieu", "de la Part-Dieu"),
    "Villette": ("Villette", "de la Villette"),
    "Paul Bert": ("Paul Bert", "de Paul Bert"),
    "Préfecture": ("Préfecture", "de la Préfecture"),
    "Moncey": ("Moncey", "de Moncey"),
    "Voltaire": ("Voltaire", "de Voltaire"),
    "Sans Souci": ("Sans Souci", "de Sans Souci"),
    "Dauphiné": ("Dauphiné", "du Dauphiné"),
    "Grange Blanche": ("Grange Blanche", "de Grange Blanche"),
    "Croix-Rousse": ("Croix-Rousse", "de la Croix-Rousse"),
    "Gros Caillou": ("Gros Caillou", "du Gros Caillou"),
    "Serin": ("Serin", "de Serin"),
    "Chazière": ("Chazière", "de Chazière"),
    "Vieux Lyon": ("Vieux Lyon", "du Vieux Lyon"),
    "Saint-Jean": ("Saint-Jean", "de Saint-Jean"),
    "Saint-Paul": ("Saint-Paul", "de Saint-Paul"),
    "Saint-Georges": ("Saint-Georges", "de Saint-Georges"),
    "Fourvière": ("Fourvière", "de Fourvière"),
    "Saint-Just": ("Saint-Just", "de Saint-Just"),
    "Saint-Irénée": ("Saint-Irénée", "de Saint-Irénée"),
    "Point du Jour": ("Point du Jour", "du Point du Jour"),
    "Ménival": ("Ménival", "de Ménival"),
    "La Sarra": ("Sarra", "de la Sarra"),
    "Les Battières": ("Battières", "des Battières"),
    "Jeunet": ("Jeunet", "de Jeunet"),
    "Brotteaux": ("Brotteaux", "des Brotteaux"),
    "Masséna": ("Masséna", "de Masséna"),
    "Tête d'Or": ("Tête d'Or", "de la Tête d'Or"),
    "Bellecombe": ("Bellecombe", "de Bellecombe"),
    "Guillotière": ("Guillotière", "de la Guillotière"),
    "Jean Macé": ("Jean Macé", "de Jean Macé"),
    "Gerland": ("Gerland", "de Gerland"),
    "Saint-Louis": ("Saint-Louis", "de Saint-Louis"),
    "Blandan": ("Blandan", "de Blandan"),
    "Girondins": ("Girondins", "des Girondins"),
    "La Mouche": ("La Mouche", "de la Mouche"),
    "Monplaisir": ("Monplaisir", "de Monplaisir"),
    "Etats-Unis": ("États-Unis", "des États-Unis"),
    "Bachut": ("Bachut", "du Bachut"),
    "Transvaal": ("Transvaal", "du Transvaal"),
    "Laënnec": ("Laënnec", "de Laënnec"),
    "Mermoz": ("Mermoz", "de Mermoz"),
    "Santy": ("Santy", "de Santy"),
    "Grand Trou": ("Grand Trou", "du Grand Trou"),
    "Moulin à Vent": ("Moulin à Vent", "du Moulin à Vent"),
    "Petite Guille": ("Petite Guille", "de la Petite Guille"),
    "La Duchère": ("Duchère", "de la Duchère"),
    "Vaise": ("Vaise", "de Vaise"),
    "Industrie": ("Industrie", "de l'Industrie"),
    "Valmy": ("Valmy", "de Valmy"),
    "Gorge de Loup": ("Gorge de Loup", "de Gorge de Loup"),
    "Saint-Rambert-l'Île-Barbe": ("Saint-Rambert", "de Saint-Rambert"),
    "Île Barbe": ("Île Barbe", "de l'Île Barbe"),
    "Rochecardon": ("Rochecardon", "de Rochecardon"),
    "Montribloud": ("Montribloud", "de Montribloud"),
    "Buers Croix-Luizet": ("Buers", "des Buers"),
    "Charpennes Tonkin": ("Charpennes", "des Charpennes"),
    "Cusset Bonnevay": ("Cusset", "de Cusset"),
    "Cyprian Les Brosses": ("Les Brosses", "des Brosses"),
    "Ferrandière Maisons Neuves": ("Maisons-Neuves", "des Maisons-Neuves"),
    "Gratte-Ciel Dedieu Charmettes": ("Gratte-Ciel", "des Gratte-Ciel"),
    "Perralière Grandclément": ("Grandclément", "de Grandclément"),
}

# Well-known neighbourhoods of communes that have no quartier areas: used in names only.
LOCALITIES = {
    "69259": [
        ("Minguettes", "des Minguettes"),
        ("Parilly", "de Parilly"),
        ("Moulin-à-Vent", "du Moulin-à-Vent"),
    ],
    "69256": [
        ("Mas du Taureau", "du Mas du Taureau"),
        ("Grande Île", "de la Grande Île"),
        ("Village", "du Village"),
    ],
    "69290": [("Bel Air", "de Bel Air"), ("Manissieux", "de Manissieux"), ("Garibaldi", "de Garibaldi")],
    "69029": [("Terraillon", "de Terraillon"), ("Parilly", "de Parilly")],
    "69286": [("Ville nouvelle", "de la Ville nouvelle"), ("Crépieux", "de Crépieux")],
    "69034": [("Montessuy", "de Montessuy"), ("Saint-Clair", "de Saint-Clair")],
    "69091": [("Vernes", "des Vernes"), ("Canabières", "des Canabières")],
    "69199": [("Arsenal", "de l'Arsenal"), ("Carnot-Parmentier", "de Carnot-Parmentier")],
    "69282": [("Plantées", "des Plantées"), ("Grand Large", "du Grand Large")],
    "69275": [("Prainet", "du Prainet"), ("Charpieu", "de Charpieu")],
}

STREETS = [
    "rue de la République", "avenue Jean Jaurès", "place de la Mairie", "rue Victor Hugo",
    "rue Pasteur", "boulevard des Tchécoslovaques", "rue de la Paix", "chemin des Vignes",
    "rue du Stade", "avenue de la Libération", "rue Émile Zola", "rue des Écoles",
    "rue Jules Ferry", "place du Marché", "rue Anatole France", "avenue du Général de Gaulle",
    "rue de l'Église", "rue Louis Pasteur", "rue Gambetta", "rue des Tilleuls",
    "rue du Professeur Roux", "montée des Carmes", "quai du Rhône", "rue des Peupliers",
    "rue Paul Bert", "rue de la Gare", "allée des Tilleuls", "rue Jean Moulin",
    "rue Marcel Pagnol", "avenue Pierre Mendès France", "rue des Lilas", "rue du Lavoir",
    "rue Lamartine", "rue Voltaire", "rue du Repos", "rue de la Fraternité",
    "rue Ambroise Paré", "rue Danton", "place Jean Macé", "rue des Glycines",
    "rue Olympe de Gouges", "rue Lucie Aubrac", "rue Simone Veil", "rue Germaine Tillion",
    "impasse des Saules", "rue du Moulin", "rue Condorcet", "rue des Fleurs",
    "cours de la Liberté", "rue de la Convention",
]  # fmt: skip

# ---------------------------------------------------------------------------------------------
# Categories: how each need reads in names and descriptions
# ---------------------------------------------------------------------------------------------

# Invented names used as the first part of some association names.
BRANDS = [
    "L'Escale", "Le Relais", "Trait d'union", "Passerelles", "La Boussole", "L'Étincelle",
    "Arc-en-ciel", "Le Fil", "Horizons", "Cap Avenir", "L'Envol", "Les Lucioles",
    "La Clé des champs", "Le Phare", "La Courte Échelle", "Mille Pattes", "Le Pas de côté",
    "La Passerelle", "Les Tournesols", "Main dans la main", "L'Accroche", "Le Lien",
    "Bouts de ficelle", "La Marelle", "Le Tremplin", "Les Cerisiers", "La Fabrique",
    "L'Archipel", "Le Carré", "Ensemble", "Petits Pas", "La Traverse", "L'Atelier",
    "Le Grand Chemin", "Point de repère", "Le Rebond", "La Bergerie", "L'Olivier",
]  # fmt: skip

SECTORS = ["secteur Nord", "secteur Sud", "secteur Est", "secteur Ouest", "secteur Centre", "rive gauche"]

# Words that must never appear in a demo name (real networks, trademarks).
FORBIDDEN_NAME_WORDS = [
    "restos du coeur", "restaurants du coeur", "secours populaire", "secours catholique",
    "emmaus", "croix rouge", "banque alimentaire", "habitat et humanisme", "atd quart monde",
    "planning familial", "apprentis d auteuil", "petits freres", "forum refugies", "cimade",
    "medecins du monde", "samu social", "france terre d asile", "unis cite", "olympique",
    "asvel", "france services", "colibris", "ruche qui dit oui", "afev", "scouts",
    "repair cafe", "accorderie", "cap emploi", "handisport", "gym volontaire",
]  # fmt: skip


@dataclass(frozen=True)
class Family:
    """What the sub-categories of one top-level category share."""

    weight: int
    audiences: tuple  # audience slugs, the first ones most likely
    languages: tuple  # language codes other than French, most likely first
    max_languages: int  # other languages at most, when the listing has any
    fees: tuple  # ((fees, weight, (details, ...)), ...)
    reception: tuple  # weights for walk_in, appointment, both
    hours: tuple  # names of HOURS_PATTERNS
    venues: tuple  # Place.name of a seat (often left blank)
    founders: tuple  # "à l'initiative …"
    practical: tuple  # third paragraph
    partners: tuple  # fourth paragraph
    volunteers: tuple
    notes: tuple  # Place.hours_note
    colours: tuple  # logo colours
    language_share: float = 0.5  # how often a listing speaks something besides French


@dataclass(frozen=True)
class Need:
    """One sub-category: name patterns ({de}, {lieu}, {a}, {brand}), a short description,
    a mission sentence, activities (noun phrases) and the sub-categories it often goes with."""

    names: tuple
    short: str
    mission: str
    activities: tuple
    also: tuple = ()
    audiences: tuple = ()  # overrides the family's
    languages: tuple = ()  # overrides the family's
    fees: tuple = ()  # overrides the family's
    hours: tuple = ()  # overrides the family's


SOCIAL_FEES = (
    ("free", 90, ("", "Accueil et accompagnement gratuits.")),
    ("membership", 10, ("Adhésion symbolique de 2 € par an",)),
)
CLUB_FEES = (
    ("membership", 85, ("Adhésion annuelle 20 €", "Adhésion annuelle 25 € (famille 40 €)", "Cotisation de 15 à 60 € selon le quotient familial", "Adhésion annuelle 30 €, tarif réduit 10 €")),
    ("paid", 10, ("Séance à 5 €, carte de 10 séances 40 €", "Stage de 5 jours : 60 €")),
    ("free", 5, ("Activités gratuites, ouvertes à tous",)),
)  # fmt: skip
SPORT_FEES = (
    ("membership", 90, ("Licence et adhésion : 120 € par an (pass'Sport accepté)", "Cotisation annuelle 90 € enfants, 140 € adultes", "Adhésion annuelle 60 €, licence comprise", "Cotisation 150 € par saison, réduction à partir du 2e enfant")),
    ("paid", 10, ("Séance découverte offerte, puis 8 € la séance",)),
)  # fmt: skip

FAMILIES = {
    "alimentation": Family(
        weight=6,
        audiences=("tout-public", "familles", "sans-abri", "etudiants", "seniors"),
        languages=("ar", "en", "ro", "uk", "es"),
        max_languages=2,
        fees=SOCIAL_FEES,
        reception=(50, 20, 30),
        hours=("distribution", "afternoons"),
        venues=("", "", "Local associatif", "Salle paroissiale", "Maison des associations"),
        founders=(
            "d'habitants du quartier",
            "de bénévoles engagés contre la précarité",
            "de commerçants et d'habitants",
        ),
        practical=(
            "L'accès à l'aide alimentaire se fait sur orientation d'un travailleur social (CCAS, Maison de la Métropole) ou après un premier entretien avec nos bénévoles. Apportez un justificatif de domicile et de ressources si vous en avez ; sinon, venez quand même, nous trouverons une solution.",
            "Nos bénévoles accueillent chacun avec discrétion et sans jugement. Les produits frais viennent de dons de commerces voisins et de producteurs de la région, ce qui nous permet de proposer chaque semaine des fruits et légumes.",
        ),
        partners=(
            "Nous travaillons en lien avec le CCAS, les Maisons de la Métropole et les autres associations d'aide alimentaire du secteur.",
            "Nous luttons aussi contre le gaspillage : les invendus des commerces du quartier sont récupérés chaque soir par une équipe à vélo.",
        ),
        volunteers=(
            "Nous cherchons des bénévoles pour la collecte du samedi et la distribution du mardi après-midi.",
            "Besoin de renfort pour trier les dons et tenir l'accueil, même deux heures par mois.",
            "Chauffeurs bénévoles (permis B) recherchés pour la tournée de ramasse.",
        ),
        notes=(
            "Fermé en août.",
            "Sur orientation d'un travailleur social.",
            "Distribution le 1er samedi du mois.",
            "Apporter un sac ou un cabas.",
        ),
        colours=("#2e7d32", "#558b2f", "#ef6c00"),
    ),
    "soutien-scolaire": Family(
        weight=6,
        audiences=("enfants", "jeunes", "parents", "familles"),
        languages=("ar", "en", "tr", "es"),
        max_languages=1,
        fees=(
            ("free", 60, ("", "Gratuit, inscription obligatoire")),
            (
                "membership",
                40,
                ("Adhésion annuelle 10 € par famille", "Adhésion de 5 à 30 € selon le quotient familial"),
            ),
        ),
        reception=(25, 45, 30),
        hours=("homework", "kids"),
        venues=("", "Centre social", "Salle de l'école", "Maison de quartier"),
        founders=("de parents d'élèves", "d'enseignants à la retraite", "d'étudiants et d'habitants"),
        practical=(
            "Les inscriptions se font en septembre et en janvier, en présence d'un parent. Nous rencontrons chaque famille pour comprendre les besoins de l'enfant et faisons le point avec elle à chaque trimestre.",
            "Les groupes sont petits (un bénévole pour deux ou trois enfants) et nous restons en contact avec les enseignants quand la famille le souhaite. Un goûter est offert à chaque séance.",
        ),
        partners=(
            "Nous travaillons avec les écoles et collèges du secteur, le centre social et la médiathèque.",
            "Notre action s'inscrit dans le contrat local d'accompagnement à la scolarité (CLAS) soutenu par la CAF.",
        ),
        volunteers=(
            "Nous cherchons des bénévoles disponibles une heure par semaine, en fin de journée, pour accompagner des élèves de primaire.",
            "Étudiants, retraités, actifs : rejoignez notre équipe de bénévoles pour l'aide aux devoirs, même sans expérience.",
            "Bénévoles recherchés en mathématiques et en anglais pour des collégiens.",
        ),
        notes=("Hors vacances scolaires.", "Sur inscription.", "Reprise mi-septembre."),
        colours=("#1565c0", "#0277bd", "#5e35b1"),
        language_share=0.35,
    ),
    "apprendre-le-francais": Family(
        weight=5,
        audiences=("migrants-refugies", "tout-public", "femmes", "demandeurs-emploi"),
        languages=("ar", "en", "uk", "ru", "fa", "ps", "ti", "es", "tr", "zh", "sq", "ka", "pt"),
        max_languages=3,
        fees=(
            ("free", 65, ("", "Cours gratuits, adhésion facultative")),
            (
                "membership",
                35,
                ("Adhésion annuelle 10 €", "Adhésion de 5 à 20 € par an selon les ressources"),
            ),
        ),
        reception=(25, 40, 35),
        hours=("classes", "afternoons"),
        venues=("", "Maison des associations", "Centre social", "Salle de la médiathèque"),
        founders=(
            "de formatrices et formateurs bénévoles",
            "d'habitants du quartier",
            "d'anciens enseignants",
        ),
        practical=(
            "Un test de positionnement oral et écrit permet de rejoindre un groupe adapté à son niveau. Les inscriptions sont possibles toute l'année, dans la limite des places disponibles.",
            "Les groupes comptent une dizaine de personnes. Les supports de cours sont fournis et une garde d'enfants est possible pendant certains cours du matin.",
        ),
        partners=(
            "Nous orientons aussi vers les cours de l'OFII pour les personnes qui signent un contrat d'intégration républicaine.",
            "Nous travaillons avec la médiathèque du quartier, les centres sociaux et les structures d'accompagnement vers l'emploi.",
        ),
        volunteers=(
            "Nous cherchons des formatrices et formateurs bénévoles pour un cours de deux heures par semaine ; une formation est proposée.",
            "Bénévoles recherchés pour animer des ateliers de conversation le samedi matin.",
        ),
        notes=(
            "Hors vacances scolaires.",
            "Inscriptions en septembre et en janvier.",
            "Test de niveau sur rendez-vous.",
        ),
        colours=("#c62828", "#ad1457", "#6a1b9a"),
        language_share=0.95,
    ),
    "droits-et-acces-au-droit": Family(
        weight=5,
        audiences=("tout-public", "migrants-refugies", "femmes", "seniors"),
        languages=("ar", "en", "es", "pt", "ru", "tr"),
        max_languages=2,
        fees=SOCIAL_FEES,
        reception=(20, 50, 30),
        hours=("office", "permanence"),
        venues=("", "Maison de la justice et du droit", "Maison des associations", "Local associatif"),
        founders=(
            "de juristes bénévoles",
            "de travailleurs sociaux",
            "d'habitants et de militants associatifs",
        ),
        practical=(
            "Nos permanences sont gratuites et confidentielles. Pensez à apporter les documents liés à votre situation (courriers, contrats, décisions) : nous gagnerons du temps pour vous aider.",
            "Nous ne faisons pas les démarches à votre place : nous les faisons avec vous, pour que vous puissiez les mener vous-même la prochaine fois.",
        ),
        partners=(
            "Nous travaillons avec les avocats du barreau de Lyon, le Défenseur des droits et les permanences d'accès au droit de la Métropole.",
            "Quand votre demande dépasse nos compétences, nous vous orientons vers le bon interlocuteur, sans vous laisser sans réponse.",
        ),
        volunteers=(
            "Nous recherchons des bénévoles ayant une formation en droit pour renforcer nos permanences.",
            "Bénévoles recherchés pour l'accueil et l'aide aux démarches, une demi-journée par semaine.",
        ),
        notes=(
            "Sur rendez-vous en dehors des permanences.",
            "Fermé pendant les vacances de Noël.",
            "Permanence juridique le 1er jeudi du mois.",
        ),
        colours=("#37474f", "#283593", "#4e342e"),
    ),
    "logement": Family(
        weight=3,
        audiences=("sans-abri", "familles", "jeunes", "tout-public"),
        languages=("ar", "en", "ro", "es"),
        max_languages=2,
        fees=SOCIAL_FEES,
        reception=(35, 40, 25),
        hours=("office", "afternoons"),
        venues=("", "Accueil de jour", "Local associatif"),
        founders=("de travailleurs sociaux", "d'habitants solidaires", "de locataires du quartier"),
        practical=(
            "Nous recevons toute personne concernée, quelle que soit sa situation administrative. Un premier entretien permet de faire le point et de construire un accompagnement sur mesure.",
            "Pour les urgences de mise à l'abri, composez le 115. Nos équipes prennent le relais pour l'accompagnement sur la durée.",
        ),
        partners=(
            "Nous travaillons avec la Maison de la Veille Sociale, les bailleurs sociaux et les services de la Métropole.",
            "Nous siégeons aux commissions locales où se décident les attributions et les solutions d'hébergement.",
        ),
        volunteers=(
            "Nous cherchons des bénévoles pour l'accueil de jour, le matin de 8 h à 11 h.",
            "Bénévoles bricoleurs recherchés pour des chantiers d'amélioration de logements.",
        ),
        notes=("Ouvert aussi les jours fériés en hiver.", "Permanence locataires le 2e mardi du mois."),
        colours=("#6d4c41", "#00695c", "#455a64"),
    ),
    "sante-et-bien-etre": Family(
        weight=5,
        audiences=("tout-public", "jeunes", "femmes", "sans-abri", "seniors"),
        languages=("en", "ar", "es", "ro", "ru"),
        max_languages=2,
        fees=(
            ("free", 75, ("", "Gratuit et anonyme")),
            (
                "membership",
                25,
                ("Adhésion annuelle 15 €", "Adhésion annuelle 20 €, gratuite pour les personnes concernées"),
            ),
        ),
        reception=(30, 45, 25),
        hours=("office", "afternoons", "permanence"),
        venues=("", "Maison de santé", "Local associatif", "Maison des associations"),
        founders=("de soignants bénévoles", "de patients et de proches", "de professionnels de santé"),
        practical=(
            "Nos entretiens sont confidentiels et, si vous le souhaitez, anonymes. Vous pouvez venir seul ou accompagné d'un proche.",
            "Nous ne remplaçons pas un médecin, mais nous vous aidons à trouver les bons interlocuteurs et à ne pas rester seul face à vos questions de santé.",
        ),
        partners=(
            "Nous travaillons avec les hôpitaux de Lyon, les centres de santé et les maisons de santé du secteur.",
            "Nos actions sont menées avec le soutien de l'Agence régionale de santé et de la Métropole.",
        ),
        volunteers=(
            "Nous cherchons des bénévoles pour l'écoute et l'accueil ; une formation de deux jours est proposée.",
            "Bénévoles recherchés pour tenir des stands de prévention lors des événements du quartier.",
        ),
        notes=(
            "Sans rendez-vous le mercredi.",
            "Fermé en août.",
            "Consultations sur rendez-vous uniquement.",
        ),
        colours=("#00838f", "#00897b", "#d81b60"),
    ),
    "emploi-et-insertion": Family(
        weight=5,
        audiences=("demandeurs-emploi", "jeunes", "femmes", "tout-public"),
        languages=("ar", "en", "es", "pt"),
        max_languages=1,
        fees=(("free", 90, ("", "Accompagnement gratuit")), ("membership", 10, ("Adhésion annuelle 10 €",))),
        reception=(20, 55, 25),
        hours=("office",),
        venues=("", "Espace emploi", "Maison des associations", "Pépinière d'entreprises"),
        founders=(
            "de chefs d'entreprise et de conseillers en insertion",
            "d'habitants du quartier",
            "de professionnels de l'accompagnement",
        ),
        practical=(
            "L'accompagnement commence par un entretien individuel pour faire le point sur votre parcours, vos envies et vos contraintes (garde d'enfants, mobilité, santé).",
            "Nous vous accompagnons aussi longtemps que nécessaire, y compris pendant les premiers mois dans votre nouvel emploi.",
        ),
        partners=(
            "Nous travaillons avec France Travail, la Mission locale, les entreprises du territoire et les organismes de formation.",
            "Notre réseau compte plus de cinquante entreprises partenaires qui accueillent des stages et recrutent.",
        ),
        volunteers=(
            "Nous cherchons des parrains et marraines en activité pour accompagner des demandeurs d'emploi pendant six mois.",
            "Bénévoles recherchés pour simuler des entretiens d'embauche, une soirée par mois.",
        ),
        notes=("Ateliers collectifs le jeudi matin.", "Fermé entre Noël et le Nouvel An."),
        colours=("#ef6c00", "#f9a825", "#5d4037"),
        language_share=0.35,
    ),
    "numerique": Family(
        weight=3,
        audiences=("seniors", "tout-public", "demandeurs-emploi", "migrants-refugies"),
        languages=("ar", "en", "es"),
        max_languages=1,
        fees=(
            ("free", 70, ("", "Ateliers gratuits")),
            (
                "membership",
                30,
                ("Adhésion annuelle 15 €", "Adhésion 10 €, ordinateurs reconditionnés dès 80 €"),
            ),
        ),
        reception=(40, 30, 30),
        hours=("afternoons", "office"),
        venues=("", "Espace numérique", "Médiathèque", "Tiers-lieu"),
        founders=("de passionnés d'informatique", "d'habitants du quartier", "d'anciens techniciens"),
        practical=(
            "Pas besoin d'avoir un ordinateur : des postes sont à disposition. Venez avec vos identifiants (numéro fiscal, identifiant CAF ou Ameli) si vous voulez avancer sur une démarche.",
            "Les ateliers réunissent six personnes au plus, pour que chacun avance à son rythme. Nous ne conservons aucune de vos données personnelles.",
        ),
        partners=(
            "Nous travaillons avec les médiathèques, les centres sociaux et les conseillers numériques du territoire.",
            "Nous récupérons les ordinateurs usagés d'entreprises et de collectivités pour leur donner une seconde vie.",
        ),
        volunteers=(
            "Nous cherchons des bénévoles patients et pédagogues pour accompagner des débutants sur smartphone.",
            "Bénévoles recherchés pour reconditionner des ordinateurs le samedi matin.",
        ),
        notes=("Sur inscription pour les ateliers.", "Accès libre aux ordinateurs pendant les permanences."),
        colours=("#3949ab", "#1e88e5", "#00acc1"),
        language_share=0.3,
    ),
    "famille-et-parentalite": Family(
        weight=7,
        audiences=("parents", "familles", "enfants", "femmes"),
        languages=("ar", "en", "tr", "es", "pt"),
        max_languages=1,
        fees=(
            (
                "membership",
                50,
                ("Adhésion annuelle 15 € par famille", "Tarif selon le quotient familial CAF"),
            ),
            ("free", 40, ("", "Accueil gratuit")),
            ("paid", 10, ("Tarif horaire selon le quotient familial",)),
        ),
        reception=(35, 30, 35),
        hours=("kids", "afternoons", "office"),
        venues=("", "Maison de l'enfance", "Centre social", "Maison de quartier"),
        founders=("de parents du quartier", "de professionnels de la petite enfance", "de familles"),
        practical=(
            "Nous accueillons les familles dans un cadre bienveillant, sans jugement. Les temps d'échange sont animés par des professionnels formés à l'écoute.",
            "Les inscriptions se font auprès de l'accueil, en présence d'un parent, avec le carnet de santé de l'enfant et l'attestation de quotient familial.",
        ),
        partners=(
            "Nous travaillons avec la CAF, la PMI, les écoles et les centres sociaux du secteur.",
            "Nos actions sont soutenues par la CAF du Rhône et la Métropole de Lyon.",
        ),
        volunteers=(
            "Nous cherchons des bénévoles pour accompagner les sorties familles du samedi.",
            "Bénévoles recherchés pour animer des ateliers parents-enfants.",
        ),
        notes=(
            "Hors vacances scolaires.",
            "Programme des vacances disponible à l'accueil.",
            "Sur inscription.",
        ),
        colours=("#f57c00", "#e53935", "#8e24aa"),
    ),
    "seniors": Family(
        weight=5,
        audiences=("seniors", "tout-public"),
        languages=("it", "es", "pt", "ar"),
        max_languages=1,
        fees=(
            ("membership", 60, ("Adhésion annuelle 20 €", "Cotisation annuelle 25 €, sorties en supplément")),
            ("free", 40, ("", "Visites gratuites")),
        ),
        reception=(40, 30, 30),
        hours=("seniors",),
        venues=("", "Club des aînés", "Salle des fêtes", "Résidence autonomie"),
        founders=("de retraités du quartier", "de bénévoles", "d'habitants attentifs à leurs voisins"),
        practical=(
            "Nos activités sont ouvertes à tous les retraités, adhérents ou non : venez découvrir le club autour d'un café, sans engagement.",
            "Si vous ne pouvez pas vous déplacer, nos bénévoles peuvent venir chez vous ou vous appeler chaque semaine.",
        ),
        partners=(
            "Nous travaillons avec le CCAS, les résidences seniors et les caisses de retraite.",
            "Nous organisons chaque année un repas partagé avec l'école voisine pour faire se rencontrer les générations.",
        ),
        volunteers=(
            "Nous cherchons des bénévoles pour rendre visite à des personnes âgées isolées, une heure par semaine.",
            "Bénévoles recherchés pour animer un après-midi jeux ou accompagner les sorties.",
        ),
        notes=("Fermé en août.", "Goûter le dernier jeudi du mois.", "Transport possible sur demande."),
        colours=("#6d4c41", "#8d6e63", "#7b1fa2"),
        language_share=0.2,
    ),
    "handicap": Family(
        weight=4,
        audiences=("personnes-handicapees", "enfants", "familles", "jeunes"),
        languages=("fse", "en"),
        max_languages=1,
        fees=(
            ("membership", 60, ("Adhésion annuelle 25 €", "Adhésion annuelle 30 €, gratuite pour l'aidant")),
            ("free", 40, ("", "Accompagnement gratuit")),
        ),
        reception=(20, 50, 30),
        hours=("office", "kids"),
        venues=("", "Maison des associations", "Local associatif", "Gymnase"),
        founders=(
            "de parents concernés",
            "de personnes en situation de handicap",
            "de professionnels du médico-social",
        ),
        practical=(
            "Nos locaux sont pensés pour être accessibles. Dites-nous à l'avance vos besoins particuliers (interprète LSF, accompagnant, matériel) pour que nous puissions vous accueillir au mieux.",
            "Nous accueillons les personnes concernées comme leurs proches, et nous pouvons vous aider à monter votre dossier à la MDPH.",
        ),
        partners=(
            "Nous travaillons avec la MDPH, les établissements médico-sociaux et les clubs sportifs du territoire.",
            "Nous sommes membres d'un collectif d'associations qui défend l'accessibilité dans la Métropole.",
        ),
        volunteers=(
            "Nous cherchons des bénévoles pour accompagner les sorties du samedi.",
            "Bénévoles recherchés pour l'accueil et l'aide administrative, une demi-journée par semaine.",
        ),
        notes=(
            "Locaux accessibles, place de parking réservée.",
            "Sur rendez-vous pour l'aide au dossier MDPH.",
        ),
        colours=("#0277bd", "#00897b", "#512da8"),
        language_share=0.3,
    ),
    "sport": Family(
        weight=18,
        audiences=("enfants", "jeunes", "tout-public", "femmes", "seniors", "personnes-handicapees"),
        languages=("en", "es", "it", "pt"),
        max_languages=1,
        fees=SPORT_FEES,
        reception=(70, 5, 25),
        hours=("evening_sport", "kids"),
        venues=("Gymnase municipal", "Complexe sportif", "Stade municipal", "Salle des sports", ""),
        founders=("de passionnés", "d'anciens joueurs et de parents", "d'habitants du quartier"),
        practical=(
            "Les inscriptions ont lieu en septembre au forum des associations, mais il est possible de nous rejoindre en cours de saison. Deux séances d'essai sont offertes ; un questionnaire de santé est demandé.",
            "Les séances sont encadrées par des éducateurs diplômés. Prévoyez une tenue de sport, une bouteille d'eau et, pour les plus jeunes, une autorisation parentale.",
        ),
        partners=(
            "Le club est affilié à sa fédération et participe aux compétitions départementales et régionales.",
            "Nous travaillons avec les écoles du quartier et proposons des stages pendant les vacances scolaires.",
        ),
        volunteers=(
            "Nous cherchons des bénévoles pour encadrer les plus jeunes et tenir la buvette les jours de match.",
            "Parents, anciens joueurs : rejoignez l'équipe d'encadrement, une formation est financée par le club.",
            "Nous recherchons un trésorier bénévole et des arbitres.",
        ),
        notes=("Hors vacances scolaires.", "Stages pendant les vacances.", "Reprise début septembre."),
        colours=("#2e7d32", "#1565c0", "#c62828", "#f9a825"),
        language_share=0.15,
    ),
    "culture-et-loisirs": Family(
        weight=16,
        audiences=("tout-public", "enfants", "jeunes", "seniors"),
        languages=("en", "es", "it", "pt", "de"),
        max_languages=1,
        fees=CLUB_FEES,
        reception=(60, 10, 30),
        hours=("weekend_culture", "kids", "evening_culture"),
        venues=("", "Maison des associations", "Salle des fêtes", "Médiathèque", "Local associatif"),
        founders=("de passionnés", "d'artistes du quartier", "d'habitants curieux"),
        practical=(
            "Les ateliers sont ouverts aux débutants comme aux plus expérimentés. Venez assister à une séance avant de vous inscrire.",
            "Chaque saison se termine par une restitution publique (spectacle, exposition ou concert) ouverte aux habitants du quartier.",
        ),
        partners=(
            "Nous travaillons avec la médiathèque, les écoles et les centres sociaux pour rendre nos activités accessibles à tous.",
            "Nous participons chaque année aux fêtes de quartier et aux Journées du patrimoine.",
        ),
        volunteers=(
            "Nous cherchons des bénévoles pour l'organisation de notre événement annuel.",
            "Bénévoles recherchés pour l'accueil du public et la communication.",
        ),
        notes=(
            "Hors vacances scolaires.",
            "Sur inscription pour les ateliers.",
            "Fermé en juillet et en août.",
        ),
        colours=("#8e24aa", "#d81b60", "#f4511e", "#3949ab"),
        language_share=0.2,
    ),
    "environnement-et-vie-de-quartier": Family(
        weight=10,
        audiences=("tout-public", "familles", "enfants", "jeunes"),
        languages=("en", "ar", "es"),
        max_languages=1,
        fees=(
            (
                "membership",
                55,
                ("Adhésion annuelle 10 €", "Adhésion à prix libre", "Adhésion annuelle 5 € par foyer"),
            ),
            ("free", 45, ("", "Gratuit et ouvert à tous")),
        ),
        reception=(70, 5, 25),
        hours=("weekend_culture", "afternoons"),
        venues=("", "Maison de quartier", "Local associatif", "Jardin partagé"),
        founders=("d'habitants du quartier", "de voisins", "de familles et de retraités"),
        practical=(
            "Pas besoin d'être adhérent pour participer à nos actions : passez nous voir, un café vous attend.",
            "Nous nous réunissons une fois par mois pour décider ensemble des prochains projets ; chacun peut y proposer une idée.",
        ),
        partners=(
            "Nous travaillons avec la mairie, les bailleurs sociaux et les autres associations du quartier.",
            "Nos actions sont soutenues par la Métropole de Lyon dans le cadre des appels à projets citoyens.",
        ),
        volunteers=(
            "Nous cherchons des bénévoles pour l'organisation de la fête de quartier en juin.",
            "Bénévoles recherchés pour les ateliers de réparation et l'accueil du samedi.",
        ),
        notes=(
            "Fermé en août.",
            "Programme mensuel sur notre site.",
            "Le 1er samedi du mois : atelier ouvert à tous.",
        ),
        colours=("#43a047", "#7cb342", "#00897b"),
        language_share=0.25,
    ),
    "droits-des-femmes-et-violences": Family(
        weight=3,
        audiences=("femmes", "familles", "jeunes"),
        languages=("ar", "en", "es", "tr", "pt", "ru"),
        max_languages=2,
        fees=(("free", 100, ("", "Gratuit et confidentiel")),),
        reception=(20, 45, 35),
        hours=("office", "permanence"),
        venues=("", "Lieu d'accueil", "Maison des associations"),
        founders=("de militantes féministes", "de travailleuses sociales", "de femmes du quartier"),
        practical=(
            "L'accueil est gratuit, confidentiel et, si vous le souhaitez, anonyme. Vous pouvez venir avec vos enfants.",
            "En cas de danger immédiat, appelez le 17 ; le 3919 écoute les femmes victimes de violences, gratuitement et 24 h sur 24.",
        ),
        partners=(
            "Nous travaillons avec les services de police et de gendarmerie, les avocats, les hôpitaux et les structures d'hébergement.",
            "Nous intervenons aussi dans les collèges et lycées pour prévenir les violences sexistes.",
        ),
        volunteers=(
            "Nous cherchons des bénévoles pour l'accueil et l'accompagnement ; une formation est proposée.",
            "Bénévoles recherchées pour animer des groupes de parole.",
        ),
        notes=("Accueil sans rendez-vous le mardi matin.", "Adresse communiquée au téléphone."),
        colours=("#7b1fa2", "#ad1457", "#5e35b1"),
    ),
    "solidarite-internationale": Family(
        weight=5,
        audiences=("tout-public", "migrants-refugies", "jeunes", "etudiants"),
        languages=("en", "es", "ar", "pt"),
        max_languages=2,
        fees=(
            ("membership", 80, ("Adhésion annuelle 15 €", "Adhésion annuelle 20 €, 10 € pour les étudiants")),
            ("free", 20, ("",)),
        ),
        reception=(40, 30, 30),
        hours=("evening_culture", "weekend_culture"),
        venues=("", "Maison des associations", "Maison internationale", "Local associatif"),
        founders=(
            "de personnes engagées dans la solidarité internationale",
            "de familles originaires de plusieurs pays",
            "d'anciens volontaires",
        ),
        practical=(
            "Nos réunions sont ouvertes à tous : venez découvrir nos projets et rencontrer l'équipe.",
            "Chaque année, nous organisons une soirée de soutien avec repas, musique et présentation de nos actions.",
        ),
        partners=(
            "Nous travaillons avec d'autres associations de la Maison des solidarités et avec nos partenaires sur place.",
            "Nos projets sont soutenus par la Région, la Métropole et des dons de particuliers.",
        ),
        volunteers=(
            "Nous cherchons des bénévoles pour l'organisation d'événements et la recherche de financements.",
            "Bénévoles recherchés pour la traduction et la communication.",
        ),
        notes=("Réunion mensuelle le premier mardi.", "Fermé en août."),
        colours=("#00838f", "#1565c0", "#ef6c00"),
    ),
}

NEEDS = {
    # Alimentation
    "distribution-alimentaire": Need(
        names=(
            "Le Panier partagé {de}",
            "Colis solidaires {de}",
            "{brand}, aide alimentaire {de}",
            "Solidarité alimentaire {de}",
            "Les Cabas {de}",
        ),
        short="Des colis alimentaires chaque semaine pour les familles et les personnes en difficulté {a}.",
        mission="Nous distribuons chaque semaine des colis alimentaires et des produits d'hygiène aux personnes qui traversent une période difficile.",
        activities=(
            "une distribution hebdomadaire de colis",
            "des paniers de fruits et légumes frais",
            "des produits d'hygiène et pour bébés",
            "un café d'accueil pendant la distribution",
            "une orientation vers les autres aides du territoire",
        ),
        also=("epicerie-solidaire", "vetements-et-aide-materielle", "benevolat-et-entraide"),
    ),
    "epicerie-solidaire": Need(
        names=(
            "Épicerie solidaire {de}",
            "{brand}, épicerie solidaire",
            "L'Épicerie du coin {de}",
            "Le Petit Marché solidaire {de}",
            "Épi'Soli {lieu}",
        ),
        short="Une épicerie solidaire {a} : des courses à petit prix et un accompagnement budgétaire, sur orientation d'un travailleur social.",
        mission="Notre épicerie permet aux foyers aux revenus modestes de faire leurs courses à 10 à 30 % du prix habituel, pendant quelques mois, le temps de réaliser un projet.",
        activities=(
            "des produits frais, d'épicerie et d'hygiène à petit prix",
            "des ateliers cuisine avec les produits de saison",
            "un accompagnement budgétaire",
            "un espace café pour se retrouver",
        ),
        also=("distribution-alimentaire", "budget-et-surendettement"),
        fees=(
            (
                "paid",
                100,
                (
                    "Produits à 10-30 % du prix habituel, sur orientation",
                    "Participation de 10 à 30 % du prix du marché",
                ),
            ),
        ),
    ),
    "repas-solidaires": Need(
        names=(
            "La Table ouverte {de}",
            "Cantine solidaire {de}",
            "Repas partagés {de}",
            "{brand}, la cantine du quartier",
            "La Soupe {de}",
        ),
        short="Un repas chaud et convivial, gratuit ou à prix libre, {a}.",
        mission="Nous servons des repas chauds, cuisinés sur place avec des produits de saison, à toute personne qui en a besoin, dans un cadre chaleureux.",
        activities=(
            "un déjeuner chaud plusieurs fois par semaine",
            "des petits-déjeuners le week-end",
            "des ateliers cuisine ouverts à tous",
            "des repas de fête en fin d'année",
        ),
        also=("distribution-alimentaire", "benevolat-et-entraide", "hebergement-d-urgence"),
        hours=("meals",),
        fees=(("free", 70, ("", "Repas gratuit")), ("paid", 30, ("Repas à prix libre", "Repas à 1 €"))),
    ),
    "jardins-partages": Need(
        names=(
            "Jardin partagé {de}",
            "Les Jardins {de}",
            "Le Potager {de}",
            "{brand}, jardin partagé",
            "Les Mains vertes {de}",
        ),
        short="Un jardin partagé {a} : cultiver ensemble, apprendre et se retrouver entre voisins.",
        mission="Nous faisons vivre un jardin partagé où chacun peut cultiver une parcelle, participer aux plantations collectives et apprendre à jardiner au naturel.",
        activities=(
            "des parcelles individuelles et collectives",
            "des ateliers de jardinage au naturel",
            "un composteur de quartier",
            "des récoltes partagées et des repas au jardin",
        ),
        also=("ecologie-et-transition", "comites-et-animation-de-quartier"),
        fees=(("membership", 100, ("Adhésion annuelle 10 €", "Adhésion 15 € par an et par parcelle")),),
        hours=("weekend_culture",),
    ),
    "vetements-et-aide-materielle": Need(
        names=(
            "Vestiaire solidaire {de}",
            "La Penderie {de}",
            "{brand}, vestiaire et bric-à-brac",
            "La Boutique solidaire {de}",
            "Le Grenier solidaire {de}",
        ),
        short="Vêtements, linge de maison et petit matériel à tout petit prix {a}.",
        mission="Nous collectons des vêtements, du linge et des objets du quotidien pour les remettre à petit prix à celles et ceux qui en ont besoin.",
        activities=(
            "un vestiaire pour adultes et enfants",
            "du linge de maison et de la vaisselle",
            "des meubles et de l'électroménager de seconde main",
            "des collectes solidaires lors des fêtes de quartier",
        ),
        also=("distribution-alimentaire", "ecologie-et-transition"),
        fees=(
            ("paid", 70, ("Vêtements de 0,50 € à 3 €", "Petits prix, gratuit sur orientation sociale")),
            ("free", 30, ("",)),
        ),
    ),
    # Soutien scolaire
    "aide-aux-devoirs": Need(
        names=(
            "Les Devoirs du Soir — {lieu}",
            "Coup de pouce devoirs {de}",
            "{brand}, aide aux devoirs",
            "Cartable {de}",
            "L'Heure des devoirs {de}",
        ),
        short="Aide aux devoirs gratuite après l'école pour les élèves du primaire et du collège {a}.",
        mission="Après l'école, nos bénévoles aident les enfants à faire leurs devoirs, à reprendre confiance et à s'organiser.",
        activities=(
            "des séances d'aide aux devoirs après la classe",
            "des ateliers lecture pour les plus jeunes",
            "un goûter partagé",
            "des rencontres régulières avec les parents",
        ),
        also=("accompagnement-scolaire", "centres-sociaux-et-mjc"),
    ),
    "accompagnement-scolaire": Need(
        names=(
            "Réussir ensemble {de}",
            "{brand}, accompagnement scolaire",
            "Les Cahiers {de}",
            "Tremplin scolaire {de}",
        ),
        short="Un accompagnement à la scolarité pour les enfants et leurs parents {a}, en lien avec les écoles.",
        mission="Nous accompagnons les enfants tout au long de l'année, avec leurs parents, pour mieux comprendre l'école et réussir leur scolarité.",
        activities=(
            "un suivi individualisé des élèves",
            "des ateliers méthodologie",
            "des sorties culturelles",
            "des rencontres parents-enseignants",
        ),
        also=("aide-aux-devoirs", "soutien-a-la-parentalite"),
    ),
    "decrochage-et-orientation": Need(
        names=(
            "Raccroche {lieu}",
            "{brand}, orientation des jeunes",
            "Cap Orientation {de}",
            "Les Boussoles {de}",
        ),
        short="Accompagnement des jeunes en décrochage scolaire et aide à l'orientation {a}.",
        mission="Nous accompagnons les collégiens et lycéens qui décrochent, ainsi que leurs familles, pour trouver une voie qui leur ressemble.",
        activities=(
            "des entretiens individuels avec un référent",
            "des ateliers de découverte des métiers",
            "des stages en entreprise",
            "un accompagnement vers une formation ou un service civique",
        ),
        also=("insertion-des-jeunes", "accompagnement-scolaire"),
        audiences=("jeunes", "parents"),
        hours=("office",),
    ),
    "parents-d-eleves": Need(
        names=(
            "Parents d'élèves du groupe scolaire {de}",
            "Association des parents d'élèves {de}",
            "Les Parents {de}",
        ),
        short="Les parents d'élèves des écoles {de} : représentation, entraide et fêtes d'école.",
        mission="Nous représentons les familles aux conseils d'école et organisons des moments conviviaux pour financer les projets des classes.",
        activities=(
            "la représentation des parents aux conseils d'école",
            "la kermesse de fin d'année",
            "une bourse aux livres",
            "des cafés des parents",
        ),
        also=("soutien-a-la-parentalite",),
        audiences=("parents", "familles"),
        fees=(("membership", 100, ("Adhésion annuelle 5 € par famille", "Adhésion libre")),),
        hours=("permanence",),
    ),
    # Apprendre le français
    "cours-de-francais-fle": Need(
        names=(
            "Français pour tous {de}",
            "{brand}, cours de français",
            "Parlons français {de}",
            "Les Mots {de}",
            "Langue et partage {de}",
        ),
        short="Cours de français langue étrangère pour adultes, du niveau débutant au B1, {a}.",
        mission="Nous proposons des cours de français langue étrangère aux adultes qui veulent être plus autonomes au quotidien, au travail et dans leurs démarches.",
        activities=(
            "des cours en petits groupes par niveau",
            "des sorties culturelles en français",
            "une préparation au DELF",
            "des ateliers d'écriture",
        ),
        also=("ateliers-de-conversation", "alphabetisation"),
    ),
    "alphabetisation": Need(
        names=("Lire et écrire {de}", "{brand}, savoirs de base", "Alpha {lieu}", "Les Lettres {de}"),
        short="Apprendre à lire, écrire et compter en français, pour les adultes {a}.",
        mission="Nous accompagnons les adultes qui n'ont pas ou peu été à l'école pour apprendre à lire, écrire et compter en français.",
        activities=(
            "des ateliers d'alphabétisation en petits groupes",
            "des séances de calcul du quotidien",
            "des ateliers autour des papiers administratifs",
            "des lectures à voix haute",
        ),
        also=("cours-de-francais-fle",),
        audiences=("migrants-refugies", "femmes", "tout-public"),
    ),
    "ateliers-de-conversation": Need(
        names=(
            "Café des langues {de}",
            "Tchatche {lieu}",
            "{brand}, ateliers de conversation",
            "On papote {de}",
            "Causeries {de}",
        ),
        short="Des ateliers de conversation en français, conviviaux et gratuits, {a}.",
        mission="Autour d'un café, nos ateliers permettent de pratiquer le français à l'oral, de prendre confiance et de rencontrer d'autres habitants.",
        activities=(
            "des ateliers de conversation par petits groupes",
            "des jeux de rôle sur des situations du quotidien",
            "des sorties au marché et à la médiathèque",
            "des repas partagés",
        ),
        also=("cours-de-francais-fle", "benevolat-et-entraide"),
    ),
    "francais-pour-l-emploi": Need(
        names=("Français et métiers {de}", "{brand}, français professionnel", "Mots pour l'emploi {de}"),
        short="Des cours de français tournés vers le travail et la recherche d'emploi, {a}.",
        mission="Nos cours de français sont tournés vers la vie professionnelle : comprendre une offre, passer un entretien, échanger avec ses collègues.",
        activities=(
            "des cours de français professionnel",
            "des simulations d'entretien",
            "des visites d'entreprises",
            "une préparation aux certifications",
        ),
        also=("recherche-d-emploi", "cours-de-francais-fle"),
        audiences=("demandeurs-emploi", "migrants-refugies"),
    ),
    # Droits et démarches
    "aide-aux-demarches-administratives": Need(
        names=(
            "Point d'appui démarches {de}",
            "{brand}, écrivain public",
            "Les Papiers {de}",
            "Accès aux droits {de}",
            "La Plume {de}",
        ),
        short="Aide gratuite pour vos démarches administratives et vos courriers {a} : CAF, impôts, retraite, logement.",
        mission="Nous aidons chacun à comprendre un courrier, remplir un dossier ou faire valoir ses droits auprès des administrations.",
        activities=(
            "des permanences d'écrivain public",
            "une aide pour les dossiers CAF, impôts et retraite",
            "un accompagnement pour la constitution de dossiers de logement",
            "une orientation vers les services compétents",
        ),
        also=("aide-aux-demarches-en-ligne", "conseil-juridique-et-justice"),
    ),
    "conseil-juridique-et-justice": Need(
        names=(
            "Permanence juridique {de}",
            "{brand}, accès au droit",
            "Droit pour tous {de}",
            "Juristes solidaires {de}",
        ),
        short="Permanences juridiques gratuites {a} : logement, travail, famille, consommation.",
        mission="Nos juristes bénévoles répondent gratuitement à vos questions de droit du quotidien : logement, travail, famille, consommation.",
        activities=(
            "des consultations juridiques gratuites",
            "une aide à la rédaction de courriers",
            "un accompagnement des victimes",
            "des ateliers d'information sur les droits",
        ),
        also=("aide-aux-demarches-administratives", "lutte-contre-les-discriminations"),
    ),
    "lutte-contre-les-discriminations": Need(
        names=("Égalité {lieu}", "{brand}, contre les discriminations", "Vigilance égalité {de}"),
        short="Écoute et accompagnement des personnes victimes de discriminations {a}.",
        mission="Nous écoutons et accompagnons les personnes qui subissent une discrimination, au travail, au logement ou dans l'accès aux services.",
        activities=(
            "des permanences d'écoute",
            "un accompagnement dans les recours",
            "des interventions en milieu scolaire",
            "des formations pour les professionnels",
        ),
        also=("conseil-juridique-et-justice", "paix-et-droits-humains"),
    ),
    "budget-et-surendettement": Need(
        names=("Conseil budget {de}", "{brand}, budget et dettes", "Bien compter {de}"),
        short="Conseils gratuits pour gérer son budget et sortir du surendettement {a}.",
        mission="Nous aidons les familles à faire le point sur leur budget, à négocier avec leurs créanciers et, si besoin, à monter un dossier de surendettement.",
        activities=(
            "des rendez-vous conseil budget",
            "une aide au dossier de surendettement",
            "des ateliers sur les économies d'énergie",
            "une médiation avec les créanciers",
        ),
        also=("aide-aux-demarches-administratives", "epicerie-solidaire"),
    ),
    "accompagnement-des-personnes-exilees": Need(
        names=(
            "Accueil des exilés {de}",
            "{brand}, solidarité avec les exilés",
            "Bienvenue {lieu}",
            "Terre d'accueil {de}",
        ),
        short="Accueil, orientation et accompagnement juridique des personnes exilées {a}.",
        mission="Nous accueillons les personnes exilées, demandeuses d'asile ou réfugiées, pour les aider à connaître leurs droits et à construire leur vie ici.",
        activities=(
            "des permanences d'accueil et d'orientation",
            "un accompagnement dans la demande d'asile",
            "des cours de français",
            "des moments conviviaux et des sorties",
        ),
        also=("cours-de-francais-fle", "aide-aux-demarches-administratives", "associations-de-diasporas"),
        audiences=("migrants-refugies",),
        languages=("ar", "en", "ps", "fa", "ti", "ru", "uk", "ka", "sq", "so", "ff"),
    ),
    # Logement
    "hebergement-d-urgence": Need(
        names=("Maraude {de}", "{brand}, accueil de jour", "Le Toit {de}", "Halte de nuit {de}"),
        short="Maraudes, accueil de jour et mise à l'abri des personnes sans domicile {a}.",
        mission="Nous allons à la rencontre des personnes à la rue et leur proposons un accueil de jour, une écoute et une orientation vers un hébergement.",
        activities=(
            "des maraudes en soirée",
            "un accueil de jour avec douches et bagagerie",
            "une domiciliation postale",
            "un accompagnement vers l'hébergement",
        ),
        also=("repas-solidaires", "acces-au-logement"),
        audiences=("sans-abri",),
    ),
    "acces-au-logement": Need(
        names=("Un toit pour tous {de}", "{brand}, accès au logement", "Clés en main {de}", "Habiter {lieu}"),
        short="Aide pour trouver un logement, faire une demande de logement social ou éviter une expulsion, {a}.",
        mission="Nous aidons les ménages à trouver un logement adapté, à s'y installer et à s'y maintenir.",
        activities=(
            "une aide à la demande de logement social",
            "des permanences prévention des expulsions",
            "un accompagnement à l'installation",
            "une sous-location temporaire",
        ),
        also=("aide-aux-demarches-administratives", "locataires-et-habitat"),
    ),
    "locataires-et-habitat": Need(
        names=(
            "Locataires {de}",
            "Amicale des locataires {de}",
            "{brand}, habitat et voisinage",
            "Bien chez soi {de}",
        ),
        short="L'association des locataires {de} : défense des droits, charges, travaux et vie de résidence.",
        mission="Nous défendons les droits des locataires face aux bailleurs et agissons pour un habitat digne et économe en énergie.",
        activities=(
            "des permanences locataires",
            "la vérification des charges",
            "des ateliers économies d'énergie",
            "des fêtes de résidence",
        ),
        also=("comites-et-animation-de-quartier", "acces-au-logement"),
        fees=(("membership", 100, ("Adhésion annuelle 8 € par foyer",)),),
    ),
    # Santé
    "acces-aux-soins": Need(
        names=("Santé pour tous {de}", "{brand}, accès aux soins", "Soins solidaires {de}"),
        short="Consultations gratuites, aide à l'ouverture des droits santé et orientation {a}.",
        mission="Nous aidons les personnes éloignées du soin à consulter, à ouvrir leurs droits à l'Assurance maladie et à trouver un médecin traitant.",
        activities=(
            "des consultations infirmières gratuites",
            "une aide à l'ouverture des droits (complémentaire santé solidaire, AME)",
            "une orientation vers des médecins",
            "des actions de prévention",
        ),
        also=("aide-aux-demarches-administratives", "prevention-et-bien-etre"),
    ),
    "sante-mentale-et-ecoute": Need(
        names=(
            "Écoute et partage {de}",
            "{brand}, lieu d'écoute",
            "Parenthèse {lieu}",
            "Le Temps d'écouter {de}",
        ),
        short="Un lieu d'écoute gratuit et confidentiel pour traverser une période difficile, {a}.",
        mission="Nous offrons un espace d'écoute et de soutien pour celles et ceux qui traversent une période difficile : isolement, deuil, anxiété.",
        activities=(
            "des entretiens d'écoute individuels",
            "des groupes d'entraide",
            "des ateliers bien-être",
            "une orientation vers des professionnels",
        ),
        also=("lutte-contre-l-isolement", "prevention-et-bien-etre"),
    ),
    "addictions": Need(
        names=("Entraide addictions {de}", "{brand}, sortir des addictions", "Nouveau départ {de}"),
        short="Écoute, groupes de parole et accompagnement face aux addictions, pour soi ou un proche, {a}.",
        mission="Nous accompagnons les personnes confrontées à une dépendance (alcool, tabac, drogues, jeux) et leurs proches, sans jugement.",
        activities=(
            "des groupes de parole",
            "des entretiens individuels",
            "un soutien aux proches",
            "des actions de prévention auprès des jeunes",
        ),
        also=("sante-mentale-et-ecoute", "prevention-et-bien-etre"),
    ),
    "sante-sexuelle": Need(
        names=("Santé sexuelle {de}", "{brand}, santé et sexualité", "Infos santé jeunes {de}"),
        short="Information, dépistage et accompagnement en santé sexuelle, gratuits et confidentiels, {a}.",
        mission="Nous informons et accompagnons chacun sur la contraception, le dépistage des IST et la vie affective, dans un cadre confidentiel.",
        activities=(
            "des permanences d'information",
            "des dépistages rapides",
            "des interventions dans les lycées",
            "une orientation vers les centres de santé sexuelle",
        ),
        also=("prevention-et-bien-etre",),
        audiences=("jeunes", "femmes", "tout-public"),
    ),
    "maladies-et-soutien-aux-malades": Need(
        names=("Entraide patients {de}", "{brand}, soutien aux malades", "Ensemble face à la maladie {de}"),
        short="Soutien et entraide pour les personnes malades et leurs proches {a}.",
        mission="Nous soutenons les personnes touchées par une maladie chronique et leurs proches, pour ne pas rester seuls face aux traitements.",
        activities=(
            "des groupes d'entraide",
            "des visites à l'hôpital",
            "des ateliers d'activité physique adaptée",
            "des conférences avec des soignants",
        ),
        also=("aidants-familiaux", "sante-mentale-et-ecoute"),
    ),
    "prevention-et-bien-etre": Need(
        names=("Bien-être {lieu}", "{brand}, santé et prévention", "Prendre soin {de}"),
        short="Ateliers de prévention, nutrition et bien-être pour tous {a}.",
        mission="Nous proposons des ateliers pour prendre soin de sa santé au quotidien : alimentation, sommeil, activité physique, gestion du stress.",
        activities=(
            "des ateliers nutrition",
            "des séances de relaxation",
            "des formations aux gestes de premiers secours",
            "des marches santé",
        ),
        also=("gym-et-fitness", "acces-aux-soins"),
        fees=(("membership", 60, ("Adhésion annuelle 15 €",)), ("free", 40, ("",))),
    ),
    # Emploi
    "recherche-d-emploi": Need(
        names=(
            "Cap sur l'emploi {lieu}",
            "{brand}, recherche d'emploi",
            "Objectif emploi {de}",
            "Le Réseau emploi {de}",
        ),
        short="Accompagnement gratuit pour chercher un emploi {a} : CV, entretiens, offres et réseau.",
        mission="Nous accompagnons les demandeurs d'emploi dans leur recherche, pour reprendre confiance et décrocher un poste qui leur convient.",
        activities=(
            "des ateliers CV et lettre de motivation",
            "des simulations d'entretien",
            "un parrainage par des professionnels",
            "des rencontres avec des employeurs",
        ),
        also=("formation-professionnelle", "francais-pour-l-emploi"),
    ),
    "insertion-par-l-activite-economique": Need(
        names=("Chantier d'insertion {de}", "{brand}, insertion par l'activité", "Atelier Tremplin {de}"),
        short="Un chantier d'insertion {a} pour reprendre un emploi accompagné.",
        mission="Notre chantier d'insertion propose des contrats de travail accompagnés à des personnes éloignées de l'emploi, le temps de construire un projet.",
        activities=(
            "des postes en espaces verts, bâtiment ou recyclerie",
            "un accompagnement socioprofessionnel",
            "des formations qualifiantes",
            "des stages en entreprise",
        ),
        also=("recherche-d-emploi", "ecologie-et-transition"),
        audiences=("demandeurs-emploi",),
    ),
    "insertion-des-jeunes": Need(
        names=("Jeunes en route {de}", "{brand}, insertion des jeunes", "Déclic {lieu}"),
        short="Accompagnement des 16-25 ans vers la formation, l'emploi ou un service civique, {a}.",
        mission="Nous accompagnons les jeunes de 16 à 25 ans vers la formation, l'emploi ou un engagement, à leur rythme.",
        activities=(
            "un accompagnement individuel",
            "des ateliers découverte des métiers",
            "des chantiers éducatifs",
            "une aide au permis de conduire",
        ),
        also=("decrochage-et-orientation", "mobilite-et-permis"),
        audiences=("jeunes",),
    ),
    "formation-professionnelle": Need(
        names=("Former {lieu}", "{brand}, formation et reconversion", "Compétences {de}"),
        short="Trouver une formation, une reconversion ou un apprentissage, avec un accompagnement {a}.",
        mission="Nous aidons chacun à trouver la formation qui lui correspond et à monter son dossier de financement.",
        activities=(
            "des entretiens d'orientation",
            "une aide au dossier de financement",
            "des formations courtes",
            "des visites de centres de formation",
        ),
        also=("recherche-d-emploi",),
    ),
    "creation-d-activite": Need(
        names=("Entreprendre {de}", "{brand}, création d'activité", "Couveuse {lieu}"),
        short="Conseils et accompagnement pour créer son entreprise ou son activité {a}.",
        mission="Nous accompagnons les habitants qui veulent créer leur activité, de l'idée au lancement.",
        activities=(
            "des ateliers création d'entreprise",
            "un accompagnement individuel",
            "un espace de coworking",
            "des rencontres avec des entrepreneurs",
        ),
        also=("recherche-d-emploi",),
    ),
    "mobilite-et-permis": Need(
        names=(
            "Auto-école solidaire {de}",
            "{brand}, mobilité solidaire",
            "Roule {lieu}",
            "Atelier vélo {de}",
        ),
        short="Permis à coût réduit, location de véhicules et aide à la mobilité pour l'emploi, {a}.",
        mission="Nous levons les freins de mobilité qui empêchent de travailler : permis de conduire, vélo, location solidaire.",
        activities=(
            "des cours de code et de conduite à tarif solidaire",
            "la location de vélos et de scooters",
            "des ateliers d'autoréparation",
            "un apprentissage du vélo pour adultes",
        ),
        also=("insertion-des-jeunes", "ecologie-et-transition"),
        fees=(
            ("paid", 70, ("Tarif solidaire selon les ressources", "Heure de conduite à 15 €")),
            ("membership", 30, ("Adhésion annuelle 10 €",)),
        ),
    ),
    # Numérique
    "aide-aux-demarches-en-ligne": Need(
        names=("Clic et démarches {de}", "{brand}, démarches en ligne", "Point numérique {de}"),
        short="Aide pour faire vos démarches en ligne (CAF, impôts, Ameli, France Travail) {a}.",
        mission="Nous accompagnons celles et ceux qui ont du mal avec les démarches en ligne, pour qu'ils puissent accéder à leurs droits.",
        activities=(
            "des permanences d'aide aux démarches",
            "la création de comptes en ligne",
            "une aide pour scanner et envoyer des documents",
            "des ateliers sécurité sur internet",
        ),
        also=("aide-aux-demarches-administratives", "initiation-au-numerique"),
    ),
    "initiation-au-numerique": Need(
        names=(
            "Les Clés du numérique {de}",
            "{brand}, ateliers numériques",
            "Souris {lieu}",
            "Cyber-atelier {de}",
        ),
        short="Ateliers pour débuter sur ordinateur, tablette et smartphone {a}.",
        mission="Nos ateliers permettent de débuter ou de progresser sur ordinateur, tablette et smartphone, à son rythme.",
        activities=(
            "des ateliers débutants",
            "des séances smartphone",
            "des ateliers photos et visio avec ses proches",
            "un accès libre aux ordinateurs",
        ),
        also=("aide-aux-demarches-en-ligne", "clubs-et-activites-seniors"),
    ),
    "materiel-et-connexion": Need(
        names=("Ordis solidaires {de}", "{brand}, informatique solidaire", "Reboot {lieu}"),
        short="Ordinateurs reconditionnés et connexion à petit prix {a}.",
        mission="Nous reconditionnons des ordinateurs et des téléphones pour les proposer à petit prix aux personnes qui en ont besoin.",
        activities=(
            "la vente d'ordinateurs reconditionnés",
            "une aide à l'installation",
            "des ateliers de réparation",
            "des conseils pour une connexion à petit prix",
        ),
        also=("initiation-au-numerique", "ecologie-et-transition"),
        fees=(
            ("paid", 100, ("Ordinateurs reconditionnés de 50 à 150 €", "Prix solidaires sur justificatif")),
        ),
    ),
    # Famille
    "soutien-a-la-parentalite": Need(
        names=(
            "Café des parents {de}",
            "{brand}, lieu d'accueil parents-enfants",
            "La Maison des familles {de}",
            "Parents en chemin {de}",
        ),
        short="Un lieu d'accueil et d'échange pour les parents et leurs enfants {a}.",
        mission="Nous accueillons les parents, avec ou sans leurs enfants, pour échanger, souffler et trouver du soutien dans leur rôle.",
        activities=(
            "un lieu d'accueil parents-enfants",
            "des groupes de parole",
            "des ateliers parents-enfants",
            "de la médiation familiale",
        ),
        also=("garde-d-enfants-et-petite-enfance", "centres-sociaux-et-mjc"),
    ),
    "garde-d-enfants-et-petite-enfance": Need(
        names=(
            "Crèche parentale {de}",
            "Les P'tits Loups {de}",
            "{brand}, halte-garderie",
            "Les Bambins {de}",
        ),
        short="Accueil des tout-petits {a} : crèche associative et halte-garderie.",
        mission="Notre crèche associative accueille les enfants de 10 semaines à 4 ans, avec l'implication des parents dans la vie de la structure.",
        activities=(
            "un accueil régulier et occasionnel",
            "des activités d'éveil",
            "des sorties à la médiathèque",
            "des temps festifs avec les familles",
        ),
        also=("soutien-a-la-parentalite",),
        audiences=("parents", "familles", "enfants"),
        hours=("office",),
    ),
    "protection-de-l-enfance": Need(
        names=("Enfance et droits {de}", "{brand}, protection de l'enfance", "Grandir {lieu}"),
        short="Défense des droits de l'enfant et accompagnement des jeunes en difficulté {a}.",
        mission="Nous accompagnons les enfants et les adolescents en difficulté et leurs familles, et défendons les droits de l'enfant.",
        activities=(
            "un accompagnement éducatif",
            "des permanences d'écoute pour les jeunes",
            "des interventions dans les écoles",
            "un soutien aux familles",
        ),
        also=("soutien-a-la-parentalite",),
        hours=("office",),
    ),
    "centres-de-loisirs-et-vacances": Need(
        names=(
            "Les Mercredis {de}",
            "{brand}, loisirs des enfants",
            "Les Petits Aventuriers {de}",
            "Vacances pour tous {de}",
        ),
        short="Accueil de loisirs le mercredi et pendant les vacances pour les 3-14 ans {a}.",
        mission="Nous accueillons les enfants le mercredi et pendant les vacances pour des activités de loisirs, des sorties et des séjours.",
        activities=(
            "un accueil de loisirs le mercredi",
            "des stages pendant les vacances",
            "des séjours à la montagne",
            "des sorties nature",
        ),
        also=("centres-sociaux-et-mjc",),
        audiences=("enfants", "familles"),
        hours=("kids",),
    ),
    "aidants-familiaux": Need(
        names=("Aidants {lieu}", "{brand}, soutien aux aidants", "Le Répit {de}"),
        short="Soutien, répit et information pour les proches aidants {a}.",
        mission="Nous soutenons les personnes qui accompagnent un proche malade, âgé ou handicapé, pour qu'elles puissent aussi prendre soin d'elles.",
        activities=(
            "des cafés des aidants",
            "des solutions de répit",
            "des formations pour les aidants",
            "des entretiens individuels",
        ),
        also=("maladies-et-soutien-aux-malades", "aide-a-domicile-et-hebergement"),
        audiences=("tout-public", "seniors", "familles"),
    ),
    # Seniors
    "clubs-et-activites-seniors": Need(
        names=(
            "Club des aînés {de}",
            "Les Années belles {de}",
            "{brand}, club des retraités",
            "Amicale des retraités {de}",
        ),
        short="Un club pour les retraités {de} : jeux, sorties, voyages et goûters.",
        mission="Notre club réunit les retraités du quartier autour de jeux, de sorties et de moments conviviaux.",
        activities=(
            "des après-midi jeux de cartes et de société",
            "des sorties et voyages",
            "des ateliers mémoire",
            "des repas dansants",
        ),
        also=("lutte-contre-l-isolement", "jeux-et-loisirs"),
    ),
    "lutte-contre-l-isolement": Need(
        names=(
            "Voisins attentifs {de}",
            "{brand}, contre l'isolement",
            "Visites amicales {de}",
            "Un café, un sourire {de}",
        ),
        short="Visites, appels et moments conviviaux pour les personnes âgées isolées {a}.",
        mission="Nos bénévoles rendent visite aux personnes âgées isolées et les appellent chaque semaine pour garder le lien.",
        activities=(
            "des visites à domicile",
            "des appels de convivialité",
            "des goûters et des sorties",
            "un accompagnement pour les courses",
        ),
        also=("clubs-et-activites-seniors", "benevolat-et-entraide"),
        fees=(("free", 100, ("",)),),
    ),
    "aide-a-domicile-et-hebergement": Need(
        names=("Bien vieillir {de}", "{brand}, aide à domicile", "Services à domicile {de}"),
        short="Aide à domicile, portage de repas et conseils pour bien vieillir chez soi, {a}.",
        mission="Nous aidons les personnes âgées à rester chez elles le plus longtemps possible, en sécurité.",
        activities=(
            "de l'aide à domicile",
            "un portage de repas",
            "de la téléassistance",
            "des conseils d'aménagement du logement",
        ),
        also=("aidants-familiaux",),
        fees=(
            ("paid", 80, ("Tarif horaire selon les ressources, aides APA acceptées",)),
            ("membership", 20, ("Adhésion annuelle 20 €",)),
        ),
        hours=("office",),
    ),
    # Handicap
    "droits-et-accompagnement-handicap": Need(
        names=("Handi'Droits {lieu}", "{brand}, accompagnement handicap", "Ensemble, tous capables {de}"),
        short="Aide aux démarches MDPH, accès aux droits et entraide pour les personnes handicapées et leurs proches, {a}.",
        mission="Nous aidons les personnes en situation de handicap et leurs proches à faire valoir leurs droits et à trouver des réponses adaptées.",
        activities=(
            "une aide au dossier MDPH",
            "des permanences d'information",
            "des groupes d'entraide",
            "des actions de sensibilisation",
        ),
        also=("aidants-familiaux", "aide-aux-demarches-administratives"),
    ),
    "etablissements-et-services-handicap": Need(
        names=("Service d'accompagnement {de}", "{brand}, accueil de jour", "Les Ateliers {de}"),
        short="Accueil de jour et accompagnement à la vie sociale pour adultes handicapés {a}.",
        mission="Notre service accompagne les adultes en situation de handicap dans leur vie quotidienne, leur logement et leurs loisirs.",
        activities=(
            "un accueil de jour",
            "un accompagnement à la vie sociale",
            "des ateliers d'expression",
            "un soutien aux familles",
        ),
        also=("droits-et-accompagnement-handicap",),
        hours=("office",),
    ),
    "loisirs-adaptes": Need(
        names=("Loisirs pour tous {de}", "{brand}, loisirs adaptés", "Évasion {lieu}"),
        short="Sorties, ateliers et séjours adaptés aux personnes en situation de handicap {a}.",
        mission="Nous organisons des loisirs adaptés pour que les personnes en situation de handicap puissent sortir, créer et partir en vacances.",
        activities=(
            "des sorties culturelles",
            "des ateliers artistiques",
            "des séjours adaptés",
            "des soirées dansantes",
        ),
        also=("handisport-et-sport-adapte", "arts-plastiques-photo-et-cinema"),
        hours=("weekend_culture",),
    ),
    "handisport-et-sport-adapte": Need(
        names=("Sport et handicap {de}", "Sport adapté {de}", "{brand}, sport pour tous"),
        short="Sports adaptés et handisport pour enfants et adultes {a}.",
        mission="Notre club permet aux personnes en situation de handicap de pratiquer un sport, en loisir ou en compétition.",
        activities=(
            "du basket fauteuil",
            "de la natation adaptée",
            "de la boccia",
            "des journées découverte",
        ),
        also=("loisirs-adaptes",),
        fees=SPORT_FEES,
        hours=("evening_sport",),
    ),
    # Sport
    "football": Need(
        names=(
            "Club de foot {de}",
            "Les Crampons {de}",
            "École de foot {de}",
            "Foot loisir {de}",
            "Futsal {lieu}",
            "Étoile sportive {de}",
        ),
        short="Football et futsal pour filles et garçons dès 5 ans, en compétition ou en loisir, {a}.",
        mission="Notre club fait jouer au football les enfants, les jeunes et les adultes du quartier, dans un esprit de respect et de convivialité.",
        activities=(
            "une école de foot dès 5 ans",
            "des équipes féminines",
            "du futsal en salle",
            "des tournois et des stages pendant les vacances",
        ),
        also=("insertion-des-jeunes",),
    ),
    "basket-et-sports-collectifs": Need(
        names=(
            "Les Paniers {de}",
            "Handball {lieu}",
            "Volley loisir {de}",
            "{brand}, sports collectifs",
            "Rugby {lieu}",
        ),
        short="Basket, handball et volley pour tous les âges {a}.",
        mission="Notre club fait découvrir et pratiquer les sports collectifs, du mini-basket aux équipes seniors.",
        activities=(
            "une école de basket",
            "des équipes jeunes et seniors",
            "du volley loisir mixte",
            "des tournois inter-quartiers",
        ),
    ),
    "natation-et-sports-nautiques": Need(
        names=("Les Nageurs {de}", "Club nautique {de}", "Aviron {lieu}", "{brand}, natation"),
        short="Apprendre à nager, nager en club ou découvrir les sports nautiques {a}.",
        mission="Nous apprenons à nager aux enfants comme aux adultes et proposons la natation en loisir et en compétition.",
        activities=(
            "des cours d'apprentissage de la natation",
            "de l'aquagym",
            "des entraînements en compétition",
            "des sorties en kayak",
        ),
    ),
    "sports-de-combat": Need(
        names=("Tatami {de}", "Boxe {lieu}", "Karaté {lieu}", "Dojo {de}", "{brand}, arts martiaux"),
        short="Judo, boxe, karaté et self-défense pour les enfants et les adultes {a}.",
        mission="Notre club transmet les valeurs des arts martiaux, le respect, la maîtrise de soi et le goût de l'effort, à tous les âges.",
        activities=(
            "des cours de judo dès 4 ans",
            "de la boxe éducative",
            "du karaté et du taïso",
            "des cours de self-défense pour les femmes",
        ),
    ),
    "gym-et-fitness": Need(
        names=(
            "Gym pour tous {de}",
            "Yoga {lieu}",
            "{brand}, gym et bien-être",
            "Forme et santé {de}",
            "Pilates {lieu}",
        ),
        short="Gym douce, yoga, pilates et renforcement musculaire {a}.",
        mission="Nous proposons des cours de gym, de yoga et de remise en forme accessibles à tous, quel que soit son niveau.",
        activities=(
            "des cours de gym douce",
            "du yoga et du pilates",
            "du renforcement musculaire",
            "de la marche nordique",
        ),
        also=("prevention-et-bien-etre",),
        audiences=("tout-public", "seniors", "femmes"),
    ),
    "course-velo-et-plein-air": Need(
        names=(
            "Les Foulées {de}",
            "Cyclo club {de}",
            "Randonneurs {de}",
            "{brand}, plein air",
            "Escalade {lieu}",
            "Running {lieu}",
        ),
        short="Course à pied, vélo, randonnée et escalade {a}.",
        mission="Nous réunissons les amateurs de plein air pour courir, pédaler, marcher ou grimper ensemble, à tous les niveaux.",
        activities=(
            "des sorties course à pied",
            "des randonnées dans les monts du Lyonnais",
            "des sorties vélo le dimanche",
            "de l'escalade en salle",
        ),
        also=("nature-et-animaux",),
    ),
    "tennis-et-sports-de-raquette": Need(
        names=("Balle jaune {de}", "Ping-pong {lieu}", "Badminton {lieu}", "{brand}, sports de raquette"),
        short="Tennis, tennis de table et badminton en club ou en loisir {a}.",
        mission="Notre club accueille joueurs débutants et confirmés pour pratiquer les sports de raquette en loisir ou en compétition.",
        activities=(
            "une école de tennis",
            "du tennis de table loisir",
            "du badminton en soirée",
            "des tournois internes",
        ),
    ),
    # Culture
    "musique-et-chant": Need(
        names=(
            "Chorale {de}",
            "Orchestre des habitants {de}",
            "Les Notes {de}",
            "{brand}, musique et chant",
            "Les Voix {de}",
            "Fanfare {de}",
        ),
        short="Chorale, orchestre et cours de musique pour enfants et adultes {a}.",
        mission="Nous faisons vivre la musique dans le quartier : chorale, orchestre et cours d'instruments pour tous les âges.",
        activities=(
            "une chorale adultes",
            "des cours de guitare, piano et percussions",
            "un orchestre de jeunes",
            "des concerts gratuits",
        ),
        hours=("evening_culture", "kids"),
    ),
    "danse": Need(
        names=("Danse {lieu}", "Hip-hop {lieu}", "{brand}, école de danse", "Les Pas {de}", "Salsa {lieu}"),
        short="Cours de danse hip-hop, contemporaine, africaine et de salon {a}.",
        mission="Nous proposons des cours de danse pour tous les âges et tous les styles, du hip-hop aux danses traditionnelles.",
        activities=(
            "des cours de hip-hop",
            "de la danse contemporaine",
            "des danses africaines",
            "un gala de fin d'année",
        ),
    ),
    "theatre-et-cirque": Need(
        names=(
            "Théâtre {de}",
            "Compagnie {brand}",
            "Impro {lieu}",
            "École de cirque {de}",
            "Les Tréteaux {de}",
        ),
        short="Ateliers de théâtre, d'improvisation et de cirque pour enfants et adultes {a}.",
        mission="Nous faisons découvrir le théâtre, l'improvisation et les arts du cirque, et montons chaque année des spectacles avec les habitants.",
        activities=(
            "des ateliers théâtre enfants et adultes",
            "des matchs d'improvisation",
            "des cours de cirque",
            "des spectacles dans le quartier",
        ),
    ),
    "arts-plastiques-photo-et-cinema": Need(
        names=(
            "Atelier d'arts plastiques {de}",
            "Photo club {de}",
            "Ciné-club {de}",
            "{brand}, arts visuels",
            "Les Pinceaux {de}",
        ),
        short="Dessin, peinture, photo et cinéma : ateliers et expositions {a}.",
        mission="Nous proposons des ateliers de dessin, de peinture et de photographie, et des projections suivies de débats.",
        activities=(
            "des ateliers de dessin et de peinture",
            "des sorties photo",
            "des projections de films",
            "des expositions des adhérents",
        ),
    ),
    "lecture-ecriture-et-medias": Need(
        names=(
            "Ludothèque {de}",
            "Bibliothèque associative {de}",
            "{brand}, ateliers d'écriture",
            "Radio {lieu}",
            "Le Journal {de}",
        ),
        short="Bibliothèque, ludothèque, ateliers d'écriture et radio associative {a}.",
        mission="Nous faisons vivre la lecture, l'écriture et l'expression des habitants, à travers des ateliers et des médias de quartier.",
        activities=(
            "des prêts de livres et de jeux",
            "des ateliers d'écriture",
            "une émission de radio",
            "des lectures pour les enfants",
        ),
        also=("jeux-et-loisirs",),
    ),
    "patrimoine-et-histoire": Need(
        names=(
            "Histoire et patrimoine {de}",
            "Mémoire {de}",
            "{brand}, patrimoine",
            "Les Amis du patrimoine {de}",
        ),
        short="Histoire locale, visites et sauvegarde du patrimoine {de}.",
        mission="Nous faisons découvrir l'histoire et le patrimoine de notre commune, à travers des visites, des recherches et des publications.",
        activities=(
            "des visites guidées",
            "des conférences",
            "un atelier de généalogie",
            "la publication d'un bulletin annuel",
        ),
    ),
    "jeux-et-loisirs": Need(
        names=(
            "Club d'échecs {de}",
            "Les Joueurs {de}",
            "{brand}, jeux de société",
            "Bridge club {de}",
            "Club de modélisme {de}",
        ),
        short="Jeux de société, échecs et loisirs partagés {a}.",
        mission="Nous réunissons les passionnés de jeux, petits et grands, pour jouer, apprendre et partager.",
        activities=(
            "des soirées jeux de société",
            "des cours d'échecs",
            "des tournois",
            "des après-midi jeux en famille",
        ),
    ),
    # Environnement et vie de quartier
    "nature-et-animaux": Need(
        names=(
            "Nature {lieu}",
            "{brand}, nature et biodiversité",
            "Les Amis des oiseaux {de}",
            "Refuge {de}",
        ),
        short="Protection de la nature et des animaux {a} : sorties, chantiers et sensibilisation.",
        mission="Nous agissons pour protéger la nature et les animaux près de chez nous, et faire découvrir la biodiversité aux habitants.",
        activities=(
            "des sorties nature",
            "des chantiers de plantation",
            "des comptages d'oiseaux",
            "des animations dans les écoles",
        ),
        also=("ecologie-et-transition",),
    ),
    "ecologie-et-transition": Need(
        names=(
            "Café bricole {de}",
            "Zéro déchet {lieu}",
            "{brand}, transition écologique",
            "Compost {lieu}",
            "Recyclerie {de}",
        ),
        short="Réparation, réemploi, compost et zéro déchet {a}.",
        mission="Nous aidons les habitants à réduire leurs déchets, réparer plutôt que jeter et agir pour le climat à leur échelle.",
        activities=(
            "un repair café mensuel",
            "un composteur partagé",
            "des ateliers zéro déchet",
            "une bourse aux objets",
        ),
        also=("jardins-partages", "benevolat-et-entraide"),
    ),
    "comites-et-animation-de-quartier": Need(
        names=(
            "Vivre ensemble {de}",
            "Les Habitants {de}",
            "{brand}, vie de quartier",
            "Fête de quartier {de}",
            "La Guinguette {de}",
        ),
        short="Animation et amélioration du cadre de vie {de} par ses habitants.",
        mission="Nous réunissons les habitants pour améliorer le cadre de vie du quartier et organiser des moments festifs.",
        activities=(
            "la fête de quartier",
            "un vide-grenier",
            "des réunions publiques avec la mairie",
            "des balades urbaines",
        ),
        also=("benevolat-et-entraide",),
    ),
    "centres-sociaux-et-mjc": Need(
        names=(
            "Maison de quartier {de}",
            "{brand}, centre social",
            "Espace familles {de}",
            "Maison pour tous {de}",
        ),
        short="Un lieu ouvert à tous {a} : activités pour les enfants, les familles, les jeunes et les seniors.",
        mission="Notre maison de quartier est un lieu ouvert à tous les habitants, pour se retrouver, se former et monter des projets.",
        activities=(
            "un accueil de loisirs",
            "des ateliers pour adultes",
            "des sorties familles",
            "un accompagnement des projets d'habitants",
        ),
        also=("centres-de-loisirs-et-vacances", "aide-aux-devoirs", "soutien-a-la-parentalite"),
        hours=("office", "kids"),
    ),
    "benevolat-et-entraide": Need(
        names=("Voisins solidaires {de}", "{brand}, entraide", "Coups de main {de}", "Troc de services {de}"),
        short="Entraide entre voisins et bénévolat {a} : échanges de services et coups de main.",
        mission="Nous mettons en relation des habitants qui échangent des services et des savoir-faire, sans argent.",
        activities=(
            "des échanges de services",
            "des ateliers de savoir-faire",
            "une permanence pour les nouveaux bénévoles",
            "des repas partagés",
        ),
        also=("lutte-contre-l-isolement", "comites-et-animation-de-quartier"),
    ),
    # Droits des femmes
    "droits-des-femmes-et-egalite": Need(
        names=("Femmes {lieu}", "{brand}, femmes solidaires", "Égalité femmes-hommes {de}", "Les Elles {de}"),
        short="Égalité femmes-hommes, entraide et autonomie des femmes {a}.",
        mission="Nous agissons pour l'égalité entre les femmes et les hommes et l'autonomie des femmes, par l'entraide et la sensibilisation.",
        activities=(
            "des groupes de parole",
            "des ateliers d'autonomie",
            "des actions de sensibilisation",
            "des sorties culturelles",
        ),
        also=("violences-conjugales-et-familiales",),
    ),
    "violences-conjugales-et-familiales": Need(
        names=("Écoute violences {de}", "{brand}, accueil des victimes", "Refuge et écoute {de}"),
        short="Écoute, accompagnement et mise à l'abri des victimes de violences conjugales et familiales {a}.",
        mission="Nous écoutons et accompagnons les victimes de violences conjugales et familiales, et les aidons à se mettre en sécurité.",
        activities=(
            "une écoute téléphonique",
            "un accompagnement juridique et social",
            "des solutions de mise à l'abri",
            "des groupes de parole",
        ),
        also=("conseil-juridique-et-justice", "hebergement-d-urgence"),
    ),
    "violences-sexuelles-et-sexistes": Need(
        names=("Parole libre {de}", "{brand}, contre les violences sexistes", "Stop harcèlement {lieu}"),
        short="Soutien aux victimes de violences sexuelles et de harcèlement {a}.",
        mission="Nous soutenons les victimes de violences sexuelles et de harcèlement, et agissons pour prévenir ces violences.",
        activities=(
            "des entretiens d'écoute",
            "un accompagnement dans les démarches",
            "des groupes de parole",
            "des interventions de prévention",
        ),
        also=("droits-des-femmes-et-egalite",),
    ),
    # Solidarité internationale
    "aide-humanitaire-et-developpement": Need(
        names=(
            "Solidarité {lieu} – Sahel",
            "{brand}, solidarité internationale",
            "Puits et écoles {de}",
            "Ponts solidaires {de}",
        ),
        short="Projets de développement (eau, écoles, santé) menés avec des partenaires à l'étranger, depuis {lieu}.",
        mission="Nous menons des projets d'accès à l'eau, d'éducation et de santé avec des associations partenaires en Afrique de l'Ouest.",
        activities=(
            "des projets d'accès à l'eau",
            "la construction de classes",
            "l'envoi de matériel scolaire",
            "des soirées de sensibilisation",
        ),
        also=("associations-de-diasporas",),
    ),
    "jumelages-et-echanges": Need(
        names=("Amitiés {lieu}–Europe", "{brand}, échanges internationaux", "Échanges interculturels {de}"),
        short="Échanges culturels et linguistiques avec l'Europe et le monde, {a}.",
        mission="Nous organisons des échanges entre habitants, écoles et associations d'ici et d'ailleurs.",
        activities=(
            "des échanges scolaires",
            "des voyages d'études",
            "des cours de langues",
            "des soirées interculturelles",
        ),
        languages=("en", "de", "it", "es", "pt", "pl"),
    ),
    "associations-de-diasporas": Need(
        names=("Association franco-{adj} {de}", "Amicale {adj} {de}", "Maison franco-{adj} {de}"),
        short="Entraide et culture pour les personnes originaires {origin} et leurs amis, {a}.",
        mission="Nous rassemblons les personnes originaires {origin} et leurs amis pour s'entraider, transmettre la langue et faire connaître la culture.",
        activities=(
            "des cours de langue pour les enfants",
            "des fêtes traditionnelles",
            "une entraide pour les nouveaux arrivants",
            "des projets de solidarité au pays",
        ),
        also=("jumelages-et-echanges", "aide-humanitaire-et-developpement"),
    ),
    "paix-et-droits-humains": Need(
        names=("Droits humains {lieu}", "{brand}, paix et libertés", "Vigie des libertés {de}"),
        short="Défense des droits humains et de la paix, ici et ailleurs, {a}.",
        mission="Nous défendons les droits humains et les libertés, par la sensibilisation, le plaidoyer et le soutien aux personnes menacées.",
        activities=(
            "des conférences-débats",
            "des campagnes de sensibilisation",
            "des interventions en milieu scolaire",
            "un soutien aux défenseurs des droits",
        ),
        also=("lutte-contre-les-discriminations",),
    ),
}

# Diasporas: adjective (feminine), "originaires …", language codes.
DIASPORAS = [
    ("arménienne", "d'Arménie", ("hy",)), ("malienne", "du Mali", ("bm",)),
    ("sénégalaise", "du Sénégal", ("wo",)), ("turque", "de Turquie", ("tr",)),
    ("vietnamienne", "du Vietnam", ("vi",)), ("cambodgienne", "du Cambodge", ("km",)),
    ("portugaise", "du Portugal", ("pt",)), ("algérienne", "d'Algérie", ("ar", "kab")),
    ("marocaine", "du Maroc", ("ar",)), ("tunisienne", "de Tunisie", ("ar",)),
    ("congolaise", "du Congo", ("ln",)), ("géorgienne", "de Géorgie", ("ka",)),
    ("ukrainienne", "d'Ukraine", ("uk",)), ("italienne", "d'Italie", ("it",)),
    ("espagnole", "d'Espagne", ("es",)), ("albanaise", "d'Albanie", ("sq",)),
    ("kurde", "du Kurdistan", ("ku",)), ("érythréenne", "d'Érythrée", ("ti",)),
    ("afghane", "d'Afghanistan", ("fa", "ps")), ("tamoule", "du Sri Lanka et d'Inde du Sud", ("ta",)),
    ("comorienne", "des Comores", ()), ("guinéenne", "de Guinée", ("ff",)),
    ("polonaise", "de Pologne", ("pl",)), ("chinoise", "de Chine", ("zh",)),
]  # fmt: skip

# ---------------------------------------------------------------------------------------------
# Opening hours
# ---------------------------------------------------------------------------------------------
