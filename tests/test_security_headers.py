"""Security headers on the main pages with production settings (DEBUG off, SSL redirect on)."""

import pytest
from bs4 import BeautifulSoup

from tests import builders

PAGES = {
    "home": "/",
    "results": "/associations/?q=aide",
    "listing": None,  # filled by the fixture
    "api": "/api/associations/",
    "admin login": "/admin/login/",
}


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    return settings


@pytest.fixture
def pages(db):
    listing = builders.make_association("Épicerie solidaire", categories=["epicerie-solidaire"])
    return {**PAGES, "listing": listing.get_absolute_url()}


@pytest.mark.parametrize("page", list(PAGES))
def test_plain_http_redirects_to_https(client, production, pages, page):
    response = client.get(pages[page])
    assert response.status_code == 301
    assert response["Location"].startswith("https://testserver/")


def test_forwarded_proto_from_the_proxy_counts_as_https(client, production, pages):
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200


@pytest.mark.parametrize("page", list(PAGES))
def test_security_headers(client, production, pages, page):
    response = client.get(pages[page], secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Permissions-Policy"]
    for directive in ("geolocation=(self)", "camera=()", "microphone=()", "payment=()", "usb=()"):
        assert directive in policy
    assert "interest-cohort=()" in policy
    csp = dict(
        [*part.strip().split(" ", 1), ""][:2] for part in response["Content-Security-Policy"].split(";")
    )
    assert csp["default-src"] == "'self'"
    assert csp["object-src"] == "'none'"
    assert csp["frame-ancestors"] == "'none'"
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert csp["style-src"] == "'self'"
    # 'nonce-…' is added only on pages that use a nonce; never 'unsafe-inline'.
    assert csp["script-src"].split()[0] == "'self'"


def test_cookies_are_secure_and_http_only(client, production, db):
    response = client.get("/admin/login/", secure=True)
    csrf = response.cookies["csrftoken"]
    assert csrf["secure"]
    assert csrf["samesite"] == "Lax"
    builders.make_superuser("root")
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "root", "password": "pass-word-123", "csrfmiddlewaretoken": csrf.value},
        secure=True,
    )
    session = response.cookies["sessionid"]
    assert session["secure"]
    assert session["httponly"]


@pytest.mark.parametrize("page", ["home", "results", "listing", "admin login"])
def test_no_inline_script_or_style(client, production, pages, page):
    """The CSP forbids inline code: every script is a file (or a JSON data block), no style."""
    soup = BeautifulSoup(client.get(pages[page], secure=True).content, "html.parser")
    for script in soup.find_all("script"):
        assert script.get("src") or script.get("type") in ("application/ld+json", "application/json"), script
    assert not soup.find_all("style")
    assert not soup.select("[style]")
    assert not [tag for tag in soup.find_all(True) if any(attr.startswith("on") for attr in tag.attrs)]
