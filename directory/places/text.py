"""The words of a place name, normalised the same way for the index and for what is typed.

"12 bd des Belges" → number "12", words ["boulevard", "belges"]: accents and case folded
(directory.text.normalize), the usual abbreviations of French street names spelled out, the
small words (de, du, la…) dropped, "8ème" read as "8e".
"""

import re

from directory.text import STOP_WORDS
from directory.text import normalize as normalize

ABBREVIATIONS = {
    "all": "allee",
    "av": "avenue",
    "ave": "avenue",
    "bd": "boulevard",
    "bld": "boulevard",
    "blvd": "boulevard",
    "bvd": "boulevard",
    "ch": "chemin",
    "che": "chemin",
    "chem": "chemin",
    "crs": "cours",
    "fg": "faubourg",
    "fbg": "faubourg",
    "gal": "general",
    "gen": "general",
    "imp": "impasse",
    "mal": "marechal",
    "mgr": "monseigneur",
    "mte": "montee",
    "pas": "passage",
    "pdt": "president",
    "pl": "place",
    "pte": "porte",
    "qu": "quai",
    "r": "rue",
    "rte": "route",
    "sq": "square",
    "st": "saint",
    "ste": "sainte",
    "sts": "saints",
}
# Street types: a name without its type still designates the street ("12 Marseille").
STREET_TYPES = frozenset(
    [
        "allee",
        "avenue",
        "boulevard",
        "chemin",
        "cours",
        "faubourg",
        "impasse",
        "montee",
        "passage",
        "place",
        "quai",
        "route",
        "rue",
        "square",
        "voie",
        "sentier",
        "chemin",
        "esplanade",
        "parvis",
        "promenade",
        "rampe",
        "clos",
        "cite",
        "residence",
        "hameau",
    ]
)
# The BAN's `rep` of a number: "bis", "ter", "quater" or a letter ("12 a").
NUMBER_SUFFIXES = frozenset({"bis", "ter", "quater", "a", "b", "c", "d"})
_ORDINAL = re.compile(r"^(\d{1,2})(?:e|eme|er|ere|em)$")
_NUMBER = re.compile(r"^(\d{1,4})([a-z]{0,6})$")
# Words kept although the search drops them: "a" is a frequent suffix ("12 a"), "sur" names
# communes ("Neuville-sur-Saône") and is harmless.
PLACE_STOP_WORDS = STOP_WORDS - {"sur"}


def words(text: str) -> list[str]:
    """The normalised words of a name: abbreviations spelled out, small words dropped."""
    out = []
    for word in normalize(text).split():
        ordinal = _ORDINAL.match(word)
        if ordinal:
            word = f"{int(ordinal.group(1))}e"
        word = ABBREVIATIONS.get(word, word)
        if word not in PLACE_STOP_WORDS:
            out.append(word)
    return out


def key(text: str) -> str:
    return " ".join(words(text))


def split_number(text: str) -> tuple[str, str, str]:
    """("12", "bis", "rue de marseille") from "12 bis, rue de Marseille"; ("", "", text) without."""
    parts = normalize(text).split()
    if not parts:
        return "", "", ""
    match = _NUMBER.match(parts[0])
    if not match or (match.group(2) and match.group(2) not in NUMBER_SUFFIXES):
        return "", "", " ".join(parts)
    number, suffix, rest = str(int(match.group(1))), match.group(2), parts[1:]
    if not suffix and len(rest) > 1 and rest[0] in NUMBER_SUFFIXES:
        suffix, rest = rest[0], rest[1:]
    return number, suffix, " ".join(rest)


def within_one(a: str, b: str) -> bool:
    """True if a and b differ by at most one edit (insertion, deletion, substitution, or the
    transposition of two neighbours)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        return a[i + 1 :] == b[i + 1 :] or (a[i + 2 :] == b[i + 2 :] and a[i : i + 2] == b[i : i + 2][::-1])
    return a[i:] == b[i + 1 :]


def deletes(word: str) -> set[str]:
    """The word and each of its one-letter deletions (the keys of the typo index)."""
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}
