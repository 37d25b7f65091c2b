"""The moderation queue in the admin: every kind, decisions first, ages, every pending listing
reachable, filters, scope, counts, pages, queries."""

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


def test_queue_puts_decisions_first_whatever_their_age(moderator_client, waiting):
    """New listings (the newest item here), then changes, claims, reports, duplicates, events,
    and the listing to re-verify (the oldest) last."""
    response = moderator_client.get(QUEUE)
    assert response.status_code == 200
    assert rows(response) == [
        ("new_listing", waiting["new_listing"].pk),
        ("edit", waiting["edit"].pk),
        ("claim", waiting["claim"].pk),
        ("report", waiting["report"].pk),
        ("duplicate", waiting["duplicate"].pk),
        ("event", waiting["event"].pk),
        ("stale", waiting["stale"].pk),
    ]
    links = [a["href"] for a in builders.soup(response).select("#moderation-queue tbody th a")]
    assert links[3] == reverse("admin:moderation_report", args=[waiting["report"].pk])


def test_within_a_kind_the_oldest_comes_first(moderator_client, waiting):
    older = builders.propose_new_listing(builders.make_user("pionniere"), "Ressourcerie des Pentes")
    PendingChange.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=6))
    assert rows(moderator_client.get(QUEUE))[:3] == [
        ("new_listing", older.pk),
        ("new_listing", waiting["new_listing"].pk),
        ("edit", waiting["edit"].pk),
    ]


def test_within_a_kind_the_least_complete_listing_comes_first_on_request(moderator_client, waiting):
    older = builders.propose_new_listing(builders.make_user("pionniere"), "Ressourcerie des Pentes")
    PendingChange.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=6))
    Association.objects.filter(pk=older.association_id).update(quality=80)
    Association.objects.filter(pk=waiting["new_listing"].association_id).update(quality=20)
    response = moderator_client.get(QUEUE, {"tri": "qualite"})
    assert rows(response)[:2] == [("new_listing", waiting["new_listing"].pk), ("new_listing", older.pk)]
    cells = [
        td.get_text(strip=True) for td in builders.soup(response).select("#moderation-queue .queue-quality")
    ]
    assert cells[:2] == ["20 %", "80 %"]
    kind_links = [
        a["href"] for a in builders.soup(response).select(".moderation-kinds a, ul a[href^='?type=']")
    ]
    assert kind_links
    assert all("tri=qualite" in href for href in kind_links)
    assert rows(moderator_client.get(QUEUE))[:2] == [
        ("new_listing", older.pk),
        ("new_listing", waiting["new_listing"].pk),
    ]


def test_each_item_shows_its_age_and_late_decisions_stand_out(moderator_client, waiting):
    page = builders.soup(moderator_client.get(QUEUE))

    def age(kind):
        cell = page.select_one(f"#moderation-queue tr[data-kind={kind}] .queue-age")
        return cell.time.get_text(), "queue-age--late" in cell["class"]

    assert age("new_listing") == ("moins d'une minute", False)
    assert age("edit") == ("2 jours", False)
    assert age("claim") == ("10 jours", True)
    assert age("report") == ("20 jours", True)
    assert age("stale") == ("400 jours", False)  # re-verifications are never late
    time = page.select_one("#moderation-queue tr[data-kind=report] time")
    assert time["datetime"].startswith(str((timezone.now() - timedelta(days=20)).date()))


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
    # session, user, permissions (user's, group's), the moderator's areas, one COUNT per source
    # (8: new listings have two, their changes and the pending listings without one), one SELECT
    # per source holding items of the page (7), the main place of the listings shown, the review locks.
    assert count() == first == 22


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


# Every pending listing is reachable -------------------------------------------------------------


@pytest.fixture
def stuck(db):
    """A listing "en attente de validation" without any pending change, as the demo data and a
    status set by hand in the admin make them: before the fix, no page of the queue reached it."""
    listing = builders.make_association("Vestiaire solidaire Bellecour", area_slug="lyon-2")
    Association.objects.filter(pk=listing.pk).update(
        status=Association.Status.PENDING, status_changed_at=timezone.now() - timedelta(days=5)
    )
    return listing


def test_a_pending_listing_without_a_change_is_a_new_listing_of_the_queue(moderator_client, stuck):
    response = moderator_client.get(QUEUE)
    assert rows(response) == [("new_listing", stuck.pk)]
    row = builders.soup(response).select_one("#moderation-queue tr[data-kind=new_listing]")
    assert row.th.a["href"] == reverse("admin:moderation_listing_review", args=[stuck.pk])
    assert row.select_one(".queue-age time").get_text() == "5 jours"


def test_opening_it_records_its_review_once_and_it_is_decided_like_any_new_listing(
    moderator_client, moderator, stuck
):
    url = reverse("admin:moderation_listing_review", args=[stuck.pk])
    response = moderator_client.get(url)
    change = PendingChange.objects.get(association=stuck)
    assert response["Location"] == reverse("admin:moderation_change", args=[change.pk])
    assert (change.kind, change.status) == (PendingChange.Kind.NEW_LISTING, PendingChange.Status.PENDING)
    assert change.proposed["name"] == "Vestiaire solidaire Bellecour"
    assert (timezone.now() - change.created_at).days == 5  # its wait is kept
    assert stuck.changes.filter(action="review_opened", actor=moderator).count() == 1
    assert moderator_client.get(url)["Location"] == response["Location"]  # idempotent
    assert PendingChange.objects.filter(association=stuck).count() == 1
    assert rows(moderator_client.get(QUEUE)) == [("new_listing", change.pk)]
    moderator_client.post(reverse("admin:moderation_change_approve", args=[change.pk]))
    stuck.refresh_from_db()
    assert stuck.status == Association.Status.PUBLISHED
    assert rows(moderator_client.get(QUEUE)) == []


def test_a_limited_moderator_cannot_open_one_outside_their_communes(client, stuck):
    client.force_login(builders.make_group_moderator("vera", areas=["villeurbanne"]))
    assert rows(client.get(QUEUE)) == []
    assert client.get(reverse("admin:moderation_listing_review", args=[stuck.pk])).status_code == 404
    assert not PendingChange.objects.filter(association=stuck).exists()


def test_a_listing_no_longer_pending_is_not_opened(moderator_client, stuck):
    Association.objects.filter(pk=stuck.pk).update(status=Association.Status.PUBLISHED)
    response = moderator_client.get(reverse("admin:moderation_listing_review", args=[stuck.pk]))
    assert response["Location"] == QUEUE
    assert not PendingChange.objects.filter(association=stuck).exists()


def _dashboard_pending(client):
    page = builders.soup(client.get(reverse("admin:moderation_dashboard")))
    by_status = {tr.th.get_text(strip=True): int(tr.td.get_text()) for tr in page.select("#dash-status tr")}
    waiting = {tr.th.get_text(strip=True): int(tr.td.get_text()) for tr in page.select("#dash-queue tr")}
    return by_status.get("En attente de validation", 0), waiting


def _queue_by_kind(client, **params):
    counted = dict.fromkeys(queue.KINDS, 0)
    response = client.get(QUEUE, {"page": 1, **params})
    for kind, _pk in rows(response):
        counted[kind] += 1
    badges = {
        li.a["href"].split("type=")[1].split("&")[0]: int(li.select_one(".badge-count").get_text())
        for li in builders.soup(response).select(".moderation-counts li")
    }
    return counted, badges


@pytest.mark.parametrize("persona", ["everywhere", "lyon", "villeurbanne"])
def test_the_dashboard_counts_equal_the_queue(client, waiting, stuck, persona):
    """What the dashboard says waits is what the queue lists, kind by kind, and every listing
    "en attente de validation" is one of the queue's new listings."""
    villeurbanne = builders.propose_new_listing(
        builders.make_user("villeurbannaise"), "Repair café Gratte-Ciel", area_slug="villeurbanne"
    )
    hand_made = builders.make_association("Fiche mise en attente à la main", area_slug="villeurbanne")
    Association.objects.filter(pk=hand_made.pk).update(status=Association.Status.PENDING)
    areas = {"everywhere": [], "lyon": ["lyon"], "villeurbanne": ["villeurbanne"]}[persona]
    client.force_login(builders.make_group_moderator(f"mod-{persona}", areas=areas))
    pending, dashboard_counts = _dashboard_pending(client)
    listed, badges = _queue_by_kind(client)
    assert dashboard_counts == {str(label): listed[kind] for kind, label in queue.KINDS.items()}
    assert badges == listed
    assert pending == listed["new_listing"] == {"everywhere": 4, "lyon": 2, "villeurbanne": 2}[persona]
    new_in_queue = {int(pk) for kind, pk in rows(client.get(QUEUE, {"type": "new_listing"}))}
    assert len(new_in_queue) == pending
    assert villeurbanne.pk in new_in_queue or persona == "lyon"


# Pages ---------------------------------------------------------------------------------------------


def test_a_long_queue_is_paged_in_its_order(moderator_client, waiting):
    for n in range(3):
        builders.make_report(builders.make_association(f"Signalée {n}", area_slug="lyon-3"))
    moderator = moderator_client.session  # the fixture's moderator is logged in
    assert moderator
    user = builders.make_group_moderator("pagination")
    whole = [(i.kind, i.object_id) for i in queue.queue_page(user).items]
    assert len(whole) == 10
    pages = [queue.queue_page(user, page=n, per_page=4) for n in (1, 2, 3)]
    assert [p.pages for p in pages] == [3, 3, 3]
    assert [(i.kind, i.object_id) for p in pages for i in p.items] == whole
    assert queue.queue_page(user, page=99, per_page=4).number == 3  # past the end: the last page


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999999999", "2"])
def test_malformed_or_past_page_numbers_show_a_page(moderator_client, waiting, page):
    response = moderator_client.get(QUEUE, {"page": page})
    assert response.status_code == 200
    assert len(rows(response)) == 7


def test_an_edit_of_a_listing_never_published_waits_as_a_new_listing(moderator_client, stuck):
    """A manager's change of a pending listing (one without its own proposal) is how it would be
    published: it is a new listing of the queue, reviewed in one column."""
    edit = builders.propose_edit(stuck, builders.make_manager(stuck), phone="04 72 00 00 09")
    assert edit.kind == PendingChange.Kind.EDIT
    assert rows(moderator_client.get(QUEUE)) == [("new_listing", edit.pk)]
    page = builders.soup(moderator_client.get(reverse("admin:moderation_change", args=[edit.pk])))
    assert page.select_one("#proposal")
    assert not page.select("#diff-fields")
