"""The stations near a place (Place.transit, directory/places/transit.py) on cards and pages."""

from django import template
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
