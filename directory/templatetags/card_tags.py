"""`{% load card_tags %}`: what a result card states (directory/listings/cards.py), no query.

A listing marked by `cards.mark()` (the results page, an area page) shows the place that matched
the search and that place's status; one that was not (another page) shows its main place and
the listing's status, computed here.

`{% result_card association %}` writes the whole card. It is built in Python, as the admin's
change list builds its rows (`items_for_result`), rather than by an included template: a page
writes twenty cards, and the template engine spent 0.3–0.6 ms on each (40 variable lookups,
a dozen nodes), the largest part of a cold results page's Python time.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from directory import geo
from directory.listings import cards
from directory.opening import calendar

from .directory_tags import has_accessible_place, tel_href
from .icon_tags import category_icon, fact_icon
from .offers_tags import matched_service, service_line
from .phone_tags import directions_href, keep_button
from .places_tags import transit_stops

register = template.Library()


@register.filter
def card_place(association):
    """The place the card shows: the one that matched the search, else the main one."""
    place = getattr(association, "card_place", None)
    return place if place is not None else association.main_place


@register.filter
def card_distance(association):
    """'à 350 m' from the search's point to the card's place, '' without a point."""
    if hasattr(association, "card_distance_km"):
        return geo.format_distance(association.card_distance_km)
    return geo.format_distance(geo.distance_km(association))


@register.filter
def card_status(association):
    """The open status the card shows (opening/rules.Status)."""
    status = getattr(association, "card_status", None)
    return status if status is not None else cards.listing_status(association, calendar.now())


@register.filter
def other_places(association):
    """How many places the listing has besides the one its card shows."""
    return max(len(association.places.all()) - 1, 0)


# The card ------------------------------------------------------------------------------------

# A listing's reception, as the card's badge: (CSS modifier, pictogram, label).
RECEPTION_BADGES = {
    "walk_in": ("walkin", "walk_in", _("Sans rendez-vous")),
    "both": ("walkin", "walk_in", _("Avec ou sans rendez-vous")),
    "appointment": ("appointment", "appointment", _("Sur rendez-vous")),
}


@register.simple_tag(takes_context=True)
def result_card(context, association):
    """The card of a listing in a list of results: its name, the place (card_place), its distance,
    its open status, its transit stops, its short description, the service the search found
    (the context's `filter`), its needs, its badges (free, reception, wheelchair, volunteers) and
    its actions (Appeler, Itinéraire, Garder). Icons are aria-hidden and always beside a text
    (directory/icons.py). Reads only the relations `cards()`/`for_cards()` loaded (categories,
    places, services when the page kept them): no query.

    It is part of the cached results region (directory/search/pages.py): it reads the listing
    and the search only; the region is kept no longer than its open statuses hold."""
    e = conditional_escape
    slug = e(association.slug)
    card_url = association.get_absolute_url()
    place = card_place(association)
    parts = [
        '<article class="card">\n'
        f'  <h3 class="card__title" id="card-{slug}"><a href="{e(card_url)}" lang="fr">'
        f"{e(association.name)}</a></h3>"
    ]
    if place:
        parts.append(_where(association, place))
    distance = card_distance(association)
    if distance:
        parts.append(f'  <p class="card__distance">{fact_icon("distance")}<span>{e(distance)}</span></p>')
    status = card_status(association)
    modifier = " card__opening--open" if status.is_open else ""
    parts.append(f'  <p class="card__opening{modifier}">{fact_icon("opening")}{e(status.label)}</p>')
    if place and place.transit:
        parts.append(transit_stops(place.transit))
    if association.short_description:
        parts.append(f'  <p class="card__text" lang="fr">{e(association.short_description)}</p>')
    service = matched_service(association, context.get("filter"))
    if service:
        parts.append(
            f'<p class="card__service"><span class="visually-hidden">{e(gettext("Service correspondant :"))} '
            f'</span><a href="{e(card_url)}#service-{service.pk}" lang="fr">{e(service_line(service))}</a></p>'
        )
    categories = association.categories.all()
    if categories:
        tags = '<span class="visually-hidden">, </span> '.join(
            f'<span class="card__tag">{category_icon(category)}{e(category.label)}</span>'
            for category in categories
        )
        parts.append(
            f'  <p class="card__categories"><span class="visually-hidden">{e(gettext("Besoins :"))} </span>{tags}</p>'
        )
    badges = _badges(association)
    if badges:
        parts.append('  <p class="badges">\n    ' + "\n    ".join(badges) + "\n  </p>")
    parts.append(_actions(association, place, card_url))
    parts.append("</article>")
    return mark_safe("\n".join(parts))  # noqa: S308 (every value escaped above)


def _where(association, place) -> str:
    e = conditional_escape
    street = f'<span class="card__street">{e(place.address)}</span>, ' if place.address else ""
    quartier = f" · {e(place.quartier.label)}" if place.quartier else ""
    others = other_places(association)
    more = ""
    if others:
        words = ngettext("(et %(counter)s autre lieu)", "(et %(counter)s autres lieux)", others) % {
            "counter": others
        }
        more = f' <span class="card__more-places">{e(words)}</span>'
    return (
        f'  <p class="card__where">{fact_icon("place")}<span><span class="visually-hidden">'
        f"{e(gettext('Lieu :'))} </span>{street}"
        f'<span class="card__commune">{e(place.city_label)}</span>{quartier}{more}</span></p>'
    )


def _badges(association) -> list[str]:
    e = conditional_escape
    badges = []
    if association.is_free:
        badges.append(f'<span class="badge badge--free">{fact_icon("free")}{e(gettext("Gratuit"))}</span>')
    reception = RECEPTION_BADGES.get(association.reception)
    if reception:
        modifier, pictogram, label = reception
        badges.append(f'<span class="badge badge--{modifier}">{fact_icon(pictogram)}{e(label)}</span>')
    if has_accessible_place(association):
        badges.append(
            f'<span class="badge badge--access">{fact_icon("accessible")}'
            f"{e(gettext('Accessible (fauteuil)'))}</span>"
        )
    if association.volunteers_sought:
        badges.append(
            f'<span class="badge badge--volunteers">{fact_icon("volunteers")}'
            f"{e(gettext('Cherche des bénévoles'))}</span>"
        )
    return badges


def _actions(association, place, card_url) -> str:
    e = conditional_escape
    slug = e(association.slug)
    actions = []
    tel = tel_href(association.phone)
    if tel:
        actions.append(
            f'<a class="button button--primary card__call" href="{e(tel)}" aria-describedby="card-{slug}">'
            f'{fact_icon("phone")}<span>{e(gettext("Appeler"))} <span class="nowrap">{e(association.phone)}'
            "</span></span></a>"
        )
    href = directions_href(place)
    if href:
        towards = gettext("vers %(address)s (OpenStreetMap)") % {"address": e(place.full_address)}
        actions.append(
            f'<a class="button button--small" href="{e(href)}">{e(gettext("Itinéraire"))}'
            f'<span class="visually-hidden"> {towards}</span></a>'
        )
    actions.append(keep_button(association, place, f"card-{association.slug}", card_url))
    return '  <p class="card__actions">\n    ' + "\n    ".join(actions) + "\n  </p>"
