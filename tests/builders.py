"""Builders and personas shared by the whole suite."""

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils.text import slugify

from directory.listings import services
from directory.models import Area, Association, Audience, Category, Language, Place

_counter = itertools.count(1)

WEEKDAY_HOURS = {str(day): [["09:00", "12:00"], ["14:00", "18:00"]] for day in range(5)}


def area(slug):
    return Area.objects.get(slug=slug)


def category(slug):
    return Category.objects.get(slug=slug)


def make_user(username=None, *, password="pass-word-123", **kwargs):
    username = username or f"user{next(_counter)}"
    kwargs.setdefault("email", f"{username}@example.org")
    return get_user_model().objects.create_user(username=username, password=password, **kwargs)


def make_moderator(username="moderatrice"):
    user = make_user(username, is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="directory",
            codename__in=["view_association", "change_association", "view_place", "change_place"],
        )
    )
    return user


def make_superuser(username="root"):
    return get_user_model().objects.create_superuser(
        username=username, email=f"{username}@example.org", password="pass-word-123"
    )


def make_association(
    name=None,
    *,
    categories=(),
    area_slug="lyon-3",
    quartier_slug=None,
    status=Association.Status.PUBLISHED,
    places=1,
    audiences=(),
    languages=(),
    hours=None,
    wheelchair="",
    **fields,
):
    """A published association with one place in Lyon 3e unless told otherwise."""
    name = name or f"Association test {next(_counter)}"
    fields.setdefault("slug", services.unique_slug(name))
    fields.setdefault("short_description", f"{name} accueille les habitants.")
    association = Association.objects.create(name=name, status=status, **fields)
    if categories:
        association.categories.set(Category.objects.filter(slug__in=categories))
    if audiences:
        association.audiences.set(Audience.objects.filter(slug__in=audiences))
    if languages:
        association.languages.set(Language.objects.filter(code__in=languages))
    where = Area.objects.get(slug=area_slug)
    quartier = Area.objects.get(slug=quartier_slug) if quartier_slug else None
    for position in range(places):
        Place.objects.create(
            association=association,
            position=position,
            address=f"{position + 10} rue de la République",
            postcode=(where.postcode_list or ["69000"])[0],
            area=where,
            quartier=quartier,
            lat=where.lat,
            lon=where.lon,
            hours=WEEKDAY_HOURS if hours is None else hours,
            wheelchair=wheelchair,
        )
    services.refresh_search_text([association])
    association.refresh_from_db()
    return association


# HTML helpers (added for the page tests) -----------------------------------------------


def soup(response):
    """The response's HTML parsed by BeautifulSoup, to assert on structure."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(response.content.decode(), "html.parser")


def result_names(response):
    """The association names of the `#results > li` items, in order (the first link of each item).

    Every item must hold a link: a result without one is a broken card, not something to skip.
    """
    return [item.find("a").get_text(" ", strip=True) for item in soup(response).select("#results > li")]


def visible_text(response):
    """The page's text without scripts and styles, whitespace folded."""
    page = soup(response)
    for tag in page(["script", "style", "template"]):
        tag.decompose()
    return " ".join(page.get_text(" ").split())


def make_associations(count, *, prefix="Association série", **kwargs):
    """`count` published associations named '<prefix> 001'…, for pagination and query counts."""
    return [make_association(f"{prefix} {n:03d}", **kwargs) for n in range(1, count + 1)]


def add_place(association, area_slug, address, *, hours=None, lat=None, lon=None, position=1):
    """Another place of `association` in an area (at its centre unless `lat`/`lon`), open on
    weekdays unless `hours`; the listing's search rows follow."""
    area = Area.objects.get(slug=area_slug)
    Place.objects.create(
        association=association,
        position=position,
        address=address,
        postcode=area.postcode_list[0],
        area=area,
        lat=area.lat if lat is None else lat,
        lon=area.lon if lon is None else lon,
        hours=WEEKDAY_HOURS if hours is None else hours,
    )
    services.refresh_search_text([association])


def make_maraude(*, reception, branch_hours):
    """The card tests' listing: seated in Chassieu (3 rue de la Gare, open on weekdays), free,
    with a phone, and a branch in Vaulx-en-Velin open on `branch_hours`."""
    association = make_association(
        "Maraude de Chassieu",
        area_slug="chassieu",
        categories=["distribution-alimentaire"],
        phone="04 78 12 34 56",
        fees="free",
        reception=reception,
    )
    Place.objects.filter(association=association).update(address="3 rue de la Gare")
    add_place(association, "vaulx-en-velin", "12 avenue Gabriel Péri", hours=branch_hours)
    return association


# Association space -----------------------------------------------------------------------------


def make_manager(association, username=None):
    """A verified account managing `association`."""
    from directory.models import AssociationManager

    user = make_user(username)
    AssociationManager.objects.create(association=association, user=user, via=AssociationManager.Via.CREATED)
    return user


def image_bytes(fmt="JPEG", size=(640, 480), color=(200, 30, 30), exif=None):
    """An image file's bytes, made by Pillow (optionally with EXIF, e.g. GPS and orientation)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, color).save(out, format=fmt, **kwargs)
    return out.getvalue()


def upload(name="photo.jpg", content=None, content_type="image/jpeg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        name, content if content is not None else image_bytes(), content_type=content_type
    )


def listing_post_data(values=None, *, base_version=0, pending_revision=0, form_token=None, **overrides):
    """The POST data of the listing editor for `values` (the JSON form of a listing)."""
    import uuid

    from directory import hours as hours_lib

    values = values or {}
    data = {
        "listing-name": values.get("name", "Les Amis du Jardin"),
        "listing-short_description": values.get("short_description", "Un jardin partagé ouvert à tous."),
        "listing-description": values.get("description", ""),
        "listing-phone": values.get("phone", ""),
        "listing-email": values.get("email", ""),
        "listing-website": values.get("website", ""),
        "listing-social_links": values.get("social_links", ""),
        "listing-fees": values.get("fees", ""),
        "listing-fees_details": values.get("fees_details", ""),
        "listing-reception": values.get("reception", ""),
        "listing-volunteers_details": values.get("volunteers_details", ""),
        "listing-rna": values.get("rna", ""),
        "listing-siret": values.get("siret", ""),
        "listing-categories": values.get("categories", ["epicerie-solidaire"]),
        "listing-audiences": values.get("audiences", []),
        "listing-languages": values.get("languages", []),
        "listing-base_version": base_version,
        "listing-pending_revision": pending_revision,
        "listing-form_token": str(form_token or uuid.uuid4()),
    }
    if values.get("volunteers_sought"):
        data["listing-volunteers_sought"] = "on"
    places = values.get("places") or [
        {"kind": "seat", "address": "12 rue Paul Bert", "postcode": "69003", "area": "lyon-3", "hours": {}}
    ]
    data["places-TOTAL_FORMS"] = len(places) + 1
    data["places-INITIAL_FORMS"] = len(places)
    data["places-MIN_NUM_FORMS"] = 0
    data["places-MAX_NUM_FORMS"] = 10
    for index, place in enumerate(places):
        prefix = f"places-{index}-"
        for key in (
            "kind",
            "name",
            "address",
            "postcode",
            "area",
            "quartier",
            "hours_note",
            "closure_message",
            "wheelchair",
        ):
            data[prefix + key] = place.get(key) or ""
        for key in ("closed_from", "closed_until", "lat", "lon"):
            data[prefix + key] = place.get(key) if place.get(key) is not None else ""
        for day in range(7):
            data[f"{prefix}hours_{day}"] = hours_lib.format_day((place.get("hours") or {}).get(str(day), []))
            school = (place.get("school_hours") or {}).get(str(day), [])
            data[f"{prefix}school_hours_{day}"] = hours_lib.format_day(school)
        data[prefix + "public_holidays"] = place.get("public_holidays") or "closed"
        data[prefix + "school_holidays"] = place.get("school_holidays") or "same"
        data[prefix + "exceptions"] = hours_lib.format_exceptions(place.get("exceptions") or [])
    extra = f"places-{len(places)}-"
    data[extra + "kind"] = "seat"
    photos = values.get("photos", [])
    data["photos-TOTAL_FORMS"] = len(photos)
    data["photos-INITIAL_FORMS"] = len(photos)
    data["photos-MIN_NUM_FORMS"] = 0
    data["photos-MAX_NUM_FORMS"] = 1000
    for index, photo in enumerate(photos):
        data[f"photos-{index}-photo_id"] = photo["id"]
        data[f"photos-{index}-alt"] = photo.get("alt", "")
    data.update(overrides)
    return data


def editor_post_data(association, **overrides):
    """The editor's POST data for the listing's current values (as a GET of the form shows them)."""
    from directory.listings import state
    from directory.models import PendingChange

    association = state.for_values().get(pk=association.pk)
    change = PendingChange.objects.open().filter(association=association).first()
    values = change.proposed if change else state.values_from_association(association)
    return listing_post_data(
        values,
        base_version=association.version,
        pending_revision=change.revision if change else 0,
        **overrides,
    )


# Moderation --------------------------------------------------------------------------------------


def make_group_moderator(username="moderateur", *, areas=()):
    """A staff member of the "Modérateurs" group (created by a migration), limited to `areas` (slugs)."""
    from django.contrib.auth.models import Group

    from directory.models import ModeratorScope

    user = make_user(username, is_staff=True)
    user.groups.add(Group.objects.get(name="Modérateurs"))
    for slug in areas:
        ModeratorScope.objects.create(user=user, area=area(slug))
    return user


def make_report(association, *, reason="hours", message="Les horaires ont changé.", email="", **fields):
    from directory.models import Report

    return Report.objects.create(
        association=association, reason=reason, message=message, email=email, **fields
    )


def propose_edit(association, user, **changes):
    """An open PendingChange of `association` by `user` with `changes` applied to its current values."""
    import uuid

    from directory.editing import services as editing_services
    from directory.listings import state

    values = state.values_from_association(state.for_values().get(pk=association.pk))
    values.update(changes)
    association.refresh_from_db()
    return editing_services.pending_change_submit(
        association=association,
        user=user,
        values=values,
        base_version=association.version,
        form_token=uuid.uuid4(),
    )


def propose_new_listing(user, name="Nouvelle association", *, area_slug="lyon-3", **changes):
    """A new listing submitted by `user`, waiting for a moderator (its PendingChange)."""
    from directory.editing import services as editing_services

    values = {
        "name": name,
        "short_description": f"{name} aide les habitants.",
        "categories": ["epicerie-solidaire"],
        "places": [
            {
                "kind": "seat",
                "address": "3 rue Paul Bert",
                "postcode": "69003",
                "area": area_slug,
                "hours": {},
            }
        ],
        **changes,
    }
    return editing_services.association_submit_new(user=user, values=values)


def _moderation_service_written_models():
    from directory.models import DuplicateCandidate, Report, ReviewLock, VerificationReminder

    return (DuplicateCandidate, Report, ReviewLock, VerificationReminder)


# Moderation rows are written by the services (reports by the public form): no admin "add" page.
MODERATION_SERVICE_WRITTEN_MODELS = _moderation_service_written_models()


def make_moderation_rows(association):
    """One row of each moderation model (for the admin's every-page tests)."""
    from django.utils import timezone

    from directory.models import DuplicateCandidate, ModeratorScope, ReviewLock, VerificationReminder

    user = make_user(is_staff=True)
    twin = make_association(f"{association.name} (doublon)", area_slug="lyon-1")
    first, second = sorted([association.pk, twin.pk])
    make_report(association)
    DuplicateCandidate.objects.create(first_id=first, second_id=second, reason="name", score=0.9)
    ModeratorScope.objects.create(user=user, area=area("villeurbanne"))
    VerificationReminder.objects.create(association=association, recipients=1)
    ReviewLock.objects.create(kind="report", object_id=1, moderator=user, expires_at=timezone.now())


def _service_written_models():
    from directory.models import (
        AssociationManager,
        CalendarSource,
        Claim,
        Event,
        HelperProfile,
        HelpOffer,
        HelpRequest,
        Invitation,
        NewsItem,
        PendingChange,
        VolunteerNeed,
        VolunteerResponse,
    )

    return (
        AssociationManager,
        CalendarSource,
        Claim,
        Event,
        Invitation,
        NewsItem,
        PendingChange,
        HelperProfile,
        HelpOffer,
        HelpRequest,
        VolunteerNeed,
        VolunteerResponse,
    )


SERVICE_WRITTEN_MODELS = _service_written_models()


def make_association_space_rows(association):
    """One row of each association-space model (for the admin's every-page tests)."""
    from directory.models import AssociationManager, Claim, Invitation, NewsItem, PendingChange

    user = make_user()
    AssociationManager.objects.create(association=association, user=user)
    PendingChange.objects.create(association=association, proposed={}, base_version=1, submitted_by=user)
    Claim.objects.create(association=association, user=user, method=Claim.Method.REVIEW, role="Bénévole.")
    Invitation.objects.create(association=association, email="invite@example.org", invited_by=user)
    NewsItem.objects.create(
        association=association, title="Fête de quartier", text="Samedi.", created_by=user
    )
    # Digital helpers: a helper who offered on a request.
    from directory.models import HelpOffer

    HelpOffer.objects.create(
        request=make_help_request(association, user), helper=make_helper(skills=("rgpd",)), message="Oui."
    )
    # Volunteer needs: a need and a resident's answer.
    import uuid

    from directory.models import VolunteerResponse

    need = make_need(association)
    VolunteerResponse.objects.create(
        need=need, name="Camille", email="camille@example.org", message="Dispo.", form_token=uuid.uuid4()
    )
    # The agenda: an event, and the address of the listing's own calendar.
    from directory.models import CalendarSource

    make_event(association, user=user)
    CalendarSource.objects.create(
        association=association, url="https://agenda.example.org/a.ics", added_by=user
    )


def human_fields():
    """The honeypot (empty) and a start time 5 s old: what a person's browser sends with a
    public form (directory.security.HumanCheckMixin)."""
    import time

    from directory.security import form_stamp

    return {"website": "", "form_started": form_stamp(now=time.time() - 5)}


def make_guide(title=None, *, body="## Une partie\n\nUn paragraphe.\n", published=True, **fields):
    """A guide saved through the service, so that its body is rendered and sanitised."""
    from directory.guides.services import guide_save
    from directory.models import Guide

    title = title or f"Guide {next(_counter)}"
    fields.setdefault("slug", slugify(title))
    fields.setdefault("summary", f"Résumé de « {title} ».")
    return guide_save(guide=Guide(title=title, body=body, published=published, **fields))


# Digital helpers -------------------------------------------------------------------------------


def make_helper(
    username=None, *, skills=("site-web",), areas=("lyon-7",), status="approved", remote=False, **fields
):
    """A helper profile (approved unless told otherwise) of a new account."""
    from directory.models import Area, HelperProfile, HelperSkill

    user = make_user(username)
    fields.setdefault("display_name", (username or user.username).capitalize())
    fields.setdefault("availability", HelperProfile.Availability.FEW_HOURS)
    profile = HelperProfile.objects.create(user=user, status=status, remote=remote, **fields)
    HelperSkill.objects.bulk_create([HelperSkill(helper=profile, skill=code) for code in skills])
    profile.areas.set(Area.objects.filter(slug__in=areas))
    return profile


def make_help_request(
    association, author=None, *, skills=("site-web",), title="Créer notre site web", **fields
):
    from directory.models import HelpRequest, RequestSkill

    fields.setdefault("description", "Nous voudrions un site simple avec nos horaires.")
    help_request = HelpRequest.objects.create(association=association, author=author, title=title, **fields)
    RequestSkill.objects.bulk_create([RequestSkill(request=help_request, skill=code) for code in skills])
    return help_request


# Volunteer needs -------------------------------------------------------------------------------


def make_need(association, *, days_left=30, place="first", **fields):
    """A current volunteer need of `association`, at its first place unless `area` is given."""
    import datetime

    from django.utils import timezone

    from directory.models import VolunteerNeed

    fields.setdefault("title", "Distribution de colis")
    fields.setdefault("description", "Aider à préparer et distribuer les colis.")
    fields.setdefault("on_weekdays", True)
    fields.setdefault("ends_on", timezone.localdate() + datetime.timedelta(days=days_left))
    if place == "first":
        place = None if fields.get("area") else association.places.order_by("position", "pk").first()
    return VolunteerNeed.objects.create(association=association, place=place, **fields)


# Page weight and journeys ---------------------------------------------------------------------

SAMPLE_AREAS = ["lyon-1", "lyon-3", "lyon-7", "lyon-8", "villeurbanne", "venissieux", "bron"]
SAMPLE_NEEDS = ["distribution-alimentaire", "aide-aux-devoirs", "cours-de-francais-fle", "football"]


def make_sample_listings(count=30):
    """`count` published listings of realistic length over several needs and places: a broad
    search of them fills a page of 20 results with facets and a map."""
    listings = []
    for n in range(count):
        where = SAMPLE_AREAS[n % len(SAMPLE_AREAS)]
        need = SAMPLE_NEEDS[n % len(SAMPLE_NEEDS)]
        listings.append(
            make_association(
                f"Association {category(need).name.lower()} n° {n + 1:02d}",
                categories=[need],
                area_slug=where,
                short_description=(
                    "Accueil des habitants du quartier, accompagnement personnalisé et ateliers "
                    "collectifs animés par des bénévoles, pour les enfants, les familles et les aînés."
                ),
                fees="free" if n % 2 else "membership",
                reception="walk_in" if n % 3 else "appointment",
                volunteers_sought=n % 4 == 0,
                wheelchair="yes" if n % 5 else "",
            )
        )
    return listings


def make_rich_listing(name="Maison des solidarités de la Guillotière"):
    """A listing with everything a page can show: logo, contact, three places with hours, a long
    description, photos, news items (two with an image), audiences and languages."""
    from datetime import timedelta

    from django.utils import timezone

    from directory import images
    from directory.models import NewsItem, Photo

    association = make_association(
        name,
        categories=[
            "distribution-alimentaire",
            "cours-de-francais-fle",
            "aide-aux-demarches-administratives",
        ],
        area_slug="lyon-7",
        places=3,
        audiences=["tout-public", "enfants"],
        languages=["fr", "en", "ar", "es"],
        wheelchair="yes",
        phone="04 78 00 00 00",
        email="contact@maison-solidarites.example",
        website="https://maison-solidarites.example/",
        social_links="https://mastodon.example/@maison\nhttps://www.facebook.com/maison.solidarites.example",
        fees="free",
        reception="both",
        volunteers_sought=True,
        volunteers_details="Nous cherchons des bénévoles pour l'accueil du samedi matin et l'aide aux devoirs.",
        rna="W691000999",
        last_verified_at=timezone.localdate(),
        description="\n\n".join(
            [
                "Depuis 1998, la Maison des solidarités accueille les habitants du 7e arrondissement et "
                "des communes voisines : distribution alimentaire, cours de français, aide aux démarches.",
                "Chaque semaine, une quarantaine de bénévoles tiennent l'accueil, préparent les colis, "
                "animent les ateliers de conversation et accompagnent les démarches en ligne (CAF, "
                "France Travail, préfecture).",
                "L'accueil est gratuit et ouvert à toutes et à tous, sans condition. Les enfants sont "
                "les bienvenus : un coin jeux et une aide aux devoirs les attendent le mercredi.",
            ]
        ),
    )
    for position, place in enumerate(association.places.all()):
        place.name = ["Local principal", "Antenne Jean Macé", "Jardin partagé"][position]
        place.hours_note = "Fermé en août et les jours fériés."
        place.lat += 0.004 * position
        place.save()
    processed = images.process_image(upload("logo.png", image_bytes("PNG", (200, 200))))
    names = images.store_image(processed)
    Photo.objects.create(
        association=association, kind=Photo.Kind.LOGO, width=200, height=200, is_public=True, **names
    )
    association.logo = names["medium"]
    association.save(update_fields=["logo"])
    for position in range(3):
        processed = images.process_image(upload(f"photo{position}.jpg", image_bytes(size=(640, 480))))
        Photo.objects.create(
            association=association,
            width=640,
            height=480,
            alt=f"Photo {position + 1} de l'accueil",
            position=position,
            is_public=True,
            **images.store_image(processed),
        )
    now = timezone.now()
    for day in range(5):
        image = {}
        if day < 2:
            processed = images.process_image(upload(f"news{day}.jpg", image_bytes(size=(600, 400))))
            stored = images.store_image(processed)
            image = {
                "medium": stored["medium"],
                "large": stored["large"],
                "image_width": 600,
                "image_height": 400,
                "alt": "Les bénévoles devant le local",
            }
        NewsItem.objects.create(
            association=association,
            title=f"Nouvelle distribution le samedi {day + 1}",
            text="La distribution alimentaire a lieu désormais aussi le samedi matin, de 9 h à 12 h. "
            "Venez avec un sac ; aucun justificatif n'est demandé pour la première visite.",
            link="https://maison-solidarites.example/actualites/",
            published_at=now - timedelta(days=day),
            **image,
        )
    services.refresh_search_text([association])
    return association


def make_event(association, *, user=None, start=None, hours=2, **values):
    """A published event of `association` through the agenda's services (its dates written):
    one date at `start` (aware; default: in 3 days at 14 h, Paris) unless `recurrence` is given."""
    import datetime
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from directory.agenda import services as agenda_services

    if start is None:
        day = timezone.localdate() + datetime.timedelta(days=3)
        start = datetime.datetime.combine(day, datetime.time(14, 0), tzinfo=ZoneInfo("Europe/Paris"))
    defaults = {
        "kind": "event",
        "title": "Atelier de réparation de vélos",
        "description": "Venez avec votre vélo.",
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=hours),
        "recurrence": "",
        "month_week": None,
        "repeat_until": None,
        "repeat_count": None,
        "skip_holidays": False,
        "place": association.places.order_by("position", "pk").first(),
        "address": "",
        "area": None,
        "is_free": True,
        "registration_url": "",
        "audiences": [],
        "languages": [],
    }
    defaults.update(values)
    return agenda_services.event_publish(association=association, user=user, values=defaults)


def add_through_steps(client, data):
    """Add a listing as a person does, through every step of the add form
    (directory/editing/steps.py), each step sent `data` (the editor's POST data:
    listing_post_data), then the review's submit. Returns the submit's response; a step that
    refuses its part is returned instead (status 200)."""
    from django.urls import reverse

    from directory.editing.steps import STEPS
    from directory.models import ListingDraft

    client.post(reverse("directory:add_start"))
    draft = ListingDraft.objects.open().order_by("-pk").first()
    files = {key for key, value in data.items() if hasattr(value, "read")}
    for step in STEPS:
        # A file is read once: it goes to the step that asks for it only.
        sent = data if step.kind == "photos" else {k: v for k, v in data.items() if k not in files}
        response = client.post(reverse("directory:add_step", args=[draft.key, step.slug]), sent)
        if response.status_code != 302:
            return response
    confirm = {"confirm_not_duplicate": data.get("confirm_not_duplicate", "")}
    return client.post(reverse("directory:add_submit", args=[draft.key]), confirm)


def make_service(association, name="Cours de français", *, places=(), **fields):
    """A service of `association` (categories, audiences, languages as codes), its search refreshed."""
    from directory.models import Service

    fields.setdefault("position", association.services.count())
    service = Service.objects.create(association=association, name=name, **fields)
    if places:
        service.places.set(places)
    services.refresh_search_text([association])
    return service
