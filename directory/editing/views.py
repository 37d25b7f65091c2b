"""The association space: dashboard, adding and editing a listing, preview, pending change,
verification, co-managers, invitations and claims. Thin views over directory.editing."""

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directory import access
from directory.editing import claims as claim_services
from directory.editing import drafts, duplicates, services, steps, wording
from directory.editing import uploads as temp_uploads
from directory.editing.forms import (
    ClaimCodeForm,
    ClaimCodeRequestForm,
    ClaimDecisionForm,
    ClaimRequestForm,
    InvitationForm,
    ListingEditor,
    NotDuplicateForm,
)
from directory.listings import services as directory_services
from directory.listings import state
from directory.models import (
    Association,
    AssociationChange,
    AssociationManager,
    Claim,
    Invitation,
    ListingDraft,
    PendingChange,
)
from directory.offers import quality


def get_editable_association_or_404(
    request: HttpRequest, slug: str, queryset: QuerySet[Association] | None = None
) -> Association:
    """The listing `slug` if request.user may use its association space, else 404."""
    return access.managed_association_or_404(request.user, slug, queryset)


def _open_change(association):
    return PendingChange.objects.open().filter(association=association).first()


@login_required
def dashboard(request):
    associations = list(Association.objects.filter(memberships__user=request.user).order_by("name", "pk"))
    open_changes = {
        c.association_id: c for c in PendingChange.objects.open().filter(association__in=associations)
    }
    claims = Claim.objects.filter(
        association__in=associations, to_managers=True, status=Claim.Status.PENDING
    ).select_related("user", "association")
    rows = [(a, open_changes.get(a.pk), wording.status_text(a, open_changes.get(a.pk))) for a in associations]
    return render(
        request,
        "editor/dashboard.html",
        {"rows": rows, "claims": claims, "decision_form": ClaimDecisionForm()},
    )


def _completeness(association, change):
    """How complete the listing is (offers/quality.py) with what it misses: the open change's
    values when there is one (what the listing will be), else the published ones.
    `association` comes with state.for_values()'s prefetches."""
    values = {**state.snapshot(association), **state.values_from_association(association)}
    if change is not None:
        values.update(change.proposed)
    return quality.listing_score(values)


def _services_logged(changes):
    """The old and new services of a logged change, or nothing when they did not change."""
    logged = (changes or {}).get("services")
    if isinstance(logged, dict) and "old" in logged:
        return logged.get("old"), logged.get("new")
    return [], []


def _render_manage(request, association, invitation_form):
    """`association`: fetched with state.for_values() (its completeness reads its values)."""
    history = Paginator(AssociationChange.objects.filter(association=association), 30).get_page(
        request.GET.get("page")
    )
    for entry in history:
        entry.sentence = wording.history_sentence(entry, request.user)
        # What changed in its services, a sentence a service (the sentence names "la fiche").
        entry.service_words = state.services_in_words(*_services_logged(entry.changes))
    change = _open_change(association)
    return render(
        request,
        "editor/manage.html",
        {
            "association": association,
            "status_text": wording.status_text(association, change),
            "change": change,
            "completeness": _completeness(association, change),
            "history": history,
            "memberships": association.memberships.select_related("user"),
            "invitations": association.invitations.pending(),
            "invitation_form": invitation_form,
            "edit_steps": steps.STEPS,
        },
    )


@login_required
def manage(request, slug):
    association = get_editable_association_or_404(request, slug, queryset=state.for_values())
    return _render_manage(request, association, InvitationForm())


# Adding and editing ----------------------------------------------------------------------------


def add(request):
    """ "Ajouter une association": why an account is needed (with sign-up and log-in links that
    come back here), or the steps ahead, the drafts to resume and the button to start."""
    if not access.is_account(request.user):
        return render(request, "editor/add_account.html", {"next": request.get_full_path()})
    drafts = list(ListingDraft.objects.open().new_listings().filter(user=request.user))
    for draft in drafts:
        draft.resume_step = steps.next_step(draft)
    return render(request, "editor/add_intro.html", {"drafts": drafts, "steps": steps.STEPS})


@login_required
@require_POST
def add_start(request):
    draft = drafts.draft_start(user=request.user)
    return redirect("directory:add_step", key=draft.key, step=steps.STEPS[0].slug)


def _sent(request, draft):
    messages.info(request, _("Cette fiche est déjà envoyée : la voici."))
    if draft.association_id:
        return redirect("directory:manage", slug=draft.association.slug)
    return redirect("directory:dashboard")


def _progress(draft, current):
    """The steps for the progress list: (step, number, done, current)."""
    return [
        (step, number, step.slug in draft.steps_done, step.slug == current)
        for number, step in enumerate(steps.STEPS, start=1)
    ]


@login_required
def add_step(request, key, step):
    draft = access.own_draft_or_404(request.user, key)
    current = steps.STEPS_BY_SLUG.get(step)
    if current is None:
        raise Http404
    if draft.submitted_at is not None:
        return _sent(request, draft)
    form = current.build(draft, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            draft = drafts.draft_save_step(
                draft=draft, step=current, values=form.values(), uploads=form.uploads()
            )
        except drafts.DraftAlreadySent as sent:
            return _sent(request, sent.draft)
        # On to the next step; back to the review once every step is filled in (a step
        # reopened from the review returns there).
        index = steps.STEPS.index(current)
        if steps.next_step(draft) is None or index + 1 == len(steps.STEPS):
            return redirect("directory:add_review", key=draft.key)
        return redirect("directory:add_step", key=draft.key, step=steps.STEPS[index + 1].slug)
    found = []
    if isinstance(form, steps.ListingStepForm) and form.is_bound and form.has_error("rna", "duplicate_rna"):
        found = duplicates.find_duplicates({"rna": form.data.get("listing-rna", "").strip().upper()})
    number = steps.step_number(current)
    return render(
        request,
        "editor/add_step.html",
        {
            "draft": draft,
            "step": current,
            "form": form,
            "number": number,
            "total": len(steps.STEPS) + 1,
            "progress": _progress(draft, current.slug),
            "previous": steps.STEPS[number - 2] if number > 1 else None,
            "postcodes": steps.postcode_areas() if current.kind == "places" else None,
            "duplicates": found,
        },
    )


def _review_sections(draft, values):
    return [
        (step, state.field_rows({}, values, [f for f in step.fields if f not in ("logo", "photos")]))
        for step in steps.STEPS
    ]


def _render_review(request, draft, *, found=(), status=200):
    values = drafts.draft_values(draft)
    logo, photos, missing = drafts.draft_images(request=request, draft=draft)
    missing_steps = [steps.STEPS_BY_SLUG[s] for s in steps.REQUIRED_STEPS if s not in draft.steps_done]
    return render(
        request,
        "editor/add_review.html",
        {
            "draft": draft,
            "sections": _review_sections(draft, values),
            "logo": logo,
            "photos": photos,
            "images_missing": missing,
            "missing_steps": missing_steps,
            "duplicates": found,
            "blocking": any(d.blocking for d in found),
            "confirm": NotDuplicateForm(),
            "number": len(steps.STEPS) + 1,
            "total": len(steps.STEPS) + 1,
            "progress": _progress(draft, "relire"),
        },
        status=status,
    )


@login_required
def add_review(request, key):
    draft = access.own_draft_or_404(request.user, key)
    if draft.submitted_at is not None:
        return _sent(request, draft)
    return _render_review(request, draft, found=duplicates.find_duplicates(drafts.draft_values(draft)))


@login_required
@require_POST
def add_submit(request, key):
    draft = access.own_draft_or_404(request.user, key)
    confirm = NotDuplicateForm(request.POST)
    confirmed = confirm.is_valid() and confirm.cleaned_data["confirm_not_duplicate"]
    try:
        change = drafts.draft_submit(
            request=request, draft=draft, user=request.user, confirm_not_duplicate=confirmed
        )
    except drafts.DraftAlreadySent as sent:
        return _sent(request, sent.draft)
    except drafts.DraftError as error:
        if error.step == "photos":
            messages.error(
                request, _("Une image n'est plus disponible (gardée un jour) : choisissez-la à nouveau.")
            )
        else:
            messages.error(request, _("Il manque une étape : complétez-la, puis envoyez la fiche."))
        return redirect("directory:add_step", key=draft.key, step=error.step)
    except drafts.DraftDuplicates as found:
        messages.warning(request, _("Cette association semble déjà avoir une fiche : vérifiez ci-dessous."))
        return _render_review(request, draft, found=found.found, status=200)
    messages.success(
        request,
        _(
            "Merci ! La fiche est envoyée. Un modérateur la relit avant sa publication, en général sous 3 jours."
        ),
    )
    return redirect("directory:manage", slug=change.association.slug)


@login_required
@require_POST
def add_discard(request, key):
    draft = access.own_draft_or_404(request.user, key)
    try:
        drafts.draft_discard(draft=draft)
    except drafts.DraftAlreadySent as sent:
        return _sent(request, sent.draft)
    messages.success(request, _("Brouillon supprimé."))
    return redirect("directory:add")


# Editing a listing in steps: the add form's steps over an edit draft seeded from the listing.


def _edit_draft(request, slug, queryset=None):
    association = get_editable_association_or_404(request, slug, queryset=queryset)
    return association, drafts.edit_draft_open(user=request.user, association=association)


def _edit_progress(current):
    """Every step of an edit draft is filled in: each one is a link, except the current one."""
    return [(step, number, True, step.slug == current) for number, step in enumerate(steps.STEPS, start=1)]


@login_required
def edit(request, slug):
    """ "Modifier la fiche": the first step of the person's edit draft (seeded on the way)."""
    association, _draft = _edit_draft(request, slug)
    return redirect("directory:edit_step", slug=association.slug, step=steps.STEPS[0].slug)


@login_required
def edit_step(request, slug, step):
    current = steps.STEPS_BY_SLUG.get(step)
    if current is None:
        raise Http404
    association, draft = _edit_draft(request, slug)
    form = current.build(draft, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            drafts.draft_save_step(draft=draft, step=current, values=form.values(), uploads=form.uploads())
        except drafts.DraftAlreadySent:
            # Sent by another tab meanwhile: this step goes to a new draft, seeded afresh.
            messages.info(
                request, _("Vos modifications précédentes ont été envoyées : reprenez cette étape.")
            )
            return redirect("directory:edit_step", slug=association.slug, step=current.slug)
        # Editing is rarely linear: each step saved goes to the review, which shows what
        # changed and links every step.
        return redirect("directory:edit_review", slug=association.slug)
    number = steps.step_number(current)
    return render(
        request,
        "editor/edit_step.html",
        {
            "association": association,
            "draft": draft,
            "step": current,
            "form": form,
            "number": number,
            "total": len(steps.STEPS) + 1,
            "progress": _edit_progress(current.slug),
            "previous": steps.STEPS[number - 2] if number > 1 else None,
            "postcodes": steps.postcode_areas() if current.kind == "places" else None,
            "editing": True,
        },
    )


def _render_edit_review(request, association, draft, *, conflict_rows=None):
    published = state.values_from_association(association)
    values = drafts.edit_draft_values(draft)
    change = _open_change(association)
    logo, photos, missing = drafts.draft_images(request=request, draft=draft)
    return render(
        request,
        "editor/edit_review.html",
        {
            "association": association,
            "draft": draft,
            "change": change,
            "new_logo": logo,
            "new_photos": photos,
            "images_missing": missing,
            "rows": state.comparison(published, values),
            # In the words of the history: "Vous modifiez les horaires."
            "summary": wording.fields_phrase(state.changes(published, values)),
            "conflict_rows": conflict_rows,
            "number": len(steps.STEPS) + 1,
            "total": len(steps.STEPS) + 1,
            "progress": _edit_progress("relire"),
            "editing": True,
        },
    )


@login_required
def edit_review(request, slug):
    association, draft = _edit_draft(request, slug, queryset=state.for_values())
    return _render_edit_review(request, association, draft)


@login_required
@require_POST
def edit_submit(request, slug):
    association = get_editable_association_or_404(request, slug, queryset=state.for_values())
    draft = (
        ListingDraft.objects.edits()
        .filter(user=request.user, association=association)
        .order_by(F("submitted_at").asc(nulls_first=True), "-pk")  # the open one, else the last sent
        .first()
    )
    if draft is None:  # nothing edited yet (a stale page, another browser): the review seeds one
        return redirect("directory:edit_review", slug=association.slug)
    if draft.submitted_at is not None:
        messages.info(request, _("Ces modifications sont déjà envoyées."))
        return redirect("directory:manage", slug=association.slug)
    try:
        result = drafts.edit_draft_submit(request=request, draft=draft, user=request.user)
    except drafts.DraftError:
        messages.error(
            request, _("Une image n'est plus disponible (gardée un jour) : choisissez-la à nouveau.")
        )
        return redirect("directory:edit_step", slug=association.slug, step="photos")
    except drafts.DraftAlreadySent:
        messages.info(request, _("Ces modifications sont déjà envoyées."))
        return redirect("directory:manage", slug=association.slug)
    except services.EditConflict as conflict:
        # Nothing was written. The draft is kept, now based on the current version: the page
        # shows both versions, and sending again is a deliberate choice.
        draft = drafts.edit_draft_rebase(draft=draft, conflict=conflict)
        messages.error(
            request,
            _(
                "Quelqu'un a modifié cette fiche pendant que vous la remplissiez. Rien n'a été "
                "enregistré : comparez les deux versions, corrigez si besoin et envoyez à nouveau."
            ),
        )
        return _render_edit_review(
            request,
            association,
            draft,
            conflict_rows=state.comparison(conflict.current, drafts.edit_draft_values(draft)),
        )
    if result.status == PendingChange.Status.PUBLISHED_DIRECTLY:
        messages.success(request, _("Modification publiée."))
    else:
        messages.success(request, _("Modification envoyée : elle est en attente de validation."))
    return redirect("directory:manage", slug=association.slug)


@login_required
@require_POST
def edit_discard(request, slug):
    association = get_editable_association_or_404(request, slug)
    for draft in ListingDraft.objects.open().edits().filter(user=request.user, association=association):
        with contextlib.suppress(drafts.DraftAlreadySent):  # sent meanwhile: nothing to discard
            drafts.draft_discard(draft=draft)
    messages.success(request, _("Modifications abandonnées : la fiche est inchangée."))
    return redirect("directory:manage", slug=association.slug)


@login_required
def edit_all(request, slug):
    """The whole listing on one page (the steps are the usual way: directory:edit): kept for
    the logo and photos of a listing, and for those who prefer one long form."""
    association = get_editable_association_or_404(request, slug, queryset=state.for_values())
    change = _open_change(association)
    values = change.proposed if change else state.values_from_association(association)
    editor = ListingEditor(
        values=values,
        base_version=association.version,
        pending_revision=change.revision if change else 0,
        association=association,
        data=request.POST or None,
        files=request.FILES or None,
        request=request,
    )
    conflict_rows = None
    if request.method == "POST" and editor.is_valid():
        submitted = editor.values()
        common = {
            "user": request.user,
            "values": submitted,
            "form_token": editor.form_token,
            **editor.uploads(),
        }
        try:
            if editor.pending_revision:
                if change is None:
                    raise services.EditConflict(current=values, association=association)
                result = services.pending_change_amend(
                    change=change, revision=editor.pending_revision, **common
                )
            else:
                result = services.pending_change_submit(
                    association=association, base_version=editor.base_version, **common
                )
        except services.EditConflict as conflict:
            # Nothing was written: show both versions side by side and keep the input, now
            # based on the current version, so that sending it again is a deliberate choice.
            data = request.POST.copy()
            data["listing-base_version"] = conflict.association.version
            data["listing-pending_revision"] = conflict.change.revision if conflict.change else 0
            if editor.kept_logo is not None:
                data["listing-logo_upload"] = str(editor.kept_logo.key)
            editor = ListingEditor(
                values=conflict.current,
                base_version=conflict.association.version,
                pending_revision=conflict.change.revision if conflict.change else 0,
                association=association,
                data=data,
                request=request,
            )
            editor.is_valid()
            conflict_rows = state.comparison(conflict.current, submitted)
            messages.error(
                request,
                _(
                    "Quelqu'un a modifié cette fiche pendant que vous la remplissiez. Rien n'a été "
                    "enregistré : comparez les deux versions, corrigez si besoin et envoyez à nouveau."
                ),
            )
        else:
            if editor.kept_logo is not None:  # stored for good by the service: the copy goes
                temp_uploads.upload_discard(uploads=[editor.kept_logo])
            if result.status == PendingChange.Status.PUBLISHED_DIRECTLY:
                messages.success(request, _("Modification publiée."))
            else:
                messages.success(request, _("Modification envoyée : elle est en attente de validation."))
            return redirect("directory:manage", slug=association.slug)
    return render(
        request,
        "editor/listing_form.html",
        {"editor": editor, "association": association, "change": change, "conflict_rows": conflict_rows},
    )


@login_required
def preview(request, slug):
    """The public page as it will look: the open change applied inside a rolled-back savepoint."""
    association = get_editable_association_or_404(request, slug)
    change = _open_change(association)
    with transaction.atomic():
        if change is not None:
            # Not reindexed: the writes are rolled back, and a reindex would move the listings
            # version (a cache bump is not transactional), dropping every shared search cache.
            state.apply_values(association, change.proposed)
        shown = Association.objects.filter(pk=association.pk).detail()
        notice, warning = wording.preview_notice(association, change)
        html = render_to_string(
            "directory/association_detail.html",
            {
                "association": shown,
                "places": list(shown.places.all()),
                "preview": not shown.is_published,
                "preview_notice": notice,
                "preview_warning": warning,
            },
            request=request,
        )
        transaction.set_rollback(True)
    return HttpResponse(html)


@login_required
def pending_change(request, slug):
    association = get_editable_association_or_404(request, slug, queryset=state.for_values())
    change = _open_change(association)
    if change is None:
        raise Http404
    # The services one block each, their changed fields named; the other fields a row each.
    fields = [name for name in state.ALL_FIELDS if name != "services"]
    proposed = change.proposed
    if change.kind == PendingChange.Kind.NEW_LISTING:
        # Nothing is published yet: the listing as sent, in one column, not a diff against itself.
        rows = [row for row in state.field_rows({}, proposed, fields) if row.new != "—"]
        current = {"services": [], "places": []}
    else:
        current = state.values_from_association(association)
        rows = [row for row in state.field_rows(current, proposed, fields) if row.changed]
    services = state.service_diffs(
        current["services"],
        proposed.get("services", current["services"]),
        current["places"],
        proposed.get("places", []),
    )
    return render(
        request,
        "editor/pending_change.html",
        {
            "association": association,
            "change": change,
            "rows": rows,
            "status_text": wording.status_text(association, change),
            "services": [service for service in services if service.status],
        },
    )


@login_required
@require_POST
def pending_withdraw(request, slug):
    association = get_editable_association_or_404(request, slug)
    change = _open_change(association)
    if change is None:
        raise Http404
    services.pending_change_withdraw(change=change, user=request.user)
    messages.success(request, _("Modification retirée."))
    return redirect("directory:manage", slug=association.slug)


@login_required
@require_POST
def verify(request, slug):
    association = get_editable_association_or_404(request, slug)
    directory_services.association_verify(
        association=association, actor=request.user, origin=access.acting_role(request.user, association)
    )
    messages.success(request, _("Merci ! La fiche est marquée comme vérifiée aujourd'hui."))
    return redirect("directory:manage", slug=association.slug)


# Co-managers -----------------------------------------------------------------------------------


@login_required
@require_POST
def invite(request, slug):
    association = get_editable_association_or_404(request, slug)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_send(
                association=association, email=form.cleaned_data["email"], actor=request.user
            )
        except services.EditingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Invitation envoyée à %(email)s.") % form.cleaned_data)
    else:
        # The page again with the error summary linked to the field (not a bare message).
        return _render_manage(request, state.for_values().get(pk=association.pk), form)
    return redirect("directory:manage", slug=association.slug)


@login_required
@require_POST
def manager_remove(request, slug, user_id):
    association = get_editable_association_or_404(request, slug)
    membership = get_object_or_404(AssociationManager, association=association, user_id=user_id)
    try:
        services.manager_remove(association=association, user=membership.user, actor=request.user)
    except services.EditingError as error:
        messages.error(request, str(error))
        return redirect("directory:manage", slug=association.slug)
    if membership.user_id == request.user.pk:
        messages.success(request, _("Vous ne gérez plus cette fiche."))
        return redirect("directory:dashboard")
    messages.success(request, _("Gestionnaire retiré."))
    return redirect("directory:manage", slug=association.slug)


@login_required
@require_POST
def invitation_revoke(request, slug, invitation_id):
    association = get_editable_association_or_404(request, slug)
    invitation = get_object_or_404(Invitation.objects.pending(), association=association, pk=invitation_id)
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user)
    except services.EditingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Invitation à %(email)s annulée.") % {"email": invitation.email})
    return redirect("directory:manage", slug=association.slug)


@login_required
def invitation(request, token):
    invitation = services.invitation_from_token(token)
    if invitation is None or invitation.accepted_at is not None or invitation.revoked_at is not None:
        return render(request, "editor/invitation_invalid.html", status=400)
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except services.EditingError as error:
            messages.error(request, str(error))
            return render(request, "editor/invitation.html", {"invitation": invitation}, status=400)
        messages.success(request, _("Vous gérez maintenant cette fiche."))
        return redirect("directory:manage", slug=invitation.association.slug)
    return render(request, "editor/invitation.html", {"invitation": invitation})


# Claims ----------------------------------------------------------------------------------------


def _claimable(slug):
    return get_object_or_404(Association.objects.published(), slug=slug)


@login_required
def claim(request, slug):
    """Claiming a listing: by code when possible (POST here sends it), else by a request."""
    association = _claimable(slug)
    if access.is_manager(request.user, association):
        return redirect("directory:manage", slug=slug)
    by_code = claim_services.can_claim_by_code(association)
    form = ClaimCodeRequestForm(request.POST or None)
    if request.method == "POST" and by_code and form.is_valid():
        try:
            claim_services.claim_send_code(
                association=association, user=request.user, rna=form.cleaned_data["rna"]
            )
        except services.EditingError as error:
            form.add_error("rna", str(error))
        else:
            return redirect("directory:claim_code", slug=slug)
    return render(
        request,
        "editor/claim.html",
        {
            "association": association,
            "by_code": by_code,
            "form": form,
            "has_managers": association.memberships.exists(),
        },
    )


@login_required
def claim_code(request, slug):
    association = _claimable(slug)
    pending = (
        Claim.objects.filter(
            association=association, user=request.user, method=Claim.Method.CODE, status=Claim.Status.PENDING
        )
        .order_by("-created_at")
        .first()
    )
    form = ClaimCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if pending is None:
            form.add_error("code", _("Ce code n'est plus valable : demandez-en un nouveau."))
        else:
            result = claim_services.claim_check_code(
                claim=pending, user=request.user, code=form.cleaned_data["code"]
            )
            if result.ok:
                messages.success(request, _("C'est fait : vous gérez maintenant cette fiche."))
                return redirect("directory:manage", slug=slug)
            form.add_error("code", result.message)
    return render(
        request, "editor/claim_code.html", {"association": association, "form": form, "pending": pending}
    )


@login_required
def claim_request(request, slug):
    association = _claimable(slug)
    form = ClaimRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            claim_services.claim_request(
                association=association,
                user=request.user,
                role=form.cleaned_data["role"],
                document=form.cleaned_data.get("document"),
                document_kind=getattr(form, "document_kind", "pdf"),
            )
        except services.EditingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Demande envoyée : vous recevrez la réponse par e-mail."))
            return redirect("directory:dashboard")
    return render(request, "editor/claim_request.html", {"association": association, "form": form})


def _claim_for_managers(request, slug, claim_id):
    association = get_editable_association_or_404(request, slug)
    return get_object_or_404(
        Claim, pk=claim_id, association=association, method=Claim.Method.REVIEW, to_managers=True
    )


@login_required
@require_POST
def claim_accept(request, slug, claim_id):
    claim = _claim_for_managers(request, slug, claim_id)
    form = ClaimDecisionForm(request.POST)
    form.is_valid()
    try:
        claim_services.claim_accept(claim=claim, actor=request.user, note=form.cleaned_data.get("note", ""))
    except services.EditingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Demande acceptée."))
    return redirect("directory:dashboard")


@login_required
@require_POST
def claim_refuse(request, slug, claim_id):
    claim = _claim_for_managers(request, slug, claim_id)
    form = ClaimDecisionForm(request.POST)
    form.is_valid()
    try:
        claim_services.claim_refuse(claim=claim, actor=request.user, note=form.cleaned_data.get("note", ""))
    except services.EditingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Demande refusée."))
    return redirect("directory:dashboard")
