"""Template helpers of the public pages: links that keep the search, and opening hours in words."""

import re
from datetime import time
from urllib.parse import urlsplit

from django import template
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from directory import reference

register = template.Library()


@register.simple_tag(takes_context=True)
def query_transform(context, **changes):
    """The current query string with some parameters replaced: `{% query_transform page=2 %}`.

    A value of None or "" removes the parameter, and so does page=1 (the first page has one URL).
    Always returns a string starting with "?" so it can be used as a relative href as-is.
    """
    # A results page passes its known parameters only (filters.known_query); others, the request's.
    request = context.get("request")
    params = context.get("link_params")
    if params is None and request is not None:
        params = request.GET
    params = params.copy() if params is not None else {}
    for name, value in changes.items():
        if value is None or value == "" or (name == "page" and str(value) == "1"):
            params.pop(name, None)
        else:
            params[name] = str(value)
    return "?" + params.urlencode() if params else "?"


def _as_time(value):
    if isinstance(value, time):
        return value
    if isinstance(value, str) and ":" in value:
        hours, minutes = value.split(":", 1)
        try:
            return time(int(hours), int(minutes))
        except ValueError:
            return None
    return None


@register.filter
def hour(value):
    """09:00 → '9 h', '18:30' → '18 h 30', the way times are written in French text."""
    moment = _as_time(value)
    if moment is None:
        return value
    if moment.minute == 0:
        return _("%(hour)s h") % {"hour": moment.hour}
    return _("%(hour)s h %(minute)02d") % {"hour": moment.hour, "minute": moment.minute}


@register.simple_tag
def opening_status(place, now=None):
    """`{% opening_status place as status %}`: the place's OpeningStatus right now."""
    return place.opening_status(now)


@register.filter
def opening_label(status):
    """'Ouvert · ferme à 18 h', 'Ouvre demain à 9 h', 'Fermé pendant les vacances scolaires,
    réouverture le 3 novembre' (directory/opening/rules.status_label), or '' when hours are unknown."""
    if status is None or not status.known:
        return ""
    return status.label


@register.simple_tag
def weekday_today():
    """Today's weekday, 0 = Monday, to mark today's row in an opening-hours table."""
    return timezone.localdate().weekday()


@register.simple_tag
def closure_state(place):
    """'now' while a temporary closure is under way, 'soon' before it starts, else ''."""
    if not place.closed_from:
        return ""
    today = timezone.localdate()
    if place.is_temporarily_closed(today):
        return "now"
    if place.closed_from > today:
        return "soon"
    return ""


@register.filter
def has_accessible_place(association):
    """Whether one of the (prefetched) places is wheelchair accessible; no extra query."""
    return any(place.wheelchair == "yes" for place in association.places.all())


# Links --------------------------------------------------------------------------------------


@register.filter
def tel_href(phone):
    """'04 78 00 00 00' → 'tel:0478000000'; a number with no digit gives ''."""
    digits = re.sub(r"[^\d+]", "", (phone or "").replace("(0)", ""))
    return f"tel:{digits}" if re.search(r"\d", digits) else ""


@register.filter
def http_url(url):
    """The URL if it is an http(s) one, else '' (never a javascript: link, whatever was imported)."""
    url = (url or "").strip()
    return url if urlsplit(url).scheme in ("http", "https") else ""


@register.filter
def url_display(url):
    """'https://www.example.org/page/' → 'example.org/page', short enough for a phone screen."""
    parts = urlsplit(url or "")
    host = parts.netloc.removeprefix("www.")
    path = parts.path.rstrip("/")
    return host + path if host else url


# Pagination and choice lists ----------------------------------------------------------------


@register.simple_tag
def elided_pages(page, on_each_side=1, on_ends=1):
    """Page numbers around the current one, with '…' gaps: [1, '…', 4, 5, 6, '…', 12]."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=on_each_side, on_ends=on_ends))


@register.simple_tag
def area_choice_groups():
    """The "Où ?" select of the search filters, in groups a resident can scan (no query).

    [(group label, [(slug, label)])]: the communes (Lyon as a whole among them), Lyon's
    arrondissements, then the quartiers of each arrondissement or commune. A quartier's label
    names its arrondissement or commune, "Grange Blanche, Lyon 3e": two arrondissements can have
    a quartier of the same name, and a chosen option shows without its group.
    """
    from directory.models import Area

    areas = sorted(reference.get().areas.values(), key=lambda a: (a.name, a.slug))
    arrondissements = sorted((a for a in areas if a.kind == Area.Kind.ARRONDISSEMENT), key=lambda a: a.insee)
    communes = [a for a in areas if a.kind == Area.Kind.COMMUNE]
    quartiers = {}
    for area in areas:
        if area.kind == Area.Kind.QUARTIER and area.parent is not None:
            quartiers.setdefault(area.parent, []).append(area)
    groups = []
    if communes:
        groups.append(
            (
                _("Communes"),
                [
                    (
                        a.slug,
                        _("%(name)s (toute la ville)") % {"name": a.label} if a.insee == "69123" else a.label,
                    )
                    for a in communes
                ],
            )
        )
    if arrondissements:
        groups.append((_("Arrondissements de Lyon"), [(a.slug, a.short_label) for a in arrondissements]))
    parents = sorted(quartiers, key=lambda a: (a.kind != Area.Kind.ARRONDISSEMENT, a.insee, a.name))
    for parent in parents:
        place = parent.short_label
        label = _("Quartiers de %(place)s") % {"place": place}
        groups.append(
            (
                label,
                [
                    (a.slug, _("%(name)s, %(place)s") % {"name": a.label, "place": place})
                    for a in quartiers[parent]
                ],
            )
        )
    return groups


@register.simple_tag
def category_choice_groups():
    """The "Besoin" select: each need with its sub-needs [(need, [(slug, label)])] (no query)."""
    categories = sorted(reference.get().categories.values(), key=lambda c: (c.position, c.name))
    children = {}
    for category in categories:
        if category.parent_id:
            children.setdefault(category.parent_id, []).append(category)
    groups = []
    for category in categories:
        if category.parent_id is None:
            everything = _("%(need)s : tout") % {"need": category.label}
            options = [(category.slug, everything)] + [
                (c.slug, c.label) for c in children.get(category.pk, [])
            ]
            groups.append((category.label, options))
    return groups


@register.simple_tag
def grouped_options(groups, selected=None):
    """The <optgroup>s of a grouped select, built in Python: `{% grouped_options area_groups value %}`.

    The area select has about 180 options; a template loop over them was a fifth of the
    results page's rendering time.
    """
    selected = str(selected or "")
    return format_html_join(
        "\n",
        '<optgroup label="{}">{}</optgroup>',
        (
            (
                group,
                format_html_join(
                    "",
                    '<option value="{}"{}>{}</option>',
                    (
                        (slug, mark_safe(" selected") if slug == selected else "", label)
                        for slug, label in options
                    ),
                ),
            )
            for group, options in groups
        ),
    )


@register.simple_tag
def audience_choices():
    return sorted(reference.get().audiences.values(), key=lambda a: (a.position, a.name))


@register.simple_tag
def language_choices():
    return sorted(reference.get().languages.values(), key=lambda lang: (lang.position, lang.name))


# The options of the search selects depend on the reference data and the language only: built
# once per process for each (select, language, snapshot version), then the chosen value marked.
# The area select alone has about 180 options: rendering it took a few milliseconds a page.
_OPTIONS: dict[tuple[object, ...], str] = {}


def _language_options():
    options = []
    for language in language_choices():
        label = capfirst(language.label)
        native = language.native_name
        if native and native.lower() != language.label.lower():
            label = f"{label} · {native}"
        options.append((language.code, label))
    return format_html_join("", '<option value="{}">{}</option>', options)


def _plain_options(choices):
    return format_html_join("", '<option value="{}">{}</option>', choices)


OPTION_BUILDERS = {
    "areas": lambda: grouped_options(area_choice_groups()),
    "categories": lambda: grouped_options(category_choice_groups()),
    "languages": _language_options,
    "audiences": lambda: _plain_options((a.slug, a.label) for a in audience_choices()),
}


@register.simple_tag
def select_options(name, selected=None):
    """The options of a search select (`areas`, `categories`, `languages`, `audiences`), with
    `selected` marked: `{% select_options "areas" filter.form.territoire.value %}`."""
    key = (name, translation.get_language(), reference.get().version)
    html = _OPTIONS.get(key)
    if html is None:
        if len(_OPTIONS) > 64:  # old snapshot versions
            _OPTIONS.clear()
        html = _OPTIONS[key] = str(OPTION_BUILDERS[name]())
    selected = str(selected or "")
    if selected:
        option = str(format_html('<option value="{}">', selected))
        html = html.replace(option, option[:-1] + " selected>", 1)
    return mark_safe(html)  # noqa: S308 (built by format_html from the reference data)


@register.filter
def flag_checked(bound_field):
    """Whether a yes-only flag of the search form is on (its cleaned value is True)."""
    cleaned = getattr(bound_field.form, "cleaned_data", None) or {}
    return cleaned.get(bound_field.name) is True


# Distance and maps ---------------------------------------------------------------------------


@register.filter
def distance_label(association):
    """'à 350 m', 'à 1,2 km' for a result of a distance search (geo.within), else ''."""
    from directory import geo

    return geo.format_distance(geo.distance_km(association))


@register.simple_tag
def map_settings():
    """Tile URL template and attribution (HTML, from settings) for the map script."""
    from django.conf import settings

    return {"tiles": settings.MAP_TILE_URL, "attribution": settings.MAP_ATTRIBUTION}
