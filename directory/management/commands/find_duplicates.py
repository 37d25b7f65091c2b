"""Refresh the possible duplicates of the moderation queue."""

from django.core.management.base import BaseCommand

from directory.moderation import duplicates


class Command(BaseCommand):
    help = (
        "Cherche les doublons possibles (même RNA ou SIRET, noms très proches dans la même commune) "
        "et les ajoute à la file de modération."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, store nothing.")
        parser.add_argument("--limit", type=int, default=None, help="Store at most N new pairs.")

    def handle(self, *args, dry_run=False, limit=None, **options):
        found, new = duplicates.refresh(dry_run=dry_run, limit=limit)
        verb = "would be added" if dry_run else "added"
        self.stdout.write(self.style.SUCCESS(f"{found} possible duplicate(s), {new} new {verb}"))
