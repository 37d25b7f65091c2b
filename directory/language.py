"""The visitor's language: chosen once, remembered, never forced.

Pages carry their language in their address (French at /…, English at /en/…). Only the site's
front door, `/`, looks further (directory.middleware.LocaleMiddleware): a visitor whose language
cookie, or else whose browser (Accept-Language), prefers English is sent to /en/. The language
switcher's links go through `language_choose`, which remembers the visitor's pick in that
cookie, so that someone with an English browser who picks French stays French at `/`.
"""

from datetime import timedelta

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

# How long the choice is remembered when settings.LANGUAGE_COOKIE_AGE is not set (Django's
# default makes it a browser-session cookie, forgotten when the phone's browser is closed).
REMEMBER = timedelta(days=365)
HOME_PATH = "/"


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def home_redirect(request: HttpRequest) -> HttpResponseRedirect | None:
    """On a GET of `/` (the French home page), the redirect to the home page of the language the
    visitor chose before (cookie) or, on a first visit, their browser prefers; None to stay."""
    if request.path_info != HOME_PATH or request.method not in ("GET", "HEAD"):
        return None
    preferred = translation.get_language_from_request(request)  # cookie, Accept-Language, French
    if preferred == settings.LANGUAGE_CODE or preferred not in languages():
        return None
    with translation.override(preferred):
        target = reverse("directory:home")
    query = request.META.get("QUERY_STRING", "")
    return HttpResponseRedirect(f"{target}?{query}" if query else target)


@require_GET
def language_choose(request: HttpRequest, code: str) -> HttpResponseRedirect:
    """`/langue/en/?next=/en/associations/`: remembers `code` (the language cookie) and goes on
    to `next`, the page in that language (the switcher builds it), or that language's home page.

    A GET that sets a cookie: the switcher is a plain link (no form, no JavaScript), and all a
    forged link can do is change which language `/` opens in, which the visitor changes back in
    one tap."""
    if code not in languages():
        raise Http404
    next_url = request.GET.get("next", "")
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        with translation.override(code):
            next_url = reverse("directory:home")
    response = HttpResponseRedirect(next_url)
    age = settings.LANGUAGE_COOKIE_AGE
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=age if age is not None else int(REMEMBER.total_seconds()),
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE or request.is_secure(),
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    response["Cache-Control"] = "no-store"
    return response
