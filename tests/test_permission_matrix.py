"""The permission matrix: every URL of the association space, the admin and the moderation pages
against every persona, limited ones included. directory/access.py decides; this table says what
each persona must get. A named URL of the site without a row here (or a place in PUBLIC_URLS)
fails `test_every_url_has_a_row`.

Personas (columns, in this order):
    anon     a resident, not logged in
    unver    someone who signed up and has not opened the verification link yet
    off      a disabled account, which was a manager of the listing and a moderator
    mgr      a manager of the listing
    exmgr    a manager removed from the listing
    other    the manager of another listing of the same arrondissement
    mod      a moderator of the whole Métropole
    modvil   a moderator limited to Villeurbanne (the listing is in Lyon 5e)
    modgone  a moderator whose only area was deleted (fails closed: moderates nothing)
    root     a superuser

Answers:
    ok      GET 200, or a POST handled (302 to anything but a log-in page)
    login   302 to the site's log-in page
    admin   302 to the admin's log-in page (not staff, or not logged in)
    404     not found (the same answer as for something that does not exist)
    403     the admin's "permission denied" (no permission on that model at all)
    hidden  the admin's answer for an object outside one's areas: 302 to the admin index
            ("does not exist"), the same as for an unknown id
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from directory import access
from directory.accounts import services as account_services
from directory.editing import services as editing_services
from directory.models import (
    Area,
    AssociationChange,
    AssociationManager,
    CalendarSource,
    Claim,
    DuplicateCandidate,
    HelpOffer,
    Invitation,
    ListingDraft,
    ModeratorScope,
    NewsItem,
    PendingChange,
    Report,
    Service,
    VerificationReminder,
    VolunteerNeed,
    VolunteerResponse,
)
from directory.moderation.site import site
from tests import builders

PERSONAS = ["anon", "unver", "off", "mgr", "exmgr", "other", "mod", "modvil", "modgone", "root"]

# Rules shared by many rows (one column a persona, in PERSONAS order).
SPACE = "login login login ok 404 404 404 404 404 ok"  # a listing's association space
ANY_ACCOUNT = "login login login ok ok ok ok ok ok ok"  # any usable account
ADMIN_OBJECT = "admin admin admin admin admin admin ok hidden hidden ok"  # a Lyon 5e row in the admin
ADMIN_LIST = "admin admin admin admin admin admin ok ok ok ok"  # a changelist moderators may read
ADMIN_ROOT = "admin admin admin admin admin admin 403 403 403 ok"  # superusers only
MODERATION = "admin admin admin admin admin admin ok 404 404 ok"  # a custom moderation page or action
EVERYONE = "ok ok ok ok ok ok ok ok ok ok"  # a public URL a row checks too
OWN_DRAFT = "login login login ok 404 404 404 404 404 404"  # the manager's own add-form draft only

# (row label, method, URL name or callable(world) -> path, expected answers). Association-space
# rows are asked under / and under /en/.
SPACE_ROWS = [
    ("dashboard", "get", "directory:dashboard", ANY_ACCOUNT),
    # "Ajouter une association" explains the account to visitors; the steps are their author's.
    ("add", "get", "directory:add", EVERYONE),
    ("add_start", "post", "directory:add_start", ANY_ACCOUNT),
    (
        "add_step",
        "get",
        lambda w: reverse("directory:add_step", args=[w["add_draft"].key, "offre"]),
        OWN_DRAFT,
    ),
    (
        "add_step post",
        "post",
        lambda w: (
            reverse("directory:add_step", args=[w["add_draft"].key, "contact"]),
            {"listing-phone": "04 72 00 00 00"},
        ),
        OWN_DRAFT,
    ),
    ("add_review", "get", lambda w: reverse("directory:add_review", args=[w["add_draft"].key]), OWN_DRAFT),
    ("add_submit", "post", lambda w: reverse("directory:add_submit", args=[w["add_draft"].key]), OWN_DRAFT),
    ("add_discard", "post", lambda w: reverse("directory:add_discard", args=[w["add_draft"].key]), OWN_DRAFT),
    ("my_data", "get", "directory:my_data", ANY_ACCOUNT),
    ("manage", "get", lambda w: _space("manage", w), SPACE),
    ("edit", "get", lambda w: _space("edit", w), SPACE),
    # The edit form in steps: the person's own edit draft of a listing they manage.
    ("edit_step", "get", lambda w: _space("edit_step", w, "lieux"), SPACE),
    (
        "edit_step post",
        "post",
        lambda w: (_space("edit_step", w, "contact"), {"listing-phone": "04 72 00 00 00"}),
        SPACE,
    ),
    ("edit_review", "get", lambda w: _space("edit_review", w), SPACE),
    ("edit_submit", "post", lambda w: _space("edit_submit", w), SPACE),
    ("edit_discard", "post", lambda w: _space("edit_discard", w), SPACE),
    ("edit_all", "get", lambda w: _space("edit_all", w), SPACE),
    ("preview", "get", lambda w: _space("preview", w), SPACE),
    ("pending_change", "get", lambda w: _space("pending_change", w), SPACE),
    ("pending_withdraw", "post", lambda w: _space("pending_withdraw", w), SPACE),
    ("verify", "post", lambda w: _space("verify", w), SPACE),
    ("invite", "post", lambda w: _space("invite", w), SPACE),
    ("manager_remove", "post", lambda w: _space("manager_remove", w, w["co_manager"].pk), SPACE),
    ("invitation_revoke", "post", lambda w: _space("invitation_revoke", w, w["invitation"].pk), SPACE),
    ("claim_accept", "post", lambda w: _space("claim_accept", w, w["claim"].pk), SPACE),
    ("claim_refuse", "post", lambda w: _space("claim_refuse", w, w["claim"].pk), SPACE),
    ("news", "get", lambda w: _space("news", w), SPACE),
    ("services", "get", lambda w: _space("services", w), SPACE),
    ("service_add", "get", lambda w: _space("service_add", w), SPACE),
    ("service_edit", "get", lambda w: _space("service_edit", w, 0), SPACE),
    ("service_remove", "post", lambda w: _space("service_remove", w, 0), SPACE),
    ("news_archive", "post", lambda w: _space("news_archive", w, w["news"].pk), SPACE),
    ("volunteer_manage", "get", lambda w: _space("volunteer_manage", w), SPACE),
    ("volunteer_edit", "get", lambda w: _space("volunteer_edit", w, w["need"].pk), SPACE),
    ("volunteer_archive", "post", lambda w: _space("volunteer_archive", w, w["need"].pk), SPACE),
    ("volunteer_responses", "get", lambda w: _space("volunteer_responses", w, w["need"].pk), SPACE),
    ("agenda_manage", "get", lambda w: _space("agenda_manage", w), SPACE),
    ("calendar_source", "post", lambda w: _space("calendar_source", w), SPACE),
    ("event_edit", "get", lambda w: _space("event_edit", w, w["event"].pk), SPACE),
    ("event_archive", "post", lambda w: _space("event_archive", w, w["event"].pk), SPACE),
    ("event_cancel_date", "post", lambda w: _space("event_cancel_date", w, w["event"].pk), SPACE),
    ("event_restore_date", "post", lambda w: _space("event_restore_date", w, w["event"].pk), SPACE),
    ("help_requests", "get", lambda w: _space("help_requests", w), SPACE),
    ("help_request", "get", lambda w: _space("help_request", w, w["help"].pk), SPACE),
    ("help_request_cancel", "post", lambda w: _space("help_request_cancel", w, w["help"].pk), SPACE),
    ("help_request_done", "post", lambda w: _space("help_request_done", w, w["help"].pk), SPACE),
    ("help_request_feedback", "post", lambda w: _space("help_request_feedback", w, w["help"].pk), SPACE),
    (
        "help_request_invite",
        "post",
        lambda w: _space("help_request_invite", w, w["help"].pk, w["offer"].helper_id),
        SPACE,
    ),
    (
        "help_offer_accept",
        "post",
        lambda w: _space("help_offer_accept", w, w["help"].pk, w["offer"].pk),
        SPACE,
    ),
    (
        "help_offer_decline",
        "post",
        lambda w: _space("help_offer_decline", w, w["help"].pk, w["offer"].pk),
        SPACE,
    ),
    # The language switcher's links (directory/language.py): remember the pick, the same for everyone.
    (
        "language choice",
        "get",
        lambda w: reverse("directory:language_choose", args=["en"]) + "?next=/en/",
        EVERYONE,
    ),
    (
        "language choice, unknown language",
        "get",
        lambda w: reverse("directory:language_choose", args=["xx"]),
        "404 404 404 404 404 404 404 404 404 404",
    ),
    # The "Près de" suggestions (directory/places): the same for everyone.
    ("place suggestions", "get", lambda w: reverse("directory:api_places") + "?q=gorge", EVERYONE),
    # Every commune and arrondissement (/territoires/, linked from the home page): public.
    ("every commune", "get", "directory:areas", EVERYONE),
    # The services a search found (directory/offers/search.py): public, published listings only.
    ("api services", "get", lambda w: reverse("directory:api_service_list") + "?q=cours&gratuit=1", EVERYONE),
    # An unpublished listing is shown to its managers and to the moderators of its area only.
    (
        "pending listing page",
        "get",
        lambda w: w["draft"].get_absolute_url(),
        "404 404 404 ok 404 404 ok 404 404 ok",
    ),
    (
        "pending listing poster",
        "get",
        lambda w: reverse("directory:poster", args=[w["draft"].slug]),
        "404 404 404 ok 404 404 ok 404 404 ok",
    ),
    # The contact card (.vcf) exists for published listings only, whoever asks.
    (
        "listing contact card",
        "get",
        lambda w: reverse("directory:contact_vcf", args=[w["listing"].slug]),
        "ok ok ok ok ok ok ok ok ok ok",
    ),
    (
        "pending listing contact card",
        "get",
        lambda w: reverse("directory:contact_vcf", args=[w["draft"].slug]),
        "404 404 404 404 404 404 404 404 404 404",
    ),
    # Personal pages of an account.
    ("account", "get", "accounts:account", ANY_ACCOUNT),
    ("email_change", "get", "accounts:email_change", ANY_ACCOUNT),
    ("password_change", "get", "accounts:password_change", ANY_ACCOUNT),
    ("delete account", "get", "accounts:delete", ANY_ACCOUNT),
]


def _admin_object(model_name, key, page="change"):
    def url(w):
        return reverse(f"admin:directory_{model_name}_{page}", args=[w[key].pk])

    return url


def _admin_action(model_name, action, key):
    def url(w):
        return reverse(f"admin:directory_{model_name}_changelist"), {
            "action": action,
            "_selected_action": [w[key].pk],
        }

    return url


def _moderation(name, key=None, *extra):
    def url(w):
        args = [w[key].pk, *(w[k].pk for k in extra)] if key else []
        return reverse(f"admin:moderation_{name}", args=args)

    return url


# Every ModelAdmin of a listing's rows: its changelist, a Lyon 5e object's page and history, and
# each action on that object (an action on a row outside one's areas selects nothing).
ADMIN_ROWS = [
    ("association list", "get", "admin:directory_association_changelist", ADMIN_LIST),
    ("association", "get", _admin_object("association", "listing"), ADMIN_OBJECT),
    ("association history", "get", _admin_object("association", "listing", "history"), ADMIN_OBJECT),
    ("association publish", "post", _admin_action("association", "publish", "draft"), ADMIN_LIST),
    ("association archive", "post", _admin_action("association", "archive", "listing"), ADMIN_LIST),
    ("change log list", "get", "admin:directory_associationchange_changelist", ADMIN_LIST),
    ("change log", "get", _admin_object("associationchange", "log"), ADMIN_OBJECT),
    ("pending change list", "get", "admin:directory_pendingchange_changelist", ADMIN_LIST),
    ("pending change", "get", _admin_object("pendingchange", "change"), ADMIN_OBJECT),
    ("pending change history", "get", _admin_object("pendingchange", "change", "history"), ADMIN_OBJECT),
    ("pending change approve", "post", _admin_action("pendingchange", "approve", "change"), ADMIN_LIST),
    (
        "pending change approve new",
        "post",
        _admin_action("pendingchange", "approve_new_listings", "change"),
        ADMIN_LIST,
    ),
    (
        "pending change reject",
        "post",
        _admin_action("pendingchange", "reject_incomplete", "change"),
        ADMIN_LIST,
    ),
    ("claim list", "get", "admin:directory_claim_changelist", ADMIN_LIST),
    ("claim", "get", _admin_object("claim", "claim"), ADMIN_OBJECT),
    (
        "claim document",
        "get",
        lambda w: reverse("admin:directory_claim_document", args=[w["claim"].pk]),
        "admin admin admin admin admin admin ok 404 404 ok",
    ),
    ("claim accept", "post", _admin_action("claim", "accept", "claim"), ADMIN_LIST),
    ("claim refuse", "post", _admin_action("claim", "refuse", "claim"), ADMIN_LIST),
    ("manager list", "get", "admin:directory_associationmanager_changelist", ADMIN_LIST),
    ("manager", "get", _admin_object("associationmanager", "membership"), ADMIN_OBJECT),
    ("manager remove", "post", _admin_action("associationmanager", "remove", "membership"), ADMIN_LIST),
    ("invitation list", "get", "admin:directory_invitation_changelist", ADMIN_LIST),
    ("invitation", "get", _admin_object("invitation", "invitation"), ADMIN_OBJECT),
    ("news list", "get", "admin:directory_newsitem_changelist", ADMIN_ROOT),
    ("news item", "get", _admin_object("newsitem", "news"), ADMIN_ROOT),
    ("need list", "get", "admin:directory_volunteerneed_changelist", ADMIN_LIST),
    ("need", "get", _admin_object("volunteerneed", "need"), ADMIN_OBJECT),
    ("need archive", "post", _admin_action("volunteerneed", "archive", "need"), ADMIN_LIST),
    ("answer list", "get", "admin:directory_volunteerresponse_changelist", ADMIN_ROOT),
    ("answer", "get", _admin_object("volunteerresponse", "answer"), ADMIN_ROOT),
    ("event list", "get", "admin:directory_event_changelist", ADMIN_LIST),
    ("event", "get", _admin_object("event", "event"), ADMIN_OBJECT),
    ("event history", "get", _admin_object("event", "event", "history"), ADMIN_OBJECT),
    ("event mark reviewed", "post", _admin_action("event", "mark_reviewed", "event"), ADMIN_LIST),
    ("event archive", "post", _admin_action("event", "archive", "event"), ADMIN_LIST),
    ("calendar source list", "get", "admin:directory_calendarsource_changelist", ADMIN_LIST),
    ("calendar source", "get", _admin_object("calendarsource", "calendar"), ADMIN_OBJECT),
    ("help request list", "get", "admin:directory_helprequest_changelist", ADMIN_LIST),
    ("help request", "get", _admin_object("helprequest", "help"), ADMIN_OBJECT),
    ("help offer list", "get", "admin:directory_helpoffer_changelist", ADMIN_LIST),
    ("help offer", "get", _admin_object("helpoffer", "offer"), ADMIN_OBJECT),
    ("report list", "get", "admin:directory_report_changelist", ADMIN_LIST),
    ("report", "get", _admin_object("report", "report"), ADMIN_OBJECT),
    ("duplicate list", "get", "admin:directory_duplicatecandidate_changelist", ADMIN_LIST),
    ("duplicate", "get", _admin_object("duplicatecandidate", "duplicate"), ADMIN_OBJECT),
    ("reminder list", "get", "admin:directory_verificationreminder_changelist", ADMIN_LIST),
    ("reminder", "get", _admin_object("verificationreminder", "reminder"), ADMIN_OBJECT),
    # Not tied to one listing: people and reference data.
    ("helper list", "get", "admin:directory_helperprofile_changelist", ADMIN_LIST),
    ("moderator scopes", "get", "admin:directory_moderatorscope_changelist", ADMIN_ROOT),
    ("review locks", "get", "admin:directory_reviewlock_changelist", ADMIN_ROOT),
    ("users", "get", "admin:auth_user_changelist", ADMIN_ROOT),
    ("groups", "get", "admin:auth_group_changelist", ADMIN_ROOT),
    ("guides", "get", "admin:directory_guide_changelist", ADMIN_ROOT),
    ("areas", "get", "admin:directory_area_changelist", ADMIN_LIST),
    ("categories", "get", "admin:directory_category_changelist", ADMIN_LIST),
    ("audiences", "get", "admin:directory_audience_changelist", ADMIN_LIST),
    ("languages", "get", "admin:directory_language_changelist", ADMIN_LIST),
    ("admin index", "get", "admin:index", ADMIN_LIST),
    # The moderation pages (directory/moderation/views.py).
    ("queue", "get", _moderation("queue"), ADMIN_LIST),
    ("moderation dashboard", "get", _moderation("dashboard"), ADMIN_LIST),
    ("change review", "get", _moderation("change", "change"), MODERATION),
    ("change approve", "post", _moderation("change_approve", "change"), MODERATION),
    ("change reject", "post", _moderation("change_reject", "change"), MODERATION),
    ("change correct", "get", _moderation("change_correct", "change"), MODERATION),
    ("change correct and publish", "post", _moderation("change_correct", "change"), MODERATION),
    ("change preview", "get", _moderation("change_preview", "change"), MODERATION),
    ("pending listing review", "get", _moderation("listing_review", "draft"), MODERATION),
    ("claim review", "get", _moderation("claim", "claim"), MODERATION),
    ("claim accept (moderation)", "post", _moderation("claim_accept", "claim"), MODERATION),
    ("claim refuse (moderation)", "post", _moderation("claim_refuse", "claim"), MODERATION),
    ("report review", "get", _moderation("report", "report"), MODERATION),
    ("report take", "post", _moderation("report_take", "report"), MODERATION),
    ("report resolve", "post", _moderation("report_resolve", "report"), MODERATION),
    ("report reject", "post", _moderation("report_reject", "report"), MODERATION),
    ("stale review", "get", _moderation("stale", "listing"), MODERATION),
    ("stale verify", "post", _moderation("stale_verify", "listing"), MODERATION),
    ("history", "get", _moderation("history", "listing"), MODERATION),
    ("history revert", "post", _moderation("history_revert", "listing", "log"), MODERATION),
    ("duplicate review", "get", _moderation("duplicate", "duplicate"), MODERATION),
    ("duplicate merge", "post", _moderation("duplicate_merge", "duplicate"), MODERATION),
    ("duplicate dismiss", "post", _moderation("duplicate_dismiss", "duplicate"), MODERATION),
]

# Named URLs with no access rule: the same answer for everyone (public pages, APIs, feeds, forms
# open to anyone, links carrying their own token). Their own tests cover them.
PUBLIC_URLS = {
    *(
        f"directory:{name}"
        for name in [
            "home",
            "association_list",
            "association",
            "poster",
            "qr_code",
            "print_list",
            "category",
            "area",
            "about",
            "legal",
            "privacy",
            "accessibility",
            "guides",
            "guide",
            "api_association_list",
            "api_association",
            "api_category_list",
            "api_area_list",
            "api_openapi",
            "opendata",
            "opendata_csv",
            "opendata_json",
            "opendata_datainclusion",
            "opendata_datainclusion_services",
            "sitemap",
            "sitemap_section",
            "robots",
            "feed_associations",
            "feed_category",
            "feed_area",
            "api_suggestions",
            "api_places",
            "healthz",
            "invitation",
            "claim",
            "claim_code",
            "claim_request",
            "short_link",
            "feed_association_news",
            "embed_builder",
            "embed_list",
            "volunteer_list",
            "volunteer_need",
            "volunteer_thanks",
            "feed_volunteer_needs",
            "report",
            "report_thanks",
            "confirm_listing",
            "confirm_listing_post",
            "helpers",
            "helper_achievements",
            "helper_signup",
            "helper_space",
            "helper_profile",
            "helper_withdraw",
            "helper_request",
            "helper_offer",
            "helper_offer_withdraw",
            "helper_feedback",
            # Made for the phone (tests/test_phone.py): "Ma liste" reads only its link, the
            # offline page and the service worker are the same for all, /f/<n> is a short link.
            "my_list",
            "offline",
            "service_worker",
            "short_id_link",
            "agenda",
            "agenda_print",
            "event",
            "event_report",
            "event_ics",
            "agenda_ics",
            "association_ics",
            "feed_agenda",
            "embed_agenda",
        ]
    ),
    *(
        f"accounts:{name}"
        for name in [
            "signup",
            "signup_done",
            "verify",
            "login",
            "logout",
            "password_reset",
            "password_reset_done",
            "password_reset_confirm",
            "password_reset_complete",
            "email_confirm",
        ]
    ),
    "set_language",
}
# The digital-helper side (helper_*) is decided by the helper's own approved profile, tested in
# tests/test_helpers.py; claims and invitations by their tokens in test_claim and
# test_editor_managers.


def _space(name, world, *args):
    return reverse(f"directory:{name}", args=[world["listing"].slug, *args])


# The world ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for the module in a transaction rolled back at its end, as
    tests/test_accessibility.py builds its sample, with a media folder and a private folder (the
    claim's document) of its own. The tests only read it: each runs in a savepoint of that
    transaction (pytest-django's `db`), and each persona's request of a row in one of its own
    (`_ask`). Building it for each of the 216 tests took about 40 % of the module's time."""
    root = tmp_path_factory.mktemp("matrix-media")
    private = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": root / "private", "base_url": None},
    }
    media = override_settings(MEDIA_ROOT=root / "media", STORAGES={**settings.STORAGES, "private": private})
    with django_db_blocker.unblock(), media, transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


@pytest.fixture
def _media_root():
    """Keep the module's media folder (conftest's gives each test its own)."""


@pytest.fixture
def _private_media_root():
    """Keep the module's private folder, where the world's claim document is."""


@pytest.fixture
def world(db, matrix_world):
    """The module's world, within the test's savepoint: what a test writes is rolled back after
    it (the tests below expect no change of the world's rows, only read them again)."""
    return matrix_world


def _build_world():
    listing = builders.make_association("Épicerie solidaire du Vieux Lyon", area_slug="lyon-5")
    manager = builders.make_manager(listing, "gestionnaire")
    co_manager = builders.make_manager(listing, "cogestionnaire")
    removed = builders.make_manager(listing, "ancien")
    editing_services.manager_remove(association=listing, user=removed, actor=manager)
    other = builders.make_manager(builders.make_association("Autre fiche", area_slug="lyon-5"), "autre")
    draft = builders.make_association("Fiche en attente", area_slug="lyon-5", status="pending")
    AssociationManager.objects.create(association=draft, user=manager)

    # A sign-up not yet verified is a PendingSignup row, not an account: there is nothing to log in
    # with until the link is opened, so this persona is a visitor whose session carries no user.
    assert account_services.account_signup(email="nouvelle@example.org", password="pass-word-123")
    unverified = None
    disabled = builders.make_group_moderator("desactive")
    AssociationManager.objects.create(association=listing, user=disabled)
    disabled.is_active = False
    disabled.save()

    moderator = builders.make_group_moderator("moderateur")
    villeurbanne = builders.make_group_moderator("villeurbannaise", areas=["villeurbanne"])
    gone = builders.make_group_moderator("sansterritoire")
    doomed = Area.objects.create(name="Commune supprimée", slug="commune-supprimee", kind="commune")
    ModeratorScope.objects.create(user=gone, area=doomed)
    doomed.delete()

    claimant = builders.make_user("demandeuse")
    claim = Claim.objects.create(
        association=listing, user=claimant, method=Claim.Method.REVIEW, role="Présidente", to_managers=True
    )
    claim.document.save("statuts.pdf", ContentFile(b"%PDF-1.4 statuts"), save=True)
    Service.objects.create(association=listing, name="Épicerie du samedi", categories=["epicerie-solidaire"])
    change = builders.propose_edit(listing, manager, short_description="Ouvert le samedi aussi.")
    need = builders.make_need(listing)
    twin = builders.make_association("Épicerie solidaire du Vieux-Lyon", area_slug="lyon-5")
    first, second = sorted([listing.pk, twin.pk])
    help_request = builders.make_help_request(listing, manager)
    world = {
        "listing": listing,
        "draft": draft,
        "add_draft": ListingDraft.objects.create(
            user=manager, values={"name": "Brouillon"}, steps_done=["identite"]
        ),
        "co_manager": co_manager,
        "claim": claim,
        "change": change,
        "need": need,
        "help": help_request,
        "offer": HelpOffer.objects.create(
            request=help_request, helper=builders.make_helper(skills=("site-web",)), message="Oui."
        ),
        "answer": VolunteerResponse.objects.create(
            need=need, name="Camille", email="camille@example.org", message="Dispo.", form_token="0" * 32
        ),
        "event": builders.make_event(listing, user=manager),
        "calendar": CalendarSource.objects.create(association=listing, url="https://example.org/agenda.ics"),
        "news": NewsItem.objects.create(
            association=listing, title="Fête", text="Samedi.", created_by=manager
        ),
        "invitation": Invitation.objects.create(
            association=listing, email="invite@example.org", invited_by=manager
        ),
        "membership": AssociationManager.objects.get(association=listing, user=co_manager),
        "report": builders.make_report(listing),
        "duplicate": DuplicateCandidate.objects.create(
            first_id=first, second_id=second, reason="name", score=0.9
        ),
        "reminder": VerificationReminder.objects.create(association=listing, recipients=1),
        "log": AssociationChange.objects.filter(association=listing).earliest("pk"),
        "personas": {
            "anon": None,
            "unver": unverified,
            "off": disabled,
            "mgr": manager,
            "exmgr": removed,
            "other": other,
            "mod": moderator,
            "modvil": villeurbanne,
            "modgone": gone,
            "root": builders.make_superuser(),
        },
    }
    assert isinstance(world["need"], VolunteerNeed)
    assert isinstance(world["change"], PendingChange)
    assert isinstance(world["report"], Report)
    return world


def _answer(response, *, site_login, admin_login):
    status = response.status_code
    if status == 302:
        location = response["Location"]
        if location.startswith(admin_login):
            return "admin"
        if location.startswith(site_login):
            return "login"
        if location.rstrip("/") == reverse("admin:index").rstrip("/"):
            return "hidden"
        return "ok"
    if status == 200:
        return "ok"
    return str(status)


def _ask(client, world, persona, method, target, *, language="fr"):
    user = world["personas"][persona]
    with translation.override(language):
        if isinstance(target, str):
            target = reverse(target)
        elif callable(target):
            target = target(world)
        path, data = target if isinstance(target, tuple) else (target, {})
        site_login = reverse("accounts:login")
    client.logout()
    if user is not None:
        client.force_login(user)
    # Each request in a savepoint rolled back: one persona's POST never changes the next one's world.
    with transaction.atomic():
        response = client.post(path, data) if method == "post" else client.get(path)
        transaction.set_rollback(True)
    return _answer(response, site_login=site_login, admin_login=reverse("admin:login"))


def _check(client, world, label, method, target, expected, language="fr"):
    got = {persona: _ask(client, world, persona, method, target, language=language) for persona in PERSONAS}
    want = dict(zip(PERSONAS, expected.split(), strict=True))
    wrong = {p: f"got {got[p]}, want {want[p]}" for p in PERSONAS if got[p] != want[p]}
    assert not wrong, f"{label} ({language}): {wrong}"


@pytest.mark.parametrize(
    ("label", "method", "target", "expected"), SPACE_ROWS, ids=[r[0] for r in SPACE_ROWS]
)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_association_space(client, world, label, method, target, expected, language):
    _check(client, world, label, method, target, expected, language)


@pytest.mark.parametrize(
    ("label", "method", "target", "expected"), ADMIN_ROWS, ids=[r[0] for r in ADMIN_ROWS]
)
def test_admin_and_moderation(client, world, label, method, target, expected):
    _check(client, world, label, method, target, expected)


# Completeness ---------------------------------------------------------------------------------


def _named_urls(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_urls(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def _row_names():
    names = set()
    for _label, _method, target, _expected in SPACE_ROWS + ADMIN_ROWS:
        if isinstance(target, str):
            names.add(target)
    source = Path(__file__).read_text(encoding="utf-8")  # names used by the row builders
    names |= {f"directory:{n}" for n in re.findall(r'_space\("(\w+)"', source)}
    names |= {f"admin:moderation_{n}" for n in re.findall(r'_moderation\("(\w+)"', source)}
    names |= {
        f"admin:directory_{m}_{kind}"
        for m in re.findall(r'_admin_object\("(\w+)"', source)
        for kind in ("change", "history")
    }
    names |= {f"admin:{n}" for n in re.findall(r'reverse\("admin:(\w+)"', source)}
    names |= {f"directory:{n}" for n in re.findall(r'reverse\("directory:(\w+)"', source)}
    return names


def test_every_url_has_a_row():
    """A named URL of the site, the association space or the moderation pages without a row in
    this table (or a place in PUBLIC_URLS) fails here: add its row when you add the URL."""
    covered = _row_names() | PUBLIC_URLS
    missing = sorted(
        name
        for name in set(_named_urls())
        if not name.startswith("admin:") or name.startswith("admin:moderation_") or name.endswith("_document")
        if name not in covered
    )
    assert missing == []


def test_every_admin_of_a_listing_row_has_rows():
    """Every model registered in the admin appears in ADMIN_ROWS by its changelist."""
    covered = _row_names()
    missing = sorted(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        for model in site._registry
        if f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist" not in covered
    )
    assert missing == []


# The findings of the review, one by one -------------------------------------------------------


def test_a_limited_moderator_cannot_download_a_claim_document_of_another_area(client, world):
    """Finding 2: the document view looked the claim up among all claims."""
    client.force_login(world["personas"]["modvil"])
    url = reverse("admin:directory_claim_document", args=[world["claim"].pk])
    assert client.get(url).status_code == 404
    client.force_login(world["personas"]["mod"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_moderators_are_not_managers(world):
    """Finding 3: holding change_association opened every association space."""
    listing = world["listing"]
    for persona in ("mod", "modvil", "modgone", "off", "exmgr", "other", "unver"):
        assert not access.can_manage(world["personas"][persona], listing), persona
    assert access.can_manage(world["personas"]["mgr"], listing)
    assert access.can_manage(world["personas"]["root"], listing)


def test_a_moderator_whose_area_was_deleted_moderates_nothing(world):
    """Finding 6: deleting the area of a moderator's only scope row made them unlimited."""
    gone = world["personas"]["modgone"]
    assert ModeratorScope.objects.filter(user=gone, area=None).exists()
    assert access.moderator_area_ids(gone) == frozenset()
    assert not access.moderated_associations(gone).exists()
    assert access.is_moderator(gone)


def test_a_limited_moderator_lists_only_the_rows_of_their_areas(client, world):
    """Finding 6: needs and invitations were not scoped (any moderator read every invitee's e-mail)."""
    villeurbanne = builders.make_association("Maison de quartier des Buers", area_slug="villeurbanne")
    builders.make_need(villeurbanne, title="Accueil du samedi")
    Invitation.objects.create(
        association=villeurbanne, email="buers@example.org", invited_by=world["personas"]["mgr"]
    )
    client.force_login(world["personas"]["modvil"])
    needs = builders.visible_text(client.get(reverse("admin:directory_volunteerneed_changelist")))
    assert "Accueil du samedi" in needs
    assert "Distribution de colis" not in needs
    invitations = builders.visible_text(client.get(reverse("admin:directory_invitation_changelist")))
    assert "buers@example.org" in invitations
    assert "invite@example.org" not in invitations


def test_admin_actions_go_through_the_moderation_rules(world):
    """Finding 6: admin approve/reject and claim decisions skipped the area check and the lock."""
    from directory.moderation import locks

    change = world["change"]
    locks.lock_acquire(kind="change", object_id=change.pk, moderator=world["personas"]["root"])
    from django.test import Client

    client = Client()
    client.force_login(world["personas"]["mod"])
    client.post(
        reverse("admin:directory_pendingchange_changelist"),
        {"action": "approve", "_selected_action": [change.pk]},
    )
    change.refresh_from_db()
    assert change.status == PendingChange.Status.PENDING  # locked by someone else: nothing written
    group = Group.objects.get(name="Modérateurs")
    assert group.permissions.filter(codename="change_pendingchange").exists()


def test_an_admin_action_on_a_row_outside_ones_areas_changes_nothing(client, world):
    client.force_login(world["personas"]["modvil"])
    for model, action, key in [
        ("pendingchange", "approve", "change"),
        ("claim", "accept", "claim"),
        ("associationmanager", "remove", "membership"),
        ("volunteerneed", "archive", "need"),
        ("association", "archive", "listing"),
    ]:
        url = reverse(f"admin:directory_{model}_changelist")
        client.post(url, {"action": action, "_selected_action": [world[key].pk]})
    world["change"].refresh_from_db()
    world["claim"].refresh_from_db()
    world["need"].refresh_from_db()
    world["listing"].refresh_from_db()
    assert world["change"].status == PendingChange.Status.PENDING
    assert world["claim"].status == Claim.Status.PENDING
    assert not world["need"].archived
    assert world["listing"].is_published
    assert AssociationManager.objects.filter(pk=world["membership"].pk).exists()


def test_the_manager_removal_service_refuses_a_stranger(world):
    from directory.editing.services import EditingError

    for persona in ("other", "modvil", "modgone"):
        with pytest.raises(EditingError):
            editing_services.manager_remove(
                association=world["listing"], user=world["co_manager"], actor=world["personas"][persona]
            )
    assert AssociationManager.objects.filter(pk=world["membership"].pk).exists()
