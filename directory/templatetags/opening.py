"""`{% load opening %}`: the editor's preview of a place's next 14 days."""

from django import template

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
    now = calendar.now()
    statuses = [rules.status(rules.Rules.of_place(place), now) for place in association.places.all()]
    known = [status for status in statuses if status.known]
    if not known:
        return rules.Status(known=False)
    open_now = [status for status in known if status.is_open]
    if open_now:
        return max(open_now, key=lambda status: status.closes)
    upcoming = [status for status in known if status.opens_on is not None]
    if upcoming:
        return min(upcoming, key=lambda status: (status.opens_on, status.opens))
    return known[0]
