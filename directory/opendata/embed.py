"""Embeddable lists (/integrer/): a filtered list of published associations that any site (a town
hall, a federation, a social centre) shows in an <iframe>, and the snippet that embeds it.

The list reads the search contract of /associations/ (directory/filters.py: same parameters, same
order, same cached ids under the listings version) plus one parameter of its own, `nombre` (how
many associations, 1–50). Invalid values and unknown parameters are ignored and listed in the
embed, never an error page.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.http import QueryDict
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from directory.filters import AssociationFilter, search_associations

DEFAULT_COUNT = 10
MAX_COUNT = 50
# Seconds browsers and shared caches may keep an embed (Cache-Control: public): a change to a
# listing shows up in the embeds within this time.
CACHE_SECONDS = 600
COUNT_PARAM = "nombre"
# Every parameter of the search contract is accepted (the builder offers the common ones).
FILTER_PARAMS = tuple(AssociationFilter.base_filters)
MAX_NAMED_UNKNOWN = 5


def read_count(raw: str | None) -> tuple[int, str | None]:
    """(number of associations to show, notice or None) from the raw `nombre` value."""
    raw = (raw or "").strip()
    if not raw:
        return DEFAULT_COUNT, None
    try:
        value = int(raw)
    except ValueError:
        return DEFAULT_COUNT, _(
            "Nombre d'associations : « %(value)s » n'est pas un nombre ; %(default)s affichées."
        ) % {"value": raw[:20], "default": DEFAULT_COUNT}
    if value < 1:
        return DEFAULT_COUNT, _("Nombre d'associations : au moins 1 ; %(default)s affichées.") % {
            "default": DEFAULT_COUNT
        }
    if value > MAX_COUNT:
        return MAX_COUNT, _("Nombre d'associations : au plus %(max)s.") % {"max": MAX_COUNT}
    return value, None


@dataclass
class EmbedList:
    """One embeddable list: its search, how many items it shows and what was ignored."""

    filterset: AssociationFilter
    count: int
    notices: list = field(default_factory=list)

    @property
    def cleaned(self):
        return getattr(self.filterset.form, "cleaned_data", {})

    @cached_property
    def total(self):
        """All the matches (1 query, or none when the search's ids are cached)."""
        return self.filterset.pages.count()

    @cached_property
    def associations(self):
        """The first `count` matches, with their categories and places (SearchResults)."""
        return self.filterset.pages[: self.count]

    @cached_property
    def search_items(self):
        """The valid, non-empty filter parameters as (name, value), in the form's order.

        Invalid values are left out, so the snippet and the links never carry what was ignored.
        """
        form = self.filterset.form
        items = []
        for name in form.fields:
            value = self.cleaned.get(name)
            if name in form.errors or value in (None, "", False):
                continue
            if name == "tri" and value == AssociationFilter.Sort.RELEVANCE:
                continue
            items.append((name, "1" if value is True else form.data.get(name, "").strip()))
        return items

    @property
    def search_url(self):
        """The same search on /associations/ (relative)."""
        query = urlencode(self.search_items)
        return reverse("directory:association_list") + (f"?{query}" if query else "")

    @property
    def embed_url(self):
        """The embed page of this list (relative), with its valid parameters only."""
        return (
            reverse("directory:embed_list") + "?" + urlencode([*self.search_items, (COUNT_PARAM, self.count)])
        )

    @property
    def heading(self):
        need, area = self.cleaned.get("categorie"), self.cleaned.get("territoire")
        if need is not None and area is not None:
            return _("%(need)s à %(area)s") % {"need": need.name, "area": area.short_name}
        if area is not None:
            return _("Les associations à %(area)s") % {"area": area.short_name}
        if need is not None:
            return _("%(need)s dans la Métropole de Lyon") % {"need": need.name}
        return _("Les associations de la Métropole de Lyon")

    @property
    def criteria(self):
        """The other applied filters, in words: ['Public : Jeunes', 'Gratuit', …]."""
        form, data = self.filterset.form, self.cleaned
        words = []
        if data.get("q"):
            words.append(_("« %(q)s »") % {"q": data["q"]})
        if data.get("public") is not None:
            words.append(f"{form.fields['public'].label} : {data['public'].name}")
        if data.get("langue") is not None:
            words.append(f"{form.fields['langue'].label} : {data['langue'].name}")
        for name in ("gratuit", "sans_rdv", "accessible", "benevoles"):
            if data.get(name) is True:
                words.append(str(form.fields[name].label))
        return words

    @property
    def frame_height(self):
        """A sensible <iframe> height in px for `count` items (the frame scrolls beyond it)."""
        return max(320, min(900, 170 + 120 * self.count))

    @property
    def frame_title(self):
        return _("%(heading)s : associations sur Lyon Assos") % {"heading": self.heading}

    def snippet(self):
        """The HTML to paste into a site: the <iframe>, then a plain link for sites that strip it."""
        return format_html(
            '<iframe src="{src}" title="{title}" width="100%" height="{height}" loading="lazy" '
            'style="border:0;max-width:100%"></iframe>\n'
            '<p><a href="{link}">{text}</a></p>',
            src=settings.SITE_URL + self.embed_url,
            title=self.frame_title,
            height=self.frame_height,
            link=settings.SITE_URL + self.search_url,
            text=_("%(heading)s : voir la liste sur Lyon Assos") % {"heading": self.heading},
        )


def read(params):
    """The EmbedList of a query string: the search filters, `nombre`, and what was ignored."""
    search_params = QueryDict(mutable=True)
    for name in FILTER_PARAMS:
        if name in params:
            search_params.setlist(name, params.getlist(name))
    filterset = search_associations(search_params)
    count, count_notice = read_count(params.get(COUNT_PARAM))
    notices = list(filterset.ignored)
    if count_notice:
        notices.append(count_notice)
    unknown = [name for name in params if name not in FILTER_PARAMS and name != COUNT_PARAM]
    for name in unknown[:MAX_NAMED_UNKNOWN]:
        notices.append(_("Paramètre « %(name)s » inconnu.") % {"name": name[:40]})
    if len(unknown) > MAX_NAMED_UNKNOWN:
        notices.append(_("Et %(n)s autres paramètres inconnus.") % {"n": len(unknown) - MAX_NAMED_UNKNOWN})
    return EmbedList(filterset=filterset, count=count, notices=notices)
