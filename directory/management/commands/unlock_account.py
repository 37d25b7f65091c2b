"""Lift the log-in lockout of an account (directory.security.login_unlock), for a moderator
helping someone who cannot wait the LOGIN_LOCKOUT_SECONDS out."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from directory import security


class Command(BaseCommand):
    help = (
        "Débloque la connexion d'un compte après trop de mots de passe erronés, depuis toutes "
        "les adresses : l'adresse e-mail et l'identifiant du compte (ou le texte donné s'il n'y "
        "a pas de compte)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The account's e-mail address (or username).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Tell whether it is locked, change nothing."
        )

    def handle(self, *args, email, dry_run=False, **options):
        users = get_user_model()._default_manager
        user = users.filter(email__iexact=email.strip()).order_by("pk").first()
        user = user or users.filter(username=email.strip()).first()
        identifiers = {email.strip().lower()}
        if user is not None:
            identifiers |= {value.lower() for value in (user.email, user.username) if value}
        else:
            self.stdout.write(self.style.WARNING("No account with this address or username."))
        locked = sorted(i for i in identifiers if security.login_locked_anywhere(i))
        if dry_run:
            self.stdout.write(f"{len(locked)} locked identifier(s) of {len(identifiers)} (dry run)")
            return
        for identifier in identifiers:
            security.login_unlock(identifier)
        self.stdout.write(
            self.style.SUCCESS(f"{len(identifiers)} identifier(s) unlocked ({len(locked)} were locked)")
        )
