"""Benchmark of the public search (`manage.py bench`).

`generator` writes many synthetic published listings (slugs prefixed `bench-`, `is_demo=True`)
reusing the demo vocabulary; `runner` times a fixed mix of requests through the whole Django
stack and formats the report. Only rows whose slug starts with `bench-` are ever deleted.
"""

from directory.bench.generator import BENCH_PREFIX, bench_rows, build, delete_bench_rows, real_listing_count
from directory.bench.runner import QUERIES, run_mix

__all__ = [
    "BENCH_PREFIX",
    "QUERIES",
    "bench_rows",
    "build",
    "delete_bench_rows",
    "real_listing_count",
    "run_mix",
]
