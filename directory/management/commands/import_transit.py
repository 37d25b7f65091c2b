"""Import the stations of the TCL network from its GTFS feed, and the stations near each place."""

import time

from django.core.management.base import BaseCommand, CommandError

from directory.places import services, transit

MAX_ERRORS_SHOWN = 50


class Command(BaseCommand):
    help = (
        "Import or update the TCL stations (metro, tram, funicular, bus) and the lines that serve "
        "them from the GTFS feed (a zip: stops.txt, routes.txt, trips.txt, stop_times.txt), then "
        "the stations within 600 m of each place. Re-importing an unchanged feed writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the GTFS zip.")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")

    def handle(self, *args, file, dry_run, **options):
        started = time.monotonic()
        try:
            feed = transit.read_feed(file, progress=self._progress)
        except FileNotFoundError as error:
            raise CommandError(f"No such file: {file}") from error
        except transit.NotAGtfsFeed as error:
            raise CommandError(f"{file}: not a GTFS feed ({error}).") from error
        self.stdout.write(
            f"\r{feed.routes} lines, {feed.trips} trips, {feed.stop_times} stop times read; "
            f"{len(feed.stations)} stations served."
        )
        for name, line, reason in feed.errors[:MAX_ERRORS_SHOWN]:
            self.stderr.write(f"{name} line {line}: {reason}")
        if len(feed.errors) > MAX_ERRORS_SHOWN:
            self.stderr.write(f"… and {len(feed.errors) - MAX_ERRORS_SHOWN} more bad rows.")
        summary = services.stations_import(feed=feed, dry_run=dry_run)
        prefix = "Dry run, nothing written. " if dry_run else ""
        self.stdout.write(
            f"{prefix}Stations: {summary.created} created, {summary.updated} updated, "
            f"{summary.unchanged} unchanged, {summary.deleted} deleted; "
            f"{summary.places_changed} places got new nearby stations."
        )
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f} s."))

    def _progress(self, stop_times):
        self.stdout.write(f"\rstop_times.txt: {stop_times} rows…", ending="")
        self.stdout.flush()
