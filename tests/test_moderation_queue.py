"""The moderation queue in the admin: every kind, oldest first, filters, scope, counts, queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory.models import Association, Claim, DuplicateCandidate, Event, PendingChange, Report
from directory.moderation import queue
from directory.moderation.locks import lock_acquire
from tests import builders

pytestmark = pytest.mark.django_db

QUEUE = "/admin/moderation/"


@pytest.fixture
def waiting(db):
    """One item of each kind, in Lyon 3e (oldest first: stale, report, claim, duplicate, edit, event, new)."""
    now = timezone.now()
    old = builders.make_association("Amicale laïque Montchat", area_slug="lyon-3", categories=["football"])
    Association.objects.filter(pk=old.pk).update(last_verified_at=(now - timedelta(days=400)).date())
    report_on = builders.make_association(
        "Maison des familles", area_slug="lyon-3", categories=["epicerie-solidaire"]
    )
    report = builders.make_report(report_on)
    Report.objects.filter(pk=report.pk).update(created_at=now - timedelta(days=20))
    claimant = builders.make_user("claimant")
    claim = Claim.objects.create(
        association=report_on, user=claimant, method=Claim.Method.REVIEW, role="Présidente"
    )
    Claim.objects.filter(pk=claim.pk).update(created_at=now - timedelta(days=10))
    twin = builders.make_association("Maison des familles Lyon", area_slug="lyon-3")
    first, second = sorted([report_on.pk, twin.pk])
    duplicate = DuplicateCandidate.objects.create(first_id=first, second_id=second, reason="name", score=0.8)
    DuplicateCandidate.objects.filter(pk=duplicate.pk).update(created_at=now - timedelta(days=5))
    manager = builders.make_manager(report_on, "gestionnaire-maison")
    edit = builders.propose_edit(report_on, manager, phone="04 78 00 00 00")
    PendingChange.objects.filter(pk=edit.pk).update(created_at=now - timedelta(days=2))
    event = builders.make_event(report_on, user=manager)  # an untrusted listing: post-moderated
    Event.objects.filter(pk=event.pk).update(updated_at=now - timedelta(days=1))
    new = builders.propose_new_listing(builders.make_user("fondatrice"), "Jardin partagé Paul Bert")
    return {
        "stale": old,
        "report": report,
        "claim": claim,
        "duplicate": duplicate,
        "edit": edit,
        "event": event,
        "new_listing": new,
    }


def rows(response):
    return [
        (tr["data-kind"], int(tr["data-id"]))
        for tr in builders.soup(response).select("#moderation-queue tbody tr")
    ]


def test_queue_lists_every_kind_oldest_first(moderator_client, waiting):
    response = moderator_client.get(QUEUE)
    assert response.status_code == 200
    assert rows(response) == [
        ("stale", waiting["stale"].pk),
        ("report", waiting["report"].pk),
        ("claim", waiting["claim"].pk),
        ("duplicate", waiting["duplicate"].pk),
        ("edit", waiting["edit"].pk),
        ("event", waiting["event"].pk),
        ("new_listing", waiting["new_listing"].pk),
    ]
    links = [a["href"] for a in builders.soup(response).select("#moderation-queue tbody th a")]
    assert links[1] == reverse("admin:moderation_report", args=[waiting["report"].pk])


@pytest.mark.parametrize("kind", list(queue.KINDS))
def test_filter_by_kind(moderator_client, waiting, kind):
    response = moderator_client.get(QUEUE, {"type": kind})
    assert [k for k, _ in rows(response)] == [kind]


def test_filter_by_area_and_category(moderator_client, waiting):
    builders.make_report(builders.make_association("Club de Villeurbanne", area_slug="villeurbanne"))
    in_villeurbanne = rows(moderator_client.get(QUEUE, {"territoire": "villeurbanne"}))
    assert [k for k, _ in in_villeurbanne] == ["report"]
    in_lyon = rows(moderator_client.get(QUEUE, {"territoire": "lyon"}))  # Lyon includes its arrondissements
    assert len(in_lyon) == 7
    football = rows(moderator_client.get(QUEUE, {"besoin": "sport"}))
    assert football == [("stale", waiting["stale"].pk)]


def test_unknown_filters_are_ignored(moderator_client, waiting):
    response = moderator_client.get(QUEUE, {"type": "nope", "territoire": "atlantis", "besoin": "x"})
    assert response.status_code == 200
    assert len(rows(response)) == 7


def test_decided_items_leave_the_queue(moderator_client, waiting):
    Report.objects.filter(pk=waiting["report"].pk).update(status=Report.Status.RESOLVED)
    Association.objects.filter(pk=waiting["stale"].pk).update(last_verified_at=timezone.localdate())
    kinds = [k for k, _ in rows(moderator_client.get(QUEUE))]
    assert "report" not in kinds
    assert "stale" not in kinds


def test_listing_never_verified_for_a_year_is_stale_but_a_new_one_is_not(moderator_client, db):
    ancient = builders.make_association("Vieille fiche")
    Association.objects.filter(pk=ancient.pk).update(created_at=timezone.now() - timedelta(days=400))
    builders.make_association("Fiche récente")
    assert rows(moderator_client.get(QUEUE)) == [("stale", ancient.pk)]


def test_locked_items_say_who_reviews_them(moderator_client, waiting):
    other = builders.make_group_moderator("camille")
    lock_acquire(kind="report", object_id=waiting["report"].pk, moderator=other)
    page = builders.soup(moderator_client.get(QUEUE))
    row = page.select_one(f"#moderation-queue tr[data-kind=report][data-id='{waiting['report'].pk}']")
    assert "en cours de revue par camille" in row.get_text(" ", strip=True)


def test_queue_query_count_does_not_grow(moderator_client, waiting):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert moderator_client.get(QUEUE).status_code == 200
        return len(ctx)

    first = count()
    for n in range(5):
        builders.make_report(builders.make_association(f"Encore une {n}", area_slug="lyon-3"))
    # session, user, permissions (user's, group's), the moderator's areas, one query per kind (7),
    # the main place of the listings shown, the review locks, one COUNT per kind (7).
    assert count() == first == 21


def test_admin_index_links_the_queue_with_counts(moderator_client, waiting):
    page = builders.soup(moderator_client.get(reverse("admin:index")))
    summary = page.select_one("#moderation-summary")
    assert summary.select_one(f"a[href='{QUEUE}']")
    counts = {span["data-kind"]: int(span.get_text()) for span in summary.select(".moderation-count")}
    assert counts == dict.fromkeys(queue.KINDS, 1)


def test_scoped_moderator_sees_only_their_communes(client, waiting):
    villeurbanne = builders.make_association("Club de Villeurbanne", area_slug="villeurbanne")
    report = builders.make_report(villeurbanne)
    client.force_login(builders.make_group_moderator("vera", areas=["villeurbanne"]))
    assert rows(client.get(QUEUE)) == [("report", report.pk)]
    counts = builders.soup(client.get(reverse("admin:index"))).select(".moderation-count")
    assert sum(int(span.get_text()) for span in counts) == 1


def test_moderator_of_lyon_sees_its_arrondissements(client, waiting):
    client.force_login(builders.make_group_moderator("lea", areas=["lyon"]))
    assert len(rows(client.get(QUEUE))) == 7


def test_non_staff_user_gets_the_admin_login_page(client, plain_user, waiting):
    client.force_login(plain_user)
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_anonymous_gets_the_admin_login_page(client, db):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_without_moderation_permission_is_refused(client, db):
    client.force_login(builders.make_user("stagiaire", is_staff=True))
    assert client.get(QUEUE).status_code == 403
