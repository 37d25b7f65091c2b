"""`{% load facet_tags %}`: the values of a facet beside the results (directory/facets.py).

`{% facet_values values %}` writes each value's list item (a link applying that filter to the
current search, its label and its count; the current value marked and its link removing it).
Built in Python, as the result cards are (card_tags): a results page has about 70 values, and
the template's loop spent 3 ms of a cold page on them.
"""

import functools

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from directory import facets

register = template.Library()


@functools.lru_cache(maxsize=4096)
def _count(language, count):
    """A value's count, localised, with its words for screen readers ("12 associations"), per
    language: the same counts come back from page to page (small ones above all), and the
    number's formatting and the plural's lookup were a third of the facets' time."""
    return (
        f'<span class="facet__count">{localize(count)}'
        f'<span class="visually-hidden"> {conditional_escape(facets.count_words(count))}</span></span>'
    )


@register.simple_tag
def facet_values(values):
    """The <li> of each FacetValue, in order."""
    removes = conditional_escape(gettext("Filtre actif, le retirer :"))
    language = get_language()
    items = []
    for value in values:
        label = conditional_escape(value.label)
        url = conditional_escape(value.url)
        inner = f'<span class="facet__label">{label}</span> ' + _count(language, value.count)
        if value.current:
            items.append(
                f'<li><a class="facet__link facet__link--current" href="{url}" aria-current="true">'
                f'<span class="visually-hidden">{removes} </span>{inner}</a></li>'
            )
        else:
            items.append(f'<li><a class="facet__link" href="{url}">{inner}</a></li>')
    return mark_safe("".join(items))  # noqa: S308  # every value above is escaped
