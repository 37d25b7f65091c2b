from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.static import serve

from directory.moderation.site import site

# Pages are French at /… and English at /en/… (i18n_patterns here and, for the directory's
# pages, directory.urls.language_prefixed). The admin stays unprefixed and follows the
# visitor's language (directory.middleware.LocaleMiddleware); the API, feeds, sitemaps and
# open-data files are unprefixed and language-neutral. Keep an i18n_patterns() at this root:
# LocaleMiddleware reads the /en/ prefix only when the root URLconf has one (tests/test_i18n.py).
urlpatterns = [
    path("admin/", site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("directory.urls")),
    *i18n_patterns(path("compte/", include("directory.accounts.urls")), prefix_default_language=False),
]

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
