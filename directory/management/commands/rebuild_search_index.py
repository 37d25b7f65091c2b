"""Rebuild the full-text index and the typo vocabulary of every listing (directory.search), and
their quality scores (directory/offers/quality.py)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from directory import search
from directory.models import Association, SearchTerm
from directory.offers import quality


class Command(BaseCommand):
    help = (
        "Rebuild the search index of every listing (PostgreSQL tsvectors or the SQLite FTS5 table) "
        "and the vocabulary used for typo tolerance. Run it after migrating a database that "
        "already holds listings, or after a bulk import that bypassed the services."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=search.DEFAULT_BATCH_SIZE)
        parser.add_argument(
            "--limit", type=int, default=None, help="Index only the first N listings (by id)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be indexed, write nothing."
        )

    def handle(self, *, batch_size, limit, dry_run, verbosity, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        total = Association.objects.count()
        if limit is not None:
            total = min(total, limit)
        self.stdout.write(f"{total} listings to index on {connection.vendor} in batches of {batch_size}.")
        if dry_run:
            self.stdout.write("Dry run: nothing written.")
            return
        started = time.monotonic()

        def progress(done, count):
            if verbosity >= 1:
                width = 30
                filled = width * done // max(count, 1)
                self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{count}", ending="")
                self.stdout.flush()

        done = search.rebuild(batch_size=batch_size, limit=limit, progress=progress)
        # The listings' quality scores (directory/offers/quality.py) are refreshed with them.
        quality.refresh(
            list(Association.objects.order_by("pk").values_list("pk", flat=True)[:limit]), batch_size
        )
        elapsed = time.monotonic() - started
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {done} listings in {elapsed:.1f} s; vocabulary: {SearchTerm.objects.count()} words."
            )
        )
