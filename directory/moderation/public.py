"""Public pages of moderation: report a problem on a listing; confirm a listing from a reminder."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from directory import security
from directory.models import Association
from directory.moderation import reminders, services
from directory.moderation.forms import ReportForm

REPORTS_PER_HOUR = 5


def _over_limit(request: HttpRequest) -> bool:
    """True once an address has sent REPORTS_PER_HOUR accepted reports this hour.

    Counted in the cache by directory.security (the address found behind our proxies, hashed:
    never stored in clear). The middleware's wider POST limit still applies to every attempt.
    """
    rate = security.Rate(REPORTS_PER_HOUR, 3600)
    address = security.address_bucket(security.client_ip(request))
    return bool(security.count_hit("moderation-report", address, rate))


@require_http_methods(["GET", "POST"])
def report(request, slug):
    association = get_object_or_404(Association.objects.published(), slug=slug)
    form = ReportForm(request.POST or None)
    limited = False
    if request.method == "POST" and form.is_valid():
        limited = _over_limit(request)
        if not limited:
            services.report_submit(association=association, **form.cleaned_data_for_report())
            return redirect("directory:report_thanks", slug=association.slug)
    status = 429 if limited else 200
    return render(
        request,
        "moderation/report.html",
        {"association": association, "form": form, "limited": limited},
        status=status,
    )


def report_thanks(request, slug):
    association = get_object_or_404(Association.objects.published(), slug=slug)
    return render(request, "moderation/report_thanks.html", {"association": association})


def confirm_listing(request, token):
    """GET: a page with a button (nothing changes on GET). POST: the listing is verified today."""
    reminder, _user = reminders.read_token(token)
    if reminder is None:
        return render(request, "moderation/confirm_invalid.html", status=404)
    return render(
        request,
        "moderation/confirm.html",
        {"association": reminder.association, "token": token, "done": False},
    )


@require_POST
def confirm_listing_post(request, token):
    reminder, user = reminders.read_token(token)
    if reminder is None:
        return render(request, "moderation/confirm_invalid.html", status=404)
    services.listing_confirm_by_manager(association=reminder.association, user=user, reminder=reminder)
    return render(request, "moderation/confirm.html", {"association": reminder.association, "done": True})
