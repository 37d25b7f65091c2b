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
