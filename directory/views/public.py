"""Public pages: home, results, listing, category and area landing pages, footer pages."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from directory import reference, selectors
from directory.filters import AssociationFilter, search_associations
from directory.models import Association, SlugRedirect


def paginate(request, queryset, per_page=None):
    """A page of results; an invalid or out-of-range `page` falls back with a message."""
    paginator = Paginator(queryset, per_page or settings.RESULTS_PER_PAGE)
    raw = request.GET.get("page", "1")
    page = paginator.get_page(raw)
    notice = None
    if raw and str(page.number) != raw.strip():
        notice = _("La page demandée n'existe pas : voici la page %(n)s.") % {"n": page.number}
    return page, notice


def home(request):
    arrondissements, communes = selectors.areas_for_home()
    return render(
        request,
        "directory/home.html",
        {
            "categories": selectors.top_categories_with_counts(),
            "arrondissements": arrondissements,
            "communes": communes,
            "total": Association.objects.published().count(),
            "filter": AssociationFilter(),
        },
    )


def association_list(request):
    filterset = search_associations(request.GET)
    page, page_notice = paginate(request, filterset.results.for_listing())
    ignored = filterset.ignored + ([page_notice] if page_notice else [])
    return render(
        request,
        "directory/association_list.html",
        {
            "filter": filterset,
            "page": page,
            "ignored": ignored,
            "active_filters": active_filters(request, filterset),
        },
        status=200,
    )


def active_filters(request, filterset):
    """(label, value, URL without this filter) for each applied filter, to remove it in one click."""
    if not filterset.is_bound:
        return []
    data = filterset.form.cleaned_data
    items = []
    for name, field in filterset.form.fields.items():
        value = data.get(name)
        if name == "tri" or value in (None, "", False):
            continue
        params = request.GET.copy()
        params.pop(name, None)
        params.pop("page", None)
        shown = _("oui") if value is True else str(value)
        items.append((field.label, shown, "?" + params.urlencode() if params else "?"))
    return items


def association_detail(request, slug):
    association = Association.objects.for_detail().filter(slug=slug).first()
    if association is None:
        old = SlugRedirect.objects.select_related("association").filter(old_slug=slug).first()
        if old is not None and (old.association.is_published or old.association.can_edit(request.user)):
            return redirect(old.association, permanent=True)
        return render(request, "404.html", status=404)
    preview = not association.is_published
    if preview and not association.can_edit(request.user):
        return render(request, "404.html", status=404)
    return render(
        request,
        "directory/association_detail.html",
        {"association": association, "places": list(association.places.all()), "preview": preview},
    )


def _landing_page(request, *, table, slug, name, narrow):
    """A category or area landing page: the row, its children and its associations, paginated."""
    row = getattr(reference.get(), table).get(slug)
    if row is None:
        raise Http404
    associations = narrow(Association.objects.published(), row).order_by("search_name", "pk")
    page, notice = paginate(request, associations.for_listing())
    return render(
        request,
        f"directory/{name}_detail.html",
        {
            name: row,
            "children": selectors.children_of(row, table),
            "page": page,
            "ignored": [notice] if notice else [],
        },
    )


def category_detail(request, slug):
    return _landing_page(
        request, table="categories", slug=slug, name="category", narrow=lambda qs, c: qs.in_category(c)
    )


def area_detail(request, slug):
    return _landing_page(request, table="areas", slug=slug, name="area", narrow=lambda qs, a: qs.in_area(a))


def page(request, template):
    return render(request, f"pages/{template}.html")
