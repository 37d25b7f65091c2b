"""Printed pages: an A4 poster per listing (with a QR code) and a printable list for an area or a need.

The QR code is served as its own SVG image (`qr.svg`) and shown with <img>: no inline SVG and no
style attribute in the page, so the strict Content-Security-Policy holds.
"""

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from directory import access, reference
from directory.filters import search_associations
from directory.models import Association
from directory.opendata import exports

PRINT_LIMIT = 500
_DAY_ABBR = [
    gettext_lazy("lun."),
    gettext_lazy("mar."),
    gettext_lazy("mer."),
    gettext_lazy("jeu."),
    gettext_lazy("ven."),
    gettext_lazy("sam."),
    gettext_lazy("dim."),
]


def _time(value):
    hours, minutes = value.split(":")
    return f"{int(hours)} h" if minutes == "00" else f"{int(hours)} h {minutes}"


def hours_summary(hours):
    """'lun.–ven. 9 h–12 h, 14 h–18 h ; sam. 10 h–12 h', or '' when the hours are unknown."""
    parts = []
    for start, end, ranges in exports.day_groups(hours):
        days = str(_DAY_ABBR[start]) if start == end else f"{_DAY_ABBR[start]}–{_DAY_ABBR[end]}"
        parts.append(days + " " + ", ".join(f"{_time(a)}–{_time(b)}" for a, b in ranges))
    return " ; ".join(parts)


def _visible_listing_or_none(request, slug):
    """The listing if the visitor may see it (access.can_view_listing), else None."""
    association = Association.objects.filter(slug=slug).detail(news=False)
    if association is None or not access.can_view_listing(request.user, association):
        return None
    return association


def listing_url(association):
    """The listing's public address, the one its QR code opens."""
    return settings.SITE_URL + association.get_absolute_url()


def qr_svg(url):
    """The QR code of `url` as a standalone SVG document (paths only, no style attribute)."""
    image = qrcode.make(
        url,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
    )
    return image.to_string(encoding="unicode")


@require_GET
def poster(request, slug):
    association = _visible_listing_or_none(request, slug)
    if association is None:
        return render(request, "404.html", status=404)
    places = list(association.places.all())
    main = places[0] if places else None
    return render(
        request,
        "print/poster.html",
        {
            "association": association,
            "place": main,
            "other_places": places[1:],
            "hours": hours_summary(main.hours) if main else "",
            "url": listing_url(association),
        },
    )


@require_GET
@cache_control(max_age=86400)
def qr_code(request, slug):
    association = _visible_listing_or_none(request, slug)
    if association is None:
        return HttpResponse(status=404)
    return HttpResponse(qr_svg(listing_url(association)), content_type="image/svg+xml")


def _groups(associations, category):
    """[(need, [associations])]: each association under each need it offers, needs in taxonomy order.

    With a top-level `category`, the groups are its sub-needs; with a sub-need, one group.
    """
    snapshot = reference.get()
    groups = {}
    for association in associations:
        keys = set()
        for item in association.categories.all():
            parent = snapshot.categories_by_id.get(item.parent_id) if item.parent_id else None
            if category is None:
                keys.add(parent or item)
            elif item == category or (category.parent_id is None and parent == category):
                keys.add(item)  # the chosen need itself, or one of its sub-needs
        for key in keys or {None}:
            groups.setdefault(key, []).append(association)

    def order(key):
        if key is None:
            return (1, 0, 0, "")
        parent = snapshot.categories_by_id.get(key.parent_id) if key.parent_id else None
        return (0, parent.position if parent else key.position, key.position, key.name)

    return [(key, groups[key]) for key in sorted(groups, key=order)]


@require_GET
def printable_list(request):
    filterset = search_associations(request.GET)
    # Invalid parameters are ignored (and listed), as on the results page.
    data = getattr(filterset.form, "cleaned_data", {}) if filterset.is_bound else {}
    area = data.get("territoire")
    category = data.get("categorie")
    context = {
        "filter": filterset,
        "area": area,
        "category": category,
        "ignored": filterset.ignored,
        "groups": [],
        "truncated": False,
    }
    if area is not None or category is not None:
        # The matches may be narrow search rows (SearchRow): the listings are read by their ids.
        matches = filterset.matches.order_by().values("pk")
        listings = Association.objects.published().filter(pk__in=matches).order_by("search_name", "pk")
        rows = list(listings.for_listing()[: PRINT_LIMIT + 1])
        context["truncated"] = len(rows) > PRINT_LIMIT
        rows = rows[:PRINT_LIMIT]
        for association in rows:
            places = list(association.places.all())
            association.print_place = places[0] if places else None
            association.print_hours = hours_summary(places[0].hours) if places else ""
        context["groups"] = _groups(rows, category)
        context["count"] = len(rows)
    if area is not None and category is not None:
        context["heading"] = _("%(need)s à %(area)s") % {"need": category.label, "area": area.short_label}
    elif area is not None:
        context["heading"] = _("Les associations à %(area)s") % {"area": area.short_label}
    elif category is not None:
        context["heading"] = _("%(need)s dans la Métropole de Lyon") % {"need": category.label}
    return render(request, "print/list.html", context)
