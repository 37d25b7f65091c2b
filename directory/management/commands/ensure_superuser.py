"""Local development: make sure someone can log into the admin."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse


class Command(BaseCommand):
    help = (
        "For local development: when no superuser exists, create one with a random password "
        "and print it. Refuses to run when DEBUG is off, unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin", help="Default: %(default)s.")
        parser.add_argument("--email", default="admin@example.org", help="Default: %(default)s.")
        parser.add_argument(
            "--force", action="store_true", help="Run even though DEBUG is off (not for production)."
        )

    def handle(self, *args, username, email, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this command prints a password and is meant for local development. "
                "Use `python manage.py createsuperuser`, or --force if you really mean it."
            )
        User = get_user_model()
        admin_url = f"http://127.0.0.1:8000{reverse('admin:index')}"
        superusers = list(
            User.objects.filter(is_superuser=True).order_by("pk").values_list(User.USERNAME_FIELD, flat=True)
        )
        if superusers:
            names = ", ".join(superusers)
            self.stdout.write(
                f"Superutilisateur déjà présent : {names}. Administration : {admin_url}\n"
                f"Mot de passe oublié ? python manage.py changepassword {superusers[0]}"
            )
            return
        if User.objects.filter(**{User.USERNAME_FIELD: username}).exists():
            raise CommandError(
                f"L'utilisateur « {username} » existe déjà sans être superutilisateur. "
                "Choisissez un autre --username, ou utilisez `python manage.py createsuperuser`."
            )
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(**{User.USERNAME_FIELD: username}, email=email, password=password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Administration : {admin_url} — identifiant {username} — mot de passe {password}"
            )
        )
        self.stdout.write(f"(Pour le changer : python manage.py changepassword {username})")
