"""On PostgreSQL, every word of the search rows' vectors (`directory_searchlexeme`), kept by
statement triggers on `directory_searchrow`: each insert and update adds the new words of its rows
(from its transition table); a TRUNCATE empties it. Words are never taken away when a row goes
(a word no row holds any more only lengthens a lookup); `clear_vocabulary()` rebuilds the table
from the rows present. Then filled from the rows present.

The last word of a query is a prefix ("foot" finds "football"): `to_tsquery('foot:*')`. A prefix
makes the GIN index recheck every row it finds (each row's vector is read and matched again),
where the words it stands for, looked up here first (`postgres.prepare`) and asked as a constant,
do not. SQLite keeps no such table (its FTS5 index reads prefixes itself)."""

from django.db import migrations

FORWARDS = """
CREATE TABLE directory_searchlexeme (lexeme text COLLATE "C" PRIMARY KEY);
CREATE FUNCTION directory_searchlexeme_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO directory_searchlexeme (lexeme)
    SELECT DISTINCT word FROM new_rows, unnest(tsvector_to_array(new_rows.search_vector)) AS word
    ORDER BY word
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE FUNCTION directory_searchlexeme_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM directory_searchlexeme;
    RETURN NULL;
END $$;
CREATE TRIGGER searchlexeme_insert AFTER INSERT ON directory_searchrow
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION directory_searchlexeme_add();
CREATE TRIGGER searchlexeme_update AFTER UPDATE ON directory_searchrow
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION directory_searchlexeme_add();
CREATE TRIGGER searchlexeme_truncate AFTER TRUNCATE ON directory_searchrow
    FOR EACH STATEMENT EXECUTE FUNCTION directory_searchlexeme_clear();
INSERT INTO directory_searchlexeme (lexeme)
    SELECT DISTINCT word FROM directory_searchrow, unnest(tsvector_to_array(search_vector)) AS word;
"""

BACKWARDS = """
DROP TRIGGER IF EXISTS searchlexeme_insert ON directory_searchrow;
DROP TRIGGER IF EXISTS searchlexeme_update ON directory_searchrow;
DROP TRIGGER IF EXISTS searchlexeme_truncate ON directory_searchrow;
DROP FUNCTION IF EXISTS directory_searchlexeme_add();
DROP FUNCTION IF EXISTS directory_searchlexeme_clear();
DROP TABLE IF EXISTS directory_searchlexeme;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0042_search_facet_sets"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
