"""Digital helpers: helper sign-up and moderation, help requests, offers,
acceptance and the exchange of contacts, follow-ups, the public pages and the admin."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from directory.digital_help import followups, services
from directory.models import AssociationChange, HelperProfile, HelpOffer, HelpRequest
from tests import builders

pytestmark = pytest.mark.django_db

HELPER_EMAIL = "camille@aidants.example"


@pytest.fixture
def helper():
    """An approved helper who builds websites, in Lyon 7e (where `listing` is)."""
    profile = builders.make_helper(
        "camille", skills=("site-web", "liste-diffusion"), areas=("lyon-7",), bio="Développeuse web."
    )
    profile.user.email = HELPER_EMAIL
    profile.user.save(update_fields=["email"])
    return profile


@pytest.fixture
def pending_helper():
    return builders.make_helper("dominique", skills=("site-web",), status=HelperProfile.Status.PENDING)


@pytest.fixture
def help_request(listing, manager):
    return builders.make_help_request(listing, manager, skills=("site-web",))


@pytest.fixture
def offer(help_request, helper):
    return HelpOffer.objects.create(request=help_request, helper=helper, message="Je peux aider le mardi.")


@pytest.fixture
def group_moderator():
    return builders.make_group_moderator("moderateur")


def login(client, user):
    client.force_login(user)
    return client


def request_url(help_request, name="directory:help_request"):
    return reverse(name, args=[help_request.association.slug, help_request.pk])


def offer_url(offer, name):
    return reverse(name, args=[offer.request.association.slug, offer.request_id, offer.pk])


def messages_of(response):
    return [m.get_text(" ", strip=True) for m in builders.soup(response).select(".messages li")]


SIGNUP = {
    "display_name": "Alex",
    "skills": ["site-web", "rgpd"],
    "areas": [],
    "remote": "on",
    "availability": "hours-month",
    "bio": "J'ai monté le site de mon club.",
    "consent": "on",
}


# Public pages -------------------------------------------------------------------------------


def test_landing_page_explains_and_links_to_signup(client):
    response = client.get(reverse("directory:helpers"))
    assert response.status_code == 200
    page = builders.soup(response)
    assert page.select_one("#signup-link")["href"] == reverse("directory:helper_signup")
    assert "Comptabilité en ligne" in [li.get_text(strip=True) for li in page.select("#skills li")]
    # Linked from every page's footer.
    footer_links = [a["href"] for a in page.select("footer a")]
    assert reverse("directory:helpers") in footer_links


def test_achievements_show_counts_and_no_personal_data(client, listing, manager, helper, pending_helper):
    done = builders.make_help_request(
        listing, manager, title="Lettre d'information secrète", skills=("liste-diffusion",)
    )
    offer = HelpOffer.objects.create(request=done, helper=helper, message="Oui")
    services.help_offer_accept(offer=offer, user=manager)
    services.help_request_mark_done(help_request=done, user=manager)
    followups.help_feedback_record(help_request=done, side="association", answer="yes")
    builders.make_help_request(listing, manager, skills=("site-web", "rgpd"))
    cancelled = builders.make_help_request(listing, manager, skills=("site-web",))
    services.help_request_cancel(help_request=cancelled, user=manager)

    response = client.get(reverse("directory:helper_achievements"))
    page = builders.soup(response)
    counts = {dd["data-count"]: int(dd.get_text(strip=True)) for dd in page.select("#totals dd")}
    assert counts == {"made": 3, "matched": 1, "done": 1, "worked": 1, "helpers": 1}
    rows = {
        tr.th.get_text(strip=True): [int(td.get_text()) for td in tr.select("td")]
        for tr in page.select("#by-skill tbody tr")
    }
    assert rows["Site web"] == [2, 1]
    assert rows["RGPD, protection des données"] == [1, 0]
    assert rows["Liste de diffusion, lettre d'information"] == [1, 1]
    text = builders.visible_text(response)
    for private in ("Camille", HELPER_EMAIL, listing.name, "secrète", "Dominique"):
        assert private not in text


def test_landing_query_count(client, plain_user, helper, django_assert_num_queries):
    with django_assert_num_queries(0):  # anonymous: nothing to read
        client.get(reverse("directory:helpers"))
    login(client, helper.user)
    # 1. session   2. user   3. my helper profile (for the link to my space)
    with django_assert_num_queries(3):
        page = builders.soup(client.get(reverse("directory:helpers")))
    assert page.select_one("#signup-link") is None


def test_achievements_query_count(client, helper, help_request, django_assert_num_queries):
    # 1. request totals (one aggregate)   2. approved helpers   3. requests by skill
    # 4. approved helpers by skill
    with django_assert_num_queries(4):
        response = client.get(reverse("directory:helper_achievements"))
    assert response.status_code == 200


# Sign-up and profile ------------------------------------------------------------------------


def test_signup_needs_an_account(client):
    response = client.get(reverse("directory:helper_signup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    response = client.post(reverse("directory:helper_signup"), SIGNUP)
    assert response.status_code == 302
    assert not HelperProfile.objects.exists()


def test_signup_creates_a_pending_profile(client, plain_user):
    login(client, plain_user)
    data = {**SIGNUP, "areas": [builders.area("lyon-3").pk, builders.area("villeurbanne").pk]}
    response = client.post(reverse("directory:helper_signup"), data, follow=True)
    profile = HelperProfile.objects.get(user=plain_user)
    assert profile.status == HelperProfile.Status.PENDING
    assert sorted(profile.skill_codes) == ["rgpd", "site-web"]
    assert {a.slug for a in profile.areas.all()} == {"lyon-3", "villeurbanne"}
    assert profile.remote
    assert profile.display_name == "Alex"
    assert "Un modérateur va relire votre profil" in " ".join(messages_of(response))
    page = builders.soup(response)
    assert "En attente de validation" in page.select_one("#profile-status").get_text()
    assert page.select_one("#open-requests") is None  # nothing to see before approval

    # The same form sent twice: still one profile, still pending.
    client.post(reverse("directory:helper_signup"), data)
    assert HelperProfile.objects.filter(user=plain_user).count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"skills": []}, "skills"),
        ({"skills": ["piratage"]}, "skills"),
        ({"areas": [], "remote": ""}, "areas"),
        ({"areas": ["999999"]}, "areas"),
        ({"areas": ["pas-un-nombre"]}, "areas"),
        ({"display_name": "alex@example.org"}, "display_name"),
        ({"display_name": "   "}, "display_name"),
        ({"availability": "toujours"}, "availability"),
        ({"consent": ""}, "consent"),
        ({"bio": "x" * 1001}, "bio"),
    ],
)
def test_signup_rejects_bad_input(client, plain_user, changes, field):
    login(client, plain_user)
    data = {**SIGNUP, **changes}
    data = {key: value for key, value in data.items() if value != ""}
    response = client.post(reverse("directory:helper_signup"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not HelperProfile.objects.exists()


def test_quartier_areas_are_not_offered(client, plain_user):
    """Helpers pick communes and arrondissements; a quartier id is refused."""
    from directory.models import Area

    login(client, plain_user)
    quartier = Area.objects.filter(kind=Area.Kind.QUARTIER).first()
    response = client.post(reverse("directory:helper_signup"), {**SIGNUP, "areas": [quartier.pk]})
    assert "areas" in response.context["form"].errors


def test_changing_name_or_bio_goes_back_to_moderation(client, helper):
    login(client, helper.user)
    form = {
        **SIGNUP,
        "display_name": helper.display_name,
        "bio": helper.bio,
        "skills": ["site-web", "graphisme"],
    }
    client.post(reverse("directory:helper_profile"), form)
    helper.refresh_from_db()
    assert helper.status == HelperProfile.Status.APPROVED  # skills change at once
    assert sorted(helper.skill_codes) == ["graphisme", "site-web"]

    client.post(reverse("directory:helper_profile"), {**form, "bio": "Contactez-moi au 06 12 34 56 78"})
    helper.refresh_from_db()
    assert helper.status == HelperProfile.Status.PENDING


def test_profile_form_is_prefilled(client, helper):
    login(client, helper.user)
    page = builders.soup(client.get(reverse("directory:helper_profile")))
    assert page.select_one("input[name=display_name]")["value"] == "Camille"
    checked = {i["value"] for i in page.select("input[name=skills][checked]")}
    assert checked == {"site-web", "liste-diffusion"}


def test_helper_space_without_profile_leads_to_signup(client, plain_user):
    login(client, plain_user)
    response = client.get(reverse("directory:helper_space"))
    assert response["Location"] == reverse("directory:helper_signup")


def test_withdrawing_the_profile_withdraws_pending_offers(client, helper, offer):
    login(client, helper.user)
    assert client.get(reverse("directory:helper_withdraw")).status_code == 405
    client.post(reverse("directory:helper_withdraw"))
    helper.refresh_from_db()
    offer.refresh_from_db()
    assert helper.status == HelperProfile.Status.WITHDRAWN
    assert offer.status == HelpOffer.Status.WITHDRAWN
    assert client.get(reverse("directory:helper_request", args=[offer.request_id])).status_code == 404


def test_bio_is_escaped(client, manager, help_request):
    helper = builders.make_helper("eve", bio="<script>alert(1)</script>", skills=("site-web",))
    HelpOffer.objects.create(request=help_request, helper=helper, message="<b>Bonjour</b>")
    response = login(client, manager).get(request_url(help_request))
    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;" in response.content
    assert builders.soup(response).select_one("#offers blockquote b") is None


# Moderation in the admin ---------------------------------------------------------------------


def test_moderators_approve_and_reject_in_the_admin(client, group_moderator, pending_helper):
    other = builders.make_helper("frederic", status=HelperProfile.Status.PENDING)
    login(client, group_moderator)
    changelist = reverse("admin:directory_helperprofile_changelist")
    assert client.get(changelist + "?status__exact=pending").status_code == 200
    mail.outbox.clear()
    response = client.post(
        changelist, {"action": "approve", "_selected_action": [pending_helper.pk]}, follow=True
    )
    assert response.status_code == 200
    pending_helper.refresh_from_db()
    assert pending_helper.status == HelperProfile.Status.APPROVED
    assert pending_helper.moderated_by == group_moderator
    client.post(changelist, {"action": "reject", "_selected_action": [other.pk]})
    other.refresh_from_db()
    assert other.status == HelperProfile.Status.REJECTED


def test_approval_and_rejection_emails(django_capture_on_commit_callbacks, group_moderator, pending_helper):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.helper_approve(profile=pending_helper, moderator=group_moderator)
        assert not services.helper_approve(
            profile=pending_helper, moderator=group_moderator
        )  # twice: harmless
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [pending_helper.user.email]
    assert "validé" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        services.helper_reject(
            profile=pending_helper, moderator=group_moderator, reason="Présentez-vous un peu."
        )
    assert "Présentez-vous un peu." in mail.outbox[1].body


def test_moderators_see_requests_and_offers_in_the_admin(client, group_moderator, offer):
    login(client, group_moderator)
    for name in ("helprequest", "helpoffer", "helperprofile"):
        assert client.get(reverse(f"admin:directory_{name}_changelist")).status_code == 200
    response = client.get(reverse("admin:directory_helprequest_change", args=[offer.request_id]))
    assert response.status_code == 200
    assert "Je peux aider le mardi." in response.content.decode()
    assert (
        client.get(reverse("admin:directory_helprequest_changelist") + "?skill=site-web").status_code == 200
    )


def test_managers_and_helpers_have_no_admin(client, manager, helper):
    for user in (manager, helper.user):
        response = login(client, user).get(reverse("admin:directory_helperprofile_changelist"))
        assert response.status_code == 302  # to the admin's login


# Permission matrix ---------------------------------------------------------------------------


@pytest.fixture
def personas(client, manager, other_manager, helper, pending_helper, moderator):
    return {
        "anonymous": None,
        "manager": manager,
        "other_manager": other_manager,
        "pending_helper": pending_helper.user,
        "approved_helper": helper.user,
        "moderator": moderator,
    }


ASSOCIATION_SIDE = {
    "anonymous": 302,
    "manager": 200,
    "other_manager": 404,
    "pending_helper": 404,
    "approved_helper": 404,
    "moderator": 404,  # moderators moderate from the admin; they are not managers
}
HELPER_SIDE = {
    "anonymous": 302,
    "manager": 404,
    "other_manager": 404,
    "pending_helper": 404,
    "approved_helper": 200,
    "moderator": 404,
}


@pytest.mark.parametrize("persona", list(ASSOCIATION_SIDE))
def test_association_pages_permissions(client, personas, persona, listing, help_request):
    if personas[persona]:
        login(client, personas[persona])
    for url in (reverse("directory:help_requests", args=[listing.slug]), request_url(help_request)):
        assert client.get(url).status_code == ASSOCIATION_SIDE[persona], url


@pytest.mark.parametrize("persona", list(HELPER_SIDE))
def test_helper_request_page_permissions(client, personas, persona, help_request):
    if personas[persona]:
        login(client, personas[persona])
    assert (
        client.get(reverse("directory:helper_request", args=[help_request.pk])).status_code
        == HELPER_SIDE[persona]
    )


@pytest.mark.parametrize("persona", ["anonymous", "other_manager", "pending_helper", "approved_helper"])
def test_only_managers_and_moderators_post_accept_and_cancel(client, personas, persona, listing, offer):
    if personas[persona]:
        login(client, personas[persona])
    help_request = offer.request
    responses = [
        client.post(
            reverse("directory:help_requests", args=[listing.slug]),
            {"title": "x", "description": "y", "skills": ["rgpd"], "urgency": "low"},
        ),
        client.post(offer_url(offer, "directory:help_offer_accept")),
        client.post(offer_url(offer, "directory:help_offer_decline")),
        client.post(request_url(help_request, "directory:help_request_cancel")),
        client.post(request_url(help_request, "directory:help_request_done")),
    ]
    expected = 302 if persona == "anonymous" else 404
    assert [r.status_code for r in responses] == [expected] * 5
    assert HelpRequest.objects.count() == 1
    offer.refresh_from_db()
    help_request.refresh_from_db()
    assert (offer.status, help_request.status) == (HelpOffer.Status.PENDING, HelpRequest.Status.OPEN)


def test_a_moderator_cannot_accept_from_the_association_space(client, moderator, offer):
    response = login(client, moderator).post(offer_url(offer, "directory:help_offer_accept"))
    assert response.status_code == 404
    offer.refresh_from_db()
    assert offer.status != HelpOffer.Status.ACCEPTED
    assert not AssociationChange.objects.filter(action="help_offer_accepted").exists()


def test_pending_and_rejected_helpers_cannot_offer(client, pending_helper, help_request):
    login(client, pending_helper.user)
    response = client.post(reverse("directory:helper_offer", args=[help_request.pk]), {"message": "Moi !"})
    assert response.status_code == 404
    assert not HelpOffer.objects.exists()
    with pytest.raises(services.HelpActionError):
        services.help_offer_make(help_request=help_request, helper=pending_helper, message="Moi !")


def test_pending_helpers_are_never_suggested(client, manager, help_request, pending_helper, helper):
    page = builders.soup(login(client, manager).get(request_url(help_request)))
    assert [li["data-helper"] for li in page.select("#suggestions li[data-helper]")] == [str(helper.pk)]


# Posting a request -----------------------------------------------------------------------------


def test_manage_page_links_to_help_requests(client, manager, listing):
    page = builders.soup(login(client, manager).get(reverse("directory:manage", args=[listing.slug])))
    assert page.select_one("#help-link")["href"] == reverse("directory:help_requests", args=[listing.slug])


def test_manager_posts_a_request(client, manager, listing):
    login(client, manager)
    url = reverse("directory:help_requests", args=[listing.slug])
    response = client.post(
        url,
        {
            "title": "Lancer une lettre d'information",
            "description": "Pour nos 200 adhérents.",
            "skills": ["liste-diffusion", "rgpd"],
            "urgency": "high",
        },
    )
    help_request = HelpRequest.objects.get()
    assert response["Location"] == request_url(help_request)
    assert (help_request.association, help_request.author, help_request.urgency) == (listing, manager, "high")
    assert help_request.status == HelpRequest.Status.OPEN
    assert sorted(help_request.skill_codes) == ["liste-diffusion", "rgpd"]
    entry = AssociationChange.objects.get(association=listing, action="help_request_created")
    assert (entry.actor, entry.origin) == (manager, "manager")
    page = builders.soup(client.get(url))
    assert [a.get_text(strip=True) for a in page.select("#help-requests h3 a")] == [
        "Lancer une lettre d'information"
    ]


@pytest.mark.parametrize(
    "changes",
    [
        {"title": ""},
        {"description": ""},
        {"skills": []},
        {"skills": ["inconnue"]},
        {"urgency": "hier"},
        {"title": "x" * 121},
    ],
)
def test_request_bad_input(client, manager, listing, changes):
    login(client, manager)
    data = {
        "title": "Site",
        "description": "Un site.",
        "skills": ["site-web"],
        "urgency": "normal",
        **changes,
    }
    response = client.post(reverse("directory:help_requests", args=[listing.slug]), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not HelpRequest.objects.exists()


# Suggestions ----------------------------------------------------------------------------------


def test_suggestions_rank_by_skills_then_area(listing, manager):
    help_request = builders.make_help_request(listing, manager, skills=("site-web", "rgpd", "graphisme"))
    both_far = builders.make_helper("loin", skills=("site-web", "rgpd"), areas=("villeurbanne",))
    one_near = builders.make_helper("pres", skills=("site-web",), areas=("lyon-7",))
    one_lyon = builders.make_helper("lyon", skills=("rgpd",), areas=("lyon",))  # Lyon covers Lyon 7e
    one_far_remote = builders.make_helper(
        "distance", skills=("graphisme",), areas=("villeurbanne",), remote=True
    )
    one_far = builders.make_helper("ailleurs", skills=("graphisme",), areas=("bron",))
    builders.make_helper("horsujet", skills=("comptabilite",), areas=("lyon-7",))
    builders.make_helper(
        "attente", skills=("site-web", "rgpd", "graphisme"), status=HelperProfile.Status.PENDING
    )
    builders.make_helper("retire", skills=("site-web",), status=HelperProfile.Status.WITHDRAWN)
    ranked = list(HelperProfile.objects.suggested_for(help_request))
    assert len(ranked) == 5
    assert ranked[0] == both_far
    assert ranked[0].skill_overlap == 2
    assert not ranked[0].area_match
    assert set(ranked[1:3]) == {one_near, one_lyon}
    assert all(h.area_match for h in ranked[1:3])
    assert ranked[3:] == [one_far_remote, one_far]


def test_a_helper_in_an_arrondissement_matches_a_place_in_lyon(manager):
    """The commune/arrondissement parent match works both ways."""
    in_lyon = builders.make_association("Maison des Lyonnais", area_slug="lyon")
    builders.make_manager(in_lyon, "lyonnais")
    help_request = builders.make_help_request(in_lyon, skills=("site-web",))
    helper = builders.make_helper("arr", skills=("site-web",), areas=("lyon-2",))
    assert [h.area_match for h in HelperProfile.objects.suggested_for(help_request)] == [False]
    # From the helper's side, a request of Lyon 2e matches a helper who chose Lyon.
    lyon_helper = builders.make_helper("tout-lyon", skills=("site-web",), areas=("lyon",))
    in_2e = builders.make_association("Club du 2e", area_slug="lyon-2")
    builders.make_help_request(in_2e, skills=("site-web",))
    matches = {r.association.slug: r.area_match for r in HelpRequest.objects.open().matching(lyon_helper)}
    assert matches == {in_lyon.slug: True, in_2e.slug: True}
    assert {r.association.slug: r.area_match for r in HelpRequest.objects.open().matching(helper)} == {
        in_lyon.slug: False,
        in_2e.slug: True,
    }


def test_request_page_query_count(client, manager, help_request, helper, django_assert_num_queries):
    for n in range(3):
        other = builders.make_helper(f"aidant{n}", skills=("site-web", "rgpd"), areas=("lyon-3", "lyon-7"))
        HelpOffer.objects.create(request=help_request, helper=other, message="Volontiers.")
    for n in range(4):
        builders.make_helper(f"suggere{n}", skills=("site-web",), areas=("bron",))
    login(client, manager)
    # 1. session   2. user   3. the listing (with "do I manage it")   4. the request
    # 5. its skills   6. offers (with helpers and their accounts)   7. their skills   8. their areas
    # 9. areas of the listing's places   10. suggested helpers (ranked)   11. their skills
    # 12. their areas   13. helpers already told of the request
    with django_assert_num_queries(13):
        response = client.get(request_url(help_request))
    page = builders.soup(response)
    assert len(page.select("#offers li[data-offer]")) == 3
    assert len(page.select("#suggestions li[data-helper]")) == 5


def test_association_requests_page_query_count(client, manager, listing, helper, django_assert_num_queries):
    for n in range(3):
        help_request = builders.make_help_request(
            listing, manager, title=f"Demande {n}", skills=("site-web", "rgpd")
        )
        HelpOffer.objects.create(request=help_request, helper=helper, message="Oui")
    login(client, manager)
    # 1. session   2. user   3. the listing (with "do I manage it")   4. its requests (with the
    # number of pending offers)   5. their skills
    with django_assert_num_queries(5):
        response = client.get(reverse("directory:help_requests", args=[listing.slug]))
    statuses = [p.get_text(" ", strip=True) for p in builders.soup(response).select("#help-requests .status")]
    assert statuses == ["Ouverte · 1 proposition à examiner"] * 3


def test_helper_request_page_query_count(client, helper, help_request, django_assert_num_queries):
    login(client, helper.user)
    # 1. session   2. user   3. my profile   4. the request (open, or offered on by me; with its
    # association)   5. its skills   6. my offer on it
    with django_assert_num_queries(6):
        response = client.get(reverse("directory:helper_request", args=[help_request.pk]))
    assert builders.soup(response).select_one("textarea[name=message]") is not None


def test_helper_space_query_count(client, helper, listing, manager, django_assert_num_queries):
    for n in range(3):
        builders.make_help_request(listing, manager, title=f"Demande {n}", skills=("site-web",))
    offered = builders.make_help_request(listing, manager, title="Déjà proposée")
    HelpOffer.objects.create(request=offered, helper=helper, message="Oui")
    login(client, helper.user)
    # 1. session   2. user   3. my profile   4. my profile again (with prefetches)   5. my skills
    # 6. my areas   7. my offers (with requests and associations)   8. open requests matching me
    # 9. their skills
    with django_assert_num_queries(9):
        response = client.get(reverse("directory:helper_space"))
    page = builders.soup(response)
    assert len(page.select("#open-requests li.card")) == 3
    assert len(page.select("#my-offers li[data-offer]")) == 1


def test_helper_sees_only_requests_needing_their_skills(client, helper, listing, manager):
    builders.make_help_request(listing, manager, title="Notre site", skills=("site-web",))
    builders.make_help_request(listing, manager, title="Nos comptes", skills=("comptabilite",))
    closed = builders.make_help_request(listing, manager, title="Annulée", skills=("site-web",))
    services.help_request_cancel(help_request=closed, user=manager)
    page = builders.soup(login(client, helper.user).get(reverse("directory:helper_space")))
    assert [a.get_text(strip=True) for a in page.select("#open-requests h3 a")] == ["Notre site"]
    assert client.get(reverse("directory:helper_request", args=[closed.pk])).status_code == 404


# Offers ----------------------------------------------------------------------------------------


def test_helper_offers_and_the_association_is_told_without_the_helper_email(
    client, helper, help_request, manager, django_capture_on_commit_callbacks
):
    login(client, helper.user)
    page = builders.soup(client.get(reverse("directory:helper_request", args=[help_request.pk])))
    assert page.select_one("textarea[name=message]") is not None
    assert manager.email not in page.get_text()  # the association's address is not shown either
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("directory:helper_offer", args=[help_request.pk]),
            {"message": "Je fais des sites WordPress."},
            follow=True,
        )
    offer = HelpOffer.objects.get()
    assert (offer.helper, offer.status) == (helper, HelpOffer.Status.PENDING)
    assert "Votre proposition est envoyée" in " ".join(messages_of(response))
    assert [m.to for m in mail.outbox] == [[manager.email]]
    body = mail.outbox[0].body + mail.outbox[0].alternatives[0][0]
    assert "Camille" in body
    assert "Je fais des sites WordPress." in body
    assert HELPER_EMAIL not in body
    assert "@aidants" not in body
    assert request_url(help_request) in body

    # The association's page before acceptance: name, skills, bio, no e-mail.
    manager_page = login(client, manager).get(request_url(help_request))
    assert HELPER_EMAIL not in manager_page.content.decode()
    card = builders.soup(manager_page).select_one("#offers li[data-offer]")
    assert "Camille" in card.get_text()
    assert "Site web" in card.get_text()
    assert "Développeuse web." in card.get_text()


def test_offering_twice_is_harmless(client, helper, help_request, django_capture_on_commit_callbacks):
    login(client, helper.user)
    url = reverse("directory:helper_offer", args=[help_request.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"message": "Premier envoi"})
        response = client.post(url, {"message": "Second envoi"}, follow=True)
    assert HelpOffer.objects.get().message == "Premier envoi"
    assert "Vous avez déjà proposé votre aide" in " ".join(messages_of(response))
    assert len(mail.outbox) == 1


def test_offer_bad_input(client, helper, help_request):
    login(client, helper.user)
    url = reverse("directory:helper_offer", args=[help_request.pk])
    assert client.get(url).status_code == 405
    assert client.post(url, {"message": ""}).status_code == 400
    assert client.post(url, {"message": "x" * 1501}).status_code == 400
    assert (
        client.post(reverse("directory:helper_offer", args=[999999]), {"message": "Oui"}).status_code == 404
    )
    assert not HelpOffer.objects.exists()


def test_offer_on_a_closed_request_is_refused(client, helper, help_request, manager):
    services.help_request_cancel(help_request=help_request, user=manager)
    login(client, helper.user)
    response = client.post(reverse("directory:helper_offer", args=[help_request.pk]), {"message": "Oui"})
    assert response.status_code == 404  # closed requests are not shown to helpers who never offered
    with pytest.raises(services.HelpActionError):
        services.help_offer_make(help_request=help_request, helper=helper, message="Oui")
    assert not HelpOffer.objects.exists()


def test_helper_withdraws_and_offers_again(client, helper, offer):
    login(client, helper.user)
    client.post(reverse("directory:helper_offer_withdraw", args=[offer.pk]))
    offer.refresh_from_db()
    assert offer.status == HelpOffer.Status.WITHDRAWN
    response = client.post(reverse("directory:helper_offer_withdraw", args=[offer.pk]), follow=True)
    assert "n'est plus en attente" in " ".join(messages_of(response))
    client.post(reverse("directory:helper_offer", args=[offer.request_id]), {"message": "Finalement oui"})
    offer.refresh_from_db()
    assert (offer.status, offer.message) == (HelpOffer.Status.PENDING, "Finalement oui")


def test_a_helper_cannot_touch_another_helpers_offer(client, offer):
    intruder = builders.make_helper("intrus")
    login(client, intruder.user)
    assert client.post(reverse("directory:helper_offer_withdraw", args=[offer.pk])).status_code == 404
    assert (
        client.post(reverse("directory:helper_feedback", args=[offer.pk]), {"answer": "no"}).status_code
        == 404
    )
    offer.refresh_from_db()
    assert offer.status == HelpOffer.Status.PENDING


# Accepting ---------------------------------------------------------------------------------------


def test_accepting_exchanges_contacts_and_declines_the_others(
    client, manager, listing, help_request, offer, django_capture_on_commit_callbacks
):
    other = builders.make_helper("gael", skills=("site-web",))
    other_offer = HelpOffer.objects.create(request=help_request, helper=other, message="Moi aussi")
    login(client, manager)
    assert client.get(offer_url(offer, "directory:help_offer_accept")).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(offer_url(offer, "directory:help_offer_accept"), follow=True)
    help_request.refresh_from_db()
    offer.refresh_from_db()
    other_offer.refresh_from_db()
    assert help_request.status == HelpRequest.Status.MATCHED
    assert help_request.matched_offer == offer
    assert help_request.matched_at is not None
    assert offer.status == HelpOffer.Status.ACCEPTED
    assert other_offer.status == HelpOffer.Status.DECLINED
    assert AssociationChange.objects.filter(association=listing, action="help_offer_accepted").count() == 1

    by_recipient = {tuple(m.to): m for m in mail.outbox}
    assert set(by_recipient) == {(HELPER_EMAIL,), (manager.email,), (other.user.email,)}
    assert manager.email in by_recipient[(HELPER_EMAIL,)].body
    assert HELPER_EMAIL in by_recipient[(manager.email,)].body
    declined = by_recipient[(other.user.email,)].body
    assert manager.email not in declined
    assert HELPER_EMAIL not in declined

    page = builders.soup(response)
    assert page.select_one("#matched .contact a")["href"] == f"mailto:{HELPER_EMAIL}"
    assert "Aidant trouvé" in page.select_one("#request-status").get_text()
    assert page.select_one("#suggestions") is None
    assert other.user.email not in response.content.decode()

    # The helper's space shows the association's contact now.
    helper_page = builders.soup(login(client, offer.helper.user).get(reverse("directory:helper_space")))
    card = helper_page.select_one(f"#my-offers li[data-offer='{offer.pk}']")
    assert card.select_one(".contact a")["href"] == f"mailto:{manager.email}"
    # The declined helper sees no contact.
    declined_page = builders.soup(login(client, other.user).get(reverse("directory:helper_space")))
    assert declined_page.select_one("#my-offers .contact") is None


def test_accepting_twice_is_harmless(client, manager, offer, django_capture_on_commit_callbacks):
    login(client, manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(offer_url(offer, "directory:help_offer_accept"))
        response = client.post(offer_url(offer, "directory:help_offer_accept"), follow=True)
    assert "déjà accepté" in " ".join(messages_of(response))
    assert len(mail.outbox) == 2
    assert AssociationChange.objects.filter(action="help_offer_accepted").count() == 1


def test_accepting_a_second_offer_after_a_match_is_refused(client, manager, help_request, offer):
    late = HelpOffer.objects.create(
        request=help_request, helper=builders.make_helper("tardif"), message="Moi"
    )
    login(client, manager)
    client.post(offer_url(offer, "directory:help_offer_accept"))
    response = client.post(offer_url(late, "directory:help_offer_accept"), follow=True)
    assert "n'est plus ouverte" in " ".join(messages_of(response))
    late.refresh_from_db()
    assert late.status == HelpOffer.Status.DECLINED
    assert HelpOffer.objects.filter(status=HelpOffer.Status.ACCEPTED).count() == 1


def test_accepting_after_cancel_is_refused(client, manager, help_request, offer):
    login(client, manager)
    client.post(request_url(help_request, "directory:help_request_cancel"))
    response = client.post(offer_url(offer, "directory:help_offer_accept"), follow=True)
    assert "n'est plus ouverte" in " ".join(messages_of(response))
    offer.refresh_from_db()
    assert offer.status == HelpOffer.Status.DECLINED
    response = client.post(request_url(help_request, "directory:help_request_cancel"), follow=True)
    assert "déjà annulée" in " ".join(messages_of(response))


def test_accepting_a_withdrawn_offer_is_refused(client, manager, offer):
    services.help_offer_withdraw(offer=offer)
    response = login(client, manager).post(offer_url(offer, "directory:help_offer_accept"), follow=True)
    assert "retirée ou déclinée" in " ".join(messages_of(response))
    offer.request.refresh_from_db()
    assert offer.request.status == HelpRequest.Status.OPEN


def test_an_offer_of_another_request_is_404(client, manager, listing, offer):
    other_request = builders.make_help_request(listing, manager, title="Autre")
    login(client, manager)
    url = reverse("directory:help_offer_accept", args=[listing.slug, other_request.pk, offer.pk])
    assert client.post(url).status_code == 404
    other_listing_request = builders.make_help_request(builders.make_association("Voisins"), title="Ailleurs")
    url = reverse("directory:help_offer_accept", args=[listing.slug, other_listing_request.pk, offer.pk])
    assert client.post(url).status_code == 404


def test_declining_an_offer(client, manager, offer, django_capture_on_commit_callbacks):
    login(client, manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(offer_url(offer, "directory:help_offer_decline"))
        response = client.post(offer_url(offer, "directory:help_offer_decline"), follow=True)
    offer.refresh_from_db()
    assert offer.status == HelpOffer.Status.DECLINED
    assert "n'est plus en attente" in " ".join(messages_of(response))
    assert [m.to for m in mail.outbox] == [[HELPER_EMAIL]]
    assert offer.request.author.email not in mail.outbox[0].body


def test_one_accepted_offer_per_request_is_a_database_rule(help_request, offer):
    second = HelpOffer.objects.create(
        request=help_request, helper=builders.make_helper("autre"), message="Oui"
    )
    HelpOffer.objects.filter(pk=offer.pk).update(status=HelpOffer.Status.ACCEPTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        HelpOffer.objects.filter(pk=second.pk).update(status=HelpOffer.Status.ACCEPTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        HelpOffer.objects.create(request=help_request, helper=offer.helper, message="Encore")
    with pytest.raises(IntegrityError), transaction.atomic():
        HelpRequest.objects.filter(pk=help_request.pk).update(status=HelpRequest.Status.MATCHED)


# Invitations -----------------------------------------------------------------------------------


def test_inviting_a_suggested_helper(
    client, manager, help_request, helper, django_capture_on_commit_callbacks
):
    login(client, manager)
    url = reverse(
        "directory:help_request_invite", args=[help_request.association.slug, help_request.pk, helper.pk]
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        response = client.post(url, follow=True)
    assert "déjà prévenu" in " ".join(messages_of(response))
    assert [m.to for m in mail.outbox] == [[HELPER_EMAIL]]
    body = mail.outbox[0].body
    assert help_request.association.name in body
    assert manager.email not in body
    assert reverse("directory:helper_request", args=[help_request.pk]) in body
    assert builders.soup(response).select_one(f"#suggestions li[data-helper='{helper.pk}'] form") is None


def test_inviting_a_pending_helper_is_404(client, manager, help_request, pending_helper):
    login(client, manager)
    url = reverse(
        "directory:help_request_invite",
        args=[help_request.association.slug, help_request.pk, pending_helper.pk],
    )
    assert client.post(url).status_code == 404


# Done and cancelled -------------------------------------------------------------------------------


def test_mark_done_only_after_a_match(client, manager, help_request, offer):
    login(client, manager)
    response = client.post(request_url(help_request, "directory:help_request_done"), follow=True)
    assert "Seule une demande" in " ".join(messages_of(response))
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.OPEN
    client.post(offer_url(offer, "directory:help_offer_accept"))
    client.post(request_url(help_request, "directory:help_request_done"))
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.DONE
    assert help_request.closed_at is not None
    response = client.post(request_url(help_request, "directory:help_request_done"), follow=True)
    assert "déjà terminée" in " ".join(messages_of(response))
    response = client.post(request_url(help_request, "directory:help_request_cancel"), follow=True)
    assert "ne peut plus être annulée" in " ".join(messages_of(response))
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.DONE


def test_cancelling_declines_pending_offers(client, manager, help_request, offer):
    login(client, manager).post(request_url(help_request, "directory:help_request_cancel"))
    offer.refresh_from_db()
    assert offer.status == HelpOffer.Status.DECLINED
    assert AssociationChange.objects.filter(action="help_request_cancelled").count() == 1


# Follow-ups ---------------------------------------------------------------------------------------


def matched_days_ago(offer, manager, days):
    services.help_offer_accept(offer=offer, user=manager)
    HelpRequest.objects.filter(pk=offer.request_id).update(matched_at=timezone.now() - timedelta(days=days))
    offer.request.refresh_from_db()
    return offer.request


def run_followups(*args):
    out = StringIO()
    call_command("send_help_followups", *args, stdout=out)
    return out.getvalue()


def test_followup_command_asks_both_sides_once(manager, offer, listing, django_capture_on_commit_callbacks):
    old = matched_days_ago(offer, manager, 31)
    recent_offer = HelpOffer.objects.create(
        request=builders.make_help_request(listing, manager, title="Récente"),
        helper=offer.helper,
        message="Oui",
    )
    matched_days_ago(recent_offer, manager, 10)
    mail.outbox.clear()

    assert "1 request(s) would be followed up" in run_followups("--dry-run")
    assert mail.outbox == []
    old.refresh_from_db()
    assert old.followup_sent_at is None

    with django_capture_on_commit_callbacks(execute=True):
        output = run_followups()
    assert "1 request(s) followed up, 2 e-mail(s) sent" in output
    assert sorted(m.to[0] for m in mail.outbox) == sorted([manager.email, HELPER_EMAIL])
    to_association = next(m for m in mail.outbox if m.to == [manager.email])
    assert "a-t-elle marché" in to_association.subject
    assert request_url(old) in to_association.body
    old.refresh_from_db()
    assert old.followup_sent_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        assert "0 request(s) followed up" in run_followups()
    assert len(mail.outbox) == 2


def test_followup_limit(manager, listing, helper):
    for n in range(3):
        offer = HelpOffer.objects.create(
            request=builders.make_help_request(listing, manager, title=f"Demande {n}"),
            helper=helper,
            message="Oui",
        )
        matched_days_ago(offer, manager, 40)
    assert "2 request(s) followed up" in run_followups("--limit", "2")
    assert HelpRequest.objects.filter(followup_sent_at__isnull=True).count() == 1


def test_both_sides_answer_the_followup(client, manager, offer):
    help_request = matched_days_ago(offer, manager, 31)
    followups.help_followup_send(help_request=help_request)
    login(client, manager)
    page = builders.soup(client.get(request_url(help_request)))
    assert page.select_one("#matched form.feedback input[value=yes]") is not None
    response = client.post(
        request_url(help_request, "directory:help_request_feedback"), {"answer": "yes"}, follow=True
    )
    assert "Merci pour votre réponse" in " ".join(messages_of(response))
    response = client.post(
        request_url(help_request, "directory:help_request_feedback"), {"answer": "peut-être"}, follow=True
    )
    assert "Choisissez" in " ".join(messages_of(response))

    login(client, offer.helper.user)
    page = builders.soup(client.get(reverse("directory:helper_space")))
    assert page.select_one(f"#my-offers li[data-offer='{offer.pk}'] form.feedback") is not None
    client.post(reverse("directory:helper_feedback", args=[offer.pk]), {"answer": "no"})
    help_request.refresh_from_db()
    assert (help_request.association_feedback, help_request.helper_feedback) == ("yes", "no")


def test_feedback_on_an_unmatched_request_is_refused(client, manager, help_request, offer):
    login(client, manager)
    response = client.post(
        request_url(help_request, "directory:help_request_feedback"), {"answer": "yes"}, follow=True
    )
    assert "pas de bilan" in " ".join(messages_of(response))
    login(client, offer.helper.user)
    client.post(reverse("directory:helper_feedback", args=[offer.pk]), {"answer": "yes"})
    help_request.refresh_from_db()
    assert (help_request.association_feedback, help_request.helper_feedback) == ("", "")


# Rate limits and privacy ---------------------------------------------------------------------------


def test_offers_and_signups_are_rate_limited(client, settings, helper, listing, manager):
    settings.RATE_LIMITS_ENABLED = True
    cache.clear()
    login(client, helper.user)
    requests = [builders.make_help_request(listing, manager, title=f"Demande {n}") for n in range(21)]
    codes = [
        client.post(reverse("directory:helper_offer", args=[r.pk]), {"message": "Oui"}).status_code
        for r in requests
    ]
    assert codes[:20] == [302] * 20
    assert codes[20] == 429
    assert HelpOffer.objects.count() == 20
    user = builders.make_user("nouvel-aidant")
    login(client, user)
    codes = [client.post(reverse("directory:helper_signup"), {}).status_code for _ in range(11)]
    assert codes[-1] == 429
    cache.clear()


def test_anonymising_an_account_withdraws_its_helper_profile(helper, offer):
    from directory.privacy import user_anonymise

    user_anonymise(user=helper.user)
    helper.refresh_from_db()
    offer.refresh_from_db()
    assert helper.status == HelperProfile.Status.WITHDRAWN
    assert helper.bio == ""
    assert "Camille" not in helper.display_name
    assert offer.status == HelpOffer.Status.WITHDRAWN


def test_my_data_export_includes_the_helper_profile(helper, offer):
    from directory.privacy import user_data

    data = user_data(helper.user)
    assert data["helper_profile"][0]["display_name"] == "Camille"
    assert data["helper_profile"][0]["offers"][0]["message"] == "Je peux aider le mardi."


def test_a_matched_helper_may_delete_their_account(client, manager, offer):
    from directory.accounts.services import account_delete

    services.help_offer_accept(offer=offer, user=manager)
    account_delete(user=offer.helper.user)
    help_request = HelpRequest.objects.get(pk=offer.request_id)
    assert help_request.status == HelpRequest.Status.MATCHED
    assert help_request.matched_offer is None
    page = builders.soup(login(client, manager).get(request_url(help_request)))
    assert page.select_one("#matched-gone") is not None
    assert list(followups.due_followups(timezone.now() + timedelta(days=60))) == []
