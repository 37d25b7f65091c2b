"""`{% load icon_tags %}`: pictograms from the sprite (directory/icons.py), always beside a text.

`{% icon "phone" %}`, `{% category_icon category %}`, `{% fact_icon "free" %}` write
`<svg class="icon" aria-hidden="true" focusable="false"><use href="…/sprite.svg#phone"></use></svg>`:
hidden from screen readers, which read the text next to it.
"""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

from directory import icons

register = template.Library()


@register.simple_tag
def icon(name, css_class=""):
    classes = f"icon {css_class}".strip()
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
        classes,
        static(icons.SPRITE),
        name,
    )


@register.simple_tag
def category_icon(category, css_class=""):
    return icon(icons.for_category(category), css_class)


@register.simple_tag
def fact_icon(name, css_class=""):
    return icon(icons.for_fact(name), css_class)
