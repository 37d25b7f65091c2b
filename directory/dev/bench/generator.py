"""The benchmark's data, built the way real data arrives: through the registry import.

`build(rows)` writes a synthetic `rna_waldec` file (directory/rna/sample.py, the exact registry
format) and runs the real `import_rna` on it, the listings flagged `is_demo` so that the
benchmark can tell them from real ones: each listing sits at its area's centre, as imported.
`geocode()` then gives the same data the shape it has after the `geocode` command: each place
moved to a deterministic pseudo-random point of its commune around the centre, precision
"address", through `geocoding.places_located` (so search rows follow).
Only bench rows are ever deleted: demo listings from the registry (source RNA) and the
`bench-…` listings of the former generator.
"""

import math
import random
import resource
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, reset_queries, transaction
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from directory.geocoding import places_located
from directory.models import Area, Association, AssociationChange, Place, SlugRedirect
from directory.rna import importer, sample

BENCH_PREFIX = "bench-"  # slugs of the listings of the former generator, still deleted
DEFAULT_SEED = 2026
# How far from its area's centre a geocoded place may fall (km): arrondissements are smaller.
SPREAD_KM = {Area.Kind.ARRONDISSEMENT: 1.2, Area.Kind.COMMUNE: 2.0}
KM_PER_DEGREE_LAT = 111.2


def bench_rows():
    """The benchmark's listings, and only them: every delete goes through this queryset."""
    return Association.objects.filter(
        Q(is_demo=True, source=Association.Source.RNA) | Q(is_demo=True, slug__startswith=BENCH_PREFIX)
    )


def real_listing_count():
    """Listings that are neither demo nor benchmark rows: real data the benchmark must not sit on."""
    return Association.objects.filter(is_demo=False).count()


def colliding_rna_count(rows):
    """Listings outside the bench whose RNA number the synthetic file of `rows` rows also uses:
    importing the file would update them, so the benchmark refuses to run."""
    ids = [row_id(0), row_id(rows - 1)]
    return Association.objects.filter(rna__gte=ids[0], rna__lte=ids[1]).exclude(pk__in=bench_rows()).count()


def row_id(n):
    return f"W69{n:07d}"


def peak_rss_mb():
    """The peak resident memory of this process so far (MB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class BuildResult:
    rows: int  # rows of the registry file
    created: int
    published: int
    file_mb: float
    seconds: float
    index_seconds: float
    reimport_seconds: float = 0.0
    reimport_writes: int = 0
    peak_rss_mb: float = 0.0


def build(rows, *, seed=DEFAULT_SEED, progress=None):
    """Import a synthetic registry file of `rows` rows (the bench rows must have been deleted
    first), then import it again unchanged, timing both; returns a BuildResult."""
    with tempfile.TemporaryDirectory(prefix="lyon-bench-") as folder:
        path = Path(folder) / "rna_waldec_bench_dpt_69.csv"
        sample.write(path, count=rows, seed=seed)

        def batch_done(done, total):
            reset_queries()  # with DEBUG on, the query log would keep every statement
            if progress:
                progress(done, total)

        started = time.perf_counter()
        summary = importer.import_rna(path, progress=batch_done, is_demo=True)
        seconds = time.perf_counter() - started
        analyze()
        result = BuildResult(
            rows=rows,
            created=summary.created,
            published=bench_rows().filter(status=Association.Status.PUBLISHED).count(),
            file_mb=path.stat().st_size / 1e6,
            seconds=seconds,
            index_seconds=summary.index_seconds,
            peak_rss_mb=peak_rss_mb(),
        )
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            importer.import_rna(path, is_demo=True)
            result.reimport_seconds = time.perf_counter() - started
        result.reimport_writes = sum(
            1 for q in captured if q["sql"].lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE")
        )
    return result


def geocode(*, seed=DEFAULT_SEED, batch_size=5000):
    """Move every bench place still at its area's centre to a point of its commune; returns
    (places moved, seconds). The point depends only on the seed and the place's RNA number."""
    started = time.perf_counter()
    places = (
        Place.objects.filter(association__in=bench_rows(), location_precision=Place.LocationPrecision.AREA)
        .select_related("area", "association")
        .only("pk", "association_id", "lat", "lon", "location_precision", "area__kind", "association__rna")
        .order_by("pk")
    )
    moved = 0
    batch = []
    for place in places.iterator(chunk_size=batch_size):
        if place.lat is None or place.lon is None:
            continue
        rng = random.Random(f"{seed}:{place.association.rna}:{place.pk}")
        radius = SPREAD_KM.get(place.area.kind, 1.5) * math.sqrt(rng.random())
        angle = rng.random() * 2 * math.pi
        lat = place.lat
        place.lat = lat + radius * math.sin(angle) / KM_PER_DEGREE_LAT
        place.lon += radius * math.cos(angle) / (KM_PER_DEGREE_LAT * math.cos(math.radians(lat)))
        batch.append(place)
        if len(batch) >= batch_size:
            moved += places_located(batch, batch_size=batch_size)
            batch = []
            reset_queries()
    if batch:
        moved += places_located(batch, batch_size=batch_size)
    analyze()
    return moved, time.perf_counter() - started


def is_geocoded():
    """Whether the geocoding step has moved bench places (the data no longer has the imported shape)."""
    return Place.objects.filter(
        association__in=bench_rows(), location_precision=Place.LocationPrecision.ADDRESS
    ).exists()


def analyze():
    """Bring PostgreSQL to the state autovacuum leaves after a bulk import (it may be off here):
    VACUUM ANALYZE, i.e. planner statistics and the visibility map that index-only scans and
    bitmap counts rely on. Inside a transaction (the tests'), where VACUUM cannot run: ANALYZE."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


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
