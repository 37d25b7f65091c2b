"""Delete what the add form left behind: images chosen in a form that was never accepted (kept a
day, directory/editing/uploads.py) and drafts sent more than a day ago or untouched for 90 days
(directory/editing/drafts.py). Run daily; each new upload also deletes the expired ones."""

from django.core.management.base import BaseCommand

from directory.editing import drafts, uploads


class Command(BaseCommand):
    help = (
        "Efface les images choisies dans un formulaire non abouti (après un jour) et les brouillons "
        "de fiche envoyés (après un jour) ou abandonnés (après 90 jours)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count them, delete nothing.")
        parser.add_argument("--limit", type=int, default=None, help="At most N of each.")

    def handle(self, *args, dry_run=False, limit=None, **options):
        images = uploads.purge(limit=limit, dry_run=dry_run)
        old_drafts = drafts.drafts_purge(limit=limit, dry_run=dry_run)
        verb = "would be deleted (dry run)" if dry_run else "deleted"
        self.stdout.write(self.style.SUCCESS(f"{images} temporary upload(s), {old_drafts} draft(s) {verb}"))
