"""`compilemessages` that also works without GNU gettext (a fresh machine running `make run`).

Django's command, unchanged when `msgfmt` is installed. Without it, Django's command still finds
the .po files, skips the up-to-date ones and refuses BOMs, but runs directory/msgfmt.py (polib,
pure Python) in msgfmt's place.
"""

import sys
from pathlib import Path

from django.core.management.commands import compilemessages
from django.core.management.utils import find_command


class Command(compilemessages.Command):
    help = compilemessages.Command.help + " Without GNU gettext's msgfmt, compiles with polib instead."

    def handle(self, **options):
        if find_command(self.program) is None:
            if options["verbosity"] > 0:
                self.stdout.write("msgfmt (GNU gettext) not found: compiling with polib.")
            # `python -c` with the project on sys.path: Django runs msgfmt from each locale folder.
            project = str(Path(__file__).resolve().parents[3])
            boot = f"import sys; sys.path.insert(0, {project!r}); from directory.msgfmt import main; sys.exit(main())"
            self.program_options = ["-c", boot, *self.program_options]
            self.program = sys.executable
        return super().handle(**options)
