"""`{% load icon_tags %}`: pictograms from the sprite (directory/icons.py), always beside a text.

`{% icon "phone" %}`, `{% category_icon category %}`, `{% fact_icon "free" %}` write
`<svg class="icon" aria-hidden="true" focusable="false"><use href="…/sprite.svg#phone"></use></svg>`:
hidden from screen readers, which read the text next to it.

A results page writes about 150 of them: each is built once per process (and per static
setup) and then read from a dict, not rebuilt through `static()` and `format_html()` each time.
"""

import logging

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString

from directory import icons

register = template.Library()
logger = logging.getLogger(__name__)

_built: dict[tuple[str, str, str, str], SafeString] = {}  # (static setup, name, class) → the icon


def sprite_url():
    try:
        return static(icons.SPRITE)
    except ValueError:  # not collected (`make icons` before collectstatic): no icons, no error page
        logger.error("%s is missing from the collected static files: run `make icons`", icons.SPRITE)
        return settings.STATIC_URL + icons.SPRITE


@register.simple_tag
def icon(name, css_class=""):
    key = (settings.STATIC_URL, settings.STORAGES["staticfiles"]["BACKEND"], name, css_class)
    html = _built.get(key)
    if html is None:
        html = _built[key] = format_html(
            '<svg class="{}" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
            f"icon {css_class}".strip(),
            sprite_url(),
            name,
        )
    return html


@register.simple_tag
def category_icon(category, css_class=""):
    return icon(icons.for_category(category), css_class)


@register.simple_tag
def fact_icon(name, css_class=""):
    return icon(icons.for_fact(name), css_class)
