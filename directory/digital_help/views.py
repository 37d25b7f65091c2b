"""Digital helpers: the public landing and achievements pages, the helper's
space, and the help requests section of the association space. Thin views over
directory.digital_help.services; who sees what is decided by the access helpers below."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from directory.digital_help import followups, services
from directory.digital_help.forms import FeedbackForm, HelperProfileForm, HelpOfferForm, HelpRequestForm
from directory.editing.views import get_editable_association_or_404
from directory.models import DigitalSkill, HelperProfile, HelperSkill, HelpOffer, HelpRequest, RequestSkill

SUGGESTIONS = 10

# Access -------------------------------------------------------------------------------------


def helper_profile_of(user):
    """The helper profile of a logged-in user, or None."""
    return HelperProfile.objects.filter(user=user).first() if user.is_authenticated else None


def get_approved_helper_or_404(request):
    """Only approved helpers see requests and make offers; everyone else gets a 404."""
    profile = helper_profile_of(request.user)
    if profile is None or not profile.is_approved:
        raise Http404
    return profile


def get_request_for_helper_or_404(request, request_id):
    """(helper, request): open requests, or those the helper has offered on."""
    helper = get_approved_helper_or_404(request)
    help_request = (
        HelpRequest.objects.for_cards()
        .filter(pk=request_id)
        .filter(Q(status=HelpRequest.Status.OPEN) | Q(offers__helper=helper))
        .distinct()
        .first()
    )
    if help_request is None:
        raise Http404
    return helper, help_request


def get_help_request_or_404(request, slug, request_id):
    """A request of a listing the user manages (access.can_manage), else 404."""
    association = get_editable_association_or_404(request, slug)
    help_request = get_object_or_404(
        HelpRequest.objects.prefetch_related("skill_rows"), pk=request_id, association=association
    )
    help_request.association = association
    return help_request


def _report(request, action):
    """Run a service; a HelpActionError becomes an error message. True if it went through."""
    try:
        done = action()
    except services.HelpActionError as error:
        messages.error(request, str(error))
        return None
    return done


# Public pages -------------------------------------------------------------------------------


def landing(request):
    profile = helper_profile_of(request.user)
    return render(request, "helpers/landing.html", {"profile": profile, "skills": DigitalSkill.choices})


def achievements(request):
    """Counts only: no name, no association, nothing personal."""
    totals = HelpRequest.objects.aggregate(
        made=Count("pk"),
        matched=Count("pk", filter=Q(matched_at__isnull=False)),
        done=Count("pk", filter=Q(status=HelpRequest.Status.DONE)),
        worked=Count(
            "pk",
            filter=Q(association_feedback=HelpRequest.Feedback.YES)
            | Q(helper_feedback=HelpRequest.Feedback.YES),
        ),
    )
    totals["helpers"] = HelperProfile.objects.approved().count()
    requested = dict(RequestSkill.objects.values_list("skill").annotate(n=Count("pk")).order_by())
    offered = dict(
        HelperSkill.objects.filter(helper__in=HelperProfile.objects.approved())
        .values_list("skill")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_skill = [(label, requested.get(code, 0), offered.get(code, 0)) for code, label in DigitalSkill.choices]
    return render(request, "helpers/achievements.html", {"totals": totals, "by_skill": by_skill})


# The helper's space -------------------------------------------------------------------------


@login_required
def helper_profile(request):
    """Sign up as a helper, or change one's profile (same form)."""
    profile = helper_profile_of(request.user)
    initial = HelperProfileForm.initial_for(profile) if profile else {"remote": True}
    form = HelperProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        was_status = profile.status if profile else None
        profile = services.helper_sign_up(
            user=request.user,
            display_name=data["display_name"],
            bio=data["bio"],
            skills=data["skills"],
            areas=data["areas"],
            remote=data["remote"],
            availability=data["availability"],
        )
        if profile.status == HelperProfile.Status.PENDING and was_status != HelperProfile.Status.PENDING:
            messages.success(
                request,
                _(
                    "Merci ! Un modérateur va relire votre profil ; vous recevrez un e-mail dès qu'il sera validé."
                ),
            )
        else:
            messages.success(request, _("Votre profil est enregistré."))
        return redirect("directory:helper_space")
    return render(request, "helpers/profile_form.html", {"form": form, "profile": profile})


@login_required
def helper_space(request):
    profile = helper_profile_of(request.user)
    if profile is None:
        return redirect("directory:helper_signup")
    profile = HelperProfile.objects.for_cards().get(pk=profile.pk)
    offers = list(
        profile.offers.select_related("request__association", "request__author").order_by(
            "-created_at", "-pk"
        )
    )
    requests = []
    if profile.is_approved:
        offered = [offer.request_id for offer in offers]
        requests = list(HelpRequest.objects.open().exclude(pk__in=offered).matching(profile).for_cards()[:30])
    for offer in offers:
        if offer.status == HelpOffer.Status.ACCEPTED:
            offer.contacts = services.association_contacts(offer.request)
    return render(
        request,
        "helpers/space.html",
        {"profile": profile, "offers": offers, "requests": requests, "feedback_form": FeedbackForm()},
    )


@login_required
@require_POST
def helper_withdraw(request):
    profile = helper_profile_of(request.user)
    if profile is None:
        raise Http404
    if services.helper_withdraw(profile=profile):
        messages.success(request, _("Votre profil est retiré : les associations ne le voient plus."))
    return redirect("directory:helper_space")


@login_required
def helper_request(request, request_id):
    helper, help_request = get_request_for_helper_or_404(request, request_id)
    offer = HelpOffer.objects.filter(request=help_request, helper=helper).first()
    return render(
        request,
        "helpers/request.html",
        {"help_request": help_request, "offer": offer, "form": HelpOfferForm(), "helper": helper},
    )


@login_required
@require_POST
def helper_offer(request, request_id):
    helper, help_request = get_request_for_helper_or_404(request, request_id)
    form = HelpOfferForm(request.POST)
    if not form.is_valid():
        offer = HelpOffer.objects.filter(request=help_request, helper=helper).first()
        return render(
            request,
            "helpers/request.html",
            {"help_request": help_request, "offer": offer, "form": form, "helper": helper},
            status=400,
        )
    result = _report(
        request,
        lambda: services.help_offer_make(
            help_request=help_request, helper=helper, message=form.cleaned_data["message"]
        ),
    )
    if result is not None:
        _offer, created = result
        if created:
            messages.success(
                request, _("Votre proposition est envoyée à l'association. Vous serez prévenu de sa réponse.")
            )
        else:
            messages.info(request, _("Vous avez déjà proposé votre aide pour cette demande."))
    return redirect("directory:helper_request", request_id=help_request.pk)


def _own_offer_or_404(request, offer_id):
    profile = helper_profile_of(request.user)
    if profile is None:
        raise Http404
    return get_object_or_404(HelpOffer.objects.select_related("request"), pk=offer_id, helper=profile)


@login_required
@require_POST
def helper_offer_withdraw(request, offer_id):
    offer = _own_offer_or_404(request, offer_id)
    if services.help_offer_withdraw(offer=offer):
        messages.success(request, _("Votre proposition est retirée."))
    else:
        messages.info(request, _("Cette proposition n'est plus en attente : elle ne peut plus être retirée."))
    return redirect("directory:helper_space")


@login_required
@require_POST
def helper_feedback(request, offer_id):
    offer = _own_offer_or_404(request, offer_id)
    form = FeedbackForm(request.POST)
    if offer.status != HelpOffer.Status.ACCEPTED or not form.is_valid():
        messages.error(request, _("Choisissez « oui » ou « non »."))
        return redirect("directory:helper_space")
    if _report(
        request,
        lambda: followups.help_feedback_record(
            help_request=offer.request, side="helper", answer=form.cleaned_data["answer"]
        ),
    ):
        messages.success(request, _("Merci pour votre réponse !"))
    return redirect("directory:helper_space")


# The association space ----------------------------------------------------------------------


@login_required
def help_requests(request, slug):
    """The association's help requests and the form to post one."""
    association = get_editable_association_or_404(request, slug)
    form = HelpRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        help_request = services.help_request_create(
            association=association,
            user=request.user,
            title=data["title"],
            description=data["description"],
            skills=data["skills"],
            urgency=data["urgency"],
        )
        messages.success(
            request,
            _(
                "Votre demande est publiée : les aidants validés qui ont ces compétences peuvent la voir et vous proposer leur aide."
            ),
        )
        return redirect("directory:help_request", slug=association.slug, request_id=help_request.pk)
    items = (
        HelpRequest.objects.filter(association=association)
        .prefetch_related("skill_rows")
        .annotate(pending=Count("offers", filter=Q(offers__status=HelpOffer.Status.PENDING)))
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "helpers/association_requests.html",
        {"association": association, "form": form, "items": items},
    )


@login_required
def help_request_detail(request, slug, request_id):
    help_request = get_help_request_or_404(request, slug, request_id)
    offers = list(
        help_request.offers.select_related("helper__user").prefetch_related(
            "helper__skill_rows", "helper__areas"
        )
    )
    suggestions = []
    if help_request.is_open:
        suggestions = list(
            HelperProfile.objects.suggested_for(help_request)
            .exclude(offers__request=help_request)
            .for_cards()[:SUGGESTIONS]
        )
        invited = set(help_request.invited_helpers.values_list("pk", flat=True))
        for helper in suggestions:
            helper.invited = helper.pk in invited
    matched = next((o for o in offers if o.status == HelpOffer.Status.ACCEPTED), None)
    helper_email = matched.helper.user.email if matched else None
    return render(
        request,
        "helpers/association_request.html",
        {
            "association": help_request.association,
            "help_request": help_request,
            "offers": offers,
            "matched": matched,
            "helper_email": helper_email,
            "suggestions": suggestions,
            "feedback_form": FeedbackForm(),
        },
    )


def _back(help_request):
    return redirect("directory:help_request", slug=help_request.association.slug, request_id=help_request.pk)


@login_required
@require_POST
def help_request_cancel(request, slug, request_id):
    help_request = get_help_request_or_404(request, slug, request_id)
    done = _report(
        request, lambda: services.help_request_cancel(help_request=help_request, user=request.user)
    )
    if done:
        messages.success(request, _("La demande est annulée."))
    elif done is False:
        messages.info(request, _("Cette demande était déjà annulée."))
    return _back(help_request)


@login_required
@require_POST
def help_request_done(request, slug, request_id):
    help_request = get_help_request_or_404(request, slug, request_id)
    done = _report(
        request, lambda: services.help_request_mark_done(help_request=help_request, user=request.user)
    )
    if done:
        messages.success(request, _("Bravo ! La demande est marquée comme terminée."))
    elif done is False:
        messages.info(request, _("Cette demande était déjà terminée."))
    return _back(help_request)


@login_required
@require_POST
def help_request_invite(request, slug, request_id, helper_id):
    help_request = get_help_request_or_404(request, slug, request_id)
    helper = get_object_or_404(HelperProfile.objects.approved().select_related("user"), pk=helper_id)
    done = _report(request, lambda: services.help_request_invite(help_request=help_request, helper=helper))
    if done:
        messages.success(
            request, _("%(name)s est prévenu(e) de votre demande.") % {"name": helper.display_name}
        )
    elif done is False:
        messages.info(request, _("Vous avez déjà prévenu cet aidant."))
    return _back(help_request)


def _offer_of(help_request, offer_id):
    offer = get_object_or_404(HelpOffer, pk=offer_id, request=help_request)
    offer.request = help_request
    return offer


@login_required
@require_POST
def help_offer_accept(request, slug, request_id, offer_id):
    help_request = get_help_request_or_404(request, slug, request_id)
    offer = _offer_of(help_request, offer_id)
    done = _report(request, lambda: services.help_offer_accept(offer=offer, user=request.user))
    if done:
        messages.success(
            request,
            _(
                "Proposition acceptée : vous et l'aidant recevez chacun les coordonnées de l'autre par e-mail."
            ),
        )
    elif done is False:
        messages.info(request, _("Vous avez déjà accepté cette proposition."))
    return _back(help_request)


@login_required
@require_POST
def help_offer_decline(request, slug, request_id, offer_id):
    help_request = get_help_request_or_404(request, slug, request_id)
    offer = _offer_of(help_request, offer_id)
    done = _report(request, lambda: services.help_offer_decline(offer=offer, user=request.user))
    if done:
        messages.success(request, _("Proposition déclinée : l'aidant est prévenu."))
    elif done is False:
        messages.info(request, _("Cette proposition n'est plus en attente."))
    return _back(help_request)


@login_required
@require_POST
def help_request_feedback(request, slug, request_id):
    help_request = get_help_request_or_404(request, slug, request_id)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez « oui » ou « non »."))
        return _back(help_request)
    if _report(
        request,
        lambda: followups.help_feedback_record(
            help_request=help_request, side="association", answer=form.cleaned_data["answer"]
        ),
    ):
        messages.success(request, _("Merci pour votre réponse !"))
    return _back(help_request)
