"""Accessibility on the server side, by parsing the HTML of every page (tests/a11y_site.py).

Landmarks and headings (RGAA themes 9 and 12): one <main>, a header and a footer, labelled navs
when there are several, exactly one <h1>, heading levels that never skip, a unique and
descriptive <title>, the page language. Form errors (RGAA theme 11, WCAG 3.3.1/3.3.3): every form
sent back with errors opens on an announced, focused summary whose links lead to the invalid
fields, each marked aria-invalid and described by its own error message.
"""

import re
from itertools import pairwise

import pytest
from django.db import transaction
from django.test import override_settings

from tests import a11y_site, builders

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module, in a transaction rolled back at its end. Each test runs in a
    savepoint inside it (pytest-django's `db`), so nothing a test writes reaches the next one."""
    media = tmp_path_factory.mktemp("a11y-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        yield a11y_site.build_site()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _media_root():
    """Keep the module's media folder, where the site's photos are (conftest's `_media_root`
    gives each test its own)."""


def get(client, site, page):
    if page.manager:
        client.force_login(site.manager)
    return client.get(page.path, follow=True)


def by_name(pages, name):
    [page] = [page for page in pages if page.name == name]
    return page


def test_the_sample_is_the_documented_one(site):
    assert [page.name for page in site.public] == a11y_site.PUBLIC_NAMES
    assert [page.name for page in site.area] == a11y_site.AREA_NAMES
    assert [post.name for post in site.errors] == a11y_site.ERROR_NAMES


def heading_levels(soup):
    return [int(tag.name[1]) for tag in soup.select("main h1, main h2, main h3, main h4, main h5, main h6")]


@pytest.mark.parametrize("name", a11y_site.PUBLIC_NAMES + a11y_site.AREA_NAMES)
def test_landmarks_headings_and_title(client, site, name):
    page = by_name(site.pages, name)
    response = get(client, site, page)
    assert response.status_code == page.status
    soup = builders.soup(response)
    assert soup.html["lang"] == ("en" if page.path.startswith("/en/") else "fr")
    assert len(soup.select("main")) == 1
    assert soup.select_one("main")["id"] == "contenu"
    assert len(soup.select("body > header")) == 1
    assert len(soup.select("body > footer")) == 1
    navs = soup.select("nav")
    if len(navs) > 1:
        labels = [nav.get("aria-label") or nav.get("aria-labelledby") for nav in navs]
        assert all(labels), f"unlabelled nav on {page.path}"
        assert len(set(labels)) == len(labels), f"two navs with the same label on {page.path}: {labels}"
    assert len(soup.select("h1")) == 1, f"{page.path}: {[h.get_text() for h in soup.select('h1')]}"
    levels = heading_levels(soup)
    assert levels[0] == 1
    for before, after in pairwise(levels):
        assert after <= before + 1, f"{page.path}: h{before} then h{after}"
    title = soup.title.get_text(" ", strip=True)
    assert "Lyon Assos" in title
    assert len(title) > len("Lyon Assos") + 5


def test_every_title_is_unique(client, site):
    titles = {}
    for page in site.public:
        titles.setdefault(builders.soup(get(client, site, page)).title.get_text(strip=True), []).append(
            page.name
        )
    client.force_login(site.manager)
    for page in site.area:
        titles.setdefault(builders.soup(get(client, site, page)).title.get_text(strip=True), []).append(
            page.name
        )
    shared = {tuple(names) for names in titles.values() if len(names) > 1}
    # The same view with other parameters, and the preview of a listing, may share a title.
    allowed = {("résultats filtrés", "résultats, paramètre invalide"), ("fiche", "aperçu")}
    assert shared <= allowed


def test_the_skip_link_comes_first_and_leads_to_main(client, site):
    soup = builders.soup(client.get("/"))
    first = soup.body.find(["a", "button", "input", "select", "textarea"])
    assert first["href"] == "#contenu"
    assert "skip-link" in first["class"]
    assert soup.select_one("main#contenu")["tabindex"] == "-1"


@pytest.mark.parametrize("name", a11y_site.ERROR_NAMES)
def test_a_form_with_errors_opens_on_a_summary_linked_to_its_fields(client, site, name):
    post = by_name(site.errors, name)
    if post.manager:
        client.force_login(site.manager)
    response = client.post(post.path, post.data)
    assert response.status_code in (200, 400)
    soup = builders.soup(response)
    summaries = soup.select(".error-summary")
    assert len(summaries) == 1, f"{post.path}: no error summary"
    summary = summaries[0]
    # Announced: an alert region, focused on load (autofocus on a programmatically focusable
    # element), named by its heading.
    assert summary["role"] == "alert"
    assert summary["tabindex"] == "-1"
    assert summary.has_attr("autofocus")
    assert summary.select_one("h2")["id"] == summary["aria-labelledby"]
    targets = [a["href"] for a in summary.select("a[href]")]
    assert all(href.startswith("#") for href in targets)
    for href in targets:
        target = soup.find(id=href[1:])
        assert target is not None, f"{post.path}: summary link {href} leads nowhere"
        assert (target.sourceline, target.sourcepos) > (summary.sourceline, summary.sourcepos)  # above
    for field_id in post.fields:
        assert f"#{field_id}" in targets, f"{post.path}: {field_id} not in the summary {targets}"
    invalid = soup.select("[aria-invalid=true]")
    if targets:
        assert invalid, f"{post.path}: no field marked aria-invalid"
    for element in invalid:
        holder = element if element.get("aria-describedby") else element.find_parent("fieldset")
        assert holder is not None, f"{element.get('id')} not described"
        assert holder.get("aria-describedby"), f"{element.get('id')} not described"
        described = [soup.find(id=ref) for ref in holder["aria-describedby"].split()]
        assert all(described), f"{element.get('id')} is described by a missing id"
        errors = [d for d in described if "errorlist" in (d.get("class") or [])]
        assert errors
        assert errors[0].get_text(strip=True)
    # Every invalid field is in the summary (radio groups through their first choice).
    invalid_fields = {re.sub(r"(_\d+)+$", "", element["id"]) for element in invalid if element.get("id")}
    linked = {re.sub(r"(_\d+)+$", "", href[1:]) for href in targets}
    assert invalid_fields <= linked, f"{post.path}: {invalid_fields - linked} missing from the summary"


def test_a_valid_form_shows_no_summary(client, site):
    response = client.get("/compte/connexion/")
    assert not builders.soup(response).select(".error-summary")


def test_the_429_page_has_one_h1_main_and_a_title(db):
    from django.test import RequestFactory

    from directory import security

    response = security.too_many_requests(RequestFactory().get("/mentions-legales/"), 120)
    assert response.status_code == 429
    soup = builders.soup(response)
    assert len(soup.select("h1")) == 1
    assert len(soup.select("main")) == 1
    assert soup.title.get_text(strip=True) == "Trop de demandes · Lyon Assos"
