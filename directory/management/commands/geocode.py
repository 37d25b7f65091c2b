"""Geocode the places still at their area's centre through the national address API (BAN)."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from directory.geocoding import Geocoder, geocode_places


class Command(BaseCommand):
    help = (
        "Look up the address of every place still at its commune's centre (imported from the RNA) "
        "through the address API (GEOCODER_URL, GEOCODER_RATE requests per second) and save the "
        "position when the answer is reliable (score ≥ 0.5, same commune). Answers are cached."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, help="Look up at most N places.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Query the API (and its cache) but save no position."
        )
        parser.add_argument("--timeout", type=float, default=5.0, help="Seconds per HTTP call (default 5).")

    def handle(self, *args, limit, dry_run, timeout, **options):
        if limit is not None and limit < 1:
            raise CommandError("--limit must be at least 1.")
        started = time.monotonic()
        interactive = getattr(self.stdout, "_out", sys.stdout).isatty()
        summary = geocode_places(
            geocoder=Geocoder(timeout=timeout),
            limit=limit,
            dry_run=dry_run,
            progress=self._progress if interactive else None,
        )
        if interactive:
            self.stdout.write("")
        prefix = "Dry run, nothing saved. " if dry_run else ""
        self.stdout.write(
            f"{prefix}{summary.looked_up} looked up, {summary.geocoded} geocoded, {summary.cached} cached, "
            f"{summary.failed} failed ({summary.unavailable} without an answer from the API)."
        )
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f} s."))

    def _progress(self, done, total):
        self.stdout.write(f"\r{done}/{total} places", ending="")
        self.stdout.flush()
