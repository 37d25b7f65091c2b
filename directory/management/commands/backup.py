import subprocess

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from directory import backup


class Command(BaseCommand):
    help = (
        "Backs up the database to BACKUP_DIR/lyonassos-YYYYmmdd-HHMMSS.dump (PostgreSQL, pg_dump -Fc) "
        "or .sqlite3 (SQLite online backup), then keeps the newest --keep files."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", default=None, help="default: BACKUP_DIR (backups/)")
        parser.add_argument("--keep", type=int, default=None, help="backups kept (default: BACKUP_KEEP)")
        parser.add_argument("--dry-run", action="store_true", help="say what would be done")

    def handle(self, *args, output_dir, keep, dry_run, **options):
        directory = output_dir or settings.BACKUP_DIR
        keep = settings.BACKUP_KEEP if keep is None else keep
        if dry_run:
            self.stdout.write(f"Would back up the {backup.engine()} database to {directory}, keep {keep}.")
            return
        try:
            path = backup.backup(directory)
        except (backup.BackupError, subprocess.CalledProcessError) as error:
            detail = getattr(error, "stderr", b"") or b""
            raise CommandError(f"Backup failed: {error} {detail.decode(errors='replace')}".strip()) from error
        removed = backup.prune(directory, keep)
        self.stdout.write(
            f"Backup written: {path} ({path.stat().st_size} bytes); {len(removed)} old removed."
        )
