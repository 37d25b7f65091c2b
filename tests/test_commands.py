"""Management commands: seed_demo, load_reference_data and ensure_superuser."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from directory.models import (
    Area,
    Association,
    Audience,
    Category,
    Event,
    EventOccurrence,
    Language,
    OpeningSlot,
    Place,
)
from tests import builders

pytestmark = pytest.mark.django_db


def run(*args, **options):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


# seed_demo -------------------------------------------------------------------------------


def test_seed_demo_creates_complete_demo_listings():
    output = run("seed_demo", "--count", "30")
    assert re.search(r"\b30 created, 0 already present", output)
    demos = Association.objects.filter(is_demo=True)
    assert demos.count() == 30 == Association.objects.count()
    assert not demos.filter(places__isnull=True).exists()
    assert not demos.filter(categories__isnull=True).exists()
    assert not demos.filter(search_text="").exists()
    assert not demos.filter(search_name="").exists()
    assert Place.objects.filter(association__in=demos).count() >= 30
    assert demos.published().exists()
    # The agenda: many listings have events to come, recurring ones among them, a few to review.
    events = Event.objects.filter(association__in=demos)
    assert events.values("association").distinct().count() >= 10
    assert events.exclude(recurrence="").exists()
    assert EventOccurrence.objects.filter(event__in=events, starts_at__gt=timezone.now()).count() >= 30
    assert 0 < events.filter(needs_review=True).count() <= 6
    assert re.search(r"\d+ events in the agenda", output)
    # Every demo listing is valid as a moderator would save it.
    for association in demos.prefetch_related("places"):
        association.full_clean(exclude=["logo"])
        for place in association.places.all():
            place.full_clean()


def test_seed_demo_places_know_the_calendar():
    run("seed_demo", "--count", "200")
    places = Place.objects.filter(association__is_demo=True).exclude(hours={})
    total = places.count()
    # Most close on public holidays, some change in the school holidays, a few have dates.
    assert places.filter(public_holidays="closed").count() > total * 0.7
    assert places.filter(public_holidays="open").exists()
    assert places.filter(school_holidays="closed").exists()
    assert places.filter(school_holidays="hours").exists()
    with_dates = [place for place in places if place.exceptions]
    assert 0 < len(with_dates) < total * 0.5
    for place in with_dates:
        place.full_clean()  # valid exceptions, no overlap
    assert OpeningSlot.objects.filter(kind=OpeningSlot.Kind.DATED).exists()


def test_seed_demo_is_idempotent():
    run("seed_demo", "--count", "30")
    slugs = set(Association.objects.values_list("slug", flat=True))
    output = run("seed_demo", "--count", "30")
    assert re.search(r"\b0 created, 30 already present", output)
    assert set(Association.objects.values_list("slug", flat=True)) == slugs


def test_seed_demo_if_empty_skips_when_listings_exist():
    builders.make_association("Une vraie association")
    output = run("seed_demo", "--count", "30", "--if-empty")
    assert "nothing to do" in output
    assert Association.objects.count() == 1


def test_seed_demo_if_empty_seeds_an_empty_database():
    run("seed_demo", "--count", "5", "--if-empty")
    assert Association.objects.filter(is_demo=True).count() == 5


def test_seed_demo_dry_run_writes_nothing():
    output = run("seed_demo", "--count", "12", "--dry-run")
    assert re.search(r"\b12 would be created", output)
    assert not Association.objects.exists()


def test_seed_demo_refuses_a_zero_count():
    with pytest.raises(CommandError):
        run("seed_demo", "--count", "0")


def test_seed_demo_listings_are_searchable(client):
    run("seed_demo", "--count", "30")
    response = client.get("/associations/")
    assert response.status_code == 200
    published = Association.objects.published().count()
    assert len(builders.result_names(response)) == min(published, 20)


# load_reference_data ---------------------------------------------------------------------


def reference_counts():
    return (
        Area.objects.count(),
        Category.objects.count(),
        Audience.objects.count(),
        Language.objects.count(),
    )


def test_load_reference_data_is_idempotent():
    before = reference_counts()
    output = run("load_reference_data")
    assert reference_counts() == before
    assert re.search(r"communes\s+58\s+\(0 created, 0 updated\)", output)
    assert re.search(r"arrondissements\s+9\s+\(0 created, 0 updated\)", output)
    assert re.search(r"quartiers\s+113\s+\(0 created, 0 updated\)", output)
    assert re.search(r"sub-categories\s+74\s+\(0 created, 0 updated\)", output)


def test_load_reference_data_restores_an_edited_row_and_keeps_listings():
    association = builders.make_association("Foot", categories=["football"], area_slug="lyon-7")
    Category.objects.filter(slug="football").update(name="Balle au pied")
    output = run("load_reference_data")
    assert Category.objects.get(slug="football").name == "Football"
    assert re.search(r"sub-categories\s+74\s+\(0 created, 1 updated\)", output)
    assert list(association.categories.values_list("slug", flat=True)) == ["football"]


def test_load_reference_data_recreates_a_missing_row():
    Language.objects.filter(code="uk").delete()
    output = run("load_reference_data")
    assert Language.objects.filter(code="uk").exists()
    assert re.search(r"languages\s+\d+\s+\(1 created, 0 updated\)", output)


def test_load_reference_data_dry_run_saves_nothing():
    Category.objects.filter(slug="football").update(name="Balle au pied")
    output = run("load_reference_data", "--dry-run")
    assert "1 updated" in output
    assert Category.objects.get(slug="football").name == "Balle au pied"


# ensure_superuser ------------------------------------------------------------------------


def test_ensure_superuser_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        run("ensure_superuser")
    assert not get_user_model().objects.exists()


def test_ensure_superuser_with_force_creates_one_and_prints_its_password(settings, client):
    settings.DEBUG = False
    output = run("ensure_superuser", "--force")
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser
    assert user.is_staff
    password = re.search(r"mot de passe (\S+)", output).group(1)
    assert user.check_password(password)
    assert client.login(username="admin", password=password)


def test_ensure_superuser_is_idempotent(settings):
    settings.DEBUG = True
    run("ensure_superuser")
    output = run("ensure_superuser")
    assert get_user_model().objects.filter(is_superuser=True).count() == 1
    assert "déjà présent : admin" in output
    assert "mot de passe " not in output.replace("Mot de passe oublié", "")


def test_ensure_superuser_does_not_promote_an_existing_plain_user(settings):
    settings.DEBUG = True
    builders.make_user("admin")
    with pytest.raises(CommandError):
        run("ensure_superuser")
    assert not get_user_model().objects.get(username="admin").is_superuser
