"""Synthetic published listings for the benchmark, written fast.

The content comes from the demo planner and its vocabulary (names, descriptions, hours, places
spread over the Métropole weighted by population); this module only changes what volume needs:
cheap unique names, every listing published, no logos and no history rows, and bulk inserts in
batches (associations, places and the three M2M through tables), each batch in one transaction.
"""

import time
from collections import Counter
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from directory import demo, services
from directory.demo.vocabulary import BRANDS, NEEDS, SECTORS
from directory.models import Association, AssociationChange, Audience, Category, Language, Place, SlugRedirect

BENCH_PREFIX = "bench-"
DEFAULT_SEED = 2026
BATCH_SIZE = 2500
DESCRIPTION_MIN = 300
DESCRIPTION_MAX = 1200


def bench_rows():
    """The benchmark's listings, and only them: every delete goes through this queryset."""
    return Association.objects.filter(slug__startswith=BENCH_PREFIX)


def real_listing_count():
    """Listings that are neither demo nor benchmark rows: real data the benchmark must not sit on."""
    return Association.objects.filter(is_demo=False).count()


def refresh_index(associations):
    """Refresh the search index of freshly written rows: the one call to switch when search moves."""
    services.refresh_search_text(associations)


class BenchPlanner(demo.Planner):
    """The demo planner with names that stay unique and cheap at 100 000 listings."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.serial = Counter()

    def make_name(self, need_slug, locality, diaspora):
        rng = self.rng
        bare, de = locality
        values = {"lieu": bare, "de": de, "a": demo.a_form(de)}
        if diaspora:
            values["adj"], values["origin"] = diaspora[0], diaspora[1]
        for _attempt in range(4):
            values["brand"] = rng.choice(BRANDS)
            name = rng.choice(NEEDS[need_slug].names).format(**values)
            if not demo._is_forbidden(name):
                break
        if rng.random() < 0.3:
            name = f"{name} — {rng.choice(SECTORS)}"
        base = slugify(name)[:190].strip("-")
        self.serial[base] += 1
        n = self.serial[base]
        if n > 1:  # a name already given: tell them apart by a number, as RNA homonyms do
            name, base = f"{name} ({n})", f"{base}-{n}"
        return name, BENCH_PREFIX + base

    def description(self, name, need, family, locality, values, volunteers):
        """The demo description, lengthened or cut to 300–1200 characters."""
        text = super().description(name, need, family, locality, values, volunteers)
        extras = [p for p in (*family.practical, *family.partners) if p not in text]
        self.rng.shuffle(extras)
        wanted = self.rng.choice([DESCRIPTION_MIN, DESCRIPTION_MIN, 600, 900, DESCRIPTION_MAX])
        while extras and len(text) < wanted:
            text = f"{text}\n\n{extras.pop()}"
        if len(text) > DESCRIPTION_MAX:
            text = text[: DESCRIPTION_MAX - 1].rsplit(" ", 1)[0] + "…"
        return text

    def one(self, area):
        spec = super().one(area)
        spec.fields["status"] = Association.Status.PUBLISHED
        spec.logo_colour = None
        return spec


@dataclass
class BuildResult:
    created: int
    places: int
    links: int
    seconds: float


def build(count, *, seed=DEFAULT_SEED, batch_size=BATCH_SIZE, progress=None, now=None):
    """Create `count` published bench listings (the bench rows must have been deleted first)."""
    started = time.perf_counter()
    reference = demo.load_reference()
    planner = BenchPlanner(**reference, seed=seed, now=now or timezone.now())
    ids = {
        "categories": dict(Category.objects.values_list("slug", "pk")),
        "audiences": dict(Audience.objects.values_list("slug", "pk")),
        "languages": dict(Language.objects.values_list("code", "pk")),
    }
    sequence = planner.area_sequence(count)
    result = BuildResult(created=0, places=0, links=0, seconds=0)
    for start in range(0, count, batch_size):
        specs = [planner.one(area) for area in sequence[start : start + batch_size]]
        with transaction.atomic():
            places, links = _write_batch(specs, ids)
        result.created += len(specs)
        result.places += places
        result.links += links
        if progress:
            progress(result.created, count, time.perf_counter() - started)
    analyze()
    result.seconds = time.perf_counter() - started
    return result


def analyze():
    """Give PostgreSQL's planner statistics for the fresh rows, as autovacuum would a bit later."""
    if connection.vendor != "postgresql":
        return
    tables = [
        Association._meta.db_table,
        Place._meta.db_table,
        Association.categories.through._meta.db_table,
        Association.audiences.through._meta.db_table,
        Association.languages.through._meta.db_table,
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def _write_batch(specs, ids):
    associations = [
        Association(
            name=spec.name, slug=spec.slug, source=Association.Source.MODERATOR, is_demo=True, **spec.fields
        )
        for spec in specs
    ]
    Association.objects.bulk_create(associations, batch_size=len(associations))
    if associations[0].pk is None:  # a backend without RETURNING
        by_slug = dict(
            Association.objects.filter(slug__in=[a.slug for a in associations]).values_list("slug", "pk")
        )
        for association in associations:
            association.pk = association.id = by_slug[association.slug]

    through = {
        "categories": (Association.categories.through, "category_id"),
        "audiences": (Association.audiences.through, "audience_id"),
        "languages": (Association.languages.through, "language_id"),
    }
    links = 0
    for field, (model, column) in through.items():
        rows = [
            model(association_id=association.pk, **{column: ids[field][key]})
            for association, spec in zip(associations, specs, strict=True)
            for key in getattr(spec, field)
        ]
        model.objects.bulk_create(rows, batch_size=5000)
        links += len(rows)
    places = [
        Place(association_id=association.pk, **vars(place))
        for association, spec in zip(associations, specs, strict=True)
        for place in spec.places
    ]
    Place.objects.bulk_create(places, batch_size=2500)
    refresh_index(associations)
    return len(places), links


def delete_bench_rows():
    """Delete the bench listings and what hangs off them; returns how many listings went."""
    rows = bench_rows()
    count = rows.count()
    if not count:
        return 0
    ids = rows.values("pk")
    with transaction.atomic():
        for model in (
            Association.categories.through,
            Association.audiences.through,
            Association.languages.through,
            Place,
            SlugRedirect,
            AssociationChange,
        ):
            model.objects.filter(association_id__in=ids).delete()
        rows.only("pk").delete()
    return count
