"""Review locks: opening an item locks it 15 minutes for its moderator; others see it and cannot act."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from directory.models import PendingChange, Report, ReviewLock
from directory.moderation import services
from directory.moderation.locks import LOCK_DURATION, ItemLocked, lock_acquire
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(db):
    return builders.make_group_moderator("alice")


@pytest.fixture
def bob(db):
    return builders.make_group_moderator("bob")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def change(listing, manager):
    return builders.propose_edit(listing, manager, phone="04 78 11 11 11")


def test_opening_an_item_locks_it_for_15_minutes(alice, change):
    client_for(alice).get(reverse("admin:moderation_change", args=[change.pk]))
    lock = ReviewLock.objects.get(kind="change", object_id=change.pk)
    assert lock.moderator == alice
    assert abs(lock.expires_at - (timezone.now() + LOCK_DURATION)) < timedelta(seconds=30)


def test_another_moderator_sees_who_reviews_and_has_no_buttons(alice, bob, change):
    client_for(alice).get(reverse("admin:moderation_change", args=[change.pk]))
    page = builders.soup(client_for(bob).get(reverse("admin:moderation_change", args=[change.pk])))
    assert "En cours de revue par alice" in page.select_one("#lock-notice").get_text()
    assert page.select_one("button#approve") is None


def test_a_second_moderators_post_is_refused_with_a_message(alice, bob, change):
    client_for(alice).get(reverse("admin:moderation_change", args=[change.pk]))
    response = client_for(bob).post(reverse("admin:moderation_change_approve", args=[change.pk]), follow=True)
    assert "En cours de revue par alice" in builders.visible_text(response)
    change.refresh_from_db()
    assert change.is_open


def test_the_lock_holder_decides_and_the_lock_goes(alice, change):
    client = client_for(alice)
    client.get(reverse("admin:moderation_change", args=[change.pk]))
    client.post(reverse("admin:moderation_change_approve", args=[change.pk]))
    change.refresh_from_db()
    assert change.status == PendingChange.Status.APPROVED
    assert not ReviewLock.objects.exists()


def test_a_lock_expires_by_itself(alice, bob, change):
    client_for(alice).get(reverse("admin:moderation_change", args=[change.pk]))
    ReviewLock.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    page = builders.soup(client_for(bob).get(reverse("admin:moderation_change", args=[change.pk])))
    assert page.select_one("#lock-notice") is None
    assert ReviewLock.objects.get().moderator == bob


def test_services_refuse_a_locked_item(alice, bob, listing):
    report = builders.make_report(listing)
    lock_acquire(kind="report", object_id=report.pk, moderator=alice)
    with pytest.raises(ItemLocked):
        services.report_resolve(report=report, moderator=bob, note="")
    report.refresh_from_db()
    assert report.status == Report.Status.NEW
    services.report_resolve(report=report, moderator=alice, note="ok")
    report.refresh_from_db()
    assert report.status == Report.Status.RESOLVED


def test_lock_acquire_is_refused_while_held_and_refreshed_for_its_holder(alice, bob):
    lock_acquire(kind="claim", object_id=7, moderator=alice)
    with pytest.raises(ItemLocked) as error:
        lock_acquire(kind="claim", object_id=7, moderator=bob)
    assert error.value.lock.moderator == alice
    ReviewLock.objects.update(expires_at=timezone.now() + timedelta(minutes=1))
    lock_acquire(kind="claim", object_id=7, moderator=alice)
    assert ReviewLock.objects.get().expires_at > timezone.now() + timedelta(minutes=14)
    assert ReviewLock.objects.count() == 1
