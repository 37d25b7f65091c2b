"""PostgreSQL: a `french_unaccent` text search configuration, a stored tsvector, GIN indexes.

Column (added by migration 0004 on PostgreSQL only, outside the Django model):
- `search_vector`: name (A), categories (B), short description (C), description (D) and tags;
  GIN-indexed, it decides which listings match, and the rank's tiers read its weights A to C.
The narrow search rows (`directory_searchrow`, migration 0022) carry a copy of it with their own
GIN index: text searches match and rank there, never reading the wide listing table
(`ROWS_HOLD_TEXT`); `replace_rows()` copies it, after the listing's own is written, into rows it
writes once, and only when a row changed. A second vector without the description
(`search_head`), which the rank read, was dropped by migration 0040: see `_rank_sql`.
Typo candidates come from `directory_searchterm` (pg_trgm), looked up before the search
(`prepare`, one query when a long word may be misspelt), so that the search's tsquery is a
constant the planner estimates.
"""

from __future__ import annotations

import itertools
import json
import struct
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import BooleanField, FloatField
from django.db.models.expressions import RawSQL

from directory import request_memo
from directory.models import Association, SearchRow, SearchTerm
from directory.queries import delete_of_ids

from . import documents, tiers
from .documents import WEIGHTS, area_tag

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from directory.geo import Point

    from . import FacetCount
    from .documents import Document
    from .query import ParsedQuery, Term

# SQL text and its parameters.
Sql = tuple[str, list[Any]]

CONFIG = "french_unaccent"
ALL = "ABCD"
TYPO_CANDIDATES = 3


def _weighted(name: str, cats: str, short: str, tags: str) -> str:
    """The vector of the fields A to C and the tags, from SQL expressions of the name, the
    categories' weighted vector (_cats_vector), the short description and the tags."""
    return (
        f"setweight(to_tsvector('{CONFIG}', {name}), 'A') || {cats}"
        f" || setweight(to_tsvector('{CONFIG}', {short}), 'C') || to_tsvector('simple', {tags})"
    )


def _cats_vector(cats: str) -> str:
    return f"setweight(to_tsvector('{CONFIG}', {cats}), 'B')"


def _with_body(head: str, body: str) -> str:
    """`search_vector`: the head and the description (D)."""
    return f"{head} || setweight(to_tsvector('{CONFIG}', {body}), 'D')"


_WEIGHTED = _weighted("v.name", _cats_vector("v.cats"), "v.short", "v.tags")
# Only the listings whose search columns change are written: re-indexing a listing whose text
# did not change (its places moved, its status changed) rewrote its row and its vectors for
# nothing: with quality.refresh() doing likewise, geocoding 67 000 listings leaves the listing
# table at 224 MB, where it took 553, and takes 113 s instead of 172.
UPDATE_SQL = f"""
UPDATE directory_association AS a
SET search_name = v.search_name, search_text = v.search_text, search_vector = v.vector
FROM (
    SELECT v.*, {_with_body("v.head", "v.body")} AS vector FROM (
        SELECT v.*, {_WEIGHTED} AS head
        FROM json_to_recordset(%s::json)
            AS v(id bigint, name text, cats text, short text, body text, tags text, search_name text, search_text text)
    ) AS v
) AS v
WHERE a.id = v.id AND (a.search_name, a.search_text, a.search_vector)
    IS DISTINCT FROM (v.search_name, v.search_text, v.vector)
"""  # noqa: S608


def write(documents: Sequence[Document]) -> None:
    # One JSON document rather than eight text arrays: json.dumps is C code, psycopg's array
    # dumper walks every string in Python (about a quarter of the import's indexing time).
    payload = json.dumps(
        [
            {
                "id": doc.pk,
                "name": doc.name,
                "cats": doc.cats,
                "short": doc.short,
                "body": doc.body,
                "tags": doc.tags,
                "search_name": doc.search_name,
                "search_text": doc.search_text,
            }
            for doc in documents
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(UPDATE_SQL, [payload])


# The narrow search rows carry the vectors (text searches filter and rank SearchRow) and the
# facet values (count_facets).
ROWS_HOLD_TEXT = True
ROWS_HOLD_FACETS = True


# A row's facet codes (Document.facet_codes()) are stored as bytes, 4 a code (big-endian, as
# PostgreSQL's int4send writes them; migration 0038): the facet counts group the matches by
# them, and grouping 60 000 rows by a bytea took half the time of grouping them by an integer[]
# (20 against 40 ms), each array's hash and comparison going element by element.
def codes_bytes(codes: Sequence[int]) -> bytes:
    """A row's facet codes as its `facet_codes` column holds them."""
    return struct.pack(f">{len(codes)}i", *codes)


def codes_of(column: bytes | memoryview) -> tuple[int, ...]:
    """The facet codes of a `facet_codes` value (codes_bytes() reversed); one unpack of the
    whole value (the struct module keeps each format compiled)."""
    return struct.unpack(f">{len(column) // 4}i", column)


# A point carries its row's name and facet codes as `row_name` and `row_codes` (migration 0039,
# in the covering index `searchpoint_lat_lon`): a search within a radius, nearest first, finds,
# orders and counts its matches from the points alone (near_ids_count_and_facets). `row_shared`
# (migration 0041): its row has other points, so that only those are grouped by row. All of a
# row's points are written together, from its document.
POINT_COLUMNS = ("row_name", "row_codes", "row_shared")


def point_values(document: Document) -> tuple[Any, ...]:
    return (document.search_name, codes_bytes(document.facet_codes()), len(document.points) > 1)


def replace_rows(pks: Sequence[int], docs: Sequence[Document]) -> None:
    """Make the narrow rows of the listings `pks` those of `docs`, the documents of the published
    ones: their fields, their facet codes and the vectors of their listings (written by write(),
    or unchanged since). The points of the rows are deleted beforehand (SearchPoint).

    A row whose values are all unchanged is left as it is; the others are deleted, then inserted
    in one statement. Moving places (geocoding) changes the points, not the rows: rewriting every
    row left the table with half-empty pages (no VACUUM moves rows back). Measured after geocoding
    67 000 listings: the table 131 → 64 MB (as imported), and a word in 18 000 of its 60 000 rows
    read 7 700 pages instead of 16 000 (its search's statement 90 → 68 ms, median of 7). Each row
    inserted is written once, with its vectors and codes: an INSERT then an UPDATE wrote it twice,
    with two entries in each of the table's indexes."""
    if not docs:
        delete_of_ids(SearchRow, "association_id", pks)
        return
    fields, values = documents.row_values(docs)
    model_fields = [SearchRow._meta.get_field(name) for name in fields]
    columns: list[str] = [field.column for field in model_fields]  # type: ignore[union-attr, misc]  # concrete fields: a column each
    types = [field.db_type(connection) for field in model_fields]
    payload = json.dumps(
        [
            {**dict(zip(columns, row, strict=True)), "facet_codes": codes_bytes(doc.facet_codes()).hex()}
            for row, doc in zip(values, docs, strict=True)
        ],
        default=_json_value,
    )
    typed = ", ".join([*(f"{_q(c)} {t}" for c, t in zip(columns, types, strict=True)), "facet_codes text"])
    new_rows = f"""
        SELECT {"".join(f"v.{_q(c)}, " for c in columns)}decode(v.facet_codes, 'hex') AS facet_codes,
            a.search_vector
        FROM json_to_recordset(%s::json) AS v({typed})
        LEFT JOIN directory_association AS a ON a.id = v.association_id
    """  # noqa: S608
    unchanged = " AND ".join(
        f"r.{_q(c)} IS NOT DISTINCT FROM n.{_q(c)}" for c in [*columns[1:], "facet_codes", "search_vector"]
    )
    listed = ", ".join([*map(_q, columns), "facet_codes", "search_vector"])
    with connection.cursor() as cursor:
        cursor.execute(
            f"""DELETE FROM directory_searchrow AS r WHERE r.association_id = ANY(%s::bigint[])
            AND NOT EXISTS (
                SELECT 1 FROM ({new_rows}) AS n WHERE n.association_id = r.association_id AND {unchanged}
            )""",  # noqa: S608
            [list(pks), payload],
        )
        cursor.execute(
            f"INSERT INTO directory_searchrow ({listed}) SELECT {listed} FROM ({new_rows}) AS n"  # noqa: S608
            " ON CONFLICT (association_id) DO NOTHING",
            [payload],
        )


def _json_value(value: Any) -> str:
    """A date or datetime of a narrow row in JSON, to the microsecond (json_to_recordset casts it)."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


STAGING_TABLE = "search_new_listing"


def insert_listings(listings: Sequence[dict[str, Any]], documents: Sequence[Document]) -> None:
    """Insert new listings (dicts of every Association field by attname) with their vectors, and
    the narrow rows of the published ones with the same vectors and their facet codes, in one
    statement: each row is written once, where an insert then index() wrote the listing twice
    (an UPDATE writes a new version of the row and of every index entry: half of the import's
    index time).

    The rows are first COPYed into a temporary table of the transaction (psycopg formats them in
    C and the server parses COPY's text several times faster than a JSON document's typed
    fields), dropped at the end. The vectors are computed once, by the expressions of write(),
    and returned by the listing's INSERT to the narrow row's; the categories' vector once per
    distinct text in the batch (a few dozen: every listing of a category has the same one)."""
    fields = Association._meta.concrete_fields
    row_fields = sorted({name for doc in documents if doc.row is not None for name in doc.row})
    columns: list[str] = [field.column for field in fields]  # type: ignore[misc]  # concrete fields: a column each
    staged = [
        *((_q(field.column), field.db_type(connection)) for field in fields),  # type: ignore[arg-type]  # concrete fields: a column each
        *((f"_d_{name}", "text") for name in ("cats", "body", "tags")),
        *((f"_r_{name}", SearchRow._meta.get_field(name).db_type(connection)) for name in row_fields),
        ("_r_facet_codes", "bytea"),
    ]
    json_columns = {i for i, field in enumerate(fields) if field.get_internal_type() == "JSONField"}
    row_columns: list[str] = [SearchRow._meta.get_field(name).column for name in row_fields]  # type: ignore[union-attr, misc]  # concrete fields: a column each
    listing_columns = ", ".join(map(_q, columns))
    # Document.name and .short are the listing's name and short_description: not sent twice.
    head = _weighted("v.name", "c.vector", "v.short_description", "v._d_tags")
    statement = f"""
        WITH c AS MATERIALIZED (
            SELECT cats, {_cats_vector("cats")} AS vector
            FROM (SELECT DISTINCT _d_cats AS cats FROM {STAGING_TABLE}) AS d
        ), w AS MATERIALIZED (
            SELECT v.*, {head} AS _head FROM {STAGING_TABLE} AS v JOIN c ON c.cats = v._d_cats
        ), listing AS (
            INSERT INTO directory_association ({listing_columns}, search_vector)
            SELECT {listing_columns}, {_with_body("_head", "_d_body")} FROM w
            RETURNING id, search_vector
        )
        INSERT INTO directory_searchrow
            (association_id, {"".join(f"{_q(c)}, " for c in row_columns)}facet_codes, search_vector)
        SELECT w.id, {"".join(f"w._r_{name}, " for name in row_fields)}w._r_facet_codes,
            listing.search_vector
        FROM w JOIN listing ON listing.id = w.id
        WHERE w._r_facet_codes IS NOT NULL
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGING_TABLE} ({', '.join(f'{name} {kind}' for name, kind in staged)})"
            " ON COMMIT DROP"
        )
        with cursor.cursor.copy(f"COPY {STAGING_TABLE} FROM STDIN") as copy:
            for listing, doc in zip(listings, documents, strict=True):
                values = [listing[field.attname] for field in fields]
                for i in json_columns:
                    values[i] = None if values[i] is None else json.dumps(values[i])
                values += [doc.cats, doc.body, doc.tags]
                if doc.row is None:
                    values += [None] * (len(row_fields) + 1)
                else:
                    values += [doc.row[name] for name in row_fields]
                    values.append(codes_bytes(doc.facet_codes()))
                copy.write_row(values)
        cursor.execute(statement)
        cursor.execute(f"DROP TABLE {STAGING_TABLE}")


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def count_facets(matches: QuerySet[Any], kinds: Iterable[str]) -> list[FacetCount]:
    """[(kind, value, count)] of the facet codes of these search rows (a SearchRow queryset):
    read by the scan that finds the matches, no join to SearchFacet."""
    codes = matches.order_by().values(codes=RawSQL('"directory_searchrow"."facet_codes"', ()))
    sql, params = codes.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT codes, count(*) FROM ({sql}) AS m GROUP BY codes", params)  # noqa: S608
        return _spread(cursor.fetchall(), kinds)


def _spread(groups: Iterable[tuple[bytes, int]], kinds: Iterable[str]) -> list[FacetCount]:
    """[(kind, value, count)] from [(codes, count)] (documents.spread_facets). Grouping by the set
    costs a third of unnesting every row's codes in SQL; the sets of one count are joined and
    unpacked at once."""
    return documents.spread_facets(groups, kinds, lambda columns: codes_of(b"".join(columns)))


def ids_count_and_facets(
    matches: QuerySet[Any],
    names: list[str],
    order: list[tuple[str, bool, bool | None, bool | None]],
    *,
    carried: int,
    window: int,
    kinds: Iterable[str] | None,
    counted: QuerySet[Any] | None = None,
    in_order: QuerySet[Any] | None = None,
) -> tuple[int, list[tuple[Any, ...]], list[FacetCount], int | None]:
    """One statement for a cold search: (total, [(id, *carried)] of the first `window` in order,
    [(kind, value, count)] of the facet codes of `kinds` (none counted when `kinds` is None: the
    API), how many of the matches are among the ids of `counted` (a subquery of ids, such as the
    listings open now; None without it)).

    `matches` (SearchRow) is read once, into a materialised CTE of its ids, the `carried` values
    that follow (the distance), the ordering keys named in `order` [(name, descending,
    nulls_first, nulls_last)] and the facet codes; the window and the count (or, with `kinds`,
    the facets, whose groups' counts sum to it) are two reads of that CTE (and `counted` a
    third). Before, the ordered ids (with a window COUNT) and the facets were two statements,
    each finding and reading every match again, and the open count a third, which found the
    matches once more when they were more than the window.

    `in_order`: the first `window` ids as a query of their own (values_list of the id, ordered,
    sliced), for an order an index holds (a text by date: SearchResults._in_order), which
    PostgreSQL may answer by reading that index in order and stopping at `window`: a word in
    60 000 listings ordered by date then costs 1 ms rather than keeping and sorting every match
    (30 ms). `order` is then empty, and the matches are grouped without a CTE (_grouped).
    """
    codes = RawSQL('"directory_searchrow"."facet_codes"', ())
    sql, params = matches.values_list(*names, codes).query.sql_with_params()
    if in_order is not None:
        return _grouped(sql, list(params), in_order, kinds=kinds, counted=counted)
    columns = [f"c{i}" for i in range(len(names))]
    counted_sql, counted_params = _counted_part(counted, "c0")
    keys = {name: columns[names.index(name)] for name, *_ in order}
    order_sql = ", ".join(
        f"{keys[name]} {'DESC' if descending else 'ASC'}"
        + (" NULLS FIRST" if nulls_first else " NULLS LAST" if nulls_last else "")
        for name, descending, nulls_first, nulls_last in order
    )
    value = "c1::double precision" if carried else "NULL::double precision"
    first_ones = f"SELECT c0, {value} AS v FROM m ORDER BY {order_sql} LIMIT {int(window)}"  # noqa: S608
    statement = f"""
        WITH m({", ".join(columns)}, codes) AS MATERIALIZED ({sql})
        SELECT 0, c0::bigint, v, row_number() OVER (), NULL::bytea FROM ({first_ones}) AS first_ones
        {_total_or_facets_part(kinds)}
        {counted_sql}
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, *counted_params])
        found = cursor.fetchall()
    total, rows, facets = _parts(found, carried=carried, kinds=kinds)
    return total, rows, facets or [], _counted(found, counted)


def _grouped(
    sql: str,
    params: list[Any],
    in_order: QuerySet[Any],
    *,
    kinds: Iterable[str] | None,
    counted: QuerySet[Any] | None,
) -> tuple[int, list[tuple[Any, ...]], list[FacetCount], int | None]:
    """ids_count_and_facets() when the first ids come from a query of their own (`in_order`):
    the matches (`sql`: their ids and facet codes) are read once more, grouped by their codes
    (the total is the sum of the groups, and `counted` a FILTER of each), with no materialised
    CTE, which only the order of the window needs. A word in 34 000 of 60 000 listings by date:
    33 → 25 ms (`psql`, 3 runs each)."""
    window_sql, window_params = in_order.query.sql_with_params()
    among, among_params = "NULL::double precision", []
    if counted is not None:
        counted_sql, counted_params = counted.query.sql_with_params()
        among = f"(count(*) FILTER (WHERE c0 IN ({counted_sql})))::double precision"
        among_params = list(counted_params)
    if kinds:
        grouped = f"codes FROM ({sql}) AS m(c0, codes) GROUP BY codes"
    else:
        grouped = f"NULL::bytea FROM ({sql}) AS m(c0, codes)"
    statement = f"""
        SELECT 0, c0::bigint, NULL::double precision, row_number() OVER (), NULL::bytea FROM ({window_sql}) AS w(c0)
        UNION ALL SELECT 1, count(*), {among}, NULL, {grouped}
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(statement, [*window_params, *among_params, *params])
        found = cursor.fetchall()
    first = sorted((position, pk) for part, pk, _v, position, _codes in found if part == 0)
    groups = [(n, among_n, codes) for part, n, among_n, _p, codes in found if part == 1]
    total = sum(n for n, _among, _codes in groups)
    facets = _spread([(codes, n) for n, _among, codes in groups], kinds) if kinds else []
    among_total = None if counted is None else int(sum(among_n for _n, among_n, _codes in groups))
    return total, [(pk,) for _position, pk in first], facets, among_total


def _total_or_facets_part(kinds: Iterable[str] | None) -> str:
    """The part 1 of a one-statement search, the total of the matches (the CTE m), or, when
    facet kinds are asked, its part 2: the matches grouped by their facet codes, whose counts
    sum to the total (_parts), so that the matches are not read once more to count them
    (0.6–1.3 ms of a broad word's 25–55)."""
    if kinds:
        return "UNION ALL SELECT 2, count(*), NULL, NULL, codes FROM m GROUP BY codes"
    return "UNION ALL SELECT 1, count(*), NULL, NULL, NULL FROM m"


def _counted_part(counted: QuerySet[Any] | None, column: str) -> Sql:
    """The part 3 of a one-statement search: how many matches (`column` of the CTE m) are among
    the ids of the `counted` subquery; nothing without it."""
    if counted is None:
        return "", []
    sql, params = counted.query.sql_with_params()
    part = f"UNION ALL SELECT 3, count(*), NULL, NULL, NULL FROM m WHERE {column} IN ({sql})"  # noqa: S608
    return part, list(params)


def _counted(found: Sequence[tuple[Any, ...]], counted: QuerySet[Any] | None) -> int | None:
    """The part 3 of a one-statement search (its last row, looked for from the end)."""
    return None if counted is None else next(row[1] for row in reversed(found) if row[0] == 3)


def near_ids_count_and_facets(
    rows: QuerySet[Any],
    point: Point,
    *,
    window: int,
    kinds: Iterable[str] | None,
    counted: QuerySet[Any] | None = None,
) -> tuple[int, list[tuple[Any, ...]], list[FacetCount] | None, int | None]:
    """One statement for a search within a radius ordered by distance, with or without text: (total,
    [(id, distance_km2)] of the first `window`, [(kind, value, count)] or None without `kinds`,
    how many matches are among the ids of `counted` or None without it).

    The points within the radius are read from their covering index (`searchpoint_lat_lon`, which
    holds each point's listing id and its row's name and facet codes: migration 0039); those of
    the listings with several points (`row_shared`, migration 0041, read from a partial index)
    are grouped by listing (the nearest place of each); with text or other filters, only the
    points of `rows`, the matching search rows, are kept (`row_id IN`). Measured on 100 000
    imported registry rows, 34 000 listings within 5 km of Lyon's centre (medians of 7 in
    `psql`): joining the grouped points to every search row for their names and codes 148 ms, the
    points alone 100 ms. With text, the rows' statement found the text's matches, then joined
    each to its points twice (the radius, then the distance): 50 radius searches with text,
    summed medians of 5 alternated runs, 971 → 792 ms, the slowest 56.8 → 44.4 ms. Grouping only
    the listings with several points: 60 radius searches, 794 → 759 and 788 → 746 ms.
    The order is `geo.nearest_first`: distance, name, id (the text's rank is not read).
    """
    if point.radius_km is None:
        raise ValueError("a radius search needs a radius")
    min_lat, max_lat, min_lon, max_lon = point.bounding_box()
    k_lat, k_lon = point.squared_km_factors()
    d2 = "((lat - %s) * %s) * ((lat - %s) * %s) + ((lon - %s) * %s) * ((lon - %s) * %s)"
    d2_params = [point.lat, k_lat, point.lat, k_lat, point.lon, k_lon, point.lon, k_lon]
    rows_sql, rows_params = "", []
    if rows.query.where:  # text or other filters: the points of their rows only
        sql, params = rows.order_by().values_list("pk").query.sql_with_params()
        rows_sql, rows_params = f"AND row_id IN ({sql})", list(params)
    counted_sql, counted_params = _counted_part(counted, "pk")

    # The points of the rows with one point each are taken as they are; those of the rows with
    # several (`row_shared`, their own partial index) are grouped by row, the nearest kept.
    def located(shared: str) -> str:
        return f"""
            SELECT row_id, {d2} AS d2, row_name, row_codes FROM directory_searchpoint
            WHERE lat BETWEEN %s AND %s AND lon BETWEEN %s AND %s AND {shared} {rows_sql}
        """  # noqa: S608

    located_params = [*d2_params, min_lat, max_lat, min_lon, max_lon, *rows_params, point.radius_km**2]
    statement = f"""
        WITH m(pk, d2, name, codes) AS MATERIALIZED (
            SELECT * FROM ({located("NOT row_shared")}) AS single WHERE d2 <= %s
            UNION ALL
            SELECT row_id, min(d2), row_name, row_codes FROM ({located("row_shared")}) AS shared
            WHERE d2 <= %s GROUP BY row_id, row_name, row_codes
        )
        SELECT 0, pk::bigint, d2, row_number() OVER (), NULL::bytea FROM (
            SELECT pk, d2 FROM m ORDER BY d2 ASC, name ASC, pk ASC LIMIT {int(window)}
        ) AS first_ones
        {_total_or_facets_part(kinds)}
        {counted_sql}
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(statement, [*located_params, *located_params, *counted_params])
        found = cursor.fetchall()
    return (*_parts(found, carried=1, kinds=kinds), _counted(found, counted))


# Every published listing in one order: read in order from an index, never sorted. The daily
# shuffle `(id × K + seed) mod M` (search.fair_order) is a rotation of the fixed permutation
# `(id × K) mod M`, which an expression index holds (migration 0024): the ids whose key is at
# least M - seed come first, in key order, then the others. The names and the dates have their
# own indexes (SearchRow.Meta).
EVERY_ORDERS = {
    "nom": ("search_name ASC, association_id ASC", None),
    "recent": ("created_at DESC, association_id DESC", None),
    "pertinence": ("{key} ASC", "{key}"),
}
FAIR_KEY = "mod(association_id * {k}, {m})"
# Every search row's set of facet codes with how many rows hold it (SearchFacetSet, kept by
# triggers on the rows: migration 0042): the total and the facets of every listing, read from a
# few thousand sets rather than from every row (100 000 imported registry rows, 60 358 rows in
# 3 888 sets, `psql`: the total 5.9 → 0.7 ms, the facets 17.2 → 2.3 ms, and about 1 ms to spread
# the sets' codes in Python).
TOTAL = "SELECT coalesce(sum(listings), 0)::bigint FROM directory_searchfacetset"
FACET_SETS = "SELECT codes, listings FROM directory_searchfacetset WHERE listings > 0"


def every_facets(kinds: Iterable[str]) -> list[FacetCount]:
    """[(kind, value, count)] of the facet codes of `kinds` of every search row (every published
    listing), from their sets (SearchFacetSet)."""
    with connection.cursor() as cursor:
        cursor.execute(FACET_SETS)
        return _spread(cursor.fetchall(), kinds)


def every_ids(
    sort: str | None, *, seed: int, offset: int, limit: int, counted: QuerySet[Any] | None = None
) -> tuple[int, list[int], int | None] | None:
    """(total, ids, among): the number of search rows, the ids of the rows in the order of `sort`
    ('pertinence': the daily shuffle of `seed`) from `offset`, at most `limit`, and how many rows
    are among the ids of the `counted` subquery (the listings open now; None without it); None
    for an order without an index. The total and the count among are scalar subqueries, run
    once each (InitPlans)."""
    from directory import search

    if sort not in EVERY_ORDERS:
        return None
    order, rotated = EVERY_ORDERS[sort]
    key = FAIR_KEY.format(k=search.SHUFFLE_K, m=search.SHUFFLE_M)
    order = order.format(key=key)
    end = int(offset) + int(limit)
    among, params = "NULL::bigint", []
    if counted is not None:
        counted_sql, counted_params = counted.query.sql_with_params()
        among = f"(SELECT count(*) FROM directory_searchrow WHERE association_id IN ({counted_sql}))"  # noqa: S608
        params = list(counted_params)
    if rotated is None:
        sql = f"SELECT association_id FROM directory_searchrow ORDER BY {order} LIMIT {end}"  # noqa: S608
        sql = f"SELECT association_id, ({TOTAL}), {among} FROM ({sql}) AS ordered"  # noqa: S608
    else:
        # Each branch reads the expression index in order and stops at `end`; the outer sort
        # orders at most 2 × `end` ids.
        sql = (
            f"SELECT association_id, ({TOTAL}), {among} FROM ("  # noqa: S608
            f"(SELECT 0 AS part, association_id, {key} AS key FROM directory_searchrow"
            f" WHERE {key} >= %s ORDER BY {order} LIMIT {end}) UNION ALL"
            f" (SELECT 1, association_id, {key} FROM directory_searchrow"
            f" WHERE {key} < %s ORDER BY {order} LIMIT {end})"
            f") AS rotated ORDER BY part, key LIMIT {end}"
        )
        pivot = search.SHUFFLE_M - seed
        params += [pivot, pivot]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    if not found:
        with connection.cursor() as cursor:
            cursor.execute(TOTAL)
            return cursor.fetchone()[0], [], None
    return found[0][1], [pk for pk, _total, _among in found][int(offset) :], found[0][2]


def _parts(
    found: Sequence[tuple[Any, ...]], *, carried: int, kinds: Iterable[str] | None
) -> tuple[int, list[tuple[Any, ...]], list[FacetCount] | None]:
    """(total, rows, facets) of the rows of a one-statement search (part 0: the first ids in
    order with the carried value, 1: the total, or 2: the groups of facet codes, whose counts
    sum to the total), in one pass."""
    first, groups, total = [], [], 0
    for part, n, value, position, codes in found:
        if part == 0:
            first.append((position, n, value))
        elif part == 2:
            groups.append((codes, n))
            total += n
        elif part == 1:
            total = n
    first.sort()
    rows = (
        [(pk, value) for _position, pk, value in first] if carried else [(pk,) for _position, pk, _v in first]
    )
    if not kinds:
        return total, rows, None
    return total, rows, _spread(groups, kinds)


def clear_vocabulary() -> None:
    """Empty the typo vocabulary, and make the indexed words those of the rows present (a word
    no row holds any more goes): the rows written next add theirs (migration 0043's triggers)."""
    SearchTerm.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM directory_searchlexeme")
        cursor.execute(
            "INSERT INTO directory_searchlexeme (lexeme) SELECT DISTINCT word"
            " FROM directory_searchrow, unnest(tsvector_to_array(search_vector)) AS word"
        )


def forget(pks: Sequence[int] | None) -> None:
    """Nothing to do: a listing's vector is in its own row and its search row, which go with it."""


# Queries -----------------------------------------------------------------------------------


def _literal(word: str, weights: str, prefix: bool = False) -> str:
    # No weight label for a match on every field: a weighted tsquery forces the GIN index to
    # recheck each row (de-TOASTing its vector), an unweighted one does not.
    weights = "" if weights == ALL else weights
    return f"{word}:*{weights}" if prefix else (f"{word}:{weights}" if weights else word)


def _term_text(term: Term, weights: str) -> str:
    """One term as tsquery text: its forms and its typo candidates (filled by prepare()) OR'ed,
    and the word itself unless its lexemes stand for it (_tsquery_sql)."""
    literals = [
        *([] if term.lexemes is not None else [_literal(term.word, weights, term.prefix)]),
        *(_literal(word, weights) for word in [*term.forms, *term.candidates]),
    ]
    return "(" + " | ".join(literals) + ")"


def _lexemes_text(lexemes: Iterable[str], weights: str) -> str:
    """Indexed words as tsquery text, OR'ed, quoted as the tsquery type reads them (never
    stemmed again)."""
    label = "" if weights == ALL else f":{weights}"
    quoted = (lexeme.replace("\\", "\\\\").replace("'", "''") for lexeme in lexemes)
    return " | ".join(f"'{lexeme}'{label}" for lexeme in quoted)


def _tsquery_sql(terms: Iterable[Term], weights: str) -> Sql:
    """The terms AND'ed, as a constant: to_tsquery(regconfig, text) is IMMUTABLE, so PostgreSQL
    folds it while planning and estimates the matches from the column's statistics (a word in
    60 000 rows or in 50 is planned as such), where a subquery left it guessing.

    A prefix whose indexed words prepare() found (Term.lexemes) is asked as those words, typed as
    a tsquery (`'quarti'::tsquery`), OR'ed with its forms and candidates, which to_tsquery stems:
    a prefix made the GIN index recheck every row it found. 100 000 imported registry rows,
    `q=quartier` (34 000 matches), the statement 57.6 → 46.7 ms (median of 10)."""
    terms = list(terms)
    stemmed = [term for term in terms if term.lexemes is None]
    parts, params = [], []
    if stemmed:
        parts.append(f"to_tsquery('{CONFIG}', %s)")
        params.append(" & ".join(_term_text(term, weights) for term in stemmed))
    for term in terms:
        if term.lexemes is None:
            continue
        if term.forms or term.candidates:
            parts.append(f"(to_tsquery('{CONFIG}', %s) || %s::tsquery)")
            params.append(_term_text(term, weights))
        else:
            parts.append("%s::tsquery")
        params.append(_lexemes_text(term.lexemes, weights))
    return (parts[0] if len(parts) == 1 else "(" + " && ".join(parts) + ")"), params


def _tags_sql(tags: Iterable[str]) -> Sql:
    return "%s::tsquery", [" | ".join(tags)]


def apply(queryset: QuerySet[Any], parsed: ParsedQuery) -> QuerySet[Any]:
    clauses, params = [], []
    if parsed.terms:
        sql, sql_params = _tsquery_sql(parsed.terms, ALL)
        clauses.append(sql)
        params.extend(sql_params)
    if parsed.areas:
        # In a named area, or naming it in the text ("Amicale de Vaulx" has moved to Bron).
        tags_sql, tags_params = _tags_sql([area_tag(pk) for pk in parsed.area_ids()])
        words = " ".join(parsed.place_words)
        clauses.append(f"({tags_sql} || plainto_tsquery('{CONFIG}', %s))")
        params.extend([*tags_params, words])
    # The territoire and categorie filters' tags (documents.within_tags), each one more term of
    # the constant: 100 000 imported registry rows, `q=colis&territoire=lyon-6` (14 962 listings
    # with the word, 946 in the 6th), the search's statement 18–28 → 8–9 ms (`psql`, 3 runs each).
    for tag in documents.within_tags(parsed):
        tag_sql, tag_params = _tags_sql([tag])
        clauses.append(tag_sql)
        params.extend(tag_params)
    match = RawSQL(f"search_vector @@ ({' && '.join(clauses)})", params, output_field=BooleanField())  # noqa: S611
    return queryset.filter(match).annotate(rank=RawSQL(*_rank_sql(parsed), output_field=FloatField()))  # type: ignore[no-any-return]  # noqa: S611


def _rank_sql(parsed: ParsedQuery) -> Sql:
    """The tiers of the rank (directory/search/tiers.py), each a CASE WHEN over `search_vector`,
    summed: a WORDS tier asks for its fields' weights (A to C: the description, D, never counts),
    a CATEGORIES or PLACES tier for its tags (`xc12`, `xa34`).

    The rank read a second vector without the description (`search_head`), so that a long
    description, moved out of the row (TOAST), was never read back to rank its listing. It made
    every narrow row 1 046 bytes instead of 630 (100 000 imported registry rows: 8 041 pages
    instead of 4 930), and a broad word reads nearly every page: dropped (migration 0040), its
    statements took 10–18 % less (`q=organiser&tri=recent`, every row matched, 47.9 → 39.1 ms;
    `q=arts`, 14 850 matches ranked, 30.1 → 26.3; medians of 7). A vector is moved out of its row
    past about 2 KB: only the longest descriptions' listings pay a read back when ranked.

    The WORDS tiers are nested, widest fields first, when each one's fields hold the next one's
    (every word in the name is also in the name or the categories): a listing whose words are
    in its description alone is checked once, not once per tier. Measured on a word in 20 000 of
    100 000 imported listings: the rank's checks 60 000 → 42 000, the rank over its matches
    46–52 → 31–40 ms (`psql`, 4 runs each)."""
    active = tiers.active(parsed)
    words = sorted((t for t in active if t.reads is tiers.Reads.WORDS), key=lambda t: -len(t.fields))
    nested = all(set(inner.fields) < set(outer.fields) for outer, inner in itertools.pairwise(words))
    parts, params = [], []
    if nested and words:
        sql, sql_params = "0", list[Any]()
        for tier in reversed(words):  # innermost (fewest fields) first
            condition, condition_params = _tier_condition(tier, parsed)
            points, points_params = _points(tier, parsed)
            sql = f"CASE WHEN {condition} THEN {points} + {sql} ELSE 0 END"
            sql_params = [*condition_params, *points_params, *sql_params]
        parts.append(sql)
        params.extend(sql_params)
    for tier in active:
        if nested and tier.reads is tiers.Reads.WORDS:
            continue
        condition, condition_params = _tier_condition(tier, parsed)
        points, points_params = _points(tier, parsed)
        parts.append(f"CASE WHEN {condition} THEN {points} ELSE 0 END")
        params.extend([*condition_params, *points_params])
    return "(" + " + ".join(parts or ["0"]) + ")", params


def _points(tier: tiers.Tier, parsed: ParsedQuery) -> Sql:
    """The points of a tier, with its short-name bonus."""
    if not tier.short_name_bonus:
        return str(tier.points), []
    words = "length(search_name) - length(replace(search_name, ' ', '')) + 1"
    return f"({tier.points} + CASE WHEN {words} <= %s THEN {tier.short_name_bonus} ELSE 0 END)", [
        tiers.short_name_words(parsed)
    ]


def _tier_condition(tier: tiers.Tier, parsed: ParsedQuery) -> Sql:
    if tier.reads is tiers.Reads.EXACT_NAME:
        return "search_name = %s", [parsed.phrase]
    if tier.reads is tiers.Reads.WORDS:
        weights = "".join(sorted(WEIGHTS[field] for field in tier.fields))
        sql, params = _tsquery_sql(parsed.rank_terms, weights)
    else:
        sql, params = _tags_sql(tiers.tags(tier, parsed))
    return f"search_vector @@ {sql}", params


# A prefix standing for more indexed words than this is asked as a prefix ("as" in a query).
PREFIX_LEXEMES = 64


def prepare(parsed: ParsedQuery) -> ParsedQuery:
    """Before the search, in one query when the query has such words, so that the search's
    tsquery is a constant: the typo candidates of the long words the vocabulary does not hold
    (as on SQLite), and the indexed words the prefix (the last word) stands for
    (`directory_searchlexeme`, migration 0043). Once per request for the same words (the wider
    searches of directory/relax.py keep them)."""
    fuzzy = sorted({term.word for term in parsed.terms if term.fuzzy})
    prefixes = sorted({term.word for term in parsed.terms if term.prefix})
    if not fuzzy and not prefixes:
        return parsed
    key = f"search-words:{' '.join(fuzzy)}|{' '.join(prefixes)}"
    candidates, lexemes = request_memo.remembered(key, lambda: _look_up(fuzzy, prefixes))
    for term in parsed.terms:
        if term.fuzzy:
            term.candidates = candidates.get(term.word, [])
        if term.prefix:
            term.lexemes = lexemes.get(term.word)
    return parsed


def _look_up(fuzzy: list[str], prefixes: list[str]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """({word: its closest vocabulary words (pg_trgm), nearest first} for the `fuzzy` words the
    vocabulary does not hold, {word: the indexed words its stem begins} for the `prefixes` whose
    stem is one word begun by 1 to PREFIX_LEXEMES indexed words)."""
    candidates: dict[str, list[str]] = {}
    lexemes: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(LOOK_UP_SQL, [fuzzy, prefixes])
        for kind, word, value, _distance in sorted(
            cursor.fetchall(), key=lambda row: (*row[:2], row[3] or 0, row[2])
        ):
            (candidates if kind == 0 else lexemes).setdefault(word, []).append(value)
    return candidates, {word: found for word, found in lexemes.items() if len(found) <= PREFIX_LEXEMES}


# The typo candidates (kind 0), then the indexed words a prefix's stem begins (kind 1): the
# words from its stem up to its stem followed by the last character, in the table's byte order.
LOOK_UP_SQL = f"""
SELECT 0, w.word, c.term, c.distance FROM unnest(%s::text[]) AS w(word)
CROSS JOIN LATERAL (
    SELECT t.term, t.term <-> w.word AS distance FROM directory_searchterm t
    WHERE t.term %% w.word ORDER BY t.term <-> w.word LIMIT {TYPO_CANDIDATES}
) AS c
WHERE NOT EXISTS (SELECT 1 FROM directory_searchterm k WHERE k.term = w.word)
UNION ALL
SELECT 1, w.word, x.lexeme, NULL FROM unnest(%s::text[]) AS w(word)
CROSS JOIN LATERAL (SELECT tsvector_to_array(to_tsvector('{CONFIG}', w.word)) AS stems) AS s
CROSS JOIN LATERAL (
    SELECT l.lexeme FROM directory_searchlexeme l
    WHERE cardinality(s.stems) = 1
        AND l.lexeme >= s.stems[1] COLLATE "C" AND l.lexeme < (s.stems[1] || chr(1114111)) COLLATE "C"
    ORDER BY l.lexeme LIMIT {PREFIX_LEXEMES + 1}
) AS x
"""  # noqa: S608
