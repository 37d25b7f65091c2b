"""Write synthetic BAN and GTFS files at the real files' scale (made-up names and positions)."""

import time

from django.core.management.base import BaseCommand, CommandError

from directory.places import samples


class Command(BaseCommand):
    help = (
        "Write a synthetic BAN adresses-69.csv (600 000 rows, 350 000 in the Métropole by default) "
        "and a GTFS zip shaped like the TCL feed, for benchmarks of import_addresses, import_transit "
        "and the `pres` parameter. Every name and position is made up."
    )

    def add_arguments(self, parser):
        parser.add_argument("ban", help="Path of the CSV to write.")
        parser.add_argument("gtfs", help="Path of the zip to write.")
        parser.add_argument("--rows", type=int, default=600_000, help="BAN rows (default %(default)s).")
        parser.add_argument(
            "--in-metropole",
            type=int,
            default=350_000,
            help="Of which in the Métropole (default %(default)s).",
        )
        parser.add_argument(
            "--stop-times", type=int, default=1_500_000, help="GTFS stop times (default %(default)s)."
        )

    def handle(self, *args, ban, gtfs, rows, in_metropole, stop_times, **options):
        if not 0 < in_metropole <= rows:
            raise CommandError("--in-metropole must be between 1 and --rows.")
        started = time.monotonic()
        samples.write_ban(ban, rows=rows, in_metropole=in_metropole)
        samples.write_gtfs(gtfs, stop_times=stop_times)
        self.stdout.write(
            self.style.SUCCESS(f"{ban} and {gtfs} written in {time.monotonic() - started:.1f} s.")
        )
