"""Rate limits (429 + Retry-After), client address behind proxies, login lockout, honeypot and
minimum time, outgoing e-mail throttling (directory/security.py)."""

import io
import time

import pytest
from django import forms
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, RequestFactory

from directory import security
from tests import builders


@pytest.fixture
def limits(settings):
    """Rate limits on, from an empty cache (the suite runs with DJANGO_RATE_LIMITS=0)."""
    settings.RATE_LIMITS_ENABLED = True
    cache.clear()
    yield settings
    cache.clear()


def test_rate_parse():
    assert security.Rate.parse("120/m") == security.Rate(120, 60)
    assert security.Rate.parse("10/15m") == security.Rate(10, 900)
    with pytest.raises(ValueError, match="Invalid rate"):
        security.Rate.parse("ten per minute")


@pytest.mark.parametrize(
    ("count", "xff", "remote", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.1", "10.0.0.1"),  # no trusted proxy: the header is ignored
        (1, "6.6.6.6, 1.2.3.4", "127.0.0.1", "1.2.3.4"),  # nginx appended the real client
        (2, "6.6.6.6, 1.2.3.4, 10.0.0.2", "10.0.0.3", "1.2.3.4"),  # load balancer + nginx
        (1, "", "127.0.0.1", "127.0.0.1"),  # header missing
        (1, "not-an-ip", "127.0.0.1", "127.0.0.1"),  # forged garbage
    ],
)
def test_client_ip(settings, count, xff, remote, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=xff)
    assert security.client_ip(request) == expected


def test_ipv6_counts_per_64():
    assert security.address_bucket("2001:db8:1:2:aaaa::1") == security.address_bucket("2001:db8:1:2:bbbb::9")
    assert security.address_bucket("2001:db8:1:3::1") != security.address_bucket("2001:db8:1:2::1")


def test_search_answers_429_with_retry_after_in_french(client, limits, db):
    limits.RATE_LIMITS = [("directory:association_list", "GET", "ip", "3/m")]
    for _ in range(3):
        assert client.get("/associations/?q=sport").status_code == 200
    response = client.get("/associations/?q=sport")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response["Cache-Control"] == "no-store"
    text = response.content.decode()
    assert "Merci de patienter" in text
    assert "réessayer" in text
    # Another address is not affected; other pages neither.
    assert client.get("/associations/", REMOTE_ADDR="198.51.100.7").status_code == 200
    assert client.get("/").status_code == 200


def test_api_and_suggestions_answer_json_429(client, limits, db):
    limits.RATE_LIMITS = [
        ("directory:api_association_list", "GET", "ip", "2/m"),
        ("directory:api_suggestions", "GET", "ip", "2/m"),
    ]
    for url in ("/api/associations/", "/api/suggestions/?q=dev"):
        client.get(url)
        client.get(url)
        response = client.get(url)
        assert response.status_code == 429
        assert "Réessayez" in response.json()["detail"]
        assert response["Retry-After"]


def test_default_limits_cover_search_api_and_login(settings):
    names = {(rule[0], rule[2]) for rule in settings.RATE_LIMITS}
    for name in (
        "directory:association_list",
        "directory:api_association_list",
        "directory:api_suggestions",
        "accounts:login",
        "admin:login",
        "accounts:signup",
        "accounts:password_reset",
        "directory:report",
    ):
        assert (name, "ip") in names, name


def test_healthz_is_never_limited(client, limits, db):
    limits.RATE_LIMITS = [("*", "GET", "ip", "1/m")]
    for _ in range(5):
        assert client.get("/healthz").status_code == 200
    client.get("/a-propos/")
    assert client.get("/a-propos/").status_code == 429


def _login(client, username, password="wrong-password", url="/compte/connexion/"):
    return client.post(url, {"username": username, "password": password})


def test_login_lockout_after_repeated_failures(client, limits, db):
    limits.LOGIN_FAILURE_LIMIT = 3
    user = builders.make_user("benevole")
    for _ in range(3):
        assert _login(client, user.email).status_code == 200  # the form again, with its error
    # Locked: even the right password is refused, with a 429 that says when to retry.
    response = _login(client, user.email, "pass-word-123")
    assert response.status_code == 429
    assert 800 <= int(response["Retry-After"]) <= 900
    assert "connexion est suspendue" in response.content.decode()
    # Case and spaces do not make another identifier.
    assert _login(client, f"  {user.email.upper()} ").status_code == 429
    # Another account from the same address is not locked.
    assert _login(client, "someone-else@example.org").status_code == 200


def test_lockout_does_not_reveal_whether_the_account_exists(client, limits, db):
    limits.LOGIN_FAILURE_LIMIT = 2
    builders.make_user("existe")
    answers = []
    for username in ("existe@example.org", "nexistepas@example.org"):
        for _ in range(2):
            _login(client, username)
        response = _login(client, username)
        answers.append((response.status_code, response["Retry-After"], response.content.count(b"<p")))
    assert answers[0] == answers[1]
    assert answers[0][0] == 429


def test_admin_login_is_locked_too(client, limits, db):
    limits.LOGIN_FAILURE_LIMIT = 2
    builders.make_superuser("root")
    for _ in range(2):
        _login(client, "root", url="/admin/login/")
    assert _login(client, "root", "pass-word-123", url="/admin/login/").status_code == 429


def test_a_lockout_from_elsewhere_never_locks_the_owner_out(client, limits, db):
    """Keyed by account AND address: someone guessing a moderator's password from elsewhere
    locks only themselves out."""
    limits.LOGIN_FAILURE_LIMIT = 3
    moderator = builders.make_moderator()
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(3):
        _login(elsewhere, moderator.email)
    assert _login(elsewhere, moderator.email, "pass-word-123").status_code == 429
    assert _login(client, moderator.email, "pass-word-123").status_code == 302
    assert _login(client, moderator.email, "pass-word-123", url="/admin/login/").status_code == 302
    # The same network (an IPv6 /64) counts as the same place.
    v6 = Client(REMOTE_ADDR="2001:db8:1:2::1")
    for _ in range(3):
        _login(v6, "someone@example.org")
    assert _login(Client(REMOTE_ADDR="2001:db8:1:2::99"), "someone@example.org").status_code == 429


def test_unlock_account_command_lifts_the_lock_from_every_address(client, limits, db):
    limits.LOGIN_FAILURE_LIMIT = 2
    moderator = builders.make_moderator()
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    for who in (client, elsewhere):
        for _ in range(2):
            _login(who, moderator.email.upper())
        assert _login(who, moderator.email, "pass-word-123").status_code == 429
    out = io.StringIO()
    call_command("unlock_account", moderator.email, "--dry-run", stdout=out)
    assert "1 locked identifier(s) of 2 (dry run)" in out.getvalue()
    assert _login(client, moderator.email, "pass-word-123").status_code == 429  # dry run: still locked
    call_command("unlock_account", f" {moderator.email.upper()} ", stdout=out)
    assert "2 identifier(s) unlocked (1 were locked)" in out.getvalue()
    assert _login(client, moderator.email, "pass-word-123").status_code == 302
    assert _login(elsewhere, moderator.email, "pass-word-123").status_code == 302
    # Counting starts again from zero: one more failure does not lock.
    again = Client(REMOTE_ADDR="203.0.113.9")
    assert _login(again, moderator.email).status_code == 200
    assert _login(again, moderator.email, "pass-word-123").status_code == 302


def test_login_per_address_limit(client, limits, db):
    limits.RATE_LIMITS = [("accounts:login", "POST", "ip", "2/10m")]
    _login(client, "a@example.org")
    _login(client, "b@example.org")
    assert _login(client, "c@example.org").status_code == 429


# Honeypot and minimum time ---------------------------------------------------------------------


class ContactForm(security.HumanCheckMixin, forms.Form):
    message = forms.CharField()


def test_human_form_accepts_a_person(settings):
    stamp = security.form_stamp(now=time.time() - 5)
    form = ContactForm({"message": "Bonjour", "website": "", "form_started": stamp})
    assert form.is_valid(), form.errors
    assert not form.is_spam


def test_honeypot_filled_is_refused():
    stamp = security.form_stamp(now=time.time() - 5)
    form = ContactForm({"message": "Buy", "website": "http://spam.example", "form_started": stamp})
    assert not form.is_valid()
    assert form.is_spam


def test_too_fast_is_refused_then_accepted_later(settings):
    form = ContactForm({"message": "Bonjour", "website": "", "form_started": security.form_stamp()})
    assert not form.is_valid()
    assert form.is_spam
    assert "trop rapide" in str(form.non_field_errors())


@pytest.mark.parametrize("stamp", ["", "12345", "tampered:abc"])
def test_missing_or_forged_stamp_is_refused_and_renewed(stamp):
    form = ContactForm({"message": "Bonjour", "website": "", "form_started": stamp})
    assert not form.is_valid()
    assert form.data["form_started"] != stamp  # the page shown again carries a fresh stamp


def test_human_check_renders_hidden_fields():
    from django.template.loader import render_to_string

    html = render_to_string("security/_human_check.html", {"form": ContactForm()})
    assert "<div hidden>" in html
    assert 'name="website"' in html
    assert 'type="hidden"' in html


# Outgoing e-mail throttling ---------------------------------------------------------------------


@pytest.fixture
def throttled(settings):
    settings.EMAIL_PER_RECIPIENT_PER_HOUR = 3
    settings.EMAIL_PER_HOUR = 5
    cache.clear()
    settings.MAILERS = {
        "default": {
            "BACKEND": "directory.security.ThrottledEmailBackend",
            "OPTIONS": {"backend": "django.core.mail.backends.locmem.EmailBackend"},
        }
    }
    yield
    cache.clear()


def test_mail_to_one_recipient_is_capped_and_logged_without_the_address(throttled, caplog):
    for n in range(5):
        mail.send_mail(f"Objet {n}", "Texte", None, ["victime@example.org"])
    assert len(mail.outbox) == 3
    assert "e-mail dropped" in caplog.text
    assert "victime@example.org" not in caplog.text


def test_global_mail_cap(throttled, caplog):
    for n in range(7):
        mail.send_mail("Objet", "Texte", None, [f"personne{n}@example.org"])
    assert len(mail.outbox) == 5
    assert "global cap" in caplog.text


def test_production_mailer_is_throttled():
    from lyonassos import settings as project

    assert project.MAILERS["default"]["BACKEND"] == "directory.security.ThrottledEmailBackend"
