"""Freshness: "Informations vérifiées le …", the 12-month notice, reminders and their one-click link."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from directory.models import Association, AssociationChange, VerificationReminder
from directory.moderation import reminders
from tests import builders

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.localdate() - timedelta(days=n)


def set_verified(association, day):
    Association.objects.filter(pk=association.pk).update(last_verified_at=day)
    association.refresh_from_db()


def test_listing_shows_when_it_was_verified(resident, listing):
    set_verified(listing, days_ago(30))
    page = builders.soup(resident.get(listing.get_absolute_url()))
    assert page.select_one("#verified-on").get_text().startswith("Informations vérifiées le")
    assert page.select_one("#stale-notice") is None


def test_a_listing_verified_over_a_year_ago_says_it_may_be_outdated(resident, listing):
    set_verified(listing, days_ago(400))
    notice = builders.soup(resident.get(listing.get_absolute_url())).select_one("#stale-notice")
    assert notice.get_text().startswith("Ces informations datent peut-être")


def test_stale_listing_is_verified_from_the_queue(moderator_client, moderator, listing):
    set_verified(listing, days_ago(400))
    assert moderator_client.get(reverse("admin:moderation_stale", args=[listing.pk])).status_code == 200
    moderator_client.post(reverse("admin:moderation_stale_verify", args=[listing.pk]))
    listing.refresh_from_db()
    assert listing.last_verified_at == timezone.localdate()
    assert listing.last_verified_by == moderator
    assert AssociationChange.objects.filter(
        association=listing, action="verified", origin="moderator"
    ).exists()


# Reminders ----------------------------------------------------------------------------------------


@pytest.fixture
def due(listing, manager):
    set_verified(listing, days_ago(200))
    return listing


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the command (e-mails are sent after each reminder's commit)."""
    from io import StringIO

    def command(*args):
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_verification_reminders", *args, stdout=out)
        return out.getvalue()

    return command


def test_dry_run_sends_and_stores_nothing(due, run):
    output = run("--dry-run")
    assert f"would remind: {due.slug}" in output
    assert not VerificationReminder.objects.exists()
    assert not mail.outbox


def test_reminder_emails_each_manager_a_link_once_in_30_days(due, manager, run):
    second = builders.make_manager(due, "co-gestionnaire")
    output = run()
    assert "1 listing(s) reminded, 2 e-mail(s) sent" in output
    assert sorted(m.to[0] for m in mail.outbox) == sorted([manager.email, second.email])
    assert "/confirmer-la-fiche/" in mail.outbox[0].body
    mail.outbox.clear()
    assert "0 listing(s) reminded" in run()
    assert not mail.outbox
    VerificationReminder.objects.update(sent_at=timezone.now() - timedelta(days=31))
    run()
    assert len(mail.outbox) == 2


def test_recently_verified_unmanaged_or_unpublished_listings_get_no_reminder(db):
    fresh = builders.make_association("Fraîche")
    builders.make_manager(fresh)
    set_verified(fresh, days_ago(10))
    orphan = builders.make_association("Sans gestionnaire")
    set_verified(orphan, days_ago(300))
    draft = builders.make_association("Brouillon", status="draft")
    builders.make_manager(draft)
    set_verified(draft, days_ago(300))
    assert list(reminders.due_listings()) == []


def test_limit(db, run):
    for n in range(3):
        association = builders.make_association(f"Ancienne {n}")
        builders.make_manager(association)
        set_verified(association, days_ago(300))
    assert "2 listing(s) reminded" in run("--limit", "2")
    assert VerificationReminder.objects.count() == 2


def link_of(message):
    return next(word for word in message.body.split() if "/confirmer-la-fiche/" in word).removeprefix(
        "http://127.0.0.1:8000"
    )


def test_the_link_shows_a_page_and_only_a_post_confirms(client, due, manager, run):
    run()
    url = link_of(mail.outbox[0])
    response = client.get(url)
    assert response.status_code == 200
    due.refresh_from_db()
    assert due.last_verified_at == days_ago(200)  # never on GET
    form = builders.soup(response).select_one("main form[method=post]")
    response = client.post(form["action"])
    assert response.status_code == 200
    due.refresh_from_db()
    assert due.last_verified_at == timezone.localdate()
    log = AssociationChange.objects.filter(association=due, action="verified").get()
    assert log.origin == "manager"
    assert log.actor.email in {m.to[0] for m in mail.outbox}
    assert VerificationReminder.objects.get().confirmed_at is not None


def test_expired_or_tampered_links_are_refused(client, due, manager, settings, run):
    run()
    url = link_of(mail.outbox[0])
    assert client.get(url[:-3] + "xx/").status_code == 404
    token = url.rstrip("/").rsplit("/", 1)[-1]
    from unittest import mock

    later = timezone.now().timestamp() + reminders.TOKEN_MAX_AGE + 60
    with mock.patch("django.core.signing.time.time", return_value=later):
        assert client.post(reverse("directory:confirm_listing_post", args=[token])).status_code == 404
    due.refresh_from_db()
    assert due.last_verified_at == days_ago(200)


def test_a_former_manager_link_no_longer_works(client, due, manager, run):
    run()
    url = link_of(mail.outbox[0])
    due.memberships.all().delete()
    assert client.get(url).status_code == 404
