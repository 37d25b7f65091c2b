""" "Ma liste": the listings a resident or a social worker keeps, carried by the link itself
(`/ma-liste/?f=slug1,slug2`). Nothing is stored on the server: on the phone the list lives in
the browser's storage (static/js/keep.js), and the link hands it to someone else.

Reading the `f` parameter never fails: malformed, repeated, unknown or unpublished entries and
entries past MAX_ITEMS are left out, each kind with one note saying so.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directory.models import Association, SlugRedirect

MAX_ITEMS = 30
_SLUG_RE = re.compile(r"^[-a-z0-9_]{1,220}$")
# Paths a pasted listing address may have: the page (in any language) or its short address.
_PATH_RE = re.compile(r"^(?:/[a-z]{2})?/(?:associations|a)/([-a-zA-Z0-9_]+)/?$")


@dataclass
class MyList:
    slugs: list[str] = field(default_factory=list)  # what the link asked for, cleaned, in order
    listings: list[Association] = field(default_factory=list)  # the published listings, in the link's order
    notes: list[str] = field(default_factory=list)

    @property
    def query(self) -> str:
        """The `f` value of this list's link: the slugs of its published listings."""
        return ",".join(listing.slug for listing in self.listings)

    def url_without(self, slug: str) -> str:
        rest = [listing.slug for listing in self.listings if listing.slug != slug]
        return list_path(rest)


def list_path(slugs: list[str]) -> str:
    path = reverse("directory:my_list")
    return f"{path}?f={','.join(slugs)}" if slugs else path


def parse_slugs(values: Iterable[str]) -> tuple[list[str], list[str]]:
    """The `f` values (one or more, comma-separated) → (slugs, notes)."""
    raw = [item.strip().lower() for value in values for item in value.split(",", MAX_ITEMS * 4)]
    raw = [item for item in raw if item]
    notes: list[str] = []
    malformed = [item for item in raw if not _SLUG_RE.match(item)]
    if malformed:
        notes.append(
            ngettext(
                "%(count)s élément du lien n'est pas une adresse de fiche : il est ignoré.",
                "%(count)s éléments du lien ne sont pas des adresses de fiches : ils sont ignorés.",
                len(malformed),
            )
            % {"count": len(malformed)}
        )
    slugs = list(dict.fromkeys(item for item in raw if _SLUG_RE.match(item)))
    if len(slugs) > MAX_ITEMS:
        notes.append(
            _("Une liste garde %(max)s fiches au plus : les %(extra)s dernières sont ignorées.")
            % {"max": MAX_ITEMS, "extra": len(slugs) - MAX_ITEMS}
        )
        slugs = slugs[:MAX_ITEMS]
    return slugs, notes


def load(values: list[str]) -> MyList:
    """The list a link carries: 2 queries (listings with their categories' ids, their places);
    one more when some slug is not a current one, and 2 more when some of those are old slugs of
    renamed listings (which the link still finds)."""
    slugs, notes = parse_slugs(values)
    if not slugs:
        return MyList(slugs, [], notes)
    by_slug = {a.slug: a for a in Association.objects.published().filter(slug__in=slugs).cards().values()}
    missing = [slug for slug in slugs if slug not in by_slug]
    renamed: dict[str, str] = {}
    if missing:
        redirects = SlugRedirect.objects.filter(old_slug__in=missing, association__status="published")
        renamed = dict(redirects.values_list("old_slug", "association__slug"))
        if renamed:
            current = Association.objects.published().filter(slug__in=renamed.values()).cards()
            by_slug.update({a.slug: a for a in current.values()})
    listings: list[Association] = []
    seen: set[int] = set()
    gone = 0
    for slug in slugs:
        listing = by_slug.get(renamed.get(slug, slug))
        if listing is None:
            gone += 1
        elif listing.pk not in seen:
            seen.add(listing.pk)
            listings.append(listing)
    if gone:
        notes.append(
            ngettext(
                "%(count)s fiche de ce lien n'existe plus ou n'est plus publiée.",
                "%(count)s fiches de ce lien n'existent plus ou ne sont plus publiées.",
                gone,
            )
            % {"count": gone}
        )
    return MyList(slugs, listings, notes)


def slug_from_text(text: str | None) -> str | None:
    """A pasted listing address ('https://…/associations/x/', '…/a/x') or a slug → the slug, or None."""
    text = (text or "").strip()
    if not text or len(text) > 500:
        return None
    if "/" not in text:
        text = f"/a/{text}"
    elif not text.startswith(("/", "http://", "https://")):
        text = f"//{text}"  # 'lyonassos.fr/a/x', pasted without its scheme
    path = urlsplit(text).path
    match = _PATH_RE.match(path)
    if match is None:
        return None
    slug = match.group(1).lower()
    return slug if _SLUG_RE.match(slug) else None
