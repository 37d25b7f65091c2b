"""The services of the demo listings (directory/models/offers.py), as values of the listing's state
(directory/listings/state.py: SERVICE_FIELDS, places as positions in the listing's places), so
that they are what a manager would have proposed and a moderator approved.

Most listings get one to three services on varied terms: free or paid, walk-in or on
appointment, their own hours or their places', in the listing's languages or some of them, now
and then one paused. They come from their own random stream (seeded from the demo seed): the
listings the demo already made stay the same.
"""

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from directory.models import Service

# The share of listings that describe their services.
WITH_SERVICES = 0.8

# Named services for some needs (name, description); other needs name theirs after their activities.
NAMED = {
    "cours-de-francais-fle": [
        (
            "Cours de français",
            "Des cours de français pour adultes, du niveau débutant au niveau avancé, en petits groupes.",
        ),
        ("Ateliers de conversation", "Pratiquer le français à l'oral autour d'un café, sans inscription."),
        ("Préparation au DELF", "Un cours intensif pour préparer les examens du DELF A1 à B1."),
    ],
    "alphabetisation": [
        (
            "Cours d'alphabétisation",
            "Apprendre à lire et à écrire en français, pour les adultes peu ou pas scolarisés.",
        ),
        ("Cours de français", "Des cours de français pour adultes, tous niveaux, en petits groupes."),
    ],
    "ateliers-de-conversation": [
        ("Café des langues", "Des rencontres conviviales pour parler français et prendre confiance."),
        ("Cours de français", "Des cours de français pour débutants, deux fois par semaine."),
    ],
    "aide-aux-devoirs": [
        ("Aide aux devoirs", "Du CP à la troisième, des bénévoles aident les enfants à faire leurs devoirs."),
        ("Accompagnement des parents", "Comprendre l'école et suivre la scolarité de ses enfants."),
    ],
    "distribution-alimentaire": [
        ("Colis alimentaire", "Un colis de produits secs, frais et d'hygiène chaque semaine."),
        ("Paniers de fruits et légumes", "Des paniers de produits frais à petit prix."),
    ],
    "epicerie-solidaire": [
        ("Épicerie solidaire", "Des produits du quotidien à 10-30 % du prix habituel, sur orientation."),
        ("Ateliers cuisine", "Cuisiner ensemble à petit budget, une fois par mois."),
    ],
    "aide-aux-demarches-en-ligne": [
        (
            "Aide aux démarches en ligne",
            "Créer un compte, remplir un formulaire, imprimer une attestation : on vous aide.",
        ),
        ("Atelier ordinateur débutants", "Apprendre à utiliser un ordinateur et internet, pas à pas."),
    ],
}
KINDS = {
    "alimentation": Service.Kind.AIDE_MATERIELLE,
    "apprendre-le-francais": Service.Kind.FORMATION,
    "soutien-scolaire": Service.Kind.ACCOMPAGNEMENT,
    "numerique": Service.Kind.ATELIER,
}
ARTICLES = ("une ", "un ", "des ", "les ", "le ", "la ", "l'", "du ", "de la ", "d'")


def service_name(activity: str) -> str:
    """ "des paniers de fruits et légumes frais" → "Paniers de fruits et légumes frais"."""
    for article in ARTICLES:
        if activity.lower().startswith(article):
            activity = activity[len(article) :]
            break
    return activity[:1].upper() + activity[1:]


@dataclass(frozen=True)
class ListingTerms:
    """What a demo listing's services are drawn from: its need (its slug, its entry in the demo's
    catalogue, the slug of its family), its categories, audiences, languages, fees, places and
    the names of its hours patterns."""

    need_slug: str
    need: Any
    family_slug: str
    categories: Sequence[str]
    audiences: Sequence[str]
    languages: Sequence[str]
    fees: str
    places: Sequence[Any]
    hours: Sequence[str]


class ServicePlanner:
    """The services of each demo listing, from their own random stream."""

    def __init__(
        self, *, seed: int, today: date, hours_patterns: dict[str, Callable[[random.Random], dict[str, Any]]]
    ) -> None:
        self.rng = random.Random(f"services-{seed}")
        self.today = today
        self.hours_patterns = hours_patterns

    def services(self, listing: ListingTerms) -> list[dict[str, Any]]:
        """The state values of a listing's services: [] for a listing that describes none."""
        rng = self.rng
        if rng.random() >= WITH_SERVICES:
            return []
        offers = list(NAMED.get(listing.need_slug, ()))
        offers += [
            (service_name(activity), f"Nous proposons {activity}.") for activity in listing.need.activities
        ]
        seen, unique = set(), []
        for name, description in offers:
            if name.lower() not in seen:
                seen.add(name.lower())
                unique.append((name, description))
        count = min(len(unique), rng.choices([1, 2, 3], weights=[45, 40, 15])[0])
        picked = unique[:1] + rng.sample(unique[1:], count - 1) if count > 1 else unique[:1]
        return [
            self.one(name, description, position=position, listing=listing)
            for position, (name, description) in enumerate(picked)
        ]

    def one(self, name: str, description: str, *, position: int, listing: ListingTerms) -> dict[str, Any]:
        rng = self.rng
        need_slug, categories, audiences = listing.need_slug, listing.categories, listing.audiences
        languages, places = listing.languages, listing.places
        # The listing's fees most of the time, the other way now and then (free classes of a
        # club with a membership, paid workshops of a free association).
        free = listing.fees == "free"
        if rng.random() < 0.3:
            free = not free
        reception = rng.choices(
            [Service.Reception.WALK_IN, Service.Reception.APPOINTMENT, Service.Reception.BOTH],
            weights=[45, 35, 20],
        )[0]
        mobilisation = {
            Service.Reception.WALK_IN: [Service.Mobilisation.COME],
            Service.Reception.APPOINTMENT: [Service.Mobilisation.PHONE, Service.Mobilisation.EMAIL],
            Service.Reception.BOTH: [Service.Mobilisation.COME, Service.Mobilisation.PHONE],
        }[reception]
        own_hours = {}
        if position > 0 or rng.random() < 0.5:  # else the places' hours
            own_hours = dict(sorted(self.hours_patterns[rng.choice(listing.hours)](rng).items()))
        values = {
            "name": name,
            "description": description,
            "kind": KINDS.get(
                listing.family_slug, rng.choice([Service.Kind.ATELIER, Service.Kind.ACCOMPAGNEMENT])
            ),
            "categories": [need_slug] if position == 0 or rng.random() < 0.5 else list(categories),
            "audiences": rng.sample(audiences, rng.randint(1, len(audiences)))
            if audiences and rng.random() < 0.6
            else [],
            "audiences_details": "",
            "fees": Service.Fees.FREE if free else Service.Fees.PAID,
            "fees_details": ""
            if free
            else rng.choice(["Participation de 2 € par séance", "5 € le trimestre", "Prix libre"]),
            "reception": reception,
            "modes": [Service.Mode.IN_PERSON] + ([Service.Mode.REMOTE] if rng.random() < 0.1 else []),
            "at_home": False,
            "mobilisation": mobilisation,
            "mobilisable_by": [Service.MobilisableBy.RESIDENTS]
            + ([Service.MobilisableBy.PROFESSIONALS] if rng.random() < 0.4 else []),
            "booking_url": "",
            "mobilisation_details": "Inscription sur place aux heures d'accueil."
            if reception != Service.Reception.WALK_IN
            else "",
            "access_conditions": rng.choice(
                ["", "", "Sur orientation d'un travailleur social.", "Habiter la commune."]
            ),
            "documents": rng.choice(["", "", "Une pièce d'identité.", "Un justificatif de domicile."]),
            "languages": rng.sample(languages, rng.randint(1, len(languages)))
            if len(languages) > 1 and rng.random() < 0.5
            else [],
            "places": [rng.randrange(len(places))] if places else [],
            "eligibility": [],
            "hours": own_hours,
            "hours_note": "",
            "phone": "",
            "email": "",
            "contact_name": "",
            "status": Service.Status.RUNNING,
            "paused_until": None,
        }
        if rng.random() < 0.05:
            values["status"] = Service.Status.PAUSED
            values["paused_until"] = (self.today + timedelta(days=rng.randint(10, 60))).isoformat()
        return values
