"""News items of a listing: the managers' list and form, withdrawing an item, and the
short address /a/<slug> that leads to the listing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directory import access
from directory.editing.forms import NewsItemForm
from directory.editing.views import get_editable_association_or_404
from directory.models import Association, NewsItem, SlugRedirect
from directory.news import services as news_services


def short_link(request, slug):
    """/a/<slug> → the listing (old slugs too); unknown or unpublished: 404."""
    association = Association.objects.published().filter(slug=slug).first()
    if association is None:
        old = SlugRedirect.objects.select_related("association").filter(old_slug=slug).first()
        if old is None or not old.association.is_published:
            return render(request, "404.html", status=404)
        association = old.association
    return redirect(association)


@login_required
def news_list(request, slug):
    """The managers' news page: the form to post an item, and the items already posted."""
    association = get_editable_association_or_404(request, slug)
    form = NewsItemForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        news_services.news_publish(
            association=association,
            user=request.user,
            title=data["title"],
            text=data["text"],
            link=data["link"],
            image=data["image"],
            alt=data["alt"],
            origin=access.acting_role(request.user, association),
        )
        messages.success(request, _("L'actualité est publiée sur votre fiche."))
        return redirect("directory:news", slug=association.slug)
    items = NewsItem.objects.filter(association=association).order_by("archived", "-published_at", "-pk")
    return render(request, "editor/news.html", {"association": association, "form": form, "items": items})


@login_required
@require_POST
def news_archive(request, slug, news_id):
    association = get_editable_association_or_404(request, slug)
    item = get_object_or_404(NewsItem, pk=news_id, association=association)
    item.association = association
    if news_services.news_archive(
        item=item, user=request.user, origin=access.acting_role(request.user, association)
    ):
        messages.success(request, _("L'actualité est retirée de la fiche."))
    return redirect("directory:news", slug=association.slug)
