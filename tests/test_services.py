"""Writes with side effects: slugs, the search columns, status changes and verification, all logged."""

from datetime import timedelta

import pytest
from django.utils import timezone

from directory.listings import services, state
from directory.models import Association, AssociationChange, SlugRedirect
from tests import builders

pytestmark = pytest.mark.django_db


# unique_slug -----------------------------------------------------------------------------


def test_unique_slug_from_the_name():
    assert services.unique_slug("Épicerie solidaire des Pentes !") == "epicerie-solidaire-des-pentes"
    assert services.unique_slug("«  »") == "association"


def test_unique_slug_suffixes_taken_slugs():
    builders.make_association("Les Restos")
    assert services.unique_slug("Les Restos") == "les-restos-2"
    builders.make_association("Les Restos", slug="les-restos-2")
    assert services.unique_slug("Les restos") == "les-restos-3"


def test_unique_slug_fills_the_first_gap_and_ignores_longer_slugs():
    builders.make_association("Jardin", slug="jardin")
    builders.make_association("Jardin 3", slug="jardin-3")
    builders.make_association("Jardin partagé", slug="jardin-partage")
    assert services.unique_slug("Jardin") == "jardin-2"


def test_unique_slug_does_not_reuse_an_old_slug():
    association = builders.make_association("Ancien nom")
    services.association_change_slug(
        association=association, new_slug="nouveau-nom", actor=None, origin="system"
    )
    assert services.unique_slug("Ancien nom") == "ancien-nom-2"


def test_unique_slug_can_keep_the_current_slug_of_the_same_listing():
    association = builders.make_association("Même nom")
    assert services.unique_slug("Même nom", exclude_pk=association.pk) == "meme-nom"


def test_unique_slug_fits_the_field():
    slug = services.unique_slug("Très long nom " * 40)
    assert len(slug) <= Association._meta.get_field("slug").max_length
    assert not slug.endswith("-")


# refresh_search_text ---------------------------------------------------------------------


def test_search_text_is_lowercase_without_accents_with_categories_synonyms_and_parent():
    association = builders.make_association(
        "L'Œuvre des Écoliers",
        categories=["aide-aux-devoirs"],
        short_description="Goûters et leçons près de Gerland.",
        description="Ouvert le MERCREDI.",
        rna="W691234567",
    )
    text = association.search_text
    assert association.search_name == "l oeuvre des ecoliers"
    assert "oeuvre des ecoliers" in text
    assert "gouters et lecons pres de gerland" in text
    assert "ouvert le mercredi" in text
    assert "aide aux devoirs" in text  # the category
    assert "cours particuliers" in text  # one of its synonyms
    assert "soutien scolaire" in text  # the parent category
    assert "reussite scolaire" in text  # a synonym of the parent only
    assert "w691234567" in text
    assert text == text.lower()
    assert not set(text) - set("abcdefghijklmnopqrstuvwxyz0123456789 ")


def test_refresh_search_text_follows_changes_and_counts_rows():
    first = builders.make_association("Premier", categories=["football"])
    second = builders.make_association("Second")
    Association.objects.filter(pk=first.pk).update(name="Renommé")
    first.categories.set([builders.category("danse")])
    assert services.refresh_search_text(Association.objects.filter(pk__in=[first.pk, second.pk])) == 2
    first.refresh_from_db()
    assert first.search_name == "renomme"
    assert "danse" in first.search_text
    assert "football" not in first.search_text
    assert "sport" not in first.search_text


# association_set_status ------------------------------------------------------------------


def test_set_status_logs_the_transition(moderator):
    association = builders.make_association("À publier", status=Association.Status.PENDING)
    before = timezone.now()
    assert services.association_set_status(
        association=association, status=Association.Status.PUBLISHED, actor=moderator, origin="moderator"
    )
    association.refresh_from_db()
    assert association.status == Association.Status.PUBLISHED
    assert association.status_changed_at >= before
    assert association.updated_at >= before
    [change] = AssociationChange.objects.filter(association=association)
    assert change.actor == moderator
    assert change.origin == "moderator"
    assert change.action == "status:published"
    assert change.changes == {"status": {"old": "pending", "new": "published"}}


def test_set_status_to_the_same_value_does_nothing():
    association = builders.make_association("Déjà publiée")
    assert not services.association_set_status(
        association=association, status=Association.Status.PUBLISHED, actor=None, origin="system"
    )
    assert not AssociationChange.objects.exists()


def test_anonymous_actor_is_logged_as_none(client):
    from django.contrib.auth.models import AnonymousUser

    association = builders.make_association("Archivée", status=Association.Status.PUBLISHED)
    services.association_set_status(
        association=association, status=Association.Status.ARCHIVED, actor=AnonymousUser(), origin="system"
    )
    assert AssociationChange.objects.get().actor is None


# association_change_slug -----------------------------------------------------------------


def test_change_slug_keeps_the_old_one_as_a_redirect(moderator):
    association = builders.make_association("Ancien nom")
    assert services.association_change_slug(
        association=association, new_slug="nouveau-nom", actor=moderator, origin="moderator"
    )
    association.refresh_from_db()
    assert association.slug == "nouveau-nom"
    assert SlugRedirect.objects.get(old_slug="ancien-nom").association == association
    change = AssociationChange.objects.get(action="slug")
    assert change.changes == {"slug": {"old": "ancien-nom", "new": "nouveau-nom"}}


def test_changing_back_to_an_old_slug_reclaims_it():
    association = builders.make_association("Aller")
    services.association_change_slug(association=association, new_slug="retour", actor=None, origin="system")
    services.association_change_slug(association=association, new_slug="aller", actor=None, origin="system")
    association.refresh_from_db()
    assert association.slug == "aller"
    assert list(SlugRedirect.objects.values_list("old_slug", flat=True)) == ["retour"]
    assert not services.association_change_slug(
        association=association, new_slug="aller", actor=None, origin="system"
    )


# association_verify ----------------------------------------------------------------------


def test_verify_records_the_date_the_person_and_a_log_entry(moderator):
    association = builders.make_association(
        "À vérifier", last_verified_at=timezone.localdate() - timedelta(days=400)
    )
    old = association.last_verified_at
    services.association_verify(association=association, actor=moderator, origin="moderator")
    association.refresh_from_db()
    assert association.last_verified_at == timezone.localdate()
    assert association.last_verified_by == moderator
    change = AssociationChange.objects.get(association=association)
    assert change.action == "verified"
    assert change.changes == {
        "last_verified_at": {"old": old.isoformat(), "new": timezone.localdate().isoformat()}
    }


def test_verify_without_a_person():
    association = builders.make_association("Jamais vérifiée")
    services.association_verify(association=association, actor=None, origin="system")
    association.refresh_from_db()
    assert association.last_verified_by is None
    assert AssociationChange.objects.get().changes["last_verified_at"]["old"] is None


# snapshot and diff -----------------------------------------------------------------------


def test_diff_lists_only_changed_fields_with_old_and_new_values():
    association = builders.make_association("Avant", phone="0400000000")
    before = state.snapshot(association)
    association.name = "Après"
    association.volunteers_sought = True
    assert state.changes(before, state.snapshot(association)) == {
        "name": {"old": "Avant", "new": "Après"},
        "volunteers_sought": {"old": False, "new": True},
    }
    assert state.snapshot(association)["logo"] == ""


# the admin's saves -------------------------------------------------------------------------


def test_update_logs_the_changed_fields_moves_the_version_and_redirects_the_old_address(moderator):
    association = builders.make_association("Avant", status=Association.Status.PENDING)
    old_slug, version = association.slug, association.version
    association.name = "Après"
    association.status = Association.Status.PUBLISHED
    changes = services.association_update(
        association=association, actor=moderator, origin="moderator", new_slug="apres"
    )
    assert changes == {
        "name": {"old": "Avant", "new": "Après"},
        "status": {"old": "pending", "new": "published"},
    }
    association.refresh_from_db()
    assert (association.slug, association.version) == ("apres", version + 1)
    assert association.status_changed_at is not None
    assert SlugRedirect.objects.get(old_slug=old_slug).association == association
    logged = {c.action: c.changes for c in AssociationChange.objects.filter(association=association)}
    assert logged == {"slug": {"slug": {"old": old_slug, "new": "apres"}}, "updated": changes}


def test_update_without_a_change_logs_nothing(moderator):
    association = builders.make_association("Pareil")
    assert services.association_update(association=association, actor=moderator, origin="moderator") == {}
    assert not AssociationChange.objects.filter(association=association).exists()


def test_create_finds_a_free_address_and_logs_every_field(moderator):
    builders.make_association("Nouvelle")
    association = Association(name="Nouvelle", phone="0400000000", source=Association.Source.MODERATOR)
    services.association_create(association=association, actor=moderator, origin="moderator")
    assert association.slug == "nouvelle-2"
    [change] = AssociationChange.objects.filter(association=association)
    assert change.action == "created"
    assert change.changes["name"] == {"old": None, "new": "Nouvelle"}
    assert change.changes["slug"] == {"old": None, "new": "nouvelle-2"}
