"""SQLite only: the facet values on the narrow search rows, and an index to count them all.

The facets of a search counted SearchFacet rows of its matches (`association_id IN (matches)`):
on a broad text search (12 000 matches at 20 000 registry rows) that is a second id list and
two index probes per match, the slowest statement of a cold results page. The narrow rows now
carry `facet_codes`, the facet values of the listing as a JSON array of integers (value × 3 +
kind: 0 need, 1 commune, 2 arrondissement, as PostgreSQL's integer array of migration 0022), so
the facets are counted from the rows the match reads (directory.search.sqlite.count_facets).
The facets of every published listing (no filter) count SearchFacet whole: an index on (kind,
value) makes that a scan of the index in GROUP BY order, without a temporary B-tree.

Both are kept out of the Django models, like the PostgreSQL columns: SQLite would lose them if
a later migration rebuilt `directory_searchrow` or `directory_searchfacet` (add them again
there). Maintained by directory.search.index() and sync_rows() afterwards.
"""

from django.db import migrations

# As directory.search.sqlite.FACET_CODES_SQL when this migration was written.
FACET_CODES_SQL = (
    "(SELECT json_group_array(f.value * 3 + CASE f.kind WHEN 'c' THEN 0 WHEN 'a' THEN 1 ELSE 2 END)"
    " FROM directory_searchfacet f WHERE f.association_id = directory_searchrow.association_id)"
)

SQLITE = [
    (
        "ALTER TABLE directory_searchrow ADD COLUMN facet_codes text NOT NULL DEFAULT '[]'",
        "ALTER TABLE directory_searchrow DROP COLUMN facet_codes",
    ),
    (f"UPDATE directory_searchrow SET facet_codes = {FACET_CODES_SQL}", None),  # noqa: S608
    (
        "CREATE INDEX IF NOT EXISTS searchfacet_kind_value ON directory_searchfacet (kind, value)",
        "DROP INDEX IF EXISTS searchfacet_kind_value",
    ),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql, _reverse in SQLITE:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for _sql, reverse in reversed(SQLITE):
            if reverse:
                schema_editor.execute(reverse)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0022_search_row_vectors"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
