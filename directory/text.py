"""Text helpers shared by search, slugs and imports."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")

# Words too common to help a search ("aide aux devoirs" → "aide devoirs"). The one stop-word list:
# the demo logos use it as it is; the duplicate finder and the bench vocabulary extend it with named
# additions of their own rather than keeping lists apart.
STOP_WORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "d",
        "dans",
        "de",
        "des",
        "du",
        "en",
        "et",
        "l",
        "la",
        "le",
        "les",
        "leur",
        "leurs",
        "ou",
        "par",
        "pour",
        "sur",
        "un",
        "une",
    ]
)


def strip_accents(value: str) -> str:
    """'Épicerie' → 'Epicerie' (œ and æ are spelled out).

    Most text is plain ASCII, or becomes so once decomposed: those cases skip the walk over
    each character (the import spends most of its normalisation time there otherwise).
    """
    if value.isascii():
        return value
    value = value.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    decomposed = unicodedata.normalize("NFKD", value)
    if decomposed.isascii():
        return decomposed
    # Remove each distinct mark at C speed rather than testing every character in Python.
    for mark in {ch for ch in set(decomposed) if unicodedata.combining(ch)}:
        decomposed = decomposed.replace(mark, "")
    return decomposed


def normalize(value: str | None) -> str:
    """Lowercase, accent-free, punctuation folded to single spaces."""
    return _NON_WORD.sub(" ", strip_accents(value or "").lower()).strip()


def search_words(value: str, limit: int = 12) -> list[str]:
    """The meaningful words of a query, normalised, in order, without duplicates."""
    seen = []
    for word in normalize(value).split():
        if word not in STOP_WORDS and word not in seen:
            seen.append(word)
    return seen[:limit]
