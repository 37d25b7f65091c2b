"""The addresses the hot pages write dozens of times, reversed once per process.

A results page writes each card's address twice (its title, the map's marker) and a listing
page its own several times: `reverse()` resolves the name, checks the arguments against the
pattern and quotes them each time, 40-60 µs a call. `slug_url()` reverses the name once per
script prefix, URL conf and language with a placeholder, then puts the slug in its place;
`fixed_url()` keeps an address without a slug the same way.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation

PLACEHOLDER = "0slug0"
# What reverse() would leave as it is: the characters of a slug (SlugField, not unicode).
PLAIN = re.compile(r"[-a-zA-Z0-9_]+")

_reversed: dict[tuple[str, str, str | None, str, tuple[str, ...]], str] = {}


def fixed_url(name: str, *args: str) -> str:
    """reverse(name, args=args), kept per script prefix, URL conf and language: for the
    addresses that do not change from one page to the next ("Ma liste")."""
    key = (
        get_script_prefix(),
        get_urlconf() or settings.ROOT_URLCONF,
        translation.get_language(),
        name,
        args,
    )
    url = _reversed.get(key)
    if url is None:
        url = _reversed[key] = reverse(name, args=list(args))
    return url


def slug_url(name: str, slug: str) -> str:
    """reverse(name, args=[slug]) for a URL whose one argument is a slug."""
    if not PLAIN.fullmatch(slug):
        return reverse(name, args=[slug])  # quoting or a failed match: reverse() decides
    return fixed_url(name, PLACEHOLDER).replace(PLACEHOLDER, slug, 1)
