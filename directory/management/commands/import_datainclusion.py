"""Import the structures and services of the Métropole from data·inclusion's v1 dumps."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import reset_queries

from directory.offers.importer import DumpError, import_datainclusion

MAX_PROBLEMS_SHOWN = 50


class Command(BaseCommand):
    help = (
        "Import the structures and services of the Métropole de Lyon from data·inclusion's schema v1 "
        "dumps (JSON arrays or JSON Lines, gzipped or not; files or http(s) URLs). Rows are validated "
        "with the official schema; bad rows are reported and skipped. A structure matching a listing "
        "(by SIRET, then RNA number, then name in the same commune) proposes its services and the "
        "listing's missing fields to the moderators, never overwriting an edit; another becomes a "
        "listing marked with its source, pending unless DATAINCLUSION_IMPORT_PUBLISH is on. "
        "Re-importing unchanged files writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("structures", help="The structures dump (path or http(s) URL).")
        parser.add_argument("services", help="The services dump (path or http(s) URL).")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")
        parser.add_argument(
            "--source",
            action="append",
            default=[],
            metavar="PRODUCER",
            help="Keep only this producer's rows (dora, soliguide…); repeat for several. Default: all.",
        )
        parser.add_argument("--limit", type=int, help="Stop after N structures of the Métropole.")

    def handle(self, *args, structures, services, dry_run, source, limit, **options):
        if limit is not None and limit < 1:
            raise CommandError("--limit must be at least 1.")
        started = time.monotonic()
        self.bar = self._interactive()
        try:
            summary = import_datainclusion(
                structures, services, sources=source, limit=limit, dry_run=dry_run, progress=self._progress
            )
        except DumpError as error:
            raise CommandError(str(error)) from error
        if self.bar:
            self.stdout.write("")
        for problem in summary.problems[:MAX_PROBLEMS_SHOWN]:
            self.stderr.write(f"{problem.where} ({problem.ident}): {problem.reason}")
        if len(summary.problems) > MAX_PROBLEMS_SHOWN:
            self.stderr.write(f"… and {len(summary.problems) - MAX_PROBLEMS_SHOWN} more bad rows.")
        s = summary
        prefix = "Dry run, nothing written. " if dry_run else ""
        self.stdout.write(
            f"{prefix}{s.structures_read} structures read: {s.kept} in the Métropole, {s.out_of_area} outside, "
            f"{s.left_out_source} from other producers; {s.services_read} services read, "
            f"{s.services_elsewhere} of other structures, {s.services_out_of_area} outside."
        )
        matched = ", ".join(f"{count} by {how}" for how, count in sorted(s.matched_by.items())) or "none"
        self.stdout.write(
            f"{s.created} listings created, {s.proposed} changes proposed to moderators, "
            f"{s.nothing_new} matched with nothing new, {s.unchanged} unchanged, {s.waiting} waiting for an "
            f"open change; matched: {matched}; {s.services_new} new services; "
            f"{s.kept_edits} value(s) edited on the site kept."
        )
        self.stdout.write(f"Bad rows skipped: {len(s.problems)}.")
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f} s."))

    def _interactive(self):
        stream = getattr(self.stdout, "_out", sys.stdout)
        return hasattr(stream, "isatty") and stream.isatty()

    def _progress(self, done, total):
        """After each structure: the progress bar on a terminal, and the query log emptied (DEBUG)."""
        reset_queries()
        if not self.bar:
            return
        total = max(total, done, 1)
        width = 30
        filled = int(width * done / total)
        self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} structures", ending="")
        self.stdout.flush()
