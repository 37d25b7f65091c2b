"""Query shapes that both databases plan well, for the searches' hot paths.

- `ids_subquery(ids)`: hundreds of ids (a search's cached window) as one parameter;
- `exclude_rows(queryset, rows, outer=, inner=)`: the rows of a queryset whose `outer` is not
  the `inner` of one of `rows`, as an anti-join on both databases.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Exists, Model, OuterRef, QuerySet
from django.db.models.expressions import RawSQL


def ids_subquery(ids: Iterable[int]) -> RawSQL:
    """A subquery of these ids, for `pk__in=` with hundreds of them (a search's cached window):
    one parameter (an array on PostgreSQL, a JSON list read by json_each on SQLite) instead of a
    literal each, which the ORM prepares and the driver sends one by one (a COUNT over 1 000
    ids: 4 ms instead of 10)."""
    values = [int(pk) for pk in ids]
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (values,))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(values),))


def exclude_rows[M: Model](
    queryset: QuerySet[M], rows: QuerySet[Any], *, outer: str, inner: str
) -> QuerySet[M]:
    """`queryset` without the rows whose `outer` is the `inner` of one of `rows`: NOT EXISTS on
    PostgreSQL, which plans it as an anti-join; NOT IN on SQLite, which evaluates the
    uncorrelated list once where it would run a correlated EXISTS per row."""
    if connection.vendor == "postgresql":
        return queryset.exclude(Exists(rows.filter(**{inner: OuterRef(outer)})))
    return queryset.exclude(**{f"{outer}__in": rows.values(inner)})
