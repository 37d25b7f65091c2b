"""The language switcher and the head's alternate links (one address per page and language).

French pages live at /…, English ones at /en/… (directory.urls.language_prefixed); both come
from `django.urls.translate_url`, which keeps the query string, so the switcher of a results
page leads to the same search in the other language. Plain links: no JavaScript, no form; they
pass through /langue/<code>/ (directory/language.py), which remembers the choice.
"""

import html

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.http import urlencode

register = template.Library()

# og:locale of each language of settings.LANGUAGES.
OG_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def _languages():
    return [code for code, _name in settings.LANGUAGES]


def _in_language(url: str, code: str, current: str) -> str:
    """`url` in the language `code`: itself in the page's own language (no resolve and reverse,
    a quarter of base.html's rendering), else through translate_url."""
    return url if code == current else translate_url(url, code)


@register.inclusion_tag("includes/_language_switcher.html", takes_context=True)
def language_switcher(context):
    """Each language's link to the current page (its own name, in its own language)."""
    request = context.get("request")
    current = translation.get_language()
    path = request.get_full_path() if request is not None else "/"
    links = []
    for code in _languages():
        url = _in_language(path, code, current)
        if url == path and code != current:
            # An address no route answers (a 404 page): that language's home page instead.
            with translation.override(code):
                url = reverse("directory:home")
        info = translation.get_language_info(code)
        # Through language_choose, which remembers the pick for the front door (directory/language.py).
        choose = reverse("directory:language_choose", args=[code]) + "?" + urlencode({"next": url})
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": url,
                "choose": choose,
                "current": code == current,
            }
        )
    return {"languages": links}


@register.simple_tag
def alternate_urls(canonical):
    """[(hreflang, url)] of the page's canonical address in each language, then x-default
    (the default language's, French). `canonical` is base.html's captured, escaped output: it is
    unescaped first, so that the template escapes each address once (a search's
    `?q=club&categorie=sport` came out as `&amp;amp;`)."""
    current = translation.get_language()
    address = html.unescape(str(canonical))
    urls = [(code, _in_language(address, code, current)) for code in _languages()]
    default = dict(urls).get(settings.LANGUAGE_CODE)
    return [*urls, ("x-default", default)] if default else urls


@register.simple_tag
def og_locale(code=None):
    return OG_LOCALES.get(code or translation.get_language(), OG_LOCALES[settings.LANGUAGE_CODE])


@register.simple_tag
def og_locale_alternates():
    current = translation.get_language()
    return [OG_LOCALES[code] for code in _languages() if code != current and code in OG_LOCALES]
