"""The stations near a place (Place.transit, directory/places/transit.py) on cards and pages."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from directory import geo

register = template.Library()

MODE_LABELS = {"metro": _("Métro"), "tram": _("Tram"), "funicular": _("Funiculaire"), "bus": _("Bus")}


@register.filter
def transit_mode(mode):
    return MODE_LABELS.get(mode, mode)


@register.filter
def walking_distance(metres):
    return geo.format_length((metres or 0) / 1000)


# A line's colour, a swatch beside its written name (an SVG fill attribute: no inline style under
# our content security policy), outlined so that a pale colour still shows on white.
SWATCH = (
    '<svg class="line__colour" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true"'
    ' focusable="false"><rect x="0.5" y="0.5" width="11" height="11" rx="2" fill="{colour}"'
    ' stroke="#1A1A1A"/></svg>'
)


@register.simple_tag
def transit_stops(stops) -> SafeString:
    """The stations near a place (`stops`, Place.transit), as a list: "Métro D · Saxe - Gambetta,
    250 m". Each line is written out; its colour only adds a swatch. A result card shows its
    place's stations (card_tags.result_card) and a listing page each place's; written in Python
    as the card is, where the included template took 0.28 ms for three stations, on each of
    twenty cards of a results page."""
    if not stops:
        return mark_safe("")
    e = conditional_escape
    items = []
    for stop in stops:
        lines = "".join(
            f'<span class="line">{SWATCH.format(colour=e(line.get("color", "")))} '
            f"{e(transit_mode(line.get('mode', '')))} {e(line.get('name', ''))}</span> "
            for line in stop.get("lines") or ()
        )
        items.append(
            f'<li>{lines}· <span lang="fr">{e(stop.get("name", ""))}</span>, '
            f"{e(walking_distance(stop.get('distance')))}</li>"
        )
    label = e(gettext("Transports en commun à proximité"))
    return mark_safe(f'\n<ul class="transit" aria-label="{label}">\n  ' + "\n  ".join(items) + "\n</ul>\n")  # noqa: S308 (every value escaped above)
