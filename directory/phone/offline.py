"""Which pages the service worker (templates/phone/sw.js) may keep for reading offline.

The server decides, page by page: a response it may keep carries `X-Offline-Keep: 1`, and the
service worker stores nothing else. The rule:

- only the pages meant for it: the home page, the listing pages, "Ma liste" and the offline
  page (views decorated with `keep_offline`);
- only for a visitor without a session cookie: a signed-in person (or a sign-up in progress)
  gets pages with their menu and form tokens, so nothing of theirs is ever kept. The
  association space, the admin and the account pages are never marked;
- never a response marked `Cache-Control: private` or `no-store` (the service worker checks
  this too), never an error or a redirect.
"""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

HEADER = "X-Offline-Keep"


def may_keep(request: HttpRequest, response: HttpResponseBase) -> bool:
    if request.method != "GET" or response.status_code != 200:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return "private" not in cache_control and "no-store" not in cache_control


def keep_offline[**P, R: HttpResponseBase](
    view: Callable[Concatenate[HttpRequest, P], R],
) -> Callable[Concatenate[HttpRequest, P], R]:
    """Mark the view's answers that the service worker may keep (see the module docstring)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> R:
        response = view(request, *args, **kwargs)
        if may_keep(request, response):
            response[HEADER] = "1"
        return response

    return wrapper  # type: ignore[return-value]  # wraps() names `request`; Concatenate's is positional
