"""Embeddable lists: the /integrer/ builder and the framed list /integrer/liste/.

The list page is the one page of the site that other sites may frame: it is exempted from
X-Frame-Options and gets its own, stricter CSP with `frame-ancestors *` (below). It sets no
cookie (no session, no CSRF token, no user menu) so that shared caches may keep it.
"""

from django.shortcuts import render
from django.utils.csp import CSP
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_safe

from directory.opendata import embed

# The embed's policy: no script at all, our stylesheet only, links only, and (the deliberate
# exception to the site's `frame-ancestors 'none'`) any site may frame it.
EMBED_CSP: dict[str, list[str]] = {
    "default-src": [CSP.NONE],
    "style-src": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.NONE],
    "frame-ancestors": ["*"],
}


@require_GET
def builder(request):
    """The GET form; once submitted, a live preview and the snippet to copy."""
    listing = embed.read(request.GET)
    return render(
        request,
        "embed/builder.html",
        {
            "embed": listing,
            "filter": listing.filterset,
            "submitted": bool(request.GET),
            "default_count": embed.DEFAULT_COUNT,
            "max_count": embed.MAX_COUNT,
        },
    )


@require_safe  # GET and HEAD (shared caches may check with HEAD)
@xframe_options_exempt  # framed by any site on purpose: this page only (see EMBED_CSP)
@csp_override(EMBED_CSP)
@cache_control(public=True, max_age=embed.CACHE_SECONDS)
def embed_list(request):
    return render(request, "embed/list.html", {"embed": embed.read(request.GET)})
