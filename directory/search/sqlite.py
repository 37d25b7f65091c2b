"""SQLite: an FTS5 table of Snowball stems, joined to the listings by rowid.

FTS5 has no French stemmer, so the indexer writes stems (snowballstemmer, the same Snowball
algorithm as PostgreSQL's french_stem) and queries are stemmed the same way. Typo candidates come
from `directory_searchterm` in one small query, run only when a long query word is present.
"""

import difflib

from django.db import connection
from django.db.models import F, FloatField, Q
from django.db.models.expressions import Expression, RawSQL
from django.db.models.functions import Length

from directory.models import SearchTerm

from .documents import area_tag, category_tag
from .query import stem, stem_text

TABLE = "directory_search_fts"
TEXT_COLUMNS = "{name cats short body}"
TYPO_CANDIDATES = 3
TYPO_CUTOFF = 0.75


def write(documents):
    pks = [doc.pk for doc in documents]
    with connection.cursor() as cursor:
        # Rows of deleted listings (a trigger would not survive SQLite's table rebuilds in later
        # migrations); they never match anyway, since the search filters listings by id.
        cursor.execute(f"DELETE FROM {TABLE} WHERE rowid NOT IN (SELECT id FROM directory_association)")  # noqa: S608
        for start in range(0, len(pks), 500):
            chunk = pks[start : start + 500]
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({', '.join(['%s'] * len(chunk))})", chunk)  # noqa: S608
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


# The FTS5 table is matched by rowid: text searches keep the listing table as their base.
ROWS_HOLD_TEXT = False
# Facets are counted from SearchFacet (directory/facets.py).
ROWS_HOLD_FACETS = False


def write_rows(pks):
    """Nothing to copy: the narrow search rows hold no text on SQLite."""


def clear_vocabulary():
    SearchTerm.objects.all().delete()


# Queries -----------------------------------------------------------------------------------


def prepare(parsed):
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


def _stems(term):
    """(stem, is_prefix) pairs accepted for a term."""
    found = [(stem(term.word), term.prefix)]
    found += [(stem(form), False) for form in [*term.forms, *term.candidates]]
    seen, unique = set(), []
    for item in found:
        if item[0] and item not in seen:
            seen.add(item)
            unique.append(item)
    return unique


def _fts_term(term):
    return "(" + " OR ".join(f'"{s}"*' if prefix else f'"{s}"' for s, prefix in _stems(term)) + ")"


def match_expression(parsed):
    groups = []
    if parsed.terms:
        groups.append(f"{TEXT_COLUMNS} : (" + " AND ".join(_fts_term(t) for t in parsed.terms) + ")")
    if parsed.areas:
        tags = " OR ".join(area_tag(pk) for pk in parsed.area_ids())
        words = " AND ".join(f'"{stem(w)}"' for w in parsed.place_words)
        groups.append(f"({{tags}} : ({tags}) OR {TEXT_COLUMNS} : ({words}))")
    return " AND ".join(f"({group})" for group in groups)


def _column_has_sql(column, term):
    """SQL true when one of the term's stems is a word of the column (a prefix for the last word)."""
    parts, params = [], []
    for value, prefix in _stems(term):
        parts.append(f"(' ' || {TABLE}.{column} || ' ') LIKE %s")
        params.append(f"% {value}%" if prefix else f"% {value} %")
    return "(" + " OR ".join(parts) + ")", params


def _all_terms_in_sql(columns, terms):
    clauses, params = [], []
    for term in terms:
        ors = []
        for column in columns:
            sql, column_params = _column_has_sql(column, term)
            ors.append(sql)
            params.extend(column_params)
        clauses.append("(" + " OR ".join(ors) + ")")
    return " AND ".join(clauses), params


def _tags_sql(tags):
    ors = " OR ".join(f"(' ' || {TABLE}.tags || ' ') LIKE %s" for _tag in tags)
    return f"({ors})", [f"% {tag} %" for tag in tags]


def _rank_sql(parsed):
    """The tiers of the PostgreSQL backend, read from the stemmed columns of the FTS row."""
    parts, params = [], []
    terms = parsed.rank_terms
    if terms:
        parts.append(f"CASE WHEN {TABLE}.name = %s THEN 8 ELSE 0 END")
        params.append(stem_text(parsed.phrase))
        sql, sql_params = _all_terms_in_sql(["name"], terms)
        parts.append(
            f"CASE WHEN {sql} THEN 4 + CASE WHEN length({TABLE}.name)"
            f" - length(replace({TABLE}.name, ' ', '')) + 1 <= %s THEN 1 ELSE 0 END"
            " ELSE 0 END"
        )
        params.extend([*sql_params, 3 * len(terms)])
        for columns, points in ((["name", "cats"], 2), (["name", "cats", "short"], 1)):
            sql, sql_params = _all_terms_in_sql(columns, terms)
            parts.append(f"CASE WHEN {sql} THEN {points} ELSE 0 END")
            params.extend(sql_params)
    if parsed.categories:
        sql, sql_params = _tags_sql([category_tag(pk) for pk in parsed.category_ids()])
        parts.append(f"CASE WHEN {sql} THEN 3 ELSE 0 END")
        params.extend(sql_params)
    if parsed.areas:
        sql, sql_params = _tags_sql([area_tag(pk) for pk in parsed.area_ids()])
        parts.append(f"CASE WHEN {sql} THEN 3 ELSE 0 END")
        params.extend(sql_params)
    return "(" + " + ".join(parts or ["0"]) + ")", params


class RowRank(Expression):
    """The rank SQL read from the listing's FTS row, found by rowid (a plain B-tree lookup)."""

    output_field = FloatField()

    def __init__(self, sql, params):
        super().__init__()
        self.sql, self.params, self.outer = sql, params, F("pk")

    def get_source_expressions(self):
        return [self.outer]

    def set_source_expressions(self, exprs):
        [self.outer] = exprs

    def as_sql(self, compiler, connection):
        outer_sql, outer_params = compiler.compile(self.outer)
        sql = f"(SELECT {self.sql} FROM {TABLE} WHERE {TABLE}.rowid = {outer_sql})"  # noqa: S608
        return sql, [*self.params, *outer_params]


def apply(queryset, parsed):
    # The FTS5 query runs once, as an IN subquery: joining the FTS table instead lets SQLite
    # probe it once per listing, re-running MATCH each time.
    matching = RawSQL(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [match_expression(parsed)])  # noqa: S608, S611
    return queryset.filter(pk__in=matching).annotate(rank=RowRank(*_rank_sql(parsed)))
