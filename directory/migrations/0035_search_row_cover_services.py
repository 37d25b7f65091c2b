"""PostgreSQL only: the covering index of the narrow search rows (migration 0024) also holds
`services_from` (migration 0033).

A service-level filter (`categorie`, `gratuit`, `sans_rdv`, `langue`, `public`) keeps the
listings with a matching running service, or without running services whose own terms match
(`directory/offers/search.py`): that second half reads `services_from` of every row it filters.
Without it in the index, PostgreSQL read the whole table (about 70 MB with the text vectors) for
it. Measured on 100 000 imported registry rows, `categorie=sport`: that half 47 → 25 ms.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS searchrow_cover ON directory_searchrow (association_id)"
    " INCLUDE (created_at, search_name, fees, reception, volunteers_sought, facet_codes{extra})"
)


def recreate(schema_editor, extra):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS searchrow_cover")
        schema_editor.execute(CREATE.format(extra=extra))


def forwards(apps, schema_editor):
    recreate(schema_editor, ", services_from")


def backwards(apps, schema_editor):
    recreate(schema_editor, "")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0034_edit_drafts"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
