"""Fill a development database with fictional associations (see directory/dev/demo/)."""

import time

from django.core.management.base import BaseCommand, CommandError

from directory.dev import demo
from directory.models import Association


class Command(BaseCommand):
    help = (
        "Create fictional demo associations (is_demo=True) spread over the whole Métropole. "
        "Deterministic: the same --seed and --count give the same listings, and running the "
        "command again creates only the missing ones."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--count", type=int, default=demo.DEFAULT_COUNT, help="How many listings (default %(default)s)."
        )
        parser.add_argument(
            "--seed", type=int, default=demo.DEFAULT_SEED, help="Random seed (default %(default)s)."
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the database has any association."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be created; write nothing."
        )

    def handle(self, *args, count, seed, if_empty, dry_run, **options):
        if count < 1:
            raise CommandError("--count must be at least 1.")
        if not dry_run:
            self.load_places()
        if if_empty:
            existing = Association.objects.count()
            if existing:
                self.stdout.write(
                    f"The database already has {existing} association(s): nothing to do (--if-empty)."
                )
                return
        started = time.monotonic()
        try:
            result = demo.create(count=count, seed=seed, dry_run=dry_run, progress=self.progress)
        except demo.MissingReferenceData as error:
            raise CommandError(
                f"Reference data is missing ({error}). Run `python manage.py migrate` "
                "(or `python manage.py load_reference_data`) first."
            ) from error
        if not dry_run and result.created:
            from directory.places.services import places_transit_refresh

            places_transit_refresh()  # the stations near the new places
        elapsed = time.monotonic() - started
        verb = "would be created" if dry_run else "created"
        message = f"{result.created} {verb}, {result.present} already present"
        if result.skipped:
            message += f", {result.skipped} skipped (name used by a non-demo listing)"
        if result.logos:
            message += f"; {result.logos} logos drawn"
        if result.services:
            message += f"; {result.services} services"
        if result.events:
            message += f"; {result.events} events in the agenda"
        self.stdout.write(self.style.SUCCESS(f"{message} ({elapsed:.1f} s)."))

    def load_places(self):
        """The sample streets and stations (directory/dev/demo/places/), when none is stored (the
        places already there get their stations here, the new ones after their creation)."""
        from directory.dev.demo import places

        streets, stations = places.load_if_empty()
        if streets or stations:
            self.stdout.write(
                f"Sample places: {streets} streets, {stations} stations (approximate, not real data)."
            )

    def progress(self, stage, done, total):
        self.stdout.write(f"  {stage} {done}/{total}…")
