"""Fictional demo listings for local development and demonstrations (`manage.py seed_demo`).

Everything generated here is invented: names are assembled from generic parts (never the name
of a real network or trademark), phone numbers come from the blocks ARCEP reserves for fiction
(04 65 71 xx xx and 06 39 98 xx xx, décision n° 2018-0881), e-mail addresses and websites use
the reserved domain example.org. The same seed and count always give the same listings, so
running the command twice creates nothing the second time.

`plan()` is pure (reference data in, `DemoAssociation` specs out); `create()` writes them.
"""

import io
import math
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from directory import reference as reference_snapshot
from directory.dev.demo import agenda as demo_agenda
from directory.dev.demo import calendar as demo_calendar
from directory.dev.demo import services as demo_services
from directory.dev.demo.vocabulary import (
    BRANDS,
    DEFAULT_COUNT,
    DEFAULT_POPULATION,
    DEFAULT_SEED,
    DIASPORAS,
    FAMILIES,
    FORBIDDEN_NAME_WORDS,
    LOCALITIES,
    NEEDS,
    POPULATION,
    PROGRESS_EVERY,
    QUARTIER_LABELS,
    SECTORS,
    STREETS,
)
from directory.listings import state
from directory.listings.services import refresh_search_text, unique_slug
from directory.models import (
    Area,
    Association,
    AssociationChange,
    Audience,
    Category,
    Language,
    Place,
    Service,
    SlugRedirect,
)
from directory.reference_data import LYON_INSEE
from directory.text import STOP_WORDS, normalize


def _days(rng, candidates, low, high):
    return sorted(rng.sample(candidates, rng.randint(low, high)))


def _hours_office(rng):
    morning = rng.choice([["09:00", "12:00"], ["08:30", "12:00"], ["09:30", "12:30"]])
    afternoon = rng.choice([["14:00", "17:00"], ["13:30", "17:30"], ["14:00", "18:00"]])
    days = _days(rng, [0, 1, 2, 3, 4], 3, 5)
    return {str(d): [morning, afternoon] if rng.random() < 0.7 else [morning] for d in days}


def _hours_afternoons(rng):
    slot = rng.choice([["14:00", "17:00"], ["14:00", "18:00"], ["13:30", "16:30"]])
    return {str(d): [slot] for d in _days(rng, [0, 1, 2, 3, 4], 2, 4)}


def _hours_distribution(rng):
    slots = [["09:00", "12:00"], ["14:00", "17:00"], ["13:30", "16:00"]]
    return {str(d): [rng.choice(slots)] for d in _days(rng, [0, 1, 2, 3, 4, 5], 1, 2)}


def _hours_meals(rng):
    slot = rng.choice([["11:30", "14:00"], ["12:00", "14:00"], ["18:30", "20:30"]])
    return {str(d): [slot] for d in _days(rng, [0, 1, 2, 3, 4, 5, 6], 3, 6)}


def _hours_homework(rng):
    slot = rng.choice([["16:30", "18:30"], ["16:45", "18:15"], ["17:00", "19:00"]])
    hours = {str(d): [slot] for d in _days(rng, [0, 1, 3, 4], 2, 4)}
    if rng.random() < 0.4:
        hours["2"] = [["14:00", "17:00"]]
    return hours


def _hours_kids(rng):
    hours = {"2": [rng.choice([["13:30", "18:00"], ["09:00", "12:00"], ["14:00", "17:30"]])]}
    if rng.random() < 0.8:
        hours["5"] = [rng.choice([["09:00", "12:00"], ["10:00", "12:00"], ["14:00", "17:00"]])]
    return hours


def _hours_classes(rng):
    hours = {}
    for d in _days(rng, [0, 1, 2, 3, 4], 2, 4):
        hours[str(d)] = [rng.choice([["09:00", "11:00"], ["14:00", "16:00"], ["18:30", "20:30"]])]
    if rng.random() < 0.3:
        hours["5"] = [["10:00", "12:00"]]
    return hours


def _hours_evening_sport(rng):
    hours = {}
    for d in _days(rng, [0, 1, 2, 3, 4], 2, 4):
        hours[str(d)] = [
            rng.choice([["18:00", "20:00"], ["18:30", "22:00"], ["19:00", "21:30"], ["17:30", "19:30"]])
        ]
    if rng.random() < 0.7:
        hours["2"] = [["14:00", "17:00"], *hours.get("2", [])]
    if rng.random() < 0.6:
        hours["5"] = [rng.choice([["09:00", "12:00"], ["10:00", "12:00"], ["14:00", "18:00"]])]
    return hours


def _hours_evening_culture(rng):
    slot = rng.choice([["18:30", "20:30"], ["19:00", "22:00"], ["20:00", "22:00"]])
    return {str(d): [slot] for d in _days(rng, [0, 1, 2, 3, 4], 1, 3)}


def _hours_weekend_culture(rng):
    hours = {"5": [rng.choice([["10:00", "12:00"], ["14:00", "18:00"], ["09:30", "12:30"]])]}
    if rng.random() < 0.6:
        hours["2"] = [["14:00", "18:00"]]
    if rng.random() < 0.2:
        hours["6"] = [["10:00", "12:00"]]
    return hours


def _hours_seniors(rng):
    return {
        str(d): [rng.choice([["14:00", "17:30"], ["14:00", "18:00"], ["13:30", "17:00"]])]
        for d in _days(rng, [0, 1, 2, 3, 4], 2, 3)
    }


def _hours_permanence(rng):
    day = str(rng.choice([0, 1, 2, 3, 4, 5]))
    return {day: [rng.choice([["09:00", "12:00"], ["14:00", "17:00"], ["17:30", "19:30"]])]}


HOURS_PATTERNS = {
    "office": _hours_office,
    "afternoons": _hours_afternoons,
    "distribution": _hours_distribution,
    "meals": _hours_meals,
    "homework": _hours_homework,
    "kids": _hours_kids,
    "classes": _hours_classes,
    "evening_sport": _hours_evening_sport,
    "evening_culture": _hours_evening_culture,
    "weekend_culture": _hours_weekend_culture,
    "seniors": _hours_seniors,
    "permanence": _hours_permanence,
}

CLOSURE_MESSAGES = [
    "Fermeture pour travaux de rénovation du local.",
    "Fermeture exceptionnelle : déménagement en cours, nous restons joignables par e-mail.",
    "Local fermé après un dégât des eaux ; les permanences reprennent bientôt.",
]
SECONDARY_VENUES = [
    "Permanence au centre social", "Antenne de la maison de quartier", "Permanence à la mairie annexe",
    "Permanence à la médiathèque", "Espace associatif", "Antenne",
]  # fmt: skip

# ---------------------------------------------------------------------------------------------
# Plan: pure generation
# ---------------------------------------------------------------------------------------------


@dataclass
class AreaRef:
    pk: int
    name: str
    kind: str
    insee: str
    postcodes: list
    lat: float
    lon: float
    quartiers: list = field(default_factory=list)  # [(pk, name, lat, lon)]

    @property
    def label(self):
        """(bare, "de" form) of the commune or arrondissement."""
        if self.kind == Area.Kind.ARRONDISSEMENT:
            short = self.name.replace(" Arrondissement", "")
            return short, f"de {short}"
        return self.name, de_form(self.name)


@dataclass
class DemoPlace:
    position: int
    kind: str
    name: str
    address: str
    postcode: str
    area_id: int
    quartier_id: int | None
    lat: float
    lon: float
    hours: dict
    hours_note: str = ""
    wheelchair: str = ""
    closed_from: object = None
    closed_until: object = None
    closure_message: str = ""
    public_holidays: str = "closed"
    school_holidays: str = "same"
    school_hours: dict = field(default_factory=dict)
    exceptions: list = field(default_factory=list)


@dataclass
class DemoAssociation:
    name: str
    slug: str
    fields: dict
    categories: list  # slugs
    audiences: list  # slugs
    languages: list  # codes
    places: list  # [DemoPlace]
    logo_colour: str | None = None  # draw a logo in that colour
    logo_shape: str = "circle"
    services: list = field(default_factory=list)  # the state's values of its services (demo/services.py)


def de_form(name):
    """'Écully' → "d'Écully", 'Bron' → 'de Bron', 'La Mulatière' → 'de La Mulatière'."""
    first = strip_accents(name[:1]).lower()
    return f"d'{name}" if first in "aeiouyh" else f"de {name}"


def a_form(de):
    """The "à" form of a "de" form: 'de la X' → 'à la X', 'des X' → 'aux X', 'du X' → 'au X'."""
    for prefix, replacement in (
        ("de la ", "à la "),
        ("de l'", "à l'"),
        ("des ", "aux "),
        ("du ", "au "),
        ("d'", "à "),
        ("de ", "à "),
    ):
        if de.startswith(prefix):
            return replacement + de[len(prefix) :]
    return f"à {de}"


def strip_accents(value):
    return "".join(ch for ch in unicodedata.normalize("NFKD", value) if not unicodedata.combining(ch))


def allocate(weights, count, *, minimum):
    """Split `count` into integer shares proportional to `weights` (largest remainder), each
    share at least `minimum` when that fits."""
    n = len(weights)
    if n == 0:
        return []
    base = minimum if minimum * n <= count else 0
    remaining = count - base * n
    total = sum(weights)
    quotas = [remaining * w / total for w in weights]
    shares = [math.floor(q) for q in quotas]
    leftover = remaining - sum(shares)
    order = sorted(range(n), key=lambda i: (quotas[i] - shares[i], weights[i]), reverse=True)
    for i in order[:leftover]:
        shares[i] += 1
    return [s + base for s in shares]


def _offset(rng, lat, lon, max_metres=600):
    distance = max_metres * math.sqrt(rng.random())
    angle = rng.uniform(0, 2 * math.pi)
    dlat = distance * math.cos(angle) / 111_320
    dlon = distance * math.sin(angle) / (111_320 * math.cos(math.radians(lat)))
    return round(lat + dlat, 6), round(lon + dlon, 6)


def _weighted(rng, options):
    """options: ((value, weight, ...), ...) → the chosen tuple."""
    return rng.choices(options, weights=[o[1] for o in options])[0]


def _pick_some(rng, pool, low, high, *, bias=2.0):
    """Up to `high` distinct items from `pool`, favouring the first ones."""
    pool = list(pool)
    k = min(len(pool), rng.randint(low, high))
    chosen = []
    weights = [bias ** -(i / 2) for i in range(len(pool))]
    while len(chosen) < k:
        item = rng.choices(pool, weights=weights)[0]
        if item not in chosen:
            chosen.append(item)
    return chosen


def _join(items):
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


def _is_forbidden(name):
    text = normalize(name)
    return any(word in text for word in FORBIDDEN_NAME_WORDS)


def _truncate_slug(slug, limit):
    if len(slug) <= limit:
        return slug
    cut = slug[:limit]
    return (cut.rsplit("-", 1)[0] if "-" in cut else cut).strip("-")


class Planner:
    def __init__(self, *, areas, categories, audiences, languages, seed, now):
        self.rng = random.Random(seed)
        self.calendar_rng = random.Random(f"calendar-{seed}")  # demo/calendar.py
        self.areas = areas
        self.now = now
        self.today = timezone.localdate(now)
        self.audiences = set(audiences)
        self.languages = set(languages)
        self.needs = {slug: need for slug, need in NEEDS.items() if slug in categories}
        self.families = {}
        for slug in self.needs:
            parent = categories[slug]
            if parent in FAMILIES:
                self.families.setdefault(parent, []).append(slug)
        self.family_of = {slug: parent for parent, slugs in self.families.items() for slug in slugs}
        self.used_slugs = set()
        self._neighbours = {}
        self.services = demo_services.ServicePlanner(
            seed=seed, today=self.today, hours_patterns=HOURS_PATTERNS
        )

    # -- where ------------------------------------------------------------------------------

    def neighbours(self, area, n=5):
        """The n closest other communes or arrondissements: where a permanence may be."""
        if area.pk not in self._neighbours:
            scale = math.cos(math.radians(area.lat))
            others = sorted(
                (a for a in self.areas if a.pk != area.pk),
                key=lambda a: (a.lat - area.lat) ** 2 + ((a.lon - area.lon) * scale) ** 2,
            )
            self._neighbours[area.pk] = others[:n] or [area]
        return self._neighbours[area.pk]

    def area_sequence(self, count):
        weights = [POPULATION.get(a.insee, DEFAULT_POPULATION) for a in self.areas]
        shares = allocate(weights, count, minimum=1 if count >= 200 else 0)
        sequence = [area for area, share in zip(self.areas, shares, strict=True) for _ in range(share)]
        self.rng.shuffle(sequence)
        return sequence

    def place_for(self, area, position, kind, family, hours_pattern):
        rng = self.rng
        quartier = rng.choice(area.quartiers) if area.quartiers and rng.random() < 0.6 else None
        centre_lat, centre_lon = (quartier[2], quartier[3]) if quartier else (area.lat, area.lon)
        lat, lon = _offset(rng, centre_lat, centre_lon)
        number = rng.randint(1, 180)
        suffix = " bis" if rng.random() < 0.05 else ""
        if kind == Place.Kind.SEAT:
            name = rng.choice(family.venues)
            hours = HOURS_PATTERNS[hours_pattern](rng)
        else:
            name = rng.choice(SECONDARY_VENUES)
            hours = HOURS_PATTERNS["permanence"](rng)
        place = DemoPlace(
            position=position,
            kind=kind,
            name=name,
            address=f"{number}{suffix} {rng.choice(STREETS)}",
            postcode=rng.choice(area.postcodes) if area.postcodes else "",
            area_id=area.pk,
            quartier_id=quartier[0] if quartier else None,
            lat=lat,
            lon=lon,
            hours=dict(sorted(hours.items())),
            hours_note=rng.choice(family.notes) if rng.random() < 0.3 else "",
            wheelchair=rng.choices(["yes", "partial", "no", ""], weights=[35, 20, 10, 35])[0],
        )
        for name, value in demo_calendar.rules(
            self.calendar_rng, hours_pattern, place.hours, self.today
        ).items():
            setattr(place, name, value)
        if rng.random() < 0.02:
            place.closed_from = self.today - timedelta(days=rng.randint(1, 20))
            place.closed_until = self.today + timedelta(days=rng.randint(7, 45))
            place.closure_message = rng.choice(CLOSURE_MESSAGES)
        return place, quartier

    def locality(self, area, quartier):
        """(bare, "de" form) naming where the association is."""
        if quartier and quartier[1] in QUARTIER_LABELS:
            return QUARTIER_LABELS[quartier[1]]
        localities = LOCALITIES.get(area.insee)
        if localities and self.rng.random() < 0.35:
            return self.rng.choice(localities)
        return area.label

    # -- what -------------------------------------------------------------------------------

    def pick_need(self):
        parents = sorted(self.families)
        parent = self.rng.choices(parents, weights=[FAMILIES[p].weight for p in parents])[0]
        return self.rng.choice(self.families[parent])

    def make_name(self, need_slug, locality, diaspora):
        need = NEEDS[need_slug]
        bare, de = locality
        values = {"lieu": bare, "de": de, "a": a_form(de)}
        if diaspora:
            values["adj"], values["origin"] = diaspora[0], diaspora[1]
        for attempt in range(40):
            pattern = self.rng.choice(need.names)
            values["brand"] = self.rng.choice(BRANDS)
            name = pattern.format(**values)
            if attempt >= 20:  # a crowded place: tell listings apart by sector
                name = f"{name} — {self.rng.choice(SECTORS)}"
            slug = slugify(name)[:200].strip("-")
            if slug not in self.used_slugs and not _is_forbidden(name):
                self.used_slugs.add(slug)
                return name, slug
        n = 2
        while f"{slug}-{n}" in self.used_slugs:
            n += 1
        self.used_slugs.add(f"{slug}-{n}")
        return f"{name} ({n})", f"{slug}-{n}"

    def description(self, name, need, family, locality, values, volunteers):
        rng = self.rng
        year = self.today.year - rng.randint(2, 40)
        a = a_form(locality[1])
        opening = rng.choice(
            [
                f"Notre association est née en {year} {a}, à l'initiative {rng.choice(family.founders)}.",
                f"Depuis {year}, notre association agit {a} et dans les quartiers voisins.",
                f"Créée en {year} à l'initiative {rng.choice(family.founders)}, « {name} » est une association loi 1901.",
            ]
        )
        activities = rng.sample(need.activities, min(len(need.activities), rng.randint(2, 3)))
        lead = rng.choice(
            ["Concrètement, nous proposons", "Tout au long de l'année, nous proposons", "Nos activités :"]
        )
        paragraphs = [f"{opening} {need.mission.format(**values)}", f"{lead} {_join(activities)}."]
        if rng.random() < 0.8:
            paragraphs.append(rng.choice(family.practical))
        if volunteers and rng.random() < 0.5:
            paragraphs.append(
                "Envie de donner un peu de temps ? Nous accueillons toujours de nouveaux bénévoles : "
                "écrivez-nous ou passez nous voir."
            )
        elif rng.random() < 0.4:
            paragraphs.append(rng.choice(family.partners))
        return "\n\n".join(paragraphs)

    def contact(self, slug):
        rng = self.rng
        phone = ""
        roll = rng.random()
        if roll < 0.7:
            phone = f"04 65 71 {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"
        elif roll < 0.95:
            phone = f"06 39 98 {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"
        email = f"{_truncate_slug(slug, 48)}@example.org"
        website = f"https://{_truncate_slug(slug, 63)}.example.org" if rng.random() < 0.4 else ""
        social = ""
        if rng.random() < 0.3:
            handle = _truncate_slug(slug, 30).replace("-", "")
            links = [
                f"https://social.example.org/@{handle}",
                f"https://photos.example.org/{handle}",
                f"https://video.example.org/c/{handle}",
            ]
            social = "\n".join(rng.sample(links, rng.randint(1, 2)))
        return {"phone": phone, "email": email, "website": website, "social_links": social}

    def dates(self, status):
        rng = self.rng
        created = (self.now - timedelta(seconds=rng.randint(3 * 86400, 730 * 86400))).replace(microsecond=0)
        updated = created if rng.random() < 0.3 else created + (self.now - created) * rng.random()
        verified = None
        if status == Association.Status.PUBLISHED and rng.random() < 0.9:
            verified = max(self.today - timedelta(days=rng.randint(0, 540)), timezone.localdate(created))
        return {
            "created_at": created,
            "updated_at": updated.replace(microsecond=0),
            "status_changed_at": created,
            "last_verified_at": verified,
        }

    def one(self, area):
        rng = self.rng
        need_slug = self.pick_need()
        need = NEEDS[need_slug]
        family = FAMILIES[self.family_of[need_slug]]
        hours_pattern = rng.choice(need.hours or family.hours)

        seat, quartier = self.place_for(area, 0, Place.Kind.SEAT, family, hours_pattern)
        places = [seat]
        extra = rng.choices([0, 1, 2], weights=[85, 10, 5])[0]
        for position in range(1, extra + 1):
            other = area if rng.random() < 0.5 else rng.choice(self.neighbours(area))
            kind = rng.choice([Place.Kind.PERMANENCE, Place.Kind.BRANCH])
            places.append(self.place_for(other, position, kind, family, hours_pattern)[0])

        locality = self.locality(area, quartier)
        diaspora = rng.choice(DIASPORAS) if need_slug == "associations-de-diasporas" else None
        name, slug = self.make_name(need_slug, locality, diaspora)
        values = {"lieu": locality[0], "de": locality[1], "a": a_form(locality[1])}
        if diaspora:
            values.update(adj=diaspora[0], origin=diaspora[1])

        categories = [need_slug]
        also = [s for s in need.also if s in self.needs]
        if also and rng.random() < 0.35:
            categories += rng.sample(also, 2 if len(also) > 1 and rng.random() < 0.2 else 1)

        audiences = [
            s for s in _pick_some(rng, need.audiences or family.audiences, 1, 3) if s in self.audiences
        ]
        pool = list(diaspora[2]) if diaspora else list(need.languages or family.languages)
        share = 1 if diaspora else 0.9 if need.languages else family.language_share
        extra_languages = []
        if pool and rng.random() < share:
            extra_languages = _pick_some(rng, pool, 1, min(max(family.max_languages, 1), len(pool)))
        languages = [c for c in ["fr", *extra_languages] if c in self.languages]

        fees, _weight, details = _weighted(rng, need.fees or family.fees)
        reception = rng.choices(["walk_in", "appointment", "both"], weights=family.reception)[0]
        volunteers = rng.random() < 0.3
        status = rng.choices(
            [Association.Status.PUBLISHED, Association.Status.PENDING, Association.Status.DRAFT],
            weights=[97, 2, 1],
        )[0]

        short = need.short.format(**values)
        if len(short) > 280:
            short = short[:279].rsplit(" ", 1)[0] + "…"
        fields = {
            "short_description": short,
            "description": self.description(name, need, family, locality, values, volunteers),
            **self.contact(slug),
            "fees": fees,
            "fees_details": rng.choice(details),
            "reception": reception,
            "volunteers_sought": volunteers,
            "volunteers_details": rng.choice(family.volunteers) if volunteers else "",
            "status": status,
            **self.dates(status),
        }
        return DemoAssociation(
            name=name,
            slug=slug,
            fields=fields,
            categories=categories,
            audiences=audiences,
            languages=languages,
            places=places,
            logo_colour=rng.choice(family.colours) if rng.random() < 0.25 else None,
            logo_shape=rng.choice(["circle", "square"]),
            services=self.services.services(
                demo_services.ListingTerms(
                    need_slug=need_slug,
                    need=need,
                    family_slug=self.family_of[need_slug],
                    categories=categories,
                    audiences=audiences,
                    languages=languages,
                    fees=fees,
                    places=places,
                    hours=need.hours or family.hours,
                )
            ),
        )


def plan(*, areas, categories, audiences, languages, count, seed, now, progress=None):
    """The `count` demo listings for this seed, in order.

    areas: [AreaRef] (communes other than Lyon, and Lyon's arrondissements);
    categories: {sub-category slug: parent slug}; audiences: slugs; languages: codes.
    """
    planner = Planner(
        areas=areas, categories=categories, audiences=audiences, languages=languages, seed=seed, now=now
    )
    if not planner.families:
        return []
    result = []
    for i, area in enumerate(planner.area_sequence(count), start=1):
        result.append(planner.one(area))
        if progress and i % PROGRESS_EVERY == 0:
            progress("planned", i, count)
    return result


# ---------------------------------------------------------------------------------------------
# Logos
# ---------------------------------------------------------------------------------------------


def initials(name):
    words = [w for w in normalize(name.split(" — ")[0].split(",")[0]).split() if w not in STOP_WORDS]
    return "".join(w[0] for w in words[:2]).upper() or "A"


@cache
def _font(size):
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def draw_logo(text, colour, shape="circle", size=256):
    """A PNG: a coloured circle or rounded square with white initials."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    box = (8, 8, size - 8, size - 8)
    if shape == "circle":
        draw.ellipse(box, fill=colour)
    else:
        draw.rounded_rectangle(box, radius=size // 5, fill=colour)
    font = _font(size // 2 if len(text) < 2 else int(size * 0.4))
    draw.text((size / 2, size / 2), text, fill="white", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


class MissingReferenceData(Exception):
    pass


def load_reference():
    """The reference data `plan()` needs, from the database."""
    quartiers = {}
    for q in Area.objects.filter(kind=Area.Kind.QUARTIER).order_by("slug"):
        quartiers.setdefault(q.parent_id, []).append((q.pk, q.name, q.lat, q.lon))
    areas = [
        AreaRef(
            pk=a.pk,
            name=a.name,
            kind=a.kind,
            insee=a.insee,
            postcodes=a.postcode_list,
            lat=a.lat,
            lon=a.lon,
            quartiers=quartiers.get(a.pk, []),
        )
        for a in Area.objects.top_level()
        .exclude(insee=LYON_INSEE)
        .exclude(lat=None)
        .order_by("insee", "slug")
    ]
    categories = dict(
        Category.objects.filter(parent__isnull=False).values_list("slug", "parent__slug").order_by("slug")
    )
    missing = []
    if not areas:
        missing.append("areas")
    if not any(slug in NEEDS and parent in FAMILIES for slug, parent in categories.items()):
        missing.append("categories")
    if missing:
        raise MissingReferenceData(", ".join(missing))
    return {
        "areas": areas,
        "categories": categories,
        "audiences": set(Audience.objects.values_list("slug", flat=True)),
        "languages": set(Language.objects.values_list("code", flat=True)),
    }


@dataclass
class SeedResult:
    created: int = 0
    present: int = 0
    skipped: int = 0  # name already used by a listing that is not a demo one
    logos: int = 0
    events: int = 0
    services: int = 0


def create(*, count=DEFAULT_COUNT, seed=DEFAULT_SEED, dry_run=False, progress=None, now=None):
    """Create the demo listings of this seed that are not in the database yet."""
    reference = load_reference()
    specs = plan(**reference, count=count, seed=seed, now=now or timezone.now(), progress=progress)
    existing = dict(
        Association.objects.filter(name__in=[s.name for s in specs]).values_list("name", "is_demo")
    )
    result = SeedResult()
    new = []
    for spec in specs:
        if spec.name not in existing:
            new.append(spec)
        elif existing[spec.name]:
            result.present += 1
        else:
            result.skipped += 1
    result.created = len(new)
    if dry_run or not new:
        return result

    with transaction.atomic():
        associations = _write(new, result, progress)
        result.events = demo_agenda.write_events(associations, seed=seed, now=now or timezone.now())
    return result


def _free_slugs(specs):
    """Keep each planned slug unless the database already has it (then ask unique_slug)."""
    wanted = [s.slug for s in specs]
    taken = set(Association.objects.filter(slug__in=wanted).values_list("slug", flat=True))
    taken |= set(SlugRedirect.objects.filter(old_slug__in=wanted).values_list("old_slug", flat=True))
    planned = set(wanted)
    for spec in specs:
        if spec.slug in taken:
            slug = unique_slug(spec.name)
            n = 2
            while slug in planned:
                slug = f"{spec.slug}-{n}"
                n += 1
            planned.add(slug)
            spec.slug = slug


def _write(specs, result, progress):
    _free_slugs(specs)
    category_ids = dict(Category.objects.values_list("slug", "pk"))
    audience_ids = dict(Audience.objects.values_list("slug", "pk"))
    language_ids = dict(Language.objects.values_list("code", "pk"))

    associations = []
    for i, spec in enumerate(specs, start=1):
        association = Association(
            name=spec.name,
            slug=spec.slug,
            source=Association.Source.MODERATOR,
            is_demo=True,
            **spec.fields,
        )
        if spec.logo_colour:
            png = draw_logo(initials(spec.name), spec.logo_colour, spec.logo_shape)
            association.logo.save(f"{_truncate_slug(spec.slug, 60)}.png", ContentFile(png), save=False)
            result.logos += 1
        associations.append(association)
        if progress and i % PROGRESS_EVERY == 0:
            progress("prepared", i, len(specs))
    Association.objects.bulk_create(associations, batch_size=500)
    if associations and associations[0].pk is None:  # a backend without RETURNING
        by_slug = dict(
            Association.objects.filter(slug__in=[a.slug for a in associations]).values_list("slug", "pk")
        )
        for association in associations:
            association.pk = association.id = by_slug[association.slug]

    links = {"categories": [], "audiences": [], "languages": []}
    places = []
    changes = []
    for association, spec in zip(associations, specs, strict=True):
        links["categories"] += [
            Association.categories.through(association_id=association.pk, category_id=category_ids[s])
            for s in spec.categories
        ]
        links["audiences"] += [
            Association.audiences.through(association_id=association.pk, audience_id=audience_ids[s])
            for s in spec.audiences
        ]
        links["languages"] += [
            Association.languages.through(association_id=association.pk, language_id=language_ids[c])
            for c in spec.languages
        ]
        places += [Place(association_id=association.pk, **vars(p)) for p in spec.places]
        # Same fields as services.association_log_change(), dated when the listing was created.
        changes.append(
            AssociationChange(
                association_id=association.pk,
                actor=None,
                origin=AssociationChange.Origin.SYSTEM,
                action="created",
                changes={},
                created_at=association.created_at,
            )
        )
    for rows in links.values():
        if rows:
            type(rows[0]).objects.bulk_create(rows, batch_size=1000)
    Place.objects.bulk_create(places, batch_size=500)
    AssociationChange.objects.bulk_create(changes, batch_size=500)
    result.services = _write_services(associations, specs)
    refresh_search_text(associations)
    return associations


def _write_services(associations, specs):
    """The planned services, cleaned by the listing's state (directory/listings/state.py) as an
    approved change would write them, their places by position. Returns how many."""
    snap = reference_snapshot.get()
    place_ids = {
        (association_id, position): pk
        for pk, association_id, position in Place.objects.filter(
            association_id__in=[a.pk for a in associations]
        ).values_list("pk", "association_id", "position")
    }
    rows, wanted_places = [], []
    for association, spec in zip(associations, specs, strict=True):
        for position, data in enumerate(spec.services):
            values = state.clean_service_values(data, snap)
            paused_until = values.pop("paused_until")
            positions = values.pop("places")
            service = Service(association_id=association.pk, position=position, **values)
            service.paused_until = date.fromisoformat(paused_until) if paused_until else None
            rows.append(service)
            wanted_places.append(
                [place_ids[(association.pk, p)] for p in positions if (association.pk, p) in place_ids]
            )
    Service.objects.bulk_create(rows, batch_size=500)
    if rows and rows[0].pk is None:  # a backend without RETURNING
        by_key = {
            (association_id, position): pk
            for pk, association_id, position in Service.objects.filter(
                association_id__in=[a.pk for a in associations]
            ).values_list("pk", "association_id", "position")
        }
        for service in rows:
            service.pk = service.id = by_key[(service.association_id, service.position)]
    Service.places.through.objects.bulk_create(
        [
            Service.places.through(service_id=service.pk, place_id=place_id)
            for service, ids in zip(rows, wanted_places, strict=True)
            for place_id in ids
        ],
        batch_size=1000,
    )
    return len(rows)
