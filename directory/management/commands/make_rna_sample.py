"""Write a synthetic rna_waldec file (fictional rows) for tests at scale and benchmarks."""

from django.core.management.base import BaseCommand, CommandError

from directory.rna import sample


class Command(BaseCommand):
    help = (
        "Write a synthetic RNA rna_waldec file in the exact current format (Latin-1, `;`, header): "
        "~70 % of the rows in the Métropole, the rest elsewhere in the Rhône; every value is made up."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="Path of the CSV file to write.")
        parser.add_argument("--rows", type=int, default=1000, help="Number of rows (default %(default)s).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default %(default)s).")

    def handle(self, *args, out, rows, seed, **options):
        if rows < 1:
            raise CommandError("--rows must be at least 1.")
        sample.write(out, count=rows, seed=seed)
        self.stdout.write(self.style.SUCCESS(f"{rows} rows written to {out}."))
