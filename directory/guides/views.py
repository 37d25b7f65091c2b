"""Guides for associations: the list and one guide."""

from django.shortcuts import get_object_or_404, render

from directory import access
from directory.models import Guide


def guide_list(request):
    guides = Guide.objects.published().only("title", "slug", "summary")
    return render(request, "guides/index.html", {"guides": guides})


def guide_detail(request, slug):
    """A published guide; staff also see unpublished ones (a preview), others get a 404."""
    guide = get_object_or_404(Guide.objects.visible(drafts=access.can_read_drafts(request.user)), slug=slug)
    return render(request, "guides/detail.html", {"guide": guide})
