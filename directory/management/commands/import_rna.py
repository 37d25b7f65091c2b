"""Import the associations of the Métropole from an RNA rna_waldec departmental CSV."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import reset_queries

from directory.rna.importer import BATCH_SIZE, import_rna
from directory.rna.parser import NotAnRnaFile

MAX_ERRORS_SHOWN = 50


class Command(BaseCommand):
    help = (
        "Import or update the associations of the Métropole de Lyon from an RNA rna_waldec file "
        "(`;`-separated, Latin-1 or UTF-8). Upsert by RNA number: fields edited on the site since the "
        "last import are kept; dissolved associations are archived. Re-importing a file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the rna_waldec_…_dpt_69.csv file.")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")
        parser.add_argument("--limit", type=int, help="Stop after N rows read.")
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help="Rows per transaction (default %(default)s)."
        )

    def handle(self, *args, file, dry_run, limit, batch_size, **options):
        if limit is not None and limit < 1:
            raise CommandError("--limit must be at least 1.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        started = time.monotonic()
        self.bar = self._interactive()
        try:
            summary = import_rna(
                file, dry_run=dry_run, limit=limit, batch_size=batch_size, progress=self._progress
            )
        except FileNotFoundError as error:
            raise CommandError(f"No such file: {file}") from error
        except NotAnRnaFile as error:
            raise CommandError(f"{file}: {error}.") from error
        if self.bar:
            self.stdout.write("")
        elapsed = time.monotonic() - started
        for line, reason in summary.errors[:MAX_ERRORS_SHOWN]:
            self.stderr.write(f"line {line}: {reason}")
        if len(summary.errors) > MAX_ERRORS_SHOWN:
            self.stderr.write(f"… and {len(summary.errors) - MAX_ERRORS_SHOWN} more bad rows.")
        prefix = "Dry run, nothing written. " if dry_run else ""
        self.stdout.write(
            f"{prefix}{summary.read} rows read ({summary.encoding}, {summary.layout} layout), "
            f"{summary.in_scope} in the Métropole, {summary.out_of_scope} outside."
        )
        self.stdout.write(
            f"{summary.created} created, {summary.updated} updated, {summary.unchanged} unchanged, "
            f"{summary.archived} archived; {summary.kept_edits} field(s) edited on the site kept."
        )
        skipped = dict(summary.skipped)
        bad = len(summary.errors) - skipped.get("duplicate id in the file", 0)
        if bad:
            skipped["invalid row"] = bad
        if skipped:
            details = ", ".join(f"{count} {reason}" for reason, count in sorted(skipped.items()))
            self.stdout.write(f"Skipped: {details}.")
        else:
            self.stdout.write("Skipped: none.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {elapsed:.1f} s ({summary.index_seconds:.1f} s refreshing the search index)."
            )
        )

    def _interactive(self):
        stream = getattr(self.stdout, "_out", sys.stdout)
        return hasattr(stream, "isatty") and stream.isatty()

    def _progress(self, done, total):
        """Called after each batch: the progress bar on a terminal, and the query log emptied,
        which with DEBUG on would otherwise keep every SQL statement of the import in memory."""
        reset_queries()
        if not self.bar:
            return
        total = max(total, done, 1)
        width = 30
        filled = int(width * done / total)
        self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} rows", ending="")
        self.stdout.flush()
