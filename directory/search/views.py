"""As-you-type suggestions of the search box: needs (categories and their synonyms) and places.

GET /api/suggestions/?q=croix → {"query": "croix", "results": [{"type", "label", "detail", "url"}]}

Answered from the in-memory reference snapshot (directory.reference): no SQL query. Matching is
accent-insensitive and by word prefix: every word of the query must start a word of the name
(or of one synonym) of the suggestion; "aide dev" finds "Aide aux devoirs", "croix" finds
"Croix-Rousse", "ecole" finds a category whose synonym is "école". Labels are in the active
language (the URL is language-prefixed: /en/api/suggestions/ answers in English), and a need
is found by its French and English names and synonyms in either language ("food", "devoirs").
"""

import threading
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from directory import reference
from directory.models import Area
from directory.reference import Snapshot
from directory.text import normalize, search_words

MAX_RESULTS = 8
MAX_QUERY_LENGTH = 100
MIN_QUERY_LENGTH = 2


@dataclass(frozen=True)
class Entry:
    type: str  # "category" or "area"
    label: str
    detail: str
    url: str
    names: tuple[
        tuple[str, ...], ...
    ]  # the normalised words of the label, then of each synonym: ((words), …)
    rank: int  # categories before areas, top-level before children

    @property
    def blob(self) -> str:
        """' word word …' of every name: a query word that starts none of them (no ' ' + word
        substring) rules the entry out before the word-by-word match."""
        return " " + " ".join(word for words in self.names for word in words)


_lock = threading.Lock()
_index: tuple[object, dict[str, Any]] = (None, {})  # (the snapshot they were built from, {language: entries})


def _words(text: str) -> tuple[str, ...]:
    return tuple(normalize(text).split())


def build_index(snapshot: Snapshot) -> tuple[Entry, ...]:
    """The entries, labelled in the active language."""
    entries: list[Entry] = []
    for category in snapshot.categories.values():
        other_names = {category.name, category.name_en} - {category.label, ""}
        names = (
            _words(category.label),
            *(_words(name) for name in sorted(other_names)),
            *(_words(s) for s in category.synonym_list + category.synonym_list_en),
        )
        parent = category.parent
        entries.append(
            Entry(
                type="category",
                label=category.label,
                # A need's kind ("Besoin") is written by the page from its type: the detail of
                # a top-level need is empty, not "Besoin" again ("Alimentation · Besoin").
                detail=parent.label if parent else "",
                url=category.get_absolute_url(),
                names=names,
                rank=0 if parent is None else 1,
            )
        )
    for area in snapshot.areas.values():
        label = area.short_label
        if area.kind == Area.Kind.QUARTIER:
            detail = _("Quartier · %(place)s") % {"place": area.parent.short_label if area.parent else ""}
        elif area.kind == Area.Kind.ARRONDISSEMENT:
            detail = _("Arrondissement")
        else:
            detail = _("Commune")
        names = (_words(area.name), _words(label), _words(area.short_name))
        if area.official_name:
            names += (_words(area.official_name),)
        url = reverse("directory:association_list") + "?" + urlencode({"territoire": area.slug})
        ranks: dict[str, int] = {Area.Kind.COMMUNE: 2, Area.Kind.ARRONDISSEMENT: 2}
        rank = ranks.get(area.kind, 3)
        entries.append(Entry("area", label, detail, url, names, rank))
    return tuple(entries)


def index() -> tuple[tuple[Entry, str], ...]:
    """[(entry, blob)] of the current snapshot in the active language, built once per snapshot
    and language (no query)."""
    global _index
    snapshot = reference.get()
    language = translation.get_language()
    built_from, by_language = _index
    if built_from is not snapshot or language not in by_language:
        with _lock:
            by_language = dict(by_language) if built_from is snapshot else {}
            by_language[language] = tuple((entry, entry.blob) for entry in build_index(snapshot))
            _index = (snapshot, by_language)
    entries: tuple[tuple[Entry, str], ...] = by_language[language]
    return entries


def _matches(query: list[str], words: tuple[str, ...]) -> bool:
    """Every query word starts a word of the name (each name word used once)."""
    remaining = list(words)
    for q in query:
        for i, word in enumerate(remaining):
            if word.startswith(q):
                del remaining[i]
                break
        else:
            return False
    return True


def suggest(raw: str) -> list[dict[str, str]]:
    query = search_words(raw[:MAX_QUERY_LENGTH]) if len(raw.strip()) >= MIN_QUERY_LENGTH else []
    if not query:
        return []
    found: list[tuple[tuple[bool, bool, int, int, str], Entry]] = []
    word_starts = [" " + word for word in query]
    for entry, blob in index():
        if not all(start in blob for start in word_starts):
            continue
        for position, words in enumerate(entry.names):
            if _matches(query, words):
                by_synonym = position > 0 and entry.type == "category"
                starts = words[:1] and words[0].startswith(query[0])
                found.append(((by_synonym, not starts, entry.rank, len(entry.label), entry.label), entry))
                break
    found.sort(key=lambda pair: pair[0])
    return [
        {"type": e.type, "label": e.label, "detail": e.detail, "url": e.url} for _, e in found[:MAX_RESULTS]
    ]


@require_GET
def suggestions(request: HttpRequest) -> JsonResponse:
    raw = request.GET.get("q", "")
    response = JsonResponse(
        {"query": raw[:MAX_QUERY_LENGTH], "results": suggest(raw)}, json_dumps_params={"ensure_ascii": False}
    )
    # Same answer for everyone until the reference data changes: let browsers keep it a little.
    response["Cache-Control"] = "public, max-age=300"
    return response
