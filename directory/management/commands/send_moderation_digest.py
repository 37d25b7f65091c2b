"""E-mail each moderator what waits for a decision in their areas."""

from django.core.management.base import BaseCommand

from directory.moderation import digest


class Command(BaseCommand):
    help = "Envoie à chaque modérateur le résumé de ce qui attend une décision dans ses territoires."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print who would receive what, send nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        sent = digest.send(dry_run=dry_run)
        for user, total in sent:
            self.stdout.write(f"{user.email}: {total} item(s)")
        verb = "would receive" if dry_run else "received"
        self.stdout.write(self.style.SUCCESS(f"{len(sent)} moderator(s) {verb} a digest"))
