"""Volunteer needs: /benevolat/ and a need's page with its answer form (public), and
the managers' pages in the association space (list, add, edit, withdraw, answers received)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from directory import access
from directory.editing.views import get_editable_association_or_404
from directory.filters import search_volunteer_needs
from directory.listings.views import paginate
from directory.models import VolunteerNeed
from directory.volunteering import services
from directory.volunteering.forms import VolunteerAnswerForm, VolunteerNeedForm

# Public pages ----------------------------------------------------------------------------------


def volunteer_list(request):
    filterset = search_volunteer_needs(request.GET)
    page, page_notice = paginate(request, filterset.qs)
    ignored = filterset.ignored + ([page_notice] if page_notice else [])
    return render(
        request,
        "volunteering/list.html",
        {"filter": filterset, "page": page, "ignored": ignored, "filtered": filterset.is_filtered},
    )


def _public_need_or_gone(request, pk):
    """(need, None) for an open need; (None, response) with 410 once ended, 404 otherwise."""
    need = VolunteerNeed.objects.for_listing().filter(pk=pk).first()
    if need is None or need.archived or not need.association.is_published:
        return None, render(request, "404.html", status=404)
    if need.has_ended():
        return None, render(request, "volunteering/gone.html", {"need": need}, status=410)
    return need, None


@require_http_methods(["GET", "HEAD", "POST"])
def volunteer_need(request, pk):
    need, gone = _public_need_or_gone(request, pk)
    if gone is not None:
        return gone
    form = VolunteerAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.volunteer_respond(
            need=need,
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            message=data["message"],
            form_token=data["form_token"],
        )
        return redirect("directory:volunteer_thanks", pk=need.pk)
    return render(request, "volunteering/detail.html", {"need": need, "form": form})


def volunteer_thanks(request, pk):
    need, gone = _public_need_or_gone(request, pk)
    if gone is not None:
        return gone
    return render(request, "volunteering/thanks.html", {"need": need})


# Association space -----------------------------------------------------------------------------


def _editable_need_or_404(request, slug, need_id):
    association = get_editable_association_or_404(request, slug)
    need = get_object_or_404(
        VolunteerNeed.objects.select_related("place__area", "area"), pk=need_id, association=association
    )
    need.association = association
    return association, need


@login_required
def manage_needs(request, slug):
    """The managers' page: the form to publish a need, and the needs already published."""
    association = get_editable_association_or_404(request, slug)
    form = VolunteerNeedForm(request.POST or None, association=association)
    if request.method == "POST" and form.is_valid():
        services.volunteer_need_publish(
            association=association,
            user=request.user,
            values=form.cleaned_values(),
            origin=access.acting_role(request.user, association),
        )
        messages.success(
            request, _("Le besoin de bénévoles est publié sur votre fiche et sur la page Bénévolat.")
        )
        return redirect("directory:volunteer_manage", slug=association.slug)
    needs = (
        VolunteerNeed.objects.filter(association=association)
        .select_related("place__area", "area")
        .annotate(response_count=Count("responses"))
        .order_by("archived", "-created_at", "-pk")
    )
    return render(
        request, "editor/volunteer_needs.html", {"association": association, "form": form, "needs": needs}
    )


@login_required
def edit_need(request, slug, need_id):
    association, need = _editable_need_or_404(request, slug, need_id)
    if need.archived:
        messages.error(request, _("Ce besoin a été retiré : publiez-en un nouveau."))
        return redirect("directory:volunteer_manage", slug=association.slug)
    form = VolunteerNeedForm(request.POST or None, instance=need, association=association)
    if request.method == "POST" and form.is_valid():
        # The form works on a copy: the services compare the stored values with the new ones.
        stored = VolunteerNeed.objects.get(pk=need.pk)
        stored.association = association
        changed = services.volunteer_need_update(
            need=stored,
            user=request.user,
            values=form.cleaned_values(),
            origin=access.acting_role(request.user, association),
        )
        if changed:
            messages.success(request, _("Le besoin de bénévoles est modifié."))
        else:
            messages.info(request, _("Rien n'a changé."))
        return redirect("directory:volunteer_manage", slug=association.slug)
    return render(
        request, "editor/volunteer_need_form.html", {"association": association, "need": need, "form": form}
    )


@login_required
@require_POST
def archive_need(request, slug, need_id):
    association, need = _editable_need_or_404(request, slug, need_id)
    if services.volunteer_need_archive(
        need=need, user=request.user, origin=access.acting_role(request.user, association)
    ):
        messages.success(request, _("Le besoin de bénévoles est retiré du site."))
    return redirect("directory:volunteer_manage", slug=association.slug)


@login_required
def need_responses(request, slug, need_id):
    association, need = _editable_need_or_404(request, slug, need_id)
    return render(
        request,
        "editor/volunteer_responses.html",
        {
            "association": association,
            "need": need,
            "responses": need.responses.order_by("-created_at", "-pk"),
        },
    )
