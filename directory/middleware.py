"""Response headers Django has no setting for."""

from django.conf import settings


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
