"""Accounts: sign-up with a verified e-mail, log-in by e-mail, password reset, e-mail change,
deletion (RGPD: memberships removed, listings stay)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from directory.accounts import services
from directory.models import Association, AssociationChange, AssociationManager
from tests import builders

User = get_user_model()


def path_of(message):
    url = re.search(r"https?://[^\s]+", message.body).group(0)
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def signup(client, email="benevole@example.org", password="Un-mot-de-passe-solide-42"):
    return client.post(
        reverse("accounts:signup"),
        {"email": email, "password1": password, "password2": password, **builders.human_fields()},
    )


@pytest.fixture
def captured(monkeypatch):
    """Run on-commit callbacks at once (the test transaction never commits)."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


def test_signup_then_verify_then_dashboard(client, db, captured):
    response = signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="benevole@example.org")
    assert not user.is_active  # nothing before the address is verified
    assert not client.login(username="benevole@example.org", password="Un-mot-de-passe-solide-42")
    [message] = mail.outbox
    assert message.subject == "Lyon Assos : confirmez votre adresse e-mail"
    assert message.alternatives[0][1] == "text/html"
    path = path_of(message)
    assert client.get(path).status_code == 200  # a button, not an action on GET
    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == reverse("directory:dashboard")
    user.refresh_from_db()
    assert user.is_active
    assert client.get(reverse("directory:dashboard")).status_code == 200
    # The link works once.
    assert Client().post(path).status_code == 400


def test_a_tampered_verification_link_is_refused(client, db, captured):
    signup(client)
    path = path_of(mail.outbox[0])
    assert client.post(path[:-3] + "xyz/").status_code == 400
    assert not User.objects.get(email="benevole@example.org").is_active


def test_signup_does_not_reveal_existing_accounts(client, plain_user, captured):
    response = signup(client, email=plain_user.email.upper())
    assert response.status_code == 302
    assert User.objects.filter(email__iexact=plain_user.email).count() == 1
    assert mail.outbox[0].subject == "Lyon Assos : vous avez déjà un compte"


@pytest.mark.parametrize(
    ("password1", "password2", "error"),
    [
        ("court", "court", "Ce mot de passe est trop court."),
        ("Un-mot-de-passe-42", "Un-autre-mot-de-passe", "Les deux mots de passe ne sont pas identiques."),
    ],
)
def test_signup_validates_passwords(client, db, password1, password2, error):
    response = client.post(
        reverse("accounts:signup"),
        {"email": "a@example.org", "password1": password1, "password2": password2, **builders.human_fields()},
    )
    assert response.status_code == 200
    errors = " ".join(e.get_text(" ", strip=True) for e in builders.soup(response).select(".errorlist li"))
    assert error in errors
    assert not User.objects.exists()


def test_login_by_email_case_insensitive_and_logout(client, plain_user):
    response = client.post(
        reverse("accounts:login"), {"username": "HABITANT@example.org", "password": "pass-word-123"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:dashboard")
    assert client.get(reverse("accounts:logout")).status_code == 405  # log out is a POST
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("directory:dashboard")).status_code == 302


def test_the_admin_username_still_logs_in(client, superuser):
    assert client.login(username="root", password="pass-word-123")


def test_wrong_password(client, plain_user):
    response = client.post(reverse("accounts:login"), {"username": plain_user.email, "password": "nope"})
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect." in builders.visible_text(response)


def test_header_links(client, plain_user):
    page = builders.soup(client.get("/"))
    assert (
        page.select_one(f".site-nav a[href='{reverse('accounts:login')}']").get_text(strip=True)
        == "Se connecter"
    )
    client.force_login(plain_user)
    page = builders.soup(client.get("/"))
    assert (
        page.select_one(f".site-nav a[href='{reverse('directory:dashboard')}']").get_text(strip=True)
        == "Mon espace"
    )
    assert page.select_one(f".site-nav form[action='{reverse('accounts:logout')}'] button")


def test_password_reset(client, plain_user):
    response = client.post(
        reverse("accounts:password_reset"), {"email": plain_user.email, **builders.human_fields()}
    )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.subject == "Lyon Assos : nouveau mot de passe"
    assert message.alternatives and message.alternatives[0][1] == "text/html"
    response = client.get(path_of(message), follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "Nouveau-mot-de-passe-77", "new_password2": "Nouveau-mot-de-passe-77"}
    )
    assert response.status_code == 302
    assert client.login(username=plain_user.email, password="Nouveau-mot-de-passe-77")


def test_change_email_is_verified_again(client, plain_user, captured):
    client.force_login(plain_user)
    response = client.post(
        reverse("accounts:email_change"), {"email": "nouvelle@example.org", "password": "pass-word-123"}
    )
    assert response.status_code == 302
    to = {tuple(m.to): m for m in mail.outbox}
    assert set(to) == {("nouvelle@example.org",), (plain_user.email,)}
    plain_user.refresh_from_db()
    assert plain_user.email == "habitant@example.org"  # unchanged until confirmed
    path = path_of(to[("nouvelle@example.org",)])
    client.post(path)
    plain_user.refresh_from_db()
    assert plain_user.email == "nouvelle@example.org"
    # A replayed link is refused.
    client.post(path)
    assert "Ce lien n'est plus valable" in builders.visible_text(client.get(reverse("accounts:account")))


def test_change_email_needs_the_password_and_a_free_address(client, plain_user, moderator):
    client.force_login(plain_user)
    response = client.post(reverse("accounts:email_change"), {"email": "x@example.org", "password": "wrong"})
    assert response.status_code == 200
    response = client.post(
        reverse("accounts:email_change"), {"email": moderator.email, "password": "pass-word-123"}
    )
    assert "Un compte utilise déjà cette adresse." in builders.visible_text(response)


def test_expired_email_change_link(plain_user, settings):
    token = services.email_change_token(plain_user, "n@example.org")
    settings.EMAIL_CHANGE_MAX_AGE = -1
    with pytest.raises(services.AccountError):
        services.account_confirm_email_change(user=plain_user, token=token)
    with pytest.raises(signing.BadSignature):
        signing.loads(token + "x", salt=services.EMAIL_CHANGE_SALT)


def test_delete_account_keeps_the_listings(client, listing, manager, captured):
    client.force_login(manager)
    response = client.post(reverse("accounts:delete"), {"password": "pass-word-123", "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=manager.pk).exists()
    assert Association.objects.filter(pk=listing.pk, status="published").exists()
    assert not AssociationManager.objects.filter(association=listing).exists()  # now without manager
    assert AssociationChange.objects.filter(association=listing, action="manager_account_deleted").exists()
    assert mail.outbox[-1].subject == "Lyon Assos : votre compte est supprimé"


def test_delete_account_needs_password_and_confirmation(client, manager):
    client.force_login(manager)
    assert client.post(reverse("accounts:delete"), {"password": "pass-word-123"}).status_code == 200
    assert client.post(reverse("accounts:delete"), {"password": "bad", "confirm": "on"}).status_code == 200
    assert User.objects.filter(pk=manager.pk).exists()


def test_csrf_on_login(plain_user):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("accounts:login"), {"username": plain_user.email, "password": "pass-word-123"}
    )
    assert response.status_code == 403


def test_signup_refuses_a_robot_filling_the_honeypot(client, db, captured):
    response = client.post(
        reverse("accounts:signup"),
        {
            "email": "robot@example.org",
            "password1": "Un-mot-de-passe-solide-42",
            "password2": "Un-mot-de-passe-solide-42",
            **builders.human_fields(),
            "website": "http://spam.example",
        },
    )
    assert response.status_code == 200
    assert not get_user_model().objects.filter(email="robot@example.org").exists()


def test_password_reset_refuses_a_form_sent_too_fast(client, plain_user, mailoutbox):
    from directory.security import form_stamp

    response = client.post(
        reverse("accounts:password_reset"),
        {"email": plain_user.email, "website": "", "form_started": form_stamp()},
    )
    assert response.status_code == 200
    assert mailoutbox == []
