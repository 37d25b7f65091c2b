"""The rank of a text search: one table of tiers, summed, that both backends render.

A few discrete tiers rather than a fine score, so that equals stay equal and the daily shuffle
(`search.fair_order`) orders them. Points are whole numbers: `search.ranked_order` packs the
rank and the shuffle's key into one integer. PostgreSQL renders each tier as a `CASE WHEN` over the
weighted `search_vector` (`postgres._rank_sql`), SQLite as a `CASE WHEN` over an FTS5
query (`sqlite.Tiers`): a change of points, or a new tier, is made here once.

What a tier reads:
- `EXACT_NAME`: the normalised name is the whole query (`ParsedQuery.phrase`);
- `WORDS`: every ranked query word (`ParsedQuery.rank_terms`) in one of `fields`, the indexed
  fields of directory/search/documents.py (`WEIGHTS` gives their PostgreSQL weights);
- `CATEGORIES`, `PLACES`: a category or a place named in the query (their tags).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .documents import area_tag, category_tag

if TYPE_CHECKING:
    from .query import ParsedQuery


class Reads(enum.Enum):
    EXACT_NAME = "exact name"
    WORDS = "words"
    CATEGORIES = "categories"
    PLACES = "places"


@dataclass(frozen=True)
class Tier:
    name: str
    points: int
    reads: Reads
    fields: tuple[str, ...] = ()  # WORDS: the fields every word must be found in (any of them)
    short_name_bonus: int = 0  # added when the name has few words (SHORT_NAME_WORDS per word)


# A name is short when it has at most this many words per ranked query word.
SHORT_NAME_WORDS = 3

TIERS = (
    Tier("exact name", 8, Reads.EXACT_NAME),
    Tier("every word in the name", 4, Reads.WORDS, ("name",), short_name_bonus=1),
    Tier("every word in the name or categories", 2, Reads.WORDS, ("name", "cats")),
    Tier("every word in those or the short description", 1, Reads.WORDS, ("name", "cats", "short")),
    Tier("a named category", 3, Reads.CATEGORIES),
    Tier("a named place", 3, Reads.PLACES),
)


def active(parsed: ParsedQuery) -> list[Tier]:
    """The tiers that can score for this query, in the order of the table."""
    return [tier for tier in TIERS if _applies(tier, parsed)]


def _applies(tier: Tier, parsed: ParsedQuery) -> bool:
    if tier.reads in (Reads.EXACT_NAME, Reads.WORDS):
        return bool(parsed.rank_terms)
    return bool(tags(tier, parsed))


def tags(tier: Tier, parsed: ParsedQuery) -> list[str]:
    """The tags a CATEGORIES or PLACES tier looks for (any of them)."""
    if tier.reads is Reads.CATEGORIES:
        return [category_tag(pk) for pk in parsed.category_ids()]
    if tier.reads is Reads.PLACES:
        return [area_tag(pk) for pk in parsed.area_ids()]
    return []


def short_name_words(parsed: ParsedQuery) -> int:
    """The most words a name may have to earn a short-name bonus for this query."""
    return SHORT_NAME_WORDS * len(parsed.rank_terms)
