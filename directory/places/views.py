"""GET /api/lieux/?q=12 rue de mar → the places a "Près de" field may mean, as one types.

{"query": "…", "results": [{"type": "address"|"station"|"mairie", "label", "detail", "lat", "lon"}]}

Answered from the in-memory index of directory/places/resolve.py (a house number reads its
street's numbers: one query). The text stays on our server; nothing is logged but the usual
access line.
"""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from directory.places import resolve

MAX_QUERY_LENGTH = 100


@require_GET
def place_suggestions(request: HttpRequest) -> JsonResponse:
    raw = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    response = JsonResponse(
        {"query": raw, "results": resolve.suggest(raw)}, json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "public, max-age=300"
    return response
