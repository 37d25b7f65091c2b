"""The phone pages: the contact card, the short address by number, "Ma liste", the offline
page and the service worker. Thin: the texts and rules are in the modules beside."""

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from directory.listings.printing import hours_summary
from directory.models import Association

from . import mylist, vcard
from .offline import keep_offline


@require_GET
def contact_vcf(request: HttpRequest, slug: str) -> HttpResponse:
    """The listing as a vCard 4.0 file; published listings only (404 otherwise)."""
    association = Association.objects.published().filter(slug=slug).detail(news=False)
    if association is None:
        return render(request, "404.html", status=404)
    listing_url = settings.SITE_URL + association.get_absolute_url()
    text = vcard.build(
        association, list(association.places.all()), listing_url=listing_url, hours_summary=hours_summary
    )
    response = HttpResponse(text.encode(), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{association.slug[:60]}.vcf"'
    return response


@require_GET
def short_id_link(request: HttpRequest, pk: int) -> HttpResponse:
    """/f/<number> → the listing, for texts where every character counts (an SMS)."""
    association = Association.objects.published().filter(pk=pk).only("slug").first()
    if association is None:
        return render(request, "404.html", status=404)
    return redirect(association)


@require_GET
@keep_offline
def my_list(request: HttpRequest) -> HttpResponse:
    """The list a link carries (`?f=slug1,slug2`), or, without `f`, the one kept in this
    browser (drawn by static/js/keep.js). `?ajouter=<address of a listing>` adds one to the
    link's list, for browsers without JavaScript."""
    values = [value for value in request.GET.getlist("f") if value.strip()]
    added = request.GET.get("ajouter", "").strip()
    slug = mylist.slug_from_text(added) if added else None
    current, _notes = mylist.parse_slugs(values)
    if slug is not None and (slug in current or len(current) < mylist.MAX_ITEMS):
        return redirect(mylist.list_path(list(dict.fromkeys([*current, slug]))))
    kept = mylist.load(values)
    if slug is not None:
        kept.notes.append(
            _("La liste est pleine (%(max)s fiches) : retirez-en une avant d'en ajouter une autre.")
            % {"max": mylist.MAX_ITEMS}
        )
    elif added:
        kept.notes.append(
            _("« %(text)s » n'est pas l'adresse d'une fiche : copiez l'adresse de la page de la fiche.")
            % {"text": added[:80]}
        )
    list_url = settings.SITE_URL + mylist.list_path([listing.slug for listing in kept.listings])
    return render(
        request,
        "phone/my_list.html",
        {
            "kept": kept,
            "from_link": bool(values),
            "list_url": list_url,
            "site_url": settings.SITE_URL,
            "example": settings.SITE_URL + reverse("directory:short_link", args=["nom-de-l-association"]),
            "max_items": mylist.MAX_ITEMS,
        },
    )


@require_GET
@keep_offline
def offline_page(request: HttpRequest) -> HttpResponse:
    return render(request, "phone/offline.html")


def _service_worker_config() -> dict[str, Any]:
    languages = [code for code, _name in settings.LANGUAGES]
    offline: dict[str, str] = {}
    for code in languages:
        with translation.override(code):
            offline[code] = reverse("directory:offline")
    return {
        "offline": offline,
        "static": settings.STATIC_URL,
        "assets": [static("css/site.css"), static("css/print.css")],
    }


@require_GET
@cache_control(no_cache=True, max_age=0)
def service_worker(request: HttpRequest) -> HttpResponse:
    """/sw.js, from the root so that its scope is the whole site. Rendered with the addresses of
    the offline pages and our static files; its bytes change when they do, so browsers update it."""
    config = json.dumps(_service_worker_config(), sort_keys=True)
    body = render_to_string("phone/sw.js", {"config": config})
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response
