"""PostgreSQL only: the search vectors on the narrow search rows, with their own GIN index.

A text search matched and ranked on `directory_association` (≈2 KB a row): a broad word read a
heap page per match. The narrow rows now carry the same two tsvectors (`search_vector` to
match, `search_head` to rank), kept out of the Django model like those of the listing table
(migration 0004), so the match, the ranking and the facet ids never touch the wide table.
The rows also carry `facet_codes`, the facet values of the listing (SearchFacet) as one integer
array (value × 3 + kind: 0 need, 1 commune, 2 arrondissement), so the facets of a text search are
counted from the scan that finds the matches (directory.search.postgres.count_facets) instead of
one SearchFacet probe per match. One UPDATE fills the three columns (one new version per row).
Copied from the listing table and SearchFacet; maintained by directory.search.index() afterwards.
"""

from django.db import migrations

# As directory.search.postgres.FACET_CODES_SQL when this migration was written.
FACET_CODES_SQL = (
    "coalesce((SELECT array_agg(f.value * 3 + CASE f.kind WHEN 'c' THEN 0 WHEN 'a' THEN 1 ELSE 2 END)"
    " FROM directory_searchfacet f WHERE f.association_id = r.association_id), '{}')"
)

POSTGRESQL = [
    (
        "ALTER TABLE directory_searchrow ADD COLUMN IF NOT EXISTS search_vector tsvector,"
        " ADD COLUMN IF NOT EXISTS search_head tsvector,"
        " ADD COLUMN IF NOT EXISTS facet_codes integer[] NOT NULL DEFAULT '{}'",
        "ALTER TABLE directory_searchrow DROP COLUMN IF EXISTS search_vector, DROP COLUMN IF EXISTS search_head,"
        " DROP COLUMN IF EXISTS facet_codes",
    ),
    (
        "UPDATE directory_searchrow AS r SET search_vector = a.search_vector, search_head = a.search_head,"  # noqa: S608
        f" facet_codes = {FACET_CODES_SQL} FROM directory_association AS a WHERE a.id = r.association_id",
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
