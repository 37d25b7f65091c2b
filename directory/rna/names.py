"""Readable case for the registry's upper-case names, purposes and street names.

"EPICERIE SOLIDAIRE DE LA GUILLOTIERE" → "Épicerie solidaire de la Guillotière".

The rule, applied only to text that has no lower-case letter at all (text already in mixed
case is kept as written):
- place names of the Métropole (communes, arrondissements, quartiers, from the reference data,
  which carry accents) are matched as whole phrases and take their official spelling;
- a word stays upper case when it is an acronym: it has no vowel (MJC, CCAS, FC), it is in
  the list of known acronyms below, it is written with dots (S.O.S.), it stands alone in
  brackets, it is the association's short title (`titre_court` often holds the acronym), or
  it spells the initials of the words around it; Roman numerals stay upper case too;
- a frequent French word written without its accents gets them back (epicerie → épicerie);
- every other word is lower case; the first letter of each sentence is upper case
  ("sentence" mode, names and purposes) or every word but the small linking words is
  capitalised ("title" mode, street names: "de la République", "Jean Jaurès").

Nothing is guessed beyond that: a word the dictionaries do not know keeps no accent.
"""

import functools
import re
from collections.abc import Iterable
from typing import Any

from directory.text import normalize as _normalize
from directory.text import strip_accents

# Names repeat the same few thousand words: normalise each once.
normalize = functools.lru_cache(maxsize=200_000)(_normalize)

VOWELS = set("AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŸŒÆ")

KNOWN_ACRONYMS = frozenset(
    [
        "ADAPEI",
        "ADMR",
        "AEP",
        "AFEV",
        "AMAP",
        "APE",
        "APEL",
        "APF",
        "AS",
        "ASC",
        "ASPTT",
        "ATD",
        "ATTAC",
        "BDE",
        "CADA",
        "CAF",
        "CCAS",
        "CFDT",
        "CFTC",
        "CGT",
        "CHRS",
        "CHU",
        "CIDFF",
        "CIO",
        "CLAS",
        "CLCV",
        "CNL",
        "CPAM",
        "CSF",
        "EHPAD",
        "ES",
        "ESAT",
        "ESS",
        "FCPE",
        "FJT",
        "FLE",
        "FNATH",
        "FO",
        "FSU",
        "GEM",
        "HLM",
        "IME",
        "INSA",
        "IUT",
        "JOC",
        "LGBT",
        "LGBTQ",
        "LGBTQI",
        "LICRA",
        "LPO",
        "MJC",
        "MRAP",
        "OGEC",
        "ONG",
        "PEEP",
        "RSA",
        "SCIC",
        "SCOP",
        "SESSAD",
        "SOS",
        "UFC",
        "UFOLEP",
        "UFR",
        "UNAFAM",
        "UNESCO",
        "UNICEF",
        "UNSA",
        "US",
        "USEP",
    ]
)

# Small linking words: lower case in title mode ("rue de la République"). A typographic list, with
# its accented spellings ("à", "lès"), not the search's stop words (directory.text.STOP_WORDS).
LINKING_WORDS = frozenset(
    [
        "a",
        "à",
        "au",
        "aux",
        "d",
        "de",
        "des",
        "du",
        "en",
        "et",
        "l",
        "la",
        "le",
        "les",
        "lès",
        "ou",
        "par",
        "pour",
        "sous",
        "sur",
        "un",
        "une",
    ]
)

# Frequent French words of association names and purposes, keyed by their accent-free form.
# Only words whose accent-free spelling is not itself another French word are listed.
ACCENTED = {
    word_norm: word
    for word in [
        "accès",
        "activité",
        "activités",
        "âge",
        "âgée",
        "âgées",
        "âgés",
        "aînés",
        "âme",
        "amitié",
        "amitiés",
        "années",
        "après",
        "arménien",
        "arménienne",
        "bébé",
        "bébés",
        "bénévolat",
        "bénévole",
        "bénévoles",
        "bibliothèque",
        "bienfaisance",
        "carrière",
        "catégorie",
        "célébration",
        "cinéma",
        "cité",
        "citoyenneté",
        "cœur",
        "comité",
        "comités",
        "communauté",
        "communautés",
        "compétence",
        "compétences",
        "coopération",
        "copropriété",
        "création",
        "crèche",
        "crèches",
        "culturel",
        "défense",
        "départemental",
        "départementale",
        "détente",
        "développement",
        "diversité",
        "éducatif",
        "éducation",
        "éducative",
        "éducatives",
        "écoute",
        "échange",
        "échanges",
        "école",
        "écoles",
        "écologie",
        "écologique",
        "économie",
        "économique",
        "édition",
        "éditions",
        "égalité",
        "église",
        "églises",
        "élan",
        "élèves",
        "émergence",
        "énergie",
        "entraide",
        "épanouissement",
        "épicerie",
        "équipe",
        "équitable",
        "étape",
        "été",
        "éthique",
        "étoile",
        "étrangers",
        "études",
        "étudiant",
        "étudiante",
        "étudiantes",
        "étudiants",
        "européen",
        "européenne",
        "évangélique",
        "événement",
        "événements",
        "éveil",
        "famille",
        "fédération",
        "fête",
        "fêtes",
        "fraternité",
        "frères",
        "général",
        "générale",
        "génération",
        "générations",
        "handicapés",
        "hôpital",
        "hôtel",
        "île",
        "intégration",
        "intérêt",
        "intérêts",
        "intergénérationnel",
        "intergénérationnelle",
        "israélite",
        "laïque",
        "liberté",
        "littérature",
        "lumière",
        "lycée",
        "lycéens",
        "mémoire",
        "mère",
        "métiers",
        "métropole",
        "métropolitain",
        "métropolitaine",
        "médecine",
        "médical",
        "médicale",
        "médiation",
        "misère",
        "musée",
        "numérique",
        "œuvre",
        "œuvres",
        "opéra",
        "parité",
        "pédagogie",
        "pédagogique",
        "père",
        "périscolaire",
        "personnalité",
        "poésie",
        "précarité",
        "préfecture",
        "prévention",
        "propriétaires",
        "prospérité",
        "quartier",
        "réfugiés",
        "régional",
        "régionale",
        "réinsertion",
        "rénovation",
        "réseau",
        "réseaux",
        "résidence",
        "résidences",
        "résidents",
        "réussite",
        "santé",
        "sécurité",
        "sénior",
        "séniors",
        "société",
        "sociétés",
        "solidarité",
        "sœurs",
        "stratégie",
        "théâtre",
        "thérapie",
        "très",
        "universités",
        "vélo",
        "vétérans",
        "vidéo",
        "français",
        "française",
        "françaises",
        "francophonie",
        "gérer",
        "créer",
        "développer",
        "améliorer",
        "réaliser",
        "préserver",
        "andré",
        "édouard",
        "émile",
        "eugène",
        "frédéric",
        "hélène",
        "libération",
        "maréchal",
        "président",
        "rené",
        "république",
    ]
    for word_norm in [normalize(word).replace(" ", "")]
}
# Proper names that are not places of the Métropole: capitalised, with their accents.
PROPER_NAMES = {
    normalize(word): word
    for word in [
        "Afrique",
        "Algérie",
        "Europe",
        "France",
        "Jaurès",
        "Lyon",
        "Méditerranée",
        "Rhône",
        "Saône",
        "Sénégal",
    ]
}
# Place names of the Métropole that are also common nouns: never capitalised mid-sentence.
COMMON_PLACE_NAMES = frozenset(
    ["industrie", "prefecture", "universites", "lumiere", "la plaine", "la mouche", "quartiers anciens"]
)

TOKEN_RE = re.compile(r"(?:[A-Z]\.){2,}(?:[A-Z](?![A-Za-z]))?|[0-9A-Za-zÀ-ÖØ-öø-ÿŒœÆæ]+")
ROMAN_RE = re.compile(r"^(?=[IVX]{2,}$)X{0,3}(?:IX|IV|V?I{0,3})$")
ORDINAL_RE = re.compile(r"^(\d+)(ER|ERE|EME|E|ÈME|EMES)$")
SENTENCE_END_RE = re.compile(r"[.!?]\s*$")
ELISIONS = frozenset(["c", "d", "j", "l", "m", "n", "qu", "s", "t", "jusqu", "lorsqu", "puisqu"])


# A piece of a text: [its text, whether it is a word]; prettify() rewrites the words in place.
Piece = list[Any]


def has_lowercase(text: str) -> bool:
    return text.upper() != text


@functools.cache
def _place_phrases() -> dict[str, list[tuple[tuple[str, ...], list[str]]]]:
    """Phrases of accent-free words → their official spelling, from the shipped reference data."""
    from directory.reference_data import read_csv

    names = [row["name"] for row in read_csv("communes.csv") + read_csv("quartiers.csv")]
    phrases: dict[tuple[str, ...], list[str]] = {}
    for name in names:
        name = re.sub(r"\s*\(.*?\)", "", name)
        for part in re.split(r"\s+-\s+", name):
            words = TOKEN_RE.findall(part)
            key = tuple(normalize(w) for w in words)
            if not key or " ".join(key) in COMMON_PLACE_NAMES or re.search(r"\d", part):
                continue
            phrases[key] = words
    by_first: dict[str, list[tuple[tuple[str, ...], list[str]]]] = {}
    for key, words in phrases.items():
        by_first.setdefault(key[0], []).append((key, words))
    for candidates in by_first.values():
        candidates.sort(key=lambda item: -len(item[0]))
    return by_first


def _initials(words: Iterable[str]) -> str:
    return "".join(w[0] for w in words if w)


def _acronyms(tokens: list[str], short_title: str) -> set[str]:
    """The tokens (upper-case originals) that stay upper case."""
    keep: set[str] = set()
    words = [t for t in tokens if t[0].isalpha()]
    short = (short_title or "").strip()
    for word in words:
        plain = strip_accents(word).upper()
        if (
            "." in word
            or plain in KNOWN_ACRONYMS
            or ROMAN_RE.match(plain)
            or (len(word) >= 2 and word.isalpha() and not (set(word) & VOWELS) and plain not in {"ST"})
        ):
            keep.add(word)
        elif len(word) >= 3 and word.isalpha() and not _is_dictionary_word(word):
            others = [w for w in words if w != word]
            spelled = (_initials(others), _initials([w for w in others if normalize(w) not in LINKING_WORDS]))
            if word == short or any(word in initials for initials in spelled):
                keep.add(word)
    return keep


def _is_dictionary_word(word: str) -> bool:
    norm = normalize(word)
    return norm in ACCENTED or norm in LINKING_WORDS or norm in PROPER_NAMES


def _bracketed(text: str) -> set[str]:
    return {m.group(1) for m in re.finditer(r"\(\s*([A-Z]{2,8})\s*\)", text)}


@functools.lru_cache(maxsize=50_000)
def prettify(text: str, *, mode: str = "sentence", short_title: str = "") -> str:
    """Readable case for an all-upper-case text (see the module docstring)."""
    text = re.sub(r"\s+", " ", (text or "").strip())
    if not text or has_lowercase(text):
        return text
    pieces = _pieces(text)
    word_indexes = [i for i, (_, is_word) in enumerate(pieces) if is_word]
    originals = [pieces[i][0] for i in word_indexes]
    keep_upper = _kept_upper(originals, text, short_title)
    norms = [normalize(w) for w in originals]
    cased = _place_names(norms)
    for index, word in enumerate(originals):
        if cased[index] is None:
            cased[index] = _word_case(word, norms[index], keep_upper)
    _capitalise(pieces, word_indexes, cased, mode=mode)  # type: ignore[arg-type]  # every None was cased above
    return "".join(piece for piece, _ in pieces)


def _pieces(text: str) -> list[Piece]:
    """[[text, is_word]]: the words of `text` and the spaces and punctuation between them."""
    pieces: list[Piece] = []
    position = 0
    for match in TOKEN_RE.finditer(text):
        if match.start() > position:
            pieces.append([text[position : match.start()], False])
        pieces.append([match.group(), True])
        position = match.end()
    if position < len(text):
        pieces.append([text[position:], False])
    return pieces


def _kept_upper(originals: list[str], text: str, short_title: str) -> set[str]:
    """The words that stay upper case: acronyms, bracketed initials, a one-word short title."""
    keep_upper = _acronyms(originals, short_title) | _bracketed(text)
    short = (short_title or "").strip()
    if (
        short
        and " " not in short
        and short in originals
        and len(short) <= 8
        and not _is_dictionary_word(short)
    ):
        keep_upper.add(short)
    return keep_upper


def _place_names(norms: list[str]) -> list[str | None]:
    """The official spelling of each word that belongs to a place name (longest phrase first),
    None for the other words."""
    cased: list[str | None] = [None] * len(norms)
    phrases = _place_phrases()
    i = 0
    while i < len(norms):
        for key, words in phrases.get(norms[i], ()):
            if tuple(norms[i : i + len(key)]) == key:
                for offset, word in enumerate(words):
                    cased[i + offset] = word
                i += len(key) - 1
                break
        i += 1
    return cased


def _word_case(word: str, norm: str, keep_upper: set[str]) -> str:
    """One word outside place names: kept upper, an ordinal, a known spelling, or lower case."""
    ordinal = ORDINAL_RE.match(strip_accents(word).upper())
    if word in keep_upper and not (norm in LINKING_WORDS and len(word) < 3):
        return word
    if ordinal:
        return ordinal.group(1) + ("er" if ordinal.group(2) == "ER" else "e")
    if norm in PROPER_NAMES:
        return PROPER_NAMES[norm]
    if norm in ACCENTED:
        return ACCENTED[norm]
    if norm == "st":
        return "St"
    if norm == "ste":
        return "Ste"
    return word.lower()


def _capitalise(pieces: list[Piece], word_indexes: list[int], cased: list[str], *, mode: str) -> None:
    """Writes the cased words back into `pieces`, capitalising each sentence's first word (or, in
    title mode, every word but the linking ones)."""
    sentence_start = True
    for position_in_words, piece_index in enumerate(word_indexes):
        word = cased[position_in_words]
        previous = pieces[piece_index - 1][0] if piece_index else ""
        if position_in_words and SENTENCE_END_RE.search(previous):
            sentence_start = True
        if mode == "title":
            lower = word.lower()
            elided = piece_index + 1 < len(pieces) and pieces[piece_index + 1][0][:1] in ("'", "’")
            if lower in LINKING_WORDS or (elided and lower in ELISIONS):
                word = lower if word.islower() else word
            else:
                word = word[:1].upper() + word[1:]
        elif sentence_start:
            word = word[:1].upper() + word[1:]
        sentence_start = False
        pieces[piece_index][0] = word
