"""The moderation dashboard, the moderators' digest and the "Modérateurs" group."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from directory.models import AssociationChange, Report
from directory.moderation import dashboard, services
from tests import builders

pytestmark = pytest.mark.django_db

EXPECTED_PERMISSIONS = {
    "view_association", "change_association", "view_place", "add_place", "change_place", "delete_place",
    "view_associationchange", "view_slugredirect", "view_pendingchange", "change_pendingchange",
    "view_claim", "change_claim", "view_associationmanager", "change_associationmanager", "view_invitation",
    "view_photo", "view_report", "change_report", "view_duplicatecandidate", "change_duplicatecandidate",
    "view_verificationreminder", "view_area", "view_category", "view_audience", "view_language",
    # Digital helpers (migration 0012): review helper profiles, see requests and offers.
    "view_helperprofile", "change_helperprofile", "view_helperskill", "view_helprequest",
    "view_requestskill", "view_helpoffer",
    # Volunteer needs (migration 0013): read and withdraw; residents' answers are not theirs to read.
    "view_volunteerneed", "change_volunteerneed",
    # The agenda (migration 0024): read, mark as seen and withdraw events; read calendar addresses.
    "view_event", "change_event", "view_calendarsource",
}  # fmt: skip


def test_the_group_has_exactly_the_moderation_permissions(db):
    group = Group.objects.get(name=services.GROUP_NAME)
    assert set(group.permissions.values_list("codename", flat=True)) == EXPECTED_PERMISSIONS
    assert not group.permissions.filter(
        codename__in=["add_association", "delete_association", "change_moderatorscope"]
    )


def test_a_group_member_is_a_moderator_not_a_superuser(client, db):
    user = builders.make_group_moderator()
    client.force_login(user)
    assert client.get("/admin/moderation/").status_code == 200
    assert client.get(reverse("admin:directory_moderatorscope_changelist")).status_code == 403
    assert not user.is_superuser


@pytest.fixture
def figures(db):
    published = builders.make_association(
        "Épicerie du 3e", area_slug="lyon-3", categories=["epicerie-solidaire"]
    )
    builders.make_association("Club de Villeurbanne", area_slug="villeurbanne", categories=["football"])
    builders.make_association("Brouillon", status="draft")
    for weeks_ago in (0, 0, 3):
        change = AssociationChange.objects.create(
            association=published, origin="moderator", action="status:published"
        )
        AssociationChange.objects.filter(pk=change.pk).update(
            created_at=timezone.now() - timedelta(weeks=weeks_ago)
        )
    report = builders.make_report(published)
    Report.objects.filter(pk=report.pk).update(created_at=timezone.now() - timedelta(days=4))
    return published


def table(page, table_id):
    return {tr.th.get_text(strip=True): int(tr.td.get_text()) for tr in page.select(f"#{table_id} tbody tr")}


def test_dashboard_counts_and_chart(moderator_client, figures):
    response = moderator_client.get(reverse("admin:moderation_dashboard"))
    page = builders.soup(response)
    assert table(page, "dash-status") == {"Brouillon": 1, "Publiée": 2}
    assert table(page, "dash-area") == {"Lyon 3e": 1, "Villeurbanne": 1}
    assert table(page, "dash-category") == {"Alimentation": 1, "Sport": 1}
    assert table(page, "dash-queue")["Signalements"] == 1
    assert "Le plus ancien attend depuis 4" in page.select_one("#dash-age").get_text()
    weeks = list(table(page, "dash-weeks").values())
    # This week: two logged publications, and the Villeurbanne club created published without a
    # log (as the RNA import does); the draft is not counted.
    assert len(weeks) == 12
    assert weeks[-1] == 3
    assert weeks[-4] == 1
    assert sum(weeks) == 4
    svg = page.select_one("svg.moderation-chart")
    assert svg["role"] == "img"
    assert svg.find("title")
    assert svg.find("desc")
    assert len(svg.select("rect.chart-bar")) == 12
    assert "style=" not in response.content.decode().split("<body", 1)[1]


def test_dashboard_lists_the_least_complete_published_listings(moderator_client, figures):
    from directory.models import Association

    Association.objects.filter(status=Association.Status.PUBLISHED).update(quality=60)
    Association.objects.filter(pk=figures.pk).update(quality=25)
    page = builders.soup(moderator_client.get(reverse("admin:moderation_dashboard")))
    rows = [
        (tr.th.get_text(strip=True), tr.td.get_text(strip=True))
        for tr in page.select("#dash-quality tbody tr")
    ]
    assert rows[0] == (figures.name, "25 %")
    assert len(rows) == 2
    changelist = page.select_one("#least-complete-title").find_parent("section").select_one("p a")["href"]
    listed = builders.soup(moderator_client.get(changelist))
    names = [a.get_text(strip=True) for a in listed.select("#result_list tbody th a")]
    assert names[0] == figures.name  # sorted by completeness, the least complete first


def test_dashboard_of_a_scoped_moderator(client, figures):
    client.force_login(builders.make_group_moderator("vera", areas=["villeurbanne"]))
    page = builders.soup(client.get(reverse("admin:moderation_dashboard")))
    assert table(page, "dash-status") == {"Publiée": 1}
    assert table(page, "dash-queue")["Signalements"] == 0


def test_weekly_series_starts_on_mondays_and_bars_scale_to_the_tallest(moderator):
    series = dashboard.published_per_week(moderator)
    assert len(series) == 12
    assert all(monday.weekday() == 0 for monday, _ in series)
    chart = dashboard.chart([(timezone.localdate(), 0), (timezone.localdate(), 2), (timezone.localdate(), 4)])
    tallest = chart["baseline"] - 24
    assert [bar.height for bar in chart["bars"]] == [0, tallest // 2, tallest]


# Digest ------------------------------------------------------------------------------------------


def digest(*args, callbacks):
    out = StringIO()
    with callbacks(execute=True):
        call_command("send_moderation_digest", *args, stdout=out)
    return out.getvalue()


def test_digest_tells_each_moderator_what_waits_in_their_areas(figures, django_capture_on_commit_callbacks):
    lyon = builders.make_group_moderator("lyonnaise", areas=["lyon"])
    villeurbanne = builders.make_group_moderator("villeurbannais", areas=["villeurbanne"])
    everywhere = builders.make_group_moderator("partout")
    output = digest("--dry-run", callbacks=django_capture_on_commit_callbacks)
    assert "2 moderator(s) would receive a digest" in output
    assert not mail.outbox
    output = digest(callbacks=django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([lyon.email, everywhere.email])
    assert villeurbanne.email not in output
    body = mail.outbox[0].body
    assert "Signalements : 1" in body
    assert "Épicerie du 3e" in body
    assert "/admin/moderation/" in body


def test_dashboard_query_count_does_not_grow(moderator_client, figures, django_assert_num_queries):
    url = reverse("admin:moderation_dashboard")
    moderator_client.get(url)
    for n in range(3):
        builders.make_report(builders.make_association(f"Encore {n}", area_slug="lyon-3"))
    # session, user, permissions (user's, group's), the moderator's areas; the queue's counts and
    # age: one COUNT per source (8), one SELECT per source holding items (the reports), main
    # places, locks; the weekly series (logged publications, listings created published); by
    # status, by need, by area; the least complete published listings.
    with django_assert_num_queries(22):
        moderator_client.get(url)
