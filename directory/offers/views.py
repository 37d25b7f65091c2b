"""The services pages of the association space: list, add, edit (pause included), remove.
Thin views over directory.offers.services; access through directory.access."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directory import access, reference
from directory.editing import services as editing
from directory.listings import state
from directory.models import Association, PendingChange
from directory.offers import quality
from directory.offers import services as offer_services
from directory.offers.forms import ServiceForm, place_label, service_initial

if TYPE_CHECKING:
    from django.contrib.auth.models import User as Account


def _account(request: HttpRequest) -> Account:
    """The signed-in manager (managed_association_or_404 has let only them through)."""
    user = request.user
    if not access.is_account(user):
        raise Http404
    return user


def _versions(association: Association, change: PendingChange | None) -> dict[str, Any]:
    return {
        "base_version": association.version,
        "pending_revision": change.revision if change else 0,
        "form_token": uuid.uuid4(),
    }


def _done(request: HttpRequest, association: Association, result: PendingChange) -> HttpResponse:
    if result.status == PendingChange.Status.PUBLISHED_DIRECTLY:
        messages.success(request, _("Modification publiée."))
    else:
        messages.success(request, _("Modification envoyée : elle est en attente de validation."))
    return redirect("directory:services", slug=association.slug)


def _conflict(request: HttpRequest, association: Association) -> HttpResponse:
    messages.error(
        request,
        _(
            "Quelqu'un a modifié cette fiche pendant que vous remplissiez le formulaire. Rien n'a été "
            "enregistré : voici la version à jour, recommencez votre modification."
        ),
    )
    return redirect("directory:services", slug=association.slug)


@login_required
def service_list(request: HttpRequest, slug: str) -> HttpResponse:
    association = access.managed_association_or_404(request.user, slug)
    values, change = offer_services.base_values(association)
    snap = reference.get()
    places = values.get("places", [])
    services = [
        {
            "position": position,
            "values": service,
            "summary": state.service_text(service, snap),
            "places": [place_label(places[i], snap) for i in service.get("places", []) if i < len(places)],
            "quality": quality.service_score(service, values),
        }
        for position, service in enumerate(values.get("services", []))
    ]
    return render(
        request,
        "editor/services.html",
        {
            "association": association,
            "change": change,
            "services": services,
            **_versions(association, change),
        },
    )


def _service_form(request: HttpRequest, slug: str, position: int | None = None) -> HttpResponse:
    association = access.managed_association_or_404(request.user, slug)
    values, change = offer_services.base_values(association)
    services = list(values.get("services", []))
    if position is not None and not 0 <= position < len(services):
        raise Http404
    current = services[position] if position is not None else {}
    initial = (
        {**service_initial(current), **_versions(association, change)}
        if current
        else _versions(association, change)
    )
    form = ServiceForm(request.POST or None, initial=initial, places=values.get("places", []))
    if request.method == "POST" and form.is_valid():
        service = {**current, **form.values()}
        if position is None:
            services.append(service)
        else:
            services[position] = service
        try:
            result = offer_services.services_propose(
                association=association,
                user=_account(request),
                services=services,
                base_version=form.cleaned_data["base_version"],
                pending_revision=form.cleaned_data["pending_revision"],
                form_token=form.cleaned_data["form_token"],
            )
        except editing.EditConflict:
            return _conflict(request, association)
        return _done(request, association, result)
    return render(
        request,
        "editor/service_form.html",
        {
            "association": association,
            "change": change,
            "form": form,
            "service": current,
            "position": position,
        },
    )


@login_required
def service_add(request: HttpRequest, slug: str) -> HttpResponse:
    return _service_form(request, slug)


@login_required
def service_edit(request: HttpRequest, slug: str, position: int) -> HttpResponse:
    return _service_form(request, slug, position)


@login_required
@require_POST
def service_remove(request: HttpRequest, slug: str, position: int) -> HttpResponse:
    association = access.managed_association_or_404(request.user, slug)
    values, _change = offer_services.base_values(association)
    services = list(values.get("services", []))
    try:
        base_version = int(request.POST.get("base_version", ""))
        pending_revision = int(request.POST.get("pending_revision", ""))
        form_token = str(uuid.UUID(request.POST.get("form_token", "")))
    except ValueError:
        return _conflict(request, association)
    if not 0 <= position < len(services):
        return _conflict(request, association)
    del services[position]
    try:
        result = offer_services.services_propose(
            association=association,
            user=_account(request),
            services=services,
            base_version=base_version,
            pending_revision=pending_revision,
            form_token=form_token,
        )
    except editing.EditConflict:
        return _conflict(request, association)
    return _done(request, association, result)
