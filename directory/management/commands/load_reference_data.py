"""Re-load directory/data/*.csv (areas, categories, audiences, languages): an idempotent upsert."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.forms.models import model_to_dict

from directory import reference_data
from directory.models import Area, Audience, Category, Language


def _kind(obj):
    """The line of the report a row belongs to."""
    if isinstance(obj, Area):
        return {"commune": "communes", "arrondissement": "arrondissements", "quartier": "quartiers"}[obj.kind]
    if isinstance(obj, Category):
        return "sub-categories" if obj.parent_id else "top-level categories"
    return {Audience: "audiences", Language: "languages"}[type(obj)]


KINDS = [
    "communes",
    "arrondissements",
    "quartiers",
    "top-level categories",
    "sub-categories",
    "audiences",
    "languages",
]
MODELS = [Area, Category, Audience, Language]


def snapshot():
    """{(model, pk): (kind, field values)} for every reference row."""
    return {
        (model, obj.pk): (_kind(obj), model_to_dict(obj))
        for model in MODELS
        for obj in model.objects.order_by("pk")
    }


class Command(BaseCommand):
    help = (
        "Load the reference data shipped in directory/data/ (communes, arrondissements, quartiers, "
        "categories, audiences, languages). Idempotent: rows are upserted by slug or code, never deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change, then roll everything back."
        )

    def handle(self, *args, dry_run, **options):
        with transaction.atomic():
            before = snapshot()
            try:
                reference_data.load_all(Area=Area, Category=Category, Audience=Audience, Language=Language)
            except (OSError, KeyError, ValueError) as error:
                raise CommandError(f"Could not load the reference data: {error!r}") from error
            after = snapshot()
            if dry_run:
                transaction.set_rollback(True)

        counts = {kind: {"total": 0, "created": 0, "updated": 0} for kind in KINDS}
        for key, (kind, values) in after.items():
            counts[kind]["total"] += 1
            if key not in before:
                counts[kind]["created"] += 1
            elif before[key][1] != values:
                counts[kind]["updated"] += 1

        width = max(len(kind) for kind in KINDS)
        for kind in KINDS:
            c = counts[kind]
            self.stdout.write(
                f"{kind:<{width}}  {c['total']:>4}  ({c['created']} created, {c['updated']} updated)"
            )
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was saved."))
        else:
            self.stdout.write(self.style.SUCCESS("Reference data loaded."))
