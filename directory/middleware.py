"""Response headers Django has no setting for."""

from django.conf import settings
from django.middleware import locale
from django.utils import translation
from django.utils.cache import patch_vary_headers

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
    unprefixed address is French whatever the browser asks. The admin has one address per page
    and no switcher: there the moderator's own choice applies (the language cookie set through
    /i18n/setlang/, else Accept-Language, else French).
    """

    def process_request(self, request):
        super().process_request(request)
        if request.path_info.startswith(ADMIN_PATH):
            translation.activate(translation.get_language_from_request(request))
            request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        if request.path_info.startswith(ADMIN_PATH):
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return super().process_response(request, response)
