"""Read the associations' own calendars (ICS addresses given in the association space) and
bring their events into the agenda. Meant to run every hour from cron, for example:

    17 * * * * cd /srv/lyonassos && .venv/bin/python manage.py import_calendars --quiet

A listing's calendar is read at most once an hour (directory/agenda/importer.PACE)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from directory.agenda import importer
from directory.models import Association, CalendarSource


class Command(BaseCommand):
    help = (
        "Importe les calendriers (ICS) des associations dans l'agenda : crée, met à jour et annule "
        "leurs rendez-vous par UID, sans toucher à ceux saisis à la main. Au plus une lecture par "
        "heure et par fiche."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Read and count, write nothing.")
        parser.add_argument("--listing", metavar="SLUG", help="Only this listing's calendar.")
        parser.add_argument("--limit", type=int, default=None, help="At most N calendars.")
        parser.add_argument("--quiet", action="store_true", help="Print the totals only.")

    def handle(self, *args, dry_run=False, listing=None, limit=None, quiet=False, **options):
        sources = CalendarSource.objects.select_related("association").filter(
            association__status=Association.Status.PUBLISHED
        )
        if listing:
            sources = sources.filter(association__slug=listing)
            if not sources.exists():
                raise CommandError(f"No published listing {listing!r} with a calendar address.")
        now = timezone.now()
        due = [source for source in sources.order_by("last_fetched_at", "pk") if importer.is_due(source, now)]
        if limit is not None:
            due = due[: max(0, limit)]
        read = failed = 0
        for source in due:
            summary, error = importer.import_source(source, dry_run=dry_run, now=now)
            slug = source.association.slug
            if error:
                failed += 1
                self.stderr.write(f"{slug}: {error}")
            else:
                read += 1
                if not quiet:
                    self.stdout.write(f"{slug}: {summary}")
        skipped = sources.count() - len(due) if limit is None else 0
        suffix = " (dry run)" if dry_run else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{read} calendar(s) read, {failed} in error, {skipped} read less than an hour ago{suffix}"
            )
        )
