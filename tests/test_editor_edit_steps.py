"""Editing a listing in steps (directory/editing/views.edit_*, drafts.edit_draft_*): a draft
seeded from the listing (or its open change), any step one click away, the review showing what
changes, sent once through the pending change, conflicts that write nothing and keep the draft."""

import pytest
from django.urls import reverse

from directory.listings import state
from directory.models import ListingDraft, PendingChange, Photo
from tests import builders


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def current_values(association):
    return state.values_from_association(state.for_values().get(pk=association.pk))


def step_url(association, slug):
    return reverse("directory:edit_step", args=[association.slug, slug])


def review_url(association):
    return reverse("directory:edit_review", args=[association.slug])


def submit_url(association):
    return reverse("directory:edit_submit", args=[association.slug])


def save_step(client, association, slug, **overrides):
    """Post one step with the listing's current form values, `overrides` applied."""
    data = builders.editor_post_data(association, **overrides)
    response = client.post(step_url(association, slug), data)
    assert response.status_code == 302, [
        e.get_text(strip=True) for e in builders.soup(response).select(".errorlist li")
    ]
    assert response["Location"] == review_url(association)
    return response


def changed_labels(association, proposed):
    return [row.label for row in state.comparison(current_values(association), proposed)]


def test_the_edit_page_seeds_a_draft_from_the_current_values(manager_client, manager, listing):
    response = manager_client.get(reverse("directory:edit", args=[listing.slug]))
    assert response["Location"] == step_url(listing, "identite")
    draft = ListingDraft.objects.edits().get(user=manager, association=listing)
    assert draft.values == current_values(listing)
    assert draft.base_version == listing.version
    assert draft.pending_revision == 0
    page = builders.soup(manager_client.get(response["Location"]))
    assert page.select_one("input[name=listing-name]")["value"] == listing.name
    # One draft per person and listing: opening the page again resumes it.
    manager_client.get(reverse("directory:edit", args=[listing.slug]))
    assert ListingDraft.objects.edits().count() == 1
    # An edit draft is not offered among the add form's drafts.
    add_page = builders.soup(manager_client.get(reverse("directory:add")))
    assert listing.name not in add_page.get_text()


def test_an_untouched_draft_follows_the_listing(manager_client, manager, listing):
    manager_client.get(step_url(listing, "contact"))
    listing.trusted = True
    listing.save(update_fields=["trusted"])
    builders.propose_edit(listing, manager, phone="04 78 11 11 11")  # published at once
    page = builders.soup(manager_client.get(step_url(listing, "contact")))
    assert page.select_one("input[name=listing-phone]")["value"] == "04 78 11 11 11"
    assert ListingDraft.objects.edits().get().base_version == listing.version + 1


def test_the_draft_starts_from_the_open_change(manager_client, manager, listing):
    change = builders.propose_edit(listing, manager, short_description="Ouvert le samedi aussi.")
    page = builders.soup(manager_client.get(step_url(listing, "identite")))
    field = page.select_one("[name=listing-short_description]")
    assert "Ouvert le samedi aussi." in (field.get("value") or field.get_text())
    draft = ListingDraft.objects.edits().get(association=listing)
    assert draft.values == change.proposed
    assert draft.pending_revision == change.revision


def test_any_step_is_one_click_away(manager_client, listing):
    manage = builders.soup(manager_client.get(reverse("directory:manage", args=[listing.slug])))
    assert manage.select_one("#edit-hours-link")["href"] == step_url(listing, "lieux")
    assert {a["href"] for a in manage.select("#edit-steps a")} >= {
        step_url(listing, slug) for slug in ("identite", "offre", "lieux", "contact", "photos")
    }
    # Straight to the hours, without going through the steps before.
    page = builders.soup(manager_client.get(step_url(listing, "lieux")))
    assert page.select_one("input[name=places-0-address]")["value"] == listing.places.first().address
    progress = page.select(".steps-progress li")
    assert progress[2].get("aria-current") == "step"
    links = {a["href"] for a in page.select(".steps-progress a")}
    assert links == {
        *(step_url(listing, slug) for slug in ("identite", "offre", "contact", "photos")),
        review_url(listing),
    }
    assert manager_client.get(step_url(listing, "nope")).status_code == 404


def test_editing_the_hours_only_proposes_the_hours_only(manager_client, manager, listing):
    before = current_values(listing)
    save_step(manager_client, listing, "lieux", **{"places-0-hours_2": "9h-12h"})
    review = builders.soup(manager_client.get(review_url(listing)))
    rows = [th.get_text(strip=True) for th in review.select("#edit-changes tbody th")]
    assert len(rows) == 1
    assert review.select_one("#edit-summary").get_text(strip=True) == "Vous modifiez les horaires."
    old, new = (td.get_text() for td in review.select("#edit-changes tbody td"))
    assert "mercredi 09:00-12:00, 14:00-18:00" in old
    assert "mercredi 09:00-12:00, jeudi" in new
    response = manager_client.post(submit_url(listing))
    assert response["Location"] == reverse("directory:manage", args=[listing.slug])
    change = PendingChange.objects.get(association=listing)
    assert change.status == PendingChange.Status.PENDING
    assert change.proposed["places"][0]["hours"] != current_values(listing)["places"][0]["hours"]
    assert changed_labels(listing, change.proposed) == rows
    assert ListingDraft.objects.edits().get().submitted_at is not None
    # The published listing waits for a moderator.
    assert current_values(listing) == before


def test_a_change_to_an_open_change_amends_it(manager_client, manager, listing):
    change = builders.propose_edit(listing, manager, short_description="Ouvert le samedi aussi.")
    save_step(
        manager_client,
        listing,
        "contact",
        **{"listing-short_description": "x", "listing-phone": "04 78 00 00 00"},
    )
    manager_client.post(submit_url(listing))
    change.refresh_from_db()
    assert change.revision == 2
    assert change.proposed["phone"] == "04 78 00 00 00"
    assert change.proposed["short_description"] == "Ouvert le samedi aussi."
    assert PendingChange.objects.filter(association=listing).count() == 1


def test_a_listing_changed_meanwhile_is_a_conflict_that_writes_nothing(manager_client, manager, listing):
    save_step(manager_client, listing, "contact", **{"listing-phone": "04 78 00 00 00"})
    # Another manager's change is sent meanwhile.
    other = builders.make_manager(listing, "collegue")
    theirs = builders.propose_edit(listing, other, email="autre@epicerie.example")
    response = manager_client.post(submit_url(listing))
    assert response.status_code == 200
    page = builders.soup(response)
    assert "Rien n'a été enregistré" in page.get_text()
    assert page.select_one("#edit-conflict")
    theirs.refresh_from_db()
    assert theirs.revision == 1
    assert "phone" not in changed_labels(listing, theirs.proposed)
    assert theirs.proposed["phone"] == listing.phone
    # The draft is kept, open, now based on the change it met: sending again is deliberate.
    draft = ListingDraft.objects.edits().get()
    assert draft.submitted_at is None
    assert draft.values["phone"] == "04 78 00 00 00"
    assert draft.pending_revision == theirs.revision
    assert manager_client.post(submit_url(listing)).status_code == 302
    theirs.refresh_from_db()
    assert theirs.revision == 2
    assert theirs.proposed["phone"] == "04 78 00 00 00"


def test_a_trusted_listing_is_published_at_once(manager_client, listing):
    listing.trusted = True
    listing.save(update_fields=["trusted"])
    save_step(manager_client, listing, "contact", **{"listing-phone": "04 78 00 00 00"})
    review = builders.soup(manager_client.get(review_url(listing)))
    assert review.select_one("form[action$='envoyer/'] button").get_text(strip=True) == (
        "Publier les modifications"
    )
    manager_client.post(submit_url(listing))
    listing.refresh_from_db()
    assert listing.phone == "04 78 00 00 00"
    assert PendingChange.objects.get().status == PendingChange.Status.PUBLISHED_DIRECTLY


def test_a_double_submit_writes_once(manager_client, listing):
    save_step(manager_client, listing, "contact", **{"listing-phone": "04 78 00 00 00"})
    first = manager_client.post(submit_url(listing))
    second = manager_client.post(submit_url(listing))
    assert first.status_code == second.status_code == 302
    assert PendingChange.objects.filter(association=listing).count() == 1
    assert listing.changes.filter(action="change_proposed").count() == 1


def test_the_services_are_carried_over_untouched(manager_client, manager, listing):
    builders.make_service(listing, "Colis alimentaires")
    seeded = current_values(listing)["services"]
    assert seeded
    save_step(manager_client, listing, "lieux", **{"places-0-hours_2": "9h-12h"})
    manager_client.post(submit_url(listing))
    change = PendingChange.objects.get(association=listing)
    assert change.proposed["services"] == seeded
    assert "Services" not in " ".join(changed_labels(listing, change.proposed))


def test_nothing_changed_offers_no_submit(manager_client, listing):
    page = builders.soup(manager_client.get(review_url(listing)))
    assert page.select_one("#edit-changes p")
    assert not page.select("form[action$='envoyer/']")


def test_discarding_the_draft(manager_client, listing):
    save_step(manager_client, listing, "contact", **{"listing-phone": "04 78 00 00 00"})
    response = manager_client.post(reverse("directory:edit_discard", args=[listing.slug]))
    assert response.status_code == 302
    assert not ListingDraft.objects.exists()
    assert not PendingChange.objects.exists()


def test_a_new_logo_and_a_removed_photo(manager_client, listing, django_capture_on_commit_callbacks):
    photo = Photo.objects.create(
        association=listing, kind=Photo.Kind.PHOTO, is_public=True, alt="Le local", width=10, height=10
    )
    logo = builders.upload("logo.png", builders.image_bytes("PNG", (300, 200)), "image/png")
    data = {
        f"kept-alt_{photo.pk}": "Le local",
        f"kept-remove_{photo.pk}": "on",
        "listing-logo": logo,
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
    }
    response = manager_client.post(step_url(listing, "photos"), data)
    assert response.status_code == 302, builders.soup(response).select(".errorlist li")
    review = builders.soup(manager_client.get(review_url(listing)))
    assert "logo.png" in review.select_one("#new-images").get_text()
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(submit_url(listing))
    change = PendingChange.objects.get(association=listing)
    assert change.proposed["photos"] == []
    assert change.proposed["logo"].endswith("/400.webp")


def test_someone_else_gets_a_404(client, other_manager, moderator, listing):
    for user in (other_manager, moderator):
        client.force_login(user)
        for url in (step_url(listing, "lieux"), review_url(listing)):
            assert client.get(url).status_code == 404
        assert client.post(submit_url(listing)).status_code == 404
    assert not ListingDraft.objects.exists()


def test_an_edit_draft_is_not_reachable_through_the_add_form(manager_client, listing):
    manager_client.get(step_url(listing, "identite"))
    draft = ListingDraft.objects.edits().get()
    assert manager_client.get(reverse("directory:add_step", args=[draft.key, "identite"])).status_code == 404
    assert manager_client.post(reverse("directory:add_submit", args=[draft.key])).status_code == 404
