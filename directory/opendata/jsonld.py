"""schema.org JSON-LD for a listing page (an `NGO`), and its safe embedding in HTML.

The block is `<script type="application/ld+json">`: a data block that browsers never execute,
so the Content-Security-Policy (no inline script) does not apply to it. Its text is escaped the
way `json_script` escapes (`<`, `>`, `&` as \\u escapes) so that a name containing
`</script>` cannot close the element.
"""

import json
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
_SCHEMA_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def ld_json_script(data: dict[str, Any]) -> SafeString:
    """`<script type="application/ld+json">…</script>` holding `data`, escaped for HTML."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


def _absolute(path):
    return settings.SITE_URL + path


def opening_hours_specification(hours):
    """Structured hours → schema.org OpeningHoursSpecification, one per day and range."""
    specs = []
    for day in range(7):
        for opens, closes in (hours or {}).get(str(day), []):
            specs.append(
                {
                    "@type": "OpeningHoursSpecification",
                    "dayOfWeek": f"https://schema.org/{_SCHEMA_DAYS[day]}",
                    "opens": opens,
                    "closes": closes,
                }
            )
    return specs


def _postal_address(place):
    return {
        "@type": "PostalAddress",
        "streetAddress": place.address,
        "postalCode": place.postcode,
        "addressLocality": place.area.parent.name if place.area.parent_id else place.area.name,
        "addressRegion": "Auvergne-Rhône-Alpes",
        "addressCountry": "FR",
    }


def association_ld(association, places):
    """The NGO description of a listing; `places` are its places, main one first."""
    url = _absolute(association.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NGO",
        "@id": url + "#association",
        "name": association.name,
        "url": url,
    }
    description = association.short_description or association.description
    if description:
        data["description"] = description
    if association.phone:
        data["telephone"] = association.phone
    if association.email:
        data["email"] = association.email
    if association.logo:
        data["logo"] = _absolute(association.logo.url)
    same_as = [
        u
        for u in [association.website, *association.social_link_list]
        if u.startswith(("http://", "https://"))
    ]
    if same_as:
        data["sameAs"] = same_as
    if association.rna:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "RNA", "value": association.rna}
    categories = [c.name for c in association.categories.all()]
    if categories:
        data["knowsAbout"] = categories
    if places:
        main = places[0]
        data["address"] = _postal_address(main)
        if main.lat is not None and main.lon is not None:
            data["geo"] = {"@type": "GeoCoordinates", "latitude": main.lat, "longitude": main.lon}
        hours = opening_hours_specification(main.hours)
        if hours:
            data["openingHoursSpecification"] = hours
        if len(places) > 1:
            data["location"] = [
                {"@type": "Place", "name": p.name or p.city_name, "address": _postal_address(p)}
                for p in places
            ]
    return data
