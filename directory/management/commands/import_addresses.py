"""Import the streets of the Métropole from the BAN's per-department addresses file."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import reset_queries

from directory.places.addresses import NotABanFile, import_addresses

MAX_ERRORS_SHOWN = 50


class Command(BaseCommand):
    help = (
        "Import or update the streets and house numbers of the Métropole de Lyon from the national "
        "address base (BAN) file adresses-69.csv or adresses-69.csv.gz (`;`-separated, UTF-8), for "
        "the `pres` search parameter. Re-importing an unchanged file writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of adresses-69.csv(.gz).")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")
        parser.add_argument("--limit", type=int, help="Stop after N rows read (keeps the streets not read).")

    def handle(self, *args, file, dry_run, limit, **options):
        if limit is not None and limit < 1:
            raise CommandError("--limit must be at least 1.")
        started = time.monotonic()
        stream = getattr(self.stdout, "_out", sys.stdout)
        self.bar = hasattr(stream, "isatty") and stream.isatty()
        try:
            summary = import_addresses(file, dry_run=dry_run, limit=limit, progress=self._progress)
        except (FileNotFoundError, IsADirectoryError) as error:
            raise CommandError(f"No such file: {file}") from error
        except NotABanFile as error:
            raise CommandError(f"{file}: {error}.") from error
        if self.bar:
            self.stdout.write("")
        for line, reason in summary.errors[:MAX_ERRORS_SHOWN]:
            self.stderr.write(f"line {line}: {reason}")
        if len(summary.errors) > MAX_ERRORS_SHOWN:
            self.stderr.write(f"… and {len(summary.errors) - MAX_ERRORS_SHOWN} more bad rows.")
        prefix = "Dry run, nothing written. " if dry_run else ""
        self.stdout.write(
            f"{prefix}{summary.read} rows read, {summary.in_scope} in the Métropole, "
            f"{summary.out_of_scope} outside, {len(summary.errors)} bad rows skipped."
        )
        self.stdout.write(
            f"{summary.streets} streets: {summary.created} created, {summary.updated} updated, "
            f"{summary.unchanged} unchanged, {summary.deleted} deleted."
        )
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f} s."))

    def _progress(self, done, fraction):
        reset_queries()  # with DEBUG on, the query log would keep every statement
        if not self.bar:
            return
        width = 30
        filled = int(width * min(fraction, 1.0))
        self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done} rows", ending="")
        self.stdout.flush()
