"""Search structures (directory/search/).

Both databases: the vocabulary table `directory_searchterm` (typo candidates). PostgreSQL only:
unaccent and pg_trgm, the `french_unaccent` configuration, the `search_vector`/`search_head` tsvector columns kept out of the model, a GIN
index on the vector and pg_trgm GIN indexes on names and the vocabulary. SQLite only: the FTS5
table (rows of deleted listings are purged by the indexer). Run `manage.py rebuild_search_index` after migrating a database
that already holds listings.
"""

from django.db import migrations, models

POSTGRESQL = [
    (
        "CREATE EXTENSION IF NOT EXISTS unaccent",
        None,
    ),
    ("CREATE EXTENSION IF NOT EXISTS pg_trgm", None),
    (
        """DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
                CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
                ALTER TEXT SEARCH CONFIGURATION french_unaccent
                    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
            END IF;
        END $$""",
        "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent",
    ),
    (
        "ALTER TABLE directory_association ADD COLUMN IF NOT EXISTS search_vector tsvector",
        "ALTER TABLE directory_association DROP COLUMN IF EXISTS search_vector",
    ),
    (
        "ALTER TABLE directory_association ADD COLUMN IF NOT EXISTS search_head tsvector",
        "ALTER TABLE directory_association DROP COLUMN IF EXISTS search_head",
    ),
    (
        "CREATE INDEX IF NOT EXISTS assoc_search_vector_gin ON directory_association USING gin (search_vector)",
        "DROP INDEX IF EXISTS assoc_search_vector_gin",
    ),
    (
        "CREATE INDEX IF NOT EXISTS assoc_search_name_trgm ON directory_association"
        " USING gin (search_name gin_trgm_ops)",
        "DROP INDEX IF EXISTS assoc_search_name_trgm",
    ),
    (
        "CREATE INDEX IF NOT EXISTS searchterm_term_trgm ON directory_searchterm USING gin (term gin_trgm_ops)",
        "DROP INDEX IF EXISTS searchterm_term_trgm",
    ),
]

SQLITE = [
    (
        """CREATE VIRTUAL TABLE IF NOT EXISTS directory_search_fts USING fts5(
            name, cats, short, body, tags, tokenize = "unicode61 remove_diacritics 2")""",
        "DROP TABLE IF EXISTS directory_search_fts",
    ),
    # ORDER BY rank uses bm25 with the weights of the four text columns (tags do not count).
    (
        "INSERT INTO directory_search_fts(directory_search_fts, rank) VALUES('rank', 'bm25(10.0, 4.0, 2.0, 1.0, 0.0)')",
        None,
    ),
]

STATEMENTS = {"postgresql": POSTGRESQL, "sqlite": SQLITE}


def forwards(apps, schema_editor):
    for sql, _reverse in STATEMENTS.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    for _sql, reverse in reversed(STATEMENTS.get(schema_editor.connection.vendor, [])):
        if reverse:
            schema_editor.execute(reverse)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_editing"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("term", models.CharField(max_length=40, unique=True)),
            ],
            options={"verbose_name": "mot indexé", "verbose_name_plural": "mots indexés"},
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
