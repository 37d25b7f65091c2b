"""PostgreSQL only: a covering index of the narrow search rows for searches without text.

The rows carry the text vectors (migration 0022), about 1 KB each, so a search without text (a
need, a place, a flag, every listing, a radius) read a 68 MB table for 60 000 published
listings to get a few small columns of each. This index holds those columns (sort keys, flags,
facet codes), about 7 MB: PostgreSQL answers such searches with an index-only scan (the table's
visibility map, kept by autovacuum, tells it the rows are visible). Measured on 100 000 imported
registry rows: a need across the Métropole, 40 against 20 ms.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS searchrow_cover ON directory_searchrow (association_id)"
    " INCLUDE (created_at, search_name, fees, reception, volunteers_sought, facet_codes)"
)
DROP = "DROP INDEX IF EXISTS searchrow_cover"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0023_sqlite_search_facet_codes"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
