"""The addresses the hot pages write dozens of times, reversed once per process.

A results page writes each card's address twice (its title, the map's marker) and a listing
page its own several times: `reverse()` resolves the name, checks the arguments against the
pattern and quotes them each time, 40-60 µs a call. `slug_url()` reverses the name once per
script prefix, URL conf and language with a placeholder, then puts the slug in its place.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation

PLACEHOLDER = "0slug0"
# What reverse() would leave as it is: the characters of a slug (SlugField, not unicode).
PLAIN = re.compile(r"[-a-zA-Z0-9_]+")

_patterns: dict[tuple[str, str, str | None, str], str] = {}


def slug_url(name: str, slug: str) -> str:
    """reverse(name, args=[slug]) for a URL whose one argument is a slug."""
    if not PLAIN.fullmatch(slug):
        return reverse(name, args=[slug])  # quoting or a failed match: reverse() decides
    key = (get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF, translation.get_language(), name)
    pattern = _patterns.get(key)
    if pattern is None:
        pattern = _patterns[key] = reverse(name, args=[PLACEHOLDER])
    return pattern.replace(PLACEHOLDER, slug, 1)
