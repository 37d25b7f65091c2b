"""Query shapes that both databases plan well, for the searches' hot paths.

- `ids_subquery(ids)`: hundreds of ids (a search's cached window) as one parameter;
- `exclude_rows(queryset, rows, outer=, inner=)`: the rows of a queryset whose `outer` is not
  the `inner` of one of `rows`, as an anti-join on both databases;
- `OfIds`: a query of a list of ids whose SQL the ORM writes once per process;
- `delete_of_ids(model, column, ids)`: the rows of a table whose `column` is one of the ids, in
  one DELETE the ORM does not write;
- `keep_rows(instance, relation, rows)`: rows read for a listing kept as its relation, as
  prefetch_related() keeps them, without a reference cycle.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection
from django.db.models import Exists, Model, OuterRef, QuerySet
from django.db.models.expressions import RawSQL


def ids_subquery(ids: Iterable[int]) -> RawSQL:
    """A subquery of these ids, for `pk__in=` with hundreds of them (a search's cached window):
    one parameter (an array on PostgreSQL, a JSON list read by json_each on SQLite) instead of a
    literal each, which the ORM prepares and the driver sends one by one (a COUNT over 1 000
    ids: 4 ms instead of 10)."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (_ids_param(ids),))
    return RawSQL("SELECT value FROM json_each(%s)", (_ids_param(ids),))


def _ids_param(ids: Iterable[int]) -> Any:
    """The one parameter of ids_subquery(): a list (an array) on PostgreSQL, JSON on SQLite."""
    values = [int(pk) for pk in ids]
    return values if connection.vendor == "postgresql" else json.dumps(values)


# The ids a query of OfIds is compiled with, to find their parameter among the query's own.
_SENTINEL = (-7_340_033, -7_340_034)


class OfIds:
    """A query of a list of ids (`build(ids_subquery(ids))`, a QuerySet) whose SQL the ORM
    writes once per process and database vendor: each call then changes only the parameter of
    the ids. The result cards' queries are compiled for every results page otherwise, about a
    third of the Python time of reading twenty cards (1 ms a query)."""

    def __init__(self, build: Callable[[RawSQL], QuerySet[Any]]) -> None:
        self.build = build
        self._compiled: dict[str, tuple[str, list[Any], int]] = {}
        self.model: type[Model] | None = None

    def sql(self, ids: Iterable[int]) -> tuple[str, list[Any]]:
        """(sql, params) of the query for these ids."""
        compiled = self._compiled.get(connection.vendor)
        if compiled is None:
            queryset = self.build(ids_subquery(_SENTINEL))
            self.model = queryset.model
            sql, params = queryset.query.sql_with_params()
            params = list(params)
            compiled = self._compiled[connection.vendor] = (sql, params, params.index(_ids_param(_SENTINEL)))
        sql, params, position = compiled
        return sql, [*params[:position], _ids_param(ids), *params[position + 1 :]]

    def rows(self, ids: Iterable[int]) -> list[tuple[Any, ...]]:
        """The rows of a values_list() query, as tuples."""
        with connection.cursor() as cursor:
            cursor.execute(*self.sql(ids))
            return cursor.fetchall()

    def instances(self, ids: Iterable[int]) -> list[Any]:
        """The model instances of the query (its deferred columns deferred, as the query had them)."""
        sql, params = self.sql(ids)
        assert self.model is not None  # set by sql()
        return list(self.model._default_manager.raw(sql, params))


def exclude_rows[M: Model](
    queryset: QuerySet[M], rows: QuerySet[Any], *, outer: str, inner: str
) -> QuerySet[M]:
    """`queryset` without the rows whose `outer` is the `inner` of one of `rows`: NOT EXISTS on
    PostgreSQL, which plans it as an anti-join; NOT IN on SQLite, which evaluates the
    uncorrelated list once where it would run a correlated EXISTS per row."""
    if connection.vendor == "postgresql":
        return queryset.exclude(Exists(rows.filter(**{inner: OuterRef(outer)})))
    return queryset.exclude(**{f"{outer}__in": rows.values(inner)})


def delete_of_ids(model: type[Model], column: str, ids: Iterable[int]) -> None:
    """Delete the rows of `model` whose `column` is one of `ids`, in one statement: for the
    narrow rows a listing's write replaces (search rows, facets, points, opening slots), which
    have no signal and whose dependent rows (a search row's points) the caller deletes first.
    `QuerySet.delete()` wrote its SQL each time, and for a table with dependent rows read the
    rows first to collect them."""
    quote = connection.ops.quote_name
    subquery = ids_subquery(ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(model._meta.db_table)} WHERE {quote(column)} IN ({subquery.sql})",  # noqa: S608
            subquery.params,
        )


def keep_rows(instance: Model, relation: str, rows: list[Any]) -> QuerySet[Any]:
    """Make `instance.<relation>.all()` answer `rows` (read by the caller), as prefetch_related()
    does, and return that queryset.

    A related manager's queryset refers back to its instance: the router's hints, the known
    related objects, and the filter it defers until it runs (`association=<the listing>`). Kept
    in the instance's prefetch cache, that made each listing of a page and everything it holds
    (its places, categories, services) a reference cycle, which only Python's cyclic collector
    frees, in pauses of up to 50 ms inside later requests (docs/benchmarks.md, seventeenth
    round). The queryset kept here names the instance by its primary key instead (the same
    filter, should anything filter it further), so the listing goes as soon as the page drops
    it."""
    queryset = getattr(instance, relation).all()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    queryset._hints = {}
    queryset._known_related_objects = {}
    if queryset._deferred_filter:
        negate, args, kwargs = queryset._deferred_filter
        by_pk = {name: value.pk if isinstance(value, Model) else value for name, value in kwargs.items()}
        queryset._deferred_filter = (negate, args, by_pk)
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[relation] = queryset
    return queryset
