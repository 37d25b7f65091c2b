"""Bulk writes that skip the ORM's per-row work, for the registry import and the search index.

`bulk_create` builds, prepares and compiles every value of every row in Python (on PostgreSQL
it also dumps each column as an array in Python): for the tens of thousands of rows of a
registry import that was a third of its time. Here rows go as plain tuples:
- on PostgreSQL through COPY (psycopg formats the rows in C), the ids of rows that others
  reference taken beforehand from the table's own sequence (`allocate_ids`), so that later
  ordinary inserts go on from there and never collide;
- elsewhere (SQLite) through one executemany of an INSERT.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from django.db import connection

if TYPE_CHECKING:
    from django.db.models import Field, Model

# Field types whose values the database driver cannot take as Python gives them.
PREPARED_TYPES = {"DateTimeField", "DateField", "TimeField", "DecimalField", "UUIDField", "JSONField"}
# On PostgreSQL psycopg dumps dates, decimals and UUIDs itself; JSON needs its wrapper.
PREPARED_TYPES_COPY = {"JSONField"}


def uses_copy() -> bool:
    """True where insert_rows() writes through COPY and allocate_ids() is available."""
    return connection.vendor == "postgresql"


def commit_without_waiting() -> None:
    """PostgreSQL: the COMMIT of the current transaction does not wait for its WAL to reach the
    disk (`SET LOCAL synchronous_commit = off`). For re-runnable bulk work only, such as an import
    batch: a crash may lose the last transactions committed, whole (never half of one), and the
    next run writes them again. Elsewhere a no-op."""
    if uses_copy():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


def allocate_ids(model: type[Model], count: int) -> list[int]:
    """`count` new primary keys of `model` taken from its sequence (PostgreSQL only), in
    increasing order: rows inserted with them leave the sequence consistent, as `nextval` has
    moved past them."""
    if count <= 0:
        return []
    if not uses_copy():
        raise NotImplementedError("ids are allocated from a PostgreSQL sequence only")
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, count],
        )
        return sorted(pk for (pk,) in cursor.fetchall())


def insert_rows(
    model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]], *, columns: Sequence[str] = ()
) -> None:
    """Insert plain tuples of the values of `fields` (field names) into `model`'s table.

    Only the values that need it (dates on SQLite, JSON) are prepared by their field; columns not
    named take their database default (an identity primary key its next value). `columns`:
    columns outside the model (added by a migration), whose values end each tuple, sent as given."""
    rows = list(rows)
    if not rows:
        return
    fields = [cast("Field[Any, Any]", model._meta.get_field(name)) for name in fields]  # concrete fields
    prepared_types = PREPARED_TYPES_COPY if uses_copy() else PREPARED_TYPES
    prepared = [i for i, field in enumerate(fields) if field.get_internal_type() in prepared_types]
    if prepared:
        rows = [list(row) for row in rows]
        for row in rows:
            for i in prepared:
                row[i] = fields[i].get_db_prep_save(row[i], connection)  # type: ignore[index]  # lists: copied above
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join([*(quote(field.column) for field in fields), *map(quote, columns)])  # type: ignore[arg-type]  # concrete: has a column
    with connection.cursor() as cursor:
        if not uses_copy():
            placeholders = ", ".join(["%s"] * (len(fields) + len(columns)))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", rows)  # noqa: S608
            return
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def row_values(
    model: type[Model], rows: Sequence[Mapping[str, Any]]
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """(fields, [tuple]) of `rows`, dicts of field attnames to values (`association_id`), each
    field not given taking its default; the primary key only when the first row gives it (taken
    beforehand with allocate_ids()), else left to the database."""
    pk = model._meta.pk.attname
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or pk in rows[0]]
    defaults = {f.attname: f.get_default() for f in fields}
    names = [f.attname for f in fields]
    return names, [tuple(row[name] if name in row else defaults[name] for name in names) for row in rows]


def insert_dicts(model: type[Model], rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert rows given as dicts of field attnames to values (see row_values)."""
    rows = list(rows)
    if rows:
        insert_rows(model, *row_values(model, rows))
