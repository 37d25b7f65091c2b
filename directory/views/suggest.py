"""As-you-type suggestions of the search box: needs (categories and their synonyms) and places.

GET /api/suggestions/?q=croix → {"query": "croix", "results": [{"type", "label", "detail", "url"}]}

Answered from the in-memory reference snapshot (directory.reference): no SQL query. Matching is
accent-insensitive and by word prefix: every word of the query must start a word of the name
(or of one synonym) of the suggestion; "aide dev" finds "Aide aux devoirs", "croix" finds
"Croix-Rousse", "ecole" finds a category whose synonym is "école".
"""

import threading
from dataclasses import dataclass

from django.http import JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from directory import reference
from directory.models import Area
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
    names: tuple  # the normalised words of the label, then of each synonym: ((words), …)
    rank: int  # categories before areas, top-level before children


_lock = threading.Lock()
_index = (None, ())  # (the snapshot it was built from, entries)


def _words(text):
    return tuple(normalize(text).split())


def build_index(snapshot):
    entries = []
    for category in snapshot.categories.values():
        names = (_words(category.name), *(_words(s) for s in category.synonym_list))
        parent = category.parent
        entries.append(
            Entry(
                type="category",
                label=category.name,
                detail=parent.name if parent else _("Besoin"),
                url=category.get_absolute_url(),
                names=names,
                rank=0 if parent is None else 1,
            )
        )
    for area in snapshot.areas.values():
        label = area.short_name
        if area.kind == Area.Kind.QUARTIER:
            detail = _("Quartier · %(place)s") % {"place": area.parent.short_name if area.parent else ""}
        elif area.kind == Area.Kind.ARRONDISSEMENT:
            detail = _("Arrondissement")
        else:
            detail = _("Commune")
        names = (_words(area.name), _words(label))
        if area.official_name:
            names += (_words(area.official_name),)
        url = reverse("directory:association_list") + "?" + urlencode({"territoire": area.slug})
        rank = {Area.Kind.COMMUNE: 2, Area.Kind.ARRONDISSEMENT: 2}.get(area.kind, 3)
        entries.append(Entry("area", label, detail, url, names, rank))
    return tuple(entries)


def index():
    """The entries of the current snapshot, rebuilt when the snapshot changes (no query)."""
    global _index
    snapshot = reference.get()
    built_from, entries = _index
    if built_from is not snapshot:
        with _lock:
            entries = build_index(snapshot)
            _index = (snapshot, entries)
    return entries


def _matches(query, words):
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


def suggest(raw):
    query = search_words(raw[:MAX_QUERY_LENGTH]) if len(raw.strip()) >= MIN_QUERY_LENGTH else []
    if not query:
        return []
    found = []
    for entry in index():
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
def suggestions(request):
    raw = request.GET.get("q", "")
    response = JsonResponse(
        {"query": raw[:MAX_QUERY_LENGTH], "results": suggest(raw)}, json_dumps_params={"ensure_ascii": False}
    )
    # Same answer for everyone until the reference data changes: let browsers keep it a little.
    response["Cache-Control"] = "public, max-age=300"
    return response
