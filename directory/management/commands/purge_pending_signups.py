"""Delete the sign-ups whose verification link has expired (the privacy page promises it)."""

from django.core.management.base import BaseCommand

from directory.accounts import services
from directory.models import PendingSignup


class Command(BaseCommand):
    help = "Efface les inscriptions dont le lien de confirmation a expiré (après 3 jours)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count them, delete nothing.")
        parser.add_argument("--limit", type=int, default=None, help="At most N sign-ups.")

    def handle(self, *args, dry_run=False, limit=None, **options):
        if dry_run:
            count = PendingSignup.objects.expired().count()
            if limit is not None:
                count = min(count, limit)
            self.stdout.write(self.style.SUCCESS(f"{count} expired sign-up(s) would be deleted (dry run)"))
            return
        deleted = services.pending_signups_purge(limit=limit)
        self.stdout.write(self.style.SUCCESS(f"{deleted} expired sign-up(s) deleted"))
