"""PostgreSQL only: the second tsvector of the listings and of the narrow search rows,
`search_head` (the vector without the description, which the rank read), is dropped; the rank's
tiers read the weights A to C of `search_vector` (directory.search.postgres._rank_sql).

Each narrow row was 1 046 bytes, of which 414 for that vector (100 000 imported registry rows:
8 041 pages instead of 4 930), and a broad word reads nearly every page of the table: its
statements took 10–18 % less without it. The narrow table is rewritten (CLUSTER on its primary
key, under an exclusive lock: seconds for 100 000 rows) so that its pages shrink now rather than
as rows are rewritten; the listing table, which no search reads, keeps the space until then.

Backwards, the columns come back empty: `manage.py rebuild_search_index` with the code of
before fills them.
"""

from django.db import migrations

FORWARDS = """
ALTER TABLE directory_searchrow DROP COLUMN IF EXISTS search_head;
ALTER TABLE directory_association DROP COLUMN IF EXISTS search_head;
CLUSTER directory_searchrow USING directory_searchrow_pkey;
"""

BACKWARDS = """
ALTER TABLE directory_association ADD COLUMN IF NOT EXISTS search_head tsvector;
ALTER TABLE directory_searchrow ADD COLUMN IF NOT EXISTS search_head tsvector;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0039_search_point_row_values"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
