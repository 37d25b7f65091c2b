"""SQLite: an FTS5 table of Snowball stems, its rowid the listing's id.

A text search reads the narrow search rows (directory.models.SearchRow), as on PostgreSQL: the
FTS5 query that matches runs once as an id list, and each rank tier is one more FTS5 query run
once (see Tiers), so no match looks up its FTS row.

FTS5 has no French stemmer, so the indexer writes stems (snowballstemmer, the same Snowball
algorithm as PostgreSQL's french_stem) and queries are stemmed the same way. Typo candidates come
from `directory_searchterm` in one small query, run only when a long query word is present.
"""

from __future__ import annotations

import difflib
import itertools
import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import F, FloatField, Q
from django.db.models.expressions import Expression, RawSQL
from django.db.models.functions import Length

from directory import bulk
from directory.models import SearchRow, SearchTerm
from directory.queries import delete_of_ids, ids_subquery

from . import documents, tiers
from .documents import area_tag
from .query import stem, stem_text

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models import QuerySet
    from django.db.models.sql.compiler import SQLCompiler

    from . import FacetCount
    from .documents import Document
    from .query import ParsedQuery, Term

# A tier and its FTS5 query (the arguments of Tiers).
TierQuery = tuple[tiers.Tier, str]

TABLE = "directory_search_fts"
TEXT_COLUMNS = "{name cats short body}"
TYPO_CANDIDATES = 3
TYPO_CUTOFF = 0.75


def write(documents: Sequence[Document]) -> None:
    pks = [doc.pk for doc in documents]
    forget(pks)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {TABLE}(rowid, name, cats, short, body, tags) VALUES (%s, %s, %s, %s, %s, %s)",  # noqa: S608
            [
                (
                    doc.pk,
                    stem_text(doc.name),
                    stem_text(doc.cats),
                    stem_text(doc.short),
                    stem_text(doc.body),
                    doc.tags,
                )
                for doc in documents
            ],
        )
        cursor.executemany(
            "UPDATE directory_association SET search_name = %s, search_text = %s WHERE id = %s",
            [(doc.search_name, doc.search_text, doc.pk) for doc in documents],
        )


# The FTS5 table is matched by rowid, the narrow search row's id: text searches read the
# narrow rows, as on PostgreSQL. The narrow rows carry the facet values (count_facets).
ROWS_HOLD_TEXT = True
ROWS_HOLD_FACETS = True
# A point is its place alone here: the distance searches join the points to the rows (geo.within).
POINT_COLUMNS: tuple[str, ...] = ()


def point_values(document: Document) -> tuple[Any, ...]:
    return ()


def replace_rows(pks: Sequence[int], docs: Sequence[Document]) -> None:
    """Make the narrow rows of the listings `pks` those of `docs`, the documents of the published
    ones, with their facet codes (a JSON array of Document.facet_codes(), the column of migration
    0023): each row deleted, then inserted once (SQLite
    reuses the space of deleted rows: no table grows half empty here)."""
    delete_of_ids(SearchRow, "association_id", pks)  # their points are gone already (search._write_rows)
    fields, values = documents.row_values(docs)
    codes = [json.dumps(doc.facet_codes()) for doc in docs]
    rows = [(*row, row_codes) for row, row_codes in zip(values, codes, strict=True)]
    bulk.insert_rows(SearchRow, fields, rows, columns=["facet_codes"])


def count_facets(matches: QuerySet[Any], kinds: Iterable[str]) -> list[FacetCount]:
    """[(kind, value, count)] of the facet codes of these search rows (a SearchRow queryset):
    read from the rows the match reads, no second id list nor SearchFacet probe per match. The
    matches are grouped by their set of codes (a JSON array) and the sets spread in Python
    (documents.spread_facets), as on PostgreSQL. json_each() unnested every row's codes and
    grouped them in SQL before: ten words in 2 202 to 12 053 of the 12 053 rows of the 20 000-row
    bench database, medians of 5, spreading included, 95.7 → 86.2 ms summed, the broadest
    20.5 → 17.3 ms."""
    codes = matches.order_by().values(codes=RawSQL('"directory_searchrow"."facet_codes"', ()))
    sql, params = codes.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT codes, count(*) FROM ({sql}) AS m GROUP BY codes", params)  # noqa: S608
        groups = cursor.fetchall()
    return documents.spread_facets(groups, kinds, _codes_of)


def _codes_of(columns: list[str]) -> list[int]:
    """The codes of these `facet_codes` values (JSON arrays of integers), one after the other:
    parsed as one array."""
    return json.loads("[" + ",".join(column[1:-1] for column in columns if len(column) > 2) + "]")  # type: ignore[no-any-return]


def clear_vocabulary() -> None:
    SearchTerm.objects.all().delete()


def forget(pks: Sequence[int] | None) -> None:
    """Delete the FTS rows of these listings, or (None) of every listing gone. A deleted listing's
    row goes with it (signals.listing_deleted): a trigger would not survive SQLite's table
    rebuilds in later migrations. Each write once looked for such rows over the whole table, 18 ms
    for 13 341 listings on every save of one; a listing deleted outside the ORM leaves a row that
    never matches (the search reads the narrow rows, which go with it), until `rebuild()`."""
    with connection.cursor() as cursor:
        if pks is None:
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid NOT IN (SELECT id FROM directory_association)")  # noqa: S608
            return
        ids = ids_subquery(pks)
        cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({ids.sql})", ids.params)  # noqa: S608


# Queries -----------------------------------------------------------------------------------


def prepare(parsed: ParsedQuery) -> ParsedQuery:
    """Fill typo candidates of unknown long words: one query over the vocabulary, if needed."""
    fuzzy = [term for term in parsed.terms if term.fuzzy]
    if not fuzzy:
        return parsed
    window = Q()
    for term in fuzzy:
        window |= Q(
            term__gte=term.word[0],
            term__lt=chr(ord(term.word[0]) + 1),
            size__gte=len(term.word) - 2,
            size__lte=len(term.word) + 2,
        )
    known = list(
        SearchTerm.objects.annotate(size=Length("term")).filter(window).values_list("term", flat=True)
    )
    vocabulary = set(known)
    for term in fuzzy:
        if term.word not in vocabulary:
            term.candidates = difflib.get_close_matches(
                term.word, known, n=TYPO_CANDIDATES, cutoff=TYPO_CUTOFF
            )
    return parsed


def _stems(term: Term) -> list[tuple[str, bool]]:
    """(stem, is_prefix) pairs accepted for a term."""
    found = [(stem(term.word), term.prefix)]
    found += [(stem(form), False) for form in [*term.forms, *term.candidates]]
    seen: set[tuple[str, bool]]
    unique: list[tuple[str, bool]]
    seen, unique = set(), []
    for item in found:
        if item[0] and item not in seen:
            seen.add(item)
            unique.append(item)
    return unique


def _fts_term(term: Term) -> str:
    return "(" + " OR ".join(f'"{s}"*' if prefix else f'"{s}"' for s, prefix in _stems(term)) + ")"


def match_expression(parsed: ParsedQuery) -> str:
    groups: list[str] = []
    if parsed.terms:
        groups.append(f"{TEXT_COLUMNS} : (" + " AND ".join(_fts_term(t) for t in parsed.terms) + ")")
    if parsed.areas:
        tags = " OR ".join(area_tag(pk) for pk in parsed.area_ids())
        words = " AND ".join(f'"{stem(w)}"' for w in parsed.place_words)
        groups.append(f"({{tags}} : ({tags}) OR {TEXT_COLUMNS} : ({words}))")
    groups.extend(f"{{tags}} : {tag}" for tag in documents.within_tags(parsed))
    return " AND ".join(f"({group})" for group in groups)


def _in_columns(columns: Iterable[str], terms: Iterable[Term]) -> str:
    """FTS5 syntax: every term in one of the columns (one of its stems, a prefix for the last word)."""
    return "{" + " ".join(columns) + "} : (" + " AND ".join(_fts_term(t) for t in terms) + ")"


def _tags(tags: Iterable[str]) -> str:
    return "{tags} : (" + " OR ".join(tags) + ")"


def _word_count(sql: str) -> str:
    return f"(length({sql}) - length(replace({sql}, ' ', '')) + 1)"


def _tier_queries(parsed: ParsedQuery) -> dict[str, Any]:
    """The rank tiers that apply (directory/search/tiers.py), each with its FTS5 query, and the
    word counts they compare the name with, as plain values (Tiers' arguments)."""
    exact = stem_text(parsed.phrase) if parsed.rank_terms else ""
    queries: list[TierQuery] = []
    for tier in tiers.active(parsed):
        if tier.reads is tiers.Reads.EXACT_NAME:
            if not exact:
                continue
            # The exact name: its stems are the whole name column (from its first token).
            query = f'{{name}} : ^"{exact}"'
        elif tier.reads is tiers.Reads.WORDS:
            query = _in_columns(tier.fields, parsed.rank_terms)
        else:
            query = _tags(tiers.tags(tier, parsed))
        queries.append((tier, query))
    return {
        "queries": tuple(queries),
        "exact_words": len(exact.split()),
        "short_words": tiers.short_name_words(parsed),
    }


def _nested(word_tiers: list[TierQuery]) -> list[TierQuery] | None:
    """The WORDS tiers, narrowest first, if each one's fields hold the previous one's (a match
    of a narrower tier then always matches the wider ones); else None."""
    ordered = sorted(word_tiers, key=lambda item: len(item[0].fields))
    for (inner, _), (outer, _) in itertools.pairwise(ordered):
        if not set(inner.fields) <= set(outer.fields):
            return None
    return ordered


class Tiers(Expression):
    """The rank of a text search: the tiers of directory/search/tiers.py, summed.

    Each tier is `pk IN (SELECT rowid FROM fts WHERE fts MATCH …)`: an uncorrelated list that
    SQLite builds once per query (a temporary index) and probes per match; the FTS row of a
    match is never looked up. The word counts read `search_name` (the normalised name, on the
    listing and on its narrow search row alike; one stem per word in the FTS name column).
    """

    output_field = FloatField()
    # F("pk"), F("search_name") until resolved, then the columns they resolve to.
    pk: Any
    name: Any

    def __init__(self, *, queries: tuple[TierQuery, ...], exact_words: int, short_words: int) -> None:
        super().__init__()
        self.queries, self.exact_words, self.short_words = queries, exact_words, short_words
        self.pk, self.name = F("pk"), F("search_name")

    def get_source_expressions(self) -> list[Any]:
        return [self.pk, self.name]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.pk, self.name = exprs

    def as_sql(  # type: ignore[override]  # Django takes the params as a list or a tuple
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, list[Any]]:
        pk, pk_params = compiler.compile(self.pk)
        name, name_params = compiler.compile(self.name)
        words, words_params = _word_count(name), [*name_params, *name_params]
        member = f"{pk} IN (SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s)"  # noqa: S608

        def case(
            query: str,
            points: str,
            points_params: Iterable[Any] = (),
            *,
            condition: str = "",
            condition_params: Iterable[Any] = (),
        ) -> tuple[str, list[Any]]:
            sql = f"CASE WHEN {condition}{member} THEN {points} ELSE 0 END"
            return sql, [*condition_params, *pk_params, query, *points_params]

        def points(tier: tiers.Tier) -> tuple[str, list[Any]]:
            if not tier.short_name_bonus:
                return str(tier.points), []
            bonus = f"CASE WHEN {words} <= %s THEN {tier.short_name_bonus} ELSE 0 END"
            return f"{tier.points} + {bonus}", [*words_params, self.short_words]

        word_tiers = [item for item in self.queries if item[0].reads is tiers.Reads.WORDS]
        nested = _nested(word_tiers)
        parts: list[str] = []
        params: list[Any] = []
        for tier, query in self.queries:
            if tier.reads is tiers.Reads.EXACT_NAME:
                # As many words as the query's stems, the first one at the start of the name.
                count = [*words_params, self.exact_words]
                sql, sql_params = case(
                    query, *points(tier), condition=f"{words} = %s AND ", condition_params=count
                )
            elif nested and (tier, query) == word_tiers[0]:
                # Each word tier inside the next wider one, so a match outside the widest (found
                # in its description only) probes one list, not one per tier.
                sql, sql_params = case(nested[0][1], *points(nested[0][0]))
                for wider, wider_query in nested[1:]:
                    wider_points, wider_params = points(wider)
                    sql, sql_params = case(
                        wider_query, f"{wider_points} + {sql}", [*wider_params, *sql_params]
                    )
            elif nested and tier.reads is tiers.Reads.WORDS:
                continue  # rendered with the first word tier
            else:
                sql, sql_params = case(query, *points(tier))
            parts.append(sql)
            params.extend(sql_params)
        return "(" + " + ".join(parts or ["0"]) + ")", params


def apply(queryset: QuerySet[Any], parsed: ParsedQuery) -> QuerySet[Any]:
    # The FTS5 query runs once, as an IN list that the rows are then read from by id (the
    # narrow search rows, see directory.filters): no join, which would let SQLite probe the
    # FTS table once per row, re-running MATCH each time.
    matching = RawSQL(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [match_expression(parsed)])  # noqa: S608, S611
    return queryset.filter(pk__in=matching).annotate(rank=Tiers(**_tier_queries(parsed)))  # type: ignore[no-any-return]
