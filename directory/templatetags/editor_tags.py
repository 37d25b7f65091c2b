from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def can_edit_listing(context, association):
    """Association.can_edit for the request's user (no query for an anonymous visitor)."""
    request = context.get("request")
    return bool(request is not None and association.can_edit(request.user))
