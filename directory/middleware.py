"""Response headers Django has no setting for, and the compression of public pages."""

from django.conf import settings
from django.middleware import locale
from django.middleware.gzip import GZipMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

from directory import language

ADMIN_PATH = "/admin/"


def permissions_policy(features):
    """`{"geolocation": ["self"], "camera": []}` → 'geolocation=(self), camera=()'."""
    parts = []
    for feature, allowlist in features.items():
        origins = " ".join(origin if origin in ("self", "*") else f'"{origin}"' for origin in allowlist)
        parts.append(f"{feature}=({origins})")
    return ", ".join(parts)


class PermissionsPolicyMiddleware:
    """Adds Permissions-Policy from settings.PERMISSIONS_POLICY to every response (unless a view
    set its own): only the browser features the site uses are allowed."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's LocaleMiddleware, except for the admin.

    The site's pages carry their language in the URL (French at /…, English at /en/…), so an
    unprefixed address is French whatever the browser asks, except the front door: `/` sends a
    visitor who chose English (the language cookie, set by the switcher) or, on a first visit,
    whose browser prefers it, to /en/ (directory/language.py). The admin has one address per
    page and no switcher: there the moderator's own choice applies (the language cookie set
    through /i18n/setlang/, else Accept-Language, else French).
    """

    def process_request(self, request):
        super().process_request(request)
        if request.path_info.startswith(ADMIN_PATH):
            translation.activate(translation.get_language_from_request(request))
            request.LANGUAGE_CODE = translation.get_language()
            return None
        return language.home_redirect(request)

    def process_response(self, request, response):
        if request.path_info.startswith(ADMIN_PATH) or request.path_info == language.HOME_PATH:
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return super().process_response(request, response)


class PublicGZipMiddleware(GZipMiddleware):
    """Gzip (level 6) for the responses to visitors without a session: the public directory.

    Static files never reach it (whitenoise answers them first, already compressed). Residents
    open pages on cheap phones and small data plans: compressed, a results page is a fifth of
    its size (docs/benchmarks.md, "Page weight").

    BREACH: compressing a page that holds a secret next to text an attacker controls (a search
    query) lets the size of the response leak that secret. A visitor without a session cookie has
    no secret in the page but the CSRF token of a form, which Django masks anew for every
    response; GZipMiddleware also pads each response with up to 100 random bytes. A request
    carrying a session cookie (signed in, or a sign-up in progress) is answered uncompressed, so
    the pages that show an account's e-mail, invitations or form tokens never are. nginx
    (docs/deploy.md) must not compress them either: `gzip off` on the proxied location.
    """

    def process_response(self, request, response):
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return response
        return super().process_response(request, response)
