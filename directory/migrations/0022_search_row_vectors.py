"""PostgreSQL only: the search vectors on the narrow search rows, with their own GIN index.

A text search matched and ranked on `directory_association` (≈2 KB a row): a broad word read a
heap page per match. The narrow rows now carry the same two tsvectors (`search_vector` to
match, `search_head` to rank), kept out of the Django model like those of the listing table
(migration 0004), so the match, the ranking and the facet ids never touch the wide table.
Copied here from the listing table; maintained by directory.search.index() afterwards.
"""

from django.db import migrations

POSTGRESQL = [
    (
        "ALTER TABLE directory_searchrow ADD COLUMN IF NOT EXISTS search_vector tsvector,"
        " ADD COLUMN IF NOT EXISTS search_head tsvector",
        "ALTER TABLE directory_searchrow DROP COLUMN IF EXISTS search_vector, DROP COLUMN IF EXISTS search_head",
    ),
    (
        "UPDATE directory_searchrow AS r SET search_vector = a.search_vector, search_head = a.search_head"
        " FROM directory_association AS a WHERE a.id = r.association_id",
        None,
    ),
    (
        "CREATE INDEX IF NOT EXISTS searchrow_vector_gin ON directory_searchrow USING gin (search_vector)",
        "DROP INDEX IF EXISTS searchrow_vector_gin",
    ),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql, _reverse in POSTGRESQL:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for _sql, reverse in reversed(POSTGRESQL):
            if reverse:
                schema_editor.execute(reverse)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0021_search_facets_published_only"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
