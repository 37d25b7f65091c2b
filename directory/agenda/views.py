"""The agenda's pages: /agenda/ (filtered, paginated, printable, framed by other sites), an
event's page, the .ics of an event, of a listing and of the filtered agenda, the Atom feed, the
report form of an event; and the managers' pages in the association space."""

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import format_html, linebreaks
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from directory import access
from directory.agenda import ics, recurrence, services
from directory.agenda.filters import AgendaFilter, search_agenda
from directory.agenda.forms import CalendarSourceForm, CancelDateForm, EventForm
from directory.editing.views import get_editable_association_or_404
from directory.listings.views import paginate
from directory.models import Association, CalendarSource, Event, EventOccurrence, Language
from directory.moderation import services as moderation_services
from directory.moderation.forms import ReportForm
from directory.moderation.public import _over_limit
from directory.opendata import embed, jsonld
from directory.opendata.embed_views import EMBED_CSP

PRINT_SIZE = 200
ICS_EVENTS = 500
FEED_SIZE = 50
EVENT_DATES = 12  # upcoming dates listed on an event's page

if TYPE_CHECKING:
    from django.contrib.auth.models import User as Account

    class SignedInRequest(HttpRequest):
        """A request behind login_required: its user is an account."""

        user: Account

    _Feed = Feed[EventOccurrence, AgendaFilter]
else:
    SignedInRequest = HttpRequest
    _Feed = Feed

# Public pages ----------------------------------------------------------------------------------


def _subscribe_links(path: str, query: str) -> dict[str, str]:
    url = settings.SITE_URL + path + (f"?{query}" if query else "")
    return {"ics_url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]}


def agenda_list(request: HttpRequest) -> HttpResponse:
    filterset = search_agenda(request.GET)
    page, notice = paginate(request, filterset.qs)
    query = urlencode(filterset.query_items)
    ics_query = urlencode(
        [item for item in filterset.query_items if item[0] in ("categorie", "territoire", "public")]
    )
    return render(
        request,
        "agenda/list.html",
        {
            "filter": filterset,
            "page": page,
            "ignored": filterset.ignored + ([notice] if notice else []),
            "filtered": filterset.is_filtered,
            "query": query,
            "embed_snippet": _embed_snippet(query),
            **_subscribe_links(reverse("directory:agenda_ics"), ics_query),
        },
    )


def _embed_snippet(query: str) -> str:
    """The HTML another site pastes to frame this agenda (shown as text, escaped)."""
    src = settings.SITE_URL + reverse("directory:embed_agenda") + (f"?{query}" if query else "")
    title = _("Agenda des associations") + " · Lyon Assos"
    return str(
        format_html(
            '<iframe src="{}" title="{}" width="100%" height="600" loading="lazy" '
            'style="border:0;max-width:100%"></iframe>',
            src,
            title,
        )
    )


def agenda_print(request: HttpRequest) -> HttpResponse:
    filterset = search_agenda(request.GET)
    occurrences = list(filterset.qs[: PRINT_SIZE + 1])
    return render(
        request,
        "agenda/print.html",
        {
            "filter": filterset,
            "occurrences": occurrences[:PRINT_SIZE],
            "truncated": len(occurrences) > PRINT_SIZE,
            "ignored": filterset.ignored,
            "printed_at": timezone.now(),
        },
    )


def _visible_event(pk: int) -> Event | None:
    """The event if the public may see it (not withdrawn, on a published listing), else None."""
    event: Event | None = (
        Event.objects.visible().select_related("association", "place__area", "area").filter(pk=pk).first()
    )
    return event


def event_jsonld(event: Event, occurrence: EventOccurrence, languages: Sequence[Language]) -> SafeString:
    """schema.org Event of one date of the event."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": settings.SITE_URL + event.get_absolute_url(),
        "startDate": occurrence.starts_at.astimezone(recurrence.PARIS).isoformat(),
        "endDate": occurrence.ends_at.astimezone(recurrence.PARIS).isoformat(),
        "eventStatus": "https://schema.org/EventCancelled"
        if occurrence.cancelled
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "organizer": {
            "@type": "NGO",
            "name": event.association.name,
            "url": settings.SITE_URL + event.association.get_absolute_url(),
        },
        "location": {"@type": "Place", "name": event.where or event.association.name, "address": event.where},
    }
    if event.description:
        data["description"] = event.description
    if event.is_free is not None:
        data["isAccessibleForFree"] = event.is_free
    if event.registration_url:
        data["offers"] = {"@type": "Offer", "url": event.registration_url}
    if languages:
        data["inLanguage"] = [language.code for language in languages]
    return jsonld.ld_json_script(data)


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = _visible_event(pk)
    if event is None:
        return render(request, "404.html", status=404)
    dates = list(event.occurrences.upcoming()[:EVENT_DATES])
    shown = dates[0] if dates else event.occurrences.order_by("-starts_at").first()
    languages = list(event.languages.all())
    return render(
        request,
        "agenda/detail.html",
        {
            "event": event,
            "dates": dates,
            "rule": recurrence.describe(event),
            "jsonld": event_jsonld(event, shown, languages) if shown is not None else "",
            "audiences": list(event.audiences.all()),
            "languages": languages,
            **_subscribe_links(reverse("directory:event_ics", args=[event.pk]), ""),
        },
    )


def _ics_response(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=ics.CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{ics.filename(name)}"'
    response["Cache-Control"] = "public, max-age=900"
    return response


def _with_relations(events: QuerySet[Event]) -> QuerySet[Event]:
    """Events with what their VEVENT reads (listing, place and its area), in one query."""
    return events.select_related("association", "place__area").order_by("starts_at", "pk")


@require_safe
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Ajouter à mon agenda": the .ics of one event (its dates, cancellations included)."""
    event = _visible_event(pk)
    if event is None:
        return render(request, "404.html", status=404)
    return _ics_response(ics.calendar([event], name=event.title), event.title)


@require_safe
def association_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """The agenda of one published listing, for a phone to subscribe to."""
    association = get_object_or_404(Association.objects.published(), slug=slug)
    events = _with_relations(Event.objects.filter(association=association, archived=False))[:ICS_EVENTS]
    name = _("%(name)s : agenda") % {"name": association.name}
    return _ics_response(ics.calendar(events, name=name), association.name)


@require_safe
def agenda_ics(request: HttpRequest) -> HttpResponse:
    """The site's agenda, filtered by categorie, territoire and public (dates are not read:
    a subscription follows what comes)."""
    params = request.GET.copy()
    for name in ("quand", "du", "au", "page"):
        params.pop(name, None)
    filterset = search_agenda(params)
    event_ids = filterset.qs.values("event_id")
    events = _with_relations(Event.objects.filter(pk__in=event_ids))[:ICS_EVENTS]
    return _ics_response(ics.calendar(events, name=_("Lyon Assos : agenda")), "lyon-assos-agenda")


class AgendaFeed(_Feed):
    """The next dates of the agenda (Atom), with the filters of /agenda/."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest) -> AgendaFilter:
        return search_agenda(request.GET)

    def title(self, obj: AgendaFilter) -> str:
        return _("Lyon Assos : l'agenda des associations")

    def subtitle(self, obj: AgendaFilter) -> str:
        return _("Les prochains rendez-vous et permanences des associations de la Métropole de Lyon.")

    def link(self, obj: AgendaFilter) -> str:
        query = urlencode(obj.query_items)
        return settings.SITE_URL + reverse("directory:agenda") + (f"?{query}" if query else "")

    def feed_url(self, obj: AgendaFilter) -> str:
        return settings.SITE_URL + reverse("directory:feed_agenda")

    def items(self, obj: AgendaFilter) -> QuerySet[EventOccurrence]:
        items: QuerySet[EventOccurrence] = obj.qs[:FEED_SIZE]
        return items

    def item_title(self, item: EventOccurrence) -> str:
        when = date_format(timezone.localtime(item.starts_at), "l j F Y, H:i")
        prefix = _("Annulé : ") if item.cancelled else ""
        return f"{prefix}{item.event.title} · {when} · {item.event.association.name}"

    def item_description(self, item: EventOccurrence) -> str:
        html = linebreaks(item.event.description, autoescape=True)
        if item.event.where:
            html += format_html("<p>{}</p>", item.event.where)
        return html

    def item_link(self, item: EventOccurrence) -> str:
        return settings.SITE_URL + item.event.get_absolute_url()

    def item_guid(self, item: EventOccurrence) -> str:
        return f"{ics.uid(item.event)}/{item.starts_at.astimezone(recurrence.PARIS):%Y%m%dT%H%M}"

    def item_pubdate(self, item: EventOccurrence) -> datetime.datetime:
        return item.event.created_at

    def item_updateddate(self, item: EventOccurrence) -> datetime.datetime:
        return item.event.updated_at


@require_safe
@xframe_options_exempt  # framed by any site on purpose: this page only (see EMBED_CSP)
@csp_override(EMBED_CSP)
@cache_control(public=True, max_age=embed.CACHE_SECONDS)
def embed_agenda(request: HttpRequest) -> HttpResponse:
    """The agenda in another site's <iframe>: the filters of /agenda/ and `nombre` (1–50)."""
    params = request.GET.copy()
    count, count_notice = embed.read_count(params.pop(embed.COUNT_PARAM, [""])[-1])
    filterset = search_agenda(params)
    occurrences = list(filterset.qs[:count])
    notices = filterset.ignored + ([count_notice] if count_notice else [])
    unknown = [name for name in params if name not in filterset.filters]
    notices += [
        _("Paramètre « %(name)s » inconnu.") % {"name": name[:40]}
        for name in unknown[: embed.MAX_NAMED_UNKNOWN]
    ]
    if len(unknown) > embed.MAX_NAMED_UNKNOWN:
        notices.append(
            _("Et %(n)s autres paramètres inconnus.") % {"n": len(unknown) - embed.MAX_NAMED_UNKNOWN}
        )
    query = urlencode(filterset.query_items)
    return render(
        request,
        "agenda/embed.html",
        {
            "occurrences": occurrences,
            "notices": notices,
            "agenda_url": settings.SITE_URL + reverse("directory:agenda") + (f"?{query}" if query else ""),
        },
    )


@require_http_methods(["GET", "POST"])
def event_report(request: HttpRequest, pk: int) -> HttpResponse:
    event = _visible_event(pk)
    if event is None:
        return render(request, "404.html", status=404)
    form = ReportForm(request.POST or None)  # type: ignore[no-untyped-call]  # moderation/forms.py: not annotated
    limited = False
    if request.method == "POST" and form.is_valid():
        limited = _over_limit(request)
        if not limited:
            moderation_services.report_submit(
                association=event.association, event=event, **form.cleaned_data_for_report()
            )
            return redirect("directory:report_thanks", slug=event.association.slug)
    return render(
        request,
        "moderation/report.html",
        {"association": event.association, "event": event, "form": form, "limited": limited},
        status=429 if limited else 200,
    )


# Association space -----------------------------------------------------------------------------


def _editable_event_or_404(request: HttpRequest, slug: str, event_id: int) -> tuple[Association, Event]:
    association = get_editable_association_or_404(request, slug)
    event = get_object_or_404(
        Event.objects.select_related("place__area", "area"), pk=event_id, association=association
    )
    event.association = association
    return association, event


@login_required
def agenda_manage(request: SignedInRequest, slug: str) -> HttpResponse:
    """The managers' page: the form to publish an event, their events, their calendar address."""
    association = get_editable_association_or_404(request, slug)
    form = EventForm(request.POST or None, association=association)
    if request.method == "POST" and form.is_valid():
        services.event_publish(
            association=association,
            user=request.user,
            values=form.cleaned_values(),
            origin=access.acting_role(request.user, association),
        )
        messages.success(request, _("Le rendez-vous est publié sur votre fiche et dans l'agenda."))
        return redirect("directory:agenda_manage", slug=association.slug)
    events = (
        Event.objects.filter(association=association)
        .select_related("place")
        .order_by("archived", "-starts_at", "-pk")
    )
    source = CalendarSource.objects.filter(association=association).first()
    return render(
        request,
        "agenda/manage.html",
        {
            "association": association,
            "form": form,
            "events": events,
            "source": source,
            "source_form": CalendarSourceForm(initial={"url": source.url if source else ""}),
            **_subscribe_links(reverse("directory:association_ics", args=[association.slug]), ""),
        },
    )


@login_required
def event_edit(request: SignedInRequest, slug: str, event_id: int) -> HttpResponse:
    association, event = _editable_event_or_404(request, slug, event_id)
    if event.archived or event.source == Event.Source.IMPORTED:
        messages.error(
            request,
            _("Ce rendez-vous a été retiré : publiez-en un nouveau.")
            if event.archived
            else _("Ce rendez-vous vient de votre calendrier : modifiez-le là-bas."),
        )
        return redirect("directory:agenda_manage", slug=association.slug)
    form = EventForm(request.POST or None, instance=event, association=association)
    if request.method == "POST" and form.is_valid():
        changed = services.event_update(
            event=event,
            user=request.user,
            values=form.cleaned_values(),
            origin=access.acting_role(request.user, association),
        )
        if changed:
            messages.success(request, _("Le rendez-vous est modifié."))
        else:
            messages.info(request, _("Rien n'a changé."))
        return redirect("directory:agenda_manage", slug=association.slug)
    return render(
        request,
        "agenda/event_form.html",
        {
            "association": association,
            "event": event,
            "form": form,
            "dates": list(event.occurrences.upcoming()[:60]),
            "rule": recurrence.describe(event),
        },
    )


@login_required
@require_POST
def event_archive(request: SignedInRequest, slug: str, event_id: int) -> HttpResponse:
    association, event = _editable_event_or_404(request, slug, event_id)
    if services.event_archive(
        event=event, user=request.user, origin=access.acting_role(request.user, association)
    ):
        messages.success(request, _("Le rendez-vous est retiré du site."))
    return redirect("directory:agenda_manage", slug=association.slug)


def _set_cancelled(request: SignedInRequest, slug: str, event_id: int, *, cancelled: bool) -> HttpResponse:
    association, event = _editable_event_or_404(request, slug, event_id)
    form = CancelDateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Date non reconnue : rien n'a changé."))
        return redirect("directory:event_edit", slug=association.slug, event_id=event.pk)
    try:
        changed = services.occurrence_set_cancelled(
            event=event,
            user=request.user,
            day=form.cleaned_data["day"],
            cancelled=cancelled,
            origin=access.acting_role(request.user, association),
        )
    except services.AgendaError:
        messages.error(request, _("Ce rendez-vous n'a pas lieu ce jour-là : rien n'a changé."))
    else:
        if changed:
            messages.success(
                request, _("Cette date est annulée.") if cancelled else _("Cette date est rétablie.")
            )
    return redirect("directory:event_edit", slug=association.slug, event_id=event.pk)


@login_required
@require_POST
def event_cancel_date(request: SignedInRequest, slug: str, event_id: int) -> HttpResponse:
    return _set_cancelled(request, slug, event_id, cancelled=True)


@login_required
@require_POST
def event_restore_date(request: SignedInRequest, slug: str, event_id: int) -> HttpResponse:
    return _set_cancelled(request, slug, event_id, cancelled=False)


@login_required
@require_POST
def calendar_source(request: SignedInRequest, slug: str) -> HttpResponse:
    association = get_editable_association_or_404(request, slug)
    form = CalendarSourceForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("url", []):
            messages.error(request, error)  # type: ignore[arg-type]  # an ErrorList yields its messages
        return redirect("directory:agenda_manage", slug=association.slug)
    source = services.calendar_source_set(
        association=association,
        user=request.user,
        url=form.cleaned_data["url"],
        origin=access.acting_role(request.user, association),
    )
    if source is None:
        messages.success(request, _("L'import de votre calendrier est arrêté."))
    else:
        messages.success(request, _("Votre calendrier sera lu dans l'heure."))
    return redirect("directory:agenda_manage", slug=association.slug)
