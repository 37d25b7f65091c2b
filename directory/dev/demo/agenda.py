"""Demo events and permanences (`manage.py seed_demo`): many demo listings get a recurring
permanence or a workshop in the coming weeks, a few a one-off event, so that a first `make run`
shows /agenda/, the listings' "Prochains rendez-vous" and the .ics files. Deterministic for a
seed; written through the agenda's services, like a manager's events."""

import datetime
import random

from directory.agenda import recurrence, services
from directory.models import Category, Event

SHARE = 0.6  # of the demo listings get events
STILL_TO_REVIEW = 6  # the others are marked as seen, so the moderation queue stays readable

# (kind, title, description, recurrence, weekday 0-6, hour, minutes, free)
TEMPLATES = {
    "alimentation": [
        (
            "permanence",
            "Distribution de colis alimentaires",
            "Sur orientation d'un travailleur social ; apportez un sac.",
            "weekly",
            1,
            14,
            120,
            True,
        ),
        (
            "event",
            "Atelier cuisine anti-gaspi",
            "Cuisiner les invendus, puis partager le repas.",
            "monthly",
            5,
            10,
            180,
            True,
        ),
    ],
    "soutien-scolaire": [
        ("permanence", "Aide aux devoirs", "Du CP à la 3e, avec des bénévoles.", "weekly", 2, 16, 120, True),
    ],
    "apprendre-le-francais": [
        (
            "event",
            "Atelier de conversation en français",
            "Pour pratiquer à l'oral, tous niveaux.",
            "weekly",
            3,
            18,
            90,
            True,
        ),
    ],
    "droits-et-acces-au-droit": [
        (
            "permanence",
            "Permanence d'accès aux droits",
            "Un juriste bénévole répond à vos questions, sans rendez-vous.",
            "monthly",
            1,
            14,
            180,
            True,
        ),
    ],
    "logement": [
        (
            "permanence",
            "Permanence logement",
            "Dossiers de demande, recours, aides au loyer.",
            "biweekly",
            3,
            9,
            180,
            True,
        ),
    ],
    "sante-et-bien-etre": [
        (
            "event",
            "Marche santé",
            "Une heure de marche douce, départ devant l'association.",
            "weekly",
            4,
            10,
            60,
            True,
        ),
    ],
    "emploi-et-insertion": [
        (
            "permanence",
            "Atelier CV et lettre de motivation",
            "Venez avec votre CV, même inachevé.",
            "biweekly",
            0,
            14,
            120,
            True,
        ),
    ],
    "numerique": [
        (
            "permanence",
            "Permanence numérique",
            "Démarches en ligne, messagerie, smartphone : on vous aide.",
            "weekly",
            1,
            10,
            120,
            True,
        ),
    ],
    "famille-et-parentalite": [
        (
            "event",
            "Café des parents",
            "Un moment d'échange entre parents, les enfants sont accueillis.",
            "monthly",
            5,
            10,
            120,
            True,
        ),
    ],
    "seniors": [
        ("event", "Après-midi jeux de société", "Belote, scrabble, goûter.", "weekly", 3, 14, 180, True),
    ],
    "sport": [
        ("event", "Séance découverte", "Essai gratuit, matériel prêté.", "weekly", 5, 10, 90, True),
        ("event", "Tournoi du quartier", "Équipes mixtes, inscription sur place.", "", 6, 14, 240, False),
    ],
    "culture-et-loisirs": [
        (
            "event",
            "Scène ouverte",
            "Musique, poésie, théâtre : inscrivez-vous en arrivant.",
            "monthly",
            4,
            19,
            180,
            False,
        ),
    ],
    "environnement-et-vie-de-quartier": [
        (
            "event",
            "Atelier de réparation de vélos",
            "Apprenez à réparer votre vélo avec les bénévoles.",
            "biweekly",
            5,
            14,
            180,
            True,
        ),
        ("event", "Fête de quartier", "Jeux, repas partagé et concert.", "", 5, 15, 360, True),
    ],
}
GENERIC = [
    (
        "permanence",
        "Permanence d'accueil",
        "Sans rendez-vous : venez nous rencontrer.",
        "weekly",
        2,
        14,
        120,
        True,
    )
]


def _first_on(day, weekday):
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def _values(rng, template, association, place, audiences, today):
    kind, title, description, rule, weekday, hour, minutes, free = template
    day = _first_on(today + datetime.timedelta(days=rng.randint(1, 14)), weekday)
    start = datetime.datetime.combine(day, datetime.time(hour), tzinfo=recurrence.PARIS)
    values = {
        "kind": kind,
        "title": title,
        "description": description,
        "starts_at": start,
        "ends_at": start + datetime.timedelta(minutes=minutes),
        "recurrence": rule,
        "month_week": recurrence.month_week_of(day) if rule == "monthly" else None,
        "repeat_until": None,
        "repeat_count": None,
        "skip_holidays": bool(rule) and rng.random() < 0.7,
        "place": place,
        "address": "",
        "area": None,
        "is_free": free,
        "registration_url": "",
        "audiences": audiences,
        "languages": [],
    }
    if rule == "weekly":
        values["repeat_until"] = day + datetime.timedelta(weeks=rng.choice([8, 12, 16]))
    elif rule:
        values["repeat_count"] = rng.choice([4, 6])
    return values


def write_events(associations, *, seed, now):
    """Events for about SHARE of the published `associations` (saved, with their places)."""
    rng = random.Random(f"{seed}-agenda")
    parents = dict(Category.objects.values_list("slug", "parent__slug"))
    today = now.date()
    created = []
    for association in associations:
        if not association.is_published or rng.random() >= SHARE:
            continue
        place = association.places.order_by("position", "pk").first()
        categories = list(association.categories.values_list("slug", flat=True))
        top = next((parents.get(slug) or slug for slug in categories), None)
        templates = TEMPLATES.get(top, GENERIC)
        audiences = list(association.audiences.all()[:1]) if rng.random() < 0.3 else []
        for template in rng.sample(templates, rng.randint(1, len(templates))):
            created.append(
                services.event_publish(
                    association=association,
                    user=None,
                    values=_values(rng, template, association, place, audiences, today),
                    origin="system",
                )
            )
    keep = {event.pk for event in created[:STILL_TO_REVIEW]}
    Event.objects.filter(pk__in=[e.pk for e in created if e.pk not in keep]).update(needs_review=False)
    return len(created)
