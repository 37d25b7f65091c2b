"""Possible duplicates: detection (SQLite and PostgreSQL), the queue, dismissing, merging."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from directory.models import (
    Association,
    AssociationChange,
    AssociationManager,
    DuplicateCandidate,
    Photo,
    Report,
    SlugRedirect,
)
from directory.moderation import duplicates, services
from tests import builders

pytestmark = pytest.mark.django_db


def pairs():
    return {
        (c.first.name, c.second.name): c.reason
        for c in DuplicateCandidate.objects.select_related("first", "second")
    }


def find(*args):
    out = StringIO()
    call_command("find_duplicates", *args, stdout=out)
    return out.getvalue()


def test_similar_names_in_the_same_commune_are_found(db):
    builders.make_association("Les Restos du Cœur", area_slug="lyon-3")
    builders.make_association("Restos du coeur", area_slug="lyon-3")
    builders.make_association("Restos du cœur", area_slug="villeurbanne")  # another commune
    builders.make_association("Secours populaire français", area_slug="lyon-3")  # another name
    assert "1 possible duplicate(s), 1 new added" in find()
    assert pairs() == {("Les Restos du Cœur", "Restos du coeur"): "name"}


def test_same_siret_is_found_anywhere(db):
    builders.make_association("Aide aux devoirs Saxe", siret="12345678900011", area_slug="lyon-3")
    builders.make_association("Soutien scolaire Gerland", siret="12345678900011", area_slug="lyon-7")
    find()
    assert pairs() == {("Aide aux devoirs Saxe", "Soutien scolaire Gerland"): "siret"}


def test_archived_listings_are_ignored_and_refresh_is_idempotent(db):
    builders.make_association("Jardins de Montchat", area_slug="lyon-3")
    builders.make_association("Les jardins de Montchat", area_slug="lyon-3")
    builders.make_association("Jardins Montchat", area_slug="lyon-3", status="archived")
    assert "would be added" in find("--dry-run")
    assert not DuplicateCandidate.objects.exists()
    find()
    assert DuplicateCandidate.objects.count() == 1
    DuplicateCandidate.objects.update(status="dismissed")
    assert "0 new added" in find()  # a decided pair is never proposed again


def test_word_overlap_rule():
    assert duplicates.similar_names("Association Les Amis de la Croix-Rousse", "Amis Croix Rousse")
    assert not duplicates.similar_names("Club de foot de Vaise", "Club de judo de Vaise")


@pytest.fixture
def pair(db):
    survivor = builders.make_association(
        "Restos du Cœur Lyon 3", area_slug="lyon-3", phone="04 78 00 00 01", email="lyon3@restos.example"
    )
    twin = builders.make_association(
        "Les Restos du coeur",
        area_slug="lyon-3",
        phone="04 78 99 99 99",
        rna="W691999999",
        website="https://restos.example",
    )
    first, second = sorted([survivor, twin], key=lambda a: a.pk)
    candidate = DuplicateCandidate.objects.create(first=first, second=second, reason="name", score=0.9)
    return survivor, twin, candidate


def test_duplicate_review_page_compares_both_listings(moderator_client, pair):
    survivor, twin, candidate = pair
    page = builders.soup(moderator_client.get(reverse("admin:moderation_duplicate", args=[candidate.pk])))
    phone = next(tr for tr in page.select("#diff-fields tr") if tr.th.get_text().startswith("Téléphone"))
    assert [phone.select_one(".diff-old").get_text(), phone.select_one(".diff-new").get_text()] == [
        survivor.phone,
        twin.phone,
    ]
    assert page.select("input[name=survivor]")
    assert page.select_one("input[name=take_phone]")


def test_merge_moves_everything_and_the_old_address_answers_301(moderator_client, moderator, pair, resident):
    survivor, twin, candidate = pair
    twin_manager = builders.make_manager(twin, "gestionnaire-jumelle")
    report = builders.make_report(twin)
    photo = Photo.objects.create(
        association=twin, small="a.webp", medium="b.webp", large="c.webp", width=1, height=1
    )
    AssociationChange.objects.create(association=twin, origin="system", action="created")
    old_slug = twin.slug
    response = moderator_client.post(
        reverse("admin:moderation_duplicate_merge", args=[candidate.pk]),
        {"survivor": survivor.pk, "take_rna": "on", "take_website": "on"},
    )
    assert response.status_code == 302
    survivor.refresh_from_db()
    twin.refresh_from_db()
    assert (survivor.rna, survivor.website, survivor.phone) == (
        "W691999999",
        "https://restos.example",
        "04 78 00 00 01",
    )
    assert twin.status == Association.Status.ARCHIVED
    assert twin.rna == ""
    assert AssociationManager.objects.filter(association=survivor, user=twin_manager).exists()
    assert survivor.places.count() == 2
    report.refresh_from_db()
    photo.refresh_from_db()
    assert report.association == survivor
    assert photo.association == survivor
    assert SlugRedirect.objects.get(old_slug=old_slug).association == survivor
    redirect = resident.get(f"/associations/{old_slug}/")
    assert redirect.status_code == 301
    assert redirect["Location"] == survivor.get_absolute_url()
    candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.MERGED
    log = AssociationChange.objects.filter(association=survivor, action=f"merged:{twin.pk}").get()
    assert log.changes["rna"] == {"old": "", "new": "W691999999"}
    assert log.actor == moderator
    # The survivor's history page also shows the merged listing's history.
    page = builders.soup(moderator_client.get(reverse("admin:moderation_history", args=[survivor.pk])))
    assert "Historique de la fiche fusionnée" in page.get_text()
    assert Association.objects.filter(pk=twin.pk).exists()  # archived, never deleted


def test_merge_is_refused_while_a_change_is_pending(moderator, pair):
    survivor, twin, candidate = pair
    builders.propose_edit(twin, builders.make_manager(twin), phone="01 01 01 01 01")
    with pytest.raises(services.ModerationError):
        services.association_merge(candidate=candidate, survivor=survivor, moderator=moderator)
    twin.refresh_from_db()
    assert twin.status == Association.Status.PUBLISHED


def test_dismiss(moderator_client, pair):
    _, _, candidate = pair
    moderator_client.post(reverse("admin:moderation_duplicate_dismiss", args=[candidate.pk]))
    candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.DISMISSED


def test_scoped_moderator_cannot_merge_outside_their_communes(client, pair):
    survivor, twin, candidate = pair
    client.force_login(builders.make_group_moderator("vera", areas=["villeurbanne"]))
    assert client.get(reverse("admin:moderation_duplicate", args=[candidate.pk])).status_code == 404
    response = client.post(
        reverse("admin:moderation_duplicate_merge", args=[candidate.pk]), {"survivor": survivor.pk}
    )
    assert response.status_code == 404
    assert Report.objects.count() == 0
    assert Association.objects.get(pk=twin.pk).status == "published"
