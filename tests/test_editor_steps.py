"""The add form in steps (directory/editing/steps.py, drafts.py, uploads.py): each step validates
and saves a draft bound to its author, a draft resumes, the review sends it once, images are kept
across a refused step; the pages after sending speak plainly (statuses, one banner, the history
in words, the verification a moderator's approval gives); `next` survives sign-up."""

import io
import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.storage import storages
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from directory.editing import drafts, services
from directory.editing.steps import STEPS
from directory.listings.state import SCALAR_FIELDS
from directory.models import Association, ListingDraft, PendingChange, Photo, TemporaryUpload
from tests import builders

ADD = "/espace-association/ajouter/"


@pytest.fixture
def volunteer(client, plain_user):
    client.force_login(plain_user)
    return client


def start(client):
    response = client.post(reverse("directory:add_start"))
    draft = ListingDraft.objects.open().order_by("-pk").first()
    assert response["Location"] == reverse("directory:add_step", args=[draft.key, "identite"])
    return draft


def step_url(draft, slug):
    return reverse("directory:add_step", args=[draft.key, slug])


def errors(response):
    return [e.get_text(strip=True) for e in builders.soup(response).select(".errorlist li")]


def fill_all(client, draft, data=None):
    data = data or builders.listing_post_data()
    for step in STEPS:
        response = client.post(step_url(draft, step.slug), data)
        assert response.status_code == 302, (step.slug, errors(response))
    return response


def logo_upload(name="logo.png"):
    return builders.upload(name, builders.image_bytes("PNG", (300, 200)), "image/png")


# The steps -----------------------------------------------------------------------------------


def test_every_public_field_of_a_listing_is_asked_by_exactly_one_step():
    asked = [name for step in STEPS for name in step.listing_fields]
    assert sorted(asked) == sorted([*SCALAR_FIELDS, "categories", "audiences", "languages"])
    assert [s.slug for s in STEPS] == ["identite", "offre", "lieux", "contact", "photos"]


def test_a_double_click_on_start_makes_one_draft(volunteer, plain_user):
    first, second = start(volunteer), start(volunteer)
    assert first == second
    assert ListingDraft.objects.filter(user=plain_user).count() == 1


@pytest.mark.parametrize(
    ("slug", "overrides", "message"),
    [
        ("identite", {"listing-name": ""}, "Ce champ est obligatoire."),
        (
            "identite",
            {"listing-rna": "W12345"},
            "Un numéro RNA s'écrit W suivi de 9 chiffres, par exemple W691234567.",
        ),
        ("offre", {"listing-categories": []}, "Ce champ est obligatoire."),
        ("lieux", {"places-0-address": ""}, "Ce champ est obligatoire."),
        (
            "lieux",
            {"places-0-postcode": "75011"},
            "Un code postal de la Métropole : 5 chiffres commençant par 69.",
        ),
        ("contact", {"listing-email": "pas-une-adresse"}, "Saisissez une adresse de courriel valide."),
    ],
)
def test_each_step_validates_its_fields_and_saves_nothing_when_refused(volunteer, slug, overrides, message):
    draft = start(volunteer)
    response = volunteer.post(step_url(draft, slug), builders.listing_post_data(**overrides))
    assert response.status_code == 200
    assert message in errors(response)
    draft.refresh_from_db()
    assert draft.steps_done == []
    assert draft.values == {}


def test_a_step_saves_its_fields_only_and_goes_on(volunteer):
    draft = start(volunteer)
    data = builders.listing_post_data({"name": "Les Amis du Jardin", "phone": "04 72 00 00 00"})
    response = volunteer.post(step_url(draft, "identite"), data)
    assert response["Location"] == step_url(draft, "offre")
    draft.refresh_from_db()
    assert draft.steps_done == ["identite"]
    assert draft.values["name"] == "Les Amis du Jardin"
    assert "phone" not in draft.values  # the contact step's field, not asked yet


def test_required_fields_are_marked(volunteer):
    draft = start(volunteer)
    page = builders.soup(volunteer.get(step_url(draft, "identite")))
    assert [label["for"] for label in page.select("form label.required")] == ["id_listing-name"]
    page = builders.soup(volunteer.get(step_url(draft, "offre")))
    assert [legend.get_text(strip=True) for legend in page.select("form legend.required")] == [
        "Besoins auxquels l'association répond"
    ]
    assert page.select_one(".required-legend")


def test_needs_and_languages_are_collapsible_groups(volunteer):
    draft = start(volunteer)
    volunteer.post(step_url(draft, "offre"), builders.listing_post_data(categories=["epicerie-solidaire"]))
    page = builders.soup(volunteer.get(step_url(draft, "offre")))
    groups = page.select("fieldset.choice-groups")
    assert len(groups) == 3  # needs, audiences, languages
    needs = groups[0].select("details.choice-group")
    assert len(needs) > 1  # one block per top need
    opened = [d for d in needs if d.has_attr("open")]
    assert len(opened) == 1  # the group holding the ticked need, the others folded
    assert opened[0].select_one("input[value=epicerie-solidaire]").has_attr("checked")
    assert groups[0]["data-filter-label"] == "Filtrer les besoins"  # the filter box's label for the JS


def test_the_progress_names_every_step_and_the_current_one(volunteer):
    draft = start(volunteer)
    volunteer.post(step_url(draft, "identite"), builders.listing_post_data())
    page = builders.soup(volunteer.get(step_url(draft, "offre")))
    assert page.select_one(".steps-progress__count").get_text(strip=True) == "Étape 2 sur 6"
    items = page.select(".steps-progress li")
    assert len(items) == 6
    assert items[1]["aria-current"] == "step"
    assert items[0].a["href"] == step_url(draft, "identite")  # a filled-in step may be reopened


def test_an_unknown_step_is_404(volunteer):
    draft = start(volunteer)
    assert volunteer.get(step_url(draft, "nulle-part")).status_code == 404


# The commune from the postcode ------------------------------------------------------------------


def place_data(postcode, area=""):
    return builders.listing_post_data(
        {
            "places": [
                {"kind": "seat", "address": "1 rue de la République", "postcode": postcode, "area": area}
            ]
        }
    )


def test_a_postcode_of_one_commune_gives_the_commune(volunteer):
    draft = start(volunteer)
    assert volunteer.post(step_url(draft, "lieux"), place_data("69100")).status_code == 302
    draft.refresh_from_db()
    assert draft.values["places"][0]["area"] == "villeurbanne"


def test_a_postcode_of_several_communes_offers_them(volunteer):
    draft = start(volunteer)
    response = volunteer.post(step_url(draft, "lieux"), place_data("69250"))
    assert response.status_code == 200
    assert "Ce code postal couvre plusieurs communes : choisissez la vôtre dans la liste." in errors(response)
    options = [o["value"] for o in builders.soup(response).select("select[name=places-0-area] option")]
    assert options[0] == ""
    assert len(options) == 7
    assert "neuville-sur-saone" in options
    assert "villeurbanne" not in options
    assert (
        volunteer.post(step_url(draft, "lieux"), place_data("69250", "neuville-sur-saone")).status_code == 302
    )


def test_a_commune_that_does_not_match_its_postcode_is_refused(volunteer):
    draft = start(volunteer)
    response = volunteer.post(step_url(draft, "lieux"), place_data("69100", "lyon-3"))
    assert "Le code postal 69100 n'est pas celui de cette commune : vérifiez l'un ou l'autre." in errors(
        response
    )


def test_the_page_carries_the_postcodes_for_the_script(volunteer):
    draft = start(volunteer)
    page = builders.soup(volunteer.get(step_url(draft, "lieux")))
    postcodes = json.loads(page.select_one("#postcode-areas").string)
    assert postcodes["69003"] == [["lyon-3", "Lyon 3e"]]
    assert len(postcodes["69250"]) == 6


# Drafts resume -------------------------------------------------------------------------------


def test_a_draft_resumes_where_it_was_left(volunteer, plain_user):
    draft = start(volunteer)
    volunteer.post(step_url(draft, "identite"), builders.listing_post_data({"name": "Les Amis du Jardin"}))
    later = Client()
    later.force_login(plain_user)  # another day, another browser
    page = builders.soup(later.get(ADD))
    [row] = page.select("#drafts li")
    assert "Les Amis du Jardin" in row.get_text()
    assert row.select_one("a.button")["href"] == step_url(draft, "offre")
    page = builders.soup(later.get(step_url(draft, "identite")))
    assert page.select_one("#id_listing-name")["value"] == "Les Amis du Jardin"


def test_a_stale_tab_of_one_step_never_erases_another(volunteer):
    draft = start(volunteer)
    fill_all(volunteer, draft, builders.listing_post_data({"name": "Les Amis", "phone": "04 72 00 00 00"}))
    # An old tab of the identity step, sent again with another name.
    volunteer.post(step_url(draft, "identite"), builders.listing_post_data({"name": "Les Amis du Jardin"}))
    draft.refresh_from_db()
    assert draft.values["name"] == "Les Amis du Jardin"
    assert draft.values["phone"] == "04 72 00 00 00"
    assert draft.values["places"][0]["address"] == "12 rue Paul Bert"


def test_once_every_step_is_filled_a_step_returns_to_the_review(volunteer):
    draft = start(volunteer)
    last = fill_all(volunteer, draft)
    assert last["Location"] == reverse("directory:add_review", args=[draft.key])
    again = volunteer.post(step_url(draft, "identite"), builders.listing_post_data())
    assert again["Location"] == reverse("directory:add_review", args=[draft.key])


def test_someone_else_cannot_open_a_draft(client, plain_user):
    draft = ListingDraft.objects.create(user=plain_user)
    client.force_login(builders.make_user("autre"))
    assert client.get(step_url(draft, "identite")).status_code == 404
    assert client.post(reverse("directory:add_submit", args=[draft.key])).status_code == 404


def test_a_draft_may_be_discarded_with_its_images(volunteer, django_capture_on_commit_callbacks):
    draft = start(volunteer)
    volunteer.post(step_url(draft, "photos"), builders.listing_post_data(**{"listing-logo": logo_upload()}))
    upload = TemporaryUpload.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        volunteer.post(reverse("directory:add_discard", args=[draft.key]))
    assert not ListingDraft.objects.exists()
    assert not TemporaryUpload.objects.exists()
    assert not storages["private"].exists(f"{upload.folder}/medium.webp")


# Sending ---------------------------------------------------------------------------------------


def test_the_review_shows_everything_with_a_link_to_each_step(volunteer):
    draft = start(volunteer)
    fill_all(
        volunteer,
        draft,
        builders.listing_post_data({"name": "Les Amis du Jardin", "phone": "04 72 00 00 00"}),
    )
    page = builders.soup(volunteer.get(reverse("directory:add_review", args=[draft.key])))
    assert [a["href"] for a in page.select(".review-edit")] == [step_url(draft, s.slug) for s in STEPS]
    text = page.select_one("main").get_text(" ", strip=True)
    assert "Les Amis du Jardin" in text
    assert "04 72 00 00 00" in text
    assert "12 rue Paul Bert" in text


def test_sending_creates_one_pending_listing_and_a_second_send_creates_nothing(
    volunteer, plain_user, django_capture_on_commit_callbacks
):
    draft = start(volunteer)
    fill_all(volunteer, draft, builders.listing_post_data({"name": "Les Amis du Jardin"}))
    submit = reverse("directory:add_submit", args=[draft.key])
    with django_capture_on_commit_callbacks(execute=True):
        first = volunteer.post(submit)
    association = Association.objects.get(name="Les Amis du Jardin")
    assert first["Location"] == reverse("directory:manage", args=[association.slug])
    assert association.status == Association.Status.PENDING
    change = PendingChange.objects.get(association=association)
    assert change.kind == PendingChange.Kind.NEW_LISTING
    assert change.submitted_by == plain_user
    assert len(mail.outbox) == 1
    # A double click, a tab left open: the same listing, nothing new, no second e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        second = volunteer.post(submit)
    assert second["Location"] == first["Location"]
    assert Association.objects.filter(name="Les Amis du Jardin").count() == 1
    assert PendingChange.objects.count() == 1
    assert len(mail.outbox) == 1
    # And the steps of a sent draft lead to the listing, not to a form that would lose its input.
    assert volunteer.get(step_url(draft, "contact"))["Location"] == first["Location"]
    assert (
        volunteer.post(step_url(draft, "contact"), builders.listing_post_data())["Location"]
        == first["Location"]
    )


def test_the_service_refuses_a_second_send(rf, plain_user):
    draft = ListingDraft.objects.create(user=plain_user)
    client = Client()
    client.force_login(plain_user)
    fill_all(client, draft)
    request = rf.post("/")
    request.user = plain_user
    request.session = client.session
    drafts.draft_submit(request=request, draft=draft, user=plain_user)
    with pytest.raises(drafts.DraftAlreadySent):
        drafts.draft_submit(request=request, draft=draft, user=plain_user)
    assert Association.objects.count() == 1


def test_an_incomplete_draft_is_not_sent_and_stays_a_draft(volunteer):
    draft = start(volunteer)
    volunteer.post(step_url(draft, "identite"), builders.listing_post_data())
    response = volunteer.post(reverse("directory:add_submit", args=[draft.key]))
    assert response["Location"] == step_url(draft, "offre")
    assert not Association.objects.exists()
    draft.refresh_from_db()
    assert draft.submitted_at is None


def test_a_similar_listing_is_confirmed_on_the_review(volunteer, listing):
    values = {
        "name": "Epicerie Solidaire de la Guillotiere",
        "places": [{"kind": "seat", "address": "3 rue Montesquieu", "postcode": "69007", "area": "lyon-7"}],
    }
    draft = start(volunteer)
    fill_all(volunteer, draft, builders.listing_post_data(values))
    submit = reverse("directory:add_submit", args=[draft.key])
    response = volunteer.post(submit)
    assert response.status_code == 200
    page = builders.soup(response)
    assert [a["href"] for a in page.select("#duplicates-title ~ ul a")] == [
        reverse("directory:claim", args=[listing.slug])
    ]
    draft.refresh_from_db()
    assert draft.submitted_at is None  # nothing was sent: it may be confirmed
    assert volunteer.post(submit, {"confirm_not_duplicate": "on"}).status_code == 302
    assert Association.objects.count() == 2


# Images kept across a refused step -------------------------------------------------------------


def test_the_logo_is_kept_across_a_refused_step_and_reaches_the_listing(
    volunteer, django_capture_on_commit_callbacks
):
    draft = start(volunteer)
    data = builders.listing_post_data(
        **{
            "listing-logo": logo_upload(),
            "photos-TOTAL_FORMS": 3,
            "photos-INITIAL_FORMS": 0,
            "photos-0-image": builders.upload("salle.jpg", builders.image_bytes()),
            "photos-0-alt": "",  # refused: a photo needs its description
        }
    )
    refused = volunteer.post(step_url(draft, "photos"), data)
    assert refused.status_code == 200
    assert "Décrivez la photo en quelques mots." in errors(refused)
    page = builders.soup(refused)
    assert "Logo choisi : logo.png" in page.select_one("#kept-logo").get_text()
    kept_logo = page.select_one("input[name=listing-logo_upload]")["value"]
    kept_photo = page.select_one("input[name=photos-0-image_upload]")["value"]
    assert kept_logo
    assert kept_photo
    assert TemporaryUpload.objects.count() == 2
    # Sent again with the description only: no file chosen again.
    again = {
        "listing-logo_upload": kept_logo,
        "photos-TOTAL_FORMS": 3,
        "photos-INITIAL_FORMS": 0,
        "photos-0-image_upload": kept_photo,
        "photos-0-alt": "La salle d'accueil",
    }
    assert volunteer.post(step_url(draft, "photos"), again).status_code == 302
    for step in STEPS[:-1]:
        volunteer.post(step_url(draft, step.slug), builders.listing_post_data())
    review = builders.soup(volunteer.get(reverse("directory:add_review", args=[draft.key])))
    assert review.select_one("#review-logo").get_text(strip=True) == "logo.png"
    with django_capture_on_commit_callbacks(execute=True):
        volunteer.post(reverse("directory:add_submit", args=[draft.key]))
    association = Association.objects.get()
    change = PendingChange.objects.get(association=association)
    assert Photo.objects.get(association=association, kind="logo").medium.name == change.proposed["logo"]
    assert [p["alt"] for p in change.proposed["photos"]] == ["La salle d'accueil"]
    assert not TemporaryUpload.objects.exists()  # used, then deleted


def test_a_kept_image_belongs_to_its_session(volunteer, plain_user):
    draft = start(volunteer)
    volunteer.post(step_url(draft, "photos"), builders.listing_post_data(**{"listing-logo": logo_upload()}))
    key = str(TemporaryUpload.objects.get().key)
    other = Client()
    other.force_login(plain_user)  # the same person elsewhere: the key alone gives nothing
    other.post(
        step_url(draft, "photos"),
        {"listing-logo_upload": key, "photos-TOTAL_FORMS": 0, "photos-INITIAL_FORMS": 0},
    )
    draft.refresh_from_db()
    assert draft.uploads["logo"] == ""


def test_an_image_that_is_not_one_is_refused_and_nothing_kept(volunteer):
    draft = start(volunteer)
    bad = builders.upload("logo.png", b"not an image", "image/png")
    response = volunteer.post(step_url(draft, "photos"), builders.listing_post_data(**{"listing-logo": bad}))
    assert response.status_code == 200
    assert errors(response)
    assert not TemporaryUpload.objects.exists()


def test_expired_uploads_and_old_drafts_are_purged(volunteer, plain_user, django_capture_on_commit_callbacks):
    draft = start(volunteer)
    volunteer.post(step_url(draft, "photos"), builders.listing_post_data(**{"listing-logo": logo_upload()}))
    upload = TemporaryUpload.objects.get()
    TemporaryUpload.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    ListingDraft.objects.update(updated_at=timezone.now() - timedelta(days=91))
    fresh = ListingDraft.objects.create(user=plain_user, steps_done=["identite"])
    out = io.StringIO()
    call_command("purge_drafts", "--dry-run", stdout=out)
    assert "1 temporary upload(s), 1 draft(s) would be deleted (dry run)" in out.getvalue()
    assert TemporaryUpload.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_drafts", stdout=out)
    assert not TemporaryUpload.objects.exists()
    assert not storages["private"].exists(f"{upload.folder}/medium.webp")
    assert list(ListingDraft.objects.all()) == [fresh]


# After sending: plain words -------------------------------------------------------------------


@pytest.fixture
def sent(volunteer, django_capture_on_commit_callbacks):
    draft = start(volunteer)
    fill_all(
        volunteer,
        draft,
        builders.listing_post_data({"name": "Les Amis du Jardin", "phone": "04 72 00 00 00"}),
    )
    with django_capture_on_commit_callbacks(execute=True):
        volunteer.post(reverse("directory:add_submit", args=[draft.key]))
    return Association.objects.get(name="Les Amis du Jardin")


def test_a_new_listing_says_it_awaits_approval_in_plain_words(volunteer, sent):
    page = builders.soup(volunteer.get(reverse("directory:manage", args=[sent.slug])))
    assert page.select_one("#status-text").get_text(strip=True) == (
        "En attente de validation — réponse sous 3 jours en général."
    )
    history = [li.get_text(" ", strip=True) for li in page.select("#history > li")]
    assert any(line.endswith("Vous avez créé la fiche.") for line in history)
    assert not re.search(r"status:|change_|created\b", page.select_one("#history").get_text())


def test_a_new_listing_pending_view_shows_what_was_sent(volunteer, sent):
    page = builders.soup(volunteer.get(reverse("directory:pending_change", args=[sent.slug])))
    text = page.select_one("main").get_text(" ", strip=True)
    assert "Aucune différence" not in text
    assert "Publié aujourd'hui" not in text
    values = dict(
        zip(
            [dt.get_text(strip=True) for dt in page.select("#sent-values dt")],
            [dd.get_text(strip=True) for dd in page.select("#sent-values dd")],
            strict=True,
        )
    )
    assert values["Nom"] == "Les Amis du Jardin"
    assert values["Téléphone"] == "04 72 00 00 00"


def test_the_preview_of_a_new_listing_shows_one_banner(volunteer, sent):
    page = builders.soup(volunteer.get(reverse("directory:preview", args=[sent.slug])))
    banners = page.select("main .notice")
    assert len(banners) == 1
    assert (
        banners[0]
        .get_text(" ", strip=True)
        .startswith("En attente de validation — réponse sous 3 jours en général.")
    )


def test_approval_publishes_verified_today_and_says_so_in_words(volunteer, sent, moderator):
    change = PendingChange.objects.get(association=sent)
    services.pending_change_approve(change=change, moderator=moderator)
    sent.refresh_from_db()
    assert sent.last_verified_at == timezone.localdate()
    page = builders.soup(volunteer.get(reverse("directory:manage", args=[sent.slug])))
    text = page.select_one("main").get_text(" ", strip=True)
    assert "Jamais vérifiée" not in text
    assert "Dernière vérification" in text
    assert page.select_one("#status-text").get_text(strip=True) == "Publiée : visible par tous."
    history = [li.get_text(" ", strip=True) for li in page.select("#history > li")]
    assert any(line.endswith("Un modérateur a publié la fiche.") for line in history)
    public = builders.soup(Client().get(sent.get_absolute_url()))
    assert public.select_one("#verified-on")


def test_a_change_of_hours_reads_as_such(client, listing, manager):
    listing.trusted = True
    listing.save(update_fields=["trusted"])
    client.force_login(manager)
    data = builders.editor_post_data(listing, **{"places-0-hours_2": "9h-12h"})
    assert client.post(reverse("directory:edit_all", args=[listing.slug]), data).status_code == 302
    page = builders.soup(client.get(reverse("directory:manage", args=[listing.slug])))
    newest = page.select_one("#history > li").get_text(" ", strip=True)
    assert newest.endswith("Vous avez modifié les horaires.")


# `next` through sign-up -----------------------------------------------------------------------


def test_next_survives_sign_up_and_verification(client, db, monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
    page = builders.soup(client.get(ADD))
    signup = page.select_one("#signup-link")["href"]
    assert signup == reverse("accounts:signup") + "?next=" + ADD
    form = builders.soup(client.get(signup))
    assert form.select_one("main form input[name=next]")["value"] == ADD
    login = form.select_one("#login-link")["href"]
    assert login == reverse("accounts:login") + "?next=" + ADD
    password = "Un-mot-de-passe-solide-42"
    client.post(
        signup,
        {
            "email": "benevole@example.org",
            "password1": password,
            "password2": password,
            "next": ADD,
            **builders.human_fields(),
        },
    )
    [message] = mail.outbox
    url = re.search(r"https?://\S+", message.body).group(0)
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    assert path.endswith("?next=%2Fespace-association%2Fajouter%2F")
    response = client.post(path, {"password": password, "next": ADD})
    assert response["Location"] == ADD
    assert builders.soup(client.get(ADD)).select_one(
        "form[action='{}']".format(reverse("directory:add_start"))
    )


def test_the_login_page_keeps_next_on_its_sign_up_link(client, db):
    page = builders.soup(client.get(reverse("accounts:login") + "?next=" + ADD))
    assert page.select_one("#signup-link")["href"] == reverse("accounts:signup") + "?next=" + ADD


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_a_foreign_next_is_dropped(client, db, target):
    page = builders.soup(client.get(reverse("accounts:signup"), {"next": target}))
    assert not page.select_one("main form input[name=next]")


def test_drafts_are_in_my_data_and_go_with_an_anonymised_account(volunteer, plain_user):
    from directory.privacy import user_anonymise, user_data

    draft = start(volunteer)
    volunteer.post(step_url(draft, "identite"), builders.listing_post_data({"name": "Les Amis du Jardin"}))
    volunteer.post(step_url(draft, "photos"), builders.listing_post_data(**{"listing-logo": logo_upload()}))
    [exported] = user_data(plain_user)["listing_drafts"]
    assert exported["values"]["name"] == "Les Amis du Jardin"
    user_anonymise(user=plain_user)
    assert not ListingDraft.objects.exists()
    assert not TemporaryUpload.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"listing-logo_upload": "pas-une-clé", "photos-TOTAL_FORMS": 0, "photos-INITIAL_FORMS": 0},
        {
            "photos-0-image_upload": "00000000-0000-0000-0000-000000000000",
            "photos-0-alt": "x",
        },  # no management
        {"photos-TOTAL_FORMS": 5000, "photos-INITIAL_FORMS": 0},
    ],
)
def test_a_tampered_photos_step_is_refused_or_ignored_without_error(volunteer, data):
    draft = start(volunteer)
    response = volunteer.post(step_url(draft, "photos"), data)
    assert response.status_code in (200, 302)
    draft.refresh_from_db()
    assert not draft.uploads.get("logo")
    assert not draft.uploads.get("photos")


def test_a_tampered_places_step_is_refused_without_error(volunteer):
    draft = start(volunteer)
    response = volunteer.post(step_url(draft, "lieux"), {"places-0-address": "1 rue X"})  # no management form
    assert response.status_code == 200
    assert builders.soup(response).select_one(".error-summary")


def test_the_edit_form_keeps_a_logo_across_a_refused_submission(
    client, listing, manager, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    url = reverse("directory:edit_all", args=[listing.slug])
    data = builders.editor_post_data(
        listing, **{"listing-email": "pas-une-adresse", "listing-logo": logo_upload()}
    )
    refused = client.post(url, data)
    assert refused.status_code == 200
    page = builders.soup(refused)
    assert "Logo choisi : logo.png" in page.select_one("#kept-logo").get_text()
    key = page.select_one("input[name=listing-logo_upload]")["value"]
    assert key
    again = builders.editor_post_data(listing, **{"listing-logo_upload": key})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, again).status_code == 302
    change = PendingChange.objects.get(association=listing)
    assert change.proposed["logo"].endswith("/400.webp")
    assert Photo.objects.get(association=listing, kind="logo").medium.name == change.proposed["logo"]
    assert not TemporaryUpload.objects.exists()


def test_the_dashboard_says_the_status_in_plain_words(volunteer, sent):
    page = builders.soup(volunteer.get(reverse("directory:dashboard")))
    [card] = page.select("#my-associations > li")
    assert card.select_one(".status").get_text(strip=True) == (
        "En attente de validation — réponse sous 3 jours en général."
    )
