"""E-mail the managers of listings not verified for 6 months a one-click confirmation link."""

from django.core.management.base import BaseCommand

from directory.moderation import reminders


class Command(BaseCommand):
    help = (
        "Envoie aux gestionnaires des fiches non vérifiées depuis 6 mois un lien de confirmation "
        "(valable 14 jours). Jamais deux rappels en 30 jours pour la même fiche."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List the listings, send nothing.")
        parser.add_argument("--limit", type=int, default=None, help="At most N listings.")

    def handle(self, *args, dry_run=False, limit=None, **options):
        due = reminders.due_listings()
        if limit is not None:
            due = due[:limit]
        sent = emails = 0
        for association in due:
            if dry_run:
                self.stdout.write(f"would remind: {association.slug}")
            else:
                reminder = reminders.reminder_send(association=association)
                emails += reminder.recipients
            sent += 1
        if dry_run:
            self.stdout.write(self.style.SUCCESS(f"{sent} listing(s) would be reminded (dry run)"))
        else:
            self.stdout.write(self.style.SUCCESS(f"{sent} listing(s) reminded, {emails} e-mail(s) sent"))
