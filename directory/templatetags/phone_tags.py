"""One-tap links of result cards and listing pages: directions, SMS, WhatsApp, the share sheet."""

from django import template
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from directory import links
from directory.phone import mylist, sharing, vcard

register = template.Library()


@register.simple_tag
def keep_button(association, place=None, described_by="", url=""):
    """ "Garder": keeps `association` (and its main `place`) in this browser's list (static/js/keep.js
    turns the link into a toggle button). Without JavaScript, the link opens "Ma liste" with it.
    Reads nothing but the listing: it is part of the cached results region. `described_by`: the
    id of the element naming the listing (a card's title), for screen readers; `url`: the
    listing's address when the template has it already.

    Built here rather than by an included template: a results page writes twenty of them, and
    the include cost a quarter of the cards' rendering time (1.6 of 6 ms)."""
    attributes = [("data-keep", association.slug), ("data-name", association.name)]
    attributes.append(("data-url", url or association.get_absolute_url()))
    if association.phone:
        attributes.append(("data-phone", association.phone))
    if place:
        attributes.append(("data-address", place.full_address))
    if described_by:
        attributes.append(("aria-describedby", described_by))
    written = "".join(f' {name}="{escape(value)}"' for name, value in attributes)
    my_list = links.fixed_url("directory:my_list")
    return mark_safe(  # noqa: S308 (every value escaped above)
        f'<a class="button button--small keep" href="{escape(my_list)}?f={escape(association.slug)}"'
        f"{written}>{escape(gettext('Garder'))}"
        f'<span class="visually-hidden"> {escape(gettext("dans ma liste"))}</span></a>'
    )


@register.filter
def directions_href(place):
    """OpenStreetMap's directions to the place, when its position is the address's own; else ''."""
    if place is None or not vcard.has_precise_position(place):
        return ""
    return "https://www.openstreetmap.org/directions?" + urlencode({"to": f"{place.lat:.6f},{place.lon:.6f}"})


@register.filter
def transit_directions_href(place):
    """Directions to the place by public transport, when its position is the address's own; else ''.

    OpenStreetMap's planner has no public transport: Google Maps' directions address (opened by
    its app on a phone, else its site) with `travelmode=transit` (TCL's buses, trams and metro).
    """
    if place is None or not vcard.has_precise_position(place):
        return ""
    return "https://www.google.com/maps/dir/?" + urlencode(
        {"api": "1", "destination": f"{place.lat:.6f},{place.lon:.6f}", "travelmode": "transit"}
    )


@register.simple_tag
def share_links(association, place):
    """{'sms', 'sms_href', 'whatsapp_href', 'share_text', 'short_url'} of a published listing."""
    texts = sharing.listing_texts(association, place)
    return {
        "sms": texts["sms"],
        "sms_href": sharing.sms_href(texts["sms"]),
        "whatsapp_href": sharing.whatsapp_href(texts["whatsapp"]),
        "share_text": texts["share"],
        "short_url": sharing.slug_link(association),
    }


@register.simple_tag
def my_list_max():
    """How many listings a list keeps (the browser's list and a link's)."""
    return mylist.MAX_ITEMS


@register.filter
def short_hours(place):
    """'lun.–ven. 9 h–12 h ; sam. 10 h–12 h' of a place, or ''."""
    from directory.listings.printing import hours_summary

    return hours_summary(place.hours) if place is not None else ""


@register.simple_tag
def list_sms_href(text, url):
    return sharing.sms_href(f"{text} {url}")


@register.simple_tag
def list_whatsapp_href(text, url):
    return sharing.whatsapp_href(f"{text} {url}")


@register.filter
def list_without(kept, slug):
    """The address of the list `kept` without the listing `slug`."""
    return kept.url_without(slug)
