from django import template

from directory import access

register = template.Library()


@register.simple_tag(takes_context=True)
def can_edit_listing(context, association):
    """access.can_manage for the request's user (no query for an anonymous visitor)."""
    request = context.get("request")
    return bool(request is not None and access.can_manage(request.user, association))
