"""Reading a resident's query: words, place words, category synonyms, typo and stem candidates.

Everything here runs in Python on the in-memory reference snapshot (no SQL): the backends turn a
`ParsedQuery` into their own full-text syntax.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import snowballstemmer

from directory import reference
from directory.text import normalize, search_words

if TYPE_CHECKING:
    from directory.models import Area, Category
    from directory.reference import Snapshot

# Query words of this length or more get typo candidates from the vocabulary when unknown.
FUZZY_MIN_LENGTH = 5
# Adjective and derived endings folded onto their root ("sportive" → "sport", "culturelle" →
# "cultur"): the Snowball stemmer keeps them apart, residents do not.
DERIVED_ENDINGS = ("ives", "ive", "ifs", "if", "elles", "elle", "els", "el")
# Words that ask for a service's terms rather than name them: "cours de français gratuit" is
# French classes that are free (the `gratuit` filter, at service level), not a text "gratuit".
FREE_WORDS = frozenset(["gratuit", "gratuite", "gratuits", "gratuites", "gratuitement", "free"])
WALK_IN_RE = re.compile(r"\bsans (?:rendez vous|rdv)\b")
WALK_IN_WORDS = frozenset(["sans", "rendez", "vous", "rdv"])
# Single words of an area name that are too generic to mean that area on their own.
GENERIC_PLACE_WORDS = frozenset(
    [
        "saint",
        "sainte",
        "lyon",
        "mont",
        "croix",
        "haut",
        "bas",
        "ouest",
        "est",
        "nord",
        "sud",
        "centre",
        "village",
        "parc",
        "coeur",
        "point",
        "jour",
        "plaine",
        "colline",
        "quartiers",
        "anciens",
        "cite",
        "grange",
        "blanche",
        "paul",
        "jean",
        "louis",
        "tete",
        "universites",
        "prefecture",
        "mouche",
        "pierre",
    ]
)


@functools.cache
def _stemmer() -> Any:
    return snowballstemmer.stemmer("french")


# Stems already computed: the indexer stems every word of every listing, and a few thousand
# distinct words make most of them (the Snowball stemmer is pure Python, ≈ 0.1 ms a word).
STEM_CACHE_SIZE = 200_000


@functools.lru_cache(maxsize=STEM_CACHE_SIZE)
def stem(word: str) -> str:
    """The French Snowball stem of a normalised (accent-free) word; numbers are kept whole."""
    if word.isdigit():
        return word
    return _stemmer().stemWord(word)  # type: ignore[no-any-return]  # snowballstemmer is untyped


def stem_text(text: str) -> str:
    """A normalised text as space-separated stems (the SQLite index and its queries)."""
    return " ".join(stem(word) for word in normalize(text).split())


def derived_root(word: str) -> str | None:
    for ending in DERIVED_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return None


@dataclass
class Term:
    """One word the listings must contain (in any of its forms)."""

    word: str
    forms: list[str] = field(default_factory=list)  # other normalised words accepted for it
    prefix: bool = False  # the last word typed: "foot" finds "football"
    fuzzy: bool = False  # long enough for typo candidates when it is not in the vocabulary
    # Typo candidates, filled by a backend that needs them.
    candidates: list[str] = field(default_factory=list)
    # The indexed words a prefix stands for, filled by a backend that asks them instead of the
    # prefix (PostgreSQL: postgres.prepare); None: the prefix is asked as such.
    lexemes: list[str] | None = None


@dataclass
class ParsedQuery:
    raw: str
    words: list[str]  # every meaningful word, normalised
    terms: list[Term]  # the words to match as text
    phrase: str  # the whole query normalised, compared with names for an exact match
    areas: list[Area] = field(default_factory=list)  # areas named in the query
    place_words: list[str] = field(default_factory=list)  # the words that named them
    categories: list[Category] = field(default_factory=list)  # categories whose name or synonym was typed
    # Categories named in English ("food", "french lessons"): the listings are written in
    # French, so these words are not matched as text but keep the listings of those needs.
    needs: list[Category] = field(default_factory=list)
    # "gratuit", "sans rendez-vous" typed in the query: service-level terms (directory/offers/search.py).
    free: bool = False
    walk_in: bool = False
    # The area and category the search is filtered to besides the text (`territoire`,
    # `categorie`): those filters apply anyway; both backends also narrow their text match with
    # their tags (documents.within_tags: a broad word and a small commune).
    within_area: Area | None = None
    within_category: Category | None = None

    @property
    def is_empty(self) -> bool:
        return not self.terms and not self.areas

    @property
    def rank_terms(self) -> list[Term]:
        """The words ranked against names and categories: the text words, or else the place words
        (a query "gerland" puts the association named "Gerland" first)."""
        if self.terms or not self.place_words:
            return self.terms
        return [Term(word=word) for word in self.place_words]

    def area_ids(self) -> list[int]:
        return sorted({area.pk for area in self.areas})

    def category_ids(self) -> list[int]:
        return sorted({category.pk for category in self.categories})


def _area_aliases(area: Area) -> set[str]:
    name = normalize(area.name)
    aliases = {" ".join(search_words(name, limit=20)), " ".join(search_words(area.slug, limit=20))}
    if area.kind == "arrondissement":
        number = area.slug.rsplit("-", 1)[-1]
        for suffix in ("", "e", "er", "eme", "ieme"):
            aliases.add(f"lyon {number}{suffix}")
        aliases.add(f"lyon 0{number}")
    if area.kind != "quartier":  # a quartier shares its arrondissement's postcode
        aliases.update(area.postcode_list)
    return {alias for alias in aliases if alias}


def _cached_on[T](snapshot: Snapshot, name: str, build: Callable[[Snapshot], T]) -> T:
    """Indexes derived from the reference snapshot live on it, so they go when it is reloaded."""
    value: T | None = snapshot.__dict__.get(name)
    if value is None:
        value = snapshot.__dict__[name] = build(snapshot)
    return value


def _place_index(snapshot: Snapshot) -> dict[str, set[Area]]:
    """alias → areas."""
    index: dict[str, set[Area]] = {}
    for area in snapshot.areas.values():
        for alias in _area_aliases(area):
            index.setdefault(alias, set()).add(area)
        words = search_words(area.name, limit=20)
        # Parts of a longer name: "croix rousse" (Croix-Rousse Centre, Pentes de la Croix-Rousse…).
        for size in range(2, len(words)):
            for start in range(len(words) - size + 1):
                index.setdefault(" ".join(words[start : start + size]), set()).add(area)
        # The first word of a commune's name: "vaulx", "caluire", "rillieux".
        if area.kind == "commune" and len(words) > 1:
            first = words[0]
            if len(first) >= 4 and first not in GENERIC_PLACE_WORDS and not first.isdigit():
                index.setdefault(first, set()).add(area)
    for word in GENERIC_PLACE_WORDS:
        index.pop(word, None)
    return index


def _category_index(snapshot: Snapshot) -> dict[str, set[Category]]:
    """phrase (stop words dropped) → categories whose name or synonym it is."""
    index: dict[str, set[Category]] = {}
    for category in snapshot.categories.values():
        for label in [category.name, *category.synonym_list]:
            key = " ".join(search_words(label, limit=20))
            if key:
                index.setdefault(key, set()).add(category)
    return index


def _english_category_index(snapshot: Snapshot) -> dict[str, set[Category]]:
    """English phrase → categories whose English name or synonym it is, for the phrases no
    French name or synonym shares a word with: "food", "homework help", but not "theatre"
    (the words of "Théâtre et cirque") nor "tennis", which stay French text words."""
    french_words: set[str] = set()
    for category in snapshot.categories.values():
        for label in [category.name, *category.synonym_list]:
            french_words.update(search_words(label, limit=20))
    index: dict[str, set[Category]] = {}
    for category in snapshot.categories.values():
        for label in [category.name_en, *category.synonym_list_en]:
            words = search_words(label, limit=20)
            if words and not french_words.intersection(words):
                index.setdefault(" ".join(words), set()).add(category)
    return index


def _most_specific[P: (Area, Category)](found: Iterable[P]) -> list[P]:
    """Drop what is a parent of another match: "69003" means Lyon 3e rather than all of Lyon, and
    "alphabétisation" the sub-need Alphabétisation rather than its parent Apprendre le français."""
    parents = {item.parent_id for item in found}
    return sorted((item for item in found if item.pk not in parents), key=lambda item: item.pk)


def _longest_matches[V](words: list[str], index: dict[str, V], max_size: int = 5) -> list[tuple[int, int, V]]:
    """Greedy longest-first matching of word runs against an index: (start, end, values) triples."""
    found: list[tuple[int, int, V]] = []
    i = 0
    while i < len(words):
        for size in range(min(max_size, len(words) - i), 0, -1):
            values = index.get(" ".join(words[i : i + size]))
            if values:
                found.append((i, i + size, values))
                i += size
                break
        else:
            i += 1
    return found


def parse(text: str | None, *, detect_places: bool = True) -> ParsedQuery:
    """Split a query into text terms, place words and category synonyms."""
    words = search_words(text or "")
    free = bool(FREE_WORDS.intersection(words))
    walk_in = bool(WALK_IN_RE.search(normalize(text or "")))
    if (free or walk_in) and len(words) > 1:
        words = [w for w in words if w not in FREE_WORDS and not (walk_in and w in WALK_IN_WORDS)]
    else:
        free = walk_in = False  # "gratuit" alone is a text word (a listing named so)
    snapshot = reference.get()
    used: set[int]
    areas, place_words, used = [], [], set()
    if detect_places and words:
        for start, end, found in _longest_matches(words, _cached_on(snapshot, "search_places", _place_index)):
            areas.extend(_most_specific(found))
            place_words.extend(words[start:end])
            used.update(range(start, end))
    text_words = [word for i, word in enumerate(words) if i not in used]
    categories = []
    for _start, _end, found in _longest_matches(
        text_words, _cached_on(snapshot, "search_categories", _category_index)
    ):
        categories.extend(_most_specific(found))
    english: set[int]
    needs, english = [], set()
    for start, end, found in _longest_matches(
        text_words, _cached_on(snapshot, "search_categories_en", _english_category_index)
    ):
        needs.extend(_most_specific(found))
        english.update(range(start, end))
    text_words = [word for i, word in enumerate(text_words) if i not in english]
    categories.extend(needs)
    terms = []
    for position, word in enumerate(text_words):
        forms = []
        root = derived_root(word)
        if root:
            forms.append(root)
        terms.append(
            Term(
                word=word,
                forms=forms,
                prefix=position == len(text_words) - 1 and not word.isdigit() and len(word) >= 2,
                fuzzy=len(word) >= FUZZY_MIN_LENGTH and not word.isdigit(),
            )
        )
    return ParsedQuery(
        raw=text or "",
        words=words,
        terms=terms,
        phrase=normalize(text or ""),
        areas=areas,
        place_words=place_words,
        categories=categories,
        needs=needs,
        free=free,
        walk_in=walk_in,
    )
