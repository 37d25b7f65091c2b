"""Benchmark the public search on many synthetic listings (see docs/benchmarks.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory import bench, demo
from directory.bench import runner


class Command(BaseCommand):
    help = (
        "Build N synthetic published listings (slugs bench-…, is_demo=True) on the database of "
        "DATABASE_URL, then time a fixed mix of searches, the listing and home pages, the API, "
        "the admin search and /healthz through the whole Django stack. Only rows whose slug "
        "starts with bench- are ever deleted; a database with real listings needs --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--build",
            type=int,
            default=100_000,
            metavar="N",
            help="Bench listings wanted (default %(default)s).",
        )
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--reuse",
            action="store_true",
            help="Use the bench listings present, whatever their count (default: reuse only when "
            "their count is N, otherwise delete and rebuild them).",
        )
        group.add_argument(
            "--rebuild", action="store_true", help="Delete the bench listings and build N again."
        )
        parser.add_argument(
            "--build-only", action="store_true", help="Build (or keep) the listings; time nothing."
        )
        parser.add_argument(
            "--runs", type=int, default=50, help="Timed calls per query (default %(default)s)."
        )
        parser.add_argument(
            "--warmup", type=int, default=3, help="Untimed calls first (default %(default)s)."
        )
        parser.add_argument("--only", metavar="KIND", help="Run only the queries of this kind (e.g. 'typo').")
        parser.add_argument(
            "--cold",
            action="store_true",
            help="Turn off the caches of search results, facets and counts (every request hits the database).",
        )
        parser.add_argument("--markdown", action="store_true", help="Print the tables as Markdown.")
        parser.add_argument("--output", metavar="FILE", help="Also write the Markdown report to FILE.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though the database holds real (non-demo) listings.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be built or deleted; do nothing."
        )

    def handle(self, *args, **options):
        if options["build"] < 1 or options["runs"] < 1 or options["warmup"] < 0:
            raise CommandError("--build and --runs must be at least 1, --warmup at least 0.")
        real = bench.real_listing_count()
        if real and not options["force"]:
            raise CommandError(
                f"This database holds {real} real (non-demo) listing(s): refusing to benchmark on it. "
                "Use a database of its own (DATABASE_URL=…), or --force: only bench-… rows are ever deleted."
            )
        kinds = {q.kind for q in runner.QUERIES}
        if options["only"] and options["only"] not in kinds:
            raise CommandError(f"Unknown kind {options['only']!r}; one of: {', '.join(sorted(kinds))}.")

        build_note = self.prepare(options)
        if options["dry_run"] or options["build_only"]:
            return

        self.stdout.write(
            f"Timing {options['runs']} calls per query after {options['warmup']} warm-up calls…"
        )
        measures = runner.run_mix(
            runs=options["runs"],
            warmup=options["warmup"],
            only=options["only"],
            progress=self.progress,
            cold=options["cold"],
        )
        info = runner.machine()
        text = runner.report(
            measures,
            info,
            markdown=options["markdown"],
            runs=options["runs"],
            warmup=options["warmup"],
            build=build_note,
        )
        self.stdout.write("\n" + text + "\n")
        self.stdout.write("\nSlowest SQL statements (one per query, slowest first):")
        for ms, kind, label, sql in runner.slowest_statements(measures):
            self.stdout.write(f"  {ms:8.1f} ms  {kind} · {label}\n      {sql}")
        if options["output"]:
            markdown = runner.report(
                measures,
                info,
                markdown=True,
                runs=options["runs"],
                warmup=options["warmup"],
                build=build_note,
            )
            Path(options["output"]).write_text(markdown + "\n", encoding="utf-8")
            self.stdout.write(f"Markdown report written to {options['output']}.")
        errors = sum(m.errors for m in measures)
        if errors:
            self.stderr.write(self.style.ERROR(f"{errors} request(s) did not answer 200."))

    def prepare(self, options):
        """Delete and build the bench listings as the options say; returns a note on the build."""
        wanted = options["build"]
        present = bench.bench_rows().count()
        if options["reuse"] and present:
            self.stdout.write(f"Reusing the {present} bench listings present (--reuse).")
            return None
        if present == wanted and not options["rebuild"]:
            self.stdout.write(f"Reusing the {present} bench listings present (same count).")
            return None
        if options["dry_run"]:
            self.stdout.write(f"Would delete {present} bench listing(s) and build {wanted} (--dry-run).")
            return None
        if present:
            self.stdout.write(f"Deleting the {present} bench listings present…")
            bench.delete_bench_rows()
        self.stdout.write(f"Building {wanted} bench listings…")
        try:
            result = bench.build(wanted, progress=self.build_progress)
        except demo.MissingReferenceData as error:
            raise CommandError(
                f"Reference data is missing ({error}): run `manage.py migrate` first."
            ) from error
        note = (
            f"{result.created} listings, {result.places} places, {result.links} M2M links "
            f"in {result.seconds:.0f} s ({result.created / result.seconds:.0f} listings/s)"
        )
        self.stdout.write(self.style.SUCCESS(f"Built {note}."))
        return note

    def build_progress(self, done, total, seconds):
        rate = done / seconds if seconds else 0
        left = (total - done) / rate if rate else 0
        self.stdout.write(f"  {done}/{total} listings, {seconds:.0f} s, {rate:.0f}/s, ~{left:.0f} s left")

    def progress(self, measure):
        self.stdout.write(
            f"  {measure.query.kind:18} {measure.query.label[:48]:48} p50 {measure.p50:7.1f} ms"
            f"  p95 {measure.p95:7.1f} ms  {measure.queries_text:>5} queries  {measure.status_text}"
        )
