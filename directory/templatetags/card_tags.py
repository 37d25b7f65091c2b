"""`{% load card_tags %}`: what a result card states (directory/listings/cards.py), no query.

A listing marked by `cards.mark()` (the results page, an area page) shows the place that matched
the search and that place's status; one that was not (another page) shows its main place and
the listing's status, computed here.
"""

from django import template

from directory import geo
from directory.listings import cards
from directory.opening import calendar

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
