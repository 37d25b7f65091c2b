"""`{% load opening %}`: open statuses of cards, calendar notes of a listing page, the editor's
preview of a place's next 14 days (directory/opening/rules.py)."""

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

from directory import hours as hours_lib
from directory.opening import calendar, rules

register = template.Library()


@register.simple_tag
def opening_preview(place_form):
    """[(date, text, is_open)] of the next 14 days as the directory will show them, or [] when
    the place has no weekly hours yet."""
    values = place_form.preview_values()
    place_rules = rules.Rules.of_values(values)
    if not place_rules.known:
        return []
    return [
        (plan.day, rules.day_text(plan), bool(plan.ranges))
        for plan in rules.next_days(place_rules, calendar.now().date())
    ]


@register.filter
def listing_opening(association):
    """The open status a card shows for a listing (its prefetched places, no query): an open
    place's, else the place that opens first, else 'Horaires non précisés'."""
    from directory.listings import cards

    return cards.listing_status(association, calendar.now())


@register.simple_tag
def calendar_notes(place):
    """The place's calendar rules in words for its listing page: public holidays, school
    holidays, the dated exceptions still to come (no query)."""
    place_rules = rules.Rules.of_place(place)
    if not place_rules.known:
        return []
    notes = [
        _("Ouvert les jours fériés.")
        if place_rules.public_holidays == "open"
        else _("Fermé les jours fériés.")
    ]
    if place_rules.school_holidays == "closed":
        notes.append(_("Fermé pendant les vacances scolaires."))
    elif place_rules.school_holidays == "hours":
        notes.append(
            _("Pendant les vacances scolaires : %(days)s.") % {"days": _week_text(place_rules.school_week)}
        )
    today = calendar.now().date()
    for item in place_rules.exceptions:
        if item.end >= today:
            notes.append(_exception_text(item))
    return notes


def _week_text(week):
    return " ; ".join(
        f"{hours_lib.WEEKDAYS[weekday]} {rules.ranges_text(ranges)}"
        for weekday, ranges in sorted(week.items())
        if ranges
    )


def _exception_text(item):
    start, end = formats.date_format(item.start, "j F Y"), formats.date_format(item.end, "j F Y")
    if item.single_day:
        when = _("Le %(day)s") % {"day": start}
        ranges = item.week.get(item.start.weekday())
        return _("%(when)s : %(hours)s.") % {
            "when": when,
            "hours": rules.ranges_text(ranges) if ranges else _("fermé"),
        }
    when = _("Du %(start)s au %(end)s") % {"start": start, "end": end}
    return _("%(when)s : %(hours)s.") % {"when": when, "hours": _week_text(item.week) or _("fermé")}
