import os

import pytest
from django.test import override_settings

from tests import builders


def pytest_sessionstart(session):
    """English pages need the compiled catalogs (locale/*/LC_MESSAGES/django.mo, git-ignored), as
    `make test` builds them: compile what is missing or older than its .po (else a no-op)."""
    from django.core.management import call_command

    call_command(
        "compilemessages", ignore_patterns=[".venv", "node_modules", "staticfiles", ".git"], verbosity=0
    )


@pytest.fixture(scope="session", autouse=True)
def _plain_static_storage():
    """Tests render templates without running collectstatic first."""
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(
        STORAGES=storages, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    ):
        yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# Personas ------------------------------------------------------------------------------


@pytest.fixture
def resident(client):
    """An anonymous visitor."""
    return client


@pytest.fixture
def moderator(db):
    return builders.make_moderator()


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def superuser(db):
    return builders.make_superuser()


@pytest.fixture
def plain_user(db):
    """A logged-in account that manages nothing."""
    return builders.make_user("habitant")


# Real browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium():
    from tests.browser import CHROMIUM, CHROMIUM_ARGS, require

    require(CHROMIUM, "Chromium", "apt-get install chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django's ORM calls from the
    # test body are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # The site registers a service worker (templates/phone/sw.js). Requests it answers escape
        # page.route(), and pages it kept would answer from its cache: contexts block workers
        # unless a test asks for them (`service_workers="allow"`, tests/test_phone_browser.py).
        new_context = browser.new_context

        def new_context_without_workers(**options):
            options.setdefault("service_workers", "block")
            return new_context(**options)

        browser.new_context = new_context_without_workers
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """After the migrations, keep the reference rows in memory for `restore_reference_data`.

    Read here, before any live-server test has flushed the tables (pytest-django runs
    transactional tests after the others, but a session fixture requested later could come
    after a flush)."""
    from tests.browser import remember_reference_data

    with django_db_blocker.unblock():
        remember_reference_data()


@pytest.fixture
def reference_data(transactional_db):
    """Live-server tests flush the database between tests: put the reference data back."""
    from tests.browser import restore_reference_data

    restore_reference_data()


@pytest.fixture(params=["phone", "desktop"])
def browser_page(request, chromium, live_server, reference_data):
    """A page at a phone (360 px) or desktop width, with JavaScript on."""
    from tests.browser import DESKTOP, PHONE

    viewport = PHONE if request.param == "phone" else DESKTOP
    context = chromium.new_context(viewport=viewport, locale="fr-FR", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def make_browser_page(chromium, live_server, reference_data):
    """A factory of pages on the live server: `make_browser_page("phone", javascript=False)`.

    `page.javascript` tells the test which variant it drives; contexts close after the test.
    """
    from tests.browser import DESKTOP, PHONE

    contexts = []

    def make(width="phone", *, javascript=True, service_workers="block"):
        context = chromium.new_context(
            viewport=PHONE if width == "phone" else DESKTOP,
            locale="fr-FR",
            bypass_csp=True,
            java_script_enabled=javascript,
            service_workers=service_workers,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.base_url = live_server.url
        page.javascript = javascript
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(params=["phone", "desktop"])
def browser_page_nojs(request, make_browser_page):
    """A page at a phone (360 px) or desktop width, with JavaScript off: the site must work."""
    return make_browser_page(request.param, javascript=False)


@pytest.fixture(autouse=True)
def _fresh_reference_snapshot(request):
    """Each test starts with an empty cache and a snapshot of its own database (rolled-back rows
    must not linger).

    The snapshot is loaded before the test body so that pinned query counts measure the steady
    state of a running site, where it is already in memory.
    """
    from django.core.cache import cache

    from directory import reference

    cache.clear()  # cached search pages, facets, counts and rate-limit windows of other tests
    reference.invalidate()
    uses_db = request.node.get_closest_marker("django_db") or "db" in request.fixturenames
    if uses_db and "transactional_db" not in request.fixturenames:
        request.getfixturevalue("db")
        reference.get()
    yield
    reference.invalidate()


# Association space -----------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    """Claim documents go to a private storage: a temporary folder in tests."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }


@pytest.fixture
def listing(db):
    """A published association, with a public e-mail and an RNA number, managed by `manager`."""
    return builders.make_association(
        "Épicerie solidaire de la Guillotière",
        categories=["epicerie-solidaire"],
        area_slug="lyon-7",
        email="contact@epicerie.example",
        rna="W691000001",
    )


@pytest.fixture
def manager(listing):
    """A volunteer managing `listing`."""
    return builders.make_manager(listing, "gestionnaire")


@pytest.fixture
def other_listing(db):
    return builders.make_association("Club de foot des Pentes", categories=["football"], area_slug="lyon-1")


@pytest.fixture
def other_manager(other_listing):
    """A volunteer managing another association only."""
    return builders.make_manager(other_listing, "autre-gestionnaire")
