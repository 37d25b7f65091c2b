"""Benchmark the public search on the data the registry import produces (see docs/benchmarks.md)."""

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory.dev import bench
from directory.dev.bench import concurrency, runner

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
        "Several sizes with --sizes. With --concurrency N, then serves the site with gunicorn "
        "(production settings) and sends N clients' distinct cold searches for --duration s next "
        "to /healthz and listing-page probes. --reuse keeps the bench listings present; "
        "--build-only times nothing. Only bench rows (demo listings from the registry) are ever "
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
            help="imported (at the areas' centres), geocoded (spread over the communes) or both "
            "(default; with --reuse, the shape of the listings present).",
        )
        parser.add_argument(
            "--per-family",
            type=int,
            default=10,
            help="Distinct searches per family (default %(default)s); 0 skips the in-process mix "
            "(with --concurrency).",
        )
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="Keep the bench listings present instead of importing them again (one size only); "
            "import them when there are none.",
        )
        parser.add_argument(
            "--build-only",
            action="store_true",
            help="Import (or, with --reuse, keep) the bench listings, geocoded with --shape geocoded; time nothing.",
        )
        parser.add_argument(
            "--concurrency",
            type=int,
            default=0,
            metavar="N",
            help="After the mix, serve the site with gunicorn and run N clients sending distinct cold "
            "searches next to /healthz and listing probes (default: no concurrency run).",
        )
        parser.add_argument(
            "--duration",
            type=float,
            default=60,
            metavar="S",
            help="Seconds of the concurrency run (default %(default)s).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=2,
            help="gunicorn workers of the concurrency run (default %(default)s, as in production).",
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
        reuse, build_only = options["reuse"], options["build_only"]
        self.concurrency = options["concurrency"]
        self.duration, self.workers = options["duration"], options["workers"]
        self.check_options(sizes, per_family=per_family, reuse=reuse, build_only=build_only)
        self.check_database(max(sizes), force=force)
        present = bench.bench_rows().count()
        if not shape:  # --reuse keeps the listings as they are
            shape = ("geocoded" if bench.is_geocoded() else "imported") if reuse and present else "both"
        shapes = SHAPES[shape]
        if dry_run:
            self.describe_dry_run(
                sizes, shapes, present=present, reuse=reuse, build_only=build_only, per_family=per_family
            )
            return

        info = runner.machine()
        results = {}
        for size in sizes:
            results[size] = self.one_size(
                size, shapes, per_family=per_family, seed=seed, reuse=reuse, build_only=build_only
            )
        if build_only:
            self.stdout.write(
                self.style.SUCCESS(f"{bench.bench_rows().count()} bench listings ready (--build-only).")
            )
            return
        self.write_report(info, results, per_family=per_family, output=output)

    def check_options(self, sizes, *, per_family, reuse, build_only):
        """Refuses option values that cannot make a run."""
        if min(sizes) < 1 or per_family < 0:
            raise CommandError("--rows must be at least 1, --per-family at least 0.")
        if not per_family and not self.concurrency and not build_only:
            raise CommandError("--per-family 0 times nothing: add --concurrency N, or use --build-only.")
        if self.concurrency < 0 or self.duration <= 0 or self.workers < 1:
            raise CommandError("--concurrency must be at least 0, --duration above 0, --workers at least 1.")
        if reuse and len(sizes) > 1:
            raise CommandError("--reuse keeps the listings present: give one size (--rows), not --sizes.")

    def check_database(self, largest, *, force):
        """Refuses a database with real listings (unless --force) or RNA numbers the bench would reuse."""
        real = bench.real_listing_count()
        if real and not force:
            raise CommandError(
                f"This database holds {real} real (non-demo) listing(s): refusing to benchmark on it. "
                "Use a database of its own (DATABASE_URL=…), or --force: only bench rows are ever deleted."
            )
        colliding = bench.colliding_rna_count(largest)
        if colliding:
            raise CommandError(
                f"{colliding} listing(s) outside the bench use RNA numbers of the synthetic file "
                f"({bench.generator.row_id(0)}…): importing it would change them. Use a database of its own."
            )

    def describe_dry_run(self, sizes, shapes, *, present, reuse, build_only, per_family):
        """One line per size: what would be built or deleted, and what would be timed."""
        for size in sizes:
            build = (
                f"keep the {present} bench listings present"
                if reuse and present
                else f"delete {present} bench listing(s), import a synthetic registry file of {size} rows"
            )
            timing = "time nothing" if build_only else self.timing_note(per_family)
            self.stdout.write(f"Would {build} and {timing} on: {', '.join(shapes)} (--dry-run).")
            present = "the"

    def write_report(self, info, results, *, per_family, output):
        """The Markdown report on stdout (and in `output`), then the errors and failed targets."""
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
        failed = [
            f"{size} rows, {shape}"
            for size, (_b, _g, runs) in results.items()
            for shape, run in runs.items()
            if run.concurrency and not run.concurrency.passed
        ]
        if failed:
            self.stderr.write(self.style.ERROR(f"Concurrency run below its target: {'; '.join(failed)}."))

    def timing_note(self, per_family):
        notes = [f"time {len(runner.FAMILIES)} families × {per_family} searches"] if per_family else []
        if self.concurrency:
            notes.append(f"run {self.concurrency} concurrent clients for {self.duration:g} s")
        return " then ".join(notes)

    def one_size(self, size, shapes, *, per_family, seed, reuse=False, build_only=False):
        present = bench.bench_rows().count()
        if reuse and present:
            build = None
            self.stdout.write(f"Reusing the {present} bench listings present (--reuse).")
        else:
            build = self.build(size)
        runs, geocoded = {}, None
        for shape in shapes:
            if shape == "geocoded":
                geocoded = bench.geocode()
                self.stdout.write(f"Geocoding step: {geocoded[0]} places moved in {geocoded[1]:.1f} s.")
            elif build is None and bench.is_geocoded():
                raise CommandError(
                    "The bench listings present are geocoded: use --shape geocoded, or drop --reuse "
                    "to import them again."
                )
            if build_only:
                continue
            ctx = runner.context()
            if per_family:
                self.stdout.write(f"Timing {size} rows, {shape}…")
                runs[shape] = runner.run_mix(
                    runner.make_mix(ctx, per_family=per_family, seed=seed), progress=self.progress
                )
            else:
                runs[shape] = runner.ShapeRun([], runner.Measure("trivial (/healthz)", "-", "-"))
            if self.concurrency:
                runs[shape].concurrency = self.concurrency_run(ctx, seed=seed)
        return build, geocoded, runs

    def build(self, size):
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
        return build

    def concurrency_run(self, ctx, *, seed):
        with tempfile.NamedTemporaryFile(prefix="lyon-bench-gunicorn-", suffix=".log", delete=False) as log:
            log_path = log.name
        self.stdout.write(f"Concurrency run: collectstatic, then gunicorn (log: {log_path})…")
        try:
            result = concurrency.run(
                ctx,
                clients=self.concurrency,
                duration=self.duration,
                workers=self.workers,
                seed=seed,
                log_path=log_path,
                progress=self.stdout.write,
            )
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        finally:
            if not Path(log_path).stat().st_size:
                Path(log_path).unlink()
        for tally in result.tallies.values():
            self.stdout.write(
                f"  {tally.name:18} {len(tally.times):6} requests  p50 {tally.pct(50):7.1f} ms  "
                f"p99 {tally.pct(99):7.1f} ms  {dict(tally.outcomes)}"
            )
        verdict = "PASS" if result.passed else "FAIL"
        self.stdout.write(
            (self.style.SUCCESS if result.passed else self.style.ERROR)(f"  verdict: {verdict}")
        )
        return result

    def build_progress(self, done, total):
        self.stdout.write(f"  {done}/{total} rows read")

    def progress(self, m):
        self.stdout.write(
            f"  {m.channel:4} {m.pass_:8} {m.family:16} p50 {m.p50:7.1f} ms  p95 {m.p95:7.1f} ms"
            f"  {m.queries_text:>5} queries  {m.status_text}"
        )
