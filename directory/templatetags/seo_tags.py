"""Template helpers of the page head: canonical URL, OpenGraph, JSON-LD, absolute links.

Absolute URLs are built from `SITE_URL`, not from the request's Host header: a page's public
address does not depend on how it was reached (and a forged Host cannot poison it).
"""

from django import template
from django.conf import settings
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from directory.opendata import jsonld

register = template.Library()


@register.simple_tag
def absolute_url(path):
    """'/associations/x/' → 'https://lyonassos.example/associations/x/'."""
    path = str(path or "/")
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL + path


@register.simple_tag(takes_context=True)
def canonical_url(context, keep=()):
    """The page's canonical address: its path, the non-empty parameters named in `keep`, and `page`.

    Parameters come in the order of `keep` (then `page`); empty values, unknown parameters and
    `page=1` are dropped, so `?q=&page=1` and the bare path share one canonical URL.
    """
    request = context.get("request")
    if request is None:
        return settings.SITE_URL + "/"
    params = []
    for name in [*keep, "page"]:
        if name == "page" and name in keep:
            continue
        for value in request.GET.getlist(name):
            value = value.strip()
            if value and not (name == "page" and value == "1"):
                params.append((name, value))
    query = "?" + urlencode(params) if params else ""
    return settings.SITE_URL + request.path + query


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        # The captured text is already rendered (and escaped) template output.
        context[self.name] = mark_safe(" ".join(self.nodelist.render(context).split()))  # noqa: S308
        return ""


@register.tag
def capture(parser, token):
    """`{% capture as name %}…{% endcapture %}`: render once, reuse as {{ name }} (whitespace folded).

    Blocks inside it can still be overridden by child templates, so base.html renders the
    `title` and `description` blocks once and reuses them for <title>, meta and OpenGraph.
    """
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.simple_tag
def association_jsonld(association, places):
    """The listing's schema.org NGO as a `<script type="application/ld+json">` block."""
    return jsonld.ld_json_script(jsonld.association_ld(association, list(places)))
