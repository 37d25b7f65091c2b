"""Benchmark the public search on the data the registry import produces (see docs/benchmarks.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory import bench
from directory.bench import runner

SHAPES = {"imported": ["imported"], "geocoded": ["geocoded"], "both": ["imported", "geocoded"]}


def sizes_argument(value):
    try:
        sizes = [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise CommandError(f"--sizes: {value!r} is not a list of numbers such as 10000,100000.") from None
    if not sizes or min(sizes) < 1:
        raise CommandError("--sizes: give row counts of at least 1, comma-separated.")
    return sorted(set(sizes))


class Command(BaseCommand):
    help = (
        "On the database of DATABASE_URL: write a synthetic rna_waldec file of N rows, import it "
        "with the real import_rna (listings flagged demo, at their area's centre), then time "
        "families of distinct searches (HTML and API, cold then repeated) next to /healthz; "
        "with --shape geocoded or both, again after moving every place to a point of its commune. "
        "Several sizes with --sizes. Only bench rows (demo listings from the registry) are ever "
        "deleted; a database with real listings needs --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rows", type=int, default=100_000, help="Rows of the registry file (default %(default)s)."
        )
        parser.add_argument(
            "--sizes",
            metavar="N,N…",
            help="Several sizes, smallest first, e.g. 10000,100000,300000 (replaces --rows).",
        )
        parser.add_argument(
            "--shape",
            choices=sorted(SHAPES),
            default="both",
            help="imported (at the areas' centres), geocoded (spread over the communes) or both (default).",
        )
        parser.add_argument(
            "--per-family", type=int, default=10, help="Distinct searches per family (default %(default)s)."
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Seed of the mix of searches (default %(default)s)."
        )
        parser.add_argument("--output", metavar="FILE", help="Write the Markdown report to FILE.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though the database holds real (non-demo) listings.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be built or deleted; do nothing."
        )

    def handle(self, *args, rows, sizes, shape, per_family, seed, output, force, dry_run, **options):
        sizes = sizes_argument(sizes) if sizes else [rows]
        if min(sizes) < 1 or per_family < 1:
            raise CommandError("--rows and --per-family must be at least 1.")
        real = bench.real_listing_count()
        if real and not force:
            raise CommandError(
                f"This database holds {real} real (non-demo) listing(s): refusing to benchmark on it. "
                "Use a database of its own (DATABASE_URL=…), or --force: only bench rows are ever deleted."
            )
        colliding = bench.colliding_rna_count(max(sizes))
        if colliding:
            raise CommandError(
                f"{colliding} listing(s) outside the bench use RNA numbers of the synthetic file "
                f"({bench.generator.row_id(0)}…): importing it would change them. Use a database of its own."
            )
        shapes = SHAPES[shape]
        present = bench.bench_rows().count()
        if dry_run:
            for size in sizes:
                self.stdout.write(
                    f"Would delete {present} bench listing(s), import a synthetic registry file of {size} "
                    f"rows and time {len(runner.FAMILIES)} families × {per_family} searches on: "
                    f"{', '.join(shapes)} (--dry-run)."
                )
                present = "the"
            return

        info = runner.machine()
        results = {}
        for size in sizes:
            results[size] = self.one_size(size, shapes, per_family=per_family, seed=seed)
        text = runner.report(info, results, per_family=per_family)
        self.stdout.write("\n" + text + "\n")
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"Markdown report written to {output}.")
        errors = sum(
            m.errors for _b, _g, runs in results.values() for run in runs.values() for m in run.measures
        )
        if errors:
            self.stderr.write(self.style.ERROR(f"{errors} request(s) did not answer 200."))

    def one_size(self, size, shapes, *, per_family, seed):
        deleted = bench.delete_bench_rows()
        if deleted:
            self.stdout.write(f"Deleted the {deleted} bench listings present.")
        self.stdout.write(f"Importing a synthetic registry file of {size} rows…")
        build = bench.build(size, progress=self.build_progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {build.created} listings in {build.seconds:.1f} s; re-import "
                f"{build.reimport_seconds:.1f} s, {build.reimport_writes} writes."
            )
        )
        runs, geocoded = {}, None
        for shape in shapes:
            if shape == "geocoded":
                geocoded = bench.geocode()
                self.stdout.write(f"Geocoding step: {geocoded[0]} places moved in {geocoded[1]:.1f} s.")
            mix = runner.make_mix(runner.context(), per_family=per_family, seed=seed)
            self.stdout.write(f"Timing {size} rows, {shape}…")
            runs[shape] = runner.run_mix(mix, progress=self.progress)
        return build, geocoded, runs

    def build_progress(self, done, total):
        self.stdout.write(f"  {done}/{total} rows read")

    def progress(self, m):
        self.stdout.write(
            f"  {m.channel:4} {m.pass_:8} {m.family:16} p50 {m.p50:7.1f} ms  p95 {m.p95:7.1f} ms"
            f"  {m.queries_text:>5} queries  {m.status_text}"
        )
