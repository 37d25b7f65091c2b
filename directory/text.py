"""Text helpers shared by search, slugs and imports."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")

# Words too common to help a search ("aide aux devoirs" → "aide devoirs").
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


def strip_accents(value):
    """'Épicerie' → 'Epicerie' (œ and æ are spelled out)."""
    value = value.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize(value):
    """Lowercase, accent-free, punctuation folded to single spaces."""
    return _NON_WORD.sub(" ", strip_accents(value or "").lower()).strip()


def search_words(value, limit=12):
    """The meaningful words of a query, normalised, in order, without duplicates."""
    seen = []
    for word in normalize(value).split():
        if word not in STOP_WORDS and word not in seen:
            seen.append(word)
    return seen[:limit]
