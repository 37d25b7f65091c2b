"""Deciding first: a new listing read in one column, the decision bar, the public preview, the
warning for an address without a map position, and "Corriger puis publier"."""

import pytest
from django.urls import reverse

from directory.models import Association, AssociationChange, PendingChange
from directory.moderation import locks
from tests import builders

pytestmark = pytest.mark.django_db

PLACED = {
    "kind": "seat",
    "name": "Local associatif",
    "address": "3 rue Paul Bert",
    "postcode": "69003",
    "area": "lyon-3",
    "lat": 45.7579,
    "lon": 4.8490,
    "hours": {"0": [["09:00", "12:00"]], "2": [["14:00", "17:00"]]},
}


@pytest.fixture
def new_listing(db):
    return builders.propose_new_listing(
        builders.make_user("fondatrice"),
        "Jardin partagé Paul Bert",
        phone="04 78 60 00 00",
        places=[PLACED],
    )


def review(client, change):
    response = client.get(reverse("admin:moderation_change", args=[change.pk]))
    assert response.status_code == 200
    return builders.soup(response)


def test_a_new_listing_is_reviewed_in_one_column(moderator_client, new_listing):
    page = review(moderator_client, new_listing)
    assert not page.select("#diff-fields, .diff-old, .diff-place")  # no "publié" column
    fields = dict(
        zip(
            (dt.get_text(strip=True) for dt in page.select("#proposal-fields dt")),
            (dd.get_text(strip=True) for dd in page.select("#proposal-fields dd")),
            strict=True,
        )
    )
    assert fields["Nom"] == "Jardin partagé Paul Bert"
    assert fields["Téléphone"] == "04 78 60 00 00"
    assert fields["Besoins"] == "Épicerie solidaire"
    place = page.select_one("#proposal-place-1")
    assert "3 rue Paul Bert" in place.get_text()
    hours = place.select_one(".proposal-hours").get_text(" ", strip=True)
    assert "lundi : 09:00-12:00" in hours
    assert "mercredi : 14:00-17:00" in hours
    assert not page.select("del, s, .diff-changed")  # nothing struck through as if published
    assert not page.select("#no-position")


def test_an_edit_is_still_compared_with_the_published_listing(moderator_client, db):
    listing = builders.make_association("Épicerie du 7e", area_slug="lyon-7")
    change = builders.propose_edit(listing, builders.make_manager(listing), phone="04 72 00 11 22")
    page = review(moderator_client, change)
    assert page.select_one("#diff-fields tr.diff-changed .diff-new").get_text() == "04 72 00 11 22"
    assert not page.select("#proposal")


def test_the_decision_bar_comes_first_with_every_decision(moderator_client, new_listing):
    page = review(moderator_client, new_listing)
    bar = page.select_one("#decision-bar")
    content = page.select_one("#content-main")
    # Before the proposal, whatever its length; sticky (static/admin/moderation.css).
    assert str(content).index('id="decision-bar"') < str(content).index('id="proposal"')
    assert bar.select_one("form[action$='/valider/'] button#approve").get_text() == "Publier"
    reject = bar.select_one("details form[action$='/refuser/']")
    assert len(reject.select("select[name=reason] option")) == len(PendingChange.RejectionReason.choices)
    assert bar.select_one("a#correct-link")["href"] == reverse(
        "admin:moderation_change_correct", args=[new_listing.pk]
    )
    assert bar.select_one("a#preview-link")["href"] == reverse(
        "admin:moderation_change_preview", args=[new_listing.pk]
    )


def test_no_decision_bar_while_another_moderator_reviews(moderator_client, new_listing):
    locks.lock_acquire(
        kind="change", object_id=new_listing.pk, moderator=builders.make_group_moderator("camille")
    )
    page = review(moderator_client, new_listing)
    assert page.select_one("#lock-notice")
    assert not page.select("#decision-bar")


def test_an_address_without_map_position_is_warned(moderator_client, db):
    change = builders.propose_new_listing(builders.make_user("sans-carte"), "Atelier vélo")  # no lat/lon
    page = review(moderator_client, change)
    warning = page.select_one("#no-position")
    assert "n'a pas de position sur la carte" in warning.get_text()
    assert "Lieu 1 : 3 rue Paul Bert, 69003 Lyon 3e" in warning.li.get_text(" ", strip=True)
    assert "sans position sur la carte" in page.select_one("#proposal-place-1 h3").get_text()


def test_an_edit_moving_a_place_off_the_map_is_warned_too(moderator_client, db):
    listing = builders.make_association("Épicerie du 7e", area_slug="lyon-7")
    unplaced = {**PLACED, "lat": None, "lon": None, "address": "12 rue Inconnue"}
    change = builders.propose_edit(listing, builders.make_manager(listing), places=[unplaced])
    assert "12 rue Inconnue" in review(moderator_client, change).select_one("#no-position").get_text()


def test_the_preview_is_the_public_page_with_the_proposal_and_writes_nothing(moderator_client, db):
    listing = builders.make_association("Épicerie du 7e", area_slug="lyon-7")
    change = builders.propose_edit(
        listing, builders.make_manager(listing), short_description="Ouverte aussi le samedi matin."
    )
    response = moderator_client.get(reverse("admin:moderation_change_preview", args=[change.pk]))
    assert response.status_code == 200
    page = builders.soup(response)
    assert page.select_one("#moderation-preview a")["href"] == reverse(
        "admin:moderation_change", args=[change.pk]
    )
    assert "Ouverte aussi le samedi matin." in page.select_one("article.listing").get_text()
    assert page.select_one("meta[name=robots]")["content"] == "noindex"
    listing.refresh_from_db()
    assert listing.short_description != "Ouverte aussi le samedi matin."


def test_preview_and_correction_refused_outside_the_moderators_communes(client, new_listing):
    client.force_login(builders.make_group_moderator("vera", areas=["villeurbanne"]))
    for name in ("change_preview", "change_correct"):
        assert client.get(reverse(f"admin:moderation_{name}", args=[new_listing.pk])).status_code == 404
    response = client.post(
        reverse("admin:moderation_change_correct", args=[new_listing.pk]),
        {**correction_data(new_listing), "name": "Piraté"},
    )
    assert response.status_code == 404
    new_listing.refresh_from_db()
    assert new_listing.is_open
    assert new_listing.proposed["name"] == "Jardin partagé Paul Bert"


# Corriger puis publier ------------------------------------------------------------------------------


def correction_data(change, **overrides):
    """The correction form as it opens (its initial values), with `overrides`."""
    from directory.moderation.forms import CorrectionForm

    form = CorrectionForm(change=change)
    data = {name: form[name].value() for name in form.fields}
    data = {key: "" if value is None else value for key, value in data.items()}
    return {**data, **overrides}


def test_the_correction_form_opens_with_the_proposed_values(moderator_client, new_listing):
    response = moderator_client.get(reverse("admin:moderation_change_correct", args=[new_listing.pk]))
    page = builders.soup(response)
    assert page.select_one("#id_name")["value"] == "Jardin partagé Paul Bert"
    assert page.select_one("#id_place1_address")["value"] == "3 rue Paul Bert"
    assert page.select_one("#correct-place-1")


def test_correct_then_publish_is_logged_and_publishes_the_corrected_values(
    moderator_client, moderator, new_listing
):
    url = reverse("admin:moderation_change_correct", args=[new_listing.pk])
    data = correction_data(
        new_listing,
        name="Jardin partagé Paul-Bert",
        place1_address="5 rue Paul Bert",
        place1_lat="45.758",
        place1_lon="4.851",
    )
    response = moderator_client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:moderation_queue")
    listing = Association.objects.get(pk=new_listing.association_id)
    assert listing.status == Association.Status.PUBLISHED
    assert listing.name == "Jardin partagé Paul-Bert"
    place = listing.places.get()
    assert (place.address, place.lat, place.lon) == ("5 rue Paul Bert", 45.758, 4.851)
    assert place.hours == PLACED["hours"]  # untouched by the correction
    new_listing.refresh_from_db()
    assert (new_listing.status, new_listing.decided_by) == (PendingChange.Status.APPROVED, moderator)
    corrected = AssociationChange.objects.get(association=listing, action="change_corrected")
    assert corrected.actor == moderator
    assert corrected.origin == "moderator"
    assert corrected.changes["name"] == {"old": "Jardin partagé Paul Bert", "new": "Jardin partagé Paul-Bert"}
    assert corrected.changes["places"]["old"][0]["address"] == "3 rue Paul Bert"
    assert corrected.changes["places"]["new"][0]["address"] == "5 rue Paul Bert"
    assert set(corrected.changes) == {"name", "places"}
    # Logged before the approval, which logs what the publication changed.
    actions = list(listing.changes.order_by("pk").values_list("action", flat=True))
    assert actions.index("change_corrected") < actions.index("change_approved")


def test_correcting_nothing_publishes_without_a_correction_log(moderator_client, new_listing):
    moderator_client.post(
        reverse("admin:moderation_change_correct", args=[new_listing.pk]), correction_data(new_listing)
    )
    new_listing.refresh_from_db()
    assert new_listing.status == PendingChange.Status.APPROVED
    assert not AssociationChange.objects.filter(action="change_corrected").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"email": "pas-un-email"}, "email"),
        ({"place1_lat": "45.76", "place1_lon": ""}, "place1_lat"),
        ({"place1_lat": "48.85", "place1_lon": "2.35"}, "place1_lat"),  # Paris: outside the Métropole
        ({"place1_address": ""}, "place1_address"),
    ],
)
def test_an_invalid_correction_keeps_what_was_typed_and_publishes_nothing(
    moderator_client, new_listing, overrides, field
):
    data = correction_data(new_listing, phone="04 00 00 00 01", **overrides)
    response = moderator_client.post(reverse("admin:moderation_change_correct", args=[new_listing.pk]), data)
    assert response.status_code == 200
    page = builders.soup(response)
    assert page.select_one(f"#id_{field}_error")
    assert page.select_one("#id_phone")["value"] == "04 00 00 00 01"
    new_listing.refresh_from_db()
    assert new_listing.is_open
    assert new_listing.proposed["phone"] == "04 78 60 00 00"


def test_a_proposal_amended_meanwhile_is_not_overwritten(moderator_client, new_listing):
    data = correction_data(new_listing, phone="04 00 00 00 02")
    PendingChange.objects.filter(pk=new_listing.pk).update(revision=new_listing.revision + 1)
    response = moderator_client.post(reverse("admin:moderation_change_correct", args=[new_listing.pk]), data)
    assert response.status_code == 200
    page = builders.soup(response)
    assert "modifiée depuis l'ouverture" in builders.visible_text(response)
    assert page.select_one("#id_phone")["value"] == "04 00 00 00 02"  # nothing lost
    assert page.select_one("input[name=revision]")["value"] == str(new_listing.revision + 1)
    new_listing.refresh_from_db()
    assert new_listing.is_open
    # The moderator read it again: the second submission publishes.
    moderator_client.post(
        reverse("admin:moderation_change_correct", args=[new_listing.pk]),
        {**data, "revision": new_listing.revision},
    )
    new_listing.refresh_from_db()
    assert new_listing.status == PendingChange.Status.APPROVED


def test_a_double_submit_publishes_once(moderator_client, new_listing):
    url = reverse("admin:moderation_change_correct", args=[new_listing.pk])
    data = correction_data(new_listing, name="Jardin Paul Bert")
    moderator_client.post(url, data)
    response = moderator_client.post(url, data, follow=True)
    assert "n'est plus en attente" in builders.visible_text(response)
    assert AssociationChange.objects.filter(action="change_approved").count() == 1


def test_a_limited_moderator_corrects_in_their_commune_only(client, db):
    villeurbanne = builders.propose_new_listing(
        builders.make_user("v"), "Repair café Gratte-Ciel", area_slug="villeurbanne",
        places=[{**PLACED, "postcode": "69100", "area": "villeurbanne"}],
    )  # fmt: skip
    lyon = builders.propose_new_listing(builders.make_user("l"), "Jardin du 3e", places=[PLACED])
    client.force_login(builders.make_group_moderator("vera", areas=["villeurbanne"]))
    client.post(
        reverse("admin:moderation_change_correct", args=[villeurbanne.pk]),
        correction_data(villeurbanne, name="Repair café des Gratte-Ciel"),
    )
    villeurbanne.refresh_from_db()
    assert villeurbanne.status == PendingChange.Status.APPROVED
    assert (
        client.post(
            reverse("admin:moderation_change_correct", args=[lyon.pk]), correction_data(lyon, name="X")
        ).status_code
        == 404
    )
    lyon.refresh_from_db()
    assert lyon.is_open


def test_the_service_refuses_a_moderator_outside_their_area(db, new_listing):
    from directory.moderation import services

    vera = builders.make_group_moderator("vera", areas=["villeurbanne"])
    with pytest.raises(services.ModerationError):
        services.change_correct_and_approve(
            change=new_listing, moderator=vera, corrections={"name": "X"}, revision=new_listing.revision
        )
    new_listing.refresh_from_db()
    assert new_listing.is_open


# Queries ---------------------------------------------------------------------------------------------

# Every moderation page starts with: session, user, permissions (user's, group's), the moderator's
# areas, the pending change (with its listing and submitter).
FRAME = 6


def test_review_pages_query_counts(moderator_client, new_listing, django_assert_num_queries):
    listing = builders.make_association("Épicerie du 7e", area_slug="lyon-7")
    edit = builders.propose_edit(listing, builders.make_manager(listing), phone="04 72 00 11 22")
    pages = [
        # the review lock (an UPDATE: this moderator already holds it); a new listing's proposal
        # is read from the change alone (no photos: no photo query).
        ("change", new_listing, FRAME + 1),
        # the lock; the published listing with its categories, audiences, languages, places, photos,
        # services (their places: none here).
        ("change", edit, FRAME + 1 + 7),
        # the lock.
        ("change_correct", new_listing, FRAME + 1),
        # savepoint; the listing, the proposal written (listing, its three relations read for
        # `set`, its place read and updated, its services read, its photos); the public page's reads
        # (listing, contents, places, the manager check); rollback, release.
        ("change_preview", edit, FRAME + 16),
    ]
    for name, change, queries in pages:
        url = reverse(f"admin:moderation_{name}", args=[change.pk])
        moderator_client.get(url)  # takes the lock
        with django_assert_num_queries(queries):
            assert moderator_client.get(url).status_code == 200


@pytest.mark.parametrize("revision", ["", "abc", "-1"])
def test_a_tampered_or_stale_form_says_so_and_publishes_nothing(moderator_client, new_listing, revision):
    data = correction_data(new_listing, revision=revision, place1_lat="pas un nombre")
    response = moderator_client.post(reverse("admin:moderation_change_correct", args=[new_listing.pk]), data)
    assert response.status_code == 200
    assert builders.soup(response).select_one(".errornote[role=alert]")
    new_listing.refresh_from_db()
    assert new_listing.is_open
