from django.db import migrations

DELETE_UNPUBLISHED = """
DELETE FROM directory_searchfacet
WHERE association_id NOT IN (SELECT association_id FROM directory_searchrow)
"""


class Migration(migrations.Migration):
    """Only published listings keep facet rows (directory.search.index), so the facets of an
    unfiltered search count every row, with no `IN (matches)`."""

    dependencies = [
        ("directory", "0020_search_rows"),
    ]

    operations = [
        migrations.RunSQL(DELETE_UNPUBLISHED, migrations.RunSQL.noop),
    ]
