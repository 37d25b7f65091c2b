"""The moderation pages of the admin (queue, reviews, history, dashboard). Thin: the services
decide, `scope` filters, these views only read the request and render.

Mounted under /admin/moderation/ by the project's admin site (directory/moderation/site.py), each
wrapped in the site's `admin_view` (staff login) and `moderator_view` (the moderation permission).
Every decision is a POST on its own URL; opening a review page takes the item's lock.
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directory import reference
from directory.access import is_moderator, moderated, moderated_associations
from directory.editing import services as editing_services
from directory.listings import state
from directory.models import Association, Claim, DuplicateCandidate, PendingChange, Report
from directory.moderation import dashboard as dashboard_lib
from directory.moderation import history, queue, review, services
from directory.moderation.forms import CorrectionForm, MergeForm, NoteForm, RejectChangeForm
from directory.moderation.locks import ItemLocked, lock_acquire

REFUSED = (services.ModerationError, ItemLocked, editing_services.EditingError)


def moderator_view(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_moderator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _render(request, template, title, **context):
    # The site that mounts these pages (ModerationAdminSite.moderation_urls marks its views).
    site = request.resolver_match.func.admin_site
    return render(request, template, {**site.each_context(request), "title": title, **context})


def _take_lock(request, kind, object_id):
    """Lock the item for this moderator; return the other moderator's lock when it is taken."""
    try:
        lock_acquire(kind=kind, object_id=object_id, moderator=request.user)
    except ItemLocked as error:
        return error.lock
    return None


def _decide(request, action, *, done, back):
    """Run a service; on success go back to the queue, else to the review page with the reason."""
    try:
        action()
    except REFUSED as error:
        messages.error(request, str(error))
        return redirect(back)
    messages.success(request, done)
    return redirect("admin:moderation_queue")


# Queue and dashboard -------------------------------------------------------------------------------


@moderator_view
def queue_view(request):
    snap = reference.get()
    area = snap.areas.get(request.GET.get("territoire", ""))
    category = snap.categories.get(request.GET.get("besoin", ""))
    kind = request.GET.get("type", "")
    kind = kind if kind in queue.KINDS else ""
    page = request.GET.get("page", "")
    page = int(page) if page.isdigit() and len(page) < 6 else 1
    by_quality = request.GET.get("tri") == "qualite"
    waiting = queue.queue_page(
        request.user, kind=kind or None, area=area, category=category, page=page, by_quality=by_quality
    )
    return _render(
        request,
        "admin/moderation/queue.html",
        _("File de modération"),
        page=waiting,
        items=waiting.items,
        counts=waiting.counts,
        kinds=queue.KINDS,
        kind=kind,
        area=area,
        category=category,
        by_quality=by_quality,
        areas=sorted((a for a in snap.areas.values() if a.kind != "quartier"), key=lambda a: a.name),
        categories=snap.top_categories(),
    )


@moderator_view
def dashboard_view(request):
    return _render(
        request,
        "admin/moderation/dashboard.html",
        _("Tableau de bord de la modération"),
        **dashboard_lib.context(request.user),
    )


# Pending changes ---------------------------------------------------------------------------------


def _change(request, pk):
    changes = PendingChange.objects.select_related("association", "submitted_by", "decided_by")
    return get_object_or_404(moderated(request.user, changes), pk=pk)


@moderator_view
def change_review(request, pk):
    change = _change(request, pk)
    return _change_page(
        request, change, locked_by=_take_lock(request, "change", change.pk) if change.is_open else None
    )


def _change_page(request, change, *, locked_by, correction_form=None, status=200):
    """The review of a pending change. A new listing was never published: it is read in one
    column (what will be published); an edit, side by side with the published listing."""
    context = {}
    never_published = change.association.status == Association.Status.PENDING
    if change.kind == PendingChange.Kind.NEW_LISTING or (change.is_open and never_published):
        context["proposal"] = review.proposed(change.proposed)
        context["completeness"] = review.completeness(change.association, change.proposed)
    else:
        current = state.values_from_association(state.for_values().get(pk=change.association_id))
        context["comparison"] = state.compare(current, change.proposed)
        review.score_services(context["comparison"]["services"], change.proposed)
        context["completeness"] = review.completeness(change.association, change.proposed, current)
    response = _render(
        request,
        "admin/moderation/change.html",
        _("Revue : %(name)s") % {"name": change.association.name},
        change=change,
        locked_by=locked_by,
        unplaced=review.places_without_position(change.proposed),
        reject_form=RejectChangeForm(),
        **context,
    )
    response.status_code = status
    return response


@moderator_view
def change_preview(request, pk):
    """The public page of the listing as it will be once the change is published: the proposed
    values applied in a transaction rolled back (as the association space's preview), without
    a reindex, so that the shared caches never move."""
    change = _change(request, pk)
    with transaction.atomic():
        association = Association.objects.get(pk=change.association_id)
        if change.is_open:
            state.apply_values(association, change.proposed)
        shown = Association.objects.filter(pk=association.pk).detail()
        html = render_to_string(
            "admin/moderation/preview.html",
            {"association": shown, "places": list(shown.places.all()), "change": change},
            request=request,
        )
        transaction.set_rollback(True)
    return HttpResponse(html)


@moderator_view
def change_correct(request, pk):
    """ "Corriger puis publier": the moderator fixes a few proposed values and publishes, in one
    step (services.change_correct_and_approve logs the corrections)."""
    change = _change(request, pk)
    if not change.is_open:
        messages.error(request, _("Cette modification n'est plus en attente."))
        return redirect("admin:moderation_change", pk=pk)
    form = CorrectionForm(request.POST or None, change=change)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_correct_and_approve(
                change=change,
                moderator=request.user,
                corrections=form.corrections(),
                revision=form.cleaned_data["revision"],
            )
        except REFUSED as error:
            messages.error(request, str(error))
            # Nothing lost: the corrections stay in the form, now against the current proposal.
            change.refresh_from_db()
            data = request.POST.copy()
            data["revision"] = change.revision
            form = CorrectionForm(data, change=change)
        else:
            messages.success(
                request, _("« %(name)s » : corrigée et publiée.") % {"name": change.association.name}
            )
            return redirect("admin:moderation_queue")
    locked_by = _take_lock(request, "change", change.pk)
    return _render(
        request,
        "admin/moderation/correct.html",
        _("Corriger puis publier : %(name)s") % {"name": change.association.name},
        change=change,
        form=form,
        locked_by=locked_by,
        unplaced=review.places_without_position(change.proposed),
    )


@moderator_view
def listing_review(request, pk):
    """A listing "en attente de validation" from the queue: its review is its pending change,
    recorded first when it has none (services.pending_listing_open)."""
    association = _listing(request, pk)
    try:
        change = services.pending_listing_open(association=association, moderator=request.user)
    except REFUSED as error:
        messages.error(request, str(error))
        return redirect("admin:moderation_queue")
    return redirect("admin:moderation_change", pk=change.pk)


@require_POST
@moderator_view
def change_approve(request, pk):
    change = _change(request, pk)
    return _decide(
        request,
        lambda: services.change_approve(change=change, moderator=request.user),
        done=_("« %(name)s » : modification publiée.") % {"name": change.association.name},
        back=reverse("admin:moderation_change", args=[pk]),
    )


@require_POST
@moderator_view
def change_reject(request, pk):
    change = _change(request, pk)
    form = RejectChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez un motif de refus."))
        return redirect("admin:moderation_change", pk=pk)
    return _decide(
        request,
        lambda: services.change_reject(change=change, moderator=request.user, **form.cleaned_data),
        done=_("« %(name)s » : modification refusée, la personne est prévenue.")
        % {"name": change.association.name},
        back=reverse("admin:moderation_change", args=[pk]),
    )


# Claims ----------------------------------------------------------------------------------------------


def _claim(request, pk):
    return get_object_or_404(
        moderated(request.user, Claim.objects.select_related("association", "user")), pk=pk
    )


@moderator_view
def claim_review(request, pk):
    claim = _claim(request, pk)
    pending = claim.status == Claim.Status.PENDING
    return _render(
        request,
        "admin/moderation/claim.html",
        _("Demande de gestion : %(name)s") % {"name": claim.association.name},
        claim=claim,
        locked_by=_take_lock(request, "claim", claim.pk) if pending else None,
        managers=list(claim.association.managers.all()),
        form=NoteForm(),
    )


def _claim_decision(request, pk, service, done):
    claim = _claim(request, pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _decide(
        request,
        lambda: service(claim=claim, moderator=request.user, note=note),
        done=done % {"name": claim.association.name},
        back=reverse("admin:moderation_claim", args=[pk]),
    )


@require_POST
@moderator_view
def claim_accept(request, pk):
    return _claim_decision(request, pk, services.claim_accept, _("« %(name)s » : demande acceptée."))


@require_POST
@moderator_view
def claim_refuse(request, pk):
    return _claim_decision(request, pk, services.claim_refuse, _("« %(name)s » : demande refusée."))


# Reports ---------------------------------------------------------------------------------------------


def _report(request, pk):
    return get_object_or_404(
        moderated(request.user, Report.objects.select_related("association", "event")), pk=pk
    )


@moderator_view
def report_review(request, pk):
    report = _report(request, pk)
    return _render(
        request,
        "admin/moderation/report.html",
        _("Signalement : %(name)s") % {"name": report.association.name},
        report=report,
        locked_by=_take_lock(request, "report", report.pk) if report.is_open else None,
        form=NoteForm(),
        others=Report.objects.filter(association=report.association)
        .exclude(pk=report.pk)
        .order_by("-created_at")[:10],
    )


@require_POST
@moderator_view
def report_take(request, pk):
    report = _report(request, pk)
    try:
        services.report_take(report=report, moderator=request.user)
    except REFUSED as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Signalement pris en charge."))
    return redirect("admin:moderation_report", pk=pk)


def _report_decision(request, pk, service, done):
    report = _report(request, pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _decide(
        request,
        lambda: service(report=report, moderator=request.user, note=note),
        done=done,
        back=reverse("admin:moderation_report", args=[pk]),
    )


@require_POST
@moderator_view
def report_resolve(request, pk):
    return _report_decision(request, pk, services.report_resolve, _("Signalement résolu."))


@require_POST
@moderator_view
def report_reject(request, pk):
    return _report_decision(request, pk, services.report_reject, _("Signalement rejeté."))


# Stale listings ------------------------------------------------------------------------------------


def _listing(request, pk):
    return get_object_or_404(moderated_associations(request.user), pk=pk)


@moderator_view
def stale_review(request, pk):
    # The page shows the listing's places (with their areas): detail() reads them.
    association = moderated_associations(request.user).filter(pk=pk).detail(news=False)
    if association is None:
        raise Http404
    return _render(
        request,
        "admin/moderation/stale.html",
        _("Fiche à revérifier : %(name)s") % {"name": association.name},
        association=association,
        locked_by=_take_lock(request, "stale", association.pk),
        reports=Report.objects.open().filter(association=association),
    )


@require_POST
@moderator_view
def stale_verify(request, pk):
    association = _listing(request, pk)
    return _decide(
        request,
        lambda: services.listing_mark_verified(association=association, moderator=request.user),
        done=_("« %(name)s » : fiche marquée comme vérifiée.") % {"name": association.name},
        back=reverse("admin:moderation_stale", args=[pk]),
    )


# Duplicates ------------------------------------------------------------------------------------------


def _candidate(request, pk):
    candidates = moderated(
        request.user, DuplicateCandidate.objects.select_related("first", "second"), "first"
    )
    candidate = get_object_or_404(moderated(request.user, candidates, "second"), pk=pk)
    return candidate


@moderator_view
def duplicate_review(request, pk):
    candidate = _candidate(request, pk)
    listings = {a.pk: a for a in state.for_values().filter(pk__in=[candidate.first_id, candidate.second_id])}
    first = state.values_from_association(listings[candidate.first_id])
    second = state.values_from_association(listings[candidate.second_id])
    return _render(
        request,
        "admin/moderation/duplicate.html",
        _("Doublon possible"),
        candidate=candidate,
        locked_by=_take_lock(request, "duplicate", candidate.pk)
        if candidate.status == DuplicateCandidate.Status.OPEN
        else None,
        comparison=state.compare(first, second),
        mergeable=[(f"take_{name}", state.field_label(name)) for name in services.MERGEABLE_FIELDS],
        form=MergeForm(candidate=candidate, initial={"survivor": candidate.first_id}),
    )


@require_POST
@moderator_view
def duplicate_merge(request, pk):
    candidate = _candidate(request, pk)
    form = MergeForm(request.POST, candidate=candidate)
    if not form.is_valid():
        messages.error(request, _("Choisissez la fiche conservée."))
        return redirect("admin:moderation_duplicate", pk=pk)
    survivor = candidate.first if form.cleaned_data["survivor"] == candidate.first_id else candidate.second
    return _decide(
        request,
        lambda: services.association_merge(
            candidate=candidate,
            survivor=survivor,
            moderator=request.user,
            take_from_other=form.taken_fields(),
        ),
        done=_("Fiches fusionnées dans « %(name)s ».") % {"name": survivor.name},
        back=reverse("admin:moderation_duplicate", args=[pk]),
    )


@require_POST
@moderator_view
def duplicate_dismiss(request, pk):
    candidate = _candidate(request, pk)
    return _decide(
        request,
        lambda: services.duplicate_dismiss(candidate=candidate, moderator=request.user),
        done=_("Ce n'est pas un doublon : c'est noté."),
        back=reverse("admin:moderation_duplicate", args=[pk]),
    )


# History and revert ----------------------------------------------------------------------------------


@moderator_view
def history_view(request, pk):
    association = _listing(request, pk)
    changes = list(history.changes_of(association))
    merged_ids = [int(c.action.split(":", 1)[1]) for c in changes if c.action.startswith("merged:")]
    absorbed = [
        (listing, [(c, state.history_rows(c.changes)) for c in history.changes_of(listing)])
        for listing in Association.objects.filter(pk__in=merged_ids)
    ]
    return _render(
        request,
        "admin/moderation/history.html",
        _("Historique : %(name)s") % {"name": association.name},
        association=association,
        entries=[(c, state.history_rows(c.changes)) for c in changes],
        absorbed=absorbed,
    )


@require_POST
@moderator_view
def history_revert(request, pk, change_pk):
    association = _listing(request, pk)
    change = get_object_or_404(association.changes, pk=change_pk)
    try:
        services.association_revert(association=association, change=change, moderator=request.user)
    except REFUSED as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("« %(name)s » a retrouvé son contenu du %(date)s.")
            % {
                "name": association.name,
                "date": date_format(localtime(change.created_at), "SHORT_DATETIME_FORMAT"),
            },
        )
    return redirect("admin:moderation_history", pk=pk)
