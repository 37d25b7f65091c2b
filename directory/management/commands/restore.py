import subprocess

from django.core.management.base import BaseCommand, CommandError

from directory import backup


class Command(BaseCommand):
    help = "Replaces the database's content with a backup made by `manage.py backup` (same engine)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="backups/lyonassos-….dump or .sqlite3")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")
        parser.add_argument("--dry-run", action="store_true", help="check the file, change nothing")

    def handle(self, *args, file, interactive, dry_run, **options):
        if dry_run:
            self.stdout.write(f"Would restore {file} into the {backup.engine()} database.")
            return
        if interactive:
            answer = input(f"This REPLACES every row of the database with {file}. Type 'yes': ")
            if answer.strip() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            backup.restore(file)
        except (backup.BackupError, subprocess.CalledProcessError) as error:
            detail = getattr(error, "stderr", b"") or b""
            raise CommandError(
                f"Restore failed: {error} {detail.decode(errors='replace')}".strip()
            ) from error
        self.stdout.write(f"Restored {file}. Run `manage.py migrate` if the backup is older than the code.")
