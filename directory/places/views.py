"""The places feature's public URLs.

GET /api/lieux/?q=12 rue de mar → the places a "Près de" field may mean, as one types.

{"query": "…", "results": [{"type": "address"|"station"|"mairie", "label", "detail", "lat", "lon"}]}

Answered from the in-memory index of directory/places/resolve.py (a house number reads its
street's numbers: one query). The text stays on our server; nothing is logged but the usual
access line.

GET /transports/lignes.css: the colours of the transit lines shown beside the places.
"""

import re

from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from directory.models import TransitStation
from directory.places import resolve

MAX_QUERY_LENGTH = 100
_HEX = re.compile(r"^#[0-9A-F]{6}$")


@require_GET
def place_suggestions(request):
    raw = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    response = JsonResponse(
        {"query": raw, "results": resolve.suggest(raw)}, json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def transit_css(request):
    """The colours of the lines (static/css cannot know the feed's): one rule per pair of
    colours, `.line-00A44F-000000 { background: #00A44F; color: #000000 }`, so that the pages
    keep their content security policy (no inline style). Rebuilt when a feed is imported."""
    key = f"transit-css:{resolve.version()}"
    css = cache.get(key)
    if css is None:
        pairs = set()
        for lines in TransitStation.objects.values_list("lines", flat=True):
            pairs.update((line["color"], line["text"]) for line in lines)
        rules = [
            f".line-{colour[1:]}-{text[1:]}{{background:{colour};color:{text}}}"
            for colour, text in sorted(pairs)
            if _HEX.match(colour) and _HEX.match(text)
        ]
        css = "\n".join(rules) + "\n"
        cache.set(key, css, timeout=None)
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response
