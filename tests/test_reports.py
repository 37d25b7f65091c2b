"""Reports from the public: the form on every listing, rate limit, honeypot, notifications, admin."""

import time

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from directory import security
from directory.models import AssociationChange, Report
from directory.moderation import services
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def report_url(association):
    return reverse("directory:report", args=[association.slug])


def data(**overrides):
    """What a person sends, a few seconds after opening the form."""
    return {
        "reason": "hours",
        "message": "Fermé le mercredi maintenant.",
        "email": "",
        "website": "",
        "form_started": security.form_stamp(now=time.time() - 5),
        **overrides,
    }


def test_every_listing_links_to_the_report_form(resident, listing):
    page = builders.soup(resident.get(listing.get_absolute_url()))
    assert page.select_one("a#report-link")["href"] == report_url(listing)


def test_the_form_offers_every_reason(resident, listing):
    response = resident.get(report_url(listing))
    assert response.status_code == 200
    reasons = [radio["value"] for radio in builders.soup(response).select("input[name=reason]")]
    assert reasons == ["closed", "moved", "hours", "contact", "duplicate", "inappropriate", "other"]


def test_a_report_is_stored_and_notifies_managers_and_moderators(
    resident, listing, manager, django_capture_on_commit_callbacks
):
    lyon = builders.make_group_moderator("lyonnaise", areas=["lyon"])
    builders.make_group_moderator("villeurbannais", areas=["villeurbanne"])
    everywhere = builders.make_group_moderator("partout")
    with django_capture_on_commit_callbacks(execute=True):
        response = resident.post(
            report_url(listing), data(email="habitant@example.org"), REMOTE_ADDR="203.0.113.9"
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:report_thanks", args=[listing.slug])
    report = Report.objects.get()
    assert (report.reason, report.status, report.email) == ("hours", "new", "habitant@example.org")
    assert sorted(address for m in mail.outbox for address in m.to) == sorted(
        [manager.email, lyon.email, everywhere.email]
    )
    assert all(len(m.to) == 1 for m in mail.outbox)  # nobody sees the others' addresses
    assert resident.get(response["Location"]).status_code == 200


def test_the_ip_address_is_never_stored(resident, listing):
    resident.post(report_url(listing), data(), REMOTE_ADDR="203.0.113.77")
    assert "ip" not in {f.name for f in Report._meta.get_fields()}
    keys = list(cache._cache)  # the in-process cache of the tests
    assert keys
    assert not any("203.0.113.77" in key for key in keys)


def test_rate_limit_is_five_reports_an_hour_per_address(resident, listing):
    for _ in range(5):
        assert resident.post(report_url(listing), data(), REMOTE_ADDR="198.51.100.1").status_code == 302
    response = resident.post(report_url(listing), data(), REMOTE_ADDR="198.51.100.1")
    assert response.status_code == 429
    assert builders.soup(response).select_one("[role=alert]")
    assert Report.objects.count() == 5
    assert resident.post(report_url(listing), data(), REMOTE_ADDR="198.51.100.2").status_code == 302


@pytest.mark.parametrize(
    "robot",
    [
        {"website": "http://spam.example"},  # the honeypot, hidden from people
        {"form_started": ""},  # no signed start time
    ],
)
def test_robots_are_refused_with_a_neutral_message(resident, listing, robot):
    response = resident.post(report_url(listing), data(**robot))
    assert response.status_code == 200
    assert builders.soup(response).select_one("[role=alert]")
    assert not Report.objects.exists()


def test_a_report_sent_too_fast_is_refused(resident, listing):
    response = resident.post(report_url(listing), data(form_started=security.form_stamp()))
    assert "trop rapide" in builders.visible_text(response)
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"reason": "nope"},
        {"reason": ""},
        {"message": ""},
        {"email": "pas-une-adresse"},
        {"message": "x" * 2001},
    ],
)
def test_bad_input_shows_form_errors(resident, listing, bad):
    response = resident.post(report_url(listing), data(**bad))
    assert response.status_code == 200
    page = builders.soup(response)
    assert page.select_one("[role=alert]")
    assert page.select(".errorlist")
    assert not Report.objects.exists()


def test_unknown_or_unpublished_listing_is_a_404(resident, db):
    hidden = builders.make_association("Brouillon", status="draft")
    assert resident.get(reverse("directory:report", args=["inconnue"])).status_code == 404
    assert resident.post(report_url(hidden), data()).status_code == 404


# In the admin -----------------------------------------------------------------------------------


@pytest.fixture
def report(listing):
    return builders.make_report(listing, email="habitant@example.org")


def test_moderator_takes_then_resolves_a_report(
    moderator_client, moderator, report, django_capture_on_commit_callbacks
):
    page = builders.soup(moderator_client.get(reverse("admin:moderation_report", args=[report.pk])))
    assert "Les horaires ont changé." in page.select_one("#report-facts").get_text()
    moderator_client.post(reverse("admin:moderation_report_take", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Report.Status.IN_PROGRESS
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(
            reverse("admin:moderation_report_resolve", args=[report.pk]), {"note": "Horaires corrigés."}
        )
    report.refresh_from_db()
    assert (report.status, report.resolution_note, report.decided_by) == (
        "resolved",
        "Horaires corrigés.",
        moderator,
    )
    assert AssociationChange.objects.filter(association=report.association, action="report_resolved").exists()
    assert mail.outbox[-1].to == ["habitant@example.org"]
    assert "Horaires corrigés." in mail.outbox[-1].body


def test_moderator_rejects_a_report(moderator_client, report):
    moderator_client.post(
        reverse("admin:moderation_report_reject", args=[report.pk]), {"note": "Infos justes."}
    )
    report.refresh_from_db()
    assert report.status == Report.Status.REJECTED


def test_a_closed_report_cannot_be_closed_again(moderator_client, report):
    moderator_client.post(reverse("admin:moderation_report_reject", args=[report.pk]))
    response = moderator_client.post(
        reverse("admin:moderation_report_resolve", args=[report.pk]), follow=True
    )
    assert "déjà été traité" in builders.visible_text(response)
    report.refresh_from_db()
    assert report.status == Report.Status.REJECTED


def test_scoped_moderator_cannot_see_or_resolve_a_report_elsewhere(client, report):
    vera = builders.make_group_moderator("vera", areas=["villeurbanne"])
    client.force_login(vera)
    assert client.get(reverse("admin:moderation_report", args=[report.pk])).status_code == 404
    assert client.post(reverse("admin:moderation_report_resolve", args=[report.pk])).status_code == 404
    assert client.get(reverse("admin:directory_report_changelist")).context["cl"].result_count == 0
    with pytest.raises(services.ModerationError):
        services.report_resolve(report=report, moderator=vera)
    report.refresh_from_db()
    assert report.status == Report.Status.NEW
