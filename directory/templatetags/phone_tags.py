"""One-tap links of result cards and listing pages: directions, SMS, WhatsApp, the share sheet."""

from django import template
from django.utils.http import urlencode

from directory.phone import mylist, sharing, vcard

register = template.Library()


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
