"""Claiming a listing: a code sent to its public e-mail, or a request reviewed by moderators or
by its managers; documents stored privately."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from directory import access
from directory.editing import claims as claim_services
from directory.models import AssociationManager, Claim
from tests import builders


@pytest.fixture
def claimant(client, plain_user):
    client.force_login(plain_user)
    return client


def claim_url(listing, suffix=""):
    return reverse("directory:claim", args=[listing.slug]) + suffix


def request_code(client, listing, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(claim_url(listing), {"rna": listing.rna.lower()})
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:claim_code", args=[listing.slug])
    [message] = mail.outbox
    assert message.to == [listing.email]
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def test_the_claim_url_is_the_contract(listing):
    assert reverse("directory:claim", args=[listing.slug]) == f"/associations/{listing.slug}/revendiquer/"


def test_claim_by_code_grants_management_at_once(
    claimant, listing, plain_user, django_capture_on_commit_callbacks
):
    code = request_code(claimant, listing, django_capture_on_commit_callbacks)
    claim = Claim.objects.get(association=listing)
    assert len(claim.code_hash) == 64
    assert claim.code_hash == claim_services._hash(claim, code)  # an HMAC only
    response = claimant.post(reverse("directory:claim_code", args=[listing.slug]), {"code": code})
    assert response.status_code == 302
    assert AssociationManager.objects.filter(association=listing, user=plain_user, via="code").exists()
    assert access.can_manage(plain_user, listing)


def test_a_replayed_code_is_refused(claimant, listing, plain_user, django_capture_on_commit_callbacks):
    code = request_code(claimant, listing, django_capture_on_commit_callbacks)
    claim = Claim.objects.get(association=listing)
    assert claim_services.claim_check_code(claim=claim, user=plain_user, code=code).ok
    AssociationManager.objects.filter(user=plain_user).delete()
    again = claim_services.claim_check_code(claim=claim, user=plain_user, code=code)
    assert not again.ok
    assert not AssociationManager.objects.filter(user=plain_user).exists()


def test_a_wrong_code_counts_and_five_attempts_at_most(
    claimant, listing, plain_user, django_capture_on_commit_callbacks
):
    code = request_code(claimant, listing, django_capture_on_commit_callbacks)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    url = reverse("directory:claim_code", args=[listing.slug])
    for attempt in range(1, 6):
        response = claimant.post(url, {"code": wrong})
        assert response.status_code == 200
        assert Claim.objects.get(association=listing).code_attempts == attempt
    assert Claim.objects.get(association=listing).status == Claim.Status.EXPIRED
    response = claimant.post(url, {"code": code})  # even the right code is now refused
    assert "Ce code n'est plus valable" in builders.visible_text(response)
    assert not AssociationManager.objects.filter(user=plain_user).exists()


def test_an_expired_code_is_refused(claimant, listing, plain_user, django_capture_on_commit_callbacks):
    code = request_code(claimant, listing, django_capture_on_commit_callbacks)
    Claim.objects.update(code_expires_at=timezone.now() - timezone.timedelta(seconds=1))
    response = claimant.post(reverse("directory:claim_code", args=[listing.slug]), {"code": code})
    assert response.status_code == 200
    assert "Ce code a expiré" in builders.visible_text(response)
    assert not AssociationManager.objects.filter(user=plain_user).exists()


def test_someone_elses_code_does_not_work(client, listing, plain_user, django_capture_on_commit_callbacks):
    client.force_login(plain_user)
    code = request_code(client, listing, django_capture_on_commit_callbacks)
    intruder = builders.make_user("intrus")
    client.force_login(intruder)
    response = client.post(reverse("directory:claim_code", args=[listing.slug]), {"code": code})
    assert response.status_code == 200
    assert not AssociationManager.objects.exists()


def test_a_wrong_rna_sends_no_code(claimant, listing):
    response = claimant.post(claim_url(listing), {"rna": "W699999999"})
    assert response.status_code == 200
    assert "Ce numéro RNA n'est pas celui de la fiche." in builders.visible_text(response)
    assert mail.outbox == []


def test_codes_are_rate_limited(claimant, listing, plain_user):
    for _ in range(3):
        claim_services.claim_send_code(association=listing, user=plain_user, rna=listing.rna)
    with pytest.raises(claim_services.EditingError):
        claim_services.claim_send_code(association=listing, user=plain_user, rna=listing.rna)
    assert Claim.objects.filter(status="pending").count() == 1  # each new code voids the previous


def test_without_email_the_claim_is_a_request_to_moderators(claimant, listing, plain_user, moderator):
    listing.email = ""
    listing.save()
    page = builders.soup(claimant.get(claim_url(listing)))
    assert page.select("input[name=rna]") == []
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    response = claimant.post(
        claim_url(listing, "demande/"),
        {
            "role": "Trésorière depuis 2022.",
            "document": builders.upload("statuts.pdf", pdf, "application/pdf"),
        },
    )
    assert response.status_code == 302
    claim = Claim.objects.get(association=listing)
    assert not claim.to_managers
    assert claim.document.name.startswith("claims/")
    assert claim.document.name.endswith(".pdf")
    claim_services.claim_accept(claim=claim, actor=moderator)
    assert AssociationManager.objects.filter(association=listing, user=plain_user, via="review").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "Justificatif accepté : PDF, JPEG ou PNG."),
        ("faux.pdf", b"<html>not a pdf</html>", "Justificatif accepté : PDF, JPEG ou PNG."),
        ("image.gif", builders.image_bytes("GIF"), "Justificatif accepté : PDF, JPEG ou PNG."),
        (
            "gros.pdf",
            b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024) + b"\n%%EOF",
            "Le justificatif ne doit pas dépasser 5 Mo.",
        ),
    ],
)
def test_bad_documents_are_refused(claimant, listing, name, content, message):
    response = claimant.post(
        claim_url(listing, "demande/"),
        {"role": "Président.", "document": builders.upload(name, content, "application/octet-stream")},
    )
    assert response.status_code == 200
    assert message in [e.get_text(strip=True) for e in builders.soup(response).select(".errorlist li")]
    assert not Claim.objects.exists()


def test_documents_are_private_and_served_to_moderators_only(
    claimant, listing, plain_user, moderator, client, settings
):
    claimant.post(
        claim_url(listing, "demande/"),
        {
            "role": "Secrétaire.",
            "document": builders.upload("id.png", builders.image_bytes("PNG"), "image/png"),
        },
    )
    claim = Claim.objects.get()
    assert str(settings.MEDIA_ROOT) not in claim.document.path
    assert not list(settings.MEDIA_ROOT.rglob("*.png")) if settings.MEDIA_ROOT.exists() else True
    url = reverse("admin:directory_claim_document", args=[claim.pk])
    assert claimant.get(url).status_code == 302  # the claimant is not staff: admin log-in
    client.force_login(moderator)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_a_claim_on_a_managed_listing_goes_to_its_managers(
    client, listing, manager, plain_user, django_capture_on_commit_callbacks
):
    client.force_login(plain_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(claim_url(listing, "demande/"), {"role": "Nouvelle coordinatrice."})
    claim = Claim.objects.get()
    assert claim.to_managers
    assert mail.outbox[-1].to == [manager.email]
    client.force_login(manager)
    page = builders.soup(client.get(reverse("directory:dashboard")))
    assert "Nouvelle coordinatrice." in page.select_one("#claims").get_text()
    response = client.post(reverse("directory:claim_accept", args=[listing.slug, claim.pk]))
    assert response.status_code == 302
    assert AssociationManager.objects.filter(association=listing, user=plain_user).exists()


def test_managers_may_refuse_and_others_cannot_decide(client, listing, manager, other_manager, plain_user):
    claim = claim_services.claim_request(association=listing, user=plain_user, role="Bénévole.")
    client.force_login(other_manager)
    assert client.post(reverse("directory:claim_accept", args=[listing.slug, claim.pk])).status_code == 404
    client.force_login(plain_user)
    assert client.post(reverse("directory:claim_accept", args=[listing.slug, claim.pk])).status_code == 404
    client.force_login(manager)
    client.post(reverse("directory:claim_refuse", args=[listing.slug, claim.pk]))
    claim.refresh_from_db()
    assert claim.status == Claim.Status.REFUSED
    assert not AssociationManager.objects.filter(user=plain_user).exists()


def test_the_code_path_is_not_offered_on_a_managed_listing(claimant, listing, manager):
    page = builders.soup(claimant.get(claim_url(listing)))
    assert page.select("input[name=rna]") == []
    response = claimant.post(claim_url(listing), {"rna": listing.rna})
    assert response.status_code == 200
    assert not Claim.objects.exists()


def test_claiming_needs_an_account(client, listing):
    response = client.get(claim_url(listing))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_csrf_is_required_to_send_a_code(listing, plain_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(plain_user)
    assert client.post(claim_url(listing), {"rna": listing.rna}).status_code == 403
    assert not Claim.objects.exists()
