"""Benchmark of the public search (`manage.py bench`).

`generator` builds the data through the real registry import (a synthetic `rna_waldec` file)
and can spread the places as geocoding would; `runner` times families of distinct searches
through the whole Django stack and formats the report; `concurrency` serves the site with
gunicorn and sends it concurrent cold searches next to probes. Only bench rows are ever deleted.
"""

from directory.dev.bench import generator
from directory.dev.bench.generator import (
    bench_rows,
    build,
    colliding_rna_count,
    delete_bench_rows,
    geocode,
    is_geocoded,
    real_listing_count,
)
from directory.dev.bench.runner import FAMILIES, run_mix

__all__ = [
    "FAMILIES",
    "bench_rows",
    "build",
    "colliding_rna_count",
    "delete_bench_rows",
    "generator",
    "geocode",
    "is_geocoded",
    "real_listing_count",
    "run_mix",
]
