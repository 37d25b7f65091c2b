"""PostgreSQL only: a covering index of the narrow search rows for searches without text, and
an index of their daily shuffle.

The rows carry the text vectors (migration 0022), about 1 KB each, so a search without text (a
need, a place, a flag, every listing, a radius) read a 68 MB table for 60 000 published
listings to get a few small columns of each. This index holds those columns (sort keys, flags,
facet codes), about 7 MB: PostgreSQL answers such searches with an index-only scan (the table's
visibility map, kept by autovacuum, tells it the rows are visible). Measured on 100 000 imported
registry rows: a need across the Métropole, 40 against 20 ms.

Every listing in the default order (a daily shuffle, `search.fair_order`: `(id × K + seed) mod
M`) was sorted whole for each page. That order is a rotation of `(id × K) mod M`, which the
second index holds: `search.postgres.every_ids` reads it in order from the day's pivot.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS searchrow_cover ON directory_searchrow (association_id)"
    " INCLUDE (created_at, search_name, fees, reception, volunteers_sought, facet_codes)"
)
# As directory.search.SHUFFLE_K and SHUFFLE_M when this migration was written.
FAIR = (
    "CREATE INDEX IF NOT EXISTS searchrow_fair ON directory_searchrow"
    " ((mod(association_id * 2654435761, 2147483629))) INCLUDE (association_id)"
)
DROP = "DROP INDEX IF EXISTS searchrow_cover; DROP INDEX IF EXISTS searchrow_fair"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)
        schema_editor.execute(FAIR)


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
