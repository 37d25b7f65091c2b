"""Accounts: sign-up with a verified e-mail, log-in by e-mail, password reset, e-mail change,
deletion (RGPD: memberships removed, listings stay)."""

import importlib
import io
import re
from threading import current_thread

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core import mail, signing
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from directory.accounts import services
from directory.models import Association, AssociationChange, AssociationManager, PendingSignup
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


PASSWORD = "Un-mot-de-passe-solide-42"


def test_signup_then_verify_then_dashboard(client, db, captured):
    response = signup(client)
    assert response.status_code == 302
    assert not User.objects.exists()  # a sign-up, not yet an account: nothing before verification
    assert not client.login(username="benevole@example.org", password=PASSWORD)
    [message] = mail.outbox
    assert message.subject == "Lyon Assos : confirmez votre adresse e-mail"
    assert message.alternatives[0][1] == "text/html"
    path = path_of(message)
    page = builders.soup(client.get(path))  # a form, not an action on GET
    assert page.select_one("main form input[name=password][type=password]")
    assert not User.objects.exists()
    response = client.post(path, {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:dashboard")
    user = User.objects.get(email="benevole@example.org")
    assert user.is_active
    assert user.check_password(PASSWORD)
    assert not PendingSignup.objects.exists()
    assert client.get(reverse("directory:dashboard")).status_code == 200
    # The link works once.
    assert Client().post(path, {"password": PASSWORD}).status_code == 400


def test_verification_needs_the_password_chosen_at_signup(client, db, captured):
    signup(client)
    response = client.post(path_of(mail.outbox[0]), {"password": "Un-autre-mot-de-passe-43"})
    assert response.status_code == 200
    assert "Ce n'est pas le mot de passe choisi à l'inscription." in builders.visible_text(response)
    assert not User.objects.exists()


def test_a_tampered_verification_link_is_refused(client, db, captured):
    signup(client)
    path = path_of(mail.outbox[0])
    assert client.post(path[:-4] + "xyz/", {"password": PASSWORD}).status_code == 400
    assert not User.objects.exists()


def test_signup_does_not_reveal_existing_accounts(client, plain_user, captured):
    response = signup(client, email=plain_user.email.upper())
    assert response.status_code == 302
    assert User.objects.filter(email__iexact=plain_user.email).count() == 1
    assert mail.outbox[0].subject == "Lyon Assos : vous avez déjà un compte"
    plain_user.refresh_from_db()
    assert plain_user.check_password("pass-word-123")  # its password is never touched


# Disabled accounts never come back through the sign-up -----------------------------------------


def _disabled(persona):
    user = {
        "member": lambda: builders.make_user("ancien"),
        "moderator": builders.make_moderator,
        "superuser": builders.make_superuser,
    }[persona]()
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


@pytest.mark.parametrize("persona", ["member", "moderator", "superuser"])
def test_signup_never_touches_a_disabled_account(client, db, captured, persona):
    user = _disabled(persona)
    response = signup(client, email=user.email)
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    assert user.check_password("pass-word-123")
    assert not user.check_password(PASSWORD)
    assert mail.outbox == []  # no link, no "you already have an account" either
    assert not PendingSignup.objects.exists()
    assert not Client().login(username=user.email, password=PASSWORD)


def test_a_verification_link_never_reactivates_a_disabled_account(client, db, captured):
    signup(client)
    path = path_of(mail.outbox[0])
    client.post(path, {"password": PASSWORD})
    user = User.objects.get(email="benevole@example.org")
    user.is_active = False  # a moderator disables the account
    user.save(update_fields=["is_active"])
    other = Client()
    assert other.post(path, {"password": PASSWORD}).status_code == 400
    user.refresh_from_db()
    assert not user.is_active
    assert other.get(reverse("directory:dashboard")).status_code == 302


def test_a_signup_pending_when_the_address_gets_an_account_is_refused(client, db, captured):
    signup(client)
    path = path_of(mail.outbox[0])
    moderator = builders.make_moderator("benevole")  # made meanwhile, with this address
    response = client.post(path, {"password": PASSWORD})
    assert response.status_code == 200
    assert "Ce lien n'est plus valable" in builders.visible_text(response)
    moderator.refresh_from_db()
    assert moderator.check_password("pass-word-123")
    assert User.objects.filter(email__iexact="benevole@example.org").count() == 1


def test_the_migration_turns_unverified_signups_into_pending_ones_and_keeps_disabled_accounts(db):
    from django.apps import apps
    from django.utils import timezone

    migration = importlib.import_module("directory.migrations.0016_unverified_signups_to_pending")
    unverified = builders.make_user("jamais-venu", is_active=False)
    former = builders.make_user("ancien", is_active=False, last_login=timezone.now())
    staff = builders.make_user("staff-jamais-venu", is_active=False, is_staff=True)
    manager = builders.make_manager(builders.make_association("Club"), "gestion-inactif")
    manager.is_active = False
    manager.save(update_fields=["is_active"])
    active = builders.make_user("active")

    migration.forwards(apps, None)

    [pending] = PendingSignup.objects.all()
    assert (pending.email, pending.password) == (unverified.email, unverified.password)
    assert pending.created_at == unverified.date_joined
    assert not User.objects.filter(pk=unverified.pk).exists()
    assert set(User.objects.values_list("pk", flat=True)) == {former.pk, staff.pk, manager.pk, active.pk}
    assert not User.objects.get(pk=former.pk).is_active


# Account take-over before verification ----------------------------------------------------------


def test_a_second_signup_never_changes_the_first_ones_password(client, db, captured):
    signup(client, password=PASSWORD)  # the address's owner
    signup(Client(), password="Mot-de-passe-de-l-intrus-7")  # someone else, same address
    owners_link, intruders_link = (path_of(message) for message in mail.outbox)
    assert client.post(owners_link, {"password": PASSWORD}).status_code == 302
    user = User.objects.get(email="benevole@example.org")
    assert user.check_password(PASSWORD)
    assert not Client().login(username="benevole@example.org", password="Mot-de-passe-de-l-intrus-7")
    # The other sign-up's link died with the account's creation.
    assert Client().post(intruders_link, {"password": "Mot-de-passe-de-l-intrus-7"}).status_code == 400


def test_opening_the_link_of_someone_elses_signup_gives_them_nothing(client, db, captured):
    signup(Client(), password="Mot-de-passe-de-l-intrus-7")  # someone else, first
    signup(client, password=PASSWORD)  # then the owner
    intruders_link, owners_link = (path_of(message) for message in mail.outbox)
    # The owner opens the first e-mail: their own password does not fit that sign-up.
    assert client.post(intruders_link, {"password": PASSWORD}).status_code == 200
    assert not User.objects.exists()
    assert client.post(owners_link, {"password": PASSWORD}).status_code == 302
    assert not Client().login(username="benevole@example.org", password="Mot-de-passe-de-l-intrus-7")


def test_a_link_is_tied_to_its_signups_password_hash(db, captured):
    pending = services.account_signup(email="benevole@example.org", password=PASSWORD)
    token = services.verification_token(pending)
    assert services.pending_signup_from_token(token) == pending
    PendingSignup.objects.filter(pk=pending.pk).update(password=make_password("Autre-mot-de-passe-8"))
    assert services.pending_signup_from_token(token) is None


def test_expired_signups_are_purged_and_their_link_refused(client, db, captured, settings):
    signup(client)
    path = path_of(mail.outbox[0])
    settings.PASSWORD_RESET_TIMEOUT = -1
    assert client.post(path, {"password": PASSWORD}).status_code == 400
    signup(Client(), email="autre@example.org")
    assert list(PendingSignup.objects.values_list("email", flat=True)) == ["autre@example.org"]


# Same words on every path ------------------------------------------------------------------------


def _signup_answer(email):
    client = Client()
    response = signup(client, email=email)
    page = client.get(response["Location"])
    return response.status_code, response["Location"], page.content.decode().replace(email, "EMAIL")


def test_signup_answers_alike_and_hashes_a_password_for_new_existing_and_disabled_addresses(
    db, captured, monkeypatch
):
    builders.make_user("existe")
    _disabled("member")
    hashed = []
    real = services.make_password
    monkeypatch.setattr(services, "make_password", lambda password: hashed.append(1) or real(password))
    new = _signup_answer("nouvelle@example.org")
    assert hashed == [1]
    assert _signup_answer("existe@example.org") == new
    assert _signup_answer("ancien@example.org") == new
    assert hashed == [1, 1, 1]


def test_email_change_does_not_tell_that_an_address_is_taken(client, plain_user, moderator, captured):
    client.force_login(plain_user)

    def answer(email):
        response = client.post(
            reverse("accounts:email_change"), {"email": email, "password": "pass-word-123"}
        )
        text = builders.visible_text(client.get(response["Location"])).replace(email, "EMAIL")
        return response.status_code, response["Location"], text

    assert answer(moderator.email) == answer("libre@example.org")
    to = {tuple(m.to): m for m in mail.outbox}
    taken = to[(moderator.email,)]
    assert taken.subject == "Lyon Assos : cette adresse a déjà un compte"
    assert "/compte/email/confirmer/" not in taken.body  # a notice, never a link
    assert "/compte/email/confirmer/" in to[("libre@example.org",)].body
    plain_user.refresh_from_db()
    assert plain_user.email == "habitant@example.org"


def test_password_reset_answers_alike_for_existing_unknown_and_disabled_addresses(db, captured):
    builders.make_user("existe")
    _disabled("member")

    def answer(email):
        client = Client()
        response = client.post(
            reverse("accounts:password_reset"), {"email": email, **builders.human_fields()}
        )
        return response.status_code, response["Location"], client.get(response["Location"]).content

    assert answer("existe@example.org") == answer("inconnue@example.org") == answer("ancien@example.org")
    assert [m.to for m in mail.outbox] == [["existe@example.org"]]


@pytest.mark.parametrize("path", ["signup", "password_reset"])
def test_account_emails_leave_after_the_response(db, settings, monkeypatch, path):
    """From the thread pool, not the request's thread: their cost does not show in the answer."""
    from django.core.mail import EmailMultiAlternatives

    from directory import emails

    settings.EMAIL_BACKGROUND_THREADS = 1
    threads = []
    monkeypatch.setattr(
        EmailMultiAlternatives,
        "send",
        lambda message, fail_silently=False: threads.append(current_thread().name),
    )
    monkeypatch.setattr(emails, "_pool", None)
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
    builders.make_user("existe")
    client = Client()
    if path == "signup":
        signup(client, email="existe@example.org")
    else:
        client.post(
            reverse("accounts:password_reset"), {"email": "existe@example.org", **builders.human_fields()}
        )
    emails._pool.shutdown(wait=True)
    assert len(threads) == 1
    assert threads[0].startswith("email")


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


def test_password_reset(client, plain_user, captured):
    response = client.post(
        reverse("accounts:password_reset"), {"email": plain_user.email, **builders.human_fields()}
    )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.subject == "Lyon Assos : nouveau mot de passe"
    assert message.alternatives
    assert message.alternatives[0][1] == "text/html"
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


def test_change_email_needs_the_password(client, plain_user, captured):
    client.force_login(plain_user)
    response = client.post(reverse("accounts:email_change"), {"email": "x@example.org", "password": "wrong"})
    assert response.status_code == 200
    assert "Mot de passe incorrect." in builders.visible_text(response)
    assert mail.outbox == []


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


def test_purge_pending_signups_command_deletes_the_expired_ones(db, settings):
    from datetime import timedelta

    from django.utils import timezone

    old = timezone.now() - timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    PendingSignup.objects.create(email="ancienne@example.org", password="x", created_at=old)
    PendingSignup.objects.create(email="recente@example.org", password="x")
    out = io.StringIO()
    call_command("purge_pending_signups", "--dry-run", stdout=out)
    assert "1 expired sign-up(s) would be deleted (dry run)" in out.getvalue()
    assert PendingSignup.objects.count() == 2
    call_command("purge_pending_signups", stdout=out)
    assert "1 expired sign-up(s) deleted" in out.getvalue()
    assert list(PendingSignup.objects.values_list("email", flat=True)) == ["recente@example.org"]
