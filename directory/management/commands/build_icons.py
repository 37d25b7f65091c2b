"""Build static/icons/sprite.svg from the npm package lucide-static (directory/icons.py)."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory import icons


class Command(BaseCommand):
    help = (
        "Write the SVG sprite of the icons the site uses (directory/icons.py) from the npm package "
        "lucide-static (`make install-node`). Writes nothing when the sprite is already current."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source", type=Path, help="The package's folder (default: node_modules/lucide-static)."
        )
        parser.add_argument("--output", type=Path, help="Where to write (default: static/icons/sprite.svg).")
        parser.add_argument("--dry-run", action="store_true", help="Build and report, write nothing.")

    def handle(self, *args, source, output, dry_run, **options):
        source = source or icons.package_dir()
        output = output or icons.sprite_path()
        names = icons.all_names()
        try:
            sprite = icons.build_sprite(names, source)
        except icons.IconError as error:
            raise CommandError(str(error)) from None
        current = output.read_text() if output.exists() else None
        if current == sprite:
            self.stdout.write(f"{output}: {len(names)} icons, already current.")
            return
        if dry_run:
            self.stdout.write(
                f"{output}: {len(names)} icons, {len(sprite)} bytes would be written (dry run)."
            )
            return
        output.parent.mkdir(parents=True, exist_ok=True)
        # Written aside then renamed: two `make test` at once (CI) never serve a half-written file.
        partial = output.with_name(f".{output.name}.{os.getpid()}")
        partial.write_text(sprite)
        partial.replace(output)
        self.stdout.write(f"{output}: {len(names)} icons, {len(sprite)} bytes written.")
