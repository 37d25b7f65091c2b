"""Thirty days after a helper was found, ask both sides whether it worked (never twice)."""

from django.core.management.base import BaseCommand

from directory.digital_help import followups


class Command(BaseCommand):
    help = (
        "Demande à l'association et à l'aidant numérique, 30 jours après la mise en relation, "
        "si l'aide a marché. Jamais deux fois pour la même demande."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List the requests, send nothing.")
        parser.add_argument("--limit", type=int, default=None, help="At most N requests.")

    def handle(self, *args, dry_run=False, limit=None, **options):
        due = followups.due_followups()
        if limit is not None:
            due = due[: max(0, limit)]
        requests = emails = 0
        for help_request in due:
            if dry_run:
                self.stdout.write(f"would ask: request {help_request.pk} ({help_request.association.slug})")
            else:
                sent = followups.help_followup_send(help_request=help_request)
                if not sent:
                    continue
                emails += sent
            requests += 1
        if dry_run:
            self.stdout.write(self.style.SUCCESS(f"{requests} request(s) would be followed up (dry run)"))
        else:
            self.stdout.write(
                self.style.SUCCESS(f"{requests} request(s) followed up, {emails} e-mail(s) sent")
            )
