"""Logs hold no password, token or personal e-mail (directory.security.ScrubFilter)."""

import logging

import pytest

from directory import security


@pytest.mark.parametrize(
    ("raw", "secret"),
    [
        ("login failed for jeanne.dupont@example.org", "jeanne.dupont@example.org"),
        ("POST /compte/connexion/ password=hunter2&username=x", "hunter2"),
        ("GET /?token=abc123DEF&x=1", "abc123DEF"),
        ('{"code": "482913"}', "482913"),
        ("GET /compte/verifier/MTI/c3s9ax-8f1e2d3c4b5a/ 200", "c3s9ax-8f1e2d3c4b5a"),
        ("GET /compte/mot-de-passe/nouveau/MTI/set-password/ 200", "set-password"),
        ("GET /espace-association/invitation/eyJhbGciOi.sig/ 302", "eyJhbGciOi.sig"),
        ("GET /confirmer-la-fiche/Wk9.xyz/ 200", "Wk9.xyz"),
    ],
)
def test_scrub_masks_secrets(raw, secret):
    assert secret not in security.scrub(raw)


def test_scrub_keeps_ordinary_text():
    assert security.scrub("GET /associations/?q=sport 200 12ms") == "GET /associations/?q=sport 200 12ms"


def test_filter_scrubs_arguments_and_tracebacks(caplog):
    caplog.handler.addFilter(security.ScrubFilter())
    logger = logging.getLogger("directory.test")
    with caplog.at_level(logging.INFO):
        logger.info("reset asked by %s with token=%s", "marie@example.org", "s3cr3t")
        try:
            raise ValueError("bad password=topsecret for paul@example.org")
        except ValueError:
            logger.exception("failure")
    text = caplog.text + "".join(r.exc_text or "" for r in caplog.records)
    for secret in ("marie@example.org", "s3cr3t", "topsecret", "paul@example.org"):
        assert secret not in text
    assert "[email]" in text


def test_filter_is_installed_on_the_console_handler():
    from django.conf import settings

    assert "scrub" in settings.LOGGING["handlers"]["console"]["filters"]
    root = logging.getLogger()
    assert any(isinstance(f, security.ScrubFilter) for handler in root.handlers for f in handler.filters), (
        "LOGGING's console handler lost its ScrubFilter"
    )


def test_failed_login_logs_nothing_personal(client, caplog, db, settings):
    caplog.handler.addFilter(security.ScrubFilter())
    settings.RATE_LIMITS_ENABLED = True
    settings.LOGIN_FAILURE_LIMIT = 2
    with caplog.at_level(logging.DEBUG):
        for _ in range(3):
            client.post("/compte/connexion/", {"username": "claire@example.org", "password": "P4ssw0rd!"})
    assert "claire@example.org" not in caplog.text
    assert "P4ssw0rd!" not in caplog.text
    assert "login locked" in caplog.text


def test_gunicorn_access_log_drops_query_strings():
    import runpy
    from pathlib import Path

    conf = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
    assert "%(U)s" in conf["access_log_format"]
    assert "%(q)s" not in conf["access_log_format"]
    assert "%(r)s" not in conf["access_log_format"]
